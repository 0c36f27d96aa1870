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
import re

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
    of UTC, year 9999 west of it) as if in UTC."""
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return moment.replace(tzinfo=_dt.timezone.utc).timestamp()


def own_fraction(text) -> bool:
    """Whether ``captured_at`` writes its own fraction of a second (``10:00:00.300``, even ``10:00:00.0``): the
    camera's ``SubSecTimeOriginal`` (``captured_subsec``) is then not added to it."""
    return bool(_FRACTION.search(str(text)))


_FRACTION = re.compile(r":[0-9]{2}[.,][0-9]")
