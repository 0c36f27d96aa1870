"""Stored results of photos renamed or moved by hand (a folder renamed, photos sorted into sub-folders).

The store finds a photo's record by its path, size and modification time, so a photo moved with ``mv`` or a
file manager was decoded and scored again, as if it were new: renaming a folder of 10,000 photos cost a full
scan. A move or a rename keeps the file's size and modification time (to the nanosecond), so
:func:`lookup_renamed` looks for a stored record with the same two and the same suffix (``.jpg``, in any case),
under the same cache key, at a path where no file is any more. The file name may differ: a photo renamed by hand
(``IMG_0051.JPG`` -> ``Sunset.JPG``) lost its keep when the name had to match too, and ``move --all-blurry``
took it. It is taken only when the match is unambiguous (one vanished stored photo and one new file for that
suffix, size and time; a duplicate still in its place elsewhere is no candidate); a copy (the old path still there)
is scored afresh.
So are RAW + JPEG pairs, whose record depends on the twin beside them, and a pair's JPEG judged from its RAW (a
small JPEG) moved without it: their scores are not reused, but they are still recognised as moved. The person's
keep / discard decision goes with the photo (:func:`carry_decisions`): it was made on this very file (same size and
time), and a keep left behind under the old path let ``move --all-blurry`` take the renamed photo (a pair too, until
pairs were recognised). The scan's prune then forgets the old path's row.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence

from .config import RAW_SUFFIXES
from .fileread import is_raw
from .records import ImageRef, ScanRecord


def lookup_renamed(conn, refs: Sequence[ImageRef], cache_key: str,
                   moves: dict[str, str] | None = None) -> dict[str, ScanRecord]:
    """Records for ``refs`` (files the store has no record of) that the store holds under a vanished path:
    new path -> the record, its ``path`` set to the new one, ``cached`` True and ``moved_from`` the old path. ``moves``, when given, gets
    new path -> old path for each photo recognised as moved, including those whose scores are not reused (a
    RAW + JPEG pair, a pair's small JPEG moved without its RAW)."""
    from .store import _record, path_from_db

    wanted: dict[tuple[str, int, int], list[ImageRef]] = {}
    for ref in refs:
        wanted.setdefault((_kind(ref.path), ref.size, ref.mtime_ns), []).append(ref)
    if not wanted:
        return {}
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS renamed_wanted (size INTEGER, mtime_ns INTEGER, "
                 "PRIMARY KEY (size, mtime_ns)) WITHOUT ROWID")  # one scan of images, an index probe per row
    conn.execute("DELETE FROM temp.renamed_wanted")
    conn.executemany("INSERT INTO temp.renamed_wanted VALUES (?, ?)", {(size, t) for _, size, t in wanted})
    rows = conn.execute(
        "SELECT i.path, i.size, i.mtime_ns, i.record FROM images i WHERE i.cache_key = ? AND i.status = 'ok' "
        "AND EXISTS (SELECT 1 FROM temp.renamed_wanted w WHERE w.size = i.size AND w.mtime_ns = i.mtime_ns)",
        (cache_key,)).fetchall()
    stored: dict[tuple[str, int, int], list[tuple[str, str]]] = {}
    for key, size, mtime_ns, blob in rows:
        old = path_from_db(key)
        stored.setdefault((_kind(old), size, mtime_ns), []).append((old, blob))
    found: dict[str, ScanRecord] = {}
    for identity, olds in stored.items():
        news = wanted.get(identity, [])
        if len(news) != 1:
            continue  # ambiguous: two new files of one suffix, size and time
        # the vanished ones only: a duplicate still in its place (a backup folder, a card imported twice) is no
        # candidate, and counting it made every photo of a renamed folder that has a copy elsewhere ambiguous
        olds = [(old, blob) for old, blob in olds if old != news[0].path and not os.path.lexists(old)]
        if len(olds) != 1:
            continue  # none vanished (a copy, not a move), or two: ambiguous
        (old, blob), new = olds[0], news[0]
        if moves is not None:
            moves[new.path] = old
        record = _record(json.loads(blob))
        if new.raw_twin:
            continue  # a pair: its record depends on the twin beside it, judged afresh
        if is_raw(record.format or "") and os.path.splitext(new.path)[1].lower() not in RAW_SUFFIXES:
            continue  # a JPEG judged from its RAW twin, moved without it: the JPEG alone is judged afresh
        record.path = new.path
        record.cached = True
        record.moved_from = old
        found[new.path] = record
    return found


def _kind(path: str) -> str:
    """The part of a photo's name a rename keeps: its suffix, in lower case (``IMG_0051.JPG`` renamed
    ``Sunset.jpg`` is the same file; a ``.heic`` and a ``.jpg`` of one size and time are not)."""
    return os.path.splitext(path)[1].lower()


def carry_decisions(store, moves: dict[str, str]) -> None:
    """Move the decisions of photos moved by hand (``moves``: new path -> old path) to their new paths: only a
    decision made on this version of the file (same size and time as the stored photo, so as the file found)
    and only where the new path has none. Their places in burst groups (``blurscan bursts``: the same file, so
    the same shot) go with them too: left under the old path, ``move --from-bursts NEWFOLDER`` took nothing
    from the renamed folder until ``bursts`` ran again, and a keeper chosen in the review page was lost. A photo
    that a ``blurscan move`` batch took there (a ``--to`` inside the library) keeps them under its old path, where
    ``undo`` puts it back."""
    if not moves:
        return
    from .store import db_path

    # a photo `blurscan move` took to a --to inside the library is no move by hand: its decision and burst place
    # stay with the path `undo` puts it back to (carried to the destination, undo brought it back undecided)
    away = store.moved_away()
    moves = {new: old for new, old in moves.items() if old not in away}
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE OR IGNORE decisions SET path = ? WHERE path = ? AND EXISTS (SELECT 1 FROM images i WHERE "
            "i.path = decisions.path AND i.size = decisions.size AND i.mtime_ns = decisions.mtime_ns)",
            [(db_path(new), db_path(old)) for new, old in moves.items()])
        conn.executemany("UPDATE OR IGNORE burst_groups SET path = ? WHERE path = ?",
                         [(db_path(new), db_path(old)) for new, old in moves.items()])
