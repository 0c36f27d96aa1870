"""scan() inside a multiprocessing.Pool's worker (a daemonic process, which may start no process of its own):
with several workers it ended in "AssertionError: daemonic processes are not allowed to have children"; it now
scores the files in that process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from helpers_images import blurred, save_jpeg, textured

_SCRIPT = """
import json, multiprocessing, sys
import blurscan
from blurscan import scan_workers

def job(folder):
    scan_workers.POOL_FILES = 1  # these few small files would be scored in-process anyway: ask for worker processes
    try:
        return sorted(r.status for r in blurscan.scan([folder], blurscan.ScanSettings(workers=2)))
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}"

if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        print(json.dumps(pool.map(job, [sys.argv[1]])))
"""


def test_a_scan_in_a_pool_worker_scores_every_file(tmp_path):
    for i in range(6):
        save_jpeg(tmp_path / "photos" / f"{i}.jpg", blurred(textured(i), 3) if i % 2 else textured(i))
    script = tmp_path / "user_script.py"
    script.write_text(_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "photos")], capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [["ok"] * 6]
