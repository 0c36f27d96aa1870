"""A file a move or trash batch took, taken again by a later batch (its undo brings it back): the journal read for
:mod:`.undo`'s files found gone. Kept out of :mod:`.journal` (the batch protocol) for its length.
"""
from __future__ import annotations

from ..store import db_path
from .journal import _COLUMNS, JournalRow, _row


def later_sources(store, batch_id: int) -> frozenset[str]:
    """The places (as stored) of every row of the move and trash batches after ``batch_id``, whatever its state: a
    path not among them was taken by none of those batches (:func:`retaken`'s answer is then None, without its
    query, which reads every row of the later batches: the journal has no index by path)."""
    return frozenset(src for (src,) in store.conn.execute(
        "SELECT DISTINCT j.src FROM journal j JOIN batches b ON b.id = j.batch_id WHERE b.kind IN ('move', 'trash') "
        "AND j.batch_id > ?", (batch_id,)))


def retaken(store, row: JournalRow, among: frozenset[str] | None = None) -> JournalRow | None:
    """The row of the first move or trash batch after ``row``'s that took the very file ``row`` moved from its
    place again (``moving``, ``done``, ``undoing``: its undo puts it back), or None: put back by hand since (out of
    ``--to``, from the desktop's trash), then taken by that batch. The file is the same when the two rows hold the
    same size and sample (:func:`~blurscan.samples.sample_sha256`; its modification time where either could not be
    read) and, both being copies across drives, the same SHA-256: another file the person put at the photo's path,
    taken by the later batch, is not it. A ``row`` journaled before schema 3 (no sample, no time) is that file only
    by the two SHA-256: its size alone does not tell the photo from another of the same size. ``among``:
    :func:`later_sources` of ``row``'s batch or an earlier one, where one undo asks of many rows."""
    if among is not None and db_path(row.src) not in among:
        return None
    for later in [_row(r) for r in store.conn.execute(
            f"SELECT {_COLUMNS} FROM journal j JOIN batches b ON b.id = j.batch_id WHERE b.kind IN ('move', 'trash') "
            "AND j.batch_id > ? AND j.src = ? AND j.state IN ('moving', 'done', 'undoing') ORDER BY j.batch_id, j.id",
            (row.batch_id, db_path(row.src)))]:
        if row.size is None or later.size != row.size or (row.sha256 and later.sha256 and row.sha256 != later.sha256):
            continue
        if row.sample_sha256 is not None and later.sample_sha256 is not None:
            same = row.sample_sha256 == later.sample_sha256
        elif row.mtime_ns is not None and later.mtime_ns is not None:
            same = row.mtime_ns == later.mtime_ns
        else:  # (a row journaled before schema 3: its size alone, which another photo may have, a RAW of the same
            # camera: only both SHA-256, copies across drives, say it is the photo; until 2026-12-07 the size did)
            same = row.sample_sha256 is None and row.mtime_ns is None and bool(row.sha256 and later.sha256)
        if same:
            return later
    return None
