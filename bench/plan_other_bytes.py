"""Cost of checking that each photo a plan takes is still the file decided on (blurscan.actions.other_bytes).

Builds a library of N files of 300 KB each (random bytes: only their size, times and ends matter here), fills a
database with a scan record for every file, as a scan stores it (its status-change time and sampled bytes, a region
grid: 1.5 KB of JSON, as a real photo's; without spending minutes decoding), marks every one discard, then times
``plan_move`` (the dry run's plan) with the check and, in the same process, without it (the plan as it was: the
check replaced by a function that returns its input). Twice: with every status-change time the one recorded (the
fast path: one ``lstat`` a photo), and after a ``chmod`` of every file (each sample read: 128 KiB a photo, here from
the page cache).

Usage: ``python bench/plan_other_bytes.py [N]`` (default 5000). Prints a markdown table.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from blurscan import pipeline
from blurscan.actions import plan as plan_module
from blurscan.config import ScanSettings
from blurscan.records import ImageRef, ScanRecord
from blurscan.samples import sample_of
from blurscan.review import decisions
from blurscan.store import Store
from blurscan.walk import walk

SIZE = 300_000
REPEATS = 5


def build(root: Path, n: int) -> None:
    rng = os.urandom
    for i in range(n):
        folder = root / f"{2000 + i // 1000}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{i:06d}.tif").write_bytes(rng(SIZE))


def fill_db(db: Path, root: Path) -> None:
    key = pipeline.cache_key(ScanSettings(model="none"), None)
    refs = [r for r in walk([root]) if isinstance(r, ImageRef)]
    scores = pipeline.blank_scores()
    grid = [[round(((i * 7 + j * 3) % 100) / 99, 3) if (i + j) % 4 else None for j in range(10)] for i in range(10)]
    records = []
    for ref in refs:
        st = os.stat(ref.path)
        records.append(ScanRecord(path=ref.path, size=ref.size, mtime_ns=ref.mtime_ns, verdict="blurry",
                                  laplacian_var=5.0, scores={k: 0.5 for k in scores}, grid=grid, width=300, height=333,
                                  format="TIFF", measure_version="x", ctime_ns=st.st_ctime_ns,
                                  sample=sample_of(Path(ref.path).read_bytes())))
    with Store(db) as store:
        for start in range(0, len(records), 5000):
            store.put(records[start:start + 5000], key)
        for ref in refs:
            decisions.set_decision(store, ref.path, "discard", size=ref.size, mtime_ns=ref.mtime_ns)


def best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        build(root, n)
        db = root / ".blurscan.db"
        fill_db(db, root)
        dest = Path(tmp) / "rejects"
        real = plan_module.drop_other_files
        rows = []
        with Store(db) as store:
            for case in ("status-change times as recorded", "after `chmod` of every file"):
                if case.startswith("after"):
                    for folder, _dirs, files in os.walk(root):
                        for name in files:
                            os.chmod(os.path.join(folder, name), 0o640)
                taken = len(plan_module.plan_move(store, dest).photos)
                assert taken == n, (taken, n)
                plan_module.drop_other_files = lambda conn, chosen, skipped, under=None: chosen
                try:
                    old = best(lambda: plan_module.plan_move(store, dest))
                finally:
                    plan_module.drop_other_files = real
                new = best(lambda: plan_module.plan_move(store, dest))
                rows.append((case, old, new))
        print(f"| {n:,} discards | plan before | plan with the check | ratio |")
        print("|---|---|---|---|")
        for case, old, new in rows:
            print(f"| {case} | {old:.3f} s | {new:.3f} s | {new / old:.2f}x |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=5000, help="files in the library (default 5000)")
    main(parser.parse_args().n)
