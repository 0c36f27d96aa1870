"""Throughput benchmark: blurscan against the naive seed script, on 12-MP JPEGs with real detail.

Run from the repository root (needs ``../shared/data`` or ``$BLURSCAN_SHARED_DATA``)::

    .venv/bin/python bench/throughput.py                 # 40 images, workers = CPU count
    .venv/bin/python bench/throughput.py --images 40 --rescan-files 10000 --workers 2

It prints a markdown table (paste it into ``docs/benchmarks-throughput.md``). Everything is measured in this
one process run, so the ratios compare like with like on the same machine and load:

* **naive seed path**: ``cv2.imread`` (full colour) + ``cv2.Laplacian(gray, CV_64F).var()``, one process,
  OpenCV's default threads (what a user script does). Every ratio is relative to its images/s.
* **reduced decode only**: :func:`blurscan.decode.decode` with ``baseline=False`` (DCT-scaled decode to
  the analysis size, no measures), one process.
* **decode + baseline**: :func:`blurscan.decode.decode` (adds the full-resolution grayscale decode and the
  exact int16 Laplacian variance), one process; then the same with ``color=False``, as the scan decodes for
  a luminance model (the full-resolution luma also gives the analysis image: one decode).
* **HEIC**: the first ``--heic`` photos saved as HEIC (what iPhones write; pillow-heif, quality 80, cached
  beside the JPEGs) and decoded as the scan does, one process: HEVC has no reduced decode.
* **camera RAW**: the first ``--raw`` photos as DNGs (``tests/helpers_raw.py``: an RGGB mosaic in linear
  light, 12 bits, uncompressed; cached beside the JPEGs), with the photo as a full-size JPEG preview and
  with sensor data only (LibRaw develops it at half size), decoded as the scan does, one process.
* **measures** / **model inference**: per image, on already decoded images, one process, one thread.
* **full scan**: :func:`blurscan.pipeline.scan` of the folder into a fresh database (walk, decode, measures,
  model, phash, store writes) with ``--workers`` processes, default model and ``--model none``.
* **re-scan**: the same call again on an unchanged library of ``--rescan-files`` files whose records are
  already stored (files/s: walk + stat + cache lookup). The stored rows are written directly with the
  pipeline's own cache key (the "DB trick"), so building a 10k-file library takes seconds, not a full scan.
* **peak memory**: RSS of the whole process tree (the scanning process + workers), sampled from ``/proc`` every
  20 ms during each scan, and the largest worker's own peak (``VmHWM``, read at each sample; not ``getrusage``,
  whose ``ru_maxrss`` of a child counts its parent's memory before the child's ``exec``).

The 12-MP images are built without upscaling: 2 x 3 mosaics of 2000 x 1000 crops of the largest photos
in the shared data (DIV2K, sharp and blurred), saved as JPEG quality 92, 4:2:0, cached in
``--cache-dir`` (default: ``$TMPDIR/blurscan-bench``), never in the repository.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from array import array
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

import network_ab  # noqa: E402  (beside this file)
from tree_memory import PeakTreeRSS  # (beside this file)

from blurscan import decode as decode_mod
from blurscan import measures
from blurscan.config import ScanSettings, shared_data_dir

TARGETS = {"scan_ratio": 3.0, "rescan_files_per_s": 10_000, "peak_rss_mb": 500}


# ------------------------------------------------------------------------------------------ corpus

def source_photos(root: Path, min_w: int = 2000, min_h: int = 1000) -> list[Path]:
    """Shared photos large enough to give 2000 x 1000 crops (either orientation)."""
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            continue
        try:
            w, h = Image.open(path).size
        except Exception:
            continue
        if max(w, h) >= min_w and min(w, h) >= min_h:
            out.append(path)
    return out


def build_corpus(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` 4000 x 3000 JPEGs (quality 92) made of real photo crops; reused when already built."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [folder / f"mosaic_{i:03d}.jpg" for i in range(n)]
    if all(p.exists() for p in wanted):
        return wanted
    sources = source_photos(shared_data_dir())
    if not sources:
        raise SystemExit(f"no photos >= 2000 x 1000 under {shared_data_dir()} (set BLURSCAN_SHARED_DATA)")
    photos = []
    for p in sources:
        a = np.asarray(Image.open(p).convert("RGB"))
        photos.append(a if a.shape[1] >= a.shape[0] else np.ascontiguousarray(np.rot90(a)))
    rng = np.random.default_rng(seed)
    for path in wanted:
        if path.exists():
            continue
        rows = []
        for _ in range(3):
            row = []
            for _ in range(2):
                img = photos[rng.integers(len(photos))]
                y = rng.integers(0, img.shape[0] - 1000 + 1)
                x = rng.integers(0, img.shape[1] - 2000 + 1)
                row.append(img[y:y + 1000, x:x + 2000])
            rows.append(np.concatenate(row, axis=1))
        Image.fromarray(np.concatenate(rows, axis=0)).save(path, quality=92)
    return wanted


def build_rescan_library(folder: Path, n: int, settings: ScanSettings, db: Path) -> None:
    """``n`` tiny JPEGs in 100 sub-folders, their records stored with the pipeline's cache key."""
    from blurscan import pipeline
    from blurscan.records import ScanRecord
    from blurscan.samples import sample_of
    from blurscan.store import Store

    if folder.exists():
        shutil.rmtree(folder)
    tiny = folder / "template.jpg"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    Image.fromarray(rng.integers(0, 256, (32, 48, 3), dtype=np.uint8)).save(tiny, quality=90)
    template = pipeline.score_image(tiny, settings)
    data = tiny.read_bytes()
    sample = sample_of(data)
    tiny.unlink()
    model = pipeline.load_model(settings.model, settings.model_threads, quiet=True)
    key = pipeline.cache_key(settings, model)
    records = []
    for i in range(n):
        sub = folder / f"d{i % 100:02d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"img_{i:05d}.jpg"
        path.write_bytes(data)
        st = path.stat()
        row = template.to_row()
        # as a scan stores them: each file's own status-change time and sample (the bytes are the same for all);
        # without them every record would have its sample read and stored again (blurscan.replaced)
        row.update(path=os.path.abspath(path), size=st.st_size, mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns,
                   sample=sample)
        records.append(ScanRecord.from_row(row))
    with Store(db) as store:
        store.put(records, key)


# ------------------------------------------------------------------------------------------ timing

def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the scan's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def naive_seed(paths: list[Path]) -> list[float]:
    out = []
    for p in paths:
        img = cv2.imread(os.fspath(p))
        out.append(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())
    return out


def build_heic(folder: Path, jpegs: list[Path]) -> list[Path]:
    """The same photos as HEIC (pillow-heif's x265 encoder, quality 80, as phones write); reused when built."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for jpg in jpegs:
        path = folder / (jpg.stem + ".heic")
        if not path.exists():
            Image.open(jpg).save(path, quality=80)
        out.append(path)
    return out


def build_raw(folder: Path, jpegs: list[Path], preview: str | None) -> list[Path]:
    """The same photos as camera RAW files: DNGs (RGGB mosaic in linear light, 12 bits, uncompressed) written
    by the tests' ``helpers_raw.write_dng``, with the photo as full-size JPEG preview (``preview="jpeg"``)
    or sensor data only (None); reused when built."""
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parents[1] / "tests"))
    from helpers_raw import write_dng  # needs tifffile (the dev extra)

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for jpg in jpegs:
        path = folder / (jpg.stem + ".dng")
        if not path.exists():
            write_dng(path, np.asarray(Image.open(jpg).convert("RGB")), preview=preview)
        out.append(path)
    return out


def timed(fn, *args):
    """``(wall seconds, CPU seconds of this process incl. its threads, result)``."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0, result


def run_scan(folder: Path, settings: ScanSettings, db: Path) -> tuple[float, int, int, dict]:
    """Scan in a fresh child process (so its memory is blurscan's alone); sample the tree's RSS.

    Returns ``(seconds inside scan(), records, peak tree RSS bytes, summary)``.
    """
    import json
    import subprocess

    cmd = [sys.executable, os.path.abspath(__file__), "--scan-child", os.fspath(folder), os.fspath(db),
           settings.model, str(settings.workers), str(int(settings.full_res_baseline))]
    mem = PeakTreeRSS()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:
        mem.root = proc.pid
        with mem:
            out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"scan child failed ({proc.returncode})")
    summary = json.loads(out.strip().splitlines()[-1])
    summary["worker_peak_mb"] = mem.largest_child / 2**20  # each worker's own (PeakTreeRSS), not ru_maxrss's
    return summary["elapsed"], summary["count"], mem.peak, summary


def _scan_child(folder: str, db: str, model: str, workers: str, baseline: str) -> int:
    import json

    from blurscan.pipeline import scan

    settings = ScanSettings(workers=int(workers), model=model, full_res_baseline=bool(int(baseline)))
    t0 = time.perf_counter()
    cpu0 = _cpu_seconds()
    # counted as they come, not held: the memory measured is the scan's (until 2026-12-07 every record was kept in
    # a list, the re-scan's 10,000 among them)
    stamps, errors, n_errors, cached = array("d"), [], 0, 0
    for record in scan([folder], settings, db=db):
        stamps.append(time.perf_counter())
        cached += record.cached
        if record.status != "ok":
            n_errors += 1
            if len(errors) < 3:
                errors.append(record.error)
    elapsed = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    # steady state: the second half of the results, after worker start-up and the first chunks
    half = len(stamps) // 2
    steady = (len(stamps) - half) / (stamps[-1] - stamps[half - 1]) if half >= 2 and stamps[-1] > stamps[half - 1] \
        else None
    print(json.dumps({"elapsed": elapsed, "cpu": cpu, "steady": steady, "count": len(stamps),
                      "errors": errors,
                      "n_errors": n_errors, "cached": cached,
                      "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
    return 0


def scan_row(label: str, workers: int, count: int, elapsed: float, peak: int, info: dict) -> tuple:
    """The table's row of one full scan (:func:`run_scan`'s figures). A scan too small for
    :mod:`blurscan.pipeline`'s pool of workers (under ``MIN_POOL_FILES`` files, or under ``POOL_FILES`` holding
    less than ``MIN_POOL_BYTES``: ``--images 4``) runs in the scanning process, and so does one with
    ``--workers 1``: no worker starts, so the row says one process rather than ``--workers`` workers and a
    largest worker of 0 MB. The largest worker is the largest peak of a worker's own memory (:class:`PeakTreeRSS`);
    until 2026-12-07 it was the scanning process's ``RUSAGE_CHILDREN``, which counts the scanning process's own
    peak before the workers started (:func:`tree_memory._own_peak_bytes`)."""
    pooled = info["worker_maxrss_mb"] > 0  # a worker that ran and ended (RUSAGE_CHILDREN): none without the pool
    where = f"{workers} workers" if pooled else "1 process, no worker started: too small a scan for them" \
        if workers > 1 else "1 process"
    note = f"peak RSS (process tree) {peak / 2**20:.0f} MB" + (
        f"; largest worker {info['worker_peak_mb']:.0f} MB" if pooled else "")
    return f"{label} ({where})", count / elapsed, info["cpu"] / count * 1000, note


def steady_row(info: dict) -> tuple:
    """The row of a full scan's steady state (the second half of its results, :func:`_scan_child`): it leaves out
    the spawned workers' start-up when the scan had workers, and only the scan's own start-up (the model loaded, the
    first photos) when it ran in one process. Until 2026-12-06 it said "excludes worker start-up" for a scan that
    started no worker (``--workers 1``, or too small a scan for the pool: :func:`scan_row`)."""
    what = ("excludes worker start-up (spawned processes importing numpy, OpenCV, ...)" if info["worker_maxrss_mb"] > 0
            else "excludes the scan's start-up (the model loaded, the first photos); 1 process, no worker started")
    return "... same scan, steady state (second half of the results)", info["steady"], None, what


def network_rows(ab: tuple[float, float, float], photos: int) -> list[tuple]:
    """The rows of :func:`network_ab.timed`'s figures (ms per photo: the shipped file in calls of
    :data:`blurscan.model.runtime.WINDOWS_PER_CALL` windows, unpadded, in one call), timed on ``photos`` photos."""
    from blurscan.model.runtime import WINDOWS_PER_CALL

    padded_ms, plain_ms, one_call_ms = ab
    return [(f"... the network alone (ONNX Runtime, 1 thread; {photos} photo{'s' if photos != 1 else ''}, "
             "alternately with the same network unpadded)", 1000 / padded_ms, None,
             f"{padded_ms:.1f} ms/image; unpadded (the file before 2026-12-03) "
             f"{plain_ms:.1f} ms/image: {plain_ms / padded_ms:.2f}x the time"),
            ("... the same, all of a photo's windows in one call (the scan before 2026-12-03's evening)",
             1000 / one_call_ms, None,
             f"{one_call_ms:.1f} ms/image: {one_call_ms / padded_ms:.2f}x the time of calls "
             f"of {WINDOWS_PER_CALL} windows")]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", type=int, default=40, help="number of 12-MP JPEGs (default 40)")
    ap.add_argument("--rescan-files", type=int, default=10_000, help="files in the re-scan library")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="scan worker processes")
    ap.add_argument("--cache-dir", type=Path,
                    default=Path(tempfile.gettempdir()) / "blurscan-bench", help="where images are built")
    ap.add_argument("--skip-model", action="store_true", help="only --model none scans")
    ap.add_argument("--heic", type=int, default=6, help="also time this many of the photos as HEIC (0: skip)")
    ap.add_argument("--raw", type=int, default=6,
                    help="also time this many of the photos as camera RAW files (DNG; 0: skip)")
    args = ap.parse_args(argv)

    load0 = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    corpus_dir = args.cache_dir / "12mp-q92"
    t0 = time.perf_counter()
    paths = build_corpus(corpus_dir, args.images)
    build_s = time.perf_counter() - t0
    n = len(paths)
    for p in paths:  # warm the page cache: every method reads from memory, as on a second pass
        p.read_bytes()
    rows: list[tuple[str, float, float | None, str]] = []  # (what, images/s, CPU ms per image, note)

    # 1. naive seed path (OpenCV's default threads, as a user script)
    naive_s, naive_cpu, seed_vals = timed(naive_seed, paths)
    naive_ips = n / naive_s
    rows.append(("naive seed path (cv2.imread + float64 Laplacian, 1 process)", naive_ips,
                 naive_cpu / n * 1000, f"OpenCV threads {cv2.getNumThreads()}"))

    # 2. reduced decode only, 3. decode with baseline (one process, one OpenCV thread like a worker)
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    settings = ScanSettings()
    red_s, red_cpu, _ = timed(lambda: [decode_mod.decode(p, settings, baseline=False) for p in paths])
    rows.append(("reduced decode only (DCT-scaled to ~1024 px, 1 process)", n / red_s, red_cpu / n * 1000, ""))
    dec_s, dec_cpu, decoded = timed(lambda: [decode_mod.decode(p, settings) for p in paths])
    rel = [abs(d.laplacian_var - s) / s for d, s in zip(decoded, seed_vals)]
    rows.append(("decode + full-res baseline (1 process)", n / dec_s, dec_cpu / n * 1000,
                 f"baseline vs seed figure: median {np.median(rel) * 100:.2f} %, max {max(rel) * 100:.2f} %"))
    lum_s, lum_cpu, _ = timed(lambda: [decode_mod.decode(p, settings, color=False) for p in paths])
    rows.append(("... luminance only, as the scan with the shipped model (1 process)", n / lum_s,
                 lum_cpu / n * 1000, "one full-resolution luma decode gives the baseline and the analysis image"))
    if args.heic:
        heics = build_heic(args.cache_dir / "12mp-heic", paths[:args.heic])
        h_s, h_cpu, _ = timed(lambda: [decode_mod.decode(p, settings, color=False) for p in heics])
        rows.append((f"... the same photos as HEIC (iPhone format; {len(heics)} of them, 1 process)",
                     len(heics) / h_s, h_cpu / len(heics) * 1000,
                     "HEVC decoding by libde265 (libheif), full resolution: no reduced decode exists"))
    if args.raw:
        for preview, what, note in (
                ("jpeg", "as camera RAW (DNG) with a full-size JPEG preview",
                 "LibRaw opens the file and hands over the preview, decoded as a JPEG"),
                (None, "as camera RAW (DNG) without a preview",
                 "LibRaw's half-size development of uncompressed 12-bit sensor data")):
            raws = build_raw(args.cache_dir / f"12mp-dng-{preview or 'sensor'}", paths[:args.raw], preview)
            r_s, r_cpu, _ = timed(lambda: [decode_mod.decode(p, settings, color=False) for p in raws])
            rows.append((f"... the same photos {what} ({len(raws)} of them, 1 process)",
                         len(raws) / r_s, r_cpu / len(raws) * 1000, note))
    meas_s, meas_cpu, _ = timed(lambda: [measures.compute(d) for d in decoded])
    rows.append(("measures only (measures.compute on decoded images)", n / meas_s, meas_cpu / n * 1000, ""))
    if not args.skip_model:
        try:
            from blurscan.model import runtime
        except ImportError:
            runtime = None
        if runtime is not None:
            try:
                clf = runtime.load("default", threads=1)
                clf.predict(decoded[0])  # warm-up (session init)
            except Exception as exc:  # the model is another module's work in progress: report, go on
                print(f"warning: model unavailable ({type(exc).__name__}: {exc}); --model none only",
                      file=sys.stderr)
                args.skip_model = True
            else:
                inf_s, inf_cpu, _ = timed(lambda: [clf.predict(d) for d in decoded])
                rows.append(("model inference only (1 thread, on decoded images)", n / inf_s,
                             inf_cpu / n * 1000,
                             f"{inf_s / n * 1000:.1f} ms/image vs decode {dec_s / n * 1000:.1f} ms/image"))
                grays = [d.gray for d in decoded[:10]]
                ab = network_ab.timed(clf, grays)
                if ab is not None:
                    rows += network_rows(ab, len(grays))
    cv2.setNumThreads(threads)
    decoded.clear()  # free the decoded images before the full scans (their memory is measured)

    # 4. full scans (fresh database each), in a child process
    work = Path(tempfile.mkdtemp(prefix="blurscan-bench-"))
    peaks = {}
    steady_rows: dict[str, float] = {}
    rescan_fps = 0.0
    try:
        specs = ["none"] if args.skip_model else ["default", "none"]
        variants = [(spec, True) for spec in specs] + [(specs[0], False)]
        for spec, baseline in variants:
            s = ScanSettings(workers=args.workers, model=spec, full_res_baseline=baseline)
            elapsed, count, peak, info = run_scan(corpus_dir, s, work / f"scan-{spec}-{baseline}.db")
            if info["n_errors"]:
                print(f"warning: {info['n_errors']} scan errors, e.g. {info['errors']}", file=sys.stderr)
            label = f"full scan, --model {spec}{'' if baseline else ', fast mode (no full-res baseline)'}"
            peaks[label] = peak
            rows.append(scan_row(label, args.workers, count, elapsed, peak, info))
            if info.get("steady"):
                steady_rows[label] = info["steady"]
                rows.append(steady_row(info))

        # 5. re-scan of an unchanged library
        s = ScanSettings(workers=args.workers, model=specs[0])
        lib, db = work / "library", work / "library.db"
        t0 = time.perf_counter()
        build_rescan_library(lib, args.rescan_files, s, db)
        lib_s = time.perf_counter() - t0
        elapsed, count, peak, info = run_scan(lib, s, db)
        fresh = count - info["cached"]
        peaks[f"re-scan {count} files"] = peak
        rescan_fps = count / elapsed
        rows.append((f"re-scan, unchanged library of {count} files (files/s)", rescan_fps,
                     info["cpu"] / count * 1000,
                     f"{fresh} re-scored; peak RSS {peak / 2**20:.0f} MB; library built in {lib_s:.1f} s"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # report
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"\n{n} JPEGs 4000 x 3000 q92 (built in {build_s:.1f} s, cached in {corpus_dir}); "
          f"{os.cpu_count()} CPUs; workers {args.workers}; load average at start {load0}, at end {load}; "
          f"Python {sys.version.split()[0]}, OpenCV {cv2.__version__}\n")
    print("| what | images/s | vs naive | CPU ms / image | notes |")
    print("|---|---:|---:|---:|---|")
    for what, ips, cpu_ms, note in rows:
        ratio = "" if "re-scan" in what else f"{ips / naive_ips:.2f}x"
        cpu = "" if cpu_ms is None else f"{cpu_ms:.{2 if cpu_ms < 1 else 0}f}"
        print(f"| {what} | {ips:,.1f} | {ratio} | {cpu} | {note} |")
    peak_all = max(peaks.values()) / 2**20 if peaks else 0
    print(f"\nPeak RSS of a scan's process tree (sampled every 20 ms): {peak_all:.0f} MB")
    scan_rows = [ips for what, ips, _, _ in rows if what.startswith("full scan, --model default (")] or \
        [ips for what, ips, _, _ in rows if what.startswith("full scan")]
    print("\nTargets:")
    if scan_rows:
        r = scan_rows[0] / naive_ips
        print(f"- full scan >= {TARGETS['scan_ratio']:.0f}x naive: {r:.2f}x "
              f"{'MET' if r >= TARGETS['scan_ratio'] else 'NOT MET'}"
              + (f" (steady state {next(iter(steady_rows.values())) / naive_ips:.2f}x)" if steady_rows else ""))
    print(f"- re-scan >= {TARGETS['rescan_files_per_s']:,} files/s: {rescan_fps:,.0f} "
          f"{'MET' if rescan_fps >= TARGETS['rescan_files_per_s'] else 'NOT MET'}")
    print(f"- peak memory < {TARGETS['peak_rss_mb']} MB: {peak_all:.0f} MB "
          f"{'MET' if peak_all < TARGETS['peak_rss_mb'] else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--scan-child":
        sys.exit(_scan_child(*sys.argv[2:]))
    sys.exit(main())
