"""In-memory images (what :func:`blurscan.score_image` takes besides a file) to 8-bit samples.

A Pillow image is read as its file is (:func:`blurscan.pixels.pil_to_rgb`): until 2026-12-05 it went through
Pillow's ``convert("RGB")``, which clips 16-bit samples (modes ``I;16``, ``I``) to white and makes 0..1 floats
(mode ``F``) black, so a blurred 16-bit PNG or float TIFF opened with Pillow scored ``sharp``, p_blurry 0, while
its file scored ``blurry``.

An array's samples (:func:`to_uint8`):

* uint8 as they are; bool as 0 / 255;
* uint16 as 0..65535 (OpenCV's ``round(v / 257)``, as a 16-bit file is read), except when no value exceeds
  :data:`LOW_BITS_MAX` (4095): then its range is told from its values as a float array's is, so a 10- or 12-bit
  sensor's samples kept in uint16 (0..1023, 0..4095) score as they do in float32. Until 2026-12-05 they were
  taken as 0..65535 and came out nearly black (``sharp``, nothing to judge). A 16-bit picture whose every value
  is at most 4095 (four stops under white) is brightened so, where its file is read as 0..65535.
* floats by :func:`blurscan.pixels.floats_to_uint8` (0..1, 0..255, 0..4095 ... told from the values), but an
  array with many values well below 0 (:func:`refuse_negative`) is refused: a normalised tensor (torchvision's
  ``Normalize``, or -1..1), whose negatives were clipped to black, its shadows lost and its verdict changed.
"""
from __future__ import annotations

import os
import threading

import numpy as np

from .errors import DecodeError

#: A uint16 array whose values are all at most this holds fewer than 16 bits (a 10- or 12-bit sensor's samples).
LOW_BITS_MAX = 4095
#: A float array is refused when its 1st percentile is below minus this share of its 99th: the negatives are
#: picture (a normalised tensor), not the ringing of resampling or sharpening in floats. Measured on the 24
#: Kodak photos as 0..1 floats: Lanczos or bicubic resampling gives a 1st percentile >= 0; a strong unsharp
#: mask (amount 2, sigma 1) at least -0.17 of the 99th; ImageNet-normalised at most -0.52, scaled to -1..1 at
#: most -0.70 (and -0.37 / -0.58 for the same photos brightened to mostly white, of which some pass).
NEGATIVE_SHARE = 0.25
_SAMPLES = 1_000_000  # values looked at (a regular subsample of a larger array)
_LAYOUTS = "H x W (gray), H x W x 3 (RGB) or H x W x 4 (RGBA)"
#: Pillow reads an opened image's file when it is first loaded, and two threads loading the same image at once
#: read it through the one file object and close it under each other: the same ``Image.open(path)`` given to
#: score_image from 8 threads at once raised "I/O operation on closed file", "broken PNG file" or "image file is
#: truncated" in most calls, and some gave a record of garbled pixels (until 2026-12-06). An image is loaded
#: holding one of these locks (by its id: two images share one 1 time in 64, and one then waits for the other).
_LOADING = [threading.Lock() for _ in range(64)]


def given_image(image):
    """``image`` as :func:`blurscan.score_image` reads it: a Pillow image as its RGB pixels (read as its file
    is, :func:`blurscan.pixels.pil_to_rgb`), an array or a path as it is.

    Raises
    ------
    TypeError
        For anything else.
    """
    if hasattr(image, "getbands") and hasattr(image, "convert"):  # a Pillow image: its pixels, upright as shown
        from .pixels import NoFinitePixels, pil_to_rgb

        with _LOADING[id(image) % len(_LOADING)]:  # one thread loads it, the others read it loaded (see below)
            _load_unmapped(image)
            image.load()
        try:
            return pil_to_rgb(image)
        except NoFinitePixels as exc:  # (an all-NaN mode "F" image: refused as its array is)
            raise DecodeError("<array>", str(exc)) from None  # (its pixels, scored as an array)
    if not isinstance(image, (np.ndarray, str, bytes, os.PathLike)):
        raise TypeError(f"score_image takes a path, a numpy array or a Pillow image, not {type(image).__name__}"
                        f"{_type_hint(image)}")
    if isinstance(image, bytes) and b"\0" in image:  # (no file name holds a NUL: os.stat's "embedded null byte")
        raise ValueError(f"score_image takes bytes as a file name, and these {len(image)} bytes hold a NUL byte: "
                         f"{_ENCODED_HINT}")
    return image


def _load_unmapped(image) -> None:
    """Load a TIFF opened from its file name (``Image.open(path)``, its pixels not read yet) as a scan reads the
    file, from the file object, not memory-mapped.

    Pillow (13) turns a TIFF upright as it loads it, and sets the turned size as it opens it; an uncompressed one of
    a mode it can map (grey, 16-bit, RGBA, CMYK ...) opened by name it memory-maps with that size over the stored
    rows: a file turned by its orientation tag (5-8) came out a scramble of its pixels, and until 2026-12-06 such an
    image, given as opened, was scored so (a sharp photo ``blurry``, ``laplacian_var`` 30 times its file's), while
    the scan, which opens the file's bytes, scored the picture. Pillow maps only when the image has a file name, so
    it is hidden for the load and given back: the caller's image is the same, loaded upright.
    """
    name = getattr(image, "filename", None)
    if getattr(image, "format", None) != "TIFF" or not getattr(image, "tile", None) or not name:
        return  # not a TIFF, or loaded already (by the caller: as it is), or opened from a file object
    image.filename = ""
    try:
        image.load()  # (a damaged file raises here what pil_to_rgb's load raised before)
    finally:
        image.filename = name


#: What to do with an image's encoded bytes (a dataset's column of PNG or JPEG files, a file object).
_ENCODED_HINT = ("an encoded image (a file's content)? open it with Pillow: "
                 "score_image(PIL.Image.open(io.BytesIO(data))), or pass the file's name")


def _type_hint(image) -> str:
    """Until 2026-12-05 the TypeError named the type alone: the two an ML pipeline hands over get a hint."""
    if isinstance(image, (bytearray, memoryview)):  # a buffer: a file's content, read or received
        return f": {_ENCODED_HINT}"
    if hasattr(image, "read"):  # a file object: io.BytesIO, an open file
        return ": a file object? open it with Pillow: score_image(PIL.Image.open(f)), or pass the file's name"
    if hasattr(image, "__array__"):  # an array of another library: a torch tensor, a JAX array ...
        return (": make it a NumPy array, H x W x C (np.asarray(x); a torch tensor, C x H x W: "
                "x.permute(1, 2, 0).numpy())")
    return ""


def to_uint8(arr: np.ndarray, path: str = "<array>") -> np.ndarray:
    """An image array's samples as uint8, same layout (see the module docstring for each dtype).

    Raises
    ------
    DecodeError
        Not an image's shape (with a hint for channels first, as torch keeps them) or dtype, no finite value,
        or a float array with many negative values.
    """
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)) or arr.size == 0:
        raise DecodeError(path, f"not an image array: shape {arr.shape}{_shape_hint(arr.shape)}")
    if arr.dtype == np.uint16:
        if int(arr.max()) > LOW_BITS_MAX:
            from .pixels import to_uint8_16

            return to_uint8_16(arr)
        arr = arr.astype(np.float32)
    elif arr.dtype.kind == "f":
        if not np.isfinite(arr).any():
            raise DecodeError(path, "not an image array: no finite value (all NaN or infinite)")
        refuse_negative(arr, path)
    elif arr.dtype == np.bool_:
        return arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        raise DecodeError(path, f"unsupported array dtype {arr.dtype}")
    else:
        return arr
    from .pixels import floats_to_uint8

    return floats_to_uint8(arr)


def refuse_negative(arr: np.ndarray, path: str = "<array>") -> None:
    """Raise :class:`DecodeError` when a float array's 1st percentile is below ``-NEGATIVE_SHARE`` times its 99th
    (finite values; a regular subsample of at most a million)."""
    flat = arr.reshape(-1)
    sample = flat[::max(1, flat.size // _SAMPLES)]
    sample = sample[np.isfinite(sample)].astype(np.float64)
    if sample.size == 0 or sample.min() >= 0:
        return
    low, high = np.percentile(sample, [1, 99])
    if low < -NEGATIVE_SHARE * high:
        raise DecodeError(path, f"float array with negative values (min {float(sample.min()):.3g}, 1% below "
                                f"{low:.3g}): a normalised tensor? undo the normalisation (x * std + mean) to "
                                f"0..1 or 0..255 first, or clip it (np.clip(x, 0, None)) if they are black")


def _shape_hint(shape: tuple) -> str:
    if len(shape) == 3 and shape[0] in (1, 3, 4) and shape[2] not in (1, 3, 4):
        return f" (channels first? transpose it to H x W x C: array.transpose(1, 2, 0); takes {_LAYOUTS})"
    if len(shape) == 4 and shape[0] == 1:
        if shape[1] in (1, 3, 4) and shape[3] not in (1, 3, 4):  # torch's 1 x C x H x W: array[0] is C x H x W
            return f" (a batch of one, channels first? take its image: array[0].transpose(1, 2, 0); takes {_LAYOUTS})"
        return f" (a batch of one? take its image: array[0]; takes {_LAYOUTS})"
    return f" (takes {_LAYOUTS})"
