"""A file replaced by another of the same size and modification time: told apart by a sample of its bytes.

The store knows a photo by its path, size and modification time (:meth:`blurscan.store.Store.lookup_many`), and
so do decisions and the actions. A file replaced by another of one size whose time was set back passes that
test: uncompressed formats (TIFF, BMP, uncompressed DNG) keep their size when exported again after an edit, and
photo tools set a file's modification time to its capture date (digiKam, ``exiftool
"-FileModifyDate<DateTimeOriginal"``, ``cp -p`` or ``rsync -t`` of another file over it). Its status-change time
(``st_ctime``) cannot be set back: the system sets it to the present whenever the file's inode changes. A file
saved by rename (``mv new old``, as most tools save) is another inode, with a new one; a rewrite in place sets it
too. So does a ``chmod``, a ``chown``, a rename, a hard link, a move and its undo: a new status-change time is a
suspicion, not a proof.

So a stored record keeps the file's status-change time when it was scored (``ctime_ns``) and ``sample``, the first
:data:`~blurscan.samples.RECORD_DIGITS` hex digits of its :func:`~blurscan.samples.sample_sha256` (a SHA-256 of its
size and first and last :data:`~blurscan.samples.SAMPLE_BYTES`), which the decoder takes from the very bytes it
decoded (:func:`~blurscan.samples.sample_of`: nothing more is read). Two plain fields of the record's JSON (no
schema change), not in the JSONL. A re-scan compares the status-change time the walk's ``stat`` gave
(:attr:`ImageRef.ctime_ns <blurscan.records.ImageRef>`) with the stored one, and reads nothing more when they are
equal: the fast path. Only where they differ does :func:`recheck` read the sample again (128 KiB at most): the same,
and the record is reused, the new time stored with it (the next scan reads nothing); another, and the photo is
decoded again. A record without them (stored by a blurscan before 2026-12, or a RAW + JPEG pair judged from its RAW,
whose JPEG was not read) gets them at its next re-scan, from the file as it is then: one sample read, once, never a
decode.

A file system of coarse times (FAT's 2 s, a second on ext2/3 with 128-byte inodes and HFS+) gives a file changed
again in the second it was read the times stored: such a record keeps no status-change time
(:func:`blurscan.filetime.ctime_of`), and the next scan reads its sample (until 2026-12-06 its stale verdict
stayed). What is not caught: a file whose size, modification time *and* status-change time are all those stored
(only root tricks do that: setting the system clock back, editing the file system under it); a replacement with the
same size and the same first and last 64 KiB (other middle bytes only, its time set back); a file replaced
before its record got a sample (it is taken for the file scored). On file systems without a status-change time
of their own (FAT and exFAT memory cards, where Linux shows another time in its place; on Windows ``st_ctime``
is the creation time), a file rewritten in place with its time set back can go unseen; one saved by rename
(a new file) is seen.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from .records import ImageRef, ScanRecord
from .filetime import ctime_of, mtime_of
from .samples import RECORD_DIGITS, read_sample
from . import stored_json

log = logging.getLogger(__name__)


def recheck(store, found: dict[str, ScanRecord], refs: Iterable[ImageRef]) -> None:
    """Drop from ``found`` (path -> stored record whose path, size and modification time are those of the file
    the walk found, see :meth:`blurscan.store.Store.lookup_many`) the records of files replaced since they were
    scored, so that they are decoded again; store the new status-change time of the others that were read.

    For each of ``refs`` whose record is in ``found``, ``ok`` and sampled at the status-change time the walk gave:
    nothing (the fast path). Otherwise its sample is read (:func:`~blurscan.samples.read_sample`): another than the
    stored one, or a size or time changed since the walk, and its record is dropped; the same, or a record without a
    sample (see the module docstring), and the record's ``ctime_ns`` and ``sample`` are set to the new ones and
    written to ``store`` (one transaction for all; a record moved by hand, ``moved_from``, is written by the scan
    under its new path). A file that cannot be read now (its permissions changed) keeps its record unchanged, read
    again next time. A keep or discard stored for a replaced file no longer applies to it (its stored identity is
    cleared): it was made on the photo replaced. That photo may still be in the library under another name (two
    files of one size and time whose names were swapped by hand, both seen replaced): a keep's identity, with the
    sample of the file kept, is stored in ``replaced_keeps``, and
    :func:`blurscan.actions.keeps.kept_in_other_databases` still protects a photo with that sample; a discard
    simply stops applying (that photo is shown for review again)."""
    stale, replaced = [], []
    for ref in refs:
        record = found.get(ref.path)
        if record is None or record.ctime_ns == ref.ctime_ns or ref.ctime_ns is None or record.status != "ok":
            continue  # the fast path: the status-change time stored (or none known, or not reused anyway)
        try:
            st, digest = read_sample(ref.path)
            digest = digest[:RECORD_DIGITS]
        except OSError as exc:
            log.debug("%r: cannot read its sample (%s): its record is reused unchecked", ref.path, exc)
            continue
        if (st.st_size, mtime_of(st)) != (ref.size, ref.mtime_ns):
            del found[ref.path]  # changed since the walk a moment ago: decoded as it is now
            continue
        if record.sample is not None and record.sample != digest:
            log.info("%r: other bytes, same size and modification time: replaced since it was scored", ref.path)
            del found[ref.path]
            replaced.append((ref, record.sample))
            continue
        record.ctime_ns, record.sample = ctime_of(st), digest
        if record.moved_from is None:
            stale.append(record)
    if (stale or replaced) and store is not None:
        import json
        import time

        from .store import db_path

        decided = [(db_path(r.path), r.size, r.mtime_ns) for r, _ in replaced]
        above = _kept_above(store, replaced)
        with store.transaction() as conn:
            conn.executemany("UPDATE images SET record = ? WHERE path = ? AND size = ? AND mtime_ns = ?",
                             [(json.dumps(r.to_row()), db_path(r.path), r.size, r.mtime_ns) for r in stale])
            # a keep was made on the photo replaced, which may be elsewhere now (names swapped by hand, the two of
            # one size and time): its identity is kept, and it protects that photo wherever it is (actions/keeps.py)
            conn.executemany("INSERT OR IGNORE INTO replaced_keeps (path, size, mtime_ns, sample, found_at) "
                             "SELECT path, size, mtime_ns, ?, ? FROM decisions WHERE path = ? AND size = ? "
                             "AND mtime_ns = ? AND decision = 'keep'",
                             [(sample, time.time(), *key) for key, (_, sample) in zip(decided, replaced)])
            conn.executemany("INSERT OR IGNORE INTO replaced_keeps (path, size, mtime_ns, sample, found_at) "
                             "VALUES (?, ?, ?, ?, ?)", [(*row, time.time()) for row in above])
            # a keep or discard was made on the photo replaced, not on this one: it no longer applies (as to a
            # file edited since, blurscan.review.decisions), and the new photo is to review again
            conn.executemany("UPDATE decisions SET size = NULL, mtime_ns = NULL WHERE path = ? AND size = ? "
                             "AND mtime_ns = ?", decided)


def _kept_above(store, replaced: list[tuple[ImageRef, str]]) -> list[tuple]:
    """``(path, size, mtime_ns, sample)`` for ``replaced_keeps``, of the ``replaced`` files (``(ref, the sample
    stored)`` each) that another library database in a folder above holds a keep on, made on
    their size and time: a sub-folder's own (``lib/2024/.blurscan.db``, from ``scan lib/2024`` before ``scan
    lib``), which no scan of the library writes, and whose record of the file has no sample (written by a blurscan
    from before samples): the sample is the one ``store`` had, of the file the keep was made on. Before, nothing
    told that the keep's file was replaced once the scan had stored the new file's sample, and the kept photo
    under another name (names swapped by hand) was taken. A keep whose database sampled the file needs no row:
    :func:`blurscan.actions.keeps.kept_in_other_databases` compares that sample with the file. A database that
    cannot be read is passed over (``move`` skips every photo below it)."""
    if not replaced or store.path == ":memory:":
        return []
    import sqlite3

    from .other_databases import databases_above
    from .errors import StoreError
    from .store import Store, db_path

    own = os.path.realpath(store.path)
    seen: dict[str, tuple[str, ...]] = {}
    wanted: dict[str, list] = {}  # database -> the replaced files below it
    for item in replaced:
        for db in databases_above(os.path.dirname(item[0].path), seen):
            if os.path.realpath(db) != own:
                wanted.setdefault(db, []).append(item)
    rows = []
    for db, items in wanted.items():
        try:
            with Store(db, readonly=True) as other:
                for ref, ours in items:
                    key = (db_path(ref.path), ref.size, ref.mtime_ns)
                    if other.conn.execute("SELECT 1 FROM decisions WHERE path = ? AND size = ? AND mtime_ns = ? "
                                          "AND decision = 'keep'", key).fetchone() is None:
                        continue
                    row = other.conn.execute("SELECT record FROM images WHERE path = ? AND size = ? AND "
                                             "mtime_ns = ?", key).fetchone()
                    if _sample_in(row) is None:  # (with a sample of its own: actions/keeps.py compares it)
                        rows.append((*key, ours))
        except (StoreError, sqlite3.Error) as exc:
            log.debug("%r: its keeps cannot be read (%s)", db, exc)
    return rows


def _sample_in(row) -> str | None:
    """The ``sample`` of a stored record's JSON (``row``: ``(record,)`` or None), None when it has none."""
    try:
        sample = stored_json.parsed(row[0]).get("sample") if row is not None else None
    except (ValueError, AttributeError, TypeError):
        return None
    return sample if isinstance(sample, str) else None
