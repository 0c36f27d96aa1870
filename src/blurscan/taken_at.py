"""A photo's stored capture time (``captured_at``) read as a moment: as ``blurscan bursts`` times its shots and the
review page's "date taken" sort orders the photos, one reading for both.

``captured_at`` is the camera's clock (EXIF ``DateTimeOriginal``, ISO 8601), with the offset from UTC where the
camera wrote one (``OffsetTimeOriginal``: ``2024-10-27T02:00:00+01:00``). With its offset it names one moment,
whatever this computer's time zone: ``02:00:00+01:00`` is a second after ``02:59:59+02:00`` (the night the clocks go
back), ``09:00:00+09:00`` in Tokyo is an hour before ``02:00:00+01:00`` in Paris. Without one it is a wall-clock
time of an unknown zone, read in this computer's (``TZ``), as a file's modification time is shown.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import time

from . import isotime


def read(text) -> _dt.datetime | None:
    """``captured_at`` read (with its offset where it has one); None when absent or not a date-time."""
    if not text:
        return None
    try:
        return isotime.parse(str(text).strip().replace(" ", "T", 1))
    except ValueError:
        return None


def seconds(moment: _dt.datetime) -> float:
    """Seconds since the epoch (UTC) of ``moment`` (:func:`read`): the moment itself where it carries its offset,
    a time without one read in this computer's time zone; one the platform cannot place in its zone (year 1 east
    of UTC, year 9999 west of it) as if in UTC.

    A time without offset that this zone skipped (``02:30`` the night the clocks go forward from 02:00 to 03:00: a
    camera not put forward) is read as the moment the clocks went forward, the one ``03:00`` names: read with the
    offset before, as Python does, it came an hour later, after that camera's ``03:10``, so its photos were out of
    the order of their clock. Times of the hour the clocks go back are read the first time round, as Python does."""
    try:
        at = moment.timestamp()
        if moment.tzinfo is None and moment.replace(fold=1).timestamp() < at:  # (a time this zone skipped)
            return _forward(moment.replace(fold=1).timestamp(), at)
        return at
    except (OverflowError, OSError, ValueError):
        return moment.replace(tzinfo=_dt.timezone.utc).timestamp()


def _forward(first: float, last: float) -> float:
    """The second between ``first`` and ``last`` (a skipped time read with the offset after, then before) at which
    this zone's clocks went forward: the first of its new offset."""
    lo, hi = math.floor(first), math.ceil(last)
    after = time.localtime(hi).tm_gmtoff
    if time.localtime(lo).tm_gmtoff == after:
        return float(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if time.localtime(mid).tm_gmtoff == after:
            hi = mid
        else:
            lo = mid
    return float(hi)


class Clock:
    """:func:`seconds` of many times at once, as fast as the review page's date sort of 100,000 photos needs: a
    time without offset is read from the moment its hour's clock starts, found once an hour by :func:`seconds`
    itself, where that reads the hour's first and last second 3,599 s apart (where the clocks change within the
    hour, and in years 1 and 9999, which the platform may not place, each time of it is read by :func:`seconds`,
    as are times with an offset, a fraction or ``fold=1``). The same seconds as :func:`seconds` gives, as long as
    this computer's zone (``TZ``) is the one it was read in: one clock a sort."""

    def __init__(self) -> None:
        self._starts: dict[int, float | None] = {}
        self._hours: dict[str, float | None] = {}

    def seconds(self, moment: _dt.datetime) -> float:
        if moment.tzinfo is not None or moment.microsecond or moment.fold:
            return seconds(moment)
        hour = moment.toordinal() * 24 + moment.hour
        try:
            start = self._starts[hour]
        except KeyError:
            start = self._starts[hour] = _start(moment.replace(minute=0, second=0))
        return seconds(moment) if start is None else start + (moment.minute * 60 + moment.second)

    def plain(self, text: str) -> float | None:
        """``seconds(read(text))`` of a ``captured_at`` written ``2024-06-01T10:00:00`` (as a camera's EXIF date
        without offset is stored), from its hour's start (read once) and the minutes and seconds written; None for
        another text (one with an offset or a fraction, or not a date-time) or an hour whose clock changes: read
        it by :func:`read` and :meth:`seconds`."""
        if len(text) != 19 or text[13] != ":":
            return None
        within = _WITHIN_HOUR.get(text[14:])
        if within is None:
            return None
        try:
            start = self._hours[text[:13]]
        except KeyError:
            start = self._hours[text[:13]] = self._hour(text[:13])
        return None if start is None else start + within

    def _hour(self, written: str) -> float | None:
        """The start of the hour ``written`` (``2024-06-01T10``, which :func:`read` reads with ``:MM:SS`` as
        that time of it), where :meth:`seconds` reads the hour by its start."""
        if _HOUR.fullmatch(written) is None:
            return None
        try:
            first = _dt.datetime(int(written[:4]), int(written[5:7]), int(written[8:10]), int(written[11:]))
        except ValueError:  # (no such date or hour)
            return None
        hour = first.toordinal() * 24 + first.hour
        if hour not in self._starts:
            self._starts[hour] = _start(first)
        return self._starts[hour]


#: ``"MM:SS"`` (00:00 to 59:59) as seconds into the hour
_WITHIN_HOUR = {f"{minute:02d}:{second:02d}": minute * 60 + second for minute in range(60) for second in range(60)}
_HOUR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}", re.ASCII)


def _start(first: _dt.datetime) -> float | None:
    """:func:`seconds` of ``first``, the first second of an hour without offset; None where that of its last second
    is not 3,599 s later (the clocks change within the hour) or the year is 1 or 9999."""
    if not 1 < first.year < 9999:
        return None
    start = seconds(first)
    return start if seconds(first.replace(minute=59, second=59)) == start + 3599 else None


def own_fraction(text) -> bool:
    """Whether ``captured_at`` writes its own fraction of a second (``10:00:00.300``, even ``10:00:00.0``): the
    camera's ``SubSecTimeOriginal`` (``captured_subsec``) is then not added to it."""
    text = str(text)
    return ("." in text or "," in text) and _FRACTION.search(text) is not None


_FRACTION = re.compile(r":[0-9]{2}[.,][0-9]")
