"""Files to :class:`~blurscan.records.DecodedImage`: formats, EXIF, reduced JPEG decoding, bomb guard.

Every image is read **once** (:func:`blurscan.fileread.read_once`: opened read-only, size and modification
time from the open descriptor, every byte in memory) and its format told from its signature
(:func:`blurscan.fileread.sniff`); every decode works from those bytes, so a file replaced in the middle of a
scan is never half-read twice. Anything that goes wrong raises one error type,
:class:`~blurscan.errors.DecodeError`, whose message names the file and gives a one-line reason.

JPEGs, the common case and the one that dominates a scan's cost, are decoded by :mod:`blurscan.jpeg`
(libjpeg-turbo's full-resolution luma and DCT-scaled decodes, with the measurements behind them).

Truncation: OpenCV fills a truncated JPEG with gray and only warns, so a JPEG whose data does not end with the EOI
marker (after padding) goes to Pillow, which raises on truncation (but decodes zero bytes: data that runs into them, a
file half written in place, is refused first, as a WebP or HEIC, :mod:`blurscan.unfinished`); one with data after EOI
(motion photos) is cut at that marker and decoded as any other. Damage in the middle of the data (bytes overwritten),
decoded grey or garbled with only a warning, is told from what libjpeg says (:mod:`blurscan.jpegdamage`): ``corrupt
JPEG data: ...``. Pillow's libjpeg keeps its warnings to itself: the JPEGs it decodes (CMYK, or truncated) are refused
only when libjpeg gives up: ``corrupt JPEG data``, or ``truncated JPEG`` when the data ends before the picture's end
marker (Pillow says "broken data stream" of both). A WebP, HEIC or AVIF cut short: ``truncated WEBP`` ...

A PNG that Pillow refuses for its metadata alone (text over its 1 MiB guard, an ancillary chunk's wrong CRC)
is decoded again without that metadata (:mod:`blurscan.pngsalvage`).

Orientation: the Laplacian is invariant to 90-degree rotations and flips (symmetric kernel and border), so the
baseline is computed on the unrotated gray image; ``rgb``/``gray``/``width``/``height`` are after EXIF orientation.
"""
from __future__ import annotations

import io
import logging
import os
import time
import warnings

import cv2
import numpy as np
from PIL import Image

from .analysis import analysis_size, fitted_size, image_size
from .config import ScanSettings
from .errors import DecodeError, decoder_reason
from .fileread import is_raw, read_once, sniff
from .samples import sample_of
from .scaled import analysis_pixels, block_gray, resize as _resize
from .tiffkind import readable_page
from .exif import exif_dict as _exif_dict, orientation as _orientation, safe_exif as _safe_exif
from .pixels import composite as _composite, pil_to_rgb as _pil_to_rgb
from . import cutshort, filetime, heif, jpeg, jpegend, jpegexif, jpegkind, metadates, pngsalvage, raw, srgb, unfinished
from .pillowguard import pixel_limit
from .decode_reasons import check_bomb, pil_formats, pil_reason
from .records import DecodedImage

log = logging.getLogger(__name__)

# Pillow's guard: the program's, but settings.max_pixels (checked from the header too) in our opens (pillowguard)

#: Bumped whenever a change here or in :mod:`blurscan.jpeg` changes decoded pixels (part of the cache key).
DECODE_VERSION = "2"  # 2: large JPEGs scanned by a luminance model analysed from the full-resolution luma


# --------------------------------------------------------------------------------------------- public API

def decode(path: str | os.PathLike, settings: ScanSettings = ScanSettings(), *,
           baseline: bool | None = None, color: bool = True) -> DecodedImage:
    """Decode an image file for analysis.

    Parameters
    ----------
    path : str or os.PathLike
        The image file (JPEG, PNG, WebP, TIFF, BMP, GIF (first frame), Netpbm, HEIC/HEIF, AVIF, camera RAW: :mod:`.raw`).
    settings : ScanSettings
        ``analysis_long_side`` (size of ``rgb``/``gray``) and ``max_pixels`` (decompression-bomb guard).
    baseline : bool, optional
        Compute the full-resolution seed baseline ``laplacian_var``. Default: the setting
        ``full_res_baseline`` when ScanSettings has it, else True. False is "fast mode".
    color : bool
        False when only ``gray`` is wanted (the scan with a luminance model): a large JPEG is then analysed
        from its luma alone (the full-resolution luma decoded for the baseline anyway, or in fast mode the
        DCT-scaled luma), and ``rgb`` is None (see :mod:`blurscan.jpeg`); so is a picture of another format
        analysed at a block-scaled size, whose gray is made from its full-resolution gray as a JPEG's
        (:mod:`blurscan.scaled`). Other images decode as with True.

    Returns
    -------
    DecodedImage
        ``rgb``/``gray`` at the analysis scale (long side ``min(analysis_long_side, original)``, or the 1/2,
        1/4 or 1/8 scale when that is up to 2.5 % smaller, as libjpeg's DCT scaling gives a JPEG, see
        :func:`blurscan.analysis.block_scale`; larger for a long thin photo, see
        :func:`blurscan.analysis.analysis_size`), EXIF-rotated;
        ``width``/``height`` of the original after rotation; ``size``/``mtime_ns`` of the file as read.

    Raises
    ------
    DecodeError
        For any file that cannot be read or decoded; the message names the file and the reason.
    """
    if baseline is None:
        baseline = bool(getattr(settings, "full_res_baseline", True))
    data, st = read_once(path, max_pixels=settings.max_pixels)
    read_at = time.time_ns()  # (the decoding may take seconds: a change after the read is judged from here)
    try:
        with pixel_limit(settings.max_pixels):
            out = _decode_bytes(data, path, settings, baseline, color)
    except DecodeError:
        raise
    except Exception as exc:  # a decoder failing in a way we did not foresee: still one clear line
        if known := decoder_reason(exc):  # (memory, OpenCV's pixel limit: was "cannot decode: error: OpenCV(...")
            raise DecodeError(path, known) from None
        log.debug("decoder failure for %r", path, exc_info=True)
        raise DecodeError(path, f"cannot decode: {type(exc).__name__}: {exc}") from None
    out.path = os.fsdecode(path)
    out.fitted_long_side = min(settings.analysis_long_side, max(out.width, out.height))
    _set_file_identity(out, st, data, read_at)
    return out


def decode_array(array: np.ndarray, settings: ScanSettings = ScanSettings(), *,
                 path: str = "<array>", baseline: bool | None = None) -> DecodedImage:
    """Wrap an in-memory image as a :class:`DecodedImage` (no EXIF, no rotation).

    Parameters
    ----------
    array : ndarray
        ``H x W`` gray, ``H x W x 3`` RGB or ``H x W x 4`` RGBA (not channels first); uint8, or uint16
        (scaled to 8 bits as OpenCV does: ``round(v / 257)``; but with no value above 4095, a 10- or 12-bit
        sensor's, the range told from the values as for floats), or float (0..1, values above 1 clipped as
        highlights; 0..255; 0..65535, 0..4095 ...: the range told from the values,
        :func:`blurscan.pixels.floats_to_uint8`; refused with many values below 0: a normalised tensor), or
        bool. See :mod:`blurscan.arrays`.
    settings : ScanSettings
        ``analysis_long_side`` is used.
    path : str
        Name to put in the record and in error messages.
    baseline : bool, optional
        Compute ``laplacian_var`` from the full-resolution gray image (default: the setting
        ``full_res_baseline``).

    Raises
    ------
    DecodeError
        If the array is not an image of a supported shape / dtype, or a float array with many negative values.
    """
    if baseline is None:
        baseline = bool(getattr(settings, "full_res_baseline", True))
    from .arrays import to_uint8

    arr = to_uint8(np.asarray(array), path)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = _composite(arr)
    if arr.ndim == 2:
        gray_full = np.ascontiguousarray(arr)
        rgb_full = None
    else:
        rgb_full = np.ascontiguousarray(arr)
        gray_full = cv2.cvtColor(rgb_full, cv2.COLOR_RGB2GRAY)
    h, w = gray_full.shape
    lap = _baseline(gray_full) if baseline else None
    tw, th = image_size(w, h, settings.analysis_long_side)  # block-scaled as a JPEG would be (blurscan.scaled)
    if rgb_full is None:
        gray = _resize(gray_full, tw, th)
        rgb = cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)
    else:
        rgb = _resize(rgb_full, tw, th)
        gray = block_gray(rgb, gray_full, settings.analysis_long_side)
    return DecodedImage(path=path, rgb=rgb, gray=gray, width=w, height=h, format="array",
                        laplacian_var=lap, exif={"captured_at": None},
                        fitted_long_side=min(settings.analysis_long_side, max(w, h)))


def thumbnail(path: str | os.PathLike, long_side: int = 512, *, quality: int = 85,
              max_pixels: int | None = None, data: bytes | None = None) -> bytes:
    """A small EXIF-rotated JPEG of ``path`` for the review page (reduced decode for JPEGs).

    Parameters
    ----------
    path : str or os.PathLike
        Image file.
    long_side : int
        Long side of the thumbnail in pixels (never upscaled).
    quality : int
        JPEG quality of the thumbnail.
    max_pixels : int, optional
        Decompression-bomb limit; default ``ScanSettings().max_pixels``.
    data : bytes, optional
        The file's bytes, read already (the review server reads them through the descriptor it checked,
        :func:`blurscan.review.security.read_known_file`): decoded instead of reading ``path`` again.

    Returns
    -------
    bytes
        A baseline JPEG. For an image that cannot be decoded but has a camera RAW twin (a RAW + JPEG pair whose
        JPEG is damaged, which the scan judged from the RAW: :mod:`blurscan.pairs`), the RAW's picture, unless
        the twin is a symbolic link (the review page serves none).

    Raises
    ------
    DecodeError
        If the file cannot be read or decoded (nor its RAW twin).
    """
    if long_side < 1:
        raise ValueError("long_side must be >= 1")
    limit = ScanSettings().max_pixels if max_pixels is None else max_pixels
    with pixel_limit(limit):
        try:
            return _thumbnail(path, long_side, quality, limit, data=data)
        except DecodeError as exc:
            error = exc
        from .twins import raw_twin  # only on failure: one listing of the folder

        twin = raw_twin(path)
        if twin is not None:
            try:  # never through a symbolic link: the review page serves none (a link there showed any picture)
                return _thumbnail(twin, long_side, quality, limit, nofollow=True)
            except DecodeError:
                pass
    raise error


def _thumbnail(path, long_side: int, quality: int, limit: int, *, nofollow=False, data: bytes | None = None) -> bytes:
    if data is None:
        data, _ = read_once(path, nofollow=nofollow, max_pixels=limit)
    fmt = sniff(data, path)
    if is_raw(fmt):
        settings = ScanSettings(analysis_long_side=max(64, long_side), max_pixels=limit)  # (its least)
        return _jpeg_bytes(_decode_raw(data, path, fmt, settings, False, True).rgb, quality)
    try:
        rgb, profile = _thumbnail_rgb(data, path, fmt, long_side, limit)
    except DecodeError:
        whole = _salvaged(data)
        if whole is None:
            raise
        rgb, profile = _thumbnail_rgb(whole, path, fmt, long_side, limit)
    h, w = rgb.shape[:2]  # (in sRGB, as a browser shows a JPEG without a profile: blurscan.srgb)
    return _jpeg_bytes(srgb.in_srgb(_resize(rgb, *fitted_size(w, h, long_side)), profile), quality)


def _thumbnail_rgb(data: bytes, path, fmt: str, long_side: int, limit: int) -> tuple[np.ndarray, object]:
    """The picture upright, at least ``long_side`` (a JPEG draft-scaled), by Pillow; its profile (srgb.pixels)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(jpegexif.bounded(data)), formats=pil_formats(fmt))  # (see jpegexif)
            im = readable_page(im, lambda: Image.open(io.BytesIO(jpegexif.bounded(data)), formats=pil_formats(fmt)))
            check_bomb(path, im.size, limit)
            if im.format in ("JPEG", "MPO") and _scalable(data):  # (MPO: a Multi-Picture JPEG, Ultra HDR's)
                im.draft("RGB", (long_side, long_side))
            im.load()  # then turned by the orientation the scan applies (_decode_image), not by exif_transpose's own
            rgb, profile = srgb.pixels(im)  # reading: it took no ASCII "6" (sideways beside the blur map: 2026-12-06)
            return np.ascontiguousarray(_orient(rgb, _orientation(_safe_exif(im)) if fmt != "HEIF" else 1)), profile
    except DecodeError:
        raise
    except Exception as exc:
        raise DecodeError(path, pil_reason(exc, fmt, data)) from None


def _scalable(data: bytes) -> bool:
    """Whether libjpeg can decode the JPEG scaled (``draft``): not a lossless one, which it then refuses."""
    kind = jpegkind.frame(data)
    return kind is None or not kind.lossless


def _jpeg_bytes(rgb: np.ndarray, quality: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ file identity

def _set_file_identity(out: DecodedImage, st: os.stat_result, data: bytes, read_at: int) -> None:
    # ``size``/``mtime_ns`` of the bytes actually decoded (the store's cache key must match them), and their
    # sample, which tells them from other bytes of that size and time (blurscan.replaced); ``read_at``: when they
    # were read (``time.time_ns()``), not the end of their decoding: until 2026-12-07 a decoding of seconds (a large
    # RAW, a loaded machine) stored a coarse status-change time that a change during it left as it was
    out.size = st.st_size
    out.mtime_ns = filetime.mtime_of(st)
    out.ctime_ns = filetime.ctime_of(st, read_at)  # (None when it may change again unseen: see ctime_of)
    out.sample = sample_of(data)


# ------------------------------------------------------------------------------------------ decoding

def _decode_bytes(data: bytes, path, settings: ScanSettings, baseline: bool, color: bool = True) -> DecodedImage:
    try:
        return _decode_image(data, path, settings, baseline, color)
    except DecodeError:
        whole = _salvaged(data)
        if whole is None:
            raise
    return _decode_image(whole, path, settings, baseline, color)


def _salvaged(data: bytes) -> bytes | None:
    """A PNG Pillow refuses for its metadata alone, without that metadata (:mod:`blurscan.pngsalvage`); else None."""
    if not data.startswith(b"\x89PNG"):
        return None
    return pngsalvage.salvage(data)


def _decode_image(data: bytes, path, settings: ScanSettings, baseline: bool, color: bool) -> DecodedImage:
    fmt = sniff(data, path)
    if is_raw(fmt):
        return _decode_raw(data, path, fmt, settings, baseline, color)
    if fmt == "HEIF" and not heif.register_opener():  # pragma: no cover
        raise DecodeError(path, "unsupported format (HEIF needs pillow-heif)")
    if unfinished.zero_filled(data, fmt, settings.max_pixels):  # a file still being written in place: decoders
        raise DecodeError(path, unfinished.reason(fmt))  # read the zeros (a RAW is read by LibRaw: not told)
    if fmt == "TIFF" and (fault := cutshort.tiff_fault(data)):  # (an uncompressed tiled one decoded, its missing
        raise DecodeError(path, fault)  # or unlisted tiles black, and was scored: until 2026-12-06, -07)
    im = _open(data, path, fmt, settings)
    exif = metadates.png_dated(_exif_dict(_safe_exif(im), im.info), data, fmt)  # (XMP's date too; PNG's late)
    rgb, gray, lap, (w0, h0) = _pixels(im, data, path, fmt, settings, baseline, color)
    # The orientation still to apply, read once the pixels are in: libheif applies the HEIF transforms
    # (irot/imir) itself and pillow-heif drops the EXIF orientation; Pillow 13 turns a TIFF upright as it opens
    # it (its size is already upright) and drops the tag on loading; JPEG (decoded by OpenCV from the bytes),
    # PNG, WebP and AVIF report it in EXIF and are stored unturned.
    orientation = _orientation(_safe_exif(im)) if fmt != "HEIF" else 1
    return _oriented(path, rgb, gray, lap, w0, h0, orientation, fmt, exif)


def _decode_raw(data: bytes, path, fmt: str, settings: ScanSettings, baseline: bool, color: bool) -> DecodedImage:
    """A camera RAW file: its JPEG preview through the JPEG path, or LibRaw's half-size development."""
    contents = raw.read(data, path, fmt, settings.analysis_long_side, settings.max_pixels)
    if contents.preview_jpeg is not None:
        preview = contents.preview_jpeg
        rgb, gray, lap, _ = _pixels(_open(preview, path, "JPEG", settings), preview, path, "JPEG", settings,
                                    baseline, color)
    else:
        full = contents.pixels
        gray_full = cv2.cvtColor(full, cv2.COLOR_RGB2GRAY) if baseline else None
        lap = _baseline(gray_full) if baseline else None
        rgb, gray = analysis_pixels(full, gray_full, settings.analysis_long_side, color)
    return _oriented(path, rgb, gray, lap, contents.width, contents.height, contents.orientation, fmt,
                     contents.exif)


def _open(data: bytes, path, fmt: str, settings: ScanSettings) -> Image.Image:
    """Pillow's lazy image (header read, no pixels yet), after the decompression-bomb check."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(jpegexif.bounded(data)), formats=pil_formats(fmt))  # (see jpegexif)
    except Exception as exc:
        raise DecodeError(path, pil_reason(exc, fmt, data)) from None
    im = readable_page(im, lambda: Image.open(io.BytesIO(jpegexif.bounded(data)), formats=pil_formats(fmt)))
    check_bomb(path, im.size, settings.max_pixels)
    return im


def _pixels(im: Image.Image, data: bytes, path, fmt: str, settings: ScanSettings, baseline: bool, color: bool):
    """``(rgb or None, gray or None, laplacian_var, (w, h))`` of an opened image, before orientation."""
    # a JPEG that does not end with its end marker is truncated, unless data follows the marker (a motion
    # photo's video): then its picture is cut there and decoded as any other, damage told from libjpeg's words
    whole = jpegend.picture(data) if fmt == "JPEG" and im.mode in ("RGB", "L") else None
    if whole is not None:
        target = analysis_size(*im.size, settings.analysis_long_side)
        return *jpeg.decode_fast(whole, path, im.size, target, baseline, color), im.size
    return _decode_pillow(im, data, path, fmt, settings, baseline, color)


def _oriented(path, rgb, gray, lap, w0: int, h0: int, orientation: int, fmt: str, exif: dict) -> DecodedImage:
    """The record of a decoded image: ``rgb``/``gray`` turned upright, ``gray`` made from ``rgb`` if any."""
    if orientation in (5, 6, 7, 8):
        w0, h0 = h0, w0
    if rgb is not None:
        rgb = np.ascontiguousarray(_orient(rgb, orientation))
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    else:
        gray = np.ascontiguousarray(_orient(gray, orientation))
    return DecodedImage(path=os.fsdecode(path), rgb=rgb, gray=gray, width=w0, height=h0, format=fmt,
                        laplacian_var=lap, exif=exif)


def _decode_pillow(im: Image.Image, data: bytes, path, fmt: str, settings, baseline, color):
    """Every other case: Pillow (draft-scaled when no full-resolution baseline is wanted), as
    :func:`_pixels` returns it. Analysed as a JPEG decoded by :mod:`blurscan.jpeg` would be
    (:func:`blurscan.scaled.analysis_pixels`), but for the JPEGs that come here (CMYK, truncated), resized to
    :func:`~blurscan.analysis.analysis_size` as before (their records do not say they came here: changing them
    would mean judging every JPEG of such a size again)."""
    w0, h0 = im.size
    tw, th = analysis_size(w0, h0, settings.analysis_long_side)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fmt == "JPEG" and not baseline and _scalable(data):
                im.draft("RGB" if im.mode in ("RGB", "L") else im.mode, (tw, th))
            if fmt == "GIF":
                im.seek(0)
            if fmt == "PNG":  # Pillow checks chunk CRCs only in verify() (cheap: no inflating)
                Image.open(io.BytesIO(data), formats=["PNG"]).verify()
            im.load()
            rgb = _pil_to_rgb(im)
    except DecodeError:
        raise
    except Exception as exc:
        raise DecodeError(path, pil_reason(exc, fmt, data)) from None
    gray_full = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if baseline else None
    lap = _baseline(gray_full) if baseline else None
    if fmt == "JPEG":
        return _resize(rgb, tw, th), None, lap, (w0, h0)
    return *analysis_pixels(rgb, gray_full, settings.analysis_long_side, color), lap, (w0, h0)


def _baseline(gray_full: np.ndarray) -> float:
    from .measures import laplacian_var  # measures imports nothing from here

    return laplacian_var(gray_full)


def _orient(arr: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF orientation (1-8) to an ``H x W [x C]`` array, as ``ImageOps.exif_transpose``."""
    if orientation == 2:
        return arr[:, ::-1]
    if orientation == 3:
        return arr[::-1, ::-1]
    if orientation == 4:
        return arr[::-1]
    if orientation == 5:
        return arr.swapaxes(0, 1)
    if orientation == 6:
        return np.rot90(arr, -1)
    if orientation == 7:
        return np.rot90(arr, 2).swapaxes(0, 1)
    if orientation == 8:
        return np.rot90(arr, 1)
    return arr
