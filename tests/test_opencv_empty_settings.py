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


@pytest.mark.parametrize("name", ["OPENCV_IO_MAX_IMAGE_PIXELS", "OPENCV_FOR_THREADS_NUM", "OPENCV_TRACE"])
def test_an_empty_opencv_setting_is_not_set(tmp_path, name):
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(tmp_path / "lib"), "--model", "none",
                           "--workers", "1", "--format", "jsonl"],
                          env={**os.environ, name: ""}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [(r["status"], r["verdict"]) for r in records] == [("ok", "sharp")], done.stdout
