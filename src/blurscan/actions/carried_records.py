"""The stored rows of a photo that undo put back into its library carried with its drive to another place.

A library whose database is on its drive (``/media/me/DISK/Photos/.blurscan.db``), its photos moved or trashed at
``/media/me/DISK``, then the drive mounted at another place (``/run/media/bob/DISK`` on a second computer, or
``/media/me/DISK1``): undo puts the photos back there (:func:`.batch_drives.library_moved`), where they now are.
Their record, keep or discard (and its history), burst group rows and replaced keeps go with them, to the path
undo put them back at, in the transaction that marks the row undone (:func:`blurscan.linked_names.rename_rows`):
nothing is scored again. Until 2026-12-07 they stayed under ``/media/me/DISK``: after a scan there (which
``report`` asks for first), ``report`` listed the library without them and said "1 stored photo under
/media/me/DISK is not listed ... `blurscan scan /run/media/bob/DISK/Photos` finds it there", a second scan to
carry what undo knew. The journal rows keep the paths the batch recorded, as every batch's do (undo reads them
through the drive's new place).

Only once the library has been scanned at the new place (a folder scanned there holds the photo): before that its
other photos are recorded at the old place, and so stay the photos undo puts back, the whole library then said in
one note, with the scan that finds it there (:func:`blurscan.unmounted.carried_note`). Carried alone, they split
the library's records between the two places, whose common folder (``/media/me``) became the library
(:func:`blurscan.library_root.library_root`): ``move`` said "the library is /media/me" and laid the photos out in
``--to`` under ``DISK1/lib``."""
from __future__ import annotations

import os
import time

from ..filetime import mtime_of
from ..linked_names import rename_rows
from ..scanned_roots import scanned_roots
from ..stored_paths import db_path
from .batch_drives import moved_along
from .undo_folders import under


def carried(store, rows, where: str, now: str) -> dict[int, str]:
    """Row id -> its file's place as the batch recorded it (under ``where``, where the library's drive was
    mounted), of those of ``rows`` whose place with the drive mounted at ``now`` is in a folder scanned there:
    the photos whose rows :func:`mark_put_back` moves along once undo has put them back."""
    there = [root for root in scanned_roots(store) if under(root, now)]
    return {r.id: r.src for r in rows if under(r.src, where) and
            any(under(moved_along(r.src, where, now), root) for root in there)} if there else {}


def mark_put_back(store, row_id: int, state: str, old: str, new: str) -> None:
    """Mark journal row ``row_id`` ``state`` and move the rows of the photo it put back at ``new`` from ``old``,
    its path where the library's drive was mounted when the batch took it, in one transaction. A record under
    ``new`` (another file's, scanned there and gone since) gives way to the photo's own, when that is of the file
    now at ``new`` (its size and modification time)."""
    try:
        st = os.stat(new)
    except OSError:
        identity = None
    else:
        identity = (st.st_size, mtime_of(st))
    before, after = db_path(old), db_path(new)
    with store.transaction() as conn:
        conn.execute("UPDATE journal SET state = ?, updated_at = ? WHERE id = ?", (state, time.time(), row_id))
        if identity is not None and conn.execute("SELECT 1 FROM images WHERE path = ? AND size = ? AND "
                                                 "mtime_ns = ?", (before, *identity)).fetchone() is not None:
            conn.execute("DELETE FROM images WHERE path = ?", (after,))
        rename_rows(conn, before, after, new, identity)
