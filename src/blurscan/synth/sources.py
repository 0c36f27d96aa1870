"""Sources of synthetic blur: which files are sharp source photos, how they are grouped and split, and how
one is loaded.

A folder holding a ``manifest.csv`` with ``file`` and ``label`` columns (the shared data set, or a dataset
written by :func:`blurscan.synth.recipes.write_dataset`) contributes only its sharp, unblurred rows, and so
does a folder inside such a data set; other folders are walked for image files. Splits are drawn per *source
group* (a photo and its near-duplicates: ``_gt`` twins, frames of one video, left/right views), hashed from
the group key and the seed, so no photo leaks between train, val and test.
"""
from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import heif
from ..config import DEFAULT_MAX_PIXELS, IMAGE_SUFFIXES
from ..errors import BlurscanError, DecodeError, UsageError, printable_path, text_path
from ..manifest_csv import dict_reader, listed_path, open_manifest, records, unreadable
from ..pillowguard import pixel_limit
from ..pixels import pil_to_rgb

#: The shortest side a source may have once shrunk (:func:`load_source`); a ``max_side`` below it can make no sample.
MIN_SOURCE_SIDE = 16
#: Split names and the upper bounds of their share of the unit interval (train ~70 %, val ~15 %, test ~15 %).
SPLITS = (("train", 0.70), ("val", 0.85), ("test", 1.0))


@dataclass(frozen=True)
class Source:
    """A sharp source photo: its path and a stable key (relative, '/'-separated) naming it.

    ``origin``: for an unblurred sample of a dataset ``blurscan synth`` wrote, the key of the photo it was made
    from (the manifest's ``source`` column), so that it takes that photo's split (:attr:`split_key`): a
    dataset written inside a source folder, then walked as part of it, gave a near-copy of a photo another
    split than the photo's own (until 2026-12-04).
    """

    path: Path
    key: str
    origin: str | None = None

    @property
    def split_key(self) -> str:
        """The key its group and split are drawn from (:func:`split_of`): its origin's, else its own."""
        return self.origin or self.key


#: The suffixes of training sources: the scan's image suffixes as they were before 2026-12-06, when the scan took
#: stereo ``.mpo`` photos and JPEG XL files (the latter to say it cannot read them) too; training is left as it was.
_SOURCE_SUFFIXES = IMAGE_SUFFIXES - {".mpo", ".jxl"}


def _is_image(p: Path) -> bool:
    return p.suffix.lower() in _SOURCE_SUFFIXES


def _manifest_sources(folder: Path) -> list[Source] | None:
    """Sources listed as ``label == sharp`` (and, where there is a ``blur`` or ``blur_type`` column,
    not blurred: ``none``) in ``folder/manifest.csv``; ``None`` if it has no ``file``/``label`` column.

    Read as :func:`blurscan.manifest_rows.read_manifest` reads a manifest: UTF-8 with or without a byte-order mark
    (a spreadsheet's "CSV UTF-8") or UTF-16 with one, separated by commas, semicolons or tabs
    (:mod:`blurscan.manifest_csv`), paths with backslashes read as folder separators, column names and values
    stripped, column names and labels in any case, rows of empty fields passed over. (Until
    2026-12-04 a manifest with a byte-order mark, or one separated by semicolons, was not recognised, and the
    folder was walked: its blurred images became sharp sources.) A manifest that cannot be read is an error
    naming it: walked as a plain folder instead, its blurred images would be taken for sharp ones.
    """
    mpath = folder / "manifest.csv"
    if not mpath.is_file():
        return None
    try:
        with open_manifest(mpath) as fh:
            reader = dict_reader(fh)
            columns = reader.fieldnames
            if "label" not in columns or "file" not in columns:
                return None
            raw = [row for _, row in records(reader)]  # values stripped, rows of empty fields skipped
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{printable_path(mpath)}: cannot read this data set's manifest: "
                         f"{unreadable(exc, mpath)}") from None
    # a dataset written by write_dataset labels shallow depth of field "sharp": keep only unblurred rows
    blur_cols = [c for c in ("blur", "blur_type") if c in columns]
    rows = [r for r in raw if r["label"].lower() == "sharp"
            and all(r[c].lower() in ("none", "") for c in blur_cols) and r["file"]]
    synth_written = {"source", "target", "params"} <= set(columns)  # a dataset write_dataset wrote
    return [Source(listed_path(folder, r["file"]), f"{folder.name}/{r['file']}", (r["source"] or None) if synth_written else None)
            for r in rows]


def _described_by_manifest(folder: Path) -> list[Source] | None:
    """For a folder inside a labelled data set (a ``manifest.csv`` with ``file`` / ``label`` in a parent
    folder, e.g. ``shared/data/levin2009``): the sharp rows of that manifest under the folder, keyed as they
    are when the data set's own folder is given; None when no parent folder holds such a manifest. (Walked as
    a plain folder it gave its blurred images as sharp sources.)"""
    folder = folder.resolve()
    for parent in folder.parents:
        listed = _manifest_sources(parent)
        if listed is not None:
            return [src for src in listed if folder in real_path(src.path).parents]
    return None


def _heif_ready(path: str | os.PathLike) -> None:
    """Register Pillow's HEIF opener (loaded on first need, :mod:`blurscan.heif`) when ``path``'s content is
    HEIC / HEIF / AVIF, whatever its suffix; a file that cannot be read is left to ``Image.open`` to report."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except OSError:
        return
    if heif.is_iso_media(head):
        heif.register_opener()


def check_source(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be a source (empty, not an image, truncated...), or None; quick: a JPEG is decoded
    at 1/8 scale, other formats are verified without decoding."""
    _heif_ready(path)
    try:
        _opened(path, _check)
    except FileNotFoundError:
        return "file not found"
    except PermissionError:
        return "permission denied"
    except UnidentifiedImageError:
        return "not an image Pillow can read"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot decode: {exc}"
    except (ValueError, SyntaxError) as exc:
        return f"cannot decode: {exc}"
    except Image.DecompressionBombError as exc:  # (past Pillow's pixel limit: was a traceback, until 2026-12-05)
        return f"decompression bomb: {exc}"
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
                raise UsageError(f"{printable_path(p)}: not an image file (a data set is given by the folder that "
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
                        found += [Source(x.path, f"{p.resolve().name}/{x.path.relative_to(p).as_posix()}",
                                         x.origin) for x in nested]
                        dirs[:] = []
                        continue
                    for f in sorted(files):
                        fp = Path(root) / f
                        if not f.startswith(".") and _is_image(fp):
                            found.append(Source(fp, f"{p.resolve().name}/{fp.relative_to(p).as_posix()}"))
        else:  # (a link that leads nowhere, or loops): an error, exit 1, as a path that names nothing (until
            # 2026-12-05 a UsageError, exit 2)
            raise BlurscanError(f"{printable_path(p)}: no such file or folder")
        for s in found:
            r = real_path(s.path)
            if excl is not None and (r == excl or excl in r.parents):
                continue
            out.setdefault(r, s)
    return check_unique_keys(sorted(_origins_named_here(list(out.values())), key=lambda s: s.key))


def _origins_named_here(sources: list[Source]) -> list[Source]:
    """``sources`` with each origin (a key an earlier ``synth`` run gave, from the folders *it* was given) named as
    this run names that photo: ``photos/img9.jpg`` from ``synth photos ...`` is ``parent/photos/img9.jpg`` when
    ``parent`` is given now (and the other way round), one path ending the other's at a ``/``. Left as it was
    when no source here, or more than one, is that photo: with the key of its own run, a copy of a test photo
    went to train (a walkthrough: 7 of 22 copies in another split than their photo). A manifest writes a name that
    is not UTF-8 with its bytes as ``\\xNN`` (:func:`~blurscan.errors.text_path`): its photo named so here too."""
    own = [s.key for s in sources if s.origin is None]
    shown = [(k, text_path(k)) for k in own]
    out = []
    for s in sources:
        if s.origin is not None and s.origin not in own:
            alike = [k for k, t in shown if t == s.origin or t.endswith("/" + s.origin) or s.origin.endswith("/" + t)]
            if len(alike) == 1:
                s = dataclasses.replace(s, origin=alike[0])
        out.append(s)
    return out


def real_path(path: Path) -> Path:
    """``path`` with its links resolved; a loop of symbolic links (``Path.resolve`` raises there) as it is, so
    that it is a source reported as skipped (:func:`check_source`), not a traceback (until 2026-12-04)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))


def check_unique_keys(sources: list[Source]) -> list[Source]:
    """``sources`` unchanged when no two files share a key; else a :class:`UsageError` naming them.

    A key names a source's samples (their file names, their random draws) and its split, so two photos with
    one key (``2023/DCIM/IMG_0001.jpg`` and ``2024/DCIM/IMG_0001.jpg`` given as ``2023/DCIM 2024/DCIM``, both
    ``DCIM/IMG_0001.jpg``) wrote their samples to the same files, one over the other, and shared `train`'s
    cache (until 2026-12-04). Renaming keys on a clash would change the keys, and so the splits, of data sets
    given today; the folders above them, given instead, name them apart.
    """
    by_key: dict[str, dict[Path, Path]] = {}
    for s in sources:
        by_key.setdefault(s.key, {}).setdefault(real_path(s.path), s.path)
    clashes = [(key, paths) for key, paths in by_key.items() if len(paths) > 1]
    if clashes:
        key, named = clashes[0]
        paths = list(named.values())
        more = f" (and {len(clashes) - 1} more such name{'s' if len(clashes) > 2 else ''})" if len(clashes) > 1 else ""
        raise UsageError(f"{' and '.join(printable_path(p) for p in paths[:2])}: two source photos with one name in "
                         f"the data set, {printable_path(key)}{more}; give the folders that hold them (their parents "
                         "tell them apart) rather than each folder or file")
    return sources


_FRAME_RE = re.compile(r"^\d{5,}$")
#: A camera's or phone's date-time name (``20240101_120001``, ``2024-01-01 12.00.00``, ``IMG_20240101_120001``
#: is matched by the id rule's fall-through): a photo of its own second, not a group of the whole day.
_DATETIME_RE = re.compile(r"^((?:19|20)\d{2}-?\d{2}-?\d{2}[ _T-]?\d{2}[.:_-]?\d{2}[.:_-]?\d{2})")
_ID_RE = re.compile(r"^([A-Za-z]*\d+(?:_\d+_\d+)?)(?=[_\-.]|$)")
_TWIN_RE = re.compile(r"(_gt|_left|_right|_[ab])$", re.IGNORECASE)
#: The super-resolution sets' naming (SelfExSR: ``image_SRF_3/img_001_SRF_3_HR.png``, its ``_LR`` twin): every scale
#: factor's copy of a picture, high- or low-resolution, is that picture; they are named as its ``SRF_2`` copy
#: (``SRF_8`` for Sun-Hays 80, which has that scale alone), so the groups of the shared data stay as they were.
_SRF_STEM_RE = re.compile(r"_SRF_(\d+)_(?:HR|LR)$", re.IGNORECASE)
_SRF_FOLDER_RE = re.compile(r"^image_SRF_[34]$", re.IGNORECASE)
def _srf_stem(match: re.Match) -> str:
    scale = match.group(1)
    return f"_SRF_{'2' if scale in ('3', '4') else scale}_HR"


def group_key(key: str) -> str:
    """Key of the group of near-identical photos a source belongs to (for leak-free splits).

    Rules (from the naming of the public sets in ``shared/data``), within the *set* (the first
    two folders of the key, e.g. ``data/div2k``): a ``_gt`` / ``_left`` / ``_right`` / ``_A`` /
    ``_B`` suffix is dropped; a name that is only a long frame number (``000010``) stands for
    its folder (one video: ``GOPR0477_11_00/000010.jpg`` joins ``GOPR0477_11_00_st_frame-5_gt.jpg``);
    a name that starts with an id (``0830_box_size-15``, ``GOPR0374_11_00_st_frame-1195``,
    ``272_roll0``) is grouped by that id, except a camera's date-time name (``20240101_120001``,
    ``2024-01-01 12.00.00``), which is grouped by its date and time to the second (the id rule made a whole
    day one group: a phone's photos could not be split).  The super-resolution sets' copies of a picture at
    another scale factor or resolution (``image_SRF_3/img_001_SRF_3_HR``, ``img_001_SRF_2_LR``) are one group
    with it (until 2026-12-05 each was a group of its own).  Photos of different sets never share a group (two of
    Set5's are Set14's photos: a known overlap of the shipped model's splits, left until its next retrain, since
    joining them changes what ``make model`` trains on; docs/synth.md).
    """
    parts = key.split("/")
    folders = [_SRF_FOLDER_RE.sub("image_SRF_2", f) for f in parts[:-1]]
    stem = _SRF_STEM_RE.sub(_srf_stem, Path(parts[-1]).stem)
    top = "/".join(folders[:2])
    stem = _TWIN_RE.sub("", stem)
    if _FRAME_RE.match(stem) and len(parts) >= 2:
        stem = parts[-2]
    m = _DATETIME_RE.match(stem) or _ID_RE.match(stem)
    ident = m.group(1) if m else stem
    return f"{top}/{ident}".lower()


def _hash_unit(*items: object) -> float:
    h = hashlib.sha256("\x1f".join(str(i) for i in items).encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(h[:8], "big") / 2.0**64


def split_of(key: str, seed: int) -> str:
    """Split (``train`` ~70 %, ``val`` ~15 %, ``test`` ~15 %) of a source, from its group key and the seed."""
    u = _hash_unit("split", seed, group_key(key))
    for name, upper in SPLITS:
        if u < upper:
            return name
    return SPLITS[-1][0]


def load_source(path: str | os.PathLike, max_side: int | None = 1024) -> np.ndarray:
    """Decode ``path`` to ``uint8`` RGB (EXIF-rotated), shrunk so its long side is at most ``max_side``.

    Never enlarges.  Raises :class:`~blurscan.errors.DecodeError` naming the file and the reason.

    Samples of any kind become 8-bit RGB as the scan makes them (:func:`blurscan.pixels.pil_to_rgb`: 16-bit
    scaled, floats by their range, transparency on white). Until 2026-12-05 a big-endian 16-bit TIFF was skipped
    ("point operation not supported for this mode"), a floating-point TIFF (0..1) became a black picture that
    was blurred and labelled as if it were a photo, and a transparent pixel took the colour stored under it.
    """
    _heif_ready(path)
    try:
        size, a = _opened(path, lambda im: (im.size, _pixels(im, max_side)))  # (its size before any shrinking)
    except FileNotFoundError:
        raise DecodeError(path, "file not found") from None
    except PermissionError:
        raise DecodeError(path, "permission denied") from None
    except UnidentifiedImageError:
        raise DecodeError(path, "not an image Pillow can read") from None
    except OSError as exc:
        raise DecodeError(path, "symbolic link loop" if exc.errno == errno.ELOOP else f"cannot decode: {exc}") from None
    except (ValueError, SyntaxError) as exc:
        raise DecodeError(path, f"cannot decode: {exc}") from None
    except Image.DecompressionBombError as exc:
        raise DecodeError(path, f"decompression bomb: {exc}") from None
    if min(a.shape[:2]) < MIN_SOURCE_SIDE:  # (shrunk so by max_side: said, as the source is not to blame alone)
        shrunk = f", shrunk to a long side of {max_side} px" if max_side and max(size) > max_side else ""
        raise DecodeError(path, f"too small ({a.shape[1]}x{a.shape[0]} px{shrunk})")
    return np.ascontiguousarray(a)


def _opened(path: str | os.PathLike, use):
    """``use(im)`` of Pillow's image of ``path``; a PNG Pillow refuses for its metadata alone (a text chunk too
    large, an ancillary chunk of wrong CRC: Photoshop's PNGs with a long editing history) is read again without
    that metadata, as the scan reads it (:mod:`blurscan.pngsalvage`). Until 2026-12-05 synth and train skipped
    such a source ("Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK") that `scan` had scored."""
    try:
        with pixel_limit(DEFAULT_MAX_PIXELS), Image.open(path) as im:  # (not the program's guard: pillowguard)
            return use(im)
    except (FileNotFoundError, PermissionError):
        raise
    except (OSError, ValueError, SyntaxError):
        whole = _salvaged_png(path)
        if whole is None:
            raise
    with pixel_limit(DEFAULT_MAX_PIXELS), Image.open(io.BytesIO(whole)) as im:
        return use(im)


def _salvaged_png(path: str | os.PathLike) -> bytes | None:
    """The bytes of the PNG ``path`` without the metadata Pillow refuses (:func:`blurscan.pngsalvage.salvage`), or
    None (no PNG, nothing dropped, or not readable)."""
    from .. import pngsalvage

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return pngsalvage.salvage(data)


def _within_limit(im: Image.Image) -> None:
    """Raise Pillow's ``DecompressionBombError`` for a source of more pixels than the scan's limit
    (:data:`blurscan.config.DEFAULT_MAX_PIXELS`), told from its header: that limit, not the program's
    ``Image.MAX_IMAGE_PIXELS``, whatever it is (:func:`_opened`, :mod:`blurscan.pillowguard`)."""
    n = im.width * im.height
    if n > DEFAULT_MAX_PIXELS:
        raise Image.DecompressionBombError(f"{n} pixels > limit {DEFAULT_MAX_PIXELS}")


def _check(im: Image.Image) -> None:
    """A quick check of a source (:func:`check_source`): a JPEG decoded at 1/8 scale, others verified."""
    _within_limit(im)
    if im.format == "JPEG":
        im.draft("L", (64, 64))
        im.load()
    else:
        im.verify()


def _pixels(im: Image.Image, max_side: int | None) -> np.ndarray:
    """``im`` as 8-bit RGB, EXIF-rotated, its long side at most ``max_side`` (:func:`load_source`)."""
    _within_limit(im)
    if max_side and im.format == "JPEG":
        im.draft("RGB", (max_side, max_side))
    rgb = Image.fromarray(pil_to_rgb(ImageOps.exif_transpose(im)))
    if max_side and max(rgb.size) > max_side:
        f = max_side / max(rgb.size)
        size = (max(1, round(rgb.width * f)), max(1, round(rgb.height * f)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(rgb)
