"""Which file a stored burst shot was ranked on, so that another photo put under its name is not taken for it.

``blurscan bursts`` keeps its rows until it runs again, and a row knew its shot by the path alone. A shot
deleted by hand and another photo put under its name since (a camera that numbers its files afresh, a photo
copied in, a file saved over it) stood in the deleted shot's place: ``move/trash --from-bursts`` took a photo
that was never in any burst, and a burst whose keeper was replaced so still had its candidates taken, beaten
by a photo no longer there.

So each row keeps the identity of the file it was ranked on, as the scan recorded it: its size, its
modification time and, where the record has one, the sample of its bytes (:mod:`blurscan.replaced`: a file
replaced by another of one size and time). It is stored in the row's ``figures`` JSON under :data:`FILE_KEY`
(no schema change); :func:`without_identity` strips it wherever figures are read for people or programs, so
``bursts --format jsonl`` and the review page are as before. A row stored by a blurscan before 2026-12-03 has
none and is read as it was.

A shot is no longer the file ranked (:func:`replaced_shots`) when its path holds a file whose size or
modification time differ from those stored, or whose scan record (a scan since) differs in size, time or
sample. A shot whose file is gone is not counted here: the actions and the review page say so already.
"""
from __future__ import annotations

import os
import sqlite3
from typing import Any

from ..store import path_from_db
from ..filetime import mtime_of
from .. import stored_json

#: The key of a stored member's ``figures`` holding the file it was ranked on (never in the JSONL).
FILE_KEY = "_file"

#: What ``move/trash/tag --from-bursts`` (and the ``bursts`` table) say of a shot :func:`replaced_shots` finds.
REPLACED_REASON = ("not the file its burst was ranked on (replaced or changed since); "
                   "scan, then run `blurscan bursts` again")
#: Why ``move --from-bursts`` leaves the other shots of a burst whose keeper is gone, replaced or marked discard
#: with no shot left to propose in its place (a keeper marked discard otherwise gives its place to the next shot
#: not discarded: :mod:`.standing`; until 2026-12-06 the message asked to run ``blurscan bursts`` again).
NO_KEEPER = "its burst has no keeper in place; left for review"
DISCARDED_KEEPER = ("its burst's keeper is marked discard, and every other shot of it too (but copies of them); "
                    "left for review")


def identity_of(record) -> dict[str, Any] | None:
    """The identity stored for a shot ranked on ``record`` (a :class:`~blurscan.records.ScanRecord`), or None
    when its size or time is unknown."""
    if record is None or record.size is None or record.mtime_ns is None:
        return None
    out = {"size": record.size, "mtime_ns": record.mtime_ns}
    if getattr(record, "sample", None):
        out["sample"] = record.sample
    return out


def with_identity(figures: dict[str, Any], identity: dict[str, Any] | None) -> dict[str, Any]:
    """``figures`` as stored: with ``identity`` under :data:`FILE_KEY` (unchanged when it is None)."""
    return figures if identity is None else {**figures, FILE_KEY: identity}


def without_identity(figures: dict[str, Any] | None) -> dict[str, Any] | None:
    """Stored ``figures`` as shown (JSONL, review page): without :data:`FILE_KEY`."""
    if not isinstance(figures, dict) or FILE_KEY not in figures:
        return figures
    return {k: v for k, v in figures.items() if k != FILE_KEY}


def stored_identity(figures: str | None) -> dict[str, Any] | None:
    """The identity in a row's ``figures`` text, or None (an older row, a damaged one)."""
    try:
        parsed = stored_json.parsed(figures or "{}", "a burst shot's stored figures")
    except ValueError:
        return None
    return identity_in(parsed)


def identity_in(figures: Any) -> dict[str, Any] | None:
    """:func:`stored_identity` of a row's ``figures`` already parsed (``json.loads``)."""
    value = figures.get(FILE_KEY) if isinstance(figures, dict) else None
    return value if isinstance(value, dict) and isinstance(value.get("size"), int) \
        and isinstance(value.get("mtime_ns"), int) else None


def duplicate_of(figures: str | None) -> str | None:
    """The shot a burst member is a byte-identical copy of, from its stored ``figures`` text (``bursts`` writes
    ``duplicate_of``: :func:`blurscan.bursts.twins.identical_copies`), or None."""
    try:
        origin = stored_json.parsed(figures or "{}", "a burst shot's stored figures").get("duplicate_of")
    except (ValueError, AttributeError):
        return None
    return origin if isinstance(origin, str) and origin else None


def is_replaced(ranked: dict[str, Any], st: os.stat_result, size: int | None, mtime_ns: int | None,
                sample: str | None) -> bool:
    """Whether the file found at a shot's path (``st``: its ``os.stat``) is another than the one ranked
    (``ranked``: :func:`stored_identity`), given the shot's scan record (its ``size``, ``mtime_ns`` and
    ``sample``; None without a record)."""
    scanned = (size, mtime_ns) if size is not None else (st.st_size, mtime_of(st))
    return (st.st_size, mtime_of(st)) != (ranked["size"], ranked["mtime_ns"]) or \
        scanned != (ranked["size"], ranked["mtime_ns"]) or \
        bool(sample and ranked.get("sample") and sample != ranked["sample"])


def replaced_shots(conn) -> set[str]:
    """Paths (as Python text) of the stored burst shots whose path now holds another file than the one ranked
    (see the module docstring). One ``stat`` per shot with a stored identity."""
    out = set()
    for path, figures, size, mtime_ns, sample in _rows(conn):
        ranked = stored_identity(figures)
        if ranked is None:
            continue  # stored by an older blurscan: read as before
        path = path_from_db(path)
        try:
            st = os.stat(path)  # followed, as the scan's walk does
        except OSError:
            continue  # gone (or unreadable): said elsewhere, as before
        if is_replaced(ranked, st, size, mtime_ns, sample):
            out.add(path)
    return out


def shot_replaced(conn, group_id: int, path) -> bool:
    """Whether the shot ``path`` (as stored: :func:`blurscan.store.db_path`) of burst group ``group_id`` holds
    another file than the one ranked, as :func:`replaced_shots` finds it; False for a path not in that group, a
    row stored without the identity, or a file gone."""
    sample, in_record = sample_column(conn)
    row = conn.execute(f"SELECT b.figures, i.size, i.mtime_ns, {sample} FROM burst_groups b "
                       "LEFT JOIN images i ON i.path = b.path WHERE b.group_id = ? AND b.path = ?",
                       (group_id, path)).fetchone()
    ranked = stored_identity(row[0]) if row is not None else None
    if ranked is None:
        return False
    try:
        st = os.stat(path_from_db(path))  # followed, as the scan's walk does
    except OSError:
        return False
    return is_replaced(ranked, st, row[1], row[2], _sample(row[3]) if in_record else row[3])


def sample_column(conn, record: str = "i.record") -> tuple[str, bool]:
    """The SQL giving a scan record's sample (:func:`_rows`): ``json_extract`` where this SQLite has its JSON
    functions, else the record itself, and whether the caller must read the sample from it (:func:`_sample`)."""
    try:
        conn.execute("SELECT json_extract('{}', '$.sample')").fetchone()
    except sqlite3.OperationalError:  # no JSON functions in this SQLite
        return record, True
    return f"json_extract({record}, '$.sample')", False


def _rows(conn):
    """``(path, figures, size, mtime_ns, sample)`` of every stored shot, with its scan record's identity (None
    without a record). The sample is read from the record's JSON by SQLite where it can (its JSON functions are
    built in since 3.38, and in most builds before), else by Python."""
    query = ("SELECT b.path, b.figures, i.size, i.mtime_ns, {} FROM burst_groups b "
             "LEFT JOIN images i ON i.path = b.path")
    try:
        return conn.execute(query.format("json_extract(i.record, '$.sample')")).fetchall()
    except sqlite3.OperationalError:  # no JSON functions in this SQLite
        return [(*row[:4], _sample(row[4])) for row in conn.execute(query.format("i.record"))]


def _sample(record: str | None) -> str | None:
    try:
        value = stored_json.parsed(record).get("sample") if record else None
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
