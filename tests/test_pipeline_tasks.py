"""How a scan hands its files to the worker processes: tasks sized by the work in them, not by a fixed count.

A data set of tiny images (32 x 32 to 256 x 256 px, a few kB each) costs 1-3 ms of CPU a file; sent 8 files a
task, as 12-MP photos are, the parent's hand-offs (pickling, the pool's threads, its waits) took a third of its CPU
(2026-12-06, 100,000 images: docs/benchmarks-throughput.md). The tests count the tasks, never time them."""
from __future__ import annotations

import concurrent.futures as cf
import json

import numpy as np
from click.testing import CliRunner
from PIL import Image

from blurscan import tasks
from blurscan.cli import main
from blurscan.records import ImageRef
import pytest


def _refs(n: int, size: int) -> list[ImageRef]:
    return [ImageRef(path=f"/lib/{i:05d}.jpg", size=size, mtime_ns=0) for i in range(n)]


@pytest.mark.slow
def test_a_data_set_of_tiny_images_goes_to_the_workers_in_few_tasks(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    root = tmp_path / "train" / "cat"
    root.mkdir(parents=True)
    for i in range(640):  # 32 x 32 px PNGs of ~3 kB, as a small-image data set holds
        Image.fromarray(rng.integers(0, 256, (32, 32), dtype=np.uint8)).save(root / f"{i:04d}.png")
    submitted = []
    real_submit = cf.ProcessPoolExecutor.submit

    def counting_submit(self, fn, *args, **kwargs):  # the real submit, counted
        submitted.append(len(args[0]))
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(cf.ProcessPoolExecutor, "submit", counting_submit)
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--workers", "2", "--model", "none", "--format",
                                       "jsonl", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 640 and all(r["status"] == "ok" for r in records)
    assert sum(submitted) == 640
    # until 2026-12-06: 80 tasks of 8 files; now 10 of 64, still at least 4 per worker
    assert 8 <= len(submitted) <= 20, submitted


def test_large_photos_still_go_eight_at_a_time():
    # 12-MP JPEGs (~4 MB): 8 a task (~0.8 s of CPU), as before: the most a worker can idle at a scan's end
    chunks = tasks.tasks(_refs(400, 4 << 20), workers=2)
    assert [len(c) for c in chunks] == [8] * 50


def test_each_task_counts_its_own_bytes_over_a_large_data_set_of_tiny_images():
    # 5000 images of 3 kB (15 MB in all, over TASK_BYTES many times): 64 a task to the end, not 64 until the
    # first 2 MB went and 8 a task after (each task's bytes counted from nought)
    chunks = tasks.tasks(_refs(5000, 3_000), workers=2)
    assert [len(c) for c in chunks] == [64] * 78 + [8]


def test_raw_and_small_jpeg_pairs_still_go_eight_at_a_time():
    # a camera's "RAW + small JPEG" mode (720 x 480 JPEGs of ~130 kB): below the analysis size, so each pair is
    # judged from its RAW (~0.3 s of CPU); counted by the JPEG's bytes, they went 16 a task on 2026-12-06
    pairs = [ImageRef(path=f"/lib/IMG_{i:04d}.JPG", size=130_000, mtime_ns=0, raw_twin=f"/lib/IMG_{i:04d}.CR2")
             for i in range(400)]
    assert [len(c) for c in tasks.tasks(pairs, workers=2)] == [8] * 50
    # a RAW + full-size JPEG pair (the JPEG judged, the RAW never opened) goes 8 a task too, as ever
    pairs = [ImageRef(path=f"/lib/IMG_{i:04d}.JPG", size=5 << 20, mtime_ns=0, raw_twin=f"/lib/IMG_{i:04d}.CR2")
             for i in range(400)]
    assert [len(c) for c in tasks.tasks(pairs, workers=2)] == [8] * 50


def test_tasks_keep_every_file_once_in_order_and_four_per_worker_at_least():
    mixed = _refs(300, 20_000) + _refs(40, 6 << 20) + _refs(300, 3_000)
    for refs, workers in ((mixed, 2), (_refs(100, 3_000), 2), (_refs(10, 3_000), 3), (_refs(5000, 3_000), 2)):
        chunks = tasks.tasks(refs, workers)
        assert [r for c in chunks for r in c] == refs
        assert len(chunks) >= min(len(refs), 4 * workers)
        assert max(len(c) for c in chunks) <= tasks.MAX_TASK_FILES
        # a task holds over MAX_CHUNK files only where they are small: within TASK_BYTES
        assert all(len(c) <= tasks.MAX_CHUNK or sum(r.size for r in c) <= tasks.TASK_BYTES for c in chunks)
