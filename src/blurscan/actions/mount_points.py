"""The folders where file systems are mounted (:func:`.drives.mounts`' points), read again only when the mount
table has changed: the trash asks for them once or more a photo (:func:`.trash.trash_dir_for`: the top folder of
its drive, and whether it is a btrfs subvolume of the home trash's file system), and reading /proc/self/mountinfo
costs what its lines do (0.15 ms for 20 mounts, 2 ms for 300: a desktop with snaps and containers has hundreds).
Until 2026-12-07 a ``trash --yes`` of 2,000 photos on a drive read it three times a photo: 14 to 30 s with 300
mounts instead of 2 s.

The kernel says when the table changed: an open /proc/self/mountinfo is marked ``POLLPRI`` by any mount, unmount,
move or remount in this process's mount namespace since it was opened or last polled (proc(5)). One is kept open
(opened before the table is read: a change while it is read is seen next time) and polled, without waiting, at
each call; the table is read again on a change, in a process forked since (its own), or where that cannot be
told (a :data:`.drives.MOUNTINFO` not under /proc, the tests'; no poll: every call reads, as before).
"""
from __future__ import annotations

import os
import select
import threading

from . import drives

_lock = threading.Lock()
#: (:data:`.drives.MOUNTINFO`, the process, the poller of the file kept open, its descriptor, the points read).
_kept: tuple | None = None


def current() -> frozenset[str]:
    """The mount points of :func:`.drives.mounts` now; raises as it does (FileNotFoundError: no mount table)."""
    global _kept
    with _lock:
        table, pid = drives.MOUNTINFO, os.getpid()
        if _kept is not None:
            kept_table, kept_pid, poller, fd, points = _kept
            if (kept_table, kept_pid) == (table, pid) and not poller.poll(0):
                return points
            if kept_pid == pid:
                os.close(fd)
            _kept = None
        watched = _watch(table)
        points = frozenset(m.point for m in drives.mounts())
        if watched is not None:
            _kept = (table, pid, *watched, points)
        return points


def _watch(table: str) -> tuple | None:
    """A poller and the descriptor of ``table`` opened for it, where the kernel marks a change of it (a file of
    /proc); None elsewhere."""
    if not os.path.realpath(table).startswith("/proc/") or not hasattr(select, "poll"):
        return None
    try:
        fd = os.open(table, os.O_RDONLY)
    except OSError:
        return None
    poller = select.poll()
    poller.register(fd, select.POLLPRI)
    return poller, fd
