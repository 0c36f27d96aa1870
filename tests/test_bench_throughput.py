"""``bench/throughput.py``'s rows say what ran. A full scan too small for the pipeline's pool of workers (a few
photos: ``--images 4``) runs in the scanning process; its row said ``(2 workers)`` and ``largest worker 0 MB``
all the same. The network row said ``10 photos`` whatever number it timed. Run here on a few small generated
JPEGs, for the rows' words only: no time is checked (speed is the script's own business,
docs/benchmarks-throughput.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings

from helpers_bench import bench_module


def _throughput():
    return bench_module("throughput")


def _photos(folder: Path, n: int) -> Path:
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)).save(folder / f"p{i:03d}.jpg")
    return folder


def test_a_scan_too_small_for_workers_is_not_said_to_have_used_them(tmp_path):
    throughput = _throughput()
    folder = _photos(tmp_path / "photos", 3)
    elapsed, count, peak, info = throughput.run_scan(folder, ScanSettings(workers=2, model="none"), tmp_path / "s.db")
    assert count == 3 and info["n_errors"] == 0
    what, per_s, cpu_ms, note = throughput.scan_row("full scan, --model none", 2, count, elapsed, peak, info)
    assert what == "full scan, --model none (1 process, no worker started: too small a scan for them)"
    assert "workers)" not in what and "largest worker" not in note
    assert note.startswith("peak RSS (process tree) ") and note.endswith(" MB")
    assert per_s > 0 and cpu_ms > 0


def test_the_steady_state_of_a_scan_without_workers_is_not_said_to_exclude_their_start_up(tmp_path):
    """Four photos (two results per half), too few for the pool: one process, so the steady state row says what it
    leaves out of that (it said "excludes worker start-up" until 2026-12-06)."""
    throughput = _throughput()
    folder = _photos(tmp_path / "photos", 4)
    elapsed, count, peak, info = throughput.run_scan(folder, ScanSettings(workers=2, model="none"), tmp_path / "s.db")
    assert count == 4 and info["worker_maxrss_mb"] == 0
    what, per_s, cpu_ms, note = throughput.steady_row({**info, "steady": info["steady"] or 1.0})
    assert what == "... same scan, steady state (second half of the results)" and cpu_ms is None
    assert "worker start-up" not in note
    assert note == "excludes the scan's start-up (the model loaded, the first photos); 1 process, no worker started"


@pytest.mark.slow
def test_a_scan_with_workers_names_them_and_the_largest(tmp_path):
    throughput = _throughput()
    folder = _photos(tmp_path / "photos", 200)  # POOL_FILES: the pool whatever the bytes
    elapsed, count, peak, info = throughput.run_scan(folder, ScanSettings(workers=2, model="none"), tmp_path / "s.db")
    what, _, _, note = throughput.scan_row("full scan, --model none", 2, count, elapsed, peak, info)
    assert what == "full scan, --model none (2 workers)"
    assert "; largest worker " in note and info["worker_maxrss_mb"] > 0 and info["worker_peak_mb"] > 0
    assert f"; largest worker {info['worker_peak_mb']:.0f} MB" in note
    assert throughput.steady_row(info)[3] == "excludes worker start-up (spawned processes importing numpy, OpenCV, ...)"


def test_the_network_rows_name_the_photos_timed_and_the_call_size():
    from blurscan.model.runtime import WINDOWS_PER_CALL

    rows = _throughput().network_rows((5.0, 6.0, 7.5), 4)
    assert rows[0][0] == ("... the network alone (ONNX Runtime, 1 thread; 4 photos, alternately with the same "
                          "network unpadded)")
    assert rows[0][1] == 200.0 and rows[0][3].endswith("1.20x the time")
    assert rows[1][3] == f"7.5 ms/image: 1.50x the time of calls of {WINDOWS_PER_CALL} windows"


def test_the_largest_worker_is_its_own_peak_not_its_parents_before_it_started(tmp_path):
    """A child's ``ru_maxrss`` (``RUSAGE_CHILDREN``) keeps the memory its parent had when it started it: a parent
    that had held 300 MB before starting a small child finds the child "300 MB" by ``getrusage``. The benchmark's
    largest worker is the worker's own peak (until 2026-12-07 it was the scanning process's ``RUSAGE_CHILDREN``)."""
    import subprocess
    import sys

    parent = ("import resource, subprocess, sys\n"
              "held = bytearray(300 * 2**20)\n"            # touched: resident
              "del held\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import sys; sys.stdin.read()'], stdin=subprocess.PIPE)\n"
              "print(child.pid, flush=True)\n"
              "sys.stdin.readline()\n"                      # the test has sampled the tree
              "child.communicate()\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, flush=True)\n")
    tree_memory = bench_module("tree_memory")
    mem = tree_memory.PeakTreeRSS()
    with subprocess.Popen([sys.executable, "-c", parent], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as proc:
        mem.root = proc.pid
        child = int(proc.stdout.readline())
        mem.sample()
        assert child in tree_memory._tree_rss(proc.pid)
        proc.stdin.write("\n")
        proc.stdin.flush()
        by_rusage = int(proc.stdout.readline())
    assert by_rusage > 250 * 2**20  # the trap the benchmark fell into
    assert 0 < mem.largest_child < 100 * 2**20


def test_the_scan_child_counts_the_records_and_lets_each_go(tmp_path, monkeypatch, capsys):
    """The memory measured is the scan's: the benchmark's scanning process counts each record as it comes and keeps
    none (until 2026-12-07 it kept every one in a list: the re-scan's 10,000 records were in its peak). A record
    handed over is gone by the time the one after the next is asked for; the counts are the records'."""
    import json
    import weakref

    import blurscan.pipeline
    from blurscan.records import ScanRecord

    refs, held = [], []

    def scan(paths, settings, db=None):
        for i in range(6):
            if i >= 2:  # (the last one handed over is still the loop's variable)
                held.append(refs[i - 2]() is not None)
            record = ScanRecord(path=f"p{i}.jpg", cached=i % 2 == 0) if i % 3 else \
                ScanRecord.from_error(f"p{i}.jpg", f"reason {i}")
            refs.append(weakref.ref(record))
            yield record

    monkeypatch.setattr(blurscan.pipeline, "scan", scan)
    assert _throughput()._scan_child(str(tmp_path), str(tmp_path / "s.db"), "none", "1", "1") == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert held == [False] * 4
    assert (out["count"], out["n_errors"], out["errors"], out["cached"]) == (6, 2, ["reason 0", "reason 3"], 2)
