"""Peak memory and time of ``blurscan report`` on a large library, per output format.

Builds a synthetic library of N one-byte files in nested folders and fills its database with a record for every
file through the store's API (as a scan would store them, without decoding anything): records shaped like a
real scan's (eight scores, a 9x10 grid, about 1.4 kB of JSON), a mix of blurry / partial / sharp verdicts,
``--model none`` rows (no ``p_blurry``) and errors. Then runs ``blurscan report ROOT --format F`` in a child
process for each format, its output piped to nothing, and reads the child's peak resident memory
(``ru_maxrss`` from ``os.wait4``). The first row, a library of 100 files, is the interpreter and imports alone.

The library is built in a child process of its own (``--build``): a child's ``ru_maxrss`` counts the parent's
resident memory at the fork, and until 2026-12-07 the parent built the records itself, so that every row above
the first read the builder's memory (69-70 MiB at 20,000 and 50,000 photos, "flat"), not the report's (51-54
MiB at 20,000 with ``/usr/bin/time``; 63-70 MiB at 50,000 by this script since).

``--src DIR`` runs the report of another checkout's ``src`` (the one before streaming, say: ``git archive
<commit> src | tar -x -C /tmp/old``) against the same database, for an old-vs-new table.

Usage: ``python bench/report_memory.py [N ...] [--src DIR]`` (default 50000). Prints a markdown table.
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

from blurscan.records import ScanRecord
from blurscan.store import Store

FORMATS = ("table", "jsonl", "csv")


def build(root: Path, db: Path, n: int, seed: int = 0) -> None:
    """``n`` files under ``root`` (250 a folder) and a stored record for each in ``db``."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        folder = root / f"{2000 + i // 5000}" / f"{(i // 250) % 20:02d}"
        if i % 250 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"IMG_{i:06d}.jpg"
        path.write_bytes(b"x")
        st = path.stat()
        records.append(_record(str(path), st.st_size, st.st_mtime_ns, rng))
        if len(records) == 5000:
            _put(db, records)
            records = []
    _put(db, records)


def _record(path: str, size: int, mtime_ns: int, rng: random.Random) -> ScanRecord:
    kind = rng.random()
    if kind < 0.02:
        return ScanRecord(path=path, status="error", error="cannot decode: truncated JPEG", size=size,
                          mtime_ns=mtime_ns)
    model = kind >= 0.1  # 8% scored with --model none
    p = rng.random()
    verdict = ("blurry" if p > 0.7 else "partial" if p > 0.55 else "sharp") if model else \
        ("blurry" if p > 0.8 else "sharp")
    return ScanRecord(
        path=path, verdict=verdict, p_blurry=p if model else None, blur_type=rng.choice(("none", "defocus",
        "motion")) if model else None, laplacian_var=rng.uniform(5, 5000),
        scores={name: rng.uniform(0, 100) for name in ("laplacian_var_norm", "tenengrad", "textured_fraction",
                "sharp_tile_fraction", "textured_tiles", "sharp_tiles", "sharp_tile_ratio", "coarse_gradient")},
        grid=[[round(rng.random(), 3) for _ in range(10)] for _ in range(9)], grid_box=[0.0, 0.0, 1.0, 1.0],
        width=4032, height=3024, size=size, mtime_ns=mtime_ns, format="JPEG", captured_at="2024-05-01T10:00:00",
        phash=f"{rng.getrandbits(64):016x}", model_version="2026.12.04+8ff75eac" if model else None,
        measure_version="m1.2.2.1.2.2.4", ctime_ns=mtime_ns, sample=f"{rng.getrandbits(64):016x}")


def _put(db: Path, records: list[ScanRecord]) -> None:
    with Store(db) as store:
        store.put(records, "bench")


def measure(root: Path, db: Path, fmt: str, src: str | None) -> tuple[float, float, int]:
    """(peak resident MiB, seconds, output bytes) of one ``blurscan report`` child."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "blurscan", "report", str(root), "--db", str(db),
                                  "--format", fmt], stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        assert os.waitstatus_to_exitcode(status) == 0, f"report --format {fmt} failed"
        out.seek(0, os.SEEK_END)
        return usage.ru_maxrss / 1024, seconds, out.tell()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[50000])
    parser.add_argument("--src", help="another checkout's src folder, reported beside this one's")
    parser.add_argument("--build", nargs=3, metavar=("N", "ROOT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(Path(args.build[1]), Path(args.build[2]), int(args.build[0]))
        return
    srcs = [("this", None)] + ([("--src", args.src)] if args.src else [])
    print("| files | format | " + " | ".join(f"{name}: peak RSS (MiB) | {name}: time (s)" for name, _ in srcs) +
          " |")
    print("|---:|---|" + "---:|---:|" * len(srcs))
    for n in [100] + args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root, db = Path(tmp) / "lib", Path(tmp) / "lib.db"
            subprocess.run([sys.executable, __file__, "--build", str(n), str(root), str(db)], check=True)
            for fmt in FORMATS:
                cells, sizes = [], set()
                for _, src in srcs:
                    mib, seconds, size = measure(root, db, fmt, src)
                    cells += [f"{mib:.0f}", f"{seconds:.2f}"]
                    sizes.add(size)
                same = "" if len(sizes) == 1 else " (outputs differ in size!)"
                print(f"| {n} | {fmt}{same} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
