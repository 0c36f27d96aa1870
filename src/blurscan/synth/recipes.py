"""Recipes and labelled dataset writing: sharp sources in, blurred JPEGs plus ``manifest.csv`` out.

A recipe is a weighted list of (target class, blur kind) and severity weights.  Each
output sample draws its kind and severity from a generator seeded by
``(seed, source key, sample index)``, so a dataset is reproducible byte for byte and
does not depend on the order in which sources are processed.  Which files are sources, and their splits
(per source group, so no photo leaks between train, val and test): :mod:`blurscan.synth.sources`.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import BlurscanError, DecodeError, UsageError, printable_path, text_path
from ..manifest_csv import dict_reader, open_manifest, records
from ..processes import pool_map, tune_worker, worker_pool
from . import dataset_files  # (write_file called through it: the tests' seam)
from .dataset_files import UNFINISHED_NOTE, Manifest, NotWritten, not_written
from .pipeline import LABEL, synthesize_encoded
from .replacing import UNFINISHED, mark_finished, mark_unfinished, to_replace
# the sources' module, whose names were this module's until 2026-12-03 (importable from here too)
from .sources import SPLITS, Source, check_source, collect_sources, group_key, load_source, split_of

__all__ = [
    "MANIFEST_COLUMNS",
    "RECIPES",
    "Recipe",
    "Source",
    "WorkerDied",
    "check_source",
    "collect_sources",
    "group_key",
    "load_source",
    "read_manifest",
    "split_of",
    "write_dataset",
]

log = logging.getLogger(__name__)

MANIFEST_COLUMNS = (
    "file", "source", "split", "target", "label", "blur", "category",
    "severity", "severity_px", "width", "height", "params",
)


class WorkerDied(BlurscanError):
    """A worker process of :func:`write_dataset` ended abruptly (killed: the out-of-memory killer, ``kill -9``; or
    crashed): the run stops, its dataset left unfinished (:mod:`blurscan.synth.replacing`), as a stopped run's is.

    Until 2026-12-04 the pool started another worker and waited for ever for the dead one's source.
    """

    def __init__(self, out: str | os.PathLike, done: int, total: int) -> None:
        self.out, self.done, self.total = os.fsdecode(out), done, total
        super().__init__(f"{self.out}: a worker process ended abruptly (killed, perhaps by the out-of-memory killer, "
                         f"or crashed) when {done} of {total} source photos were done; the dataset there is unfinished")


@dataclass(frozen=True)
class Recipe:
    """What a dataset contains.

    Attributes
    ----------
    name : str
    description : str
    choices : tuple of (target, blur kind, weight)
        ``target`` is the class a model learns (``manifest.csv`` column ``target``).
    severities : tuple of (level, weight)
    camera : bool
        Run the camera pipeline (see :func:`blurscan.synth.synthesize`).
    downscale_prob : float
        Share of samples shrunk by 0.6-0.9 before the JPEG (a resized web or messenger copy);
        severity at the analysis scale is unchanged by resizing. Only with the camera pipeline: a dataset made
        without it (``--no-camera``) is never shrunk.
    """

    name: str
    description: str
    choices: tuple[tuple[str, str, float], ...]
    severities: tuple[tuple[str, float], ...] = (("mild", 0.3), ("moderate", 0.4), ("strong", 0.3))
    camera: bool = True
    downscale_prob: float = 0.15
    classes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        seen: list[str] = []
        for target, _, _ in self.choices:
            if target not in seen:
                seen.append(target)
        object.__setattr__(self, "classes", tuple(seen))

    def draw(self, rng: np.random.Generator) -> tuple[str, str, str, float | None]:
        """Draw ``(target, blur kind, severity level, downscale factor or None)``.

        Mild blurry samples are never downscaled: shrinking would make their blur invisible.
        """
        w = np.array([c[2] for c in self.choices], float)
        i = int(rng.choice(len(self.choices), p=w / w.sum()))
        sw = np.array([s[1] for s in self.severities], float)
        j = int(rng.choice(len(self.severities), p=sw / sw.sum()))
        target, kind, level = self.choices[i][0], self.choices[i][1], self.severities[j][0]
        downscale = None
        if rng.random() < self.downscale_prob and not (LABEL[kind] == "blurry" and level == "mild"):
            downscale = float(rng.uniform(0.6, 0.9))
        return target, kind, level, downscale


RECIPES: dict[str, Recipe] = {
    "binary": Recipe(
        "binary",
        "sharp vs blurry: half sharp (originals through the camera pipeline, and intentional shallow "
        "depth of field), half blurry (defocus, camera shake, Gaussian, linear motion, box, min-filter, "
        "missed focus) at mild, moderate and strong severity",
        (
            ("sharp", "none", 0.34),
            ("sharp", "partial_centre", 0.08),
            ("sharp", "partial_subject", 0.08),
            ("blurry", "defocus", 0.12),
            ("blurry", "shake", 0.14),
            ("blurry", "gaussian", 0.06),
            ("blurry", "linear_motion", 0.05),
            ("blurry", "box", 0.03),
            ("blurry", "minfilter", 0.02),
            ("blurry", "missed_focus", 0.08),
        ),
    ),
    "seed-4class": Recipe(
        "seed-4class",
        "the seed blog's experiment: Gaussian, (linear) motion, min-filter, and out-of-focus with a "
        "sharp centre over a defocused background",
        (
            ("gaussian", "gaussian", 1.0),
            ("motion", "linear_motion", 1.0),
            ("minfilter", "minfilter", 1.0),
            ("partial_centre", "partial_centre", 1.0),
        ),
        severities=(("mild", 0.2), ("moderate", 0.4), ("strong", 0.4)),
    ),
}


def _sample_rng(seed: int, key: str, index: int) -> np.random.Generator:
    h = int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()[:8], "big")
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, h, int(index)])


def _safe_stem(key: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(key).stem)[:40]
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{stem}-{digest}"


def _write_sample(out: Path, rec: Recipe, image: np.ndarray, src: Source, split: str, stem: str,
                  index: int, seed: int, camera: bool) -> dict:
    """Synthesize sample ``index`` of ``src``, write its file and return its manifest row."""
    rng = _sample_rng(seed, src.key, index)
    target, kind, level, downscale = rec.draw(rng)
    if not camera:  # a plain blur experiment: the blur on the 8-bit values, nothing shrunk (until 2026-12-05 15 %
        downscale = None  # were; the draw is still made, so every other draw, and so each kernel, is as it was)
    img, params, data = synthesize_encoded(image, rng, kind, level, camera=camera, downscale=downscale)
    params["source_size"] = [int(image.shape[1]), int(image.shape[0])]
    params["sample"] = {"seed": int(seed), "index": index, "recipe": rec.name}
    rel = _sample_name(split, stem, index, kind, camera=data is not None)
    dataset_files.write_file(out / rel, lambda fh: fh.write(data) if data is not None else
                             Image.fromarray(img).save(fh, format="PNG", compress_level=3))
    return {
        "file": rel,
        "source": text_path(src.key),  # (a name not UTF-8: its bytes as \xNN)
        "split": split,
        "target": target,
        "label": params["label"],
        "blur": kind,
        "category": params["category"],
        "severity": params["severity"] or "",
        "severity_px": f"{params['severity_px']:.3f}",
        "width": img.shape[1],
        "height": img.shape[0],
        "params": json.dumps(params, sort_keys=True, separators=(",", ":")),
    }


def _sample_name(split: str, stem: str, index: int, kind: str, *, camera: bool) -> str:
    """A sample's file name in the dataset: ``<split>/<stem>-<index>-<kind>.jpg`` (``.png`` without the camera)."""
    return f"{split}/{stem}-{index:02d}-{kind}{'.jpg' if camera else '.png'}"


def _planned_names(sources: Sequence[Source], rec: Recipe, per_image: int, seed: int, camera: bool) -> list[str]:
    """The names of every sample :func:`write_dataset` is about to write (each sample's kind is its first draw)."""
    names = []
    for src in sources:
        split, stem = split_of(src.split_key, seed), _safe_stem(src.key)
        for i in range(per_image):
            kind = rec.draw(_sample_rng(seed, src.key, i))[1]
            names.append(_sample_name(split, stem, i, kind, camera=camera))
    return names


def _init_worker() -> None:
    tune_worker()  # Ctrl-C and SIGHUP left to the parent, gone with it, one OpenCV thread (blurscan.processes)


def _do_source(task: tuple) -> tuple[Source, list[dict], str | None]:
    """Load one source and write its samples; returns ``(source, manifest rows, error or None)``."""
    src, out_dir, rec, per_image, seed, max_side, camera = task
    try:
        image = load_source(src.path, max_side)
    except DecodeError as exc:
        return src, [], exc.reason
    split = split_of(src.split_key, seed)
    stem = _safe_stem(src.key)
    out = Path(out_dir)
    rows = [_write_sample(out, rec, image, src, split, stem, i, seed, camera) for i in range(per_image)]
    return src, rows, None


def write_dataset(
    sources: Sequence[Source],
    out_dir: str | os.PathLike,
    recipe: str | Recipe = "binary",
    *,
    per_image: int = 4,
    seed: int = 0,
    max_side: int | None = 1024,
    camera: bool | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int, Source], None] | None = None,
    on_error: Callable[[Source, str], None] | None = None,
    workers: int = 1,
) -> dict:
    """Blur every source ``per_image`` times following ``recipe``; write JPEGs and ``manifest.csv``.

    Parameters
    ----------
    sources : sequence of Source
        From :func:`collect_sources`.
    out_dir : path-like
        Created if missing.  Images go to ``out_dir/<split>/``; ``manifest.csv`` and
        ``dataset.json`` (recipe, classes, seed, counts) to ``out_dir``.
    recipe : str or Recipe
        A name from :data:`RECIPES` or a :class:`Recipe`.
    per_image : int
        Samples per source.
    seed : int
        Seeds every sample and the split hash.
    max_side : int, optional
        Shrink sources to this long side first (never enlarged); ``None`` keeps full size.
    camera : bool, optional
        Override the recipe's camera pipeline switch (``False`` writes PNGs, none of them shrunk).
    overwrite : bool
        Allow writing into a folder that holds a dataset this function wrote, finished or not (its samples are
        removed first: :mod:`blurscan.synth.replacing`).
    progress : callable, optional
        Called as ``progress(done, total, source)`` after each source.
    on_error : callable, optional
        Called as ``on_error(source, reason)`` for each source that cannot be decoded; the
        source is skipped.
    workers : int
        Processes to use.  The output is identical for any number of workers (every sample
        has its own generator; rows are written in source order).

    Returns
    -------
    dict
        The ``dataset.json`` content (counts per split and target, skipped sources). When every source is skipped
        (``n_images`` 0) no dataset is left: the manifest, the folders this run made and, where it replaced a
        dataset, that one's ``dataset.json`` are removed, so no later run takes an empty dataset for a made one.

    Raises
    ------
    WorkerDied
        A worker process ended abruptly (killed for memory); the dataset is left unfinished.
    BlurscanError
        A file could not be written (a full disk): the message names it and the reason. No part of that file is
        left; a sample or the manifest: the dataset is left unfinished; the marker, written first: nothing is.
    """
    rec = RECIPES.get(recipe) if isinstance(recipe, str) else recipe
    if rec is None:
        raise UsageError(f"unknown recipe {recipe!r}; choose one of: {', '.join(RECIPES)}")
    if per_image < 1:
        raise UsageError(f"per_image must be >= 1, got {per_image}")
    use_camera = rec.camera if camera is None else bool(camera)
    out = Path(out_dir)
    mpath = out / "manifest.csv"
    for path in to_replace(out, MANIFEST_COLUMNS, overwrite=overwrite):  # (only a dataset synth wrote: replacing)
        path.unlink()
    made = [out / split for split, _ in SPLITS if not os.path.lexists(out / split)]  # (removed if left empty)
    made += [out] if not os.path.lexists(out) else []
    replacing = os.path.lexists(mpath)  # (to_replace let it be replaced: synth's)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for split, _ in SPLITS:
            (out / split).mkdir(exist_ok=True)
        # before any image: a run stopped half-way is known as one, with every file it may have written
        mark_unfinished(out, _planned_names(sources, rec, per_image, seed, use_camera))
    except OSError as exc:  # a full disk: the folders this run made go too (the marker removed itself)
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        where = Path(exc.filename) if isinstance(exc.filename, str) else out / UNFINISHED
        raise BlurscanError(f"{not_written(where, exc)}; nothing was written: make room, then run the same "
                            "command again") from None
    counts: Counter = Counter()
    skipped: list[dict] = []
    n_rows = 0
    total = len(sources)
    tasks = [(src, str(out), rec, per_image, seed, max_side, use_camera) for src in sources]
    n = 0
    try:
        with contextlib.ExitStack() as stack:
            if workers > 1 and total > 1:
                import multiprocessing as mp

                # "spawn": OpenCV's thread pool does not survive fork() (children can deadlock); a dead worker, Ctrl-C
                # or an error stops the workers, not waited for (processes.worker_pool)
                pool = stack.enter_context(worker_pool(workers, mp.get_context("spawn"), _init_worker))
                results = pool_map(pool, _do_source, tasks, 2 * workers)  # in order: the manifest does not depend on -j
            else:
                results = map(_do_source, tasks)
            # the manifest is written row by row, so an interrupted run still describes what it wrote
            manifest = stack.enter_context(Manifest(mpath, MANIFEST_COLUMNS))
            for n, (src, rows, error) in enumerate(results, 1):
                if error is not None:
                    skipped.append({"source": text_path(src.key), "reason": error})
                    log.info("skipped %s: %s", src.path, error)
                    if on_error is not None:
                        on_error(src, error)
                manifest.write(rows)
                for row in rows:
                    counts[(row["split"], row["target"])] += 1
                    n_rows += 1
                if progress is not None:
                    progress(n, total, src)
    except cf.BrokenExecutor:  # (a multiprocessing.Pool waited for ever for the dead worker's source)
        raise WorkerDied(out, n, total) from None
    except NotWritten as exc:  # a full disk (a sample, the manifest): an unfinished dataset, said to be one
        raise BlurscanError(f"{exc}; {UNFINISHED_NOTE.format(out=printable_path(out))}") from None
    info = {
        "recipe": rec.name,
        "description": rec.description,
        "classes": list(rec.classes),
        "seed": int(seed),
        "per_image": int(per_image),
        "max_side": max_side,
        "camera": use_camera,
        "n_sources": total - len(skipped),
        "n_images": n_rows,
        "counts": {f"{s}/{t}": c for (s, t), c in sorted(counts.items())},
        "skipped": skipped,
    }
    if not n_rows:  # every source skipped
        _leave_no_dataset(out, made, replacing)
        return info
    text = json.dumps(info, indent=2) + "\n"
    try:
        dataset_files.write_file(out / "dataset.json", lambda fh: fh.write(text.encode("utf-8")))
    except NotWritten as exc:
        raise BlurscanError(f"{exc}; {UNFINISHED_NOTE.format(out=printable_path(out))}") from None
    mark_finished(out)
    return info


def _leave_no_dataset(out: Path, made: list[Path], replacing: bool) -> None:
    """Remove what a run that made no image wrote: its manifest (a header alone), its marker, the folders it made
    (those still empty) and, where it replaced a dataset (whose samples are gone), that one's ``dataset.json`` and
    split folders left empty.
    Until 2026-12-05 such an empty dataset stayed, and a later run refused OUT without ``--overwrite``."""
    (out / "manifest.csv").unlink()
    mark_finished(out)
    old = out / "dataset.json"
    if replacing and old.is_file() and not old.is_symlink():
        old.unlink()
    if replacing:
        made = [out / split for split, _ in SPLITS] + made
    for folder in dict.fromkeys(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def read_manifest(path: str | os.PathLike) -> list[dict]:
    """Read a ``manifest.csv`` written by :func:`write_dataset` (``params`` parsed, numbers typed).

    ``path`` may be the file or its folder. Read as ``evaluate`` reads a manifest (:mod:`blurscan.manifest_csv`),
    so that one a spreadsheet has saved again still reads: UTF-8 with or without a byte-order mark, separated by
    commas, semicolons or tabs, column names in any case, values stripped of spaces, blank lines and rows whose
    every field is empty (the ``,,,`` rows a spreadsheet's export ends with) passed over. (Until 2026-12-05 such
    a row raised ``ValueError: could not convert string to float: ''``, a byte-order mark renamed the ``file``
    column, and values kept their spaces.)

    Raises
    ------
    ValueError
        A number or the ``params`` JSON that cannot be read (the message names the file, the line and the column).
    KeyError
        A column of :data:`MANIFEST_COLUMNS` that is typed here is missing.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "manifest.csv"
    rows = []
    with open_manifest(p) as fh:
        for line, r in records(dict_reader(fh)):  # values stripped, rows of empty fields skipped
            for column, read in (("severity_px", float), ("width", int), ("height", int), ("params", json.loads)):
                try:
                    r[column] = read(r[column])
                except ValueError as exc:
                    raise ValueError(f"{p}, line {line}: {column} {r[column]!r}: {exc}") from None
            rows.append(r)
    return rows
