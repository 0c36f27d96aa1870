"""The review page's "date taken" order: the moments the photos were taken, the shots of one second by the fraction
of it.

The database orders the photos by their EXIF date (``captured_at``), then by their files' modification times. That
text is the camera's clock: where the camera wrote its offset from UTC (``OffsetTimeOriginal``, kept in
``captured_at`` as ``+02:00``) the text's order is not the order the photos were taken in. A burst across the night
the clocks go back (``02:59:59+02:00``, then ``02:00:01+01:00``) was listed with its later shots first, and a trip's
photos (a phone writing ``+09:00`` in Tokyo, ``+01:00`` back home) by the hour on the clock, interleaved, where
``blurscan bursts`` orders them by the moment (until 2026-12-06). The photos are now ordered by that moment, read
as ``bursts`` reads it (:mod:`blurscan.taken_at`: a date without offset in this computer's time zone); photos of
one second by their fraction of it (``SubSecTimeOriginal``, ``captured_subsec``, kept in the record's JSON only; a
photo without one as its date reads: at the start of its second), then by their files' times, then as the name
sort has them. Photos without a date (or with one that is no date-time) come last, by their files' times, then
as the name sort has them.
"""
from __future__ import annotations

import json
import sqlite3
from itertools import groupby

from .. import taken_at

#: Paths looked up in one query (SQLite's limit on the parameters of one statement is 999 in old builds).
_CHUNK = 500


def in_date_order(conn, rows: list, by_name) -> list:
    """``rows`` (``(path, row)``) by the moment each photo was taken (:func:`_when`, to the second), each second's
    photos by their fractions of it (``captured_subsec``), then ``mtime_ns``, then ``by_name(path)``; photos
    without a date last, by ``mtime_ns``, then ``by_name(path)``. Only photos that share their second with another
    are looked up (most share it with none)."""
    dated, undated = [], []
    for row in rows:
        when = _when(row[1]["captured_at"])
        if when is None:
            undated.append(row)
        else:
            dated.append((when, row))
    dated.sort(key=lambda item: item[0][0])
    runs = [list(run) for _second, run in groupby(dated, key=lambda item: item[0][0])]
    # (a text with its own fraction has it; the others the camera's SubSecTimeOriginal, looked up)
    fraction = _fractions(conn, [row[1]["path"] for run in runs if len(run) > 1
                                 for (_second, own), row in run if own is None])
    out = []
    for run in runs:
        if len(run) > 1:
            run.sort(key=lambda item: (fraction.get(item[1][1]["path"], 0.0) if item[0][1] is None else item[0][1],
                                       _file_time(item[1]), by_name(item[1][0])))
        out += [row for _when_, row in run]
    undated.sort(key=lambda row: (_file_time(row), by_name(row[0])))
    return out + undated


def _when(text) -> tuple[float, float | None] | None:
    """The second ``captured_at`` names (seconds since the epoch, :func:`blurscan.taken_at.seconds`) and the text's
    own fraction of it (None when it writes none); None when there is no date or it is no date-time."""
    moment = taken_at.read(text)
    if moment is None:
        return None
    if moment.microsecond or taken_at.own_fraction(text):
        return taken_at.seconds(moment.replace(microsecond=0)), moment.microsecond / 1e6
    return taken_at.seconds(moment), None


def _file_time(row) -> int:
    return -1 if row[1]["mtime_ns"] is None else row[1]["mtime_ns"]


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
