"""The tile grid: per-tile texture and contrast-free sharpness of a grayscale image, flat tiles masked.

The map behind the classical figures of :mod:`blurscan.measures` (``sharp_tiles``, ``textured_fraction``,
``sharp_tile_ratio``) and its ``--model none`` verdict (the record's ``grid`` is the model's, null without one). Its
version is ``tile_grid`` in :data:`blurscan.measures.VERSIONS` (part of every record's cache key): bump it
when anything here changes the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .errors import BlurscanError

# Tile grid parameters (analysis scale, i.e. ~1024 px long side).
#: Nominal tile size in pixels at the analysis scale (a 1024 x 768 image gets an 8 x 6 grid).
TILE_PX = 128
#: A tile is "textured" when the standard deviation of its coarse band-pass (1-D difference of Gaussians,
#: sigma 2 and 8, along x or along y) response is at least this many gray levels. Blur lowers this figure
#: much less than it lowers the high frequencies, while sky, walls, studio backdrops and smooth gradients
#: stay below it (a linear ramp gives 0, sensor noise well under 1).
TEXTURE_MIN = 4.0
#: A textured tile is "sharp" when the ratio of its high-frequency (second difference) to its band-pass
#: contrast, in its least sharp direction, is at least this. The ratio does not depend on the tile's
#: contrast (both scale together), so a low-contrast sharp tile is not mistaken for a blurred one.
#: See :func:`tile_grid`.
TILE_SHARP_RATIO = 1.0


def check_gray(gray: np.ndarray, name: str = "gray") -> np.ndarray:
    """``gray`` as an array, or a clear error when it is not a non-empty 2-D uint8 image (every measure's input)."""
    arr = np.asarray(gray)
    if arr.ndim != 2:
        raise BlurscanError(f"The parameter `{name}` must be a 2-D array (got shape {arr.shape})")
    if arr.dtype != np.uint8:
        raise BlurscanError(f"The parameter `{name}` must be uint8 (got {arr.dtype})")
    if arr.size == 0:
        raise BlurscanError(f"The parameter `{name}` is empty")
    return arr


@dataclass(frozen=True)
class TileGrid:
    """Per-tile sharpness of an image, flat tiles marked.

    Attributes
    ----------
    texture : ndarray
        ``rows x cols`` float: band-pass contrast, the larger of the horizontal and vertical figures
        (standard deviation, gray levels).
    ratio : ndarray
        ``rows x cols`` float: high-frequency / band-pass ratio in the tile's *least sharp* direction
        (NaN where flat).
    textured : ndarray
        ``rows x cols`` bool: tiles with enough texture to judge.
    sharp : ndarray
        ``rows x cols`` bool: textured tiles judged sharp.
    """

    texture: np.ndarray
    ratio: np.ndarray
    textured: np.ndarray
    sharp: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.texture.shape

    @property
    def n_textured(self) -> int:
        return int(self.textured.sum())

    @property
    def n_sharp(self) -> int:
        return int(self.sharp.sum())


def _gauss_1d(sigma: float) -> np.ndarray:
    return cv2.getGaussianKernel(2 * round(3 * sigma) + 1, sigma, cv2.CV_32F)


def _dog_1d(small: float = 1.0, large: float = 4.0) -> np.ndarray:
    """1-D difference of Gaussians (sigma ``small`` minus sigma ``large``), as one kernel."""
    k_small, k_large = _gauss_1d(small), _gauss_1d(large)
    out = -k_large.copy()
    c, h = len(out) // 2, len(k_small) // 2
    out[c - h:c + h + 1] += k_small
    return out


_DOG = _dog_1d(1.0, 4.0)
_DOG_COARSE = _dog_1d(2.0, 8.0)
_ONE = np.ones((1, 1), np.float32)
_D2 = np.array([[1.0], [-2.0], [1.0]], np.float32)


def tile_grid(gray: np.ndarray, tile_px: int = TILE_PX) -> TileGrid:
    """Split the image into ~``tile_px`` tiles; measure texture and contrast-free sharpness in each.

    In each of the two directions ``d`` (horizontal, vertical) and for each tile:

    * structure ``C_d = std(DoG(2, 8)_d * I)``: a 1-D difference of Gaussians (sigmas 2 and 8 px) along
      ``d``, a coarse band that even strong blur leaves largely intact and that is zero on smooth
      gradients (a linear ramp) and near zero on sensor noise;
    * band contrast ``B_d = std(DoG(1, 4)_d * I)``, the band just below the finest frequencies;
    * high-frequency contrast ``H_d = std([1, -2, 1]_d * I)``, the second difference along ``d``;
    * ratio ``r_d = H_d / B_d``: the share of high-frequency energy relative to the band below it. It is
      independent of contrast and exposure and falls steeply with blur along ``d``.

    A tile is *textured* when ``max(C_x, C_y) >= TEXTURE_MIN``; tiles below are *flat* (sky, walls,
    backdrops, smooth bokeh) and not judged: a flat tile carries no evidence of blur either way. A textured
    tile is *sharp* when ``min(r_d) >= TILE_SHARP_RATIO`` over the directions with ``C_d >= TEXTURE_MIN / 2``
    (a direction without structure, e.g. across horizontal stripes, cannot show blur). Taking the least
    sharp direction is what catches *linear* motion blur, which leaves edges parallel to the motion sharp
    and fools an isotropic measure (on ``../shared/data``, a 9-px straight smear at 1024 px: 24 % of the
    photos caught by an isotropic Laplacian-ratio rule, 93 % by this one); judging texture on the coarse
    band is what keeps a strongly blurred photo (Gaussian sigma 6 px) from looking flat (6 % caught when
    texture was judged on the finer band, 96 % now).

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image at the analysis scale.
    tile_px : int
        Nominal tile size; the grid is ``round(h / tile_px) x round(w / tile_px)`` (at least 1 x 1).

    Returns
    -------
    TileGrid

    References
    ----------
    .. [1] S. Pertuz, D. Puig, M. A. Garcia, "Analysis of focus measure operators for shape-from-focus",
       Pattern Recognition 46(5), 2013 (local second-derivative focus operators, LAP family).
    .. [2] D. Marr, E. Hildreth, "Theory of edge detection", Proc. R. Soc. Lond. B 207 (1980) (difference of
       Gaussians as a band-pass).
    .. [3] H. Tong, M. Li, H. Zhang, C. Zhang, "Blur detection for digital images using wavelet
       transform", ICME 2004 (blur judged from the ratio of fine- to coarse-scale edge energy).
    """
    gray = check_gray(gray)
    h, w = gray.shape
    rows = max(1, round(h / tile_px))
    cols = max(1, round(w / tile_px))
    ys = np.linspace(0, h, rows + 1).round().astype(int)
    xs = np.linspace(0, w, cols + 1).round().astype(int)
    counts = np.outer(np.diff(ys), np.diff(xs)).astype(np.float64)

    def tile_std(x: np.ndarray, yy: np.ndarray, xx: np.ndarray, n: np.ndarray) -> np.ndarray:
        s1, s2 = cv2.integral2(x, sdepth=cv2.CV_64F, sqdepth=cv2.CV_64F)
        iy, ix = np.ix_(yy, xx)
        t1, t2 = s1[iy, ix], s2[iy, ix]
        sum1 = t1[1:, 1:] - t1[:-1, 1:] - t1[1:, :-1] + t1[:-1, :-1]
        sum2 = t2[1:, 1:] - t2[:-1, 1:] - t2[1:, :-1] + t2[:-1, :-1]
        mean = sum1 / n
        return np.sqrt(np.maximum(0.0, sum2 / n - mean * mean))

    def along_rows(img: np.ndarray, kernel: np.ndarray, yy, xx, n) -> np.ndarray:
        return tile_std(cv2.sepFilter2D(img, cv2.CV_32F, kernel, _ONE), yy, xx, n)

    # vertical filters run as horizontal ones on the transposed image (OpenCV's long vertical passes are
    # ~3x slower); same numbers
    gray_t = np.ascontiguousarray(gray.T)
    coarse_x = along_rows(gray, _DOG_COARSE, ys, xs, counts)
    coarse_y = along_rows(gray_t, _DOG_COARSE, xs, ys, counts.T).T
    band_x = along_rows(gray, _DOG, ys, xs, counts)
    band_y = along_rows(gray_t, _DOG, xs, ys, counts.T).T
    high_x = along_rows(gray, _D2, ys, xs, counts)
    high_y = along_rows(gray_t, _D2, xs, ys, counts.T).T
    texture = np.maximum(coarse_x, coarse_y)
    textured = texture >= TEXTURE_MIN
    with np.errstate(divide="ignore", invalid="ignore"):
        rx = np.where(coarse_x >= TEXTURE_MIN / 2, high_x / band_x, np.inf)
        ry = np.where(coarse_y >= TEXTURE_MIN / 2, high_y / band_y, np.inf)
    ratio = np.where(textured, np.minimum(rx, ry), np.nan)
    sharp = textured & (np.nan_to_num(ratio, nan=0.0) >= TILE_SHARP_RATIO)
    return TileGrid(texture=texture, ratio=ratio, textured=textured, sharp=sharp)
