"""A photo the plan would take whose name holds another file now, of the same size and time: left, and said.

A discard is stored under a path with the size and modification time of the file decided on (the scan's record the
review page showed, :mod:`blurscan.review.decisions`); the scan's verdict (``--all-blurry``) and a burst's ranking
are the record's too. Two photos of one size and time (two uncompressed TIFFs of one shape from a zip, whose times
are whole seconds), one discarded and the other not, whose names were then swapped by hand: until the next scan
(which finds each name holding other bytes, :mod:`blurscan.replaced`, and the discard no longer applies), each
name held a file of the size and time stored, and ``move``, ``trash`` and ``tag`` took the photo never discarded
under the discarded one's name (or, with ``--all-blurry``, a sharp photo under a blurry one's name).

The scan's record of a photo keeps the file's status-change time and a sample of its bytes (its size and first and
last 64 KiB, :mod:`blurscan.replaced`). So, for each photo the selection takes (:func:`drop_other_files`): its
status-change time the one recorded, nothing is read (the fast path: one ``lstat``); another (a rename, a
``chmod``, a move and its undo, a replacement: a suspicion, not a proof), its sample is read (128 KiB at most) and
compared with the recorded one. The same, and it is taken; other bytes, and it is left with the reason, unless
those bytes are the ones another photo the selection takes for the same reason was chosen on (two discarded photos
swapped: both are taken, each under the other's name). Unknown, and taken as before: a record without a time or a
sample (stored by a blurscan before them, or a RAW + JPEG pair judged from its RAW), a file that cannot be read
(the plan says so of a missing or changed one). Planning changes nothing: a time moved with the bytes the same is
read again by the next plan, until a scan stores it.
"""
from __future__ import annotations

import os
import sqlite3
import stat

from ..samples import RECORD_DIGITS, read_sample
from ..store import db_path, path_from_db
from ..filetime import mtime_of
from .. import stored_json

#: Why a photo is left, by the reason it was chosen for (a burst's: :data:`blurscan.bursts.identity.REPLACED_REASON`).
REASONS = {
    "discard": "not the photo you discarded: another file of the same size and time, with other bytes, is under "
               "this name now (names swapped by hand?); scan and review it again",
    "blurry": "not the photo the scan called blurry: another file of the same size and time, with other bytes, is "
              "under this name now (names swapped by hand?); scan it again",
    "p_blurry": "not the photo the scan scored: another file of the same size and time, with other bytes, is under "
                "this name now (names swapped by hand?); scan it again",
}
#: Paths looked up in one query (SQLite's limit of variables was 999 before 3.32).
CHUNK = 500


def drop_other_files(conn, chosen: dict, skipped: list, under: str | None = None, looked: dict | None = None) -> dict:
    """``chosen`` (path -> :class:`~blurscan.actions.plan.Candidate`), without the photos at or below ``under``
    (all, when None: :func:`~blurscan.actions.plan.within`) whose file is no longer the one their scan record (in
    ``conn``) describes; a :class:`~blurscan.actions.plan.Skip` of each is added to ``skipped`` (see the module
    docstring). ``chosen`` itself is changed, and returned. ``looked``: the ``lstat`` of each photo looked at is
    put in it (path -> result), for the next step of the same plan (:mod:`.one_name`): one look, not two."""
    from .plan import Skip, within

    asked = [cand for path, cand in chosen.items() if cand.size is not None and within(path, under)]
    stored = _records(conn, [cand.path for cand in asked])
    other: dict[str, str] = {}  # path -> the sample of the file there now, not the one recorded
    for cand in asked:
        record = stored.get(cand.path)
        if record is None or record[:2] != (cand.size, cand.mtime_ns) or None in record[2:]:
            continue  # no record of this file, or none with a time and sample: unknown
        try:
            st = os.lstat(cand.path)
        except OSError:
            continue  # (missing, unreadable: the plan says so)
        if looked is not None:
            looked[cand.path] = st
        if not stat.S_ISREG(st.st_mode) or (st.st_size, mtime_of(st)) != record[:2] or st.st_ctime_ns == record[2]:
            continue  # a link, a changed file (the plan says so), or the fast path: the time recorded
        try:
            now, digest = read_sample(cand.path)
        except OSError:
            continue
        if (now.st_size, mtime_of(now)) == record[:2] and digest[:RECORD_DIGITS] != record[3]:
            other[cand.path] = digest[:RECORD_DIGITS]
    if not other:
        return chosen
    # the bytes each photo of those sizes and times was chosen on: under another name of the selection for the
    # same reason, the photo now under this name is one it takes anyway (two discarded photos swapped)
    times = {(chosen[path].size, chosen[path].mtime_ns) for path in other}
    peers = [c for c in chosen.values() if (c.size, c.mtime_ns) in times]
    stored.update(_records(conn, [c.path for c in peers if c.path not in stored]))
    chosen_on = {(c.reason, *stored[c.path][:2], stored[c.path][3]) for c in peers
                 if c.path in stored and stored[c.path][:2] == (c.size, c.mtime_ns)}
    for path, sample in other.items():
        cand = chosen[path]
        if (cand.reason, cand.size, cand.mtime_ns, sample) not in chosen_on:
            del chosen[path]
            skipped.append(Skip(path, _reason(cand.reason)))
    return chosen


def _reason(chosen_for: str) -> str:
    if chosen_for in REASONS:
        return REASONS[chosen_for]
    from ..bursts.identity import REPLACED_REASON  # (loads the bursts package: only when a burst shot is left)

    return REPLACED_REASON


def _records(conn, paths: list[str]) -> dict[str, tuple]:
    """path -> ``(size, mtime_ns, ctime_ns, sample)`` of the stored scan records of ``paths`` (``ctime_ns`` and
    ``sample`` None when the record has none), read by SQLite's JSON functions where it has them."""
    out: dict[str, tuple] = {}
    for start in range(0, len(paths), CHUNK):
        keys = [db_path(path) for path in paths[start:start + CHUNK]]
        sql = f"SELECT path, size, mtime_ns, {{}} FROM images WHERE path IN ({','.join('?' * len(keys))})"
        try:
            rows = conn.execute(sql.format("json_extract(record, '$.ctime_ns'), json_extract(record, '$.sample')"),
                                keys).fetchall()
        except sqlite3.OperationalError:  # no JSON functions in this SQLite
            rows = [(*row[:3], *_fields(row[3])) for row in conn.execute(sql.format("record"), keys)]
        for key, size, mtime_ns, ctime_ns, sample in rows:
            out[path_from_db(key)] = (size, mtime_ns, ctime_ns if isinstance(ctime_ns, int) else None,
                                      sample if isinstance(sample, str) else None)
    return out


def _fields(record: str | None) -> tuple:
    try:
        row = stored_json.parsed(record) if record else {}
        return row.get("ctime_ns"), row.get("sample")
    except (ValueError, AttributeError):
        return None, None
