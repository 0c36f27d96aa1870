"""The library in a program that forks (a PyTorch DataLoader's workers, ``multiprocessing`` with ``fork``):
a child forked while another thread of the parent was decoding a JPEG in :func:`blurscan.score_image` inherited
the lock that thread held around libjpeg's stderr, and hung on its own first JPEG for ever (or its file
descriptor 2 still pointed at the parent's capture file: its stderr lost); one forked while another thread was
inside ONNX Runtime's ``run`` inherited a mutex of the session held by that thread, and hung in its first
``run`` (one fork in five in the loop below, before 2026-12-05). Each child here runs under a timeout,
and so does the whole script: these tests cannot hang."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from helpers_images import save_jpeg, textured

# os.fork, and /proc to read a child's threads and its file descriptor 2
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: os.fork and /proc")

#: Run in each script below: ``forked(work)`` runs ``work()`` in a forked child and gives back what it returned
#: (through JSON), its exception as text, or ``"hung"`` when it has not answered in 10 s (the child killed).
_FORKED = """
import json, os, select

def forked(work):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            said = work()
        except BaseException as exc:
            said = f"{type(exc).__name__}: {exc}"
        os.write(w, json.dumps(said).encode())
        os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], 10)
    if not ready:
        os.kill(pid, 9)
    said = json.loads(os.read(r, 1 << 16)) if ready else "hung"
    os.close(r)
    os.waitpid(pid, 0)
    return said
"""

_FORK_WHILE_DECODING = _FORKED + """
import json, os, sys, threading, time
import blurscan

big, small = sys.argv[1], sys.argv[2]
settings = blurscan.ScanSettings(model="none")  # the decoder alone (the model's own case: the test below)
blurscan.score_image(small, settings)  # the capture file open: as in a parent that scored before forking
stop = threading.Event()

def busy():  # another thread of the parent, decoding a large JPEG (under the stderr lock most of the time)
    while not stop.is_set():
        blurscan.score_image(big, settings)

thread = threading.Thread(target=busy)
thread.start()
time.sleep(0.2)
results = []
for k in range(12):
    time.sleep(0.011 * (k % 5))
    results.append(forked(lambda: blurscan.score_image(small, settings).verdict + " "
                          + os.readlink("/proc/self/fd/2")))
    if results[-1] == "hung":
        break
stop.set()
thread.join(60)
print(json.dumps({"children": results, "stderr": os.readlink("/proc/self/fd/2")}))
"""


_FORK_WHILE_RUNNING = _FORKED + """
import json, os, sys, threading
import numpy as np
import blurscan

gray = np.random.default_rng(0).integers(0, 256, (240, 320), dtype=np.uint8)
first = blurscan.score_image(gray)
stop = threading.Event()

def busy():  # other threads of the parent, inside the model most of the time
    while not stop.is_set():
        blurscan.score_image(gray)

threads = [threading.Thread(target=busy) for _ in range(3)]
[t.start() for t in threads]
results = []
for k in range(25):
    results.append(forked(lambda: (lambda rec: [rec.verdict, rec.p_blurry, rec.grid])(blurscan.score_image(gray))))
    if results[-1] == "hung":
        break
stop.set()
[t.join(60) for t in threads]
print(json.dumps({"first": [first.verdict, first.p_blurry, first.grid], "children": results}))
"""


def _run(script: str, *args, timeout: float = 240) -> subprocess.CompletedProcess:
    """``script`` in a fresh interpreter that imports this checkout's blurscan (under a timeout: cannot hang)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.slow
def test_a_child_forked_while_another_thread_decodes_a_jpeg_scores_and_keeps_its_stderr(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, (2000, 3000), dtype=np.uint8)  # slow to decode: many bits
    big = save_jpeg(tmp_path / "big.jpg", np.dstack([noise] * 3), quality=95)
    small = save_jpeg(tmp_path / "small.jpg", textured(1))
    done = _run(_FORK_WHILE_DECODING, big, small)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "hung" not in out["children"], out
    assert out["children"] == [f"sharp {out['stderr']}"] * 12, out


@pytest.mark.slow
def test_a_child_forked_while_other_threads_run_the_model_scores_as_the_parent_does():
    done = _run(_FORK_WHILE_RUNNING)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "hung" not in out["children"], out["children"]
    assert out["children"] == [out["first"]] * 25


_THREADS_IN_CHILD = """
import json, os
import cv2
import numpy as np
import blurscan

cv2.setNumThreads(1)  # no OpenCV thread pool: the threads counted are ONNX Runtime's
settings = blurscan.ScanSettings(model_threads=3)
gray = np.random.default_rng(0).integers(0, 256, (240, 320), dtype=np.uint8)
first = blurscan.score_image(gray, settings)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    before = len(os.listdir("/proc/self/task"))
    record = blurscan.score_image(gray, settings)
    os.write(w, json.dumps([len(os.listdir("/proc/self/task")) - before, record.p_blurry]).encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
print(json.dumps({"first": first.p_blurry, "child": json.loads(os.read(r, 4096))}))
"""


def test_a_forked_child_scores_with_the_intra_op_threads_asked_for():
    """The parent's session in a child has none of its intra-op threads (its calls ran on the calling thread
    alone): a child opens its own, with ``model_threads - 1`` threads beside the calling one."""
    done = _run(_THREADS_IN_CHILD, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["child"] == [2, out["first"]], out


_CHILDREN_EXIT = """
import os, sys, time
import numpy as np
import blurscan

settings = blurscan.ScanSettings(model_threads=3)
gray = np.random.default_rng(0).integers(0, 256, (240, 320), dtype=np.uint8)
blurscan.score_image(gray, settings)
ends = []
for score in (True, False, True, False):
    pid = os.fork()
    if pid == 0:
        if score:
            blurscan.score_image(gray, settings)
        sys.exit(0)  # a normal exit, the interpreter shut down (os._exit never frees the session)
    start = time.monotonic()
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if time.monotonic() - start > 10:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            ends.append("hung")
            break
        time.sleep(0.02)
    else:
        ends.append("ended")
print(ends)
"""


@pytest.mark.slow
def test_forked_children_of_a_process_with_a_multi_threaded_model_end():
    """A child freeing the parent's session at its exit (with ``model_threads`` > 1) hung in its destructor, which
    joins threads that the child has not got: always when the child had scored, one time in two when not."""
    done = _run(_CHILDREN_EXIT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(["ended"] * 4)
