"""Recipes and labelled dataset writing: sharp sources in, blurred JPEGs plus ``manifest.csv`` out.

A recipe is a weighted list of (target class, blur kind) and severity weights.  Each
output sample draws its kind and severity from a generator seeded by
``(seed, source key, sample index)``, so a dataset is reproducible byte for byte and
does not depend on the order in which sources are processed.  Splits are drawn per
*source group* (a photo and its near-duplicates: ``_gt`` twins, frames of one video,
left/right views), hashed from the group key and the seed, so no photo leaks between
train, val and test.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..config import IMAGE_SUFFIXES
from ..errors import DecodeError, UsageError
from .pipeline import LABEL, synthesize_encoded

__all__ = [
    "MANIFEST_COLUMNS",
    "RECIPES",
    "Recipe",
    "Source",
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

SPLITS = (("train", 0.70), ("val", 0.85), ("test", 1.0))


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


@dataclass(frozen=True)
class Source:
    """A sharp source photo: its path and a stable key (relative, '/'-separated) naming it."""

    path: Path
    key: str


def _is_image(p: Path) -> bool:
    return p.suffix.lower() in IMAGE_SUFFIXES


def _manifest_sources(folder: Path) -> list[Source] | None:
    """Sources listed as ``label == sharp`` (and, where there is a ``blur`` or ``blur_type`` column,
    not blurred: ``none``) in ``folder/manifest.csv``; ``None`` if it has no ``file``/``label`` column."""
    mpath = folder / "manifest.csv"
    if not mpath.is_file():
        return None
    with open(mpath, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "label" not in reader.fieldnames or "file" not in reader.fieldnames:
            return None
        # a dataset written by write_dataset labels shallow depth of field "sharp": keep only unblurred rows
        blur_cols = [c for c in ("blur", "blur_type") if c in reader.fieldnames]
        rows = [r for r in reader if (r.get("label") or "").strip() == "sharp"
                and all((r.get(c) or "none").strip() in ("none", "") for c in blur_cols)]
    return [Source(folder / r["file"], f"{folder.name}/{r['file']}") for r in rows]


def _described_by_manifest(folder: Path) -> list[Source] | None:
    """For a folder inside a labelled data set (a ``manifest.csv`` with ``file`` / ``label`` in a parent
    folder, e.g. ``shared/data/levin2009``): the sharp rows of that manifest under the folder, keyed as they
    are when the data set's own folder is given; None when no parent folder holds such a manifest. (Walked as
    a plain folder it gave its blurred images as sharp sources.)"""
    folder = folder.resolve()
    for parent in folder.parents:
        listed = _manifest_sources(parent)
        if listed is not None:
            return [src for src in listed if folder in src.path.resolve().parents]
    return None


def check_source(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be a source (empty, not an image, truncated...), or None; quick: a JPEG is decoded
    at 1/8 scale, other formats are verified without decoding."""
    try:
        with Image.open(path) as im:
            if im.format == "JPEG":
                im.draft("L", (64, 64))
                im.load()
            else:
                im.verify()
    except FileNotFoundError:
        return "file not found"
    except PermissionError:
        return "permission denied"
    except UnidentifiedImageError:
        return "not an image Pillow can read"
    except (OSError, ValueError, SyntaxError) as exc:
        return f"cannot decode: {exc}"
    return None


def collect_sources(paths: Iterable[str | os.PathLike], exclude: str | os.PathLike | None = None) -> list[Source]:
    """Expand files and folders into a sorted, de-duplicated list of sources.

    A folder holding a ``manifest.csv`` with ``file`` and ``label`` columns (the shared data
    set, or a dataset written by :func:`write_dataset`) contributes only its ``label == sharp``
    rows whose ``blur`` / ``blur_type`` (if present) is ``none``; any other folder is walked recursively for image files (hidden entries skipped).

    Parameters
    ----------
    paths : iterable of path-like
    exclude : path-like, optional
        A folder whose contents are never sources (the output folder).
    """
    out: dict[Path, Source] = {}
    excl = Path(exclude).resolve() if exclude is not None else None
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            if not _is_image(p):
                raise UsageError(f"{os.fsdecode(p)}: not an image file (a data set is given by the folder that "
                                 "holds its manifest.csv)")
            found = [Source(p, p.name)]
        elif p.is_dir():
            listed = _manifest_sources(p)
            inside = None if listed is not None else _described_by_manifest(p)
            if listed is not None:
                found = listed
            elif inside is not None:  # a folder of a labelled data set: its sharp rows there, not its blurred ones
                found = inside
            else:
                found = []
                for root, dirs, files in os.walk(p):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    if Path(root) != p and (nested := _manifest_sources(Path(root))) is not None:
                        # a labelled data set inside (a synth output): its sharp rows, never its blurred images
                        found += [Source(x.path, f"{p.resolve().name}/{x.path.relative_to(p).as_posix()}")
                                  for x in nested]
                        dirs[:] = []
                        continue
                    for f in sorted(files):
                        fp = Path(root) / f
                        if not f.startswith(".") and _is_image(fp):
                            found.append(Source(fp, f"{p.resolve().name}/{fp.relative_to(p).as_posix()}"))
        else:
            raise UsageError(f"{os.fsdecode(p)}: no such file or folder")
        for s in found:
            r = s.path.resolve()
            if excl is not None and (r == excl or excl in r.parents):
                continue
            out.setdefault(r, s)
    return sorted(out.values(), key=lambda s: s.key)


_FRAME_RE = re.compile(r"^\d{5,}$")
#: A camera's or phone's date-time name (``20240101_120001``, ``2024-01-01 12.00.00``, ``IMG_20240101_120001``
#: is matched by the id rule's fall-through): a photo of its own second, not a group of the whole day.
_DATETIME_RE = re.compile(r"^((?:19|20)\d{2}-?\d{2}-?\d{2}[ _T-]?\d{2}[.:_-]?\d{2}[.:_-]?\d{2})")
_ID_RE = re.compile(r"^([A-Za-z]*\d+(?:_\d+_\d+)?)(?=[_\-.]|$)")
_TWIN_RE = re.compile(r"(_gt|_left|_right|_[ab])$", re.IGNORECASE)


def group_key(key: str) -> str:
    """Key of the group of near-identical photos a source belongs to (for leak-free splits).

    Rules (from the naming of the public sets in ``shared/data``), within the *set* (the first
    two folders of the key, e.g. ``data/div2k``): a ``_gt`` / ``_left`` / ``_right`` / ``_A`` /
    ``_B`` suffix is dropped; a name that is only a long frame number (``000010``) stands for
    its folder (one video: ``GOPR0477_11_00/000010.jpg`` joins ``GOPR0477_11_00_st_frame-5_gt.jpg``);
    a name that starts with an id (``0830_box_size-15``, ``GOPR0374_11_00_st_frame-1195``,
    ``272_roll0``) is grouped by that id, except a camera's date-time name (``20240101_120001``,
    ``2024-01-01 12.00.00``), which is grouped by its date and time to the second (the id rule made a whole
    day one group: a phone's photos could not be split).  Photos of different sets never share a group.
    """
    parts = key.split("/")
    top = "/".join(parts[:-1][:2])
    stem = _TWIN_RE.sub("", Path(parts[-1]).stem)
    if _FRAME_RE.match(stem) and len(parts) >= 2:
        stem = parts[-2]
    m = _DATETIME_RE.match(stem) or _ID_RE.match(stem)
    ident = m.group(1) if m else stem
    return f"{top}/{ident}".lower()


def _hash_unit(*items: object) -> float:
    h = hashlib.sha256("\x1f".join(str(i) for i in items).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0**64


def split_of(key: str, seed: int) -> str:
    """Split (``train`` ~70 %, ``val`` ~15 %, ``test`` ~15 %) of a source, from its group key and the seed."""
    u = _hash_unit("split", seed, group_key(key))
    for name, upper in SPLITS:
        if u < upper:
            return name
    return SPLITS[-1][0]


def _sample_rng(seed: int, key: str, index: int) -> np.random.Generator:
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, h, int(index)])


def load_source(path: str | os.PathLike, max_side: int | None = 1024) -> np.ndarray:
    """Decode ``path`` to ``uint8`` RGB (EXIF-rotated), shrunk so its long side is at most ``max_side``.

    Never enlarges.  Raises :class:`~blurscan.errors.DecodeError` naming the file and the reason.
    """
    try:
        with Image.open(path) as im:
            if max_side and im.format == "JPEG":
                im.draft("RGB", (max_side, max_side))
            im = ImageOps.exif_transpose(im)
            if im.mode in ("I;16", "I;16B", "I;16L", "I"):
                im = im.point(lambda v: v / 256).convert("L")
            rgb = im.convert("RGB")
            if max_side and max(rgb.size) > max_side:
                f = max_side / max(rgb.size)
                size = (max(1, round(rgb.width * f)), max(1, round(rgb.height * f)))
                rgb = rgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            a = np.asarray(rgb)
    except FileNotFoundError:
        raise DecodeError(path, "file not found") from None
    except PermissionError:
        raise DecodeError(path, "permission denied") from None
    except UnidentifiedImageError:
        raise DecodeError(path, "not an image Pillow can read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise DecodeError(path, f"cannot decode: {exc}") from None
    if min(a.shape[:2]) < 16:
        raise DecodeError(path, f"too small ({a.shape[1]}x{a.shape[0]} px)")
    return np.ascontiguousarray(a)


def _remove_listed(out: Path, mpath: Path) -> None:
    """Remove the images an earlier dataset in ``out`` wrote (the files its manifest lists, nothing else), so
    that ``--overwrite`` leaves no image of the old dataset behind: left in their split folders, they were a
    leak between splits for a trainer that reads the folders."""
    root = out.resolve()
    with open(mpath, newline="", encoding="utf-8") as fh:
        files = [row.get("file") or "" for row in csv.DictReader(fh)]
    for name in files:
        path = (out / name).resolve()
        if name and root in path.parents and path.is_file():
            path.unlink()


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
    split = split_of(src.key, seed)
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
    if mpath.exists() and not overwrite:
        raise UsageError(f"{mpath}: a dataset is already there (choose another folder, or add --overwrite to "
                         "write into it)")
    if mpath.exists():
        _remove_listed(out, mpath)
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
