"""A fork while another thread makes its first score_image call (a DataLoader made while a thread started
scoring): that call imports blurscan.pipeline, NumPy, OpenCV and ONNX Runtime and opens the model, about a second,
and a child forked meanwhile inherited a half-imported module whose import lock was held by a thread it has not
got: it hung for ever at its own first call (until 2026-12-05). The fork now waits for that call (blurscan.forking).
The child runs under a timeout, and so does the script: the test cannot hang."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers_images import save_jpeg, textured

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: os.fork")

_SCRIPT = """
import json, os, select, sys, threading
import blurscan

photo = sys.argv[1]
first = threading.Thread(target=lambda: blurscan.score_image(photo))  # this process's first call: cold
first.start()
while "blurscan.pipeline" not in sys.modules:  # its imports have begun
    pass
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    try:
        said = blurscan.score_image(photo).verdict
    except BaseException as exc:
        said = f"{type(exc).__name__}: {exc}"
    os.write(w, json.dumps(said).encode())
    os._exit(0)
os.close(w)
ready, _, _ = select.select([r], [], [], 20)
if not ready:
    os.kill(pid, 9)
child = json.loads(os.read(r, 1 << 16)) if ready else "hung"
os.waitpid(pid, 0)
first.join(60)
print(json.dumps({"child": child, "parent": blurscan.score_image(photo).verdict}))
"""


def test_a_child_forked_during_another_threads_first_call_scores(tmp_path):
    photo = save_jpeg(tmp_path / "p.jpg", textured(5, (480, 640)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(photo)], capture_output=True, text=True, timeout=120,
                          env=env)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["child"] == said["parent"] == "sharp"
    assert "Exception ignored" not in done.stderr  # (a fork handler registered meanwhile, run unmatched)
