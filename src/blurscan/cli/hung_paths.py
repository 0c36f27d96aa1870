"""A path a command is given that does not answer, said before the command waits on it: a folder on a network share
whose server is gone (a stale NFS or SMB mount), or on a drive pulled out from under its FUSE program (ntfs-3g),
hangs whatever touches it, in the kernel, for as long as it hangs; blurscan cannot help waiting there (the library,
``--to`` or ``--db`` is the person's own), but says what it waits for instead of printing nothing: ``note: waiting
for /mnt/nas/photos to answer (a drive waking up, or a share or drive that does not respond?)`` on stderr. Until
2026-12-07 ``blurscan scan /mnt/nas/photos`` on a stale mount printed nothing at all while it waited.

The words of the command line are looked at (``os.stat``) in a daemon thread, before the command reads any: one
that answers within :data:`PATIENCE` seconds (all do, on a healthy system, in well under a millisecond) says
nothing. A word that is not a path (``0.5``, a command's name) costs one failed lookup in the current folder.

The same thread then watches the command (:func:`watch`), until it ends: a stored photo's path looked at
(``report``, ``review``, ``bursts``, ``move``/``trash``/``tag``, ``scan`` of the library: to tell the photos gone
from those on a drive not mounted, :mod:`blurscan.unmounted`) on a mount that answered when it was scanned and no
longer does waits in the kernel too; the command thread found waiting in one system call that looks at a file for
:data:`PATIENCE` seconds (:mod:`.waited_on`: read from ``/proc``, without touching the file system), the same note
names the path it waits for. Until 2026-12-08 ``report`` of a library whose NAS folder hung printed nothing, however
long it waited. The watch wakes every :data:`PATIENCE` / 3 seconds, and costs the command's own looks nothing."""
from __future__ import annotations

import os
import threading
from typing import Callable, Iterable

import click

from ..errors import printable_path

#: Seconds a path given may take to answer before the command says it is waiting for it (a USB drive spinning up
#: takes a few).
PATIENCE = 3.0


def say_if_waiting(words: Iterable[str], patience: float = PATIENCE,
                   stat: Callable[[str], object] = os.stat,
                   then: Callable[[], None] | None = None) -> str | None:
    """Look at each of ``words`` (a command line's, after its command's name: ``--to=X`` gives ``X``, an option's
    name none) in a daemon thread; where one has not answered after ``patience`` seconds, say on stderr that the
    command waits for it, and return it (else None). The thread is left to wait: the command waits there too.
    ``then``: what that thread does after the looks (:func:`watch`'s watch)."""
    paths = [w.split("=", 1)[1] if w.startswith("--") and "=" in w else w for w in words]
    paths = [p for p in paths if p and not p.startswith("-")]
    if not paths and then is None:
        return None
    at: list[str] = []
    looked = threading.Event()

    def look() -> None:
        for path in paths:
            at[:] = [path]
            try:
                stat(path)
            except (OSError, ValueError):
                pass
        at[:] = []
        looked.set()
        if then is not None:
            then()

    looking = threading.Thread(target=look, name="blurscan-paths-given", daemon=True)
    looking.start()
    if then is not None:
        _watching.extend((looking, looked))
    looked.wait(patience)
    waited = at[0] if at else None
    if waited is not None:
        say_waiting(waited)
    return waited


def say_waiting(path: str) -> None:
    """The note: ``note: waiting for PATH to answer (...)``, on stderr."""
    click.echo(f"note: waiting for {printable_path(os.path.abspath(path))} to answer (a drive waking up, or a "
               "share or drive that does not respond?)", err=True)


# (the watch of the command running, stopped as it ends, :func:`stop`: its event, its thread and whether it is done
# with the paths given)
_watching: list = []


def watch(words: Iterable[str], patience: float = PATIENCE, tid: int | None = None) -> str | None:
    """:func:`say_if_waiting` of ``words``; then, in that same thread, the command's thread (``tid``, default the
    calling one) watched until :func:`stop`: found waiting in one call that looks at a file for ``patience``
    seconds (two samples of :func:`.waited_on.sample` the same, that far apart), the path it waits for is said
    (once each)."""
    from . import waited_on

    stop()
    done, tid = threading.Event(), threading.get_native_id() if tid is None else tid
    _watching.append(done)  # (its thread and looks added by say_if_waiting)
    said: set[str] = set()
    period = patience / 3

    def keep_watching() -> None:
        seen: list = []  # (the samples of the last ``patience`` seconds, all the same)
        while not done.wait(period):
            now = waited_on.sample(tid)
            seen = seen + [now] if now is not None and seen and seen[-1] == now else [now] if now else []
            if len(seen) > 3:
                path = waited_on.path_of(now[0])
                # (said only where the thread is still in that call, not switched since: the path read is the one
                # it waits for, not what its memory or descriptor holds after it went on)
                if path is not None and path not in said and not done.is_set() and waited_on.sample(tid) == now:
                    said.add(path)
                    say_waiting(path)

    return say_if_waiting(words, patience, then=keep_watching)


def stop() -> None:
    """The watch of the command running (:func:`watch`) stopped, as it ends."""
    if _watching:
        done, *started = _watching
        _watching.clear()
        done.set()
        if started and started[1].is_set():  # (ended at once, unless it waits on a path given)
            started[0].join(5)
