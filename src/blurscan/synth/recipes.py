"""Recipes and labelled dataset writing: sharp sources in, blurred JPEGs plus ``manifest.csv`` out.

A recipe is a weighted list of (target class, blur kind) and severity weights.  Each
output sample draws its kind and severity from a generator seeded by
``(seed, source key, sample index)``, so a dataset is reproducible byte for byte and
does not depend on the order in which sources are processed.  Which files are sources, and their splits
(per source group, so no photo leaks between train, val and test): :mod:`blurscan.synth.sources`.
"""

from __future__ import annotations

import csv
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

from ..errors import DecodeError, UsageError
from .pipeline import LABEL, synthesize_encoded
# the sources' module, whose names were this module's until 2026-12-03 (importable from here too)
from .sources import SPLITS, Source, check_source, collect_sources, group_key, load_source, split_of

__all__ = [
    "MANIFEST_COLUMNS",
    "RECIPES",
    "Recipe",
    "Source",
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
        severity at the analysis scale is unchanged by resizing.
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
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, h, int(index)])


#: A sample's file name in a dataset ``write_dataset`` wrote: ``<split>/<stem>-<index>-<kind>.jpg|.png``.
_SAMPLE_NAME = re.compile(r"^(?:train|val|test)/[A-Za-z0-9_-]+-\d{2,}-[a-z_]+\.(?:jpg|png)$")


def _listed_samples(out: Path, mpath: Path) -> list[Path]:
    """The images an earlier dataset in ``out`` wrote (the files its manifest lists, nothing else), which
    ``--overwrite`` removes so that no image of the old dataset stays behind: left in their split folders, they
    were a leak between splits for a trainer that reads the folders.

    Only a dataset ``write_dataset`` wrote can be replaced: its manifest has exactly :data:`MANIFEST_COLUMNS`,
    and only names of its samples' form are listed. Any other ``manifest.csv`` (a folder of your own labelled
    photos, as ``evaluate`` reads) is a :class:`UsageError`, with or without ``--overwrite``: until 2026-12-04
    ``--overwrite`` deleted the photos such a manifest listed.
    """
    root = out.resolve()
    try:
        with open(mpath, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            columns = tuple(reader.fieldnames or ())
            files = [row.get("file") or "" for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{mpath}: cannot read the manifest there ({exc}); a dataset can replace only one "
                         "blurscan synth wrote: choose another folder") from None
    if columns != MANIFEST_COLUMNS:
        raise UsageError(f"{mpath}: not a dataset blurscan synth wrote (its columns: {', '.join(columns) or 'none'});"
                         " synth replaces only those (with --overwrite), and never removes other files: choose "
                         "another folder")
    listed = []
    for name in files:
        path = Path(os.path.realpath(out / name))
        if _SAMPLE_NAME.match(name) and root in path.parents and path.is_file():
            listed.append(path)
    return listed


def _safe_stem(key: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(key).stem)[:40]
    return f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _write_sample(out: Path, rec: Recipe, image: np.ndarray, src: Source, split: str, stem: str,
                  index: int, seed: int, camera: bool) -> dict:
    """Synthesize sample ``index`` of ``src``, write its file and return its manifest row."""
    rng = _sample_rng(seed, src.key, index)
    target, kind, level, downscale = rec.draw(rng)
    img, params, data = synthesize_encoded(image, rng, kind, level, camera=camera, downscale=downscale)
    params["source_size"] = [int(image.shape[1]), int(image.shape[0])]
    params["sample"] = {"seed": int(seed), "index": index, "recipe": rec.name}
    ext = ".jpg" if data is not None else ".png"
    rel = f"{split}/{stem}-{index:02d}-{kind}{ext}"
    if data is not None:
        (out / rel).write_bytes(data)
    else:
        Image.fromarray(img).save(out / rel, compress_level=3)
    return {
        "file": rel,
        "source": src.key,
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


def _init_worker() -> None:
    import cv2

    cv2.setNumThreads(1)


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
        Override the recipe's camera pipeline switch (``False`` writes PNGs).
    overwrite : bool
        Allow writing into a folder that already holds a ``manifest.csv``.
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
        The ``dataset.json`` content (counts per split and target, skipped sources).
    """
    rec = RECIPES.get(recipe) if isinstance(recipe, str) else recipe
    if rec is None:
        raise UsageError(f"unknown recipe {recipe!r}; choose one of: {', '.join(RECIPES)}")
    if per_image < 1:
        raise UsageError(f"per_image must be >= 1, got {per_image}")
    use_camera = rec.camera if camera is None else bool(camera)
    out = Path(out_dir)
    mpath = out / "manifest.csv"
    if mpath.exists():
        listed = _listed_samples(out, mpath)
        if not overwrite:
            raise UsageError(f"{mpath}: a dataset is already there (choose another folder, or add --overwrite to "
                             "write into it)")
        for path in listed:
            path.unlink()
    out.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    skipped: list[dict] = []
    n_rows = 0
    total = len(sources)
    for split, _ in SPLITS:
        (out / split).mkdir(exist_ok=True)
    tasks = [(src, str(out), rec, per_image, seed, max_side, use_camera) for src in sources]
    pool = None
    if workers > 1 and total > 1:
        import multiprocessing as mp

        # "spawn": OpenCV's thread pool does not survive fork() (children can deadlock)
        pool = mp.get_context("spawn").Pool(workers, initializer=_init_worker)
        results = pool.imap(_do_source, tasks)  # in order: the manifest does not depend on workers
    else:
        results = map(_do_source, tasks)
    try:
        # the manifest is written row by row, so an interrupted run still describes what it wrote
        with open(mpath, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS)
            writer.writeheader()
            for n, (src, rows, error) in enumerate(results, 1):
                if error is not None:
                    skipped.append({"source": src.key, "reason": error})
                    log.info("skipped %s: %s", src.path, error)
                    if on_error is not None:
                        on_error(src, error)
                for row in rows:
                    writer.writerow(row)
                    counts[(row["split"], row["target"])] += 1
                    n_rows += 1
                fh.flush()
                if progress is not None:
                    progress(n, total, src)
    finally:
        if pool is not None:
            pool.terminate()
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
    (out / "dataset.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def read_manifest(path: str | os.PathLike) -> list[dict]:
    """Read a ``manifest.csv`` written by :func:`write_dataset` (``params`` parsed, numbers typed).

    ``path`` may be the file or its folder.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "manifest.csv"
    rows = []
    with open(p, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            r["severity_px"] = float(r["severity_px"])
            r["width"] = int(r["width"])
            r["height"] = int(r["height"])
            r["params"] = json.loads(r["params"])
            rows.append(r)
    return rows
