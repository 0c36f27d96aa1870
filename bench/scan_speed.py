"""First-scan throughput of ``blurscan.scan`` on real photos, as ratios to the seed script in the same process.

The seed baseline is the one-liner blurscan replaces: ``cv2.imread`` + ``cv2.Laplacian(gray, CV_64F).var()``
per file, one process. blurscan runs with ``--model none`` and the default model, with 1 worker and with all
cores; no database, so every file is decoded each time.

Usage: ``python bench/scan_speed.py [N]`` (the N largest real photos of ../shared/data, default 60). Prints a markdown
table. Numbers depend on the machine's load: compare the ratios, measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import time

import cv2

import blurscan
from blurscan.config import ScanSettings, shared_data_dir
from blurscan.datasets import read_manifest


def photos(n: int) -> list[str]:
    entries = read_manifest(shared_data_dir())  # (read as every command reads a manifest: blurscan.manifest_csv)
    entries.sort(key=lambda e: (-e.width * e.height, e.file))  # the largest photos
    return [str(e.path) for e in entries[:n]]


def seed(paths):
    for p in paths:
        gray = cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2GRAY)
        cv2.Laplacian(gray, cv2.CV_64F).var()


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def where(paths: list[str], workers: int) -> str:
    """What a scan of ``paths`` with ``workers`` runs in: :mod:`blurscan.scan_workers` scores a few photos (under
    ``MIN_POOL_FILES``, or under ``POOL_FILES`` holding less than ``MIN_POOL_BYTES``) in its own process whatever
    ``workers`` says, so that a row of ``scan_speed.py 3`` does not name workers that never started."""
    from blurscan import scan_workers

    n, size = len(paths), sum(os.path.getsize(p) for p in paths)
    pooled = workers > 1 and n >= scan_workers.MIN_POOL_FILES and (
        n >= scan_workers.POOL_FILES or size >= scan_workers.MIN_POOL_BYTES)
    if pooled:
        return f"{min(workers, n)} worker(s)"
    return "1 process" if workers == 1 else f"1 process ({workers} workers asked: too small a scan for them)"


def main(n: int) -> None:
    paths = photos(n)
    megapixels = sum(cv2.imread(p, cv2.IMREAD_REDUCED_GRAYSCALE_8).size * 64 for p in paths) / 1e6 / len(paths)
    cores = os.cpu_count() or 1
    seed(paths[:2])
    list(blurscan.scan(paths[:2], ScanSettings(workers=1)))  # warm imports and the model: not part of a scan
    t_seed = timed(lambda: seed(paths))
    print(f"{len(paths)} photos, ~{megapixels:.1f} MP on average, {cores} cores\n")
    print("| run | s | photos/s | ratio to seed |")
    print("|---|---:|---:|---:|")
    print(f"| seed script (imread + float64 Laplacian), 1 process | {t_seed:.2f} | {len(paths) / t_seed:.1f} | 1.00 |")
    for model in ("none", "default"):
        for workers in sorted({1, cores}):
            settings = ScanSettings(workers=workers, model=model)
            t = timed(lambda: list(blurscan.scan(paths, settings)))
            print(f"| blurscan.scan, model {model}, {where(paths, workers)} | {t:.2f} | {len(paths) / t:.1f} | "
                  f"{t_seed / t:.2f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=60,
                        help="the N largest real photos of the shared data (default 60)")
    main(parser.parse_args().n)
