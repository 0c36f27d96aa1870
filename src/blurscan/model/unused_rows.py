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
from ..manifest_csv import dict_reader, listed_path, open_manifest, records

log = logging.getLogger(__name__)


def say_unused_rows(data_paths: Sequence, sources: Sequence, real: Sequence, own: Sequence = (), *,
                    command: str = "train", say=None) -> None:
    """Log one ``note:`` line (stderr, in the command) for each DATA folder whose manifest has rows the run does
    not use (:func:`unused_rows_note`), before any work: once for a folder given twice, and not for a folder of a
    data set also given (until 2026-12-05 a folder given twice had two). ``command``: ``train`` or ``synth``, the
    command the line speaks of; ``say``: how the line is given (default: a warning of this module's log, which
    ``blurscan train`` prints on stderr)."""
    say = say or (lambda line: log.warning("%s", line))
    folders = [p for p in data_paths if os.path.isdir(p)]
    given = {Path(p).resolve() for p in folders}
    said: set[Path] = set()
    for given_folder in folders:
        plain = _manifest_folder(given_folder) is None
        # a plain folder: the labelled data sets inside it, whose sharp rows the walk takes (until 2026-12-07 their
        # other rows were not said)
        for folder in nested_manifests(given_folder) if plain else [given_folder]:
            home, key = _manifest_folder(folder), Path(folder).resolve()
            # one note a folder: one given twice, or inside a data set also given, is said with the data set
            if home is None or key in said or (home != key and home in given):
                continue
            said.add(key)
            if note := unused_rows_note(folder, sources, real, own, command=command):
                say(f"note: {note}")


def _manifest_folder(folder) -> Path | None:
    """The folder (resolved) whose ``manifest.csv`` describes ``folder``: its own, else the nearest parent's (a
    folder inside a labelled data set, whose sharp rows there train takes:
    :func:`blurscan.synth.sources.collect_sources`); None when there is none with ``file`` and ``label`` columns."""
    folder = Path(folder).resolve()
    for home in (folder, *folder.parents):
        if (home / "manifest.csv").is_file():
            if _read(home / "manifest.csv") is not None:
                return home
            if home == folder:
                return None  # (a folder with a manifest of other columns is walked: no parent's rows)
    return None


def nested_manifests(folder) -> list[Path]:
    """The labelled data sets inside the plain folder ``folder`` (one with no manifest of its own, in no data set),
    as :func:`blurscan.synth.sources.collect_sources` walks it (hidden folders skipped, a data set's own folders
    not walked): each sub-folder whose ``manifest.csv`` has ``file`` and ``label`` columns, by its path under
    ``folder`` (``OUTER/photos``), whose sharp rows the walk takes as sources."""
    found = []
    for root, dirs, _files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if Path(root) != Path(folder) and (Path(root) / "manifest.csv").is_file() \
                and _read(Path(root) / "manifest.csv") is not None:
            found.append(Path(root))
            dirs[:] = []
    return found


def _read(mpath: Path) -> tuple[list[dict], bool] | None:
    """The rows of the manifest ``mpath`` and whether it is laid out as the shared data set (a ``set`` column,
    as :func:`blurscan.model.train.collect` tells it); None when it has no ``file`` and ``label`` columns or
    cannot be read (a manifest that cannot be read stops the run earlier, naming it)."""
    try:
        with open_manifest(mpath) as fh:
            reader = dict_reader(fh)
            if not {"file", "label"} <= set(reader.fieldnames):
                return None
            rows = [row for _, row in records(reader)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return rows, "set" in reader.fieldnames and bool(rows) and bool(rows[0]["set"])


def unused_rows_note(folder: str | os.PathLike, sources: Sequence, real: Sequence, own: Sequence = (), *,
                     command: str = "train") -> str | None:
    """One line naming ``folder``'s manifest and how many of its rows the run does not use, by reason, or None
    when it uses every row (or the folder has no manifest ``train`` reads as one). A folder inside a labelled
    data set (``photos/trip``, ``photos/manifest.csv`` naming ``trip/...``) has the rows under it counted: train
    takes its sharp ones, and until 2026-12-05 passed its blurred ones over without a word.

    ``sources``: the run's training sources (:func:`blurscan.model.train.collect`); ``real``: the labelled real
    entries the run uses (the GoPro calibration pairs, the real-evaluation and multi-focus photos among them;
    empty for the 4-class experiment, which uses none); ``own``: the person's own labelled real photos the run
    uses (:func:`blurscan.model.own_rows.own_photos`: their blurred ones too, since 2026-12-07). ``command``: ``train`` or ``synth`` (which blurs the sharp
    rows alone, and said nothing of the others until 2026-12-05 either).
    """
    from .. import datasets
    from ..manifest_rows import is_partial_row
    from ..synth.sources import real_path

    home = _manifest_folder(folder)
    if home is None or (read := _read(home / "manifest.csv")) is None:
        return None
    inside = home != Path(folder).resolve()
    mpath, (rows, sets) = (home if inside else Path(folder)) / "manifest.csv", read
    if inside:  # a folder of the data set: the rows under it (its sharp ones are all used, and no calibration)
        rows = [row for row in rows if row["file"] and Path(folder).resolve() in real_path(listed_path(home, row["file"])).parents]
        sets = False
    used = {real_path(Path(s.path)) for s in sources}
    evaluated = datasets.gopro_split(list(real))["calibration"] + datasets.real_evaluation(list(real)) \
        + datasets.multifocus(list(real))
    used |= {real_path(Path(e.path)) for e in evaluated}
    mine = {real_path(Path(p.path)) for p in own}
    used |= mine
    counts: dict[str, int] = {}
    others: list[str] = []
    for row in rows:
        if row["file"] and real_path(listed_path(home, row["file"])) in used:
            continue
        label = row["label"].lower()
        if is_partial_row(row):
            reason = "partly in focus (label `partial`, a `partial-...` blur or synth's `missed_focus`)"
        elif label == "blurry":
            reason = "labelled blurry"
        elif label == "sharp" and any((row.get(c) or "none").lower() not in ("none", "") for c in ("blur", "blur_type")):
            reason = "labelled sharp with a blur named in the `blur` or `blur_type` column"
        elif label == "sharp":
            reason = "sharp photo{s} of a set kept out of training" if sets else "sharp row{s} with no file named"
        else:
            reason = "labelled neither sharp nor blurry"
            if row["label"] not in others:
                others.append(row["label"])
        counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return None
    parts = []
    for reason, n in counts.items():
        text = f"{n} {reason.replace('{s}', 's' if n != 1 else '')}"
        if reason == "labelled neither sharp nor blurry":
            shown = ", ".join(f"`{label}`" if label else "(empty)" for label in others[:3])
            text += f" ({shown}{', ...' if len(others) > 3 else ''})"
        parts.append(text)
    total = sum(counts.values())
    where = f"in {printable_path(folder)} " if inside else ""
    return (f"{printable_path(mpath)}: {total} of its {len(rows)} row{'s' if len(rows) != 1 else ''} {where}"
            f"{'are' if total != 1 else 'is'} not used: " + "; ".join(parts)
            + (". synth blurs only the rows labelled sharp (with no blur named)" if command == "synth" else
               ". train makes its blurred training images itself, from the rows labelled sharp (with no blur named)"
               + ("; of your labelled real photos, blurred and sharp, it fits the image rule on those of the "
                  "validation split and trains the network on the blurred ones of the train split"
                  if any(real_path(listed_path(home, r["file"])) in mine for r in rows if r["file"]) else ""))
            + ("; of the other rows it uses the GoPro calibration pairs, which calibrate the image rule, and the "
               "real-evaluation sets' photos, on which the model is evaluated" if sets and real else ""))
