"""The real labelled photos of ``../shared/data``: reading the manifest and splitting them (torch-free).

``manifest.csv`` has one row per image: ``file, set, label, blur_type, width, height, origin, reencoded``
(``width`` and ``height`` describe the image only: 0 where missing or not a whole number).

Which images are what
---------------------
* **Synthetic-blur sources** (:func:`synth_sources`): every ``sharp`` image of the sets that hold no real
  blurred counterpart used for evaluation: bsd100, urban100, sunhays80, set14, set5, kodak24, mcmaster,
  div2k (sharp ones), nyu_depth (sharp ``images/`` frames), skimage and sklearn *except* the sharp frames of
  real-evaluation sets (gopro, levin2009, multifocus, cuhk) and skimage's ``clock_motion`` (a real blurred
  photo).  Training may blur these on the fly.
* **GoPro pairs** (:func:`gopro_split`): real motion blur (averaged 240-fps frames) with the sharp centre
  frame (``_gt``).  They are split *by recording* (the ``GOPRxxxx`` prefix: one camera session, one scene)
  so that no scene is in both parts:

  - ``calibration``: recordings GOPR0374 and GOPR0384 (7 blurred + 7 sharp frames) — used by training to
    calibrate ``p_blurry`` and fit the image-level rule's offset;
  - ``evaluation``: every other GoPro image (recordings GOPR0410 and GOPR0477: 11 pairs plus the 29 sharp
    video frames of GOPR0477) — never seen by training; ``blurscan evaluate`` and ``bench/accuracy.py``
    report on these.

* **Real evaluation sets** (:func:`real_evaluation`): GoPro evaluation part, levin2009, cuhk,
  skimage ``clock_motion`` (+ its sharp siblings of skimage are *not* included: they are synthetic
  sources), multifocus (judged separately: none should be called wholly ``blurry``).
* **Blur made by other people's code** (:func:`other_generators`): the ``saved_images/`` of div2k (named
  box, Gaussian, triangle and pixel-motion kernels) and nyu_depth (synthetic camera rotation and translation),
  with their sharp frames (``_gt``).  The blur is synthetic but not ours, so it checks that the model did
  not learn the quirks of :mod:`blurscan.synth`; the sharp frames are copies or crops of synthetic-blur
  sources, so that side of it is not held out.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .config import shared_data_dir
from .errors import UsageError, printable_path
from .manifest_csv import dict_reader, listed_path, open_manifest, records, unreadable

#: Sets that hold real (or measured-kernel) blurred photos; their images are evaluation data only.
REAL_EVAL_SETS = frozenset({"gopro", "levin2009", "multifocus", "cuhk"})
#: Sets whose ``saved_images/`` hold photos blurred by other people's code (see :func:`other_generators`).
OTHER_GENERATOR_SETS = ("div2k", "nyu_depth")
#: Every set of the shared data set (``../shared/data``), each with its role above. A manifest's rows of any other set
#: are a person's own labelled photos, which ``blurscan train`` fits its image rule on too
#: (:mod:`blurscan.model.own_rows`); rows of these sets keep their roles, so the shipped model's training is unchanged.
SHARED_SETS = frozenset({"bsd100", "cuhk", "div2k", "gopro", "kodak24", "levin2009", "mcmaster", "multifocus",
                         "nyu_depth", "set14", "set5", "skimage", "sklearn", "sunhays80", "urban100"})
#: Recordings of the GoPro set used for calibration (the rest is evaluation).
GOPRO_CALIBRATION_RECORDINGS = ("GOPR0374", "GOPR0384")
#: Real blurred singletons in otherwise-synthetic-source sets.
REAL_SINGLETONS = frozenset({"skimage/clock_motion.png", "skimage/clock_motion.jpg"})

_GOPRO_REC = re.compile(r"(GOPR\d{4})")


@dataclass(frozen=True)
class Entry:
    """One row of ``manifest.csv`` with the absolute ``path``."""

    path: Path
    file: str
    set: str
    label: str
    blur_type: str
    width: int
    height: int

    @property
    def blurry(self) -> bool:
        return self.label == "blurry"

    @property
    def partial(self) -> bool:
        """Partly in focus (``blur_type`` ``partial-motion``, ``partial-defocus``, ...): ``partial`` is the right
        verdict, so it counts as neither blurry nor sharp (:func:`blurscan.manifest_rows.is_partial_row`)."""
        from .manifest_rows import is_partial_row

        return is_partial_row({"label": self.label, "blur_type": self.blur_type})


def read_manifest(root: str | Path | None = None) -> list[Entry]:
    """Rows of ``<root>/manifest.csv`` (default: :func:`blurscan.config.shared_data_dir`), read as ``evaluate``
    reads a manifest (:mod:`blurscan.manifest_csv`: column names in any case, values stripped, labels in any
    case, rows of empty fields passed over).

    Raises
    ------
    UsageError
        The manifest is missing or lacks a required column (message names the file).
    """
    root = Path(root) if root is not None else shared_data_dir()
    manifest = root / "manifest.csv" if root.is_dir() else root
    if not manifest.is_file():
        raise UsageError(f"{manifest}: no such manifest (set BLURSCAN_SHARED_DATA or pass the data folder)")
    base = manifest.parent
    out = []
    try:
        with open_manifest(manifest) as fh:  # UTF-8 with or without a byte-order mark, or UTF-16
            reader = dict_reader(fh)  # commas, or semicolons or tabs (a spreadsheet's CSV): blurscan.manifest_csv
            need = {"file", "set", "label", "blur_type"}
            if not need <= set(reader.fieldnames):
                raise UsageError(f"{manifest}: missing columns {sorted(need - set(reader.fieldnames))}")
            rows = [row for _, row in records(reader)]  # values stripped, rows of empty fields skipped
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{printable_path(manifest)}: cannot read manifest: {unreadable(exc, manifest)}") from None
    for row in rows:
        out.append(Entry(
            path=listed_path(base, row["file"]), file=row["file"], set=row["set"], label=row["label"].lower(),
            blur_type=row["blur_type"], width=_whole(row.get("width")), height=_whole(row.get("height")),
        ))
    return out


def _whole(value: str | None) -> int:
    """A ``width`` / ``height`` of the manifest (``3000.0`` too, as a spreadsheet may save it), 0 when missing or
    not a whole number (``12px``). They only describe the image: until 2026-12-05 such a value stopped ``blurscan
    train`` with a traceback (``ValueError: invalid literal for int()``)."""
    try:
        number = float(value or 0)
    except ValueError:
        return 0
    return int(number) if number.is_integer() and number >= 0 else 0


def gopro_recording(entry: Entry) -> str:
    """The ``GOPRxxxx`` recording an image of the GoPro set comes from."""
    m = _GOPRO_REC.search(entry.file)
    return m.group(1) if m else ""


#: A frame of the GoPro deblurring set's calibration recordings as the set names it (``GOPR0374_11_00_st_frame-614_
#: n_avg-8.jpg``, its sharp twin ``..._gt.jpg``); a camera's own ``GOPR0374.JPG`` is not one.
_GOPRO_CALIBRATION_FRAME = re.compile(r"^(" + "|".join(GOPRO_CALIBRATION_RECORDINGS) + r")_\d+_\d+_.*frame")


def gopro_calibration_frame(file: str) -> str:
    """The calibration recording (``GOPR0374``, ``GOPR0384``) whose frame ``file`` (a path, told by its name) is,
    else ``""``: the frames ``blurscan train`` fits the image rule on (:func:`gopro_split`)."""
    m = _GOPRO_CALIBRATION_FRAME.match(re.split(r"[\\/]", file)[-1])
    return m.group(1) if m else ""


def gopro_split(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Split the GoPro images into ``{"calibration": [...], "evaluation": [...]}`` by recording."""
    parts = {"calibration": [], "evaluation": []}
    for e in entries:
        if e.set != "gopro":
            continue
        part = "calibration" if gopro_recording(e) in GOPRO_CALIBRATION_RECORDINGS else "evaluation"
        parts[part].append(e)
    return parts


def is_real_blur_singleton(entry: Entry) -> bool:
    return entry.file in REAL_SINGLETONS or "clock_motion" in entry.file


def synth_sources(entries: list[Entry]) -> list[Entry]:
    """Sharp photos that training may blur synthetically (no real-evaluation images among them)."""
    return [e for e in entries
            if e.label == "sharp" and e.set not in REAL_EVAL_SETS and not is_real_blur_singleton(e)
            and not ("nyu_depth" == e.set and "saved_images" in e.file)]


def real_evaluation(entries: list[Entry]) -> list[Entry]:
    """Real labelled images for the accuracy target (multifocus excluded: see :func:`multifocus`)."""
    out = gopro_split(entries)["evaluation"]
    out += [e for e in entries if e.set in ("levin2009", "cuhk") or is_real_blur_singleton(e)]
    return out


def other_generators(entries: list[Entry]) -> list[Entry]:
    """Images blurred by other people's code (div2k, nyu_depth ``saved_images/``) and their sharp frames."""
    return [e for e in entries if e.set in OTHER_GENERATOR_SETS and "/saved_images/" in f"/{e.file}"]


def multifocus(entries: list[Entry]) -> list[Entry]:
    """Real multi-focus photos: each is partly in focus, so none should be called wholly ``blurry``."""
    return [e for e in entries if e.set == "multifocus"]


def photo_group(set_: str, file: str) -> str:
    """The photo or recording an image of the shared data comes from, for resampling whole photos
    (:mod:`blurscan.intervals`): a GoPro recording (its frames, sharp and blurred, are near-duplicates of one
    scene), a Levin et al. photo with its blurred copies, the sharp frame other generators' copies share, a
    multi-focus scene; any other image is its own."""
    path = file.replace("\\", "/")
    folder, _, name = path.rpartition("/")
    if set_ == "gopro":
        m = _GOPRO_REC.search(file)
        return f"gopro:{m.group(1) if m else file}"
    if set_ == "levin2009":
        m = re.match(r"(im\d+)", name)
        return f"levin2009:{m.group(1) if m else file}"
    if set_ in OTHER_GENERATOR_SETS:
        m = re.match(r"(\d+)_", name)
        return f"{set_}:{m.group(1) if m else file}"
    if set_ == "multifocus":
        return f"multifocus:{folder}"
    return f"{set_}:{file}"
