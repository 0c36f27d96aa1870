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

import csv
import logging
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .config import ScanSettings
from .errors import BlurscanError, printable_path
# the plots, in a module of their own since 2026-12-05 (importable from here too)
from .evaluate_plots import PLOT_FILES, save_plots  # noqa: F401
from .manifest_csv import dict_reader, listed_path, open_manifest, records, unreadable
from .metrics import CLASSES, best_threshold, binary_metrics, roc_auc, roc_curve
from .records import ScanRecord, shown_laplacian_var

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("file", "label")
_BLUR_COLUMNS = ("blur_type", "blur", "category")
#: ``blurscan synth`` kinds that keep a sharp region although labelled blurry (soft subject, sharp background)
_PARTLY_SHARP_KINDS = frozenset({"missed_focus"})
#: Manifest blur kinds (``blur_type``, else ``blur``) by the ``blur_type`` blurscan should name for them. A kind
#: not listed (``minfilter``: an erosion, neither defocus nor motion) is not judged.
BLUR_KINDS = {"defocus": "defocus", "gaussian": "defocus", "box": "defocus", "motion": "motion",
              "shake": "motion", "linear_motion": "motion",
              # a researcher's words for them (read after _kind_words: "Motion blur", "out-of-focus",
              # "defocused_blurred" as a folder-per-class data set names it; until 2026-12-06 not judged, unsaid)
              "defocused": "defocus", "out_of_focus": "defocus", "lens": "defocus", "camera_shake": "motion"}

Progress = Callable[[int, int], None]

#: The files ``blurscan evaluate`` writes into its ``--out`` folder: the metrics, the per-image results
#: (:data:`~blurscan.evaluate_predictions.PREDICTIONS_FILE`, since 2026-12-05) and the plots of :func:`save_plots`
#: (:data:`PLOT_FILES`).
METRICS_FILE = "metrics.json"


class ManifestError(BlurscanError):
    """A manifest cannot be used (missing file or column, unknown label); the message names file and reason."""


# -------------------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestRow:
    """One labelled image of a manifest."""

    file: str       # as written in the manifest
    path: str       # absolute
    label: str      # sharp | blurry
    partial: bool   # partly in focus: reported apart from the binary metrics
    set: str = ""
    split: str = ""
    line: int = 0   # line number in the CSV (header = 1)
    kind: str = ""  # blurred, not partial, of a known kind: the blur_type to name (defocus | motion); else ""
    blur: str = ""  # the manifest's blur_type (or, without one, its blur) as written: predictions.csv shows it


def is_partial_row(row: dict[str, str]) -> bool:
    """Whether a manifest row shows a photo that is partly in focus (``partial`` is its right verdict): label
    ``partial``, or a ``blur_type`` / ``blur`` / ``category`` starting with ``partial`` or naming synth's
    ``missed_focus``. Such rows are left out of the binary metrics (here, in ``bench/accuracy.py`` and on the
    model card)."""
    if (row.get("label") or "").strip().lower() == "partial":
        return True
    values = [(row.get(c) or "").strip().lower() for c in _BLUR_COLUMNS]
    return any(v.startswith("partial") or v in _PARTLY_SHARP_KINDS for v in values)


def _kind_words(value: str) -> str:
    """A manifest's blur kind as :data:`BLUR_KINDS` names it: in lower case, spaces and hyphens as ``_``, a last
    word ``blur`` / ``blurred`` left off (``Motion Blur``, ``linear-motion``, ``defocused_blurred``)."""
    words = "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    for suffix in ("_blurred", "_blur"):
        if words.endswith(suffix) and len(words) > len(suffix):
            return words[:-len(suffix)]
    return words


def _blur_kind(row: dict[str, str]) -> str:
    """:data:`BLUR_KINDS` of the row's ``blur_type`` (or, without one, ``blur``) column; ``""`` if unknown."""
    for column in ("blur_type", "blur"):
        value = (row.get(column) or "").strip().lower()
        if value:
            return BLUR_KINDS.get(value) or BLUR_KINDS.get(_kind_words(value), "")
    return ""


def read_manifest(manifest: str | os.PathLike, *, sets: Iterable[str] = (),
                  split: str | Iterable[str] | None = None) -> list[ManifestRow]:
    """Read and check a manifest; keep the rows of the given ``sets`` (if any) and ``split`` (a name or names).

    Raises
    ------
    ManifestError
        The manifest is missing or unreadable, lacks a column, or has an unknown label (message names the
        file, the line and the reason). Missing *images* are not an error here: they are scored as error
        rows.
    """
    mpath = Path(manifest)
    name = printable_path(mpath)
    # stripped as the manifest's values are (until 2026-12-05 --set " real" found no rows of set "real")
    splits = {s.strip() for s in ([split] if isinstance(split, str) else split or ())}
    wanted_sets = {s.strip() for s in sets}
    try:
        with open_manifest(mpath) as fh:
            reader = dict_reader(fh)  # commas, or semicolons or tabs (a spreadsheet's CSV): blurscan.manifest_csv
            columns = reader.fieldnames  # (lower-cased: names are read in any case)
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise ManifestError(f"{name}: missing column{'s' if len(missing) > 1 else ''} "
                                    f"{', '.join(repr(c) for c in missing)} "
                                    f"(columns: {', '.join(reader.written_names) or 'none'})")
            for col, wanted in (("set", wanted_sets), ("split", splits)):
                if wanted and col not in columns:
                    raise ManifestError(f"{name}: cannot filter by {col}: the manifest has no {col!r} column")
            raw = list(records(reader))  # (line, row): values stripped, rows of empty fields skipped
    except FileNotFoundError:
        raise ManifestError(f"{name}: no such manifest file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ManifestError(f"{name}: cannot read manifest: {unreadable(exc, mpath)}") from None

    base = mpath.resolve().parent
    rows = []
    for i, r in raw:  # (i: the line the row starts on, blank lines counted)
        if wanted_sets and r.get("set", "") not in wanted_sets:
            continue
        if splits and r.get("split", "") not in splits:
            continue
        file = r["file"]
        if not file:
            raise ManifestError(f"{name}, line {i}: empty 'file'")
        partial = is_partial_row(r)
        label = r["label"].lower()
        if label == "partial":
            label = "blurry"
        if not label:
            raise ManifestError(f"{name}, line {i}: empty 'label' (wanted 'sharp' or 'blurry')")
        if label not in CLASSES:
            raise ManifestError(f"{name}, line {i}: label {r.get('label')!r} is not 'sharp' or 'blurry'")
        kind = _blur_kind(r) if label == "blurry" and not partial else ""
        rows.append(ManifestRow(file=file, path=os.path.normpath(listed_path(base, file)), label=label, partial=partial,
                                set=r.get("set", ""), split=r.get("split", ""), line=i, kind=kind,
                                blur=r.get("blur_type") or r.get("blur") or ""))
    if not rows:
        raise ManifestError(f"{name}: no rows{_filtered_out([r for _, r in raw], wanted_sets, splits)}")
    return rows


def _filtered_out(rows: Sequence[dict[str, str]], sets: set[str], splits: set[str]) -> str:
    """`` for set a, split test (its sets: a, b; splits of set a: train)``: what ``--set`` / ``--split`` asked
    for, and the values there are to choose from (the splits of the sets asked for); ``""`` without a filter."""
    def listed(values: Iterable[str], limit: int = 20) -> str:
        found = sorted({printable_path(v) or "(empty)" for v in values})
        return ", ".join(found[:limit]) + (f" and {len(found) - limit} more" if len(found) > limit else "")

    if not rows or not (sets or splits):
        return ""
    asked = [f"{col} {'/'.join(sorted(printable_path(v) for v in wanted))}"
             for col, wanted in (("set", sets), ("split", splits)) if wanted]
    there = [f"its sets: {listed(r.get('set', '') for r in rows)}"] if sets else []
    in_sets = [r for r in rows if r.get("set", "") in sets]
    if splits:
        there.append(f"splits of set {'/'.join(sorted(printable_path(v) for v in sets))}: "
                     f"{listed(r.get('split', '') for r in in_sets)}" if in_sets else
                     f"its splits: {listed(r.get('split', '') for r in rows)}")
    return f" for {', '.join(asked)} ({'; '.join(there)})"


def some_files(files: Sequence[str], limit: int = 3) -> str:
    """``a.jpg, b.jpg, c.jpg and 4 more``: the first ``limit`` names of ``files`` (printable) and a count."""
    shown = ", ".join(printable_path(f) for f in files[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


def missing_rows(manifest: str | os.PathLike, rows: Sequence[ManifestRow]) -> list[ManifestRow]:
    """The rows whose image does not exist (they are scored as error rows, "no such file or directory").

    Raises
    ------
    ManifestError
        No row's image exists: nothing could be evaluated (the message names the first few and the folder
        the paths are relative to).
    """
    missing = [r for r in rows if not os.path.exists(r.path)]
    if missing and len(missing) == len(rows):
        name = printable_path(manifest)
        base = printable_path(Path(manifest).resolve().parent)
        what = (f"the only image it names, {printable_path(missing[0].file)}, does not exist" if len(rows) == 1
                else f"none of the {len(rows)} images it names exists ({some_files([r.file for r in missing])})")
        raise ManifestError(f"{name}: {what}; nothing to evaluate (paths are relative to {base}"
                            f"{_found_from_here(missing)})")
    return missing


def where_paths_are(manifest: str | os.PathLike, missing: Sequence[ManifestRow]) -> str:
    """``paths are relative to /data/set2; 76 of them exist relative to the current folder: ...``: what the
    note on missing images adds, so that a manifest written with paths from the folder it was made in, not from
    its own, is told at once (until 2026-12-06 the note named the files alone, and the few found were scored)."""
    return f"paths are relative to {printable_path(Path(manifest).resolve().parent)}{_found_from_here(missing)}"


def _found_from_here(missing: Sequence[ManifestRow]) -> str:
    """``; 2 of them exist relative to the current folder (...)``, or ``""``: the missing images that a path taken
    from the current folder, not the manifest's, would have found."""
    here = [r for r in missing if not os.path.isabs(r.file) and os.path.exists(listed_path(Path.cwd(), r.file))]
    if not here:
        return ""
    which = "it exists" if len(missing) == 1 else f"{len(here)} of them exist{'s' if len(here) == 1 else ''}"
    return (f"; {which} relative to the current folder ({printable_path(os.getcwd())}): write the paths relative to "
            "the manifest's folder, or as absolute ones")


def repeated_rows(rows: Sequence[ManifestRow]) -> tuple[list[str], list[str]]:
    """The images named on more than one row (each row counts in the metrics), and those of them labelled
    both ways (also partial vs not): ``(repeated, conflicting)``, as written in the manifest's first row."""
    seen: dict[str, list[ManifestRow]] = {}
    for r in rows:
        seen.setdefault(r.path, []).append(r)
    repeated = [group for group in seen.values() if len(group) > 1]
    return ([g[0].file for g in repeated],
            [g[0].file for g in repeated if len({(r.label, r.partial) for r in g}) > 1])


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
    #: the blurred rows whose kind is named but not judged (``minfilter``, a word not in :data:`BLUR_KINDS`):
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

    Returns the :class:`Evaluation`, the manifest rows and their records (same order), so that callers
    (``bench/accuracy.py``) can add detectors of their own on the same images.
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
