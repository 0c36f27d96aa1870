"""Evaluation: score a labelled manifest and compare blurscan with the Laplacian-variance baseline.

A *manifest* is a CSV file with at least the columns ``file`` (path relative to the manifest's folder) and
``label`` (``sharp`` or ``blurry``). Optional columns used for filtering and grouping: ``set``, ``split``
and ``blur_type`` / ``blur`` / ``category``. Rows whose blur is *partial* (a value starting with
``partial``, ``label == "partial"``, or the ``missed_focus`` kind of ``blurscan synth``: a soft subject on a
sharp background) show a photo that is partly in focus: a ``partial`` verdict is the
right answer there, so they are kept out of the binary metrics and reported on their own (the fraction of
them each detector calls wholly blurry).

Binary prediction of blurscan: ``verdict == "blurry"`` (``partial`` counts as not blurry); its ranking score
for the ROC curve is ``p_blurry``. The baseline is the variance of the Laplacian [1]_
with the classic cut-off of 100 and with the cut-off that maximises balanced accuracy *on the evaluated set
itself*, which is optimistic (fitted on the test data) and shown only as the baseline's ceiling.

The metrics (:mod:`blurscan.metrics`) are plain numpy and follow scikit-learn's definitions.

References
----------
.. [1] J. L. Pech-Pacheco, G. Cristobal, J. Chamorro-Martinez, J. Fernandez-Valdivia, "Diatom autofocusing
   in brightfield microscopy: a comparative study", ICPR 2000.
"""
from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .config import ScanSettings
# the plots, in a module of their own since 2026-12-05 (importable from here too)
from .evaluate_plots import PLOT_FILES, save_plots  # noqa: F401
# the manifest's rows, in a module of their own since 2026-12-07 (importable from here too)
from .manifest_rows import (BLUR_KINDS, REQUIRED_COLUMNS, ManifestError, ManifestRow,  # noqa: F401
                            is_partial_row, missing_rows, read_manifest, repeated_rows, some_files, where_paths_are)
from .metrics import best_threshold, binary_metrics, roc_auc, roc_curve
from .records import ScanRecord, shown_laplacian_var

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: The files ``blurscan evaluate`` writes into its ``--out`` folder: the metrics, the per-image results
#: (:data:`~blurscan.evaluate_predictions.PREDICTIONS_FILE`, since 2026-12-05) and the plots of :func:`save_plots`
#: (:data:`PLOT_FILES`).
METRICS_FILE = "metrics.json"


# --------------------------------------------------------------------------------------------- scoring


def score_paths(paths: Sequence[str], settings: ScanSettings, progress: Progress | None = None,
                ) -> list[ScanRecord]:
    """Score ``paths`` (in order) with the blurscan pipeline, no database; failures become error records."""
    from .pipeline import scan

    wanted: dict[object, list[int]] = {}
    for i, p in enumerate(paths):
        wanted.setdefault(_file_key(p), []).append(i)
    out: list[ScanRecord | None] = [None] * len(paths)
    done = 0
    for rec in scan(list(dict.fromkeys(paths)), settings, db=None):
        for i in wanted.get(_file_key(rec.path), ()):
            if out[i] is None:
                out[i] = rec
                done += 1
        if progress:
            progress(done, len(paths))
    for i, p in enumerate(paths):
        if out[i] is None:
            reason = ("no such file" if not os.path.exists(p) else "a folder, not an image file" if os.path.isdir(p)
                      else "not scanned (not an image file?)")
            out[i] = ScanRecord.from_error(p, reason)
    return out  # type: ignore[return-value]


def _file_key(path: str) -> object:
    """What names one file: its device and inode (a hard link, which the scan scores once under one of its
    names, is the same file; so is a symbolic link), else its resolved path."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino) if st.st_ino else os.path.realpath(path)


# ------------------------------------------------------------------------------------------ evaluation


@dataclass
class DetectorScores:
    """What one detector said about each image: binary call and (optionally) a ranking score."""

    name: str
    blurry: np.ndarray                 # bool per image
    score: np.ndarray | None = None    # higher = more likely blurry; None if the detector has none
    partial: np.ndarray | None = None  # bool per image: called "partial" (blurscan only)
    threshold: float | None = None
    note: str = ""


@dataclass
class Evaluation:
    """Metrics of several detectors on the same labelled images."""

    manifest: str
    n_rows: int
    errors: list[tuple[str, str]]                     # (file, reason) of images that could not be scored
    n_binary: int
    n_partial: int
    detectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ROC curves: label (detector names sharing one ranking, joined by " = ") -> (fpr, tpr, AUC)
    roc: dict[str, tuple[list[float], list[float], float]] = field(default_factory=dict)
    model_version: str | None = None
    #: blurscan's ``blur_type`` on the blurred rows of a known kind: true kind -> :func:`blur_type_accuracy`
    blur_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the blurred rows whose kind is named but not judged (``minfilter``, a word not in :data:`~blurscan.manifest_rows.BLUR_KINDS`):
    #: kind as written -> rows (until 2026-12-06 left out of the blur-type figures without a word)
    blur_type_not_judged: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return _clean({
            "manifest": self.manifest, "rows": self.n_rows, "binary_rows": self.n_binary,
            "partial_rows": self.n_partial, "model_version": self.model_version,
            "errors": [{"file": f, "reason": r} for f, r in self.errors],
            "detectors": self.detectors, "blur_type": self.blur_type,
            "blur_type_not_judged": self.blur_type_not_judged,
        })


def _clean(obj):
    if isinstance(obj, float):
        return None if not math.isfinite(obj) else round(obj, 6)
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    return obj


def blur_type_accuracy(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """How often blurscan names the right kind of blur, from ``(true kind, record)`` pairs of blurred images
    (kind ``defocus`` or ``motion``; records with ``status``, ``verdict`` and ``blur_type``).

    Returns ``n``; ``called_blurry`` and ``right_of_blurry`` (the share of those typed right, ``None`` if
    none); ``typed`` (given a type: called ``blurry`` or ``partial``) and ``right_of_typed``.
    """
    pairs = [(kind, rec) for kind, rec in pairs]
    flagged = [(k, r) for k, r in pairs if r.status == "ok" and r.verdict == "blurry"]
    typed = [(k, r) for k, r in pairs if r.status == "ok" and r.blur_type in ("defocus", "motion")]

    def right(group):
        return sum(r.blur_type == k for k, r in group) / len(group) if group else None

    return {"n": len(pairs), "called_blurry": len(flagged), "right_of_blurry": right(flagged),
            "typed": len(typed), "right_of_typed": right(typed)}


def evaluate_detectors(y_true: np.ndarray, is_partial: np.ndarray, detectors: Sequence[DetectorScores],
                       evaluation: Evaluation) -> Evaluation:
    """Fill ``evaluation.detectors`` / ``.roc`` from per-image calls of each detector.

    ``y_true`` (1 = blurry) and ``is_partial`` cover the scored images; binary metrics use the rows that are
    not partial, the partial rows give the fraction called blurry (and partial, when the detector has it).
    """
    binary = ~is_partial
    yb = y_true[binary]
    curves: dict[str, np.ndarray] = {}
    for det in detectors:
        m: dict[str, Any] = binary_metrics(yb, det.blurry[binary]) if binary.any() else {"n": 0}
        m["roc_auc"] = math.nan
        if det.score is not None and 0 < yb.sum() < len(yb):  # a curve needs both classes
            m["roc_auc"] = roc_auc(yb, det.score[binary])
            same = next((k for k, s in curves.items() if np.array_equal(s, det.score)), None)
            if same is not None:  # same ranking (e.g. one measure at two cut-offs): one curve, both names
                fpr, tpr, auc = evaluation.roc.pop(same)
                del curves[same]
                label = f"{same} = {det.name}"
            else:
                fpr, tpr, _ = roc_curve(yb, det.score[binary])
                fpr, tpr, auc, label = fpr.tolist(), tpr.tolist(), m["roc_auc"], det.name
            evaluation.roc[label] = (fpr, tpr, auc)
            curves[label] = det.score
        if is_partial.any():
            m["partial"] = {"n": int(is_partial.sum()),
                            "called_blurry": float(det.blurry[is_partial].mean())}
            if det.partial is not None:
                m["partial"]["called_partial"] = float(det.partial[is_partial].mean())
        if det.threshold is not None:
            m["threshold"] = det.threshold
        if det.note:
            m["note"] = det.note
        evaluation.detectors[det.name] = m
    return evaluation


def standard_detectors(records: Sequence[ScanRecord], y_true: np.ndarray, is_partial: np.ndarray,
                       settings: ScanSettings, best_cut: float | None = None) -> list[DetectorScores]:
    """blurscan, Laplacian@100 (the settings' cut-off) and Laplacian@best, from scored records.

    ``best_cut``: use this cut-off for Laplacian@best instead of fitting it on the non-partial rows; without
    it and with one class among those rows, there is no Laplacian@best.
    """
    verdict = np.array([r.verdict for r in records], dtype=object)
    p = [r.p_blurry for r in records]
    lap = np.array([r.laplacian_var for r in records], dtype=float)
    # the classic cut-off is applied to the figure as written (JSONL, predictions.csv: 2 decimals): a photo at
    # 99.998, written 100.0, was called blurry at 100 (until 2026-12-06); the ranking (ROC AUC) keeps every digit
    shown = np.array([shown_laplacian_var(r.laplacian_var) for r in records], dtype=float)
    dets = [DetectorScores(
        "blurscan", blurry=verdict == "blurry", partial=verdict == "partial",
        score=np.array(p, dtype=float) if p and all(v is not None for v in p) else None,
        note="" if p and all(v is not None for v in p) else "no model (--model none): classical verdict, no AUC",
    )]
    cut = settings.laplacian_threshold
    dets.append(DetectorScores(f"laplacian@{cut:g}", blurry=shown < cut, score=-lap, threshold=cut))
    binary = ~is_partial
    if best_cut is not None:
        dets.append(DetectorScores("laplacian@best", blurry=lap < best_cut, score=-lap, threshold=best_cut,
                                   note="fitted on another set"))
    elif 0 < y_true[binary].sum() < binary.sum():  # one class only: any cut past its values is "best"
        best, _ = best_threshold(lap[binary], y_true[binary])
        dets.append(DetectorScores("laplacian@best", blurry=lap < best, score=-lap, threshold=best,
                                   note="fitted on this very set (optimistic: it saw the answers)"))
    return dets


def evaluate_manifest(manifest: str | os.PathLike, settings: ScanSettings = ScanSettings(), *,
                      sets: Iterable[str] = (), split: str | Iterable[str] | None = None,
                      progress: Progress | None = None,
                      ) -> tuple[Evaluation, list[ManifestRow], list[ScanRecord]]:
    """Score every image of ``manifest`` and compute the metrics of blurscan and the Laplacian baseline.

    Returns the :class:`Evaluation`, the manifest rows and their records (same order), so that a script can add
    detectors of its own on the same images (:func:`evaluate_records`' ``extra``; ``blurscan evaluate`` and
    ``bench/accuracy.py`` read and score their rows themselves).
    """
    rows = read_manifest(manifest, sets=sets, split=split)
    records = score_paths([r.path for r in rows], settings, progress)
    return evaluate_records(str(manifest), rows, records, settings), rows, records


def scored(rows: Sequence[ManifestRow], records: Sequence[ScanRecord]) -> list[tuple[ManifestRow, ScanRecord]]:
    """The ``(row, record)`` pairs that count in the metrics: scored, with a Laplacian variance."""
    return [(row, rec) for row, rec in zip(rows, records) if rec.status == "ok" and rec.laplacian_var is not None]


def evaluate_records(manifest: str, rows: Sequence[ManifestRow], records: Sequence[ScanRecord],
                     settings: ScanSettings = ScanSettings(),
                     extra: Callable[[list[ManifestRow], list[ScanRecord]], list[DetectorScores]] | None = None,
                     ) -> Evaluation:
    """Metrics from already scored rows; ``extra`` may add detectors computed on the scored rows."""
    ok = scored(rows, records)
    errors = [(row.file, rec.error or "no Laplacian variance") for row, rec in zip(rows, records)
              if not (rec.status == "ok" and rec.laplacian_var is not None)]
    ok_rows = [r for r, _ in ok]
    ok_recs = [r for _, r in ok]
    y_true = np.array([r.label == "blurry" for r in ok_rows], dtype=np.int8)
    is_partial = np.array([r.partial for r in ok_rows], dtype=bool)
    versions = {r.model_version for r in ok_recs if r.model_version}
    ev = Evaluation(manifest=manifest, n_rows=len(rows), errors=errors, n_binary=int((~is_partial).sum()),
                    n_partial=int(is_partial.sum()), model_version=", ".join(sorted(versions)) or None)
    if not ok:
        return ev
    dets = standard_detectors(ok_recs, y_true, is_partial, settings)
    if extra is not None:
        dets += extra(ok_rows, ok_recs)
    if any(rec.p_blurry is not None for rec in ok_recs):  # a model ran: it names a blur type
        for kind in sorted({row.kind for row in ok_rows if row.kind}):
            ev.blur_type[kind] = blur_type_accuracy((row.kind, rec) for row, rec in ok if row.kind == kind)
        unjudged = [row.blur for row in ok_rows if row.label == "blurry" and not row.partial and not row.kind
                    and row.blur.strip().lower() not in ("", "none")]
        ev.blur_type_not_judged = {kind: unjudged.count(kind) for kind in sorted(set(unjudged))}
    return evaluate_detectors(y_true, is_partial, dets, ev)
