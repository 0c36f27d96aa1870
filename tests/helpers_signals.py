"""Signals for tests that run a command in a child process: the child's signal state known (:func:`default_signals`),
and Ctrl-C at the worst moment (:data:`CTRL_C_INSIDE_WAIT`)."""
from __future__ import annotations

import signal

#: The signals a child started for its signal behaviour gets at their default action and unblocked, and the ones a
#: test must leave as it found them in the suite's process (conftest's guard)
CHILD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGCHLD", "SIGPIPE")
                      if hasattr(signal, name))


def default_signals() -> None:
    """In a child (``preexec_fn=default_signals``, or first thing in a ``preexec_fn`` of its own or after a fork):
    Ctrl-C, SIGTERM, SIGHUP, SIGCHLD and SIGPIPE at their default action and not blocked, as a command typed at a
    terminal gets them, whatever the suite's process has: a test run in the background by a script inherits SIGINT
    ignored (Python then never raises KeyboardInterrupt), one under ``nohup`` SIGHUP ignored, and a signal mask
    survives fork and exec (a SIGINT blocked in the child waits until blurscan itself unblocks it, if it ever does:
    a test then passes or fails by its timing)."""
    for sig in CHILD_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, CHILD_SIGNALS)


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
