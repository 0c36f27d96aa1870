"""Time and peak memory of every command but the plain re-scan on a large library, as ratios to that re-scan.

Builds a library of N one-file-a-photo tiny files (default 100,000; 250 a folder, as ``bench/rescan.py``) and
fills its database with a record for every file through the store's API, without decoding anything (as
``bench/rescan.py`` does): records shaped like a real scan's (eight scores, a 9x10 grid), 10 % blurry, 5 %
partial, the rest sharp, each with a perceptual hash and an EXIF capture time, one photo in five in a burst of
3 to 5 shots half a second apart (near-identical hashes), and one photo in 50 marked discard. Then runs each
command with the real CLI in a child process (``python -m blurscan ...``, its output to a file or to nothing)
and reads its peak resident memory (``ru_maxrss`` from ``os.wait4``). The baseline, run in the same process
against the same library just before, is an unchanged ``blurscan scan --model none`` (every record reused):
each command's ratio is its time over the baseline's, so that figures compare across runs on a shared, noisy
machine. The cleanup commands move, tag or trash the blurry photos (10 %), and each is undone at once.
``trash`` uses a trash under the temporary folder (``XDG_DATA_HOME``). Last, ``scan`` after 1 % of the files
changed (each is scored again: here an unreadable file, an error record).

A second table: ``tag --xmp --yes`` in one camera folder of N2 photos named ``IMG_0001.JPG`` ..., all blurry
(default 1,000 and 4,000; under ``/dev/shm`` when it exists, so that fsync costs little and the work shows):
time and time per photo. Until 2026-12-06 every sidecar tag created (``IMG_0001.JPG.xmp``, which has the shape
of a darktable duplicate's sidecar) made the next photo look at all of the folder's names again: quadratic.

``--src DIR`` runs the commands of another checkout's ``src`` (``git archive <commit> src | tar -x -C /tmp/old``)
instead of this one's, for a before / after comparison.

Usage: ``python bench/commands_scale.py [N] [--folder N2 ...] [--src DIR]``. Prints markdown tables (recorded in
``docs/benchmarks-commands.md``).
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path



def _key() -> str:
    from blurscan import pipeline
    from blurscan.config import ScanSettings

    return pipeline.cache_key(ScanSettings(workers=1, model="none"), None)


def build(root: Path, n: int, seed: int = 0) -> None:
    """``n`` files under ``root`` (250 a folder) and a stored record for each in ``root/.blurscan.db``."""
    from blurscan.records import ImageRef, ScanRecord
    from blurscan.store import Store
    from blurscan.walk import walk

    rng = random.Random(seed)
    for i in range(n):
        folder = root / f"{2000 + i // 5000}" / f"{(i // 250) % 20:02d}"
        if i % 250 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{i:06d}.jpg").write_bytes(b"\xff\xd8\xff" + i.to_bytes(4, "big"))
    refs = sorted((r for r in walk([root]) if isinstance(r, ImageRef)), key=lambda r: r.path)
    records, when, left, burst_hash = [], 1_700_000_000.0, 0, 0
    for ref in refs:
        roll = rng.random()
        verdict = "blurry" if roll < 0.10 else "partial" if roll < 0.15 else "sharp"
        if left == 0 and rng.random() < 0.05:
            left, burst_hash = rng.randint(3, 5), rng.getrandbits(64)
        if left:
            left -= 1
            phash, when = burst_hash ^ (1 << rng.randrange(64)), when + 0.5
        else:
            phash, when = rng.getrandbits(64), when + 200 + rng.random() * 100
        records.append(ScanRecord(
            path=ref.path, size=ref.size, mtime_ns=ref.mtime_ns, ctime_ns=ref.ctime_ns, verdict=verdict,
            p_blurry=round(rng.random() * 0.3 + {"blurry": 0.7, "partial": 0.4}.get(verdict, 0.0), 4),
            blur_type="defocus", laplacian_var=round(rng.random() * 500, 2),
            scores={f"s{k}": 0.5 for k in range(8)}, grid=[[round(rng.random(), 3) for _ in range(10)]
                                                           for _ in range(9)],
            grid_box=[0.0, 0.0, 1.0, 1.0], width=4032, height=3024, format="JPEG",
            captured_at=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)), phash=f"{phash:016x}"))
    with Store(root / ".blurscan.db") as store:
        for start in range(0, len(records), 5000):
            store.put(records[start:start + 5000], _key())
        with store.transaction() as conn:
            conn.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                             "VALUES (?, 'discard', ?, ?, ?)", [(r.path, r.size, r.mtime_ns, time.time())
                                                                for r in rng.sample(records, n // 50)])


def run(args: list[str], env: dict) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one ``python -m blurscan ARGS`` child, which must succeed."""
    with tempfile.TemporaryFile() as errors:  # (a file: a pipe not read until the end would fill and stop it)
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "blurscan", *args], stdout=subprocess.DEVNULL,
                                 stderr=errors, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        errors.seek(0)
        assert os.waitstatus_to_exitcode(status) == 0, \
            f"blurscan {' '.join(args)} failed: {errors.read()[-2000:].decode(errors='replace')}"
    return seconds, usage.ru_maxrss / 1024


def commands(root: Path, tmp: Path) -> list[tuple[str, list[str]]]:
    """(row name, CLI arguments), in the order run; each cleanup run is followed by its undo."""
    r, rejects, null = str(root), str(tmp / "rejects"), os.devnull
    return [
        ("`report` (table)", ["report", r, "-o", str(tmp / "r.txt")]),
        ("`report --format jsonl`", ["report", r, "--format", "jsonl", "-o", str(tmp / "r.jsonl")]),
        ("`report --format csv`", ["report", r, "--format", "csv", "-o", str(tmp / "r.csv")]),
        ("`bursts`", ["bursts", r, "-o", null]),
        ("`move --all-blurry` (dry run)", ["move", r, "--all-blurry", "--to", rejects]),
        ("`move --all-blurry --from-bursts` (dry run)", ["move", r, "--all-blurry", "--from-bursts", "--to", rejects]),
        ("`trash --all-blurry` (dry run)", ["trash", r, "--all-blurry"]),
        ("`tag --xmp --dry-run`", ["tag", r, "--xmp", "--dry-run"]),
        ("`tag --xmp --yes`", ["tag", r, "--xmp", "--yes"]),
        ("`undo` (the tag batch)", ["undo", r]),
        ("`move --all-blurry --yes`", ["move", r, "--all-blurry", "--to", rejects, "--yes"]),
        ("`undo` (the move batch)", ["undo", r]),
        ("`trash --all-blurry --yes`", ["trash", r, "--all-blurry", "--yes"]),
        ("`undo` (the trash batch)", ["undo", r]),
        ("`undo --list`", ["undo", r, "--list"]),
    ]


def change_one_in_100(root: Path) -> int:
    """Rewrite every 100th photo (another size and time): the next scan scores it again."""
    paths = sorted(p for p in root.rglob("*.jpg"))
    for k, path in enumerate(paths[::100]):
        path.write_bytes(b"\xff\xd8\xff\x00changed" + k.to_bytes(4, "big"))
    return len(paths[::100])


def library_table(n: int, env: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "lib"
        subprocess.run([sys.executable, __file__, "--build-library", str(n), str(root)], env=env, check=True)
        env = dict(env, XDG_DATA_HOME=str(tmp / "xdg"))
        rescan = ["scan", str(root), "--model", "none", "--format", "jsonl", "-o", os.devnull]
        run(rescan, env)  # the first re-scan records each file's sample (blurscan.replaced): not the baseline
        base, base_mib = run(rescan, env)
        print(f"| command ({n:,} photos; {os.getloadavg()[0]:.1f} load) | time (s) | ratio to the unchanged re-scan "
              "| peak RSS (MiB) |")
        print("|---|---:|---:|---:|")
        print(f"| `scan` unchanged (baseline) | {base:.2f} | 1.00 | {base_mib:.0f} |", flush=True)
        for name, args in commands(root, tmp):
            seconds, mib = run(args, env)
            print(f"| {name} | {seconds:.2f} | {seconds / base:.2f} | {mib:.0f} |", flush=True)
        changed = change_one_in_100(root)
        seconds, mib = run(rescan, env)
        print(f"| `scan` after {changed:,} files (1 %) changed | {seconds:.2f} | {seconds / base:.2f} | {mib:.0f} |")


def folder_table(sizes: list[int], env: dict) -> None:
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    print(f"| photos in one folder ({os.getloadavg()[0]:.1f} load) | `tag --xmp --yes` (s) | ms a photo |")
    print("|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory(dir=base) as tmp_name:
            subprocess.run([sys.executable, __file__, "--build-folder", str(n), tmp_name], env=env, check=True)
            seconds, _ = run(["tag", tmp_name, "--xmp", "--yes"], env)
            print(f"| {n:,} | {seconds:.2f} | {1000 * seconds / n:.2f} |", flush=True)


def build_folder(top: Path, n: int) -> None:
    """One camera folder ``top/DCIM/100CANON`` of ``n`` photos, every one stored blurry in ``top/.blurscan.db``."""
    from blurscan.records import ImageRef, ScanRecord
    from blurscan.store import Store
    from blurscan.walk import walk

    root = top / "DCIM" / "100CANON"
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"IMG_{i:04d}.JPG").write_bytes(b"\xff\xd8\xff" + i.to_bytes(4, "big"))
    refs = [r for r in walk([root]) if isinstance(r, ImageRef)]
    with Store(top / ".blurscan.db") as store:
        store.put([ScanRecord(path=r.path, size=r.size, mtime_ns=r.mtime_ns, verdict="blurry", p_blurry=0.9,
                              laplacian_var=3.0, width=4000, height=3000, format="JPEG") for r in refs], _key())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=100000, help="photos in the library (default 100000)")
    parser.add_argument("--folder", type=int, nargs="*", default=[1000, 4000], metavar="N2",
                        help="photos in the one folder of the second table (default 1000 4000; `--folder` with no "
                             "number: no table)")
    parser.add_argument("--src", help="another checkout's src folder, whose commands are run instead")
    # (the libraries are built in a child process: a child's peak memory counts the parent's at the fork)
    parser.add_argument("--build-library", "--build-folder", nargs=2, dest="build", metavar=("N", "ROOT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        (build_folder if "--build-folder" in sys.argv else build)(Path(args.build[1]), int(args.build[0]))
        return
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    library_table(args.n, env)
    if args.folder:
        print()
        folder_table(args.folder, env)


if __name__ == "__main__":
    main()
