"""Ctrl-C (to the whole process group, as a terminal sends it) while `blurscan train` makes its training images in
worker processes: the command stops, and its workers print nothing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from helpers_signals import default_signals

#: The image-making step (blurscan.model.data.run_jobs) with two spawned workers, each job a minute long, saying
#: so: the workers are new interpreters, so the slow job is put in place by a ``sitecustomize`` each one loads.
_SLOW_JOBS = """
import sys, time
from blurscan.model import data
def slow(job):
    print("started", flush=True)
    time.sleep(60)
data.make_one = slow
"""
_CHILD = """
import sys
from blurscan.model import data
try:
    data.run_jobs(list(range(8)), workers=2)
except KeyboardInterrupt:
    sys.exit("interrupted")
"""


def test_ctrl_c_reaches_the_training_image_workers_without_a_traceback(tmp_path):
    """Its forked workers took Ctrl-C as their own: a "Process ForkPoolWorker-1:" KeyboardInterrupt traceback each."""
    (tmp_path / "sitecustomize.py").write_text(_SLOW_JOBS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path)] + [p for p in sys.path if p])}
    proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=default_signals,
                            env=env)
    try:
        assert proc.stdout.readline() and proc.stdout.readline()  # both workers at work
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert (proc.returncode, err) == (1, b"interrupted\n")


def test_ctrl_c_inside_the_pools_bookkeeping_stops_synth_and_train_workers():
    """synth's and train's pool (blurscan.processes.pool_map): a Ctrl-C that lands while `concurrent.futures.wait`
    holds some of the futures' locks left one held, and the pool's shut-down then waited for ever."""
    from helpers_signals import CTRL_C_INSIDE_WAIT

    code = CTRL_C_INSIDE_WAIT + (
        "import multiprocessing, sys, time\n"
        "from blurscan.processes import pool_map, worker_pool\n"
        "try:\n"
        "    with worker_pool(2, multiprocessing.get_context('spawn')) as pool:\n"
        "        for _ in pool_map(pool, time.sleep, [0.05] * 40, 4):\n"
        "            pass\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit('interrupted')\n"
        "sys.exit('went on to the end')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=default_signals,
                            env={**os.environ, "CTRL_C_AT_WAIT": "3"})
    try:
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert (proc.returncode, err) == (1, b"interrupted\n")
