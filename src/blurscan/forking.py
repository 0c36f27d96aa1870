"""A fork (a PyTorch DataLoader's workers, ``multiprocessing`` with ``fork``, ``os.fork``) waits until no other
thread of the process is inside :func:`blurscan.score_image` or a step of :func:`blurscan.scan` (its work up to
the next record), their first call's imports included.

A child inherits every lock as it was at the fork, and none of the other threads: one held by another thread then
is held for ever in the child. Python's import locks are such locks. A thread's first ``score_image`` imports the
library's modules, NumPy, OpenCV and ONNX Runtime (about a second) and opens the model; a child forked meanwhile
(a DataLoader made while a thread started scoring) found ``blurscan.pipeline`` half imported, its lock held by a
thread it has not got, and hung for ever at its own first call (until 2026-12-05; :mod:`blurscan.jpeg` and
:mod:`blurscan.model.forked` guarded a JPEG decode and a model call, not the imports around them).

:data:`calls` counts the calls in progress (re-entrant: a thread's nested call counts once); a fork waits for those
of the other threads (a call takes milliseconds once the modules are imported; at most :data:`FORK_WAIT_SECONDS`)
and holds new ones back until it is done. The library's other fork handlers are registered here
(:func:`at_fork`), to run after that wait: one run before it could hold a lock that a call in progress needs to
end (the stderr lock around a JPEG decode), and the fork would wait for it to the end of the time allowed.

This module imports nothing but the standard library (a few milliseconds): ``import blurscan`` imports it.
"""
from __future__ import annotations

import contextlib
import functools
import logging  # noqa: F401  (see below)
import os
import threading

TYPE_CHECKING = False  # (typing is not imported at run time: `import blurscan` imports this module)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import ParamSpec, TypeVar

    P = ParamSpec("P")
    R = TypeVar("R")
    T = TypeVar("T")

#: How long a fork waits for the calls of other threads to end (then it goes ahead, as it did before).
FORK_WAIT_SECONDS = 30.0


class _Calls:
    """The library calls in progress in this process, by thread, which a fork waits for."""

    def __init__(self) -> None:
        # Re-entrant: the cyclic garbage collector may close a scan() generator left half-read in a reference
        # cycle (its closing is a step, counted) in whatever thread allocates, this lock held or not, a fork's
        # handlers included; with a plain lock that thread waited for itself, for ever (until 2026-12-05).
        self._cond = threading.Condition(threading.RLock())
        self._depth: dict[int, int] = {}  # thread id -> nested calls of that thread
        self._forking: list[int] = []  # the threads whose fork is under way (waiting for the calls in progress)

    @contextlib.contextmanager
    def __call__(self):
        me = threading.get_ident()
        with self._cond:
            if me not in self._depth:  # a thread's outermost call waits for a fork under way in another thread
                # (not a nested call; not one in its own fork's handlers, the garbage collector's: see above)
                self._cond.wait_for(lambda: not set(self._forking) - {me})
            self._depth[me] = self._depth.get(me, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                self._depth[me] -= 1
                if not self._depth[me]:
                    del self._depth[me]
                    self._cond.notify_all()

    def before_fork(self) -> None:
        me = threading.get_ident()
        self._cond.acquire()  # held across the fork (but while it waits)
        self._forking.append(me)
        # (not for its own thread's call, nor for a thread forking too, from its call (a progress callback): it waits
        # in its fork's handlers, its call no further on, and until 2026-12-05 each of two such forks waited for the
        # other to the time allowed)
        self._cond.wait_for(lambda: not set(self._depth) - set(self._forking), timeout=FORK_WAIT_SECONDS)

    def after_fork_in_parent(self) -> None:
        self._forking.remove(threading.get_ident())
        self._cond.notify_all()
        self._cond.release()

    def after_fork_in_child(self) -> None:
        me = threading.get_ident()
        depth = self._depth.get(me)
        self.__init__()  # the other threads, and their calls, are not in the child
        if depth:
            self._depth[me] = depth


calls = _Calls()


def waited_for(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` with its calls counted among those a fork waits for (:data:`calls`)."""
    @functools.wraps(func)
    def counted(*args, **kwargs):
        with calls():
            return func(*args, **kwargs)
    return counted


def steps_waited_for(generator_function: Callable[P, Iterator[T]]) -> Callable[P, Iterator[T]]:
    """``generator_function`` with each step of its generators (the work up to the next item, and the closing)
    counted among the calls a fork waits for; not the time the caller holds an item, in which it may fork."""
    @functools.wraps(generator_function)
    def counted(*args, **kwargs):
        steps = generator_function(*args, **kwargs)
        try:
            while True:
                with calls():
                    try:
                        item = next(steps)
                    except StopIteration:
                        return
                yield item
        finally:
            with calls():
                steps.close()
    return counted

_HANDLERS: list[tuple] = []  # (before, after_in_parent, after_in_child) of the library's other modules
_RAN: list[list[tuple]] = []  # the handlers whose ``before`` ran, for the fork under way


def at_fork(*, before, after_in_parent, after_in_child) -> None:
    """``os.register_at_fork`` for the library's modules: ``before`` runs once :data:`calls` has waited (in the
    order of registration), the others after the fork (in the reverse order)."""
    _HANDLERS.append((before, after_in_parent, after_in_child))


def _before() -> None:
    calls.before_fork()
    ran = list(_HANDLERS)  # (a module imported by a call waited for registers its handlers meanwhile: from here on)
    _RAN.append(ran)
    for before, _, _ in ran:
        before()


def _after_in_parent() -> None:
    for _, after, _ in reversed(_RAN.pop()):
        after()
    calls.after_fork_in_parent()


def _after_in_child() -> None:
    for _, _, after in reversed(_RAN.pop()):
        after()
    calls.after_fork_in_child()


# Registered after logging's handlers (imported above: a first call imports it), so that this wait runs before
# them: a module first imported while a fork waits registers handlers that Python runs after the fork, their
# ``before`` not run, and logging's then printed "Exception ignored ... cannot release un-acquired lock".
if hasattr(os, "register_at_fork"):  # (not on Windows, which has no fork)
    os.register_at_fork(before=_before, after_in_parent=_after_in_parent, after_in_child=_after_in_child)
