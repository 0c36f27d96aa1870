"""The drives the scanned folders are on, recorded by every scan with their identity (:func:`remember_drives`), by
which :func:`remounted` tells the stored photos of a drive plugged in again and mounted at another place
(``/media/me/DISK`` taken, so ``/media/me/DISK1``) from photos gone: what ``report`` and the review page say of them
(:mod:`blurscan.unmounted`), with the scan that finds them there, where the database is kept off the drive
(``--db ~/lib.db``). A database on the drive, carried with it, is told by its own place
(:func:`blurscan.actions.batch_drives.carried_library`).

Kept in the ``meta`` table under :data:`DRIVES_KEY` (a JSON object, mount point -> identity, as
:data:`blurscan.scanned_roots.ROOTS_KEY` keeps the roots): a database written before (2026-12-07) records none, and
its photos are judged as before. A folder on the root's file system, or on one with no identity
(:mod:`blurscan.actions.drive_ids`: FAT, a share), records nothing.
"""
from __future__ import annotations

import json
import os

from . import stored_json

#: The ``meta`` key under which a database keeps the drives of the folders scanned into it.
DRIVES_KEY = "scanned_root_drives"


def remember_drives(store, roots) -> None:
    """Record the mount point and identity of the drive holding each of ``roots`` (scanned folders, absolute) that
    has one (:func:`blurscan.actions.drive_ids.identity`); written only when something changes. The mount table read
    once, each drive's identity told once (a ``--files-from`` list's thousands of folders)."""
    from .actions import drive_ids

    points = {m.point for m in drive_ids.mounts()}
    found: dict[str, str] = {}
    told: dict[str, str | None] = {}
    for root in roots:
        at = os.path.realpath(root)
        while at not in points and os.path.dirname(at) != at:
            at = os.path.dirname(at)
        if os.path.dirname(at) == at:
            continue  # (the root's file system)
        if at not in told:
            told[at] = drive_ids.identity(at)
        if told[at] is not None:
            found[at] = told[at]
    known = recorded_drives(store)
    if all(known.get(point) == ident for point, ident in found.items()):
        return
    with store.transaction() as conn:  # (read again under the write lock)
        known = {**recorded_drives(store), **found}
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (DRIVES_KEY, json.dumps(known)))


def recorded_drives(store) -> dict[str, str]:
    """Mount point -> identity, of the drives :func:`remember_drives` recorded; empty for a database from before."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (DRIVES_KEY,)).fetchone()
    try:
        found = stored_json.parsed(row[0], "a stored value") if row is not None else {}
    except (TypeError, ValueError):
        return {}
    return {p: i for p, i in found.items() if isinstance(p, str) and os.path.isabs(p) and isinstance(i, str)} \
        if isinstance(found, dict) else {}


class Remounted:
    """``remounted(folder)``: ``(point, now)`` where ``folder`` is at or under ``point``, where a recorded drive was
    mounted when it was scanned, and that drive is mounted at another place ``now`` (found by its identity, never
    while it is mounted at ``point`` too; a :class:`.actions.drive_ids.Twins` where drives of that identity are
    mounted at more than one place: the drive and a copy of it, not told apart); else None. Each drive looked up once (the mount table read)."""

    def __init__(self, store) -> None:
        self._drives = recorded_drives(store)
        self._now: dict[str, str | None] = {}

    def __call__(self, folder: str) -> tuple[str, str] | None:
        for point in self._points(folder):
            now = self._mounted(point)
            if now is not None and now != point:  # (or drive_ids.Twins: its drive and a copy, not told apart)
                return point, now
        return None

    def unplugged(self, folder: str) -> str | None:
        """The deepest place at or above ``folder`` where a recorded drive was mounted when it was scanned, that
        drive mounted nowhere now (unplugged: a desktop removes its mount point, ``/media/me/DISK``); else None.
        Until 2026-12-07 its photos were said "moved, renamed or deleted", the mount point gone with the drive."""
        for point in sorted(self._points(folder), key=len, reverse=True):
            if self._mounted(point) is None:
                return point
        return None

    def _points(self, folder: str) -> list[str]:
        return [p for p in self._drives if folder == p or folder.startswith(p.rstrip(os.sep) + os.sep)]

    def _mounted(self, point: str):
        """Where the drive recorded at ``point`` is mounted now (:func:`.actions.drive_ids.mounted_at`), once."""
        if point not in self._now:
            from .actions import drive_ids
            self._now[point] = drive_ids.mounted_at(self._drives[point], point)
        return self._now[point]
