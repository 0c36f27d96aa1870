"""The analysis image of a picture decoded at full resolution (every format but the JPEGs of :mod:`blurscan.jpeg`),
made as a JPEG's is.

A JPEG is decoded scaled by libjpeg-turbo: when its 1/2, 1/4 or 1/8 scale lands within 2.5 % under the analysis
size, it is analysed at that scale (:func:`blurscan.analysis.block_scale`: 2040 px -> 1020, an exact 2 x 2
average), and a scan with a luminance model (the shipped one) takes the analysis image from the full-resolution
luma, area-averaged. Until 2026-12-05 every other format was resized to the analysis size itself (2040 px ->
1024, a ratio of 1.992 that averages each pixel over parts of 3 x 3 and softens the finest detail) and made grey
from the averaged colour, and the same pixels scored differently as a JPEG and as a PNG: ``p_blurry`` 0.725 and
0.800 (``blurry``) for a 2040-px DIV2K photo with motion blur, as a lossless PNG; 0.674 (``partial``) and 0.771
(``blurry``) for another copy of it. :func:`analysis_pixels` turns such a picture into what its JPEG would give.
"""
from __future__ import annotations

import cv2
import numpy as np

from .analysis import BLOCK_FACTORS, analysis_size, image_size


def analysis_pixels(rgb_full: np.ndarray, gray_full: np.ndarray | None, long_side: int, color: bool):
    """``(rgb or None, gray or None)`` of a full-resolution ``H x W x 3`` picture (``gray_full``: its gray, when
    made already) at the analysis size for ``long_side``, as :func:`blurscan.jpeg.decode_fast` gives a JPEG's:
    at its block-scaled size (:func:`blurscan.analysis.image_size`), and there, without ``color``, gray
    area-averaged from the full-resolution gray (the JPEG's luma) rather than made from the averaged colour (the
    rounding of the three averaged channels moved ``p_blurry`` by 0.004 on average, up to 0.036, on 25 DIV2K
    photos at 1020 px). At any other size as before: the colour resized to
    :func:`~blurscan.analysis.analysis_size` (what a JPEG of that size gets too, but for its luma, which moves
    ``p_blurry`` by up to 0.014 on the same photos at 900 px: left as it is, so that such records stay valid)."""
    h, w = rgb_full.shape[:2]
    size = image_size(w, h, long_side)
    if size != analysis_size(w, h, long_side) and not color:
        if gray_full is None:
            gray_full = cv2.cvtColor(rgb_full, cv2.COLOR_RGB2GRAY)
        return None, resize(gray_full, *size)
    return resize(rgb_full, *size), None


def block_gray(rgb: np.ndarray, gray_full: np.ndarray, long_side: int) -> np.ndarray:
    """The gray analysis image that goes with ``rgb``, the analysis image of a picture whose full-resolution gray
    is ``gray_full``: area-averaged from ``gray_full`` at a block-scaled size (as :func:`analysis_pixels`), else
    made from ``rgb``."""
    h, w = gray_full.shape[:2]
    if image_size(w, h, long_side) != analysis_size(w, h, long_side):
        return resize(gray_full, rgb.shape[1], rgb.shape[0])
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def resize(img: np.ndarray, tw: int, th: int) -> np.ndarray:
    """``img`` at ``tw x th`` (``INTER_AREA``: an area average), or itself, contiguous, when it is that size.

    A block-scaled size of a picture whose sides are not multiples of the factor (``ceil(w / f) x ceil(h / f)``,
    :func:`blurscan.analysis.block_scale`: a cropped photo, 2037 x 1531 -> 1019 x 766) is an exact ``f x f``
    average as libjpeg's DCT scaling gives it: the picture is first extended to whole blocks by repeating its last
    row and column (what a JPEG encoder stores in its last blocks). Until 2026-12-06 it was resized by the ratio
    2037 / 1019 = 1.999, each pixel averaged over parts of 3 x 3, and a crop a few pixels smaller than a 2040-px
    photo lost its finest detail (``sharp_tile_fraction`` 0.56 -> 0.24, ``p_blurry`` 0.098 -> 0.134)."""
    h, w = img.shape[:2]
    if w == tw and h == th:
        return np.ascontiguousarray(img)
    factor = _block_factor(w, h, tw, th)
    if factor and (w % factor or h % factor):
        img = cv2.copyMakeBorder(img, 0, th * factor - h, 0, tw * factor - w, cv2.BORDER_REPLICATE)
    return cv2.resize(img, (tw, th), interpolation=cv2.INTER_AREA)


def _block_factor(w: int, h: int, tw: int, th: int) -> int | None:
    """The factor ``f`` (2, 4 or 8) for which ``tw x th`` is ``ceil(w / f) x ceil(h / f)``, else None."""
    for factor in BLOCK_FACTORS:
        if -(-w // factor) == tw and -(-h // factor) == th:
            return factor
    return None
