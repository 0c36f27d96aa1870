"""Burst grouping's settings and the counts of one grouping: plain values, no NumPy, so that the readers of
the stored groups (``move``/``trash``/``tag --from-bursts``, ``undo``, ``report``, the review page) and the
package's :func:`blurscan.bursts.run` signature load none of the grouping machinery (:mod:`.grouping`, which
imports NumPy) until photos are grouped. Until 2026-12-07 they lived in :mod:`.grouping` (still importable from
there)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import UsageError


#: Seconds: photos further apart in time than this are never compared.
DEFAULT_WINDOW_S = 120.0
#: Hamming distance (bits out of 64) at or below which two perceptual hashes count as the same scene.
DEFAULT_MAX_DISTANCE = 14
#: Each photo is compared with at most this many following photos in time order (bounds the work when a
#: whole library has nearly the same time, e.g. files copied without keeping their modification times).
DEFAULT_MAX_NEIGHBOURS = 200
#: Bits of the reference hash (imagehash's default 8x8 pHash); longer hashes scale ``max_distance``.
REFERENCE_HASH_BITS = 64


@dataclass(frozen=True)
class BurstSettings:
    """Settings of burst grouping; every default lives here once.

    Attributes
    ----------
    window : float
        Seconds; only photos at most this far apart in capture time are compared.
    max_distance : int
        Largest perceptual-hash Hamming distance (bits of 64) between two shots of one scene.
    max_neighbours : int
        Each photo is compared with at most this many later photos inside the window.
    """

    window: float = DEFAULT_WINDOW_S
    max_distance: int = DEFAULT_MAX_DISTANCE
    max_neighbours: int = DEFAULT_MAX_NEIGHBOURS

    def __post_init__(self) -> None:
        if not (isinstance(self.window, (int, float)) and math.isfinite(self.window) and self.window >= 0):
            raise UsageError(f"burst window must be a number of seconds >= 0, got {self.window!r}")
        if not (isinstance(self.max_distance, int) and 0 <= self.max_distance <= REFERENCE_HASH_BITS):
            raise UsageError(f"max distance must be a whole number of bits from 0 to 64, got {self.max_distance!r}")
        if not (isinstance(self.max_neighbours, int) and self.max_neighbours >= 1):
            raise UsageError(f"max neighbours must be a whole number >= 1, got {self.max_neighbours!r}")


@dataclass
class GroupingStats:
    """What one :func:`find_groups` call did (for tests and the benchmark)."""

    photos: int = 0          # records considered (ok, with a hash)
    skipped: int = 0         # records without a usable hash or time
    comparisons: int = 0     # hash pairs compared
    links: int = 0           # pairs found near-identical
    groups: int = 0          # groups of two or more shots
    copies: int = 0          # byte-identical copies joined beyond the window (same_bytes)
