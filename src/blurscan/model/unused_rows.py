"""The rows of a DATA folder's ``manifest.csv`` that ``blurscan train`` does not use, and why, said in one line.

``train`` makes its blurred training images itself, from sharp photos: of a manifest it takes the rows labelled
``sharp`` whose ``blur`` / ``blur_type`` (where the manifest has one) is ``none`` (:mod:`blurscan.synth.sources`),
and, from a data set laid out as the shared one (a ``set`` column), also the photos that calibrate the image rule
(the GoPro calibration pairs) and those that evaluate the model (:mod:`blurscan.datasets`). Every other row,
``blurry`` ones among them, is left out. Until 2026-12-05 that was said only in the docs: a person who gave a
manifest of their own blurred and sharp photos had the blurred ones passed over without a word.
"""
from __future__ import annotations

import csv
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import printable_path
from ..manifest_csv import dict_reader, records

log = logging.getLogger(__name__)


def say_unused_rows(data_paths: Sequence, sources: Sequence, real: Sequence) -> None:
    """Log one ``note:`` line (stderr, in the command) for each DATA folder whose manifest has rows the run does
    not use (:func:`unused_rows_note`), before any work."""
    for folder in (p for p in data_paths if os.path.isdir(p)):
        if note := unused_rows_note(folder, sources, real):
            log.warning("note: %s", note)


def unused_rows_note(folder: str | os.PathLike, sources: Sequence, real: Sequence) -> str | None:
    """One line naming ``folder``'s manifest and how many of its rows the run does not use, by reason, or None
    when it uses every row (or the folder has no manifest ``train`` reads as one).

    ``sources``: the run's training sources (:func:`blurscan.model.train.collect`); ``real``: the labelled real
    entries the run uses (the GoPro calibration pairs, the real-evaluation and multi-focus photos among them;
    empty for the 4-class experiment, which uses none).
    """
    from .. import datasets
    from ..evaluate import is_partial_row
    from ..synth.sources import real_path

    mpath = Path(folder) / "manifest.csv"
    try:
        with open(mpath, newline="", encoding="utf-8-sig") as fh:
            reader = dict_reader(fh)
            if not {"file", "label"} <= set(reader.fieldnames):
                return None
            rows = [row for _, row in records(reader)]
            sets = "set" in reader.fieldnames and bool(rows) and bool(rows[0]["set"])  # as train.collect tells it
    except (OSError, UnicodeDecodeError, csv.Error):
        return None  # (a manifest that cannot be read stops the run earlier, naming it)
    used = {real_path(Path(s.path)) for s in sources}
    evaluated = datasets.gopro_split(list(real))["calibration"] + datasets.real_evaluation(list(real)) \
        + datasets.multifocus(list(real))
    used |= {real_path(Path(e.path)) for e in evaluated}
    counts: dict[str, int] = {}
    others: list[str] = []
    for row in rows:
        if row["file"] and real_path(Path(folder) / row["file"]) in used:
            continue
        label = row["label"].lower()
        if is_partial_row(row):
            reason = "partly in focus (label `partial`, a `partial-...` blur or synth's `missed_focus`)"
        elif label == "blurry":
            reason = "labelled blurry"
        elif label == "sharp" and any((row.get(c) or "none").lower() not in ("none", "") for c in ("blur", "blur_type")):
            reason = "labelled sharp with a blur named in the `blur` or `blur_type` column"
        elif label == "sharp":
            reason = "sharp photos of a set kept out of training" if sets else "sharp rows with no file named"
        else:
            reason = "labelled neither sharp nor blurry"
            if row["label"] not in others:
                others.append(row["label"])
        counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return None
    parts = []
    for reason, n in counts.items():
        text = f"{n} {reason}"
        if reason == "labelled neither sharp nor blurry":
            shown = ", ".join(f"`{label}`" if label else "(empty)" for label in others[:3])
            text += f" ({shown}{', ...' if len(others) > 3 else ''})"
        parts.append(text)
    total = sum(counts.values())
    return (f"{printable_path(mpath)}: {total} of its {len(rows)} row{'s' if len(rows) != 1 else ''} "
            f"{'are' if total != 1 else 'is'} not used: " + "; ".join(parts)
            + ". train makes its blurred training images itself, from the rows labelled sharp (with no blur named)"
            + ("; of the other rows it uses the GoPro calibration pairs, which calibrate the image rule, and the "
               "real-evaluation sets' photos, on which the model is evaluated" if sets and real else ""))
