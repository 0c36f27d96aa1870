"""The library called from threads: four threads scoring at once in a fresh interpreter, where the first use
imports ONNX Runtime (one of them got the half-imported module: "AttributeError: partially initialized module
'onnxruntime' has no attribute 'SessionOptions'"), and threads scoring many images at once."""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
import subprocess
import sys

from PIL import Image

import blurscan
from helpers_images import blurred, save_jpeg, textured
import pytest

_THREADS = """
import json, sys, threading
import numpy as np
import blurscan

gray = np.random.default_rng(0).integers(0, 256, (240, 320), dtype=np.uint8)
barrier = threading.Barrier(4)
out = []

def run():
    barrier.wait()
    try:
        out.append(blurscan.score_image(gray).verdict)
    except Exception as exc:
        out.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=run) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(out))
"""


def test_first_scores_from_several_threads_at_once_all_load_the_model():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    verdicts = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(verdicts) == 4 and all(v in ("sharp", "partial", "blurry") for v in verdicts), verdicts


def test_scores_from_four_threads_at_once_are_those_of_the_same_calls_one_by_one(tmp_path):
    """Arrays, Pillow images and JPEG files (decoded one at a time per process: blurscan.jpeg) from four threads."""
    images = []
    for i in range(12):
        rgb = blurred(textured(i), 2.5) if i % 2 else textured(i)
        images.append((rgb, Image.fromarray(rgb), save_jpeg(tmp_path / f"{i}.jpg", rgb))[i % 3])

    def score(image):
        r = blurscan.score_image(image)
        return r.verdict, r.p_blurry, r.grid, r.laplacian_var, r.scores, r.phash

    alone = [score(image) for image in images]
    with cf.ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(score, images, timeout=120)) == alone
    assert {v for v, *_ in alone} >= {"sharp", "blurry"}


def test_healthy_jpegs_scored_from_threads_are_not_refused_for_another_threads_damaged_jpeg(tmp_path):
    """libjpeg tells a damaged JPEG only by a line on file descriptor 2, the whole process's: a thread of the
    program decoding a truncated JPEG with OpenCV ("Premature end of JPEG file") made healthy JPEGs scored
    meanwhile from other threads fail as "truncated JPEG" (most of them, until 2026-12-06: blurscan.ownstderr)."""
    import threading

    import cv2

    files = [save_jpeg(tmp_path / f"{i}.jpg", blurred(textured(i), 2.5) if i % 2 else textured(i)) for i in range(8)]
    data = files[0].read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[:len(data) // 2])

    def score(image):
        try:
            r = blurscan.score_image(image)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return r.verdict, r.p_blurry, r.grid, r.laplacian_var, r.scores

    alone = [score(f) for f in files]
    stop = threading.Event()

    def programs_own_decoding():
        while not stop.is_set():
            cv2.imread(str(cut))

    other = threading.Thread(target=programs_own_decoding)
    other.start()
    try:
        with cf.ThreadPoolExecutor(2) as pool:
            together = [list(pool.map(score, files, timeout=120)) for _ in range(4)]
    finally:
        stop.set()
        other.join()
    assert all(not isinstance(r, str) for r in alone), alone
    assert together == [alone] * 4


@pytest.mark.slow
def test_one_opened_pillow_image_scored_from_several_threads_at_once_gives_its_record_in_each(tmp_path):
    """Pillow reads an opened image's file at its first load: 8 threads scoring the same ``Image.open(path)`` at
    once loaded it together through one file object, and most raised ("I/O operation on closed file", "broken
    PNG file") or scored garbled pixels (until 2026-12-06: blurscan.arrays._LOADING)."""
    import threading

    from helpers_images import save_png

    files = [save_png(tmp_path / "a.png", textured(5, (480, 640))),
             save_jpeg(tmp_path / "b.jpg", textured(6, (480, 640)))]

    def score(image):
        try:
            r = blurscan.score_image(image)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return r.verdict, r.p_blurry, r.grid, r.laplacian_var, r.scores, r.width, r.height

    for path in files:
        with Image.open(path) as image:
            alone = score(image)
        assert not isinstance(alone, str), alone
        for _ in range(3):
            with Image.open(path) as image:
                start = threading.Barrier(8)

                def together(image=image, start=start):
                    start.wait()
                    return score(image)

                with cf.ThreadPoolExecutor(8) as pool:
                    got = [f.result(timeout=120) for f in [pool.submit(together) for _ in range(8)]]
            assert got == [alone] * 8, path.name
