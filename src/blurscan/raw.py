"""Camera RAW files (CR2, CR3, NEF, ARW, DNG, ORF, RW2, RAF ...) read with LibRaw, through ``rawpy``.

A scan judges what the photographer saw, at the analysis scale (long side 1024 px), so it does not develop
the sensor data when it need not. Almost every RAW file carries a JPEG preview rendered by the camera
(demosaiced, white-balanced, sharpened, as the camera's own JPEG): full size in Canon's and Nikon's files,
1616 px or more in Sony's, Fujifilm's, Panasonic's and Olympus'. When the preview is at least the analysis
size (:func:`read`'s ``long_side``, 2.5 % tolerance as for DCT-scaled JPEGs), :mod:`blurscan.decode` decodes
it with the JPEG path (reduced decoding included) and ignores the rest of the file. When it is smaller or
missing (some DNGs), LibRaw develops the sensor data at half size (each 2 x 2 block of the colour filter
array becomes one RGB pixel: no interpolation, about 4x less work than a full development, and half of any
sensor of the last 15 years is still above 1024 px), with the camera's white balance.

The preview is stored as the sensor saw it; the orientation comes from the RAW's own metadata (LibRaw's
``flip``), never from the preview's EXIF. The exposure basics come from LibRaw too (else from the file's EXIF), and
so does the capture time of a RAW that has no EXIF date blurscan reads: a TIFF-based RAW's (DNG, CR2, NEF, ARW ...),
a Canon CR3's and a Fujifilm RAF's (since 2026-12-07) is read from its own EXIF, with its fraction of a second and
its offset, and its camera with it (:mod:`blurscan.rawtimes`).

Errors are :class:`~blurscan.errors.DecodeError` with one line naming the format: a file LibRaw does not
recognise, a truncated or corrupt one.
"""
from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from .analysis import analysis_size
from .errors import DecodeError
from .jpeg import decoder_stderr_silenced
from .jpegexif import bounded
from .rawtimes import capture_time


def _rawpy():
    """The ``rawpy`` module, imported on the first RAW file (4-5 ms that a scan worker process paid as it started,
    in libraries without RAW files too: see :mod:`blurscan.heif`); None when it is not installed."""
    try:
        import rawpy  # the import system's own lock makes a first import from two threads at once safe
    except ImportError:  # pragma: no cover - rawpy is a dependency; a broken install still gets a clear line
        return None
    return rawpy


def __getattr__(name: str):
    if name == "rawpy":  # ``raw.rawpy`` and ``from .raw import rawpy`` still work, importing it then
        return _rawpy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: A preview this much smaller than the analysis size is still used (as :data:`blurscan.jpeg.DCT_SCALE_TOLERANCE`).
PREVIEW_TOLERANCE = 0.025

#: LibRaw's ``flip`` (dcraw's bits: 4 swap the axes, 2 turn the rows over, 1 the columns; it maps EXIF
#: orientation 1..8 to 0, 1, 3, 2, 4, 6, 7, 5) -> that EXIF orientation.
_FLIP_TO_ORIENTATION = {0: 1, 1: 2, 3: 3, 2: 4, 4: 5, 6: 6, 7: 7, 5: 8}


@dataclass
class RawContents:
    """What a scan needs from a RAW file: one picture (a JPEG preview or developed pixels) and metadata.

    Attributes
    ----------
    width, height : int
        Size of the developed photo before orientation (LibRaw's ``sizes.width``/``height``).
    orientation : int
        EXIF orientation (1 to 8, mirrors included) to apply to the picture.
    preview_jpeg : bytes or None
        The camera's JPEG preview, when it is large enough.
    pixels : ndarray or None
        Otherwise ``H x W x 3`` uint8 RGB: an uncompressed preview or the half-size development.
    exif : dict
        ``captured_at`` (ISO 8601 or None), ``captured_subsec`` when known, and the exposure basics LibRaw read.
    """

    width: int
    height: int
    orientation: int
    preview_jpeg: bytes | None = None
    pixels: np.ndarray | None = None
    exif: dict = field(default_factory=lambda: {"captured_at": None})


def read(data: bytes, path, name: str, long_side: int, max_pixels: int) -> RawContents:
    """Open the RAW file held in ``data`` and return the picture to judge.

    Parameters
    ----------
    data : bytes
        The whole file (as :func:`blurscan.fileread.read_once` read it).
    path : str or os.PathLike
        For error messages.
    name : str
        The format's name (``"NEF"``, ``"CR3"`` ...), for error messages.
    long_side : int
        The analysis size: a preview whose long side reaches it (within :data:`PREVIEW_TOLERANCE`, or the
        photo's own long side when that is smaller) is used as it is.
    max_pixels : int
        Decompression-bomb limit on the sensor's size.

    Raises
    ------
    DecodeError
        The file cannot be read by LibRaw (unknown camera, corrupt or truncated data) or is too large.
    """
    rawpy = _rawpy()
    if rawpy is None:  # pragma: no cover
        raise DecodeError(path, f"camera RAW file ({name}): not read (the rawpy package is not installed)")
    try:
        with decoder_stderr_silenced():  # LibRaw prints its complaints about damaged files on stderr
            with rawpy.imread(io.BytesIO(data)) as rp:
                sizes = rp.sizes
                n = int(sizes.raw_width) * int(sizes.raw_height)
                if n > max_pixels:
                    from .decode_reasons import BOMB_HINT

                    raise DecodeError(path, f"decompression bomb: {n} pixels > limit {max_pixels} ({BOMB_HINT})")
                out = RawContents(width=int(sizes.width), height=int(sizes.height),
                                  orientation=_FLIP_TO_ORIENTATION.get(int(sizes.flip), 1), exif=_exif(rp, data))
                # the analysis image's long side: min(long_side, RAW's), larger for a long thin RAW (a stitched
                # panorama), whose 1024-px preview would be thinner than the model's window (blurscan.analysis)
                want = max(analysis_size(out.width, out.height, long_side)) * (1 - PREVIEW_TOLERANCE)
                if _take_preview(rp, out, want, len(data)):
                    return out
            # a failed preview extraction can leave LibRaw's state unusable: develop from a fresh handle
            with rawpy.imread(io.BytesIO(data)) as rp:
                if int(rp.num_colors) == 1:
                    out.pixels = _one_colour(rp)
                else:
                    out.pixels = _as_rgb(rp.postprocess(half_size=True, user_flip=0, use_camera_wb=True,
                                                        output_bps=8), path, name)
            return out
    except DecodeError:
        raise
    except Exception as exc:
        raise DecodeError(path, _reason(exc, name)) from None


def _take_preview(rp, out: RawContents, want: float, file_size: int) -> bool:
    """Put the embedded preview into ``out`` when it is large enough; False when there is none such.

    An uncompressed preview is stored in the file whole, so one whose size (its header's) would take more bytes
    than the file has is damaged, and left alone: LibRaw copies only the bytes the file gives it, and rawpy shows
    them as an array of the size the header claims, so that reading it read far outside those bytes, and a
    13 kB DNG claiming a 15000 x 15000 preview killed the scan with a segmentation fault (until 2026-12-05)."""
    try:
        thumb = rp.extract_thumb()
    except Exception:  # no preview, or one LibRaw cannot unpack: develop the sensor data instead
        return False
    if thumb.format == _rawpy().ThumbFormat.JPEG:
        try:
            with Image.open(io.BytesIO(bounded(bytes(thumb.data))), formats=["JPEG"]) as im:
                size = im.size
        except Exception:
            return False
        if max(size) >= want:
            out.preview_jpeg = bytes(thumb.data)
            return True
        return False
    pixels = np.asarray(thumb.data)
    if pixels.nbytes > file_size:  # (its shape only is read: its bytes beyond the copied ones are not there)
        return False
    if pixels.ndim == 3 and pixels.shape[2] == 3 and pixels.dtype == np.uint8 and max(pixels.shape[:2]) >= want:
        out.pixels = np.ascontiguousarray(pixels)
        return True
    return False


def _one_colour(rp) -> np.ndarray:
    """A sensor of one colour (a monochrome camera's DNG) developed here from its visible sensor values, at half
    size as LibRaw's ``half_size`` develops colour ones: black and white levels, an area average, LibRaw's default
    curve (BT.709: gamma 0.45, slope 4.5), grey in three channels. LibRaw's own development of such a file came
    out all black whenever a larger colour RAW had been developed before in the same process (a scan worker's
    case; half of the test suite's runs), until 2026-12-05."""
    import cv2

    raw = np.asarray(rp.raw_image_visible, dtype=np.float32)
    black = float(rp.black_level_per_channel[0])
    white = float(rp.white_level)
    linear = np.clip((raw - black) / max(white - black, 1.0), 0.0, 1.0)
    h, w = linear.shape[:2]
    linear = cv2.resize(linear, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    curve = np.where(linear < 0.018, 4.5 * linear, 1.099 * np.power(linear, 0.45) - 0.099)
    grey = (np.clip(curve, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))


def _as_rgb(pixels: np.ndarray, path, name: str) -> np.ndarray:
    """LibRaw's development as ``H x W x 3`` RGB. A sensor with one colour (a monochrome camera's DNG, whose
    colour filter pattern has one colour) is developed as ``H x W x 1``, which the analysis took for colour and
    OpenCV refused with a page of C++ (until 2026-12-05): its grey is repeated into three channels."""
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise DecodeError(path, f"camera RAW file ({name}) with {pixels.shape[-1]} colour channels: not supported")
    return np.ascontiguousarray(pixels)


def _exif(rp, data: bytes) -> dict:
    """``captured_at`` (and ``captured_subsec``) and the exposure basics, as :func:`blurscan.exif.exif_dict` names
    them. The time is the file's EXIF's where it has a valid date (:mod:`blurscan.rawtimes`: a TIFF-based RAW, a CR3
    or a RAF), to the fraction of the second and with its offset, as a JPEG's; else LibRaw's, in whole seconds of
    the wall clock (every RAW's until 2026-12-05, a CR3's and a RAF's until 2026-12-07). The exposure basics are
    LibRaw's where it gives them, else the EXIF's. rawpy before 0.27 gives none of LibRaw's (no ``other``): the
    file's EXIF time and exposure are still read (until 2026-12-06 no RAW had a capture time there)."""
    out: dict = {"captured_at": None}
    try:
        other = rp.other
    except Exception:  # metadata is a nicety (rawpy 0.21-0.26: an AttributeError)
        other = None
    stamp = getattr(other, "timestamp", None)
    if isinstance(stamp, _dt.datetime) and stamp.year > 1970:  # LibRaw's 0 means "not recorded"
        out["captured_at"] = stamp.replace(microsecond=0).isoformat()
    out.update(capture_time(data))
    if other is None:
        return out
    for key, value in (("exposure_time", other.shutter_speed), ("f_number", other.aperture),
                       ("iso", other.iso_speed), ("focal_length", other.focal_length)):
        if value and value > 0:
            out[key] = int(value) if key == "iso" else float(value)
    return out


def _reason(exc: BaseException, name: str) -> str:
    """One line for a LibRaw failure."""
    kind = type(exc).__name__
    if kind in ("LibRawFileUnsupportedError", "LibRawUnsupportedThumbnailError"):
        return f"camera RAW file ({name}) that LibRaw cannot read (an unsupported camera, or a damaged file)"
    if kind in ("LibRawIOError", "LibRawDataError", "LibRawTooBigError", "LibRawRequestForNonexistentImageError"):
        return f"truncated or corrupt camera RAW file ({name})"
    if isinstance(exc, MemoryError):
        return "out of memory while decoding"
    return f"cannot decode camera RAW file ({name}): {exc or kind}"
