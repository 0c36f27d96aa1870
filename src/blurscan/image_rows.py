"""The ``images`` table's rows read and written: a scan's records stored and looked up by path, size, time and
cache key; the paths stored at or under a folder; the paths the journal says a move or trash took away. A mixin of
:class:`blurscan.store.Store` (its connection and :meth:`~blurscan.store.Store.transaction`), whose methods these
are.

These were :mod:`blurscan.store`'s methods written out there; a module of their own since the store neared 500
lines."""
from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable

from .records import ImageRef, ScanRecord
from .stored_paths import db_path, in_any, path_from_db, under_clause
from .stored_records import _chunk_records, stored_record


class ImageRows:
    """The methods of :class:`blurscan.store.Store` on its ``images`` table (``self.conn``, ``self.transaction``:
    the store's)."""

    def lookup(self, ref: ImageRef, cache_key: str) -> ScanRecord | None:
        """The stored record for ``ref`` if the file and the cache key are unchanged, else None."""
        row = self.conn.execute(
            "SELECT record FROM images WHERE path = ? AND size = ? AND mtime_ns = ? AND cache_key = ?",
            (db_path(ref.path), ref.size, ref.mtime_ns, cache_key)).fetchone()
        if row is None:
            return None
        try:
            record = stored_record(row[0])
        except sqlite3.DatabaseError:  # a damaged stored record: the file is scanned again, its record replaced
            return None
        record.cached = True
        return record

    def lookup_many(self, refs: list[ImageRef], cache_key: str) -> dict[str, ScanRecord]:
        """Bulk :meth:`lookup` (one query per 500 paths): path -> reusable record."""
        found: dict[str, ScanRecord] = {}
        by_key = {db_path(r.path): r for r in refs}
        keys = list(by_key)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT path, size, mtime_ns, record FROM images WHERE cache_key = ? AND path IN ({marks})",
                (cache_key, *chunk))
            matched, blobs = [], []
            for key, size, mtime_ns, blob in rows:
                ref = by_key[key]
                if ref.size == size and ref.mtime_ns == mtime_ns:
                    matched.append(ref.path)
                    blobs.append(blob)
            if blobs:  # one JSON parse per chunk: ~2x faster than one per row on a large re-scan
                for path, record in zip(matched, _chunk_records(blobs)):
                    if record is not None:  # (a damaged one: that file is scanned again, its record replaced)
                        record.cached = True
                        found[path] = record
        return found

    def put(self, records: Iterable[ScanRecord], cache_key: str, *, replace: bool = True) -> None:
        """Insert or replace records (one transaction); ``replace=False``: a path stored already keeps its record."""
        now = time.time()
        rows = [(db_path(r.path), r.size, r.mtime_ns, cache_key, r.status, r.error, r.verdict, r.p_blurry,
                 r.blur_type, r.laplacian_var, r.width, r.height, r.captured_at, r.phash, json.dumps(r.to_row()), now)
                for r in records]
        if not rows:
            return
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO images (path, size, mtime_ns, cache_key, "
                "status, error, verdict, p_blurry, blur_type, laplacian_var, width, height, captured_at, phash, record, "
                "scanned_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def records(self, *, only: str | None = None, under: str | None = None) -> list[ScanRecord]:
        """Stored records, optionally only ``blurry`` / ``partial`` / ``sharp`` / ``errors``, or under a folder."""
        sql, args = "SELECT record FROM images", []
        where = []
        if only == "errors":
            where.append("status = 'error'")
        elif only:
            where.append("verdict = ?")
            args.append(only)
        if under:
            where.append(under_clause(under, args))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [stored_record(r[0]) for r in self.conn.execute(sql, args)]

    def model_results(self, under: str) -> int:
        """How many stored records at or under ``under`` carry a model's ``p_blurry``."""
        args: list = []
        sql = f"SELECT COUNT(*) FROM images WHERE p_blurry IS NOT NULL AND {under_clause(under, args)}"
        return int(self.conn.execute(sql, args).fetchone()[0])

    def paths_under_any(self, roots: set[str], *, self_too: bool = True, model_only: bool = False) -> list[str]:
        """Stored paths at (``self_too``) or under any of ``roots`` (walk-style text), each once, in ONE reading of
        the table (`scan --files-from`: a query a root took hours); ``model_only``: those with a ``p_blurry``."""
        sql = "SELECT path FROM images" + (" WHERE p_blurry IS NOT NULL" if model_only else "")
        return [path for path in map(path_from_db, (p for (p,) in self.conn.execute(sql)))
                if in_any(path if self_too else os.path.dirname(path), roots)]

    def holds(self, under: str) -> bool:
        """Whether any stored record is at or under ``under``."""
        args: list = []
        return self.conn.execute(f"SELECT 1 FROM images WHERE {under_clause(under, args)} LIMIT 1",
                                 args).fetchone() is not None

    def record(self, path: str) -> ScanRecord | None:
        row = self.conn.execute("SELECT record FROM images WHERE path = ?", (db_path(path),)).fetchone()
        return None if row is None else stored_record(row[0])

    def paths_under(self, folder: str) -> list[str]:
        """Stored image paths under ``folder`` (exact, case-sensitive prefix), as walk-style text."""
        prefix = os.fsencode(os.path.abspath(os.fsdecode(folder))).rstrip(os.fsencode(os.sep)) + os.fsencode(os.sep)
        rows = self.conn.execute("SELECT path FROM images WHERE substr(CAST(path AS BLOB), 1, ?) = ?",
                                 (len(prefix), prefix))
        return [path_from_db(p) for (p,) in rows]

    def last_scanned_under(self, folder: str) -> float | None:
        """When the newest record under ``folder`` was stored (``scanned_at``), None when none is."""
        prefix = os.fsencode(os.path.abspath(os.fsdecode(folder))).rstrip(os.fsencode(os.sep)) + os.fsencode(os.sep)
        return self.conn.execute("SELECT MAX(scanned_at) FROM images WHERE substr(CAST(path AS BLOB), 1, ?) = ?",
                                 (len(prefix), prefix)).fetchone()[0]

    def moved_away(self, among: Iterable[str] | None = None) -> frozenset[str]:
        """Paths whose file a move or trash batch of the journal took away and that are still absent (see
        :func:`blurscan.actions.afterwards.moved_paths`, which the actions, report and review use); ``among``: of
        these paths only: those on disk are not looked for in the journal at all (one ``lstat`` each), which has
        no index by path: until 2026-12-06 each call read every row of it, and a keep or discard on the review
        page, which asks about its photo, took longer with each photo ever moved."""
        out = set()
        sql, args = ("SELECT DISTINCT j.src FROM journal j JOIN batches b ON b.id = j.batch_id "
                     "WHERE j.state IN ('done', 'moving', 'gone', 'undoing') AND b.kind != 'tag'"), []
        if among is not None:
            args = [db_path(p) for p in among if not os.path.lexists(p)]
            if not args:
                return frozenset()
            sql += f" AND j.src IN ({', '.join('?' * len(args))})"
        for (src,) in self.conn.execute(sql, args):
            src = path_from_db(src)
            if not os.path.lexists(src):
                out.add(src)
        return frozenset(out)

    def forget(self, paths: Iterable[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM images WHERE path = ?", [(db_path(p),) for p in paths])
