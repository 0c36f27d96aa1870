"""A person's own labelled real photos in ``blurscan train``: the rows of a DATA folder's ``manifest.csv`` (or, for a
folder inside a labelled data set, those under it of the data set's; for a plain folder, those of the labelled data
sets inside it) of sets the shared data set does not have
(:data:`blurscan.datasets.SHARED_SETS`; a manifest with no ``set`` column is all the person's own).

The issue asks that train use "any labelled real images given (manifest)". Until 2026-12-07 train took only the
rows labelled ``sharp`` (to blur them itself) and said the others were not used: a person's real blurred photos
taught the model nothing. Now each photo of a row labelled ``blurry`` or ``sharp`` (not partly in focus) takes the
split of its photo group, as every source does (:func:`blurscan.synth.recipes.split_of`), and

* ``val``: it is one of the photos the image rule is fitted on, blurred as blurred and sharp as sharp, weighed as
  the GoPro calibration pairs are, and the rule's operating point (the ``blurry`` threshold) sees it with the
  synthetic validation images;
* ``train``: a blurred photo's textured windows teach the network, of the row's ``blur_type`` (``motion``,
  ``shake``, ``linear_motion``: motion; any other, or none: defocus); a sharp photo is a source already;
* ``test``: it is held out, scored once the model is made (:func:`blurscan.model.real_figures.own_test_table`).

Rows of the shared data set's sets keep their roles, so the shipped model's training is unchanged bit for bit.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BlurscanError

log = logging.getLogger(__name__)

#: How much a real photo weighs in the image rule's fit, against 1 for a synthetic image: the GoPro pairs' weight.
REAL_WEIGHT = 3.0
#: ``blur_type`` values whose windows are labelled motion blur; any other blur (or none named) is defocus.
MOTION_TYPES = frozenset({"motion", "shake", "linear_motion", "camera-shake", "camera_shake"})


@dataclass(frozen=True)
class OwnPhoto:
    """One of a person's labelled real photos: its path, the key its split is drawn from, 1 blurry / 0 sharp, the
    row's ``blur_type`` and its split."""

    path: Path
    key: str
    label: int
    blur_type: str
    split: str


def own_photos(data_paths: Sequence, sources: Sequence, split_seed: int = 0) -> list[OwnPhoto]:
    """The labelled real photos of the DATA folders' manifests that are a person's own (see the module docstring).
    A sharp row counts only as the run's source (``sources``: read, with no blur named), and takes its split; a
    blurred row's photo is keyed as a source of that folder would be (``photos/IMG_1.jpg``), so that it shares the
    split of its sharp twin (``IMG_1_gt.jpg``)."""
    from .. import datasets
    from ..manifest_rows import is_partial_row
    from ..manifest_csv import listed_path
    from ..synth.recipes import split_of
    from ..synth.sources import real_path
    from .unused_rows import _read

    by_path = {real_path(Path(s.path)): s for s in sources}
    found: dict[Path, OwnPhoto] = {}
    for raw in data_paths:
        for top, key_of, under in _labelled_sets(Path(raw)):
            read = _read(top / "manifest.csv")
            for row in read[0] if read else []:
                if not row["file"] or (row.get("set") or "").lower() in datasets.SHARED_SETS or is_partial_row(row):
                    continue
                label, path = row["label"].lower(), listed_path(top, row["file"])
                if under is not None and under not in real_path(path).parents:
                    continue
                if label == "sharp" and (src := by_path.get(real_path(path))) is not None:
                    key = src.split_key
                elif label == "blurry" and path.is_file():
                    key = key_of(row, path)  # (as the sources of that folder are keyed)
                else:
                    continue
                found.setdefault(real_path(path), OwnPhoto(path, key, int(label == "blurry"),
                                                           (row.get("blur_type") or "").lower(),
                                                           split_of(key, split_seed)))
    return sorted(found.values(), key=lambda p: p.key)


def _labelled_sets(folder: Path) -> list:
    """``(manifest's folder, key of a row's photo, the folder its rows must lie under or None)`` for each labelled
    data set whose rows the DATA folder ``folder`` gives, as :func:`blurscan.synth.sources.collect_sources` finds
    its sources: its own manifest; else that of the labelled data set it is in (``photos/trip``,
    ``photos/manifest.csv`` naming ``trip/...``: the rows under it; until 2026-12-07 its own only, so the blurred rows
    under ``photos/trip`` were said not to be used); else, for a plain folder, each labelled data set inside it
    (``OUTER/photos/manifest.csv``), keyed as the walk keys its sources (``OUTER/photos/IMG_1.jpg``): until
    2026-12-07 none, so of ``blurscan train OUTER`` the blurred rows were unused without a word."""
    from .unused_rows import _manifest_folder, nested_manifests

    if not folder.is_dir():
        return []
    home = _manifest_folder(folder)
    if home is None:
        name = folder.resolve().name
        return [(nested, lambda row, path: f"{name}/{path.relative_to(folder).as_posix()}", None)
                for nested in nested_manifests(folder)]
    inside = home != folder.resolve()
    top = home if inside else folder  # (keys as the sources': the manifest's folder's name, then the row's file)
    return [(top, lambda row, path: f"{top.name}/{row['file']}", folder.resolve() if inside else None)]


def own_windows(photos: Sequence[OwnPhoto], split: str, patch: int, max_grid: int) -> list:
    """The windows of the photos of ``split``, as :func:`blurscan.model.report.real_calibration_windows` gives the
    GoPro pairs' (``(gray, windows, grid, label, path, coarse windows, coarse grid)``); a photo that cannot be read
    is skipped, named on stderr."""
    from .report import load_gray
    from .spec import COARSE_MAX_GRID, coarse_image, extract_patches

    out = []
    for photo in photos:
        if photo.split != split:
            continue
        try:
            gray = load_gray(photo.path)
        except BlurscanError as exc:
            log.warning("warning: skipped %s", exc)
            continue
        wins, shape = extract_patches(gray, patch, max_grid)
        wins2, shape2 = extract_patches(coarse_image(gray), patch, COARSE_MAX_GRID)
        out.append((gray, wins[:, 0], shape, photo.label, photo.path, wins2[:, 0], shape2, photo.blur_type))
    return out


def blurred_window_labels(items: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """``(windows, labels)`` for the network from the blurred photos among ``items`` (:func:`own_windows`'s): each
    textured window (:data:`blurscan.model.aggregate.MIN_STD`, at both scales) takes the photo's blur class, the
    rest none (a photo labelled blurry is blurred all over; a flat window of it shows nothing)."""
    from .aggregate import MIN_STD
    from .data import LABEL_INDEX
    from .spec import window_std

    xs, ys = [], []
    for item in items:
        if item[3] != 1:
            continue
        cls = LABEL_INDEX["motion" if item[7] in MOTION_TYPES else "defocus"]
        for wins in (item[1], item[5]):
            keep = np.asarray(window_std(wins)) >= MIN_STD
            xs.append(wins[keep])
            ys.append(np.full(int(keep.sum()), cls, np.int64))
    if not xs:
        return np.zeros((0, 1, 1), np.uint8), np.zeros(0, np.int64)
    return np.concatenate(xs), np.concatenate(ys)


def with_blurred_windows(x: np.ndarray, y: np.ndarray, photos: Sequence[OwnPhoto], patch: int,
                         max_grid: int) -> tuple[np.ndarray, np.ndarray]:
    """The network's training windows ``x`` and labels ``y`` with those of the person's blurred photos of the train
    split added (:func:`blurred_window_labels`); as they were when there are none."""
    if not any(p.label == 1 and p.split == "train" for p in photos):
        return x, y
    xo, yo = blurred_window_labels(own_windows([p for p in photos if p.label == 1], "train", patch, max_grid))
    return (np.concatenate([x, xo]), np.concatenate([y, yo])) if len(xo) else (x, y)


def counts(photos: Sequence[OwnPhoto]) -> dict:
    """How many of the person's photos went where: ``{"train": {"blurry": n, "sharp": n}, "val": ..., "test": ...}``
    (the model's metadata ``fitted_on.own_real_photos``, the closing lines and the card)."""
    out: dict = {}
    for p in photos:
        where = out.setdefault(p.split, {"blurry": 0, "sharp": 0})
        where["blurry" if p.label else "sharp"] += 1
    return {k: out[k] for k in ("train", "val", "test") if k in out}


def card_lines(rule: dict) -> list[str]:
    """The card's line on the person's own photos (:func:`used_text`), from the image rule's ``fitted_on``."""
    mine = (rule.get("fitted_on") or {}).get("own_real_photos")
    return [f"- {used_text(mine)}"] if mine else []


def used_text(counts_: dict) -> str:
    """One line of what the person's photos were used for, or ``""`` when there were none: ``12 of your labelled
    real photos (4 blurry, 8 sharp), split by photo: 2 fit the image rule and its threshold (validation), 8 train the
    network (its blurred ones' windows; the sharp ones are sources), 2 held out (test split: scored, not trained
    on)``."""
    total = {c: sum(v[c] for v in counts_.values()) for c in ("blurry", "sharp")}
    n = sum(total.values())
    if not n:
        return ""
    val, train, test = (sum(counts_.get(s, {}).values()) for s in ("val", "train", "test"))
    parts = [f"{val} fit the image rule and its threshold (validation)"]
    if train:
        parts.append(f"{train} train the network (the windows of the blurred ones; the sharp ones are sources)")
    if test:
        parts.append(f"{test} held out (test split: scored, not trained on)")
    return (f"{n} of your labelled real photo{'s' if n != 1 else ''} ({total['blurry']} blurry, {total['sharp']} "
            "sharp), split by photo: " + ", ".join(parts))
