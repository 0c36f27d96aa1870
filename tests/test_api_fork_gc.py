"""A fork while the cyclic garbage collector closes a scan() generator left half-read in a reference cycle (held
by an object that refers to itself, a traceback kept): its closing is a step of the scan, which takes the lock a
fork holds in its handlers (blurscan.forking), and the collector runs in whatever thread allocates, the forking
one too. Until 2026-12-05 that lock was not re-entrant: the fork waited for itself, for ever (os.fork() never
returned; a DataLoader's workers never started). The collector's thresholds are set so that it runs at each
allocation in turn of the fork's handlers. The script runs under a timeout: the test cannot hang."""
from __future__ import annotations

import sys

import pytest

from helpers_os import run_script_on_two_photos

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: os.fork")

_SCRIPT = """
import gc, os, sys, time
import blurscan

folder = sys.argv[1]
for threshold in range(1, 9):
    for allocated in range(threshold + 2):  # (where in the fork's work the collector runs)
        gc.disable()
        holder = type("Holder", (), {})()
        holder.me = holder  # a reference cycle: only the collector frees it
        holder.records = blurscan.scan([folder], blurscan.ScanSettings(workers=1))
        next(holder.records)  # half-read
        gc.set_threshold(threshold, 0, 1000000)
        gc.collect(0)  # (the holder, still reachable, goes to the older generation: the next collection frees it)
        del holder
        kept = [[] for _ in range(allocated)]
        gc.enable()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        for _ in range(200):  # 10 seconds
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, 9)
            sys.exit(f"the child hung ({threshold}, {allocated})")
        gc.collect()
print("forked")
"""


@pytest.mark.slow
def test_a_fork_while_the_collector_closes_a_half_read_scan_returns(tmp_path):
    done = run_script_on_two_photos(tmp_path, _SCRIPT, "os.fork() hung: the fork waited for the lock it held")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["forked"]
