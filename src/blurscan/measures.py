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
``tile_grid``               4        per-tile sharpness, flat tiles masked (:mod:`blurscan.tiles`)
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

import cv2
import numpy as np

from .tiles import TileGrid, check_gray as _check_gray, tile_grid

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

#: ``classical_verdict`` calls an image sharp when at least this fraction of its textured tiles, and at
#: least ``MIN_SHARP_TILES`` of them (fewer only when fewer are textured), are sharp.
#:
#: These two and the tile grid's ``TEXTURE_MIN`` and ``TILE_SHARP_RATIO`` (:mod:`blurscan.tiles`) were chosen
#: on ``../shared/data`` (tile features of ~300 photos, copies blurred at 1024 px by Gaussians of sigma
#: 1-2 px and by 9- and 15-px straight smears, and the real blurred sets) for a balance of sharp photos kept
#: (99 % of the pixel-crisp sharp test photos; 85 % of the multifocus partial-focus pairs and both CUHK
#: partial-blur photos called not blurry) and blurred ones found (99 % at sigma 1, 100 % at sigma 2-4, 96 % at
#: sigma 6, 93 % / 87 % of 9- / 15-px straight smears, 29 % of 15-px diagonal smears, 94 % of the GoPro and
#: 100 % of the Levin et al. camera-shake photos). In-sample figures of a deliberately simple rule; the model
#: does better. The tile ratio's cut-off is absolute, at the pixel level: photos analysed at their own size
#: (small ones, video frames) look soft there, and 3 of Levin's 4 sharp 255-px photos, 83 % of the GoPro
#: sharp frames and a quarter of the NYU sharp frames are called blurry; sensor noise reads as detail, so a
#: noisy blurred photo can be called sharp (docs/measures.md, "Known limits").
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


def laplacian_var(gray: np.ndarray, strip_rows: int = 128) -> float:
    """Variance of the 3x3 Laplacian: the classic OpenCV blur baseline, computed exactly and fast.

    Equal (to float rounding, ~1e-15 relative) to ``cv2.Laplacian(gray, cv2.CV_64F).var()`` — the seed
    script's figure, "blurry below 100" — but computed with an int16 Laplacian (``|L| <= 4 * 255`` fits)
    and exact integer sums: 14-17 ms instead of 92 ms on a 12-MP image (one core; ``cv2.meanStdDev`` on
    int16 is 12 ms on its own). The result is ``E[L^2] - E[L]^2`` from the exact integer sums of ``L`` and
    ``L**2``, the same to the last bit whatever ``strip_rows``.

    * ``sum(L)`` telescopes (each pixel enters its neighbours' Laplacians as often as it enters its own, times
      four): with the reflected border only the two outer rows and columns are left, so it is read from them
      instead of from ``L`` (``cv2.sumElems``: 3 ms on a 12-MP image);
    * ``sum(L**2)`` is ``cv2.norm(L, NORM_L2SQR)`` per band, an integer that OpenCV returns up to a unit in
      its last place off (its square root, squared), so rounded back to it;
    * bands of 128 rows (1 MB of int16 for a 4000-px row) are normed while still in the CPU's cache: 512-row
      bands (4 MB) cost ~15 % more on the 2-core development machine.

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image (for the seed-compatible figure: the full-resolution image).
    strip_rows : int
        Rows per band (memory and speed only; the result does not depend on it).

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
    h, w = gray.shape
    squares = 0
    # In bands of rows (each with one row of context above and below, OpenCV's border only at the image's
    # own edges), so a 12-MP image never holds a 24-MB int16 Laplacian: the result is identical.
    for y0 in range(0, h, strip_rows):
        y1 = min(h, y0 + strip_rows)
        a, b = max(0, y0 - 1), min(h, y1 + 1)
        lap = cv2.Laplacian(gray[a:b], cv2.CV_16S)[y0 - a:y0 - a + (y1 - y0)]
        squares += round(cv2.norm(lap, cv2.NORM_L2SQR))  # an integer < 2**53, returned to within 1e-7
    n = gray.size
    mean = _laplacian_sum(gray) / n  # (Python integers: exact sums, correctly rounded divisions)
    return float(max(0.0, squares / n - mean * mean))


def _laplacian_sum(gray: np.ndarray) -> int:
    """``sum(L)`` of :func:`laplacian_var`'s Laplacian, from the outer rows and columns: along one axis,
    ``sum_y (I[y-1] - 2 I[y] + I[y+1])`` telescopes to ``(I[h] - I[h-1]) - (I[0] - I[-1])``, and with OpenCV's
    ``BORDER_REFLECT_101`` (``I[-1] = I[1]``, ``I[h] = I[h-2]``) to ``I[1] - I[0] + I[h-2] - I[h-1]``; an axis of
    length 1 (border ``I[-1] = I[1] = I[0]``) adds nothing."""
    h, w = gray.shape
    total = 0
    for lines, n in ((gray, h), (gray.T, w)):
        if n >= 2:
            total += sum(int(lines[i].sum(dtype=np.int64)) * sign
                         for i, sign in ((1, 1), (0, -1), (n - 2, 1), (n - 1, -1)))
    return total


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


def blank_scores() -> dict:
    """``{name: None}`` for every score :func:`compute` gives: what an error record holds, so that every JSONL
    object and CSV row has every key (the names are those of a figure computed once on a flat 64 x 64 image)."""
    if "names" not in _SCORE_NAMES:
        _SCORE_NAMES["names"] = tuple(compute_gray(np.full((64, 64), 128, np.uint8)))
    return dict.fromkeys(_SCORE_NAMES["names"])


_SCORE_NAMES: dict[str, tuple] = {}


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
