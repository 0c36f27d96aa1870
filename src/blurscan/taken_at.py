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


def own_fraction(text) -> bool:
    """Whether ``captured_at`` writes its own fraction of a second (``10:00:00.300``, even ``10:00:00.0``): the
    camera's ``SubSecTimeOriginal`` (``captured_subsec``) is then not added to it."""
    return bool(_FRACTION.search(str(text)))


_FRACTION = re.compile(r":[0-9]{2}[.,][0-9]")
