"""The review server's routes on a large library: each route the page calls when it loads and at each key press.

A library of ``--photos`` photos (default 50,000) in folders of 500 is written straight into a store (no image
decoded: the routes measured here read the database and only ``stat`` or list the files, so each file is a
few zero bytes), a fifth of them flagged, ``--burst-shots`` (default 20,000) of them in burst groups of 3 to 5
shots with the file identity ``blurscan bursts`` stores, and ``--decisions`` (default 300) keep / discard
decisions. The real Flask app is driven through its test client, as the browser would.

Each route's time is given as a ratio to a baseline measured in the same run on the same database (the
database opened, as each request does, and ``SELECT COUNT(*), SUM(size) FROM images``: one pass over the
table, what a figure of the whole library costs at least), so the figures compare across machines; the
absolute times are printed too. Median of ``--repeat`` runs (at most 40), each after one run to warm up. Then
each route's peak memory: the most Python held allocated at once during one more run, above what it held before
(``tracemalloc``, which slows that run: it is not timed). The ``all`` list (every photo of the library, in one
answer: some 400 bytes of JSON a photo) has its row since 2026-12-06.

Usage: ``python bench/review_scale.py [--photos 50000] [--burst-shots 20000] [--decisions 300] [--repeat 5]
[--profile ROUTE]``; prints a markdown table (recorded in ``docs/review.md``). ``--profile`` prints the
cProfile of one route instead (``items``, ``items_first``, ``items_all``, ``summary``, ``decision``, ``undo``,
``bursts``, ``bursts_first``, ``keeper``).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store

PORT = 5199
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "bench-review-scale"
CSRF = {security.CSRF_HEADER: security.csrf_token(TOKEN), "Origin": BASE}


def build(root: Path, photos: int, burst_shots: int, decisions: int, seed: int = 0) -> Path:
    """Write the library's files and its database under ``root``; returns the database.

    Beside the photos, what a library lived in has, so that every path of the routes is taken: one photo in 50
    with a sidecar (``.xmp``), one in 1000 unreadable (an error record), a few decisions made on an earlier
    version of the file, a sub-folder's own database (``2000/.blurscan.db``) keeping a few photos, a few photos
    moved away by ``blurscan move`` (journaled), a few deleted by hand and a few burst shots replaced by
    another file since ``blurscan bursts`` ran."""
    rng = random.Random(seed)
    records, paths = [], []
    for i in range(photos):
        folder = root / f"{2000 + i // 5000}" / f"{i // 500:03d}"
        if i % 500 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"IMG_{i:06d}.jpg"
        path.write_bytes(b"\0" * (16 + i % 64))
        if i % 50 == 7:
            path.with_suffix(".xmp").write_bytes(b"\0" * 300)
        st = os.stat(path)
        paths.append((str(path), st.st_size, st.st_mtime_ns))
        if i % 1000 == 999:
            records.append(ScanRecord(path=str(path), status="error", error="truncated JPEG", size=st.st_size,
                                      mtime_ns=st.st_mtime_ns))
            continue
        roll = rng.random()
        verdict = "blurry" if roll < 0.12 else "partial" if roll < 0.2 else "sharp"
        p = rng.random() * 0.3 + (0.7 if verdict == "blurry" else 0.4 if verdict == "partial" else 0.0)
        records.append(ScanRecord(path=str(path), verdict=verdict, p_blurry=round(p, 4), size=st.st_size,
                                  mtime_ns=st.st_mtime_ns, width=4000, height=3000, format="JPEG",
                                  captured_at=f"2024-01-01T00:{(i // 60) % 60:02d}:{i % 60:02d}",
                                  sample=f"{i:016x}", blur_type="defocus" if verdict != "sharp" else "none",
                                  laplacian_var=round(rng.random() * 500, 2), phash=f"{rng.getrandbits(64):016x}"))
    db = root / ".blurscan.db"
    now = time.time()
    with Store(db) as store:
        store.put(records, "bench")
        rows, group, i = [], 0, 0
        while i < min(burst_shots, photos):
            n = rng.randint(3, 5)
            group += 1
            for rank, (path, size, mtime) in enumerate(paths[i:i + n], 1):
                figures = {"lap_var": round(rng.random() * 500, 2), "p_blurry": round(rng.random(), 4),
                           "_file": {"size": size, "mtime_ns": mtime, "sample": f"{i + rank - 1:016x}"}}
                rows.append((group, path, rank, int(rank == 1), "sharpest" if rank == 1 else "less sharp",
                             json.dumps(figures), "auto"))
            i += n
        chosen = rng.sample(paths, min(decisions, photos))
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason, figures, chosen_by) "
                             "VALUES (?,?,?,?,?,?,?)", rows)
            conn.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                             [(p, rng.choice(("keep", "discard")), s + (k % 30 == 0), m, now)
                              for k, (p, s, m) in enumerate(chosen)])  # one in 30 on an earlier version
            batch = conn.execute("INSERT INTO batches (kind, destination, created_at, state) "
                                 "VALUES ('move', ?, ?, 'done')", (str(root.parent / "rejects"), now)).lastrowid
            moved = [paths[k] for k in rng.sample(range(photos), min(20, photos))]
            conn.executemany("INSERT INTO journal (batch_id, src, dst, size, state, updated_at) "
                             "VALUES (?, ?, ?, ?, 'done', ?)",
                             [(batch, p, p + ".moved", s, now) for p, s, _m in moved])
    for path, _s, _m in moved + [paths[k] for k in rng.sample(range(photos), min(20, photos))]:
        if os.path.exists(path):
            os.remove(path)  # moved by blurscan, or deleted by hand
    for k in range(0, min(burst_shots, photos), max(1, min(burst_shots, photos) // 10))[1:]:
        if os.path.exists(paths[k][0]):
            Path(paths[k][0]).write_bytes(b"\1" * 200)  # another photo under a burst shot's name
    if photos >= 5000:  # a sub-folder scanned and reviewed on its own before the library
        with Store(root / "2000" / ".blurscan.db") as sub:
            kept = [paths[k] for k in rng.sample(range(5000), 50)]
            sub.put([r for r in records if r.path in {p for p, _s, _m in kept}], "bench")
            with sub.transaction() as conn:
                conn.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                                 "VALUES (?, 'keep', ?, ?, ?)", [(p, s, m, now) for p, s, m in kept])
    return db


def client(db: Path):
    app = create_app(db, TOKEN, port=PORT)
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return app, c


def ok(response):
    assert response.status_code == 200, (response.status_code, response.data[:300])
    return response.get_json()


def routes(c, db: Path):
    """name -> a call of one route (``(what the page does, callable)``), in the order the page makes them."""
    items = [it for it in ok(c.get("/api/items?filter=flagged", base_url=BASE))["items"] if "gone" not in it]
    # (not a burst shot build() replaced by another file: a decision on it is refused, 409, as changed since the
    # scan; on a small library these come among the first photos decided on)
    items = [it for it in items if os.stat(it["path"]).st_size == it["size"]]
    target = items[len(items) // 2]
    bursts = ok(c.get("/api/bursts", base_url=BASE))["groups"]
    group = bursts[len(bursts) // 2]
    state = {"change": None, "flip": 0}

    def decision():
        state["flip"] ^= 1
        out = ok(c.post("/api/decision", json={"id": target["id"], "decision": ("keep", "discard")[state["flip"]],
                                               "v": target["v"]}, base_url=BASE, headers=CSRF))
        state["change"] = out["change"]

    undoable = []  # decisions made beforehand, on other photos, for `u` to undo one each time
    for other in items[:42]:  # (one for each call: the warm-up, --repeat at most 40 and the memory's)
        undoable.append(ok(c.post("/api/decision", json={"id": other["id"], "decision": "discard", "v": other["v"]},
                                  base_url=BASE, headers=CSRF))["change"])

    def undo():
        ok(c.post("/api/undo", json={"change": undoable.pop()}, base_url=BASE, headers=CSRF))

    def keeper():
        state["flip"] ^= 1
        shot = group["photos"][state["flip"]]
        ok(c.post(f"/api/bursts/{group['group_id']}/keeper", json={"id": shot["id"], "v": shot["v"]},
                  base_url=BASE, headers=CSRF))

    def page_then_items():  # the page loaded again (its caches emptied, other names looked for again), its list
        assert c.get("/", base_url=BASE).status_code == 200
        ok(c.get("/api/items?filter=flagged", base_url=BASE))

    def page_then_bursts():  # the page loaded again (its caches emptied), then `b`
        assert c.get("/", base_url=BASE).status_code == 200
        ok(c.get("/api/bursts", base_url=BASE))

    def baseline():
        with Store(db, create=False) as store:
            store.conn.execute("SELECT COUNT(*), SUM(size) FROM images").fetchone()

    return {
        "baseline": ("baseline: `SELECT COUNT(*), SUM(size) FROM images` (a database opened, one pass over the "
                     "table)", baseline),
        "items": ("`GET /api/items` (page load: the flagged photos, with the header's figures)",
                  lambda: ok(c.get("/api/items?filter=flagged", base_url=BASE))),
        "items_first": ("`GET /api/items`, the first after the page loads (other names, RAW twins, sidecars and "
                        "keeps elsewhere looked up)", page_then_items),
        "items_all": ("`GET /api/items?filter=all` (Show: all: every photo of the library)",
                      lambda: ok(c.get("/api/items?filter=all", base_url=BASE))),
        "summary": ("`GET /api/summary` (the header's figures)", lambda: ok(c.get("/api/summary", base_url=BASE))),
        "decision": ("`POST /api/decision` (`k` / `d`)", decision),
        "undo": ("`POST /api/undo` (`u`)", undo),
        "bursts": ("`GET /api/bursts` (`b`: the bursts view)", lambda: ok(c.get("/api/bursts", base_url=BASE))),
        "bursts_first": ("`GET /api/bursts`, the first after the page loads (keeps elsewhere looked up)",
                         page_then_bursts),
        "keeper": ("`POST /api/bursts/<group>/keeper` (`Space`: make keeper)", keeper),
    }


def peak(fn) -> float:
    """The most memory (MB) Python held allocated at once during one more call of ``fn``, above what it held before
    (:mod:`tracemalloc`: the objects made for the answer, the JSON text and its bytes)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def timed(fn, repeat: int) -> float:
    fn()  # warm: the page's caches (companions, keeps elsewhere) are filled by its first requests
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=50_000)
    ap.add_argument("--burst-shots", type=int, default=20_000)
    ap.add_argument("--decisions", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5, choices=range(1, 41), metavar="1-40")
    ap.add_argument("--profile", choices=("items", "items_first", "items_all", "summary", "decision", "undo", "bursts",
                                          "bursts_first", "keeper"))
    ap.add_argument("--dir", help="build the library here (default: a temporary folder, removed after)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="blurscan-review-scale-", dir=args.dir) as tmp:
        start = time.perf_counter()
        db = build(Path(tmp), args.photos, args.burst_shots, args.decisions)
        built = time.perf_counter() - start
        _app, c = client(db)
        calls = routes(c, db)
        if args.profile:
            fn = calls[args.profile][1]
            fn()
            profile = cProfile.Profile()
            profile.enable()
            fn()
            profile.disable()
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
            return 0
        results = {name: timed(fn, args.repeat) for name, (_what, fn) in calls.items()}
        memory = {name: peak(fn) for name, (_what, fn) in calls.items()}
    base = results["baseline"]
    print(f"{args.photos:,} photos, {args.burst_shots:,} in burst groups of 3-5, {args.decisions} decisions "
          f"(built in {built:.0f} s); Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs; median of {args.repeat}\n")
    print("| route | time | x baseline | peak memory |")
    print("|---|---:|---:|---:|")
    for name, (what, _fn) in calls.items():
        print(f"| {what} | {results[name] * 1000:.0f} ms | {results[name] / base:.1f} | {memory[name]:.1f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
