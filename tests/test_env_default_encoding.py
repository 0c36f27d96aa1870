"""No text file blurscan opens depends on the locale's encoding: under ``python -X warn_default_encoding`` (PEP 597)
an ``open()`` without ``encoding=`` warns, and these warnings are errors here. Until 2026-12-06 two did, in the
training tools: the umask read from ``/proc/self/status`` when a model is written, and a synthetic data set's
``config.json``."""
from __future__ import annotations

import subprocess
import sys

from helpers_images import save_jpeg, textured

_TRAINING_WRITES = """
import sys
import warnings
import cv2  # (OpenCV's own loader opens its config file without an encoding: not ours, let be)
warnings.simplefilter("error", EncodingWarning)
from pathlib import Path
from blurscan.model.data import plan_jobs
from blurscan.model.export import write_atomically
from blurscan.synth.sources import collect_sources

folder = Path(sys.argv[1])
write_atomically(folder / "model.onnx", b"bytes")
jobs = plan_jobs(collect_sources([folder / "src"]), folder / "work", seed=0)
print(len(jobs))
"""


def test_the_training_tools_text_files_name_their_encoding(tmp_path):
    (tmp_path / "src").mkdir()
    save_jpeg(tmp_path / "src" / "a.jpg", textured(0))
    done = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-c", _TRAINING_WRITES, str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
