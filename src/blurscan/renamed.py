"""Stored results of photos renamed or moved by hand (a folder renamed, photos sorted into sub-folders).

The store finds a photo's record by its path, size and modification time, so a photo moved with ``mv`` or a
file manager was decoded and scored again, as if it were new: renaming a folder of 10,000 photos cost a full
scan. A move or a rename keeps the file's size and modification time (to the nanosecond), so
:func:`lookup_renamed` looks for a stored record with the same two and the same suffix (``.jpg``, in any case),
under the same cache key, at a path where no file is any more. The file name may differ when the time has
sub-second digits: a photo renamed by hand (``IMG_0051.JPG`` -> ``Sunset.JPG``) lost its keep when the name had to
match too, and ``move --all-blurry`` took it; but a time of whole seconds (zip archives, ``touch -d``, copies from a
FAT card) with fixed-size files (uncompressed TIFF scans, some RAW files) named another photo, so there the name
must match (in any case). It is taken only when the match is unambiguous (one vanished stored photo and one new
file for that suffix, size and time; a duplicate still in its place elsewhere is no candidate; a vanished photo
goes to one new file only, over the whole scan); a copy (the old path still there) is scored afresh. So are RAW + JPEG pairs, whose record depends on the twin beside them, and a pair's JPEG judged from its RAW (a
small JPEG) moved without it: their scores are not reused, but they are still recognised as moved. The person's
keep / discard decision goes with the photo (:func:`carry_decisions`): it was made on this very file (same size and
time), and a keep left behind under the old path let ``move --all-blurry`` take the renamed photo (a pair too, until
pairs were recognised). The scan's prune then forgets the old path's row. A new library database looks in the
databases that seed it too (:func:`connections`: the earlier scans of its sub-folders), so that a photo moved by
hand out of a sub-folder before the library was first scanned keeps its scores and the keep made there.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence

from .config import RAW_SUFFIXES
from .fileread import is_raw
from .records import ImageRef, ScanRecord
from .filetime import mtime_of
from .name_forms import name_key


def lookup_renamed(conn, refs: Sequence[ImageRef], cache_keys: str | Sequence[str],
                   moves: dict[str, str] | None = None, claimed: set[str] | None = None,
                   contested=(), paired: dict[str, str] | None = None) -> dict[str, ScanRecord]:
    """Records for ``refs`` (files the store has no record of) that the store holds under a vanished path:
    new path -> the record, its ``path`` set to the new one, ``cached`` True and ``moved_from`` the old path.

    ``conn``: the store's connection, or several (:func:`connections`: a new library database's and those of
    the earlier scans of its sub-folders that seed it, read only), looked in together: a vanished photo stored
    in two of them (``lib/2024`` and ``lib/2024/trip`` both scanned) is one candidate, under the first's row, and
    two vanished photos of one suffix, size and time in two of them make the match ambiguous, as in one.
    ``cache_keys``: the key (or keys, best first) a reusable record may be stored under. ``moves``, when given,
    gets new path -> old path for each photo recognised as moved, including those whose scores are not reused
    (a RAW + JPEG pair, a pair's small JPEG moved without its RAW), and those whose record a scan of the old
    folder alone had forgotten while a keep or discard remained (found by the decision's size and time: the
    decision goes with the photo; the scores are computed afresh). ``claimed``: old paths already taken by an
    earlier call of the same scan (the scan looks up its files in chunks): a vanished photo goes to one new
    file only. ``contested``: the (suffix, size, time) of a decision whose path holds another file now
    (:attr:`blurscan.swapped.SwapCarrier.stale`): that photo, gone from its place too, may be the new file, so
    the match is ambiguous. So it is when a stored photo of them is under a path that holds another file now
    (names swapped by hand): a copy of a discarded photo, the discarded one replaced by another file and the
    copy renamed, took the discard of the copy's twin. ``paired``: new path -> old path of the files that
    :func:`blurscan.coarsened.give_coarse_times` recognised by name and bytes (moved to a drive with coarser
    times): each goes to its photo though other new files share its suffix, size and time (see :func:`_matches`)."""
    from .store import db_path, path_from_db, stored_record

    conns = [conn] if isinstance(conn, sqlite3.Connection) else list(conn)
    keys = [cache_keys] if isinstance(cache_keys, str) else list(cache_keys)
    claimed = set() if claimed is None else claimed
    wanted: dict[tuple[str, int, int], list[ImageRef]] = {}
    for ref in refs:
        if (identity := (_kind(ref.path), ref.size, ref.mtime_ns)) not in contested:
            wanted.setdefault(identity, []).append(ref)
    if not wanted:
        return {}
    stored: dict[tuple[str, int, int], list[tuple[str, tuple]]] = {}
    seen: set[str] = set()  # old paths found so far: the first database holding one speaks for it
    for one in conns:
        _fill_wanted(one, {(size, t) for _, size, t in wanted})
        # rows under any cache key: one stored with other settings (--long-side, a model since upgraded) still
        # names the file, so its decision goes with it (left behind, the scan then forgot the row, and the keep
        # for good); its scores are reused only under a key of this scan
        rows = one.execute(
            "SELECT i.path, i.size, i.mtime_ns, i.cache_key, i.status FROM images i WHERE EXISTS (SELECT 1 FROM "
            "temp.renamed_wanted w WHERE w.size = i.size AND w.mtime_ns = i.mtime_ns)").fetchall()
        for key, size, mtime_ns, row_key, status in rows:  # (one row per path: the path is the table's key)
            old = path_from_db(key)
            if old not in seen:
                seen.add(old)
                stored.setdefault((_kind(old), size, mtime_ns), []).append(
                    (old, (row_key in keys and status == "ok", one)))
    found: dict[str, ScanRecord] = {}
    # a stored photo of them under a path that holds another file now is gone from its place too: ambiguous
    rivalled = {identity for identity, olds in stored.items()
                if len(olds) > 1 and any(_holds_another(old, identity) for old, _ in olds)}
    wanted = {identity: news for identity, news in wanted.items() if identity not in rivalled}
    for (new, old), (reusable, one) in _matches(wanted, stored, claimed, paired=paired):
        if moves is not None:
            moves[new.path] = old
        if not reusable:
            continue  # scored with other settings, or failed: scored afresh
        blob = one.execute("SELECT record FROM images WHERE path = ?", (db_path(old),)).fetchone()[0]
        try:
            record = stored_record(blob)
        except sqlite3.DatabaseError:  # (a damaged record, one written into a shared library's database)
            continue  # scored afresh, as a record stored with other settings
        if new.raw_twin:
            continue  # a pair: its record depends on the twin beside it, judged afresh
        if is_raw(record.format or "") and os.path.splitext(new.path)[1].lower() not in RAW_SUFFIXES:
            continue  # a JPEG judged from its RAW twin, moved without it: the JPEG alone is judged afresh
        record.path = new.path
        record.cached = True
        record.moved_from = old
        found[new.path] = record
    # a keep or discard whose photo's record is gone (a scan of the old folder alone forgot it after the move):
    # the decision's own size and time identify the file
    taken = set(found) | set(moves or ())
    rest = {identity: [r for r in news if r.path not in taken] for identity, news in wanted.items()}
    decided: dict[tuple[str, int, int], list[tuple[str, str]]] = {}
    for one in conns:
        for key, size, mtime_ns in one.execute(
                "SELECT d.path, d.size, d.mtime_ns FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM images i WHERE "
                "i.path = d.path) AND EXISTS (SELECT 1 FROM temp.renamed_wanted w WHERE w.size = d.size AND "
                "w.mtime_ns = d.mtime_ns)"):
            old = path_from_db(key)
            if old not in seen:
                seen.add(old)
                decided.setdefault((_kind(old), size, mtime_ns), []).append((old, ""))
    for (new, old), _ in _matches(rest, decided, claimed):
        if moves is not None:
            moves[new.path] = old
    return found


def connections(store) -> list:
    """The connections :func:`lookup_renamed` looks in for ``store``: its own, then those of the databases that
    seed it (:class:`~blurscan.seeded.SeededStore`: the earlier scans of a new library database's sub-folders,
    or a read-only library's database). A photo kept in ``lib/2024/.blurscan.db`` and moved by hand out of
    ``lib/2024`` before ``lib`` was first scanned was found in none (the new database knew no old path), so its
    keep was never carried (:func:`carry_keeps_from_above`), and once ``lib`` held no photo in ``lib/2024`` no
    command looked in that database: ``move --all-blurry`` from ``lib`` took the photo kept."""
    return [store.conn, *(seed.conn for seed in getattr(store, "seeds", ()))]


def _fill_wanted(conn, identities: set[tuple[int, int]]) -> None:
    """The (size, time) pairs looked for, in ``conn``'s temporary table ``renamed_wanted``. A seed's connection is
    read-only (``PRAGMA query_only``), which refuses temporary tables too: lifted for these three statements (a
    temporary table lives in this connection's own temporary storage; the database file is not written)."""
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    if query_only:
        conn.execute("PRAGMA query_only = OFF")
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS renamed_wanted (size INTEGER, mtime_ns INTEGER, "
                     "PRIMARY KEY (size, mtime_ns)) WITHOUT ROWID")  # one scan of images, an index probe per row
        conn.execute("DELETE FROM temp.renamed_wanted")
        conn.executemany("INSERT INTO temp.renamed_wanted VALUES (?, ?)", identities)
    finally:
        if query_only:
            conn.execute("PRAGMA query_only = ON")


#: Nanoseconds in a second: a modification time that is a whole number of seconds (zip archives, ``touch -d``,
#: copies from FAT cards) is too coarse to tell two files of one size apart, so it names a file only with its name.
_SECOND = 1_000_000_000


def _matches(wanted: dict, stored: dict, claimed: set[str], gone=None, paired: dict[str, str] | None = None):
    """``((new ref, old path), payload)`` for each unambiguous move: one new file and one vanished stored photo
    (not ``claimed``) of one suffix, size and time, under the same file name (in any case and Unicode form:
    ``convmv --nfc`` renames each of a Mac's decomposed names, keeping a zip's whole-second times; until 2026-12-06
    such a photo was scored afresh, its decisions lost), or under another name when the time has sub-second digits
    (two different photos of one size and time to the nanosecond do not happen; two fixed-size TIFF scans or RAW
    files of one whole second do). Each old path found is added to ``claimed``.
    ``gone(old)``: whether the stored photo is no longer at ``old`` (default: no file there any more;
    :mod:`blurscan.swapped` passes its own: another file there now, names swapped or rotated by hand).
    ``paired``: new path -> old path already told apart by name and sampled bytes (:mod:`blurscan.coarsened`):
    where a new file of an identity has one, those pairs are the matches, the identity's other files none.
    Two fixed-size photos a second apart have one time on a FAT drive (2 s): until 2026-12-06 neither was
    recognised, their keep and discard lost."""
    gone = gone or (lambda old: not os.path.lexists(old))
    for identity, olds in stored.items():
        news = wanted.get(identity, [])
        if paired and any(new.path in paired for new in news):
            payloads = dict(olds)
            for new in news:
                old = paired.get(new.path)
                if old in payloads and old != new.path and old not in claimed and gone(old):
                    claimed.add(old)
                    yield (new, old), payloads[old]
            continue
        if len(news) != 1:
            continue  # ambiguous: two new files of one suffix, size and time
        new = news[0]
        # the vanished ones only: a duplicate still in its place (a backup folder, a card imported twice) is no
        # candidate, and counting it made every photo of a renamed folder that has a copy elsewhere ambiguous
        olds = [(old, payload) for old, payload in olds
                if old != new.path and old not in claimed and gone(old)]
        if len(olds) != 1:
            continue  # none vanished (a copy, not a move), or two: ambiguous
        (old, payload), = olds
        same_name = name_key(os.path.basename(old)) == name_key(os.path.basename(new.path))
        if not same_name and new.mtime_ns % _SECOND == 0:
            continue  # another name and a whole-second time: not enough to tell it is this file
        claimed.add(old)
        yield (new, old), payload


def _holds_another(path: str, identity: tuple[str, int, int]) -> bool:
    """Whether a file other than the stored photo of ``identity`` (suffix, size, time) is under ``path`` now."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, mtime_of(st)) != identity[1:]


def _kind(path: str) -> str:
    """The part of a photo's name a rename keeps: its suffix, in lower case (``IMG_0051.JPG`` renamed
    ``Sunset.jpg`` is the same file; a ``.heic`` and a ``.jpg`` of one size and time are not)."""
    return os.path.splitext(path)[1].lower()


def carry_decisions(store, moves: dict[str, str], held: dict[str, str] | None = None) -> None:
    """Move the decisions of photos moved by hand (``moves``: new path -> old path) to their new paths: only a
    decision made on this version of the file (same size and time as the stored photo, so as the file found).
    It replaces a decision the new path has that was made on another file (another size or time: a photo
    deleted by hand whose name the moved one took), which applies to nothing there: kept, the carried decision
    was dropped, and a keep left under the old path stopped counting once a new photo took that name
    (``move --all-blurry`` took the kept photo). A decision the new path has on this size and time stays. Their
    places in burst groups (``blurscan bursts``: the same file, so the same shot) go with them too: left under
    the old path, ``move --from-bursts NEWFOLDER`` took nothing from the renamed folder until ``bursts`` ran
    again, and a keeper chosen in the review page was lost. They replace the burst rows the new path has: those of
    a shot deleted by hand whose name the moved photo took (the photo stood in that shot's group, with its rank and
    keeper mark, until ``bursts`` ran again). A photo that a ``blurscan move`` batch took there (a
    ``--to`` inside the library) keeps them under its old path, where ``undo`` puts it back.

    ``held``, when given (:class:`blurscan.lookups.Lookups` passes :attr:`blurscan.swapped.SwapCarrier.held`),
    gets new path -> old path of each move whose new path holds a keep made on another file, and those decisions
    are not carried here: that keep may be the one of a photo renamed away (the kept ``A.jpg`` renamed ``D.jpg``,
    a decided ``V.jpg`` renamed ``A.jpg``), which gives way only once :mod:`blurscan.swapped` carries it to its
    photo. Replaced here, it was lost for good when the scan could not tell that photo (renamed with a time of
    whole seconds, or copied too) or stopped before it looked (Ctrl-C), and ``move --all-blurry`` took the kept
    photo, no longer protected by a keep of its size and time."""
    if not moves:
        return
    from .store import db_path, path_from_db

    # a photo `blurscan move` took to a --to inside the library is no move by hand: its decision and burst place
    # stay with the path `undo` puts it back to (carried to the destination, undo brought it back undecided)
    away = store.moved_away()
    moves = {new: old for new, old in moves.items() if old not in away}
    # the decision of this version of the file: the stored photo's size and time are the decision's, or no
    # record is left (a scan of the old folder alone forgot it) and the decision's own size and time matched
    this_version = ("(EXISTS (SELECT 1 FROM images i WHERE i.path = {0}.path AND i.size = {0}.size AND "
                    "i.mtime_ns = {0}.mtime_ns) OR NOT EXISTS (SELECT 1 FROM images i WHERE i.path = {0}.path))")
    pairs = [(db_path(new), db_path(old)) for new, old in moves.items()]
    carried, carried_o = this_version.format("decisions"), this_version.format("o")  # o: the one carried
    stale = ("EXISTS (SELECT 1 FROM decisions o WHERE o.path = ? AND "
             f"{carried_o} AND (o.size IS NOT decisions.size OR o.mtime_ns IS NOT decisions.mtime_ns))")
    with store.transaction() as conn:
        decided = pairs
        if held is not None:  # a stale keep under the new path: carried by swapped.py, or left (see above)
            waiting = {pair for pair in pairs if conn.execute(
                f"SELECT 1 FROM decisions WHERE path = ? AND decision = 'keep' AND {stale}", pair).fetchone()}
            held.update((path_from_db(new), path_from_db(old)) for new, old in waiting)
            decided = [pair for pair in pairs if pair not in waiting]
        # a stale decision under the new path gives way to the one carried there
        conn.executemany(f"DELETE FROM decisions WHERE path = ? AND {stale}", decided)
        conn.executemany(f"UPDATE OR IGNORE decisions SET path = ? WHERE path = ? AND {carried}", decided)
        # a burst row under the new path is another file's (a shot deleted by hand, whose name the moved photo
        # took: `bursts` keeps it until it runs again): it gives way, moved photo grouped or not. Left, the photo
        # stood in that shot's group with its rank and keeper mark (`move --from-bursts` took a keeper renamed
        # onto a deleted shot of another burst), and it blocked the photo's own row in the same group
        conn.executemany("DELETE FROM burst_groups WHERE path = ?", [(new,) for new, _ in pairs])
        conn.executemany("UPDATE OR IGNORE burst_groups SET path = ? WHERE path = ?", pairs)
    carry_keeps_from_above(store, moves)


def carry_keeps_from_above(store, moves: dict[str, str]) -> None:
    """Copy into ``store`` the keeps that other library databases in folders above a moved photo's old path, but
    not above its new one, hold for it (``moves``: new path -> old path): a photo kept in a sub-folder's own
    database (``lib/2024/.blurscan.db``, from ``scan lib/2024`` before ``scan lib``) and then moved by hand out of
    that sub-folder. That database was no longer above the photo, so no command consulted it, and the library's
    database never knew of the keep: ``move --all-blurry`` from the library took the photo. Only a keep made on
    this version of the file (its size and time those of the file found), and only where the new path has no
    decision in ``store`` on that size and time: one made on another file (a photo deleted by hand whose name
    the moved one took) gives way, as in :func:`carry_decisions` (kept, it dropped the keep, and ``move
    --all-blurry`` took the photo). The other database is read, never written. A database that cannot be read
    is passed over (its keeps cannot be checked; the photo is to review from the library)."""
    from .other_databases import databases_above
    from .errors import StoreError
    from .store import Store, db_path

    own = os.path.realpath(store.path) if store.path != ":memory:" else None
    wanted: dict[str, list[tuple[str, str]]] = {}  # database -> [(new, old)]
    seen: dict[str, tuple[str, ...]] = {}  # folder -> the databases in it and above it (a folder renamed: 5,000 moves)
    for new, old in moves.items():
        below_new = set(databases_above(os.path.dirname(new), seen))
        for db in databases_above(os.path.dirname(old), seen):
            if db not in below_new and os.path.realpath(db) != own:
                wanted.setdefault(db, []).append((new, old))
    rows = []
    for db, pairs in wanted.items():
        try:
            with Store(db, readonly=True) as other:
                for new, old in pairs:
                    row = other.conn.execute("SELECT size, mtime_ns, decided_at FROM decisions WHERE path = ? AND "
                                             "decision = 'keep'", (db_path(old),)).fetchone()
                    if row is None:
                        continue
                    try:
                        st = os.stat(new)
                    except OSError:
                        continue
                    if (row[0], row[1]) == (st.st_size, mtime_of(st)):
                        rows.append((db_path(new), row[0], row[1], row[2]))
        except (StoreError, sqlite3.Error):
            continue  # damaged, or from a newer blurscan: nothing to carry (move skips what is below it)
    if rows:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM decisions WHERE path = ? AND (size IS NOT ? OR mtime_ns IS NOT ?)",
                             [row[:3] for row in rows])  # made on another file: a stale decision gives way
            conn.executemany("INSERT OR IGNORE INTO decisions (path, decision, size, mtime_ns, decided_at) "
                             "VALUES (?, 'keep', ?, ?, ?)", rows)
