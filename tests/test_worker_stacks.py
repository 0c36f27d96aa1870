"""``kill -USR1 PID`` of a scan's worker process writes that worker's stack to standard error and the scan goes
on, as the command's own process does (README, Troubleshooting). Until 2026-12-06 SIGUSR1 killed the worker: the
scan, its pool broken, said "the worker processes died as they started ... put it under `if __name__ ==
"__main__":`" and scored every photo in its own process. A worker is born blocking SIGUSR1, so one sent as it
starts waits for the dump to be set up. A real scan, its first worker signalled as soon as it is seen."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from blurscan.scan_workers import POOL_FILES
from helpers_images import save_jpeg, textured

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task") or not hasattr(signal, "SIGUSR1"),
                                reason="finds the workers in Linux's /proc")


def _workers(parent: int) -> list[int]:
    """The pool's worker processes of ``parent`` (multiprocessing's spawned children, not its resource tracker)."""
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"spawn_main" in command and b"resource_tracker" not in command:
            found.append(int(name))
    return found


@pytest.mark.slow
def test_sigusr1_to_a_scan_worker_dumps_its_stack_and_the_scan_goes_on(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    firsts = [save_jpeg(tmp_path / f"p{i}.jpg", textured(i)) for i in range(4)]
    for i in range(POOL_FILES + 8):  # (enough photos for a pool of workers)
        shutil.copyfile(firsts[i % 4], lib / f"p{i:03d}.jpg")
    scan = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers",
                             "2", "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    signalled = None
    try:
        while scan.poll() is None and signalled is None:
            for worker in _workers(scan.pid):
                os.kill(worker, signal.SIGUSR1)
                signalled = worker
                break
            time.sleep(0.01)
        out, err = scan.communicate(timeout=300)
    finally:
        if scan.poll() is None:
            scan.kill()
            scan.communicate()
    assert signalled is not None, "no worker process was seen"
    assert scan.returncode == 0, err
    assert "died" not in err and "Traceback" not in err, err
    assert "(most recent call first):" in err and "spawn_main" in err, err  # (the worker's stack)
    assert len(out.splitlines()) == POOL_FILES + 8, out[-500:]
