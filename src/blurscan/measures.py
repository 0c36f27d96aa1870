"""Classical sharpness measures: pure functions of numpy arrays, each versioned, each citing its source.

The figures a scan reports (``compute``) and the rule used with ``--model none`` (``classical_verdict``).
All functions take a 2-D uint8 grayscale array (``DecodedImage.gray``, or the full-resolution gray image
for the seed baseline) and never modify it.

==========================  =======  ===========================================================
measure                     version  what
==========================  =======  ===========================================================
``laplacian_var``           1        seed baseline: variance of the 3x3 Laplacian (full resolution)
``laplacian_var_norm``      2        the same at the analysis scale (comparable across cameras)
``tenengrad``               2        mean squared 3x3 Sobel gradient magnitude
``blur_effect``             1        Crete-Roffet "blur effect" in [0, 1] (0 sharp, 1 very blurred)
``tile_grid``               4        per-tile sharpness, flat (texture-less) tiles masked
``coarse_gradient``         2        large-scale structure: gradient percentile at 128 px
``classical_verdict``       2        the ``--model none`` rule over the tile figures
==========================  =======  ===========================================================

The analysis-scale figures are of the picture inside flat borders (letterbox bars, frames:
:func:`blurscan.borders.content_box`); the seed baseline ``laplacian_var`` keeps the whole image, as the seed did.

:data:`MEASURE_VERSION` joins them; it is part of every stored record's cache key, so changing any
measure (or its parameters) means bumping its version here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .errors import BlurscanError

#: Version of each measure; bump one when its output changes.
VERSIONS = {
    "laplacian_var": "1",
    "laplacian_var_norm": "2",  # 2: of the picture inside flat borders (compute_gray)
    "tenengrad": "2",  # 2: likewise
    "blur_effect": "1",
    "tile_grid": "4",  # 4: likewise
    "classical_verdict": "2",
    "coarse_gradient": "2",  # 2: likewise
}
#: The cache-key part for all measures together.
MEASURE_VERSION = "m" + ".".join(f"{VERSIONS[k]}" for k in sorted(VERSIONS))

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
#: ``classical_verdict`` calls an image sharp when at least this fraction of its textured tiles, and at
#: least ``MIN_SHARP_TILES`` of them (fewer only when fewer are textured), are sharp.
#:
#: The four constants were chosen on ``../shared/data`` (tile features of ~300 photos, copies blurred at
#: 1024 px by Gaussians of sigma 1-2 px and by 9- and 15-px straight smears, and the real blurred sets)
#: for a balance of sharp photos kept (99 % of the sharp test photos; 88 % of the multifocus
#: partial-focus pairs and both CUHK partial-blur photos called not blurry) and blurred ones found (99 % at
#: sigma 1, 100 % at sigma 2-4, 96 % at sigma 6, 93 % / 87 % of 9- / 15-px straight smears, 29 % of 15-px
#: diagonal smears, 94 % of the GoPro and 100 % of the Levin et al. camera-shake photos). In-sample figures of a
#: deliberately simple rule; the model does better.
MIN_SHARP_FRACTION = 0.10
MIN_SHARP_TILES = 2
#: Flat borders are never trimmed below twice this many pixels on a side (see :func:`compute_gray`).
BORDER_MIN_SIDE = 16
#: Long side (px) at which :func:`coarse_gradient` looks at the image.
COARSE_PX = 128
#: An image without a single textured tile is *blurry* when its :func:`coarse_gradient` is at least this
#: (grey levels per pixel at 128 px): it still has the shapes of a scene, only their detail is gone. A wall,
#: a clear sky or a studio backdrop stays far below (0.4-2 measured, noise and steep gradients included);
#: photos blurred until no tile is textured stay far above (5.8-12.6 for Gaussian sigma 10 on the
#: scikit-image photos).
COARSE_STRUCTURE_MIN = 4.0


def _check_gray(gray: np.ndarray, name: str = "gray") -> np.ndarray:
    arr = np.asarray(gray)
    if arr.ndim != 2:
        raise BlurscanError(f"The parameter `{name}` must be a 2-D array (got shape {arr.shape})")
    if arr.dtype != np.uint8:
        raise BlurscanError(f"The parameter `{name}` must be uint8 (got {arr.dtype})")
    if arr.size == 0:
        raise BlurscanError(f"The parameter `{name}` is empty")
    return arr


def laplacian_var(gray: np.ndarray, strip_rows: int = 512) -> float:
    """Variance of the 3x3 Laplacian: the classic OpenCV blur baseline, computed exactly and fast.

    Equal (to float rounding, ~1e-15 relative) to ``cv2.Laplacian(gray, cv2.CV_64F).var()`` — the seed
    script's figure, "blurry below 100" — but computed with an int16 Laplacian (``|L| <= 4 * 255`` fits)
    and exact integer-valued sums (``cv2.sumElems`` and ``cv2.norm(NORM_L2SQR)``): 19 ms instead of
    92 ms on a 12-MP image (one core; ``cv2.meanStdDev`` on int16 is 12 ms on its own).

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image (for the seed-compatible figure: the full-resolution image).
    strip_rows : int
        Rows per band (memory only; the result does not depend on it).

    Returns
    -------
    float
        ``var(L)`` where ``L`` is the Laplacian with kernel ``[[0,1,0],[1,-4,1],[0,1,0]]`` and OpenCV's
        default ``BORDER_REFLECT_101``.

    References
    ----------
    .. [1] J. L. Pech-Pacheco, G. Cristobal, J. Chamorro-Martinez, J. Fernandez-Valdivia, "Diatom
       autofocusing in brightfield microscopy: a comparative study", ICPR 2000, vol. 3, pp. 314-317.
       :DOI:`10.1109/ICPR.2000.903548`
    .. [2] A. Rosebrock, "Blur detection with OpenCV", PyImageSearch, 2015 (the threshold of 100).
    """
    gray = _check_gray(gray)
    h = gray.shape[0]
    total = squares = 0.0
    # In bands of rows (each with one row of context above and below, OpenCV's border only at the image's
    # own edges), so a 12-MP image never holds a 24-MB int16 Laplacian: the result is identical.
    for y0 in range(0, h, strip_rows):
        y1 = min(h, y0 + strip_rows)
        a, b = max(0, y0 - 1), min(h, y1 + 1)
        lap = cv2.Laplacian(gray[a:b], cv2.CV_16S)[y0 - a:y0 - a + (y1 - y0)]
        total += cv2.sumElems(lap)[0]  # integer-valued sums: exact in float64 (< 2**53)
        squares += cv2.norm(lap, cv2.NORM_L2SQR)
    n = gray.size
    mean = total / n
    return float(max(0.0, squares / n - mean * mean))


def laplacian_var_norm(gray: np.ndarray) -> float:
    """Variance of the Laplacian at the normalised analysis scale.

    The same operator as :func:`laplacian_var`, applied to ``DecodedImage.gray`` (long side 1024 by
    default) rather than to the full-resolution image, so a 48-MP and a 2-MP photo of the same scene
    give comparable figures; the full-resolution figure falls as resolution rises (each pixel covers
    less of an edge).

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image at the analysis scale.

    Returns
    -------
    float

    References
    ----------
    .. [1] Pech-Pacheco et al., ICPR 2000 (see :func:`laplacian_var`).
    """
    return laplacian_var(gray)


#: Older name kept for the module contract.
laplacian_var_normalised = laplacian_var_norm


def tenengrad(gray: np.ndarray) -> float:
    """Tenengrad: mean squared gradient magnitude from 3x3 Sobel derivatives.

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image (analysis scale).

    Returns
    -------
    float
        ``mean(Gx**2 + Gy**2)`` with OpenCV's unnormalised 3x3 Sobel kernels (no threshold), in squared
        gray levels.

    References
    ----------
    .. [1] E. Krotkov, "Focusing", International Journal of Computer Vision 1(3), 223-237 (1987).
       :DOI:`10.1007/BF00127822`
    .. [2] S. Pertuz, D. Puig, M. A. Garcia, "Analysis of focus measure operators for shape-from-focus",
       Pattern Recognition 46(5), 1415-1432 (2013) (operator GRA6). :DOI:`10.1016/j.patcog.2012.11.011`
    """
    gray = _check_gray(gray)
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    return float((cv2.norm(gx, cv2.NORM_L2SQR) + cv2.norm(gy, cv2.NORM_L2SQR)) / gray.size)


def blur_effect(gray: np.ndarray, h_size: int = 11) -> float:
    """Crete-Roffet no-reference perceptual blur metric, 0 (sharp) to 1 (very blurred).

    The image is re-blurred with an ``h_size`` box filter along each axis; a sharp image loses much of
    its gradient variation by re-blurring, an already blurred one little. The result is the larger of the
    two axes' figures, as :func:`skimage.measure.blur_effect` (whose output this reproduces to ~1e-6,
    checked in ``tests/test_measures.py``) but with OpenCV filters, about 10x faster.

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image (analysis scale).
    h_size : int
        Size of the re-blurring filter; keep it fixed to compare images.

    Returns
    -------
    float
        In [0, 1].

    References
    ----------
    .. [1] F. Crete, T. Dolmiere, P. Ladret, M. Nicolas, "The blur effect: perception and estimation with
       a new no-reference perceptual blur metric", Proc. SPIE 6492, Human Vision and Electronic Imaging
       XII, 64920I (2007). :DOI:`10.1117/12.702790`
    """
    gray = _check_gray(gray)
    img = gray.astype(np.float32) * np.float32(1.0 / 255.0)
    h, w = img.shape
    if h < 4 or w < 4:
        return 0.0
    inner = (slice(2, h - 1), slice(2, w - 1))
    out = []
    for axis in (0, 1):
        ksize = (h_size, 1) if axis == 1 else (1, h_size)  # cv2 sizes are (width, height)
        dx, dy = (1, 0) if axis == 1 else (0, 1)
        blurred = cv2.blur(img, ksize, borderType=cv2.BORDER_REFLECT)
        # skimage.filters.sobel(axis=...): derivative [1, 0, -1] / 2 along, smoothing [1, 2, 1] / 4 across
        sharp = np.abs(cv2.Sobel(img, cv2.CV_32F, dx, dy, ksize=3, scale=0.125,
                                 borderType=cv2.BORDER_REFLECT)[inner])
        soft = np.abs(cv2.Sobel(blurred, cv2.CV_32F, dx, dy, ksize=3, scale=0.125,
                                borderType=cv2.BORDER_REFLECT)[inner])
        # skimage clamps both at machine epsilon first; that changes the sums by < 1e-9 of M1, skipped here
        m1 = cv2.sumElems(sharp)[0]
        m2 = cv2.sumElems(cv2.max(cv2.subtract(sharp, soft), 0.0))[0]
        out.append(abs(m1 - m2) / m1 if m1 > 0 else 1.0)
    return float(max(out))


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

    def blur_map(self) -> list[list[float | None]]:
        """Per tile a blur score in [0, 1] (0.5 at the sharp/blurry boundary), None for flat tiles.

        ``1 / (1 + (ratio / TILE_SHARP_RATIO) ** 4)``: a smooth stand-in for a probability, for the
        record's ``grid`` when no model is used.
        """
        rows, cols = self.shape
        out: list[list[float | None]] = []
        for r in range(rows):
            row: list[float | None] = []
            for c in range(cols):
                if not self.textured[r, c]:
                    row.append(None)
                else:
                    x = float(self.ratio[r, c]) / TILE_SHARP_RATIO
                    row.append(round(1.0 / (1.0 + x ** 4), 4))
            out.append(row)
        return out


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
    gray = _check_gray(gray)
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


def compute(decoded) -> dict[str, float]:
    """All classical figures of a decoded image: the ``scores`` of a :class:`~blurscan.records.ScanRecord`.

    :func:`blur_effect` is not included: it costs as much as all the others together (~10 ms at 1024 px)
    and adds little to the tile figures; call it directly where wanted (evaluation, burst ranking).

    Parameters
    ----------
    decoded : DecodedImage
        Uses ``decoded.gray`` (analysis scale). The seed baseline is ``decoded.laplacian_var`` and goes
        into the record's own ``laplacian_var`` field, not here.

    Returns
    -------
    dict
        ``laplacian_var_norm``, ``tenengrad``, ``textured_fraction`` (share of tiles with texture),
        ``textured_tiles``, ``sharp_tiles`` (counts), ``sharp_tile_fraction`` (share of textured tiles
        that are sharp; 1.0 when none is textured), ``sharp_tile_ratio`` (90th percentile of the textured
        tiles' ratio; 0.0 when none).
    """
    return compute_gray(decoded.gray)


def coarse_gradient(gray: np.ndarray) -> float:
    """How much large-scale structure an image has: the 90th percentile of the gradient magnitude (grey
    levels per pixel, Sobel normalised by 8) of the image reduced to :data:`COARSE_PX` on its long side
    with area averaging.

    At that scale sensor noise is averaged away and even strong blur leaves the outlines of a scene, so the
    figure separates "nothing to judge" (sky, wall: close to 0) from "everything blurred away" (the
    scene's shapes are still there). Used by :func:`classical_verdict` only when no tile is textured.

    Parameters
    ----------
    gray : ndarray
        2-D uint8 image (analysis scale).

    References
    ----------
    .. [1] I. Sobel, G. Feldman, "A 3x3 isotropic gradient operator for image processing", 1968.
    """
    arr = _check_gray(gray)
    h, w = arr.shape
    f = COARSE_PX / max(h, w)
    small = arr if f >= 1 else cv2.resize(arr, (max(1, round(w * f)), max(1, round(h * f))),
                                          interpolation=cv2.INTER_AREA)
    small = small.astype(np.float32)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    return float(np.percentile(np.hypot(gx, gy), 90))


def compute_gray(gray: np.ndarray) -> dict[str, float]:
    """:func:`compute` for a bare 2-D uint8 array.

    The figures are of the picture inside flat borders (:func:`blurscan.borders.content_box`: letterbox bars,
    frames), whose hard edge would otherwise count as sharp detail: a blurred photo with black bars had sharp
    tiles along them and was called sharp."""
    from .borders import content_box

    top, bottom, left, right = content_box(_check_gray(gray), min_side=2 * BORDER_MIN_SIDE)
    picture = gray[top:bottom, left:right]
    return _scores(picture, tile_grid(picture))


def _scores(gray: np.ndarray, grid: TileGrid) -> dict[str, float]:
    n_tiles = grid.texture.size
    n_tex = grid.n_textured
    ratios = grid.ratio[grid.textured]
    return {
        "laplacian_var_norm": laplacian_var_norm(gray),
        "tenengrad": tenengrad(gray),
        "textured_fraction": n_tex / n_tiles,
        "sharp_tile_fraction": (grid.n_sharp / n_tex) if n_tex else 1.0,
        "textured_tiles": float(n_tex),
        "sharp_tiles": float(grid.n_sharp),
        "sharp_tile_ratio": float(np.percentile(ratios, 90)) if n_tex else 0.0,
        "coarse_gradient": coarse_gradient(gray),
    }


def classical_verdict(scores: dict, settings=None) -> str:
    """Sharp or blurry from the tile figures (used with ``--model none``).

    The rule: an image is **blurry** when it has textured tiles and fewer than
    ``max(min(MIN_SHARP_TILES, textured), ceil(MIN_SHARP_FRACTION * textured))`` of them are sharp. So a photo with a
    sharp subject and a blurred background is sharp (the photographer's choice), and an image with no
    texture anywhere (a clear sky, a white wall) is *not* called blurry: there is nothing to judge -- unless
    its :func:`coarse_gradient` shows the outlines of a scene whose detail was blurred away.

    Known limits: tiles are judged along x and y, so a *diagonal* straight smear is caught less often
    (about a third of the time at 15 px) than horizontal or vertical ones; a real partial-focus photo whose
    sharp part is small and low in contrast can be called blurry. The model is the better judge.

    Parameters
    ----------
    scores : dict
        The output of :func:`compute` (``sharp_tiles``, ``textured_fraction`` ...).
    settings : ScanSettings, optional
        Unused by the tile rule (kept for the contract; the plain baseline is :func:`baseline_verdict`).

    Returns
    -------
    str
        ``"sharp"`` or ``"blurry"``.
    """
    tex = float(scores.get("textured_fraction", 0.0))
    n_tex = float(scores.get("textured_tiles", 0.0))
    if tex <= 0.0 or n_tex <= 0:
        # nothing textured: a flat scene (nothing to judge) or a scene blurred until no detail is left
        coarse = scores.get("coarse_gradient")
        return "blurry" if coarse is not None and coarse >= COARSE_STRUCTURE_MIN else "sharp"
    sharp_tiles = float(scores.get("sharp_tiles", 0.0))
    needed = max(min(MIN_SHARP_TILES, n_tex), math.ceil(MIN_SHARP_FRACTION * n_tex - 1e-9))
    return "sharp" if sharp_tiles >= needed else "blurry"


def baseline_verdict(laplacian_var_value: float | None, settings=None) -> str | None:
    """The seed rule: ``"blurry"`` when the full-resolution Laplacian variance is below the threshold.

    Parameters
    ----------
    laplacian_var_value : float or None
        :func:`laplacian_var` of the full-resolution gray image (None in fast mode -> None).
    settings : ScanSettings, optional
        ``laplacian_threshold`` (default 100).
    """
    if laplacian_var_value is None:
        return None
    threshold = getattr(settings, "laplacian_threshold", None)
    if threshold is None:
        from .config import LAPLACIAN_THRESHOLD as threshold
    return "blurry" if laplacian_var_value < threshold else "sharp"
