"""Where the file systems a batch put files on were mounted when it put them there: what undo needs to tell a file
gone (the ``--to`` emptied by hand, the trash emptied) from one on a drive not mounted now, wherever that drive was
mounted (``/srv/photos``, ``/home/me/ext``: not where drives are mounted, nor in /etc/fstab; :func:`.drives.unplugged`
cannot tell those).

A move records its ``--to``'s mount point once, as it begins (:func:`.journal.create_batch`, key
:data:`.journal.DRIVE_KEY`). A trash batch records the mount point of each trash folder it puts a file in, the first
time it does, before that file moves (:func:`noter`): a photo on a drive goes to that drive's own trash
(``$topdir/.Trash-UID``, the freedesktop rules of :mod:`.trash`), and one batch may take photos from several drives
(keys ``batch_drive:<batch id>:<n>``). None is recorded for a folder on the root's file system. Both since 2026-12-07:
batches from before record nothing and are undone as before.
"""
from __future__ import annotations

import os
from typing import Callable

from ..store import db_path, path_from_db
from . import drives, journal


def noter(store, batch_id: int) -> Callable[[str], None]:
    """For a trash batch: ``note(dst)``, called once the trash chose ``dst`` for a file and before the file goes
    there, records where the file system of ``dst``'s trash folder is mounted (:func:`.drives.mount_point`), once a
    trash folder a batch (its mount point looked up once, not for each file)."""
    seen: set[str] = set()
    points = set(recorded(store, batch_id))

    def note(dst: str) -> None:
        folder = os.path.dirname(dst)  # (the trash's files/, made by then)
        if folder in seen:
            return
        point = drives.mount_point(folder)
        if point is not None and point not in points:
            with store.transaction() as conn:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             (f"{journal.DRIVE_KEY.format(batch_id)}:{len(points) + 1}", db_path(point)))
            points.add(point)
        seen.add(folder)
    return note


def recorded(store, batch_id: int) -> list[str]:
    """The mount points batch ``batch_id`` recorded (a move's ``--to``'s, a trash batch's trash folders')."""
    key = journal.DRIVE_KEY.format(batch_id)
    rows = store.conn.execute("SELECT value FROM meta WHERE key = ? OR substr(key, 1, ?) = ?",
                              (key, len(key) + 1, key + ":")).fetchall()
    return [path_from_db(value) for (value,) in rows if isinstance(value, (str, bytes))]


def reader(store, batch_id: int, kind: str) -> Callable[[str | None], str | None]:
    """``drive_of(dst)``: where the file system holding ``dst`` (a file batch ``batch_id`` of ``kind`` put there)
    was mounted when the batch put it there, as recorded; None when nothing was (the root's file system, a tag
    batch, one from before 2026-12-07). A move's one ``--to`` holds all its files; a trash batch's file is in the
    trash folder of the deepest recorded mount point holding it, its folder's links followed as the system follows
    them (``os.path.realpath``, once a folder), since the mount points are recorded so: the home trash is recorded
    as the user's ``~`` names it (``/home/me/.local/share/Trash``), and where ``/home`` is a link to ``/var/home``
    (Fedora Silverblue, some NAS systems) its file system is mounted at ``/var/home``. Until 2026-12-07 such a
    file matched no recorded mount point: with that file system not mounted, ``report`` said the photos "no longer
    in the trash" and undo said them gone and closed the batch."""
    points = recorded(store, batch_id) if kind in ("move", "trash") else []
    if kind == "move":
        return lambda _dst: points[0] if points else None
    real: dict[str, str] = {}  # a trash folder -> its real path

    def drive_of(dst: str | None) -> str | None:
        if not dst or not points:
            return None
        folder = os.path.dirname(dst)
        if folder not in real:
            real[folder] = os.path.realpath(folder)
        holding = [p for p in points if any(path.startswith(p.rstrip(os.sep) + os.sep)
                                            for path in (dst, real[folder] + os.sep))]
        return max(holding, key=len) if holding else None
    return drive_of


def drive_of(store, row: journal.JournalRow, kind: str) -> str | None:
    """:func:`reader` of ``row``'s batch, for its destination."""
    return reader(store, row.batch_id, kind)(row.dst)
