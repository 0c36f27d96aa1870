"""Two threads each fork from inside their scan() (from its progress callback) at the same time: a fork waits for
the calls in progress of the other threads (blurscan.forking), and until 2026-12-05 each of these two waited for
the other's call, which could not go on while its own fork waited: both hung to the time allowed (30 seconds),
for ever with a longer one. A thread forking is not waited for now. Run with the time allowed made 10 minutes,
under a timeout: the test cannot hang."""
from __future__ import annotations

import json
import sys

import pytest

from helpers_os import run_script_on_two_photos

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: os.fork")

_SCRIPT = """
import json, os, sys, threading
import blurscan
from blurscan import forking

forking.FORK_WAIT_SECONDS = 600.0
folder = sys.argv[1]
both = threading.Barrier(2)
forked, scored = [], []

def scan():
    def progress(done, total):
        if done == 1:  # (once, inside the scan's step)
            both.wait()
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
            forked.append(pid)
    scored.append(len(list(blurscan.scan([folder], blurscan.ScanSettings(workers=1), progress=progress))))

threads = [threading.Thread(target=scan) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"forked": len(forked), "scored": scored}))
"""


def test_two_threads_forking_from_their_scans_at_once_go_on(tmp_path):
    done = run_script_on_two_photos(tmp_path, _SCRIPT, "the two forks waited for each other")
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"forked": 2, "scored": [2, 2]}
