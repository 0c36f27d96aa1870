"""Photos moved to a drive that keeps coarser times (FAT, exFAT): the stored time given the one the drive kept.

:mod:`blurscan.renamed` knows a photo moved by hand by its size and modification time, to the nanosecond. A
library moved to a FAT memory card or USB drive (``rsync -a``, ``cp -p`` then the original deleted, a file
manager's move across drives) keeps each photo's time only to 2 seconds there (exFAT: to 10 milliseconds), so no
photo had its time any more: until 2026-12-06 the whole library was decoded and scored again, every keep and
discard and every burst place was lost, and the old rows stayed, announced "no longer on disk" by ``report``.

:func:`give_coarse_times` looks, among the files a scan found changed whose time is a whole number of 10
milliseconds, for a stored photo of the same file name (in any case and Unicode form: a Mac writes an accented
name decomposed on the drives it formats), the same size and a time less than 2 seconds from theirs, whose file
is gone: one such photo for one such file, and a sample of the file's bytes (:mod:`blurscan.replaced`: its size
and first and last 64 KiB) that is the stored one. That photo's row, its keep
or discard and its burst rows are then given the file's time (:func:`blurscan.shifted.give_new_times`), so that
:func:`blurscan.renamed.lookup_renamed` finds the move as any other: the scores reused, the decisions and the
burst place carried to the new path, the old row forgotten. It is told which file is which photo (its
``paired``): fixed-size photos taken a second apart (uncompressed TIFF, BMP or RAW) have one time on FAT, and
until 2026-12-06 that made every one of them an ambiguous move, scored afresh, its decisions lost. A photo
still in its place is no candidate (a copy, scored afresh, starts undecided, as before), and so is one whose
record has no sample (stored before 2026-12). A photo dated beyond what the drive keeps (a scanned slide dated 1975
by its EXIF: FAT and exFAT keep 1980 to 2107) has the drive's earliest or latest time there
(:func:`blurscan.filetime.drive_edge`): a stored photo of its name and size whose time is beyond that one is a
candidate too (until 2026-12-06 it was scored afresh, its keep or discard lost).
A stored photo of the name and size whose time is a clock shift from the file's (:func:`blurscan.shifted.
is_clock_shift`: a whole, non-zero number of quarter hours) is a candidate too: a FAT card, its database kept off
it, mounted at another place by a computer in another time zone (FAT keeps local time) has every photo at another
path and another time. Until 2026-12-07 each was scored afresh, its keep or discard lost, and its old row stayed:
``trash --all-blurry`` skipped it, "not there" (:mod:`blurscan.shifted` knows a shifted photo only at its path).
"""
from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence

from .records import ImageRef
from .samples import RECORD_DIGITS, read_sample
from .shifted import MAX_SHIFT_NS, STEP_NS, give_new_times, is_clock_shift
from .filetime import drive_edge, edge_side, mtime_of
from .name_forms import name_key

log = logging.getLogger(__name__)

#: The finest step of a coarse drive's times: exFAT keeps 10 ms (FAT 2 s, zip archives and some copies 1 s).
COARSE_NS = 10_000_000
#: How far a coarse drive moves a time: FAT keeps it to 2 seconds (Linux rounds it down, Windows up).
WINDOW_NS = 2_000_000_000


def give_coarse_times(store, refs: Sequence[ImageRef]) -> dict[str, str]:
    """Give the stored photos that ``refs`` (files the store has no record of at their size and time) are,
    moved to a drive with coarser times, the time of the file found (see the module docstring). Returns new
    path -> old path of each (:func:`blurscan.renamed.lookup_renamed`'s ``paired``)."""
    from .store import path_from_db, stored_record

    wanted = [ref for ref in refs if ref.mtime_ns is not None and ref.mtime_ns % COARSE_NS == 0]
    if not wanted:
        return {}
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS coarse_wanted (size INTEGER, mtime_ns INTEGER, "
                 "PRIMARY KEY (size, mtime_ns)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.coarse_wanted")
    conn.executemany("INSERT OR IGNORE INTO temp.coarse_wanted VALUES (?, ?)", [(r.size, r.mtime_ns) for r in wanted])
    rows = conn.execute(
        "SELECT i.path, i.size, i.mtime_ns, i.record FROM images i WHERE i.status = 'ok' AND EXISTS (SELECT 1 FROM "
        "temp.coarse_wanted w WHERE w.size = i.size AND w.mtime_ns >= i.mtime_ns - ? AND w.mtime_ns <= i.mtime_ns + ? "
        "AND w.mtime_ns != i.mtime_ns AND (abs(w.mtime_ns - i.mtime_ns) < ? OR (w.mtime_ns - i.mtime_ns) % ? = 0))",
        (MAX_SHIFT_NS, MAX_SHIFT_NS, WINDOW_NS, STEP_NS)).fetchall()
    rows = list(dict.fromkeys(rows + _beyond_edges(conn, wanted)))  # (a row both near and beyond an edge: once)
    by_name: dict[tuple[str, int], list[ImageRef]] = {}
    for ref in wanted:
        by_name.setdefault((name_key(os.path.basename(ref.path)), ref.size), []).append(ref)
    olds: dict[str, list[tuple[str, int, str]]] = {}  # new path -> [(old path, old time, record)]
    taken: dict[str, int] = {}  # old path -> how many new files it could be
    for key, size, mtime_ns, blob in rows:
        old = path_from_db(key)
        for ref in by_name.get((name_key(os.path.basename(old)), size), ()):
            if (0 < abs(ref.mtime_ns - mtime_ns) < WINDOW_NS or is_clock_shift(mtime_ns, ref.mtime_ns)
                    or drive_edge(ref.mtime_ns, mtime_ns)) \
                    and not os.path.lexists(old):  # (still there: a copy)
                olds.setdefault(ref.path, []).append((old, mtime_ns, blob))
                taken[old] = taken.get(old, 0) + 1
    away = store.moved_away(taken) if taken else frozenset()  # moved by `blurscan move`: undo puts it back there
    changes, paired = [], {}
    for ref in wanted:
        found = olds.get(ref.path, [])
        if len(found) != 1 or taken[found[0][0]] != 1 or found[0][0] in away:
            continue  # none, or ambiguous: scored afresh
        old, old_ns, blob = found[0]
        try:
            record = stored_record(blob)
            st, digest = read_sample(ref.path)
        except (sqlite3.DatabaseError, OSError) as exc:
            log.debug("%r: not compared with %r (%s)", ref.path, old, exc)
            continue
        if not record.sample or digest[:RECORD_DIGITS] != record.sample \
                or (st.st_size, mtime_of(st)) != (ref.size, ref.mtime_ns):
            continue  # other bytes (or none stored to compare): another file
        record.mtime_ns = ref.mtime_ns
        changes.append((old, ref.size, old_ns, record))
        paired[ref.path] = old
    if changes:
        log.info("%d photos moved to a drive with coarser times: recognised by their bytes", len(changes))
        give_new_times(store, changes)
    return paired


def _beyond_edges(conn, wanted: Sequence[ImageRef]) -> list[tuple]:
    """The stored ``ok`` rows ``(path, size, mtime_ns, record)`` of the size of one of ``wanted`` whose time is a
    drive's earliest or latest (:func:`blurscan.filetime.edge_side`) and whose own time is beyond it: a photo
    dated 1975 moved to a FAT drive, which gives it 1980-01-01 00:00 (until 2026-12-06 it was scored afresh, its
    keep or discard lost). None but for such files (one pass over the images then)."""
    edges = {(r.size, r.mtime_ns, edge_side(r.mtime_ns)) for r in wanted}
    edges = [edge for edge in edges if edge[2]]
    if not edges:
        return []
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS edge_wanted (size INTEGER, mtime_ns INTEGER, side INTEGER, "
                 "PRIMARY KEY (size, mtime_ns)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.edge_wanted")
    conn.executemany("INSERT OR IGNORE INTO temp.edge_wanted VALUES (?, ?, ?)", edges)
    return conn.execute(
        "SELECT i.path, i.size, i.mtime_ns, i.record FROM images i WHERE i.status = 'ok' AND EXISTS (SELECT 1 FROM "
        "temp.edge_wanted w WHERE w.size = i.size AND ((w.side < 0 AND i.mtime_ns < w.mtime_ns) OR "
        "(w.side > 0 AND i.mtime_ns > w.mtime_ns)))").fetchall()
