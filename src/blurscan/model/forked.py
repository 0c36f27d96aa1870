"""ONNX Runtime in a program that forks (a PyTorch DataLoader's workers, ``multiprocessing`` with ``fork``).

A child process forked while another thread was inside a session's ``run`` inherited the mutexes that thread
held, and no thread to release them: the child hung for ever in its first ``run`` (one fork in five, forking
in a loop while three threads scored, until 2026-12-05). :data:`runs` counts the model calls in progress in
this process, and a fork waits until there are none (a call takes milliseconds) and holds new ones back until
it is done. A child also makes its own session at its first call
(:meth:`blurscan.model.runtime.Classifier._run`): the parent's intra-op threads do not exist in it (its calls ran
on one thread), and the parent's sessions are never freed in it (:func:`never_freed`: freeing one hung).
"""
from __future__ import annotations

import contextlib
import ctypes
import threading
import weakref

from .. import forking

#: How long a fork waits for the model calls of other threads to end (then it goes ahead, as it did before).
FORK_WAIT_SECONDS = 30.0


class _Runs:
    """The model calls in progress in this process, which a fork waits for."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._running = 0
        self._forks = 0  # forks waiting for the calls in progress to end
        self.lock = threading.Lock()  # a child's first call: the session it opens replaces the parent's

    @contextlib.contextmanager
    def __call__(self):
        with self._cond:  # a fork waiting or under way: a new call waits for it (or the fork might never come)
            self._cond.wait_for(lambda: not self._forks)
            self._running += 1
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                if not self._running:
                    self._cond.notify_all()

    def before_fork(self) -> None:
        self._cond.acquire()  # held across the fork (but while it waits)
        self._forks += 1
        self._cond.wait_for(lambda: not self._running, timeout=FORK_WAIT_SECONDS)

    def after_fork_in_parent(self) -> None:
        self._forks -= 1
        self._cond.notify_all()
        self._cond.release()

    def after_fork_in_child(self) -> None:
        self.__init__()  # the other threads, and their calls, are not in the child
        for session in list(_SESSIONS):  # the parent's sessions: never freed here
            never_freed(session)
        _SESSIONS.clear()


runs = _Runs()
_SESSIONS: weakref.WeakSet = weakref.WeakSet()  # the sessions opened in this process (:func:`opened`)


def opened(session):
    """``session``, a new ONNX Runtime session of this process, noted so that a forked child never frees it."""
    _SESSIONS.add(session)
    return session


forking.at_fork(before=runs.before_fork, after_in_parent=runs.after_fork_in_parent,
                after_in_child=runs.after_fork_in_child)  # (after the wait for score_image's calls: :mod:`..forking`)


def never_freed(session) -> None:
    """Keep the parent's ``session`` in a forked child for the life of the process, never destroyed.

    Its destructor stops and joins the parent's intra-op threads, which the child has not got: a child that
    freed it (at its exit, one in two with ``model_threads=3``; replacing it with its own) hung there for ever.
    The reference added here is never given back, so not even the interpreter's shut-down frees it; the memory
    is the parent's, shared with it until written."""
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(session))
