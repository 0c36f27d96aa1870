"""Re-scan speed of an unchanged library (target: >= 10,000 files/s).

Builds a synthetic library of N small files in nested folders, fills a database with a stored record for every
file (as a first scan would, without spending minutes decoding), then times a second ``blurscan.scan`` over it:
walk + bulk cache lookup + yielding every record + pruning. The baseline, in the same process, is the cheapest
possible walk (``os.walk`` + ``os.stat`` of every file), so the ratio says how much the cache costs on top.

A second table times the scan after the library's first top folder (5,000 files) was renamed by hand: its
photos are found again by name, size and time (``blurscan.renamed``), not decoded; the ratio is to the unchanged
re-scan above.

The records are written as a blurscan from before 2026-12-03 stored them, without the file's status-change time
and byte sample (:mod:`blurscan.replaced`): the first re-scan reads the sample of every file once (128 KiB, here
a few bytes) and stores it with the time, which the table's last column times; the re-scan's own figure is the
best of three after it, with nothing to read.

Usage: ``python bench/rescan.py [N ...]`` (default 20000). Prints markdown tables.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import blurscan
from blurscan import pipeline
from blurscan.config import ScanSettings
from blurscan.records import ImageRef, ScanRecord
from blurscan.store import Store
from blurscan.walk import walk


def build(root: Path, n: int) -> None:
    per_folder = 250
    for i in range(n):
        folder = root / f"{2000 + i // 5000}" / f"{(i // per_folder) % 20:02d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"IMG_{i:06d}.jpg").write_bytes(b"\xff\xd8\xff" + i.to_bytes(4, "big"))


def fill_db(db: Path, root: Path, settings: ScanSettings) -> None:
    key = pipeline.cache_key(settings, None)
    refs = [r for r in walk([root]) if isinstance(r, ImageRef)]
    scores = pipeline.blank_scores()
    records = [ScanRecord(path=r.path, size=r.size, mtime_ns=r.mtime_ns, verdict="sharp", laplacian_var=250.0,
                          scores={k: 0.5 for k in scores}, width=4032, height=3024, format="JPEG",
                          measure_version="x") for r in refs]
    with Store(db) as store:
        for start in range(0, len(records), 5000):
            store.put(records[start:start + 5000], key)


def baseline(root: Path) -> int:
    n = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.stat(os.path.join(folder, name))
            n += 1
    return n


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main(sizes: list[int]) -> None:
    settings = ScanSettings(workers=1, model="none")
    print("| files | os.walk+stat (s) | blurscan.scan re-scan (s) | files/s | ratio to walk | CLI re-scan, jsonl (s) "
          "| first re-scan, records without a sample (s) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    renamed_rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "lib"
            build(root, n)
            db = Path(tmp) / "lib.db"
            fill_db(db, root, settings)
            t_walk, count = best_of(lambda: baseline(root))
            assert count == n
            t_first, records = best_of(lambda: list(blurscan.scan([root], settings, db=db)), repeat=1)
            assert len(records) == n and all(r.cached for r in records)
            t_scan, records = best_of(lambda: list(blurscan.scan([root], settings, db=db)))
            assert len(records) == n and all(r.cached for r in records)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(db), "--model", "none",
                            "--format", "jsonl", "--output", os.devnull], check=True, capture_output=True)
            t_cli = time.perf_counter() - t0
            print(f"| {n} | {t_walk:.3f} | {t_scan:.3f} | {n / t_scan:,.0f} | {t_scan / t_walk:.1f}x | {t_cli:.2f} "
                  f"| {t_first:.3f} ({t_first / t_scan:.1f}x) |")
            os.rename(root / "2000", root / "2000-renamed")
            t0 = time.perf_counter()
            records = list(blurscan.scan([root], settings, db=db))
            t_renamed = time.perf_counter() - t0
            moved = sum(os.sep + "2000-renamed" + os.sep in r.path for r in records)
            reused = sum(r.cached for r in records if os.sep + "2000-renamed" + os.sep in r.path)
            renamed_rows.append(f"| {n} | {moved} | {reused} | {t_renamed:.3f} | {t_renamed / t_scan:.1f}x |")
    print()
    print("| files | renamed by hand | of them reused | scan after the rename (s) | ratio to unchanged re-scan |")
    print("|---:|---:|---:|---:|---:|")
    print("\n".join(renamed_rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20000], metavar="N",
                        help="library sizes, one table row each (default 20000)")
    main(parser.parse_args().sizes)
