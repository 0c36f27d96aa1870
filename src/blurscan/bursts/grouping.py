"""Grouping: which photos are shots of the same scene taken close together in time.

Two photos are linked when

* their capture times are at most ``window`` seconds apart (the scan's ``captured_at``: EXIF
  ``DateTimeOriginal``, ``DateTimeDigitized`` or IFD0 ``DateTime``; the file's modification time when a
  photo has none; two photos whose moments are both known, each an EXIF time with its offset
  (``OffsetTimeOriginal``) or the file's time: the seconds between those, whatever daylight-saving time did
  meanwhile; otherwise their wall-clock times), **and**
* their perceptual hashes differ in at most ``max_distance`` bits (of 64); at most
  ``FILE_TIME_MAX_DISTANCE`` (6) when either photo has no EXIF capture time, **and**
* they have the same shape: the same orientation and aspect ratios within 10 % (when both sizes are known), **and**
* they have the same exposure: within half a stop (``exposure_ev`` from exposure time, f-number and ISO, when both
  are known): the frames of an exposure bracket for HDR are each needed (since 2026-12-07); never an auto
  bracket's frames or two biases, and shots of the auto exposure at one bias whatever their exposures (EXIF
  ExposureMode, ExposureBiasValue: ``exposure_setting``), **and**
* they are of the same camera, when both name theirs (make, model, body serial; since 2026-12-07): :mod:`.apart`;
  and no group holds two shots never linked, joined through a shot that names no camera or exposure: :mod:`.whole`.

A group of ten or more shots at one regular interval of a second or more is a time-lapse, not a burst
(:mod:`.series`). A burst group is a connected component of that "linked" relation (single linkage, computed with a
union-find), so a burst that drifts slowly (a pan, a subject walking through the frame) stays one group as
long as consecutive shots are near-identical, while two *different* scenes shot a second apart are never
linked: time alone never groups.

Why a perceptual hash (pHash)
-----------------------------
The scan already stores a 64-bit DCT perceptual hash per photo (``imagehash.phash``, computed by
:mod:`blurscan.fingerprint` on the analysis-size image), so grouping needs no pixels and no decoding and
groups 100 000 stored records in 0.5-2 seconds. pHash keeps only the lowest 8x8 frequencies of a 32x32
grey thumbnail and compares each with their median, which makes it insensitive to exactly what differs
inside a burst: blur (it removes high frequencies that pHash ignores), global exposure and contrast changes
(a gain or offset leaves each coefficient's side of the median unchanged), JPEG re-encoding and
resolution; it *is* sensitive to the layout of the scene, which is what tells two scenes apart [1]_ [2]_.
A learned embedding (e.g. CLIP) would tolerate larger viewpoint changes but needs a large model download
and minutes of compute per 10k photos, against the house rules (no network, fast rescans).

Why these defaults
------------------
``window = 120 s``: shots of one scene are often taken more than a second apart: a person re-takes a
photo after looking at the camera's screen, or waits for a subject to smile again, typically within a minute
or two. The window only bounds *which* pairs are compared; visual near-identity still decides, so a wide
window costs comparisons, not precision.
``max_distance = 14 bits``: on the benchmark (``bench/bursts.py``, docs/benchmarks-bursts.md) a blurred
shot and its sharp twin differ by 0-4 bits, re-framed shots (shift up to 4 %, crop up to 8 %) and
consecutive frames of a moving camera 1/24 s apart by up to 14, while 95 % of the pairs of different scenes
shot seconds apart differ by 24 bits or more (two unrelated hashes by 32 on average). Pairwise precision
stays at 99-100 % up to 16 bits and falls from 18 on (74 %); recall is 90 % at 12 bits and 99.5 % at 14.

Photos without a capture time, and shapes
----------------------------------------
A camera writes the moment of each shot into EXIF; a file's modification time is weaker evidence: files
copied together (a downloaded data set, photos restored from a backup) share it to the second, so the time
window then admits every photo of the folder and the hash alone decides. Over hundreds of comparisons per
photo a 64-bit hash of two unrelated scenes with a similar layout (a horizon, a bright top) falls within 14
bits now and then, and single linkage chains such chance links into one large group (a walkthrough: a lake
photo keeper of 37 frames of a basketball court, all copied within a minute). So a link that rests on a file
time needs near-identity: at most 6 bits, which still joins a blurred shot with its sharp twin (0-4 bits).
And the shots of one burst come from one camera at one setting, so they have one shape: a portrait and a
landscape photo, a 3:2 and a 16:9 frame, are never linked (a crop of up to 8 % each way keeps the ratio).

Scaling
-------
Photos are sorted by time; each photo is compared only with the photos after it that fall inside the time
window (a sliding window over the sorted times, located with a binary search), at most ``max_neighbours``
of them, by vectorised XOR + popcount (one pass per distance in the sorted order). The work is
``O(n log n + n k)`` for ``k`` photos per window, never all pairs; :class:`GroupingStats` counts the
comparisons so tests can assert on it.

Byte-identical copies are one shot wherever they are in time (``same_bytes``): photos with the same hash and
file size anywhere in the library (one sort of the hashes and sizes, ``O(n log n)``: about 5 % of the grouping of
100,000 photos) are candidates, each set confirmed by its bytes, and joined. In a data set written in bulk a
copy of an image into another split was written hundreds of files after its original, past the 200 compared,
and was found or missed by that order (until 2026-12-07).

References
----------
.. [1] C. Zauner, "Implementation and Benchmarking of Perceptual Image Hash Functions", Master's thesis,
   Upper Austria University of Applied Sciences, 2010.
.. [2] N. Krawetz, "Looks Like It", hackerfactor.com blog, 2011 (the pHash recipe ``imagehash`` follows).
"""
from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from ..records import ScanRecord
from .apart import MAX_EXPOSURE_DIFFERENCE, Apart  # noqa: F401  (MAX_EXPOSURE_DIFFERENCE: its name here before)
from .hashes import _hash_ints, _popcount, hamming, hash_words  # noqa: F401  (their names here before)
from .series import MIN_FRAMES, interval_series
from .whole import UnionFind as _UnionFind, split
# the settings and the shots' times, in modules of their own without NumPy (their names here before 2026-12-07)
from .settings import (DEFAULT_MAX_DISTANCE, DEFAULT_MAX_NEIGHBOURS, DEFAULT_WINDOW_S,  # noqa: F401
                       REFERENCE_HASH_BITS, BurstSettings, GroupingStats)
from .times import (EXIF_OFFSET, FILE_TIME, WALL_CLOCK, _clock, _exif_moment, _fraction,  # noqa: F401
                    _reading, capture_time, exact_time, real_time, shot_times, subsec)

log = logging.getLogger(__name__)

#: Largest distance (bits of 64) of a link when either photo's time is its file's, not an EXIF capture time.
FILE_TIME_MAX_DISTANCE = 6
#: Largest difference of log aspect ratio (width / height) of two linked shots: ratios within 10 %.
MAX_LOG_ASPECT_DIFFERENCE = math.log(1.10)


class _Pairs:
    """Links the near-identical shots of a run of photos in time order (positions in the sorted order of
    :func:`find_groups`) into ``sets``, counting comparisons and links."""

    def __init__(self, sets: _UnionFind, h: np.ndarray, shape: np.ndarray, clock: np.ndarray, limit: int,
                 file_limit: int, apart: Apart) -> None:
        self.sets, self.h, self.shape, self.clock, self.apart = sets, h, shape, clock, apart
        self.by_exif = clock != FILE_TIME
        self.limit, self.file_limit = limit, file_limit
        self.comparisons = self.links = 0

    def link(self, positions: np.ndarray, t: np.ndarray, settings: BurstSettings, *, real: bool) -> None:
        """Compare each photo of ``positions`` (times ``t``, ascending) with those after it inside the window, at
        most ``max_neighbours`` of them: every pair (``real``: the photos whose real times are known,
        :func:`find_groups` gives them alone), or (on wall-clock times) the pairs with a photo whose real time is
        not known (an EXIF time without offset)."""
        m = len(positions)
        if m < 2:
            return
        # how many later shots each shot is compared with: those inside the window, at most max_neighbours
        span = np.searchsorted(t, t + settings.window, side="right") - np.arange(m) - 1
        np.minimum(span, settings.max_neighbours, out=span)
        # Compare shot i with shot i + lag for every i at once, lag = 1, 2, ... while any window reaches that
        # far: the same pairs as a loop over i, in a few vectorised passes.
        active = np.flatnonzero(span >= 1)
        lag = 1
        while active.size:
            a, b = positions[active], positions[active + lag]
            if not real:
                taken = (self.clock[a] == WALL_CLOCK) | (self.clock[b] == WALL_CLOCK)
                a, b = a[taken], b[taken]
            distances = _popcount(self.h[a] ^ self.h[b])
            self.comparisons += int(a.size)
            allowed = np.where(self.by_exif[a] & self.by_exif[b], self.limit, self.file_limit)
            with np.errstate(invalid="ignore"):  # NaN (a size unknown): no shape test
                other_shape = np.abs(self.shape[a] - self.shape[b]) > MAX_LOG_ASPECT_DIFFERENCE
            other_shape |= self.apart(a, b)  # (an exposure bracket's frames; two cameras' shots)
            near = (distances <= allowed) & ~other_shape
            for i, j in zip(a[near].tolist(), b[near].tolist()):
                self.links += 1
                self.sets.union(i, j)
            lag += 1
            active = active[span[active] >= lag]


def find_groups(
    records: Iterable[ScanRecord],
    *,
    window: float = DEFAULT_WINDOW_S,
    max_distance: int = DEFAULT_MAX_DISTANCE,
    max_neighbours: int = DEFAULT_MAX_NEIGHBOURS,
    stats: GroupingStats | None = None,
    same_bytes: Callable[[Sequence[ScanRecord]], Mapping[str, str]] | None = None,
) -> list[list[ScanRecord]]:
    """Groups of near-identical shots taken close together in time.

    Parameters
    ----------
    records : iterable of ScanRecord
        Scan results; records with ``status != "ok"``, without ``phash`` or without any time are skipped.
    window : float
        Seconds; only shots at most this far apart (see :func:`capture_time`) are compared.
    max_distance : int
        Largest Hamming distance, in bits of a 64-bit hash, between linked shots (scaled for longer hashes).
    max_neighbours : int
        Each shot is compared with at most this many following shots in time order.
    stats : GroupingStats, optional
        Filled with counts (comparisons made, links found...).
    same_bytes : callable, optional
        Given shots of one hash and size (``size`` known), copy path -> the path of the file it is a byte-identical
        copy of (:func:`blurscan.bursts.twins.identical_copies`); such copies are joined wherever they are in time.

    Returns
    -------
    list of list of ScanRecord
        Groups of two or more records, each in time order, the groups in order of their first shot.
    """
    settings = BurstSettings(window=window, max_distance=max_distance, max_neighbours=max_neighbours)
    stats = stats if stats is not None else GroupingStats()
    kept: list[ScanRecord] = []
    times: list[float] = []
    words: list[tuple[int, ...]] = []
    clocks: list[int] = []     # WALL_CLOCK, EXIF_OFFSET or FILE_TIME (_clock)
    real: list[float] = []     # seconds since the epoch (real_time; NaN for an EXIF time without offset)
    shapes: list[float] = []   # log(width / height), NaN when unknown
    width = None
    for record in records:
        if record.status != "ok":
            continue
        clock_kind, moment, real_moment = _reading(record)
        hashed = _hash_ints(record.phash)
        if moment is None or hashed is None:
            stats.skipped += 1
            continue
        if width is None:
            width = len(hashed)
        elif len(hashed) != width:
            log.warning("%s: perceptual hash of another length, skipped (rescan to refresh)", record.path)
            stats.skipped += 1
            continue
        kept.append(record)
        times.append(moment)
        words.append(hashed)
        clocks.append(clock_kind)
        real.append(math.nan if real_moment is None else real_moment)
        shapes.append(math.log(record.width / record.height) if record.width and record.height else math.nan)
    stats.photos = len(kept)
    if len(kept) < 2:
        return []

    order = sorted(range(len(kept)), key=lambda i: (times[i], kept[i].path))
    t = np.asarray([times[i] for i in order], dtype=np.float64)
    h = np.asarray([words[i] for i in order], dtype=np.uint64)
    limit = settings.max_distance * (width * 64) // REFERENCE_HASH_BITS
    file_limit = min(settings.max_distance, FILE_TIME_MAX_DISTANCE) * (width * 64) // REFERENCE_HASH_BITS
    clock = np.asarray([clocks[i] for i in order], dtype=np.int8)
    shape = np.asarray([shapes[i] for i in order], dtype=np.float64)
    n = len(t)
    apart = Apart([kept[i] for i in order])
    sets = _UnionFind(n, [] if apart.named else None)  # (the links kept where a shot names a camera or exposure)
    pairs = _Pairs(sets, h, shape, clock, limit, file_limit, apart)
    # Two photos whose moments are both known (real_time: an EXIF time with its offset, OffsetTimeOriginal, or the
    # file's time) are compared by the seconds between those, not by wall-clock times: a change of daylight-saving
    # time between them made shots a second apart an hour apart (never compared), and shots an hour apart in the
    # night the clocks go back a second apart; two cameras set to other zones were hours apart (files' times
    # until 2026-12-05, EXIF offsets dropped until 2026-12-05). The others by their wall-clock times, as an EXIF
    # time without offset is one (see capture_time).
    pairs.link(np.arange(n), t, settings, real=False)
    real_t = np.asarray([real[i] for i in order], dtype=np.float64)
    known = np.flatnonzero(clock != WALL_CLOCK)
    known = known[np.argsort(real_t[known], kind="stable")]
    pairs.link(known, real_t[known], settings, real=True)
    if same_bytes is not None:
        stats.copies += _join_copies(sets, [kept[i] for i in order], h, same_bytes)
    comparisons, links = pairs.comparisons, pairs.links
    stats.comparisons += comparisons
    stats.links += links

    roots = [sets.find(position) for position in range(n)]
    if sets.edges is not None:  # (no group joins two cameras or exposures through a shot naming neither: .whole)
        roots = split(roots, sets.edges, apart)
    members: dict[int, list[int]] = {}
    for position, root in enumerate(roots):
        if root >= 0:
            members.setdefault(root, []).append(position)
    # members are listed in time order (their real times where all have one: shot_times), and the
    # groups in the order of their first shot on the wall clock
    groups = [[kept[order[p]] for p in _in_time_order(positions, clock, real_t)] for positions in members.values()
              if len(positions) > 1]
    # (a time-lapse's frames, one each few seconds: no burst, each frame needed; since 2026-12-07. Its times are read
    # for a group of MIN_FRAMES shots or more alone: for every group, they made find_groups 1.5x slower)
    groups = [g for g in groups
              if len(g) < MIN_FRAMES or not interval_series(shot_times(g), [exact_time(r) for r in g])]
    stats.groups = len(groups)
    log.debug("grouped %d photos: %d comparisons, %d links, %d groups", n, comparisons, links, len(groups))
    return groups


def _in_time_order(positions: list[int], clock: np.ndarray, real_t: np.ndarray) -> list[int]:
    """The ``positions`` of one group (in wall-clock order) as :func:`shot_times` orders them: by their real times
    (``real_t``) when every shot has one (``clock``), the wall-clock order kept for equal times; else as they
    are."""
    if (clock[positions] == WALL_CLOCK).any():
        return positions
    return sorted(positions, key=lambda p: (real_t[p], p))


def _join_copies(sets: _UnionFind, shots: list[ScanRecord], h: np.ndarray,
                 same_bytes: Callable[[Sequence[ScanRecord]], Mapping[str, str]]) -> int:
    """Join in ``sets`` the byte-identical copies among ``shots`` (hashes ``h``; in the order of ``sets``) wherever
    they are in time: shots of one hash and file size (known), found by one sort, not yet all in one group,
    confirmed by ``same_bytes``. Returns the copies joined to another group."""
    sizes = np.fromiter((r.size or 0 for r in shots), dtype=np.int64, count=len(shots))
    known = np.flatnonzero(sizes > 0)
    if known.size < 2:
        return 0
    ranked = known[np.lexsort((sizes[known], *h[known].T))]  # (one hash and size side by side)
    same = (h[ranked[1:]] == h[ranked[:-1]]).all(axis=1) & (sizes[ranked[1:]] == sizes[ranked[:-1]])
    if not same.any():
        return 0
    run = np.concatenate(([0], np.cumsum(~same)))  # the run of equal (hash, size) of each ranked shot
    runs: dict[int, list[int]] = {}
    for k in np.flatnonzero(np.concatenate(([False], same)) | np.concatenate((same, [False]))).tolist():
        runs.setdefault(int(run[k]), []).append(int(ranked[k]))
    joined = 0
    for positions in runs.values():
        if len({sets.find(p) for p in positions}) < 2:
            continue  # one group already (copies close in time): its ranking tells them apart
        at = {shots[p].path: p for p in positions}
        for copy, original in same_bytes([shots[p] for p in positions]).items():
            joined += sets.union(at[copy], at[original])
    return joined
