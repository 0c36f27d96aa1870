"""A fork while another thread makes its first score_image call (a DataLoader made while a thread started
scoring): that call imports blurscan.pipeline, NumPy, OpenCV and ONNX Runtime and opens the model, about a second,
and a child forked meanwhile inherited a half-imported module whose import lock was held by a thread it has not
got: it hung for ever at its own first call (until 2026-12-05). The fork now waits for that call (blurscan.forking),
and for the step under way of a scan() (its imports, its model, a file scored in the calling process).
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

photo, call, module = sys.argv[1:]
if call == "scan":  # (the file scored in this process: workers=1)
    work = lambda: list(blurscan.scan([photo], blurscan.ScanSettings(workers=1)))
else:
    work = lambda: blurscan.score_image(photo)
first = threading.Thread(target=work)  # this process's first call: cold
first.start()
while module not in sys.modules:  # its imports have begun
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


@pytest.mark.slow
@pytest.mark.parametrize("call,module", [("score_image", "blurscan.pipeline"),  # the package's lazy import
                                         ("score_image", "onnxruntime"),  # the model's first load
                                         ("scan", "onnxruntime")])  # a scan's model, its file in this process
def test_a_child_forked_during_another_threads_first_call_scores(tmp_path, call, module):
    photo = save_jpeg(tmp_path / "p.jpg", textured(5, (480, 640)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(photo), call, module], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["child"] == said["parent"] == "sharp"
    assert "Exception ignored" not in done.stderr  # (a fork handler registered meanwhile, run unmatched)
