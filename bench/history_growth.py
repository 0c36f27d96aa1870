"""What a library's history costs: the commands' time, the database's size and the review page's thumbnail
cache, for one library of N photos with H photos of history behind it (moved away or trashed by earlier
batches, the rejects folder and the trash emptied since), as a year or more of use leaves it.

Builds the N photos as ``bench/commands_scale.py`` does (tiny files, a record for each through the store's API,
one in 50 marked discard); then H photos of history: a record, a discard and a logged decision each, and a
``done`` journal row each in move and trash batches of 150 (written with SQL, as the actions write them), their
files gone from the library and from the destination. A thumbnail file is put in ``.blurscan-thumbs`` under the
cache key of every photo, history included (as the review page had made them when the photos were reviewed),
and the cleanup ``blurscan review`` runs at its start (:func:`blurscan.review.prune.prune`) goes through them.
The review page's keep / discard is timed through its test client (median of 21 decisions).
Each command runs in a child process through the real CLI (``python -m blurscan ...``); its CPU time (user and
system, from ``os.wait4``) is shown, as its wall time swings with the load of the shared 2-core box.

``--src DIR`` runs another checkout's ``src`` (``git archive <commit> src | tar -x -C /tmp/old``) for a before /
after comparison of the cleanup.

Usage: ``python bench/history_growth.py [N] [--history H ...] [--src DIR]``. Prints a markdown table (recorded in
``docs/benchmarks-commands.md``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from commands_scale import _key, build

PER_BATCH = 150


def add_history(root: Path, h: int) -> None:
    """``h`` photos moved away or trashed by done batches of :data:`PER_BATCH`, gone from everywhere since."""
    import sqlite3

    con = sqlite3.connect(root / ".blurscan.db")
    record = json.loads(con.execute("SELECT record FROM images LIMIT 1").fetchone()[0])
    now, key = time.time(), _key()
    with con:
        for b in range(h // PER_BATCH):
            kind = "move" if b % 2 else "trash"
            bid = con.execute("INSERT INTO batches (kind, destination, created_at, state, folders_journaled) "
                              "VALUES (?, ?, ?, 'done', 1)", (kind, str(root.parent / "rejects"),
                                                              now - 86400 * 365 + b * 3600)).lastrowid
            paths = [str(root / "history" / f"{b // 40:04d}" / f"IMG_{b:05d}_{k:03d}.jpg") for k in range(PER_BATCH)]
            con.executemany("INSERT INTO journal (batch_id, src, dst, size, sha256, state, updated_at, mtime_ns, "
                            "sample_sha256) VALUES (?, ?, ?, 7, ?, 'done', ?, ?, ?)",
                            [(bid, p, str(root.parent / "rejects" / os.path.basename(p)), "0" * 64, now, 10**18,
                              "0" * 64) for p in paths])
            con.executemany("INSERT INTO images (path, size, mtime_ns, cache_key, status, verdict, p_blurry, record, "
                            "scanned_at) VALUES (?, 7, ?, ?, 'ok', 'blurry', 0.9, ?, ?)",
                            [(p, 10**18, key, json.dumps(dict(record, path=p, size=7, mtime_ns=10**18)), now)
                             for p in paths])
            con.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                            "VALUES (?, 'discard', 7, ?, ?)", [(p, 10**18, now) for p in paths])
            con.executemany("INSERT INTO decision_log (path, decision, at) VALUES (?, 'discard', ?)",
                            [(p, now) for p in paths])
    con.close()


def thumbnails(root: Path) -> int:
    """A thumbnail file (a few bytes) for every photo of the database, dated a day ago; how many."""
    from blurscan.review.thumbs import THUMB_LONG_SIDE, cache_key
    from blurscan.store import Store, path_from_db

    cache, day_ago, n = root / ".blurscan-thumbs", time.time() - 86400, 0
    with Store(root / ".blurscan.db", readonly=True) as store:
        for path, size, mtime_ns in store.conn.execute("SELECT path, size, mtime_ns FROM images"):
            name = cache_key(path_from_db(path), size, mtime_ns, THUMB_LONG_SIDE)
            (cache / name[:2]).mkdir(parents=True, exist_ok=True)
            (cache / name[:2] / f"{name}.jpg").write_bytes(b"\xff\xd8\xff\xe0")
            os.utime(cache / name[:2] / f"{name}.jpg", (day_ago, day_ago))
            n += 1
    return n


def cpu(args: list[str], env: dict) -> float:
    """CPU seconds (user and system) of one ``python -m blurscan ARGS`` child, which must succeed: steadier than
    its wall time on a loaded machine."""
    child = subprocess.Popen([sys.executable, "-m", "blurscan", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"blurscan {' '.join(args)} failed"
    return usage.ru_utime + usage.ru_stime


_DECISIONS = """
import sys, time
from blurscan.review import security
from blurscan.review.app import create_app
base, token = "http://127.0.0.1:5123", "bench"
client = create_app(sys.argv[1], token, port=5123).test_client()
client.get(f"/?token={token}", base_url=base)
items = client.get("/api/items?filter=all", base_url=base).get_json()["items"][:21]
spent = []
for i, item in enumerate(items):
    t = time.process_time()
    r = client.post("/api/decision", json={"id": item["id"], "decision": "keep" if i % 2 else "discard"},
                    headers={security.CSRF_HEADER: security.csrf_token(token), "Origin": base}, base_url=base)
    spent.append(time.process_time() - t)
    assert r.status_code == 200, r.data
print(sorted(spent)[len(spent) // 2])
"""


def decision_ms(root: Path, env: dict) -> str:
    """The review page's keep / discard (``POST /api/decision``, its test client): median CPU ms of 21."""
    out = subprocess.run([sys.executable, "-c", _DECISIONS, str(root / ".blurscan.db")], env=env, check=True,
                         capture_output=True, text=True).stdout
    return f"{1000 * float(out):.0f}"


def prune_kept(root: Path, env: dict) -> str:
    """The thumbnails :func:`blurscan.review.prune.prune` kept, as the table's row under "thumbnails before" says
    them: a count (the table in docs/benchmarks-commands.md; until 2026-12-06 this printed "2,000 kept, 15,000
    removed", where the table shows 2,000: what went is the row above less this one)."""
    code = ("import sys; from blurscan.review import prune; d = prune.prune(sys.argv[1], sys.argv[2]); "
            "print(d.kept)")
    out = subprocess.run([sys.executable, "-c", code, str(root / ".blurscan.db"), str(root / ".blurscan-thumbs")],
                         env=env, check=True, capture_output=True, text=True).stdout.split()
    return f"{int(out[0]):,}"


def one_library(n: int, h: int, env: dict) -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "lib"
        subprocess.run([sys.executable, __file__, "--build", str(n), str(h), str(root)], env=env, check=True)
        env = dict(env, XDG_DATA_HOME=str(tmp / "xdg"))
        r = str(root)
        rescan = ["scan", r, "--model", "none", "--format", "jsonl", "-o", os.devnull]
        cpu(rescan, env)  # (the first re-scan records each file's sample: not timed)
        for name, args in (("`scan` unchanged", rescan), ("`report`", ["report", r, "-o", os.devnull]),
                           ("`bursts`", ["bursts", r, "-o", os.devnull]),
                           ("`move` (dry run, the discards)", ["move", r, "--to", str(tmp / "rej")]),
                           ("`undo --list`", ["undo", r, "--list"])):
            out[name + " (CPU s)"] = f"{cpu(args, env):.2f}"
        out["review: a keep or discard (CPU ms)"] = decision_ms(root, env)
        out["database (MB)"] = f"{(root / '.blurscan.db').stat().st_size / 1e6:.1f}"
        out["thumbnails before `review`'s cleanup"] = f"{thumbnails(root):,}"
        out["after it"] = prune_kept(root, env)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="photos in the library (default 2000)")
    parser.add_argument("--history", type=int, nargs="+", default=[0, 15000, 60000], metavar="H",
                        help="photos of history (default 0 15000 60000)")
    parser.add_argument("--src", help="another checkout's src folder, whose commands are run instead")
    parser.add_argument("--build", nargs=3, metavar=("N", "H", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(Path(args.build[2]), int(args.build[0]))
        add_history(Path(args.build[2]), int(args.build[1]))
        return
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    columns = [one_library(args.n, h, env) for h in args.history]
    print(f"| {args.n:,} photos ({os.getloadavg()[0]:.1f} load) | "
          + " | ".join(f"history {h:,}" for h in args.history) + " |")
    print("|---|" + "---:|" * len(args.history))
    for row in columns[0]:
        print(f"| {row} | " + " | ".join(col[row] for col in columns) + " |")


if __name__ == "__main__":
    main()
