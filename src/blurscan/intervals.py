"""95 % confidence intervals of the accuracy figures, in plain numpy: how far a balanced accuracy, a difference of
two detectors' balanced accuracies, or a rate could move with another draw of photos of the same kind.

* :func:`balanced_accuracy_intervals` — a percentile bootstrap (fixed seed, 2,000 resamples by default) that
  resamples **clusters**, not images, where several images come from one photo (the blurred versions of one
  source photo, the frames of one recording): resampling the images of such a set would treat near-duplicates
  as independent evidence and understate the spread. Whole clusters are drawn, stratified by the classes a
  cluster holds (clusters with both classes, blurry only, sharp only: each kind drawn from its own kind, as
  many as there are), so every resample keeps both classes whenever the set has them. With every image its own
  cluster this is the ordinary bootstrap stratified by class.
* the same call gives the interval of each **difference** from a reference detector, the detectors resampled
  jointly (the same draws for both), which is what "A beats B" needs: two overlapping intervals do not say that
  A and B tie.
* :func:`wilson` — the Wilson score interval of a rate ``k / n`` (better than the normal approximation near 0
  and 1, where the multi-focus "called blurry" rate lies).

References
----------
.. [1] B. Efron, R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall 1993 (percentile interval).
.. [2] A. C. Davison, D. V. Hinkley, *Bootstrap Methods and their Application*, CUP 1997, sec. 3.8 (resampling
   clusters: the first stage of a two-stage design).
.. [3] E. B. Wilson, "Probable inference, the law of succession, and statistical inference", JASA 22, 1927;
   R. G. Newcombe, "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17, 1998.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "balanced_accuracy_intervals", "wilson", "span"]

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0
Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the rate ``k / n`` (``(nan, nan)`` for ``n == 0``)."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # none or all of n: the bound is 0 or 1 exactly (the formula's rounding gave 2.8e-17 for 0 of 7, 0.9999...
    # for 10 of 10)
    return 0.0 if k <= 0 else max(0.0, centre - half), 1.0 if k >= n else min(1.0, centre + half)


def balanced_accuracy_intervals(y: Sequence | np.ndarray, calls: Mapping[str, Sequence | np.ndarray],
                                clusters: Sequence | None = None, *, reference: str | None = None,
                                resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                                level: float = 0.95) -> dict[str, tuple[float, float]]:
    """The ``level`` percentile-bootstrap interval of each detector's balanced accuracy.

    ``y``: true class per image (1 / True = blurry); ``calls``: detector name -> its call per image (True =
    blurry); ``clusters``: per image, the key of the photo (or recording) it comes from (``None``: each image
    its own). With ``reference``, also ``"<name> - <reference>"`` for every other detector: the interval of the
    difference, both resampled with the same draws. Every detector is resampled with the same draws.
    A set without both classes has no balanced accuracy here: ``{}``.
    """
    y = np.asarray(y).astype(bool)
    names = list(calls)
    if not names or not (y.any() and (~y).any()):
        return {}
    for name in names:  # (a single call would be broadcast to every image)
        if np.size(calls[name]) != y.size or np.ndim(calls[name]) != 1:
            raise ValueError(f"{name!r} has {np.size(calls[name])} calls for {y.size} images: "
                             "y, every detector's calls and clusters must have one value per image")
    right = np.array([np.asarray(calls[n]).astype(bool) == y for n in names])  # detectors x images
    keys = np.arange(y.size) if clusters is None else np.asarray(list(clusters), dtype=object)
    if keys.size != y.size or right.shape[1] != y.size:
        raise ValueError("y, every detector's calls and clusters must have one value per image")
    _, cluster = np.unique(keys.astype(str), return_inverse=True)
    k = int(cluster.max()) + 1
    # per cluster: images and right calls of each class (class 0 sharp, 1 blurry)
    count = np.zeros((2, k))
    hits = np.zeros((len(names), 2, k))
    for c in (0, 1):
        m = y == c
        count[c] = np.bincount(cluster[m], minlength=k)
        for d in range(len(names)):
            hits[d, c] = np.bincount(cluster[m], weights=right[d, m], minlength=k)
    kind = (count[0] > 0).astype(int) + 2 * (count[1] > 0)  # 1 sharp only, 2 blurry only, 3 both
    rng = np.random.default_rng(seed)
    weight = np.zeros((resamples, k))  # how many times each cluster is drawn, per resample
    for s in (1, 2, 3):
        members = np.flatnonzero(kind == s)
        if members.size:
            draws = members[rng.integers(members.size, size=(resamples, members.size))]
            np.add.at(weight, (np.arange(resamples)[:, None], draws), 1)
    n_class = weight @ count.T  # resamples x 2
    recall = np.einsum("rk,dck->drc", weight, hits) / n_class  # detectors x resamples x 2
    ba = recall.mean(axis=2)
    tail = 100 * (1 - level) / 2
    out = {n: _bounds(ba[d], tail) for d, n in enumerate(names)}
    if reference is not None:
        r = names.index(reference)
        out.update({f"{n} - {reference}": _bounds(ba[d] - ba[r], tail) for d, n in enumerate(names) if d != r})
    return out


def _bounds(values: np.ndarray, tail: float) -> tuple[float, float]:
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def span(bounds: tuple[float, float] | None, signed: bool = False) -> str:
    """``"89.8-98.1"`` (percent, one decimal; ``signed``: ``"+20.1 to +48.3"`` points), ``"–"`` if unknown."""
    if not bounds or any(math.isnan(b) for b in bounds):
        return "–"
    lo, hi = (100 * b for b in bounds)
    return f"{lo:+.1f} to {hi:+.1f}" if signed else f"{lo:.1f}-{hi:.1f}"
