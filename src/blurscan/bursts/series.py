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
#: Of the intervals between a series' frames, the share at least that are its interval or a few of it.
REGULAR_SHARE = 0.9
#: The most intervals one gap of a series may span: a frame the intervalometer missed (the camera still writing), one
#: a person deleted, or one a passing bird set apart in its own group leaves a gap of two intervals (two frames:
#: three). Until 2026-12-07 such a gap counted as irregular: one among ten frames (four among thirty) made the
#: time-lapse one burst again.
MAX_SPAN = 3


def interval_series(times: Sequence[float | None], exact: Sequence[bool]) -> bool:
    """Whether shots at ``times`` (seconds, in time order; :func:`.times.shot_times`), each known to a fraction of
    a second or not (``exact``: EXIF times of whole seconds are off by up to a second either way), are frames of a
    time-lapse: :data:`MIN_FRAMES` or more, their median interval :data:`MIN_INTERVAL_S` or more, and
    :data:`REGULAR_SHARE` of the gaps within a tenth of it, or of two or three times it (frames missing: a tenth of
    that), and a second more where the times are whole seconds (a gap of a few intervals counts only where that
    slack tells it from the next: whole seconds a second or two apart say no more than the interval). Where the
    times are whole seconds the interval is the mean of the regular gaps (each over the intervals it spans), not
    their median: a regular interval T reads as ``floor(T)`` and ``ceil(T)`` (2.5 s: 2, 3, 2, 3), and a
    continuous-mode burst of 2 frames a second reads 0, 1, 0, 1 (a median of 1 s), which until 2026-12-07 was taken
    for a time-lapse (not listed)."""
    if len(times) < MIN_FRAMES or any(t is None for t in times):
        return False
    ordered = sorted(float(t) for t in times)  # type: ignore[arg-type]
    gaps = sorted(b - a for a, b in zip(ordered, ordered[1:]))
    interval = gaps[len(gaps) // 2]
    if interval < MIN_INTERVAL_S:
        return False
    whole = 0.0 if all(exact) else 1.0
    regular = [(gap, span) for gap in gaps if (span := _span(gap, interval, whole))]
    if len(regular) < REGULAR_SHARE * len(gaps):
        return False
    return all(exact) or sum(gap / span for gap, span in regular) / len(regular) >= MIN_INTERVAL_S


def _span(gap: float, interval: float, whole: float) -> int:
    """How many intervals ``gap`` is (1 to :data:`MAX_SPAN`), within a tenth of them (plus ``whole``); 0: none."""
    for span in range(1, MAX_SPAN + 1):
        slack = span * interval / 10 + whole
        if span > 1 and slack >= interval / 2:  # (a few intervals no longer told apart)
            return 0
        if abs(gap - span * interval) <= slack:
            return span
    return 0
