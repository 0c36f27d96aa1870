"""A worker process ends without the interpreter's teardown once its pool stops it (blurscan.processes
.end_without_teardown): what ``sys.exit`` would run first (atexit callbacks, buffered output) still runs, and a
worker ending on an error ends as before."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="spawned workers' teardown: Linux and macOS")

#: A program whose pool of two spawned workers (initializer: the scan's, synth's and train's tune_worker) each
#: print a buffered line, register an atexit callback and hold an object whose __del__ runs in the teardown.
SCRIPT = r"""
import atexit, concurrent.futures as cf, multiprocessing, os, sys

from blurscan.processes import tune_worker

MARKS = sys.argv[1]


class Teardown:
    def __init__(self):
        self.path = os.path.join(MARKS, f"teardown-{os.getpid()}")

    def __del__(self, _open=open):  # (the module's names may be gone by then)
        _open(self.path, "w").close()


def init():
    tune_worker()
    global HELD
    HELD = Teardown()
    atexit.register(lambda: open(os.path.join(MARKS, f"atexit-{os.getpid()}"), "w").close())
    print(f"worker {os.getpid()} started")  # block-buffered: stdout is a pipe


def pid(_):
    return os.getpid()


if __name__ == "__main__":
    pool = cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=init)
    pids = set(pool.map(pid, range(8)))
    procs = list(pool._processes.values())
    pool.shutdown(wait=True)
    print("exit codes", sorted(p.exitcode for p in procs))
"""


def test_a_worker_ends_without_the_teardown_after_its_atexit_callbacks_and_output(tmp_path):
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT)
    marks = tmp_path / "marks"
    marks.mkdir()
    # (stdout block-buffered, as the worker's comment says: under PYTHONUNBUFFERED, which some machines set, each
    # print is two writes, so the two workers' lines could interleave, "worker A startedworker B started", and
    # nothing buffered would be left to flush)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    out = subprocess.run([sys.executable, str(script), str(marks)], capture_output=True, text=True, timeout=120,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert "exit codes [0, 0]" in out.stdout
    started = [line.split()[1] for line in out.stdout.splitlines() if line.endswith(" started")]
    assert len(started) == 2, out.stdout  # each worker's buffered line flushed before it ended
    names = sorted(p.name for p in marks.iterdir())
    assert names == sorted(f"atexit-{pid}" for pid in started), names  # (no "teardown-": the teardown skipped)


def test_a_worker_ending_on_an_error_ends_as_before(tmp_path):
    # the finalizer runs while the worker's run() is ending on an exception: its traceback and exit code 1 stay
    script = textwrap.dedent("""
        import os
        from blurscan.processes import _end_now
        _end_now(os.getpid() + 1)  # (a forked child's copy of the finalizer: not its own)
        try:
            raise ValueError("the worker's error")
        finally:
            _end_now(os.getpid())
        """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "ValueError: the worker's error" in out.stderr, out


def test_nothing_is_set_in_a_process_that_multiprocessing_did_not_start():
    from blurscan.processes import end_without_teardown

    assert end_without_teardown() is False  # (a program's own process: its exit is its own)
