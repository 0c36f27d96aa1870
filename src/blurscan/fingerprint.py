"""Perceptual fingerprints for grouping bursts and near-duplicates (``imagehash``).

Both hashes are computed from the analysis-scale grayscale image of a
:class:`~blurscan.records.DecodedImage` (already EXIF-rotated), so they cost well under a millisecond and
do not depend on the file's resolution or format. Hashes are 64-bit, written as 16 hex digits; the
Hamming distance between two hashes (:func:`distance`) is small for shots of the same scene:

* :func:`phash` (DCT of a 32 x 32 reduction, top-left 8 x 8 coefficients against their median) is robust to
  small shifts, exposure changes and blur itself, which is what a burst of one scene needs: sharp and
  blurred frames of the same shot must still land in one group. It is ``imagehash.phash`` with OpenCV's
  DCT in place of SciPy's: importing ``scipy.fftpack`` cost 0.22 s of CPU in every scan worker (and in
  every one-photo scan), more than the hash itself over a few hundred photos. Same hash on photos (a test
  compares them); only bits decided by rounding noise, on images without detail, can differ;
* :func:`dhash` (signs of horizontal gradients of a 9 x 8 reduction) is cheaper and more sensitive to
  framing; useful as a second opinion.

References
----------
.. [1] N. Krawetz, "Looks like it" (2011) and "Kind of like that" (2013), The Hacker Factor Blog
   (average, perceptual and difference hashes).
.. [2] C. Zauner, "Implementation and benchmarking of perceptual image hash functions", Master's thesis,
   Upper Austria University of Applied Sciences (2010).
.. [3] J. Buchner, ImageHash (https://github.com/JohannesBuchner/imagehash): the implementation used.
"""
from __future__ import annotations

import cv2
import imagehash
import numpy as np
from PIL import Image

#: Bits per hash (``hash_size ** 2``).
HASH_SIZE = 8
#: :func:`phash` reduces the image to ``HASH_SIZE * PHASH_FACTOR`` pixels square (imagehash's ``highfreq_factor``).
PHASH_FACTOR = 4


def _unnormalise(n: int, keep: int) -> np.ndarray:
    """Factors turning OpenCV's orthonormal 2-D DCT-II of an ``n x n`` block into SciPy's unnormalised one
    (``2 sum x cos(...)`` per axis; ``cv2.dct`` scales row / column 0 by sqrt(1/n), the others by sqrt(2/n))."""
    f = np.full(keep, 2.0 / np.sqrt(2.0 / n))
    f[0] = 2.0 / np.sqrt(1.0 / n)
    return np.outer(f, f)


_UNNORMALISE = _unnormalise(HASH_SIZE * PHASH_FACTOR, HASH_SIZE)


#: The gray image is first area-averaged to this long side (cheap, exact 4x for 1024 px), so that
#: imagehash's Lanczos reduction to 32 x 32 / 9 x 8 costs ~0.3 ms instead of ~6 ms; the hash barely changes
#: (both reductions low-pass far below the 8 x 8 DCT block the hash keeps).
PRE_REDUCE = 256


def _gray_image(decoded) -> Image.Image:
    gray = getattr(decoded, "gray", decoded)
    arr = np.asarray(gray)
    if arr.ndim == 3:  # an RGB array passed directly
        arr = cv2.cvtColor(np.ascontiguousarray(arr.astype(np.uint8, copy=False)), cv2.COLOR_RGB2GRAY)
    arr = np.ascontiguousarray(arr.astype(np.uint8, copy=False))
    h, w = arr.shape
    if max(h, w) > PRE_REDUCE:
        scale = PRE_REDUCE / max(h, w)
        arr = cv2.resize(arr, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return Image.fromarray(arr)


def phash(decoded) -> str:
    """Perceptual (DCT) hash of the analysis-scale image, 16 hex digits.

    Parameters
    ----------
    decoded : DecodedImage or ndarray
        A decoded image (its ``gray`` is used) or a 2-D / RGB uint8 array.

    Returns
    -------
    str
        ``str(imagehash.phash(image, hash_size=8))``, computed with ``cv2.dct``.
    """
    size = HASH_SIZE * PHASH_FACTOR
    pixels = np.asarray(_gray_image(decoded).resize((size, size), Image.Resampling.LANCZOS), np.float64)
    low = cv2.dct(pixels)[:HASH_SIZE, :HASH_SIZE] * _UNNORMALISE
    return str(imagehash.ImageHash(low > np.median(low)))


def dhash(decoded) -> str:
    """Difference (gradient) hash of the analysis-scale image, 16 hex digits.

    Parameters
    ----------
    decoded : DecodedImage or ndarray
        A decoded image (its ``gray`` is used) or a 2-D / RGB uint8 array.

    Returns
    -------
    str
        ``str(imagehash.dhash(image, hash_size=8))``.
    """
    return str(imagehash.dhash(_gray_image(decoded), hash_size=HASH_SIZE))


def distance(a: str, b: str) -> int:
    """Hamming distance (number of differing bits) between two hex hashes of the same kind."""
    return imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b)
