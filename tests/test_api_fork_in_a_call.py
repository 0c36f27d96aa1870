"""A fork from inside a call (from scan()'s progress callback), and a call inside a call while another thread
forks: a fork waits for the calls in progress of the other threads only (blurscan.forking), and a thread's
nested call (score_image from its scan's progress callback) does not wait for a fork under way, which waits for
that thread's call; a child forked inside a call goes on with it. Either wait would last the time allowed (30
seconds), made 10 minutes here: each script runs under a timeout, and the test cannot hang."""
from __future__ import annotations

import sys

import pytest

from helpers_os import run_script_on_two_photos

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only: os.fork")

_OWN = """
import os, sys
import blurscan
from blurscan import forking

forking.FORK_WAIT_SECONDS = 600.0

def progress(done, total):
    if done == 1:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        print("forked")
print(len(list(blurscan.scan([sys.argv[1]], blurscan.ScanSettings(workers=1), progress=progress))))
"""

_CHILD_GOES_ON = """
import os, sys
import blurscan

child = []

def progress(done, total):
    if done == 1:
        pid = os.fork()
        if pid == 0:
            child.append(True)  # (the child goes on with the scan: its call, begun in the parent, ends here)
        else:
            os.waitpid(pid, 0)
n = len(list(blurscan.scan([sys.argv[1]], blurscan.ScanSettings(workers=1), progress=progress)))
print("child" if child else "parent", n, flush=True)
if child:
    os._exit(0)
"""

_NESTED = """
import os, sys, threading, time
import blurscan
from blurscan import forking

forking.FORK_WAIT_SECONDS = 600.0
folder = sys.argv[1]
forking_soon = threading.Event()
said = []

def progress(done, total):
    if done == 1:
        forking_soon.set()
        time.sleep(0.5)  # (the other thread's fork is under way, waiting for this call)
        said.append(blurscan.score_image(os.path.join(folder, "p0.jpg")).status)

def scan():
    said.append(len(list(blurscan.scan([folder], blurscan.ScanSettings(workers=1), progress=progress))))

thread = threading.Thread(target=scan)
thread.start()
forking_soon.wait()
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
thread.join()
print("forked", *said)
"""


@pytest.mark.parametrize("script,said", [(_OWN, "forked 2"), (_CHILD_GOES_ON, "child 2 parent 2"),
                                         (_NESTED, "forked ok 2")])
def test_a_fork_waits_for_no_call_of_its_own_thread(tmp_path, script, said):
    done = run_script_on_two_photos(tmp_path, script, "the fork and the call waited for each other")
    assert done.returncode == 0, done.stderr[-2000:]
    assert " ".join(done.stdout.split()) == said


_HOLDING = """
import os, sys, threading
import blurscan
from blurscan import forking

forking.FORK_WAIT_SECONDS = 600.0
holding, forked = threading.Event(), threading.Event()
read = []

def scan():
    for record in blurscan.scan([sys.argv[1]], blurscan.ScanSettings(workers=1)):
        read.append(record.status)
        holding.set()
        forked.wait()  # (a record held, no step of the scan under way)

thread = threading.Thread(target=scan)
thread.start()
holding.wait()
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
forked.set()
thread.join()
print("forked", *read)
"""


def test_a_fork_goes_ahead_while_another_thread_holds_a_record(tmp_path):
    """A scan() is waited for a step at a time, not while its loop holds a record (it may wait on the fork)."""
    done = run_script_on_two_photos(tmp_path, _HOLDING, "the fork waited for a thread holding a record, which waited for the fork")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["forked", "ok", "ok"]
