"""An OpenCV setting set to nothing (``OPENCV_IO_MAX_IMAGE_PIXELS=``: a container's ``-e NAME=``, a script's unset
variable) is taken as not set. OpenCV parses each as a number or a yes/no, and an empty value is neither: a scan
aborted at its first photo (exit 134, "terminate called after throwing an instance of 'cv::Exception'
what(): stoull") or stopped with a cv2.error traceback, naming no variable."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers_images import save_jpeg, textured


@pytest.mark.slow
@pytest.mark.parametrize("name", ["OPENCV_IO_MAX_IMAGE_PIXELS", "OPENCV_FOR_THREADS_NUM", "OPENCV_TRACE"])
def test_an_empty_opencv_setting_is_not_set(tmp_path, name):
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(tmp_path / "lib"), "--model", "none",
                           "--workers", "1", "--format", "jsonl"],
                          env={**os.environ, name: ""}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [(r["status"], r["verdict"]) for r in records] == [("ok", "sharp")], done.stdout


def test_opencv_own_pixel_limit_is_named_in_words(tmp_path):
    """``OPENCV_IO_MAX_IMAGE_PIXELS=100`` (OpenCV's own limit, below every photo): each photo's error said
    "cannot decode: error: OpenCV(...) (-215:Assertion failed) pixels <= CV_IO_MAX_IMAGE_PIXELS in function
    'validateInputImageSize'" until 2026-12-06. One clear reason naming the variable, its value and blurscan's own
    --max-pixels."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(tmp_path / "lib"), "--model", "none",
                           "--workers", "1", "--format", "jsonl"],
                          env={**os.environ, "OPENCV_IO_MAX_IMAGE_PIXELS": "100"}, capture_output=True, text=True,
                          timeout=120)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [r["status"] for r in records] == ["error"], done.stdout
    error = records[0]["error"]
    assert "OPENCV_IO_MAX_IMAGE_PIXELS=100" in error and "--max-pixels" in error, error
    assert "validateInputImageSize" not in error and "Assertion" not in error, error
    assert "Traceback" not in done.stderr
