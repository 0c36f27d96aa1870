"""Ctrl-C at the worst moment, for tests that run a command in a child process."""
from __future__ import annotations

#: Python code that makes the child's ``n``-th ``concurrent.futures.wait`` (counting from 1, ``n`` read from the
#: environment variable ``CTRL_C_AT_WAIT``) send the child a SIGINT after it has taken the first future's lock and
#: before the others: where a terminal's Ctrl-C can land, though seldom (one CI run in about a hundred).
CTRL_C_INSIDE_WAIT = """
import os, signal
import concurrent.futures._base as _base

_enter, _calls = _base._AcquireFutures.__enter__, []

def _ctrl_c_between_the_locks(self):
    _calls.append(1)
    if len(_calls) != int(os.environ["CTRL_C_AT_WAIT"]):
        return _enter(self)
    futures = list(self.futures)
    futures[0]._condition.acquire()
    os.kill(os.getpid(), signal.SIGINT)
    for future in futures[1:]:
        future._condition.acquire()

_base._AcquireFutures.__enter__ = _ctrl_c_between_the_locks
"""
