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

import operator
import sqlite3

from .. import taken_at
from .. import stored_json

#: Paths looked up in one query (SQLite's limit on the parameters of one statement is 999 in old builds).
_CHUNK = 500


def in_date_order(conn, rows: list, by_name) -> list:
    """``rows`` (``(path, row)``) by the moment each photo was taken (:func:`_when`, to the second), each second's
    photos by their fractions of it (``captured_subsec``), then ``mtime_ns``, then ``by_name(path)``; photos
    without a date last, by ``mtime_ns``, then ``by_name(path)``. Only photos that share their second with another
    are looked up (most share it with none), only those that share it and their file time named.

    Each text is read once, a time without offset by a :class:`blurscan.taken_at.Clock`, and the photos are put in
    order by lists of numbers, not of tuples made for each: ordering 100,000 photos took 1.6 s (0.1 s before the
    order of the moments, 2026-12-06), most of it reading each text by itself and Python's collecting of the
    tuples."""
    clock, second_of, own_of = taken_at.Clock(), {}, {}  # (the text's second and, where it writes one, fraction)
    seconds, dated, undated, own = [], [], [], {}  # (own: a dated photo's fraction as its text writes it)
    for row in rows:
        text = row[1]["captured_at"]
        if text.__class__ is str:
            second = second_of.get(text, _UNREAD)
            if second is _UNREAD:
                second = second_of[text] = clock.plain(text)  # (most texts: a camera's date without offset)
                if second is None:
                    when = _when(text, clock)
                    second = second_of[text] = None if when is None else when[0]
                    if when is not None and when[1] is not None:
                        own_of[text] = when[1]
            if own_of and text in own_of:
                own[len(dated)] = own_of[text]
        else:  # (None, or a number or bytes written by hand: not cached, 1 and 1.0 being one key)
            when = _when(text, clock)
            second = None if when is None else when[0]
            if when is not None and when[1] is not None:
                own[len(dated)] = when[1]
        if second is None:
            undated.append(row)
        else:
            seconds.append(second)
            dated.append(row)
    order = sorted(range(len(dated)), key=seconds.__getitem__)
    # the places in that order of the photos that share their second with another, and those photos
    shared = [place for first, end in _runs([seconds[i] for i in order]) for place in range(first, end)]
    tied = [order[place] for place in shared]
    # (a text with its own fraction has it; the others the camera's SubSecTimeOriginal, looked up)
    fraction = _fractions(conn, [dated[i][1]["path"] for i in tied if i not in own])
    if tied:  # (each second's photos by fraction and file time, then name: all seconds' in one go)
        tied = _by_figures(tied, [seconds[i] for i in tied],
                           [own[i] if i in own else fraction.get(dated[i][1]["path"], 0.0) for i in tied],
                           [_file_time(dated[i]) for i in tied], lambda i: by_name(dated[i][0]))
        for place, i in zip(shared, tied):
            order[place] = i
    undated_order = _by_figures(list(range(len(undated))), [_file_time(row) for row in undated],
                                lambda i: by_name(undated[i][0]))
    return [dated[i] for i in order] + [undated[i] for i in undated_order]


def _runs(*columns: list) -> list[tuple[int, int]]:
    """(first, end) of each run longer than one of the items (in order) equal in all ``columns`` (lists of one
    figure of each item)."""
    same = None  # (same[k]: item k + 1 equals item k)
    for column in columns:
        equal = map(operator.eq, column, column[1:])
        same = list(equal) if same is None else list(map(operator.and_, same, equal))
    if not same or not any(same):
        return []
    runs, first = [], 0
    for after, tie in enumerate(same, 1):
        if not tie:
            if after - first > 1:
                runs.append((first, after))
            first = after
    if len(same) + 1 - first > 1:
        runs.append((first, len(same) + 1))
    return runs


def _by_figures(items: list, *figures_then_name) -> list:
    """``items`` by their figures (each a list aligned with ``items``: ``figure[k]`` is ``items[k]``'s), then by
    the last argument's key of each (called only for items equal in all their figures), in a stable sort: as
    ``sorted(items, key=lambda item: (figure_1, ..., name(item)))``. Sorted by one figure at a time (last first),
    by numbers only: no tuple made for each item."""
    *figures, name = figures_then_name
    at = list(range(len(items)))
    for figure in reversed(figures):
        at.sort(key=figure.__getitem__)
    out = [items[k] for k in at]
    for first, end in _runs(*([figure[k] for k in at] for figure in figures)):
        out[first:end] = sorted(out[first:end], key=name)
    return out


_UNREAD = object()


def _when(text, clock: taken_at.Clock) -> tuple[float, float | None] | None:
    """The second ``captured_at`` names (seconds since the epoch, :func:`blurscan.taken_at.seconds`, read by
    ``clock``) and the text's own fraction of it (None when it writes none); None when there is no date or it is no
    date-time."""
    moment = taken_at.read(text)
    if moment is None:
        return None
    if moment.microsecond or taken_at.own_fraction(text):
        return clock.seconds(moment.replace(microsecond=0)), moment.microsecond / 1e6
    return clock.seconds(moment), None


def _file_time(row) -> int:
    return -1 if row[1]["mtime_ns"] is None else row[1]["mtime_ns"]


def _fractions(conn, stored: list) -> dict:
    """The valid ``captured_subsec`` (0 to 1) of the ``stored`` paths (as stored) that have one."""
    out = {}
    for start in range(0, len(stored), _CHUNK):
        chunk = stored[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        try:
            found = conn.execute(f"SELECT path, json_extract(record, '$.captured_subsec') AS subsec FROM images "
                                 f"WHERE path IN ({marks}) AND typeof(subsec) IN ('integer', 'real')",
                                 chunk).fetchall()  # (most have none: not sent to Python)
        except sqlite3.OperationalError:  # no JSON functions in this SQLite: the record read by Python
            found = [(path, _subsec(record)) for path, record in
                     conn.execute(f"SELECT path, record FROM images WHERE path IN ({marks})", chunk)]
        for path, value in found:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
                out[path] = float(value)
    return out


def _subsec(record):
    try:
        return stored_json.parsed(record).get("captured_subsec") if record else None
    except (ValueError, AttributeError):
        return None
