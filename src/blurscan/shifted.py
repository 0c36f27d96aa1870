"""Photos whose modification time moved by a whole number of quarter hours, their bytes unchanged: a clock shift.

A FAT memory card or USB drive stores each file's time in local time, with no time zone; Linux converts it
with the time zone it mounts the card under. So when the clocks change for daylight saving, or the card is
read on a computer set to another time zone, every file's modification time seen by the scan moves by the
same whole hour (by quarter hours between some zones), the files untouched. The store knows a photo by its
path, size and modification time, so until 2026-12-06 a re-scan then took every photo for a changed one: it
was decoded and scored again (a 50,000-photo card cost a first scan), every keep and discard made in the
review page stopped applying (``move`` skipped the discards, "changed since it was reviewed", and the kept
ones were to review again) and ``move --from-bursts`` skipped every shot ("not the file its burst was ranked
on").

:func:`lookup_shifted` looks, among the files a scan found changed, for those whose path is stored with the
same size and a time that differs from theirs by a whole, non-zero number of :data:`STEP_NS`, at most
:data:`MAX_SHIFT_NS`, and whose stored record has a sample of its bytes (:mod:`blurscan.replaced`: a SHA-256 of
the size and the first and last 64 KiB). It reads that sample from the file (128 KiB at most, once): the same,
and the file is the one scored. Its record, its keep or discard (a decision made on the stored time) and its
burst rows' identity (:mod:`blurscan.bursts.identity`) are given the new time, in one transaction, and its
record is reused (when stored under a cache key of this scan; else it is scored afresh, its decision kept).
Any other time, another sample, or a record without a sample (stored before 2026-12, or a RAW + JPEG pair
judged from its RAW): the file is scored afresh, as before.

What is not caught: a file edited in place that keeps its size and its first and last 64 KiB (pixels changed
in the middle of an uncompressed TIFF) and whose new time is, to the nanosecond, a whole number of quarter
hours from the old one (on FAT, with its 2-second times, one edit in 450 at most, the size and ends kept too):
it keeps its old scores and decision until it changes again. The keeps held in other databases (a sub-folder's
own ``.blurscan.db``) and ``replaced_keeps`` keep the old time: the photo is to review again from those.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence

from .records import ImageRef, ScanRecord
from .samples import RECORD_DIGITS, read_sample
from .filetime import ctime_of, mtime_of
from . import stored_json

log = logging.getLogger(__name__)

#: The step of a clock shift: a quarter hour (time zones are whole hours, but for some of 30 and 45 minutes;
#: daylight saving moves the clocks by one hour, on Lord Howe Island by 30 minutes).
STEP_NS = 15 * 60 * 1_000_000_000
#: The largest clock shift looked for: from UTC-12:00 to UTC+14:00.
MAX_SHIFT_NS = 26 * 3600 * 1_000_000_000


def is_clock_shift(old_ns: int, new_ns: int) -> bool:
    """Whether a modification time moved from ``old_ns`` to ``new_ns`` as a change of the clocks moves it."""
    delta = new_ns - old_ns
    return delta != 0 and abs(delta) <= MAX_SHIFT_NS and delta % STEP_NS == 0


def lookup_shifted(store, refs: Sequence[ImageRef], keys: Sequence[str]) -> tuple[dict[str, ScanRecord], set[str]]:
    """``(reusable, recognised)`` for ``refs`` (files whose stored record has another size or time): path -> the
    record to reuse, and the paths of every file recognised as the one stored under its path with its time
    shifted (see the module docstring; ``reusable`` holds those stored under one of ``keys``, best first, and
    scored well). The store is given their new time before this returns."""
    from .store import db_path, stored_record

    by_key = {db_path(r.path): r for r in refs}
    names = list(by_key)
    candidates: list[tuple[ImageRef, int, bool, ScanRecord]] = []
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        rows = store.conn.execute("SELECT path, size, mtime_ns, cache_key, status, record FROM images WHERE path IN "
                                  f"({','.join('?' * len(chunk))})", chunk).fetchall()
        for key, size, mtime_ns, row_key, status, blob in rows:
            ref = by_key[key]
            if status != "ok" or size != ref.size or mtime_ns is None or ref.mtime_ns is None \
                    or not is_clock_shift(mtime_ns, ref.mtime_ns):
                continue
            try:
                record = stored_record(blob)
            except sqlite3.DatabaseError:
                continue  # damaged: scored afresh, its record replaced
            if record.sample:
                candidates.append((ref, mtime_ns, row_key in keys, record))
    reusable: dict[str, ScanRecord] = {}
    shifted: list[tuple[ImageRef, int, ScanRecord]] = []
    for ref, old, under_key, record in candidates:
        try:
            st, digest = read_sample(ref.path)
        except OSError as exc:
            log.debug("%r: cannot read its sample (%s): scored afresh", ref.path, exc)
            continue
        if (st.st_size, mtime_of(st)) != (ref.size, ref.mtime_ns) or digest[:RECORD_DIGITS] != record.sample:
            continue  # changed since the walk, or other bytes: an edited or replaced file
        record.mtime_ns, record.ctime_ns = ref.mtime_ns, ctime_of(st)  # (None within a coarse ctime's second)
        shifted.append((ref, old, record))
        if under_key:
            record.cached = True
            reusable[ref.path] = record
    if shifted:
        log.info("%d files whose time moved by a clock shift, bytes unchanged: not decoded again", len(shifted))
        give_new_times(store, [(ref.path, ref.size, old, record) for ref, old, record in shifted])
    return reusable, {ref.path for ref, _, _ in shifted}


def give_new_times(store, changes: Sequence[tuple[str, int, int, ScanRecord]]) -> None:
    """Store the new time of each ``(path, size, old time, record)`` (the new time: ``record.mtime_ns``) in its
    ``images`` row, its decision and its burst rows' identity: one transaction, so that a scan stopped here leaves
    none of them out of step. Only those made on the old time are changed. The review page's cached thumbnails are
    then renamed to the new time (:func:`blurscan.review.thumbs.rekey`)."""
    from .bursts.identity import FILE_KEY
    from .store import db_path

    with store.transaction() as conn:
        for path, size, old, record in changes:
            key, new = db_path(path), record.mtime_ns
            conn.execute("UPDATE images SET mtime_ns = ?, record = ? WHERE path = ? AND size = ? AND mtime_ns = ?",
                         (new, json.dumps(record.to_row()), key, size, old))
            conn.execute("UPDATE decisions SET mtime_ns = ? WHERE path = ? AND size = ? AND mtime_ns = ?",
                         (new, key, size, old))
            for group_id, figures in conn.execute("SELECT group_id, figures FROM burst_groups WHERE path = ?",
                                                  (key,)).fetchall():
                try:
                    parsed = stored_json.parsed(figures or "{}", "a burst shot's stored figures")
                except ValueError:
                    continue
                ranked = parsed.get(FILE_KEY) if isinstance(parsed, dict) else None
                if isinstance(ranked, dict) and (ranked.get("size"), ranked.get("mtime_ns")) == (size, old):
                    ranked["mtime_ns"] = new
                    conn.execute("UPDATE burst_groups SET figures = ? WHERE group_id = ? AND path = ?",
                                 (json.dumps(parsed), group_id, key))
    from .review.thumbs import rekey

    # after the commit: a scan stopped before it leaves the thumbnails under the old time, made again when shown
    rekey(store.path, [(path, size, old, record.mtime_ns) for path, size, old, record in changes])
