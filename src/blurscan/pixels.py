"""Samples of any kind to 8-bit RGB: Pillow's modes, 16-bit and floating-point samples, alpha.

Floating-point samples (a one-channel float TIFF: an HDR merge, a 32-bit export, a scientific camera's file;
an array given to :func:`blurscan.decode.decode_array`) carry no range in the file, so it is told from their
values (:func:`floats_to_uint8`). Until 2026-12-04 values were taken as 0..1 only when none exceeded 1: an HDR
merge with one highlight at 1.5 was read as 0..255 and came out black (scored sharp, "nothing to judge"), and a
0..65535 or 0..4095 file came out white. That day's fix took the median as the test of 0..1, which made a dark
0..255 picture (a night sky, mostly 0) black and white, and read a 0..255 picture sharpened in floats (values
past 255) as 0..1023, four times too dark; both are told apart since.
"""
from __future__ import annotations

import sys

import cv2
import numpy as np
from PIL import Image

from .tiffkind import signed_8, signed_16, white_is_zero, wide_integers


class NoFinitePixels(ValueError):
    """Floating-point samples none of which is a number (all NaN or infinite): no picture to judge. Until 2026-12-05
    a file of them (an all-NaN float TIFF: a failed export, a mask's nodata) decoded as a flat black (or white)
    picture, scored ``sharp``, p_blurry 0, while :func:`blurscan.score_image` refused the same array."""

    def __init__(self) -> None:
        super().__init__("no finite pixel value (all NaN or infinite): nothing to judge")


#: Background for transparent pixels (what browsers and most viewers show behind a photo).
ALPHA_BACKGROUND = 255

#: Floats below this are black in any reading (they round to 0 of 255 even as 0..1).
_BLACK = 0.5 / 255
#: Percentile that tells the range of values beyond 0..1 (the rest may be highlights, clipped).
_WHITE_PERCENTILE = 99.9
#: That percentile up to this is a 0..255 picture, values past 255 clipped: sharpening and resampling in floats
#: overshoot 255 (the 99.9th percentile of photos given a strong unsharp mask reaches 380); one stop.
_OVERSHOOT = 510.0
#: The ranges of sensors and 16-bit files (10- to 16-bit), the white of floats beyond 0..255.
_DEPTHS = (1023.0, 4095.0, 16383.0, 65535.0)
_SAMPLES = 1_000_000  # values looked at to tell the range (a regular subsample of a larger image)


def pil_to_rgb(im: Image.Image) -> np.ndarray:
    """Any Pillow mode -> ``H x W x 3`` uint8 RGB (16-bit scaled, floats by :func:`floats_to_uint8`, alpha
    composited on white, and so are the pixels of a PNG's colour key, its ``transparency``)."""
    mode = im.mode
    key = im.info.get("transparency") if mode in ("L", "RGB", "I", "I;16", "I;16B", "I;16L") else None
    if mode.startswith("I;16") or mode == "I":
        arr = np.asarray(im)
        keyed = arr == key if isinstance(key, int) else None  # (before scaling: the key is a 16-bit value)
        wide = wide_integers(im) if mode == "I" else None
        if wide == "unsigned":  # (Pillow gives their bits as signed integers: tiffkind.wide_integers)
            arr = np.ascontiguousarray(arr).view(np.uint32)
        top = arr.max(initial=0) if mode == "I" else 0
        if wide and top > 65535:  # a TIFF of 32-bit integers past 16 bits': their full range, as 16 bits'
            arr = high_16(arr)
        elif mode == "I" and signed_16(im):  # signed 16-bit samples: 0..32767 as 0..65534, negative values black
            arr = arr.astype(np.int16)  # (its values fit: 2 bytes a pixel, not a clipped copy's 4)
            np.maximum(arr, 0, out=arr)
            arr = np.left_shift(arr.view(np.uint16), 1, out=arr.view(np.uint16))
        elif mode == "I":  # 32-bit int container; Pillow uses it for 16-bit grayscale PNG (values up to 255:
            arr = np.clip(arr, 0, 65535).astype(np.uint16) if top > 255 \
                else np.clip(arr, 0, 255).astype(np.uint8)  # an 8-bit picture, as a TIFF of 32-bit integers)
        arr = to_uint8_16(arr) if arr.dtype != np.uint8 else arr
        if white_is_zero(im):  # a 16-bit white-is-zero TIFF, which Pillow gives as stored: its negative
            np.subtract(255, arr, out=arr)  # (= round((65535 - v) / 257): no v / 257 ends in one half)
        rgb = cv2.cvtColor(np.ascontiguousarray(arr), cv2.COLOR_GRAY2RGB)
        if keyed is not None and keyed.any():  # a PNG's colour key (tRNS): those pixels transparent
            rgb[keyed] = ALPHA_BACKGROUND
        return rgb
    if mode == "F":
        return cv2.cvtColor(floats_to_uint8(np.asarray(im, dtype=np.float32)), cv2.COLOR_GRAY2RGB)
    if mode in ("RGB;16", "RGB;16B", "RGB;16L", "RGBA;16B"):  # pragma: no cover - Pillow-version specific
        im = im.convert("RGB")
        mode = "RGB"
    # a palette's transparent entries, or a grey or RGB PNG's colour key (tRNS: the pixels of that one value
    # transparent, which optimisers such as oxipng and optipng write for an RGBA picture whose alpha is only 0
    # and 255; until 2026-12-05 those pixels were read as their stored colour, often black, not white)
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in im.info) \
        or key is not None
    if has_alpha:
        return composite(np.asarray(im if mode == "RGBA" else im.convert("RGBA")))  # (a copy of an RGBA one: none)
    if mode == "L":
        arr = np.asarray(im)
        if signed_8(im):  # signed 8-bit samples: 0..127 as 0..254, negative values black (Pillow gives their bytes)
            arr = np.left_shift(np.maximum(arr.view(np.int8), 0).view(np.uint8), 1)
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2RGB)
    if mode != "RGB":
        im = im.convert("RGB")  # P, 1, CMYK (Adobe inverted handled by Pillow), YCbCr, LAB, HSV
    return np.asarray(im)


def floats_to_uint8(arr: np.ndarray) -> np.ndarray:
    """Floating-point samples -> uint8 of the same shape, their range told from their values.

    0..1 or 0..255, whichever loses fewer shades: 0..1 when the values above 1 (white in it: an HDR merge's
    highlights, clipped) are no more than those from 1/510 to under 1 (black in 0..255, below its first level;
    values under 1/510 are black in both and not counted: a night sky's black, a 0..255 picture's integers
    tell nothing to the contrary). Else 0..255 when the 99.9th percentile is at most :data:`_OVERSHOOT` (values
    past 255, the overshoot of sharpening in floats, clipped); else white is the smallest of :data:`_DEPTHS` at
    or above that percentile (a 16-bit image kept in floats, 0..65535; a 12-bit camera's, 0..4095), or that
    percentile beyond them, values above white clipped. Negative values are black, NaN and minus infinity 0,
    plus infinity white (a highlight past any white: an HDR merge's overflow; until 2026-12-05 it was 0, and a
    blurred picture whose brightest 3 % were infinite had black holes with hard edges in its highlights, which
    read as sharp detail: ``partial``, p_blurry 0.14, where the same highlights at 1.0 scored ``blurry``). So
    one picture stored as 0..1, as 0..1 with highlights, as 0..255 with overshoot or as 0..65535 decodes alike.
    Samples none of which is finite raise :class:`NoFinitePixels`.
    """
    arr = np.asarray(arr, dtype=np.float32)
    finite = np.isfinite(arr)
    brightest = None
    if not finite.all():
        if not finite.any():
            raise NoFinitePixels()
        brightest = np.isposinf(arr)  # (the range is told from the finite values, as before)
        arr = np.where(finite, arr, np.float32(0))
    del finite
    flat = arr.reshape(-1)
    sample = flat[::max(1, flat.size // _SAMPLES)]
    above = int(np.count_nonzero(sample > 1.0))
    if above <= int(np.count_nonzero((sample >= _BLACK) & (sample < 1.0))):
        white = 1.0
    else:
        top = float(np.percentile(sample, _WHITE_PERCENTILE))
        white = 255.0 if top <= _OVERSHOOT else next((depth for depth in _DEPTHS if depth >= top), top)
    del flat, sample
    whole = arr if arr.ndim else arr.reshape(1)
    out = np.empty(whole.shape, np.uint8)  # (band by band: a scaled copy of the whole picture took 4 bytes a pixel)
    rows = max(1, _BAND // max(1, int(np.prod(whole.shape[1:], dtype=np.int64))))
    for top in range(0, whole.shape[0], rows):
        scaled = whole[top:top + rows] * np.float32(255.0 / white)
        np.rint(scaled, out=scaled)
        out[top:top + rows] = np.clip(scaled, 0, 255, out=scaled)
    out = out.reshape(arr.shape)
    if brightest is not None:
        out[brightest] = 255
    return out


#: ``round(v / 257)`` of every 16-bit value, made at first use (:func:`to_uint8_16`).
_UINT8_OF_16: np.ndarray | None = None


def to_uint8_16(arr: np.ndarray) -> np.ndarray:
    """16-bit samples -> uint8 as OpenCV converts them when it reads: ``round(v / 257)``, 0..65535 onto 0..255.

    Looked up in a 64 KiB table: the arithmetic in 32 bits it replaced took 12 bytes a pixel at its peak, on top
    of the picture (until 2026-12-06 a 120-MP 16-bit grey scan took 1.9 GB to score, more than the 12 bytes a
    pixel :mod:`blurscan.memory_room` expects of a TIFF, where the same scan in 8-bit RGB took 1.6 GB)."""
    global _UINT8_OF_16
    if _UINT8_OF_16 is None:
        _UINT8_OF_16 = ((np.arange(65536, dtype=np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
    return _UINT8_OF_16[np.asarray(arr, dtype=np.uint16)]


def high_16(arr: np.ndarray) -> np.ndarray:
    """32-bit integer samples -> their 16 high bits, ``uint16``: ``uint32`` 0..2**32-1 (``int32`` 0..2**31-1,
    negative values black) onto 0..65535, which :func:`to_uint8_16` brings to 8 bits (an 8-bit value ``g`` stored
    as ``g * 16843009``, the 32-bit white over 255, comes back as ``g``). Unsigned, the high halves are read in
    place: no copy of the picture."""
    arr = np.ascontiguousarray(arr)
    if arr.dtype != np.uint32:
        return np.right_shift(np.maximum(arr.astype(np.int32, copy=False), 0), 15).astype(np.uint16)
    halves = arr.view(np.uint16)  # (each sample's two halves, side by side along its row)
    return halves[..., 1::2] if sys.byteorder == "little" else halves[..., 0::2]


#: Pixels composited at a time (:func:`composite`, in bands of whole rows): its 16-bit arithmetic over a band of
#: some 2 MB, not over the whole picture.
_BAND = 1 << 17


def composite(rgba: np.ndarray) -> np.ndarray:
    """Alpha-composite an RGBA (or gray+alpha as RGBA) uint8 array over :data:`ALPHA_BACKGROUND`.

    Band by band of :data:`_BAND` pixels: over the whole picture at once its 16-bit arithmetic took some 26 bytes a
    pixel at its peak, and until 2026-12-06 a 24-MP RGBA TIFF took 34 bytes a pixel to score, nearly three times
    the 12 that :mod:`blurscan.memory_room` expects (an 8-bit RGB one: 13); same values."""
    rgba = np.asarray(rgba)
    out = np.empty(rgba.shape[:-1] + (3,), np.uint8)
    rows = max(1, _BAND // max(1, int(np.prod(rgba.shape[1:-1], dtype=np.int64))))
    for top in range(0, rgba.shape[0], rows):
        band = rgba[top:top + rows]
        rgb = band[..., :3].astype(np.uint16)
        a = band[..., 3:4].astype(np.uint16)
        rgb *= a
        rgb += ALPHA_BACKGROUND * (255 - a) + 127  # (at most 255 * 255 + 127: within 16 bits)
        rgb //= 255
        out[top:top + rows] = rgb
    return out
