"""Binary classification metrics in plain numpy (no scikit-learn at run time), sharp = 0, blurry = 1.

Definitions follow scikit-learn's (``confusion_matrix``, ``balanced_accuracy_score``, ``precision_score`` /
``recall_score`` with ``zero_division=nan``, ``roc_curve(..., drop_intermediate=False)``, ``roc_auc_score``);
``tests/test_evaluate.py`` checks them against scikit-learn on random data.

References
----------
.. [1] K. H. Brodersen, C. S. Ong, K. E. Stephan, J. M. Buhmann, "The balanced accuracy and its posterior
   distribution", ICPR 2010.
.. [2] D. J. Hand, R. J. Till, "A simple generalisation of the area under the ROC curve for multiple class
   classification problems", Machine Learning 45, 2001 (AUC as the normalised Mann-Whitney U statistic).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

#: Class names, in the order used by every matrix here: index 0 = sharp (negative), 1 = blurry (positive).
CLASSES = ("sharp", "blurry")

__all__ = ["CLASSES", "confusion_matrix", "binary_metrics", "roc_auc", "roc_curve", "best_threshold"]

def _as_binary(y: Sequence | np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"The parameter `{name}` must be 1-D, got shape {arr.shape}")
    if arr.dtype == bool:
        return arr.astype(np.int8)
    if arr.size and not np.isin(arr, (0, 1)).all():
        raise ValueError(f"The parameter `{name}` must hold only 0/1 (sharp/blurry)")
    return arr.astype(np.int8)


def confusion_matrix(y_true, y_pred) -> np.ndarray:
    """2 x 2 counts: rows = true class (sharp, blurry), columns = predicted class (sharp, blurry)."""
    t, p = _as_binary(y_true, "y_true"), _as_binary(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"`y_true` and `y_pred` differ in length ({t.size} vs {p.size})")
    return np.bincount(2 * t.astype(np.int64) + p, minlength=4).reshape(2, 2)


def binary_metrics(y_true, y_pred) -> dict[str, Any]:
    """Accuracy, balanced accuracy, per-class precision and recall, and the confusion matrix.

    Undefined values (a precision with no prediction of that class, a recall with no example of it) are
    ``nan``. Balanced accuracy is the mean recall over the classes present in ``y_true`` [1]_.
    """
    cm = confusion_matrix(y_true, y_pred)
    n = int(cm.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.diag(cm) / cm.sum(axis=1)
        precision = np.diag(cm) / cm.sum(axis=0)
    present = cm.sum(axis=1) > 0
    return {
        "n": n,
        "accuracy": float(np.trace(cm) / n) if n else math.nan,
        "balanced_accuracy": float(recall[present].mean()) if present.any() else math.nan,
        "precision": {c: float(precision[i]) for i, c in enumerate(CLASSES)},
        "recall": {c: float(recall[i]) for i, c in enumerate(CLASSES)},
        "confusion": cm.tolist(),
    }


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties given the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    sorted_vals = values[order]
    # start index of each run of equal values
    starts = np.flatnonzero(np.r_[True, sorted_vals[1:] != sorted_vals[:-1]])
    ends = np.r_[starts[1:], values.size]
    run_rank = (starts + ends + 1) / 2.0  # mean of ranks starts+1 .. ends
    ranks = np.empty(values.size, dtype=float)
    ranks[order] = np.repeat(run_rank, ends - starts)
    return ranks


def roc_auc(y_true, score) -> float:
    """Area under the ROC curve by the rank (Mann-Whitney) formula [2]_; ``nan`` if a class is absent.

    ``score`` ranks the images: higher means more likely blurry. Ties count one half.
    """
    t = _as_binary(y_true, "y_true").astype(bool)
    s = np.asarray(score, dtype=float)
    if s.shape != t.shape:
        raise ValueError(f"`y_true` and `score` differ in length ({t.size} vs {s.size})")
    if not np.isfinite(s).all():
        raise ValueError("The parameter `score` must be finite")
    n_pos, n_neg = int(t.sum()), int((~t).sum())
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = _average_ranks(s)
    return float((ranks[t].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_curve(y_true, score) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve: ``(fpr, tpr, thresholds)``; a point per distinct score, plus the origin.

    Predicting blurry when ``score >= thresholds[i]`` gives ``(fpr[i], tpr[i])``; ``thresholds[0]`` is
    ``inf`` (nothing predicted blurry). Same points as ``sklearn.metrics.roc_curve(...,
    drop_intermediate=False)``.
    """
    t = _as_binary(y_true, "y_true")
    s = np.asarray(score, dtype=float)
    order = np.argsort(-s, kind="mergesort")
    s, t = s[order], t[order]
    last_of_run = np.r_[np.flatnonzero(s[1:] != s[:-1]), s.size - 1] if s.size else np.array([], int)
    tps = np.cumsum(t)[last_of_run]
    fps = (last_of_run + 1) - tps
    tps, fps = np.r_[0, tps], np.r_[0, fps]
    with np.errstate(invalid="ignore", divide="ignore"):
        tpr = tps / tps[-1] if tps[-1] else np.full(tps.shape, np.nan)
        fpr = fps / fps[-1] if fps[-1] else np.full(fps.shape, np.nan)
    return fpr, tpr, np.r_[np.inf, s[last_of_run]]


def best_threshold(values, y_true) -> tuple[float, float]:
    """Cut-off ``c`` maximising balanced accuracy of the rule "blurry iff ``value < c``".

    Candidates are the midpoints between consecutive distinct values (and just outside the range); on a tie
    the smallest such cut-off wins. Returns ``(cut-off, balanced accuracy)``. Fitting the cut-off on the
    very set it is scored on is optimistic: use it as the ceiling of a threshold rule, not as a result.
    """
    v = np.asarray(values, dtype=float)
    t = _as_binary(y_true, "y_true")
    if v.shape != t.shape or v.size == 0:
        raise ValueError("`values` and `y_true` must be non-empty and of equal length")
    order = np.argsort(v, kind="mergesort")
    v, t = v[order], t[order]
    distinct = np.r_[v[1:] != v[:-1], True]          # a cut may fall after position i
    n_pos, n_neg = int(t.sum()), int(t.size - t.sum())
    blurry_below = np.r_[0, np.cumsum(t)]             # positives among the k smallest, k = 0..n
    sharp_below = np.r_[0, np.cumsum(1 - t)]
    k = np.r_[0, np.flatnonzero(distinct) + 1]        # how many values fall under each candidate cut
    recalls = []
    if n_pos:
        recalls.append(blurry_below[k] / n_pos)
    if n_neg:
        recalls.append((n_neg - sharp_below[k]) / n_neg)
    bal = np.mean(recalls, axis=0)
    best = int(np.argmax(bal))
    kb = k[best]
    if kb == 0:
        cut = v[0] - max(1.0, abs(v[0])) * 1e-6
    elif kb == v.size:
        cut = v[-1] + max(1.0, abs(v[-1])) * 1e-6
    else:
        cut = (v[kb - 1] + v[kb]) / 2.0
    return float(cut), float(bal[best])
