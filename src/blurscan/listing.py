"""What ``blurscan report`` lists, read from the database as it is written rather than held in memory.

A stored record is about 1.4 kB of JSON, several times that as a Python object: holding a library's records
before writing (until 2026-12) took 400 MB for 50,000 photos, GBs for a dataset of a million. Now:

* :func:`survey`: one pass over the rows under PATH (a few columns, never a record), each file looked at on disk:
  what is not listed (moved or trashed by blurscan, gone from disk, another name of a listed file) and the notes'
  counts. What it keeps grows with those files, not with the library (but for the one-name-per-file check,
  :func:`blurscan.same_file.one_name_per_stated_file`: an entry a file; one ``lstat`` a file).
* :class:`Stored`: the listed records, read again for each pass a writer makes (:mod:`blurscan.report`): in rank
  order (:func:`blurscan.report.rank_key`), which SQLite sorts (its sorter holds the sort keys and row ids
  only, and spills to a temporary file), the records then read by row id 500 at a time; or as stored
  (:meth:`Stored.unordered`: the order JSON Lines always had, and the table's counts and widths).

The command reads in one transaction (:func:`snapshot`), so that every pass sees the same rows while a scan writes
to the database meanwhile. No index is added: the sort is over an expression of several columns (a Python
function's, for names that are not UTF-8), and a read-only open (``report`` reads databases an older blurscan
wrote, ``schema.READABLE_FROM``) could not create one anyway.
"""
from __future__ import annotations

import contextlib
import json
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import judged_by
from .records import ScanRecord
from .store import path_from_db, stored_record
from .stored_paths import under_clause
from .report import fast_figure
from .pair_names import raw_twins_among
from .same_file import one_name_per_stated_file
from .filetime import mtime_of
from .unmounted import Absent, Unmounted

#: Records read by row id at a time (in rank order).
CHUNK = 500

#: ``ORDER BY`` for :func:`blurscan.report.rank_key`: errors last; the model's ``p_blurry`` descending, then the
#: Laplacian variance ascending, then ``scan --fast``'s ``laplacian_var_norm`` (only read from the record for a
#: photo with neither figure); each by path on a tie, compared as Python compares the text (code points: UTF-8
#: bytes, and a name stored as bytes, not UTF-8, re-encoded with its escapes, :func:`_path_key`). A figure that
#: is not finite is no figure (SQLite stores NaN as NULL; 9e999 is infinity).
RANK_ORDER = """
    CASE WHEN status != 'ok' THEN 4
         WHEN abs(p_blurry) < 9e999 THEN 0
         WHEN abs(laplacian_var) < 9e999 THEN 1
         WHEN blurscan_fast_figure(record) IS NOT NULL THEN 2
         ELSE 3 END,
    CASE WHEN status != 'ok' THEN 0.0
         WHEN abs(p_blurry) < 9e999 THEN -p_blurry
         WHEN abs(laplacian_var) < 9e999 THEN laplacian_var
         ELSE coalesce(blurscan_fast_figure(record), 0.0) END,
    CASE WHEN typeof(path) = 'text' THEN CAST(path AS BLOB) ELSE blurscan_path_key(path) END"""


def _path_key(value: bytes) -> bytes:
    """A path stored as bytes (not UTF-8, :func:`blurscan.store.db_path`) as bytes that sort among UTF-8 text
    as its Python text (undecodable bytes as ``\\udcNN``) sorts among other text: UTF-8 with those escapes
    encoded as UTF-8 encodes any code point, which keeps the code points' order."""
    return path_from_db(bytes(value)).encode("utf-8", "surrogatepass")


def _fast_figure(record: str) -> float | None:
    return fast_figure(json.loads(record).get("scores"))


def _functions(conn) -> None:
    conn.create_function("blurscan_path_key", 1, _path_key, deterministic=True)
    conn.create_function("blurscan_fast_figure", 1, _fast_figure, deterministic=True)


@contextlib.contextmanager
def snapshot(store) -> Iterator[None]:
    """One read transaction: every query inside sees the database as it was at the first (WAL), however long the
    output takes to write."""
    store.conn.execute("BEGIN")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            store.conn.execute("COMMIT")


def _kind(status: str, verdict: str | None) -> str | None:
    """What ``--only`` calls a record (:func:`blurscan.report.filter_only`)."""
    return "errors" if status != "ok" else verdict


class Stored:
    """The records stored under ``under`` (None: all), but those in ``left_out`` and, with ``only``, those of
    other kinds: read again from the database on each iteration, in rank order (``in_rank_order``: the writers
    of :mod:`blurscan.report` do not sort it again), or as stored with :meth:`unordered`."""

    in_rank_order = True

    def __init__(self, store, under: str | None = None, left_out: Iterable[str] = (),
                 only: Iterable[str] | None = None) -> None:
        self.store, self.under, self.left_out = store, under, frozenset(left_out)
        self.only = None if only is None else frozenset(only)
        _functions(store.conn)

    def _rows(self, columns: str, order: str):
        args: list = []
        where = f" WHERE {under_clause(self.under, args)}" if self.under is not None else ""
        return self.store.conn.execute(f"SELECT {columns} FROM images{where} ORDER BY {order}", args)

    def _listed(self, path, status: str, verdict: str | None) -> bool:
        return path_from_db(path) not in self.left_out and (self.only is None or _kind(status, verdict) in self.only)

    def unordered(self, light: bool = False) -> Iterator[ScanRecord]:
        """The records in the order they are stored (row id: that of ``Store.records``, JSON Lines'). ``light``:
        only their path, status, verdict, size and modification time, from the table's columns (no JSON read)."""
        if light:
            for path, status, verdict, size, mtime_ns in self._rows("path, status, verdict, size, mtime_ns", "rowid"):
                if self._listed(path, status, verdict):
                    yield ScanRecord(path=path_from_db(path), status=status, verdict=verdict, size=size,
                                     mtime_ns=mtime_ns)
            return
        for path, status, verdict, blob in self._rows("path, status, verdict, record", "rowid"):
            if self._listed(path, status, verdict):
                yield stored_record(blob)

    def judged_by(self) -> Counter:
        """The model each listed photo was judged by (:func:`blurscan.judged_by.model_of` -> photos; errors aside),
        from the table's cache keys (no JSON read)."""
        rows = self._rows("path, status, verdict, cache_key", "rowid")
        return judged_by.count((key, 1) for path, status, verdict, key in rows
                               if status == "ok" and self._listed(path, status, verdict))

    def __iter__(self) -> Iterator[ScanRecord]:
        cursor = self._rows("rowid, path, status, verdict", RANK_ORDER)
        conn = self.store.conn
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                return
            ids = [rowid for rowid, path, status, verdict in rows if self._listed(path, status, verdict)]
            if not ids:
                continue
            found = dict(conn.execute(f"SELECT rowid, record FROM images WHERE rowid IN ({','.join('?' * len(ids))})",
                                      ids))
            for rowid in ids:
                yield stored_record(found[rowid])


@dataclass
class Survey:
    """What :func:`survey` found: the paths not to list, and the counts the notes give (with ``--only``, of the
    kinds listed)."""

    left_out: set[str] = field(default_factory=set)
    stored: int = 0    # rows under PATH
    gone: int = 0      # moved or trashed by blurscan
    gone_paths: set[str] = field(default_factory=set)  # those of them counted (with --only, of the kinds listed)
    missing: int = 0   # no longer on disk (but those under a folder that looks like a drive not mounted)
    unmounted: dict[Unmounted, int] = field(default_factory=dict)  # those, by that folder (blurscan.unmounted)
    changed: int = 0   # listed, but another size or modification time than stored
    others: int = 0    # another name of a listed file (all kinds)
    twins: int = 0     # a RAW file's own record, the file now a listed photo's RAW twin (an older blurscan's)


def survey(store, under: str | None, only: Iterable[str] | None, gone: frozenset[str]) -> Survey:
    """One pass over the rows under ``under``: the records :class:`Stored` is to leave out (those in ``gone``,
    moved or trashed by blurscan; those whose file is gone from disk; other names of a listed file, which a
    scan of the whole library stores once; a RAW file's own record stored by an older blurscan, the file now the
    RAW twin of a listed photo, :func:`blurscan.pair_names.raw_twins_among`) and the notes' counts: of the photos
    gone from disk, those under a folder that looks like a drive or share not mounted, which a scan keeps, by that
    folder (:mod:`blurscan.unmounted`: the top folders of those gone looked at, not each photo's)."""
    only = None if only is None else frozenset(only)
    found = Survey()
    changed: set[str] = set()
    listed: dict[str, bool] = {}  # present path -> of the kinds listed
    args: list = []
    where = f" WHERE {under_clause(under, args)}" if under is not None else ""
    rows = store.conn.execute(f"SELECT path, status, verdict, size, mtime_ns, scanned_at FROM images{where}", args)
    absent = Absent()  # (the folders of the photos not on disk, and their newest records)

    def present() -> Iterator[tuple[str, bool, os.stat_result]]:  # those neither moved by blurscan nor gone
        for path, status, verdict, size, mtime_ns, scanned_at in rows:
            path = path_from_db(path)
            found.stored += 1
            wanted = only is None or _kind(status, verdict) in only
            if path in gone:
                found.gone += wanted
                if wanted:
                    found.gone_paths.add(path)
                found.left_out.add(path)
                absent.add(path, scanned_at, False)
                continue
            state, stated = looked_at(path, status, size, mtime_ns)
            if state == "missing":
                found.missing += wanted
                found.left_out.add(path)
                absent.add(path, scanned_at, wanted)
                continue
            if state == "changed" and wanted:
                changed.add(path)
            listed[path] = wanted
            if stated is not None:  # (one that cannot be read is nobody's other name)
                yield path, *stated

    others = one_name_per_stated_file(present())
    found.others = len(others)
    found.left_out.update(others)
    # (a Pixel's X.RAW-02.ORIGINAL.dng, a photo of its own until 2026-12-07, listed beside its X.RAW-01.COVER.jpg
    # until a scan: the two counted twice, the DNG's bytes among the blurry ones' as well as with the JPEG's)
    twins = raw_twins_among(path for path in listed if path not in others)
    found.twins = sum(listed[path] for path in twins)
    found.left_out.update(twins)
    found.changed = len(changed.difference(others, twins))
    found.unmounted = absent.judged(store)
    found.missing -= sum(found.unmounted.values())
    return found


def on_disk(path: str, status: str, size: int | None, mtime_ns: int | None) -> str | None:
    """``"missing"``: the file is gone (a folder it was in too; a folder in its place; a file this user may not
    look at is not gone);
    ``"changed"``: another size or modification time than the record's (edited or replaced since the scan);
    else None."""
    return looked_at(path, status, size, mtime_ns)[0]


def looked_at(path: str, status: str, size: int | None,
              mtime_ns: int | None) -> tuple[str | None, tuple[bool, os.stat_result] | None]:
    """:func:`on_disk`'s answer, and ``(is_link, stat)`` of the file (a link's followed) when it can be read, for
    :func:`blurscan.same_file.one_name_per_stated_file`: one ``lstat`` a file (a ``stat`` more for a link), where
    a ``stat`` here and an ``lstat`` there cost two looks a photo (milliseconds each on a NAS)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing", None
    except OSError:
        return None, None
    is_link = stat.S_ISLNK(st.st_mode)
    if is_link:
        try:
            st = os.stat(path)
        except OSError:
            return None, None  # (a broken link: as the scan found it)
    if status == "ok" and stat.S_ISDIR(st.st_mode):  # a folder took the photo's name: the photo is gone
        return "missing", None
    if status == "ok" and size is not None and mtime_ns is not None \
            and (st.st_size, mtime_of(st)) != (size, mtime_ns):
        return "changed", (is_link, st)
    return None, (is_link, st)
