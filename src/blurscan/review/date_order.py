"""The review page's "date taken" order within one second: the shots of a burst by the fraction of the second.

The database orders the photos by their EXIF date (``captured_at``, whole seconds), then by their files'
modification times. A camera shooting 10 frames a second writes the same date on each, the fraction in
``SubSecTimeOriginal`` (``captured_subsec``, kept in the record's JSON only); the files' times then decided, and
photos copied in another order than they were taken (a copy tool that does not keep the times, run over a folder
listed in its own order) were listed out of their shooting order, where ``blurscan bursts`` orders them by the
fraction (until 2026-12-06). Photos of one date are now ordered by their fraction (a photo without one as its
date reads: at the start of its second), then by their files' times, then as the name sort has them.
"""
from __future__ import annotations

import json
import sqlite3
from itertools import groupby

#: Paths looked up in one query (SQLite's limit on the parameters of one statement is 999 in old builds).
_CHUNK = 500


def in_date_order(conn, rows: list, by_name) -> list:
    """``rows`` (``(path, row)`` in the database's date order) with each run of one ``captured_at`` put in the
    order of its fractions of a second (``captured_subsec``), then of ``mtime_ns``, then ``by_name(path)``.
    Only photos that share their date with another are looked up (most share it with none)."""
    runs = [list(run) for _date, run in groupby(rows, key=lambda row: row[1]["captured_at"])]
    shared = [row[1]["path"] for run in runs if len(run) > 1 and run[0][1]["captured_at"] is not None
              for row in run]
    fraction = _fractions(conn, shared)
    out = []
    for run in runs:
        if len(run) > 1:
            run.sort(key=lambda row: (fraction.get(row[1]["path"], 0.0),
                                      -1 if row[1]["mtime_ns"] is None else row[1]["mtime_ns"], by_name(row[0])))
        out += run
    return out


def _fractions(conn, stored: list) -> dict:
    """The valid ``captured_subsec`` (0 to 1) of the ``stored`` paths (as stored) that have one."""
    out = {}
    for start in range(0, len(stored), _CHUNK):
        chunk = stored[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        try:
            found = conn.execute(f"SELECT path, json_extract(record, '$.captured_subsec') FROM images "
                                 f"WHERE path IN ({marks})", chunk).fetchall()
        except sqlite3.OperationalError:  # no JSON functions in this SQLite: the record read by Python
            found = [(path, _subsec(record)) for path, record in
                     conn.execute(f"SELECT path, record FROM images WHERE path IN ({marks})", chunk)]
        for path, value in found:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
                out[path] = float(value)
    return out


def _subsec(record):
    try:
        return json.loads(record).get("captured_subsec") if record else None
    except (ValueError, AttributeError):
        return None
