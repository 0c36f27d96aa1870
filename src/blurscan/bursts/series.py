"""A time-lapse is no burst: frames a camera's intervalometer took at one regular interval, one frame each few
seconds for minutes or hours, of one scene. pHash sees the same scene in each, and each frame is linked to the next
(seconds apart, inside the window), so a time-lapse of 60 frames 5 s apart was one "burst" of 60 shots whose
sharpest was the keeper, and ``move/trash --from-bursts`` took the other 59, every frame the film needs (until
2026-12-07). A group whose shots follow one another at a regular interval of a second or more, ten shots or more,
is such a series, not a burst: :func:`interval_series`. A burst is shot faster (a camera's continuous mode: 3-30
frames a second), a re-take as the moment asks (irregular)."""
from __future__ import annotations

from collections.abc import Sequence

#: The fewest frames of a series told from a burst by their regular interval.
MIN_FRAMES = 10
#: The shortest interval (seconds) of a series: a camera's continuous mode shoots faster.
MIN_INTERVAL_S = 1.0
#: Of the intervals between a series' frames, the share at least that are its interval (a frame that a passing bird
#: set apart in its own group leaves an interval twice as long).
REGULAR_SHARE = 0.9


def interval_series(times: Sequence[float | None], exact: Sequence[bool]) -> bool:
    """Whether shots at ``times`` (seconds, in time order; :func:`.grouping.shot_times`), each known to a fraction of
    a second or not (``exact``: EXIF times of whole seconds are off by up to a second either way), are frames of a
    time-lapse: :data:`MIN_FRAMES` or more, their median interval :data:`MIN_INTERVAL_S` or more, and
    :data:`REGULAR_SHARE` of the intervals within a tenth of it (where the times are whole seconds:
    :func:`_whole_seconds_series`)."""
    if len(times) < MIN_FRAMES or any(t is None for t in times):
        return False
    ordered = sorted(float(t) for t in times)  # type: ignore[arg-type]
    gaps = sorted(b - a for a, b in zip(ordered, ordered[1:]))
    interval = gaps[len(gaps) // 2]
    if interval < MIN_INTERVAL_S:
        return False
    if all(exact):
        return sum(abs(gap - interval) <= interval / 10 for gap in gaps) >= REGULAR_SHARE * len(gaps)
    return _whole_seconds_series(gaps, interval)


def _whole_seconds_series(gaps: list[float], median: float) -> bool:
    """:func:`interval_series` of times of whole seconds (sorted ``gaps``, their ``median``): a regular interval T
    reads as ``floor(T)`` and ``ceil(T)`` (2.5 s: 2, 3, 2, 3), so :data:`REGULAR_SHARE` of the gaps lie within a
    second (and a tenth) of the median, and the interval is their mean, not the median. Until 2026-12-07 the median
    decided: a continuous-mode burst of 2 frames a second reads 0, 1, 0, 1 (a median of 1 s), and was taken for a
    time-lapse (not listed)."""
    near = [gap for gap in gaps if abs(gap - median) <= median / 10 + 1.0]
    return len(near) >= REGULAR_SHARE * len(gaps) and sum(near) / len(near) >= MIN_INTERVAL_S
