"""Plain records that cross stage boundaries (no PIL objects, no tensors).

:meth:`ScanRecord.to_json` is the public JSONL contract of ``blurscan scan --format jsonl``; see README
"JSONL output". Extend it only compatibly: add keys, never rename or remove one, never change a meaning.
"""
from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import older_records

if TYPE_CHECKING:  # annotations only: `blurscan --help` imports this module, and numpy takes ~0.14 s to load
    import numpy as np

#: Version of the JSONL contract. Bump the minor part when keys are added.
SCHEMA_VERSION = "1.1"  # 1.1: note

VERDICTS = ("sharp", "partial", "blurry")


@dataclass(frozen=True)
class ImageRef:
    """A file found by the walk: what the cache key is made of.

    ``raw_twin`` is the camera RAW file with this image's stem in its folder (a RAW + JPEG pair, one photo
    whose record is this image's; see :mod:`blurscan.pairs`), which the walk does not yield itself.
    ``ctime_ns`` is the file's status-change time from the walk's ``stat`` (None when unknown): a time other
    than the stored record's has its sample read again (:mod:`blurscan.replaced`). A hint, not part of the
    identity: refs that differ only there compare equal.
    """

    path: str  # absolute, os.fsdecode()d (undecodable bytes kept as surrogates)
    size: int
    mtime_ns: int
    raw_twin: str | None = None
    ctime_ns: int | None = field(default=None, compare=False)


@dataclass
class DecodedImage:
    """A decoded image, EXIF-rotated, at the normalised analysis scale.

    Attributes
    ----------
    rgb : ndarray or None
        ``H x W x 3`` uint8 RGB at the analysis scale (long side <= settings.analysis_long_side; never
        upscaled); None when the decoder was asked for luminance only and took a shortcut
        (:func:`blurscan.decode.decode` with ``color=False``).
    gray : ndarray
        ``H x W`` uint8 luminance (ITU-R BT.601, as OpenCV) at the analysis scale.
    width, height : int
        Size of the original image after EXIF rotation.
    laplacian_var : float or None
        The seed baseline (variance of the 3x3 Laplacian of the full-resolution 8-bit grayscale image),
        computed by the decoder while the full-resolution grayscale image is in hand, then discarded.
    exif : dict
        A few EXIF basics (``captured_at`` ISO text, camera ``make``/``model``, ``exposure``...).
    size, mtime_ns : int or None
        Identity of the file as it was read (taken from the open descriptor before reading); None for
        in-memory arrays.
    ctime_ns, sample : int, str or None
        The file's status-change time (from the same descriptor) and the sample of the bytes decoded
        (:func:`blurscan.samples.sample_of`); None for in-memory arrays and for a RAW + JPEG pair judged from
        its RAW (the JPEG's are taken at the next scan).
    fitted_long_side : int or None
        The photo's long side fitted into the analysis size (``min(analysis_long_side, original)``): the pixel
        scale the model reads its size features and threshold at. The analysis image's own long side, but for a
        long thin photo, analysed larger (:mod:`blurscan.analysis`). None: take the analysis image's.
    """

    path: str
    rgb: np.ndarray | None
    gray: np.ndarray
    width: int
    height: int
    format: str = ""
    laplacian_var: float | None = None
    exif: dict = field(default_factory=dict)
    size: int | None = None
    mtime_ns: int | None = None
    ctime_ns: int | None = None
    sample: str | None = None
    fitted_long_side: int | None = None


class _Failed:
    """``record.failed``: whether the file could not be scored (``status == "error"``). On the class,
    ``ScanRecord.from_error(ref, reason)`` is :meth:`ScanRecord.from_error`, its name until 2026-12: as a class
    method only, ``if record.failed:`` was always true (a bound method), so a script's
    ``[r for r in scan(...) if not r.failed]`` silently kept nothing."""

    def __get__(self, record, cls=None):
        if record is None:
            return cls.from_error
        return record.status == "error"


class _Referable:
    """A weak reference to a record may be taken, as before it was slotted (``weakref_slot=True`` needs Python 3.11)."""

    __slots__ = ("__weakref__",)


@dataclass(slots=True)
class ScanRecord(_Referable):
    """The result for one input file, ``status`` ``"ok"`` or ``"error"``.

    Slotted (since 2026-12-07): an instance holds its fields, some 300 bytes, rather than a ``__dict__``; past 30
    fields (2026-12-06's ``dates``) each instance's ``__dict__`` was a whole dict, 1,584 bytes built by ``__init__``
    and 832 by the store's fast path, about 1.5 KB a photo in every command that holds records. So an instance
    takes no attribute that is not a field.
    """

    path: str
    status: str = "ok"
    error: str | None = None
    verdict: str | None = None          # sharp | partial | blurry (None on error)
    p_blurry: float | None = None       # calibrated probability from the model; None with --model none
    blur_type: str | None = None        # none | defocus | motion (None without a model)
    laplacian_var: float | None = None  # seed baseline, full resolution
    scores: dict[str, Any] = field(default_factory=dict)   # other measures, name -> float
    grid: list[list[float | None]] | None = None  # coarse blur map: per region p_blurry (None = flat region)
    grid_box: list[float] | None = None  # [left, top, right, bottom] the grid covers, fractions of the image
    width: int | None = None
    height: int | None = None
    size: int | None = None
    mtime_ns: int | None = None
    format: str | None = None
    captured_at: str | None = None      # EXIF DateTimeOriginal / Digitized / IFD0 DateTime (ISO 8601) or None
    phash: str | None = None            # perceptual hash (hex) for burst grouping
    model_version: str | None = None
    measure_version: str | None = None
    note: str | None = None             # how the photo was judged, when that needs saying (a RAW + JPEG pair)
    unread_twin: list | None = None     # the RAW twin that could not be read, see pairs.settled (stored, not JSONL)
    ctime_ns: int | None = None         # the file's status-change time when scored, see replaced.py (stored, not JSONL)
    sample: str | None = None           # samples.sample_of the bytes scored (stored, not JSONL)
    analysis: str | None = None         # analysis.marks: THIN_ANALYSIS, BLOCK_ANALYSIS, comma-separated (stored only)
    captured_subsec: float | None = None  # EXIF SubSecTimeOriginal of captured_at, seconds 0-1 (stored, not JSONL)
    dates: int | None = None            # the rules captured_at was read by, redate.DATE_RULES (None: before
                                        # 2026-12-06; stored, not JSONL)
    judged_twin: list | None = None     # [size, mtime_ns] of the RAW twin a pair was judged from, see pairs.settled
                                        # (stored, not JSONL)
    exposure_ev: float | None = None    # exif.exposure_value: the shot's exposure in EV at ISO 100, from its exposure
                                        # time, f-number and ISO; bursts never link shots of other exposures (an
                                        # exposure bracket). Since 2026-12-07; stored, not JSONL
    camera: list | None = None          # exif.camera_of: [make, model, body serial] of the camera (each a text or
                                        # None); bursts never link shots of two cameras. Since 2026-12-07; stored,
                                        # not JSONL
    exposure_setting: list | None = None  # exif.exposure_setting: [ExposureMode, ExposureBiasValue] (each a number or
                                        # None; the manual mode's ISO third, since rules 6); bursts never link an auto bracket's frames or shots of two biases,
                                        # and link auto-exposed shots of one bias. Since 2026-12-07; stored, not JSONL
    cached: bool = False                # True when reused from the store (not part of the contract)
    moved_from: str | None = None       # reused from this vanished path: moved or renamed by hand (not stored)
    rescored: str | None = None         # scored again, unchanged: why its stored record was not reused (rescored.py;
                                        # not stored)
    redated: bool = False               # reused, its capture time read again by newer date rules (redate.py; not
                                        # stored)

    def to_json(self) -> dict[str, Any]:
        """The public JSONL object (see README). Paths are printable text."""
        from .errors import text_path

        out = {
            "path": text_path(self.path),
            "status": self.status,
            "error": self.error,
            "verdict": self.verdict,
            "p_blurry": _round(self.p_blurry, 4),
            "blur_type": self.blur_type,
            "laplacian_var": shown_laplacian_var(self.laplacian_var),
        }
        scores, grid_box, captured_at = self.scores, self.grid_box, self.captured_at
        if older_records.needs_care(scores, self.grid, grid_box, captured_at):  # one stored by an older blurscan
            scores = older_records.scores_of(scores)
            grid_box = older_records.grid_box_of(self.grid, grid_box)
            captured_at = older_records.captured_at_of(captured_at)
        for name, value in sorted(scores.items()):
            out[name] = _round(value, 4) if isinstance(value, float) else value
        out.update({
            "grid": self.grid,
            "grid_box": grid_box,
            "width": self.width,
            "height": self.height,
            "size": self.size,
            "format": self.format,
            "captured_at": captured_at,
            "model_version": self.model_version,
            "measure_version": self.measure_version,
            "note": self.note,
        })
        return out

    def to_row(self) -> dict[str, Any]:
        """Everything, for the store: a shallow dict, for ``json.dumps`` (``dataclasses.asdict`` deep-copied every
        score and grid cell: 0.2 ms a record, most of the time a scan spends writing records it did not decode,
        those of photos moved by hand, or given their sample, see :mod:`blurscan.replaced`)."""
        return {name: getattr(self, name) for name in _STORED}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "ScanRecord":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})

    @classmethod
    def from_error(cls, ref: ImageRef | str, reason: str) -> "ScanRecord":
        """The record of a file that could not be scored (``status`` ``"error"``, ``error`` = ``reason``)."""
        if isinstance(ref, ImageRef):
            return cls(path=ref.path, status="error", error=reason, size=ref.size, mtime_ns=ref.mtime_ns)
        return cls(path=os.fsdecode(ref), status="error", error=reason)

    failed = _Failed()


#: The fields :meth:`ScanRecord.to_row` stores, in order: all but ``cached``, ``moved_from``, ``rescored`` and
#: ``redated``.
_STORED = tuple(f.name for f in dataclasses.fields(ScanRecord)
                if f.name not in ("cached", "moved_from", "rescored", "redated"))


def stored_shape(record: ScanRecord) -> ScanRecord:
    """``record``, read from a database, when its ``scores`` are an object, as blurscan stores them; otherwise
    ValueError saying what they are (a damaged record: :func:`blurscan.store.stored_record`). Written by hand as
    null, a number or a list into a shared library's database, they stopped ``report --format jsonl`` and ``csv``
    with a TypeError traceback, and a rescan reused the record as it was (until 2026-12-06)."""
    if type(record.scores) is not dict:
        kind = {type(None): "null", bool: "boolean", int: "number", float: "number", str: "text", list: "list"}
        raise ValueError(f"its scores are {kind.get(type(record.scores), 'no object')}, not an object")
    return record


def shown_laplacian_var(value):
    """``laplacian_var`` as the JSONL, CSV and ``evaluate``'s predictions.csv write it (2 decimals; None for
    None or a non-finite value). The baseline's call, ``laplacian_var < 100``, is made on this figure wherever
    blurscan makes it (``evaluate``), so a photo at 99.998 shown as 100.0 is not called blurry by its own figure."""
    return _round(value, 2)


def _round(value, ndigits):
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):  # math, not numpy: 10x cheaper per value on large JSONL outputs
        return None
    return round(value, ndigits)
