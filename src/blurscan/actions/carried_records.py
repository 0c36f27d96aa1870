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
through the drive's new place)."""
from __future__ import annotations

import os
import time

from ..filetime import mtime_of
from ..linked_names import rename_rows
from ..stored_paths import db_path


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
