"""The library called from threads: two threads scoring at once in a fresh interpreter, where the first use
imports ONNX Runtime (one of them got the half-imported module: "AttributeError: partially initialized module
'onnxruntime' has no attribute 'SessionOptions'")."""
from __future__ import annotations

import json
import os
import subprocess
import sys

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
