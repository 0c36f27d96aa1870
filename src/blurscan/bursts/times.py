"""The times burst shots are compared and ordered by (:func:`capture_time`, :func:`real_time`,
:func:`shot_times`), read from a record's ``captured_at``, ``captured_subsec`` and file time. No NumPy: the
ranking and the stored groups' readers need them without the grouping machinery (:mod:`.grouping`, which
imports NumPy, re-exports them). Until 2026-12-07 they lived in :mod:`.grouping`."""
from __future__ import annotations

import datetime as _dt
import logging
import time as _time
from collections.abc import Sequence

from .. import taken_at
from ..records import ScanRecord

log = logging.getLogger(__name__)


def capture_time(record: ScanRecord) -> float | None:
    """Seconds on the wall clock where the photo was taken: EXIF capture time, else the file's time.

    Every time is read as *local wall-clock* time, counted in seconds as if it were UTC: an EXIF
    ``DateTimeOriginal`` without offset as it is, one with an offset (``...+02:00``) without the offset, a
    modification time converted to this computer's local time. So a camera that writes no offset and a
    phone that does agree when they shoot the same scene at the same moment, and a photo with EXIF and one
    without agree when this computer's time zone is the camera's. Only differences between these figures
    are used. An EXIF time has its fraction of a second where the camera wrote one (``captured_subsec``,
    EXIF ``SubSecTimeOriginal``; since 2026-12-05).
    """
    return _reading(record)[1]


def real_time(record: ScanRecord) -> float | None:
    """Seconds since the epoch (UTC) when the photo was taken, where that moment is known: an EXIF capture time
    with its offset (``OffsetTimeOriginal``, kept in ``captured_at``), or the file's modification time for a photo
    without EXIF time; None for an EXIF time without offset (a wall-clock time of an unknown time zone)."""
    return _reading(record)[2]


def shot_times(group: Sequence[ScanRecord]) -> list[float | None]:
    """The times the shots of one group are ordered by: the seconds between the moments they were taken
    (:func:`real_time`) when every shot has one (an EXIF time with its offset, or the file's time), as grouping
    compares them, else their wall-clock times (:func:`capture_time`)."""
    if all(_clock(r) != WALL_CLOCK for r in group):
        return [real_time(r) for r in group]
    return [capture_time(r) for r in group]


def exact_time(record: ScanRecord) -> bool:
    """Whether the record's time is known to a fraction of a second: an EXIF time with its fraction (a camera
    that wrote ``SubSecTimeOriginal``, scanned since 2026-12-05), or the file's time (nanoseconds); an EXIF time
    of whole seconds says only the second."""
    moment = _exif_moment(record)
    return moment is None or bool(moment.microsecond) or subsec(record) is not None \
        or taken_at.own_fraction(record.captured_at)


#: How a photo's time is compared (:func:`_clock`): an EXIF time without offset (wall clock only), an EXIF time
#: with its offset, the file's time.
WALL_CLOCK, EXIF_OFFSET, FILE_TIME = 0, 1, 2


def _clock(record: ScanRecord) -> int:
    return _reading(record)[0]


def _reading(record: ScanRecord) -> tuple[int, float | None, float | None]:
    """The kind of a record's time (:data:`WALL_CLOCK`, :data:`EXIF_OFFSET`, :data:`FILE_TIME`), its wall-clock
    seconds (:func:`capture_time`) and its real seconds (:func:`real_time`), its ``captured_at`` read once."""
    moment = _exif_moment(record)
    if moment is not None:
        fraction = _fraction(record, moment)
        wall = moment.replace(tzinfo=_dt.timezone.utc).timestamp() + fraction
        if moment.tzinfo is None:
            return WALL_CLOCK, wall, None
        return EXIF_OFFSET, wall, taken_at.seconds(moment) + fraction
    if record.captured_at:
        log.debug("%s: unreadable captured_at %r, using the file time", record.path, record.captured_at)
    if record.mtime_ns is None:
        return FILE_TIME, None, None
    seconds = record.mtime_ns / 1e9
    try:
        return FILE_TIME, seconds + _time.localtime(seconds).tm_gmtoff, seconds  # local wall-clock time
    except (OverflowError, OSError, ValueError):
        return FILE_TIME, seconds, seconds


def _exif_moment(record: ScanRecord) -> _dt.datetime | None:
    """``captured_at`` read (None when absent or unreadable: the file's time is used), as the review page's date
    sort reads it (:func:`blurscan.taken_at.read`)."""
    return taken_at.read(record.captured_at)


def subsec(record: ScanRecord) -> float | None:
    """The record's ``captured_subsec`` (the fraction of its EXIF time's second), None when absent or not one."""
    value = getattr(record, "captured_subsec", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        return float(value)
    return None


def _fraction(record: ScanRecord, moment: _dt.datetime) -> float:
    """The fraction of a second to add to ``moment`` (``captured_at`` read): ``captured_subsec``, unless the text
    had its own fraction."""
    value = subsec(record)
    if value is None or moment.microsecond or taken_at.own_fraction(record.captured_at):
        return 0.0
    return value
