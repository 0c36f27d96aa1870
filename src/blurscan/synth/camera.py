"""Camera realism: linear light, highlights, convolution, sensor noise, sharpening, JPEG.

Optical blur happens to light, not to gamma-encoded pixel values, and the sensor adds
noise *after* the optics.  So the pipeline decodes sRGB to linear light, extends
clipped highlights above 1.0 (8-bit sources have no light brighter than white),
blurs, clips at the sensor's full well, adds signal-dependent noise, re-applies the
sRGB curve, optionally sharpens and downscales as cameras and phones do, and saves a
JPEG.  Sharp sources go through the same steps, so noise, sharpening halos and JPEG
blocks do not reveal the label.

References
----------
.. [1] IEC 61966-2-1:1999, the sRGB transfer function.
.. [2] A. Foi, M. Trimeche, V. Katkovnik, K. Egiazarian, "Practical Poissonian-Gaussian
   noise modeling and fitting for single-image raw-data", IEEE TIP 17(10), 2008 --
   clipped shot + read noise, variance ``a * x + b``.
.. [3] T. Brooks et al., "Unprocessing images for learned raw denoising", CVPR 2019 --
   inverting the camera pipeline and sampling realistic noise levels.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from ..config import DEFAULT_MAX_PIXELS
from ..pillowguard import pixel_limit

__all__ = [
    "apply_kernel",
    "apply_kernel_grid",
    "extend_highlights",
    "jpeg_roundtrip",
    "linear_to_srgb",
    "sample_noise",
    "add_sensor_noise",
    "normal_field",
    "sharpen",
    "srgb_to_linear",
]

_LIN_LUT = None
_NORMAL_LUT = None
_CLIP_LO = 0.93  # linear value of sRGB 248: "clipped" starts here
_LUMA = np.array([[0.2126, 0.7152, 0.0722]], np.float32)  # Rec. 709 / sRGB luminance
#: mixes each channel's noise with the channel mean: unit variance, correlation 0.5
_MIX = ((np.eye(3) + np.ones((3, 3)) / 3.0) / math.sqrt(2.0)).astype(np.float32)
_SRGB_LUT = None
_SRGB_LUT_SIZE = 1 << 14


def _srgb_decode(v: np.ndarray) -> np.ndarray:
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _srgb_encode(v: np.ndarray) -> np.ndarray:
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(np.maximum(v, 0.0031308), 1 / 2.4) - 0.055)


def srgb_to_linear(image: np.ndarray) -> np.ndarray:
    """Decode 8-bit sRGB to linear light in ``[0, 1]`` (``float32``) [1]_.

    Parameters
    ----------
    image : ndarray
        ``uint8`` array of any shape.
    """
    global _LIN_LUT
    if image.dtype != np.uint8:
        raise ValueError(f"The parameter `image` must be uint8, got {image.dtype}")
    if _LIN_LUT is None:
        _LIN_LUT = _srgb_decode(np.arange(256) / 255.0).astype(np.float32)
    if image.ndim == 3 and image.shape[2] in (1, 3, 4) or image.ndim == 2:
        return cv2.LUT(np.ascontiguousarray(image), _LIN_LUT)
    return _LIN_LUT[image]


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """Encode linear light (clipped to ``[0, 1]``) to 8-bit sRGB, via a 14-bit lookup table.

    Parameters
    ----------
    linear : ndarray
        Float array of any shape.
    """
    global _SRGB_LUT
    if _SRGB_LUT is None:
        x = np.arange(_SRGB_LUT_SIZE) / (_SRGB_LUT_SIZE - 1)
        _SRGB_LUT = np.clip(np.round(_srgb_encode(x) * 255.0), 0, 255).astype(np.uint8)
    idx = np.clip(linear, 0.0, 1.0) * (_SRGB_LUT_SIZE - 1) + 0.5
    return _SRGB_LUT[idx.astype(np.int32)]


def extend_highlights(
    linear: np.ndarray,
    rng: np.random.Generator,
    *,
    max_gain: float = 40.0,
    max_area_gain: float = 2.5,
) -> tuple[np.ndarray, dict]:
    """Lift near-white regions above 1.0 so blur spreads them like real light sources.

    An 8-bit photo stores a lamp, the sun on chrome or a specular glint as plain white;
    in the scene it is tens to thousands of times brighter than white paper.  Pixels
    whose luminance is above ``threshold`` are multiplied by ``1 + g * w``, where ``w``
    rises smoothly from 0 at the threshold to 1 at white and ``g`` depends on the size
    of the bright region: small bright spots (narrower than ``spot`` times the long side,
    found by a morphological opening: lamps, glints) get the large ``gain``, pixels of
    larger bright areas (an overcast sky, a white wall, which are
    only a little over-exposed) and bright pixels that are not clipped in every channel
    (teeth, a white shirt) get the small ``area_gain``.  After a shake kernel and
    clipping, a lamp becomes a thin saturated streak, and under defocus a bright disc.

    Parameters
    ----------
    linear : ndarray
        ``float32`` HxWx3 linear image.
    rng : numpy.random.Generator
    max_gain : float
        Largest gain of small clipped spots (drawn log-uniformly from 4).
    max_area_gain : float
        Largest gain inside large bright areas (drawn log-uniformly from 1).

    Returns
    -------
    linear : ndarray
        A new array, or the input itself when no pixel is bright (the input is never modified).
    params : dict
        ``threshold`` (linear luminance), ``gain``, ``area_gain``, ``spot`` (largest spot
        width as a fraction of the long side) and ``fraction`` of affected pixels.
    """
    threshold = float(rng.uniform(0.80, 0.95))
    gain = float(math.exp(rng.uniform(math.log(4.0), math.log(max_gain))))
    area_gain = float(math.exp(rng.uniform(0.0, math.log(max_area_gain))))
    spot = float(rng.uniform(0.015, 0.03))
    lin = np.ascontiguousarray(linear, dtype=np.float32)
    lum = cv2.transform(lin, _LUMA)
    bright = (lum > threshold).astype(np.uint8)
    ys, xs = np.nonzero(bright)
    frac = float(len(ys) / lum.size)
    params = {"threshold": threshold, "gain": gain, "area_gain": area_gain, "spot": spot, "fraction": frac}
    if len(ys) == 0:
        return linear, params
    # a morphological opening keeps the bright regions wider than a spot (sky, wall, teeth);
    # what it removes are small spots: lamps, glints
    d = max(5, int(round(spot * max(lum.shape)))) | 1
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (d, d))  # separable: fast
    small = 1.0 - cv2.morphologyEx(bright, cv2.MORPH_OPEN, element)[ys, xs].astype(np.float32)
    # only truly clipped pixels (every channel at the 8-bit ceiling) can be light sources; bright
    # but unclipped details (teeth, a white shirt) keep the modest area gain
    cmin = lin[ys, xs].min(axis=1)
    clipped = np.clip((cmin - _CLIP_LO) / (1.0 - _CLIP_LO), 0.0, 1.0)
    g = area_gain + (gain - area_gain) * small * clipped
    w = np.clip((lum[ys, xs] - threshold) / (1.0 - threshold), 0.0, 1.0)
    w = w * w * (3 - 2 * w)  # smoothstep
    out = linear.copy()
    out[ys, xs] *= (1.0 + g * w)[:, None]
    return out, params


def _separable(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(column, row)`` 1-D factors when ``kernel`` is their outer product (Gaussian, box), else ``None``."""
    if min(kernel.shape) < 3:
        return None
    u, sv, vt = np.linalg.svd(kernel.astype(np.float64))
    if sv[1] > 1e-7 * sv[0]:
        return None
    col = u[:, 0] * math.sqrt(sv[0])
    row = vt[0] * math.sqrt(sv[0])
    if col.sum() < 0:
        col, row = -col, -row
    return col.astype(np.float32), row.astype(np.float32)


def apply_kernel(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolve each channel with ``kernel`` (reflected borders), ``float32`` in and out.

    Separable kernels (Gaussian, box) run as two 1-D passes; others go to OpenCV's
    ``filter2D``, which switches to a DFT for large kernels by itself, so 80-px shake
    kernels stay affordable.  The kernel is flipped so that this is a true convolution.
    """
    if kernel.shape == (1, 1):
        return image.astype(np.float32, copy=True)
    img = image.astype(np.float32, copy=False)
    k = np.ascontiguousarray(kernel[::-1, ::-1], dtype=np.float32)
    sep = _separable(k)
    if sep is not None:
        col, row = sep
        return cv2.sepFilter2D(img, -1, row, col, borderType=cv2.BORDER_REFLECT)
    return cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT)


def apply_kernel_grid(image: np.ndarray, kernels: list[np.ndarray], ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Space-variant blur: convolve with each anchor kernel and blend with bilinear (tent) weights.

    ``kernels`` are row-major over the anchor rows ``ys`` and columns ``xs`` (pixel coordinates,
    first and last on the image border); the weights sum to 1 at every pixel.
    """
    h, w = image.shape[:2]

    def tents(anchors: np.ndarray, n: int) -> np.ndarray:
        t = np.arange(n, dtype=np.float32)[None, :]
        step = max(float(anchors[1] - anchors[0]), 1e-6)
        return np.clip(1.0 - np.abs(t - anchors[:, None].astype(np.float32)) / step, 0.0, 1.0)

    wy, wx = tents(ys, h), tents(xs, w)
    out = np.zeros(image.shape, np.float32)
    for i in range(len(ys)):
        rows = np.flatnonzero(wy[i] > 0)
        for j in range(len(xs)):
            cols = np.flatnonzero(wx[j] > 0)
            # convolve only the region this anchor weighs (plus a kernel-sized margin)
            k = kernels[i * len(xs) + j]
            my, mx = k.shape[0] // 2 + 1, k.shape[1] // 2 + 1
            y0, y1 = max(0, rows[0] - my), min(h, rows[-1] + 1 + my)
            x0, x1 = max(0, cols[0] - mx), min(w, cols[-1] + 1 + mx)
            part = apply_kernel(image[y0:y1, x0:x1], k)
            r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            wgt = np.outer(wy[i, r0:r1], wx[j, c0:c1])
            if image.ndim == 3:
                wgt = wgt[..., None]
            out[r0:r1, c0:c1] += wgt * part[r0 - y0: r1 - y0, c0 - x0: c1 - x0]
    return out


def sample_noise(rng: np.random.Generator) -> dict:
    """Draw a Poisson-Gaussian noise level (linear light, full well = 1.0) [2]_ [3]_.

    ``shot`` (variance per unit signal) is log-uniform from 5e-6 to 1.5e-3, i.e. a
    mid-grey standard deviation of about 0.3 to 5 levels of 255 in the final image.  These
    are the levels of photos *as seen at about the analysis scale* (1024 px): camera and
    phone JPEGs after their built-in denoising, further reduced by the downscale (shrinking
    a 12-MP frame to 1024 px divides white-noise std by ~4).  Raw sensor noise is far
    stronger, but no scanned photo shows it.  ``read`` (standard deviation) is tied to
    ``shot`` with some scatter.
    """
    log_shot = rng.uniform(math.log(5e-6), math.log(1.5e-3))
    shot = math.exp(log_shot)
    read = math.exp(0.5 * log_shot + rng.normal(-2.0, 0.3))  # ~ sqrt(shot)/7
    grain = float(rng.uniform(0.0, 1.2)) if rng.random() < 0.6 else 0.0
    return {"shot": float(shot), "read": float(read), "grain": grain}


def normal_field(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal ``float32`` samples, 16-bit quantised (inverse CDF of uniform 16-bit integers).

    Three times faster than ``rng.standard_normal`` on these machines and exactly
    reproducible from ``rng``; the tails are cut at +-4.3 sigma, which 8-bit images never show.
    """
    global _NORMAL_LUT
    if _NORMAL_LUT is None:
        from statistics import NormalDist

        inv = NormalDist().inv_cdf
        _NORMAL_LUT = np.array([inv((i + 0.5) / 65536.0) for i in range(65536)], np.float32)
    n = int(np.prod(shape))
    u = np.frombuffer(rng.bytes(2 * n), dtype="<u2").reshape(shape)
    return _NORMAL_LUT[u]


def add_sensor_noise(
    linear: np.ndarray, rng: np.random.Generator, shot: float, read: float, grain: float = 0.0
) -> np.ndarray:
    """Add clipped Poisson-Gaussian noise: variance ``shot * x + read**2`` (Gaussian approximation) [2]_.

    The colour correlation left by demosaicking is imitated by adding the channel mean
    of the noise to each channel (correlation 0.5, unit variance).  ``grain`` (px) low-pass
    filters the noise field, rescaled to unit variance: camera denoising and demosaicking
    leave grainy, spatially correlated residual noise rather than independent pixels.
    """
    x = np.clip(linear, 0.0, 1.0).astype(np.float32, copy=False)
    n = normal_field(rng, x.shape)
    if x.ndim == 3 and x.shape[2] == 3:
        n = cv2.transform(n, _MIX)
    if grain >= 0.3:
        ksize = int(round(grain * 8 + 1)) | 1
        g = cv2.getGaussianKernel(ksize, grain, cv2.CV_64F)
        n = cv2.GaussianBlur(n, (ksize, ksize), grain, borderType=cv2.BORDER_REFLECT)
        n *= np.float32(1.0 / float((g**2).sum()))  # 2-D gain of a separable kernel = (sum g^2)^2, std = sum g^2
    std = x * np.float32(shot)
    std += np.float32(read * read)
    np.sqrt(std, out=std)
    n *= std
    n += x
    return np.clip(n, 0.0, 1.0, out=n)


def sharpen(image: np.ndarray, amount: float, radius: float) -> np.ndarray:
    """Unsharp mask on a ``uint8`` image, as camera and phone pipelines apply before JPEG."""
    if amount <= 0:
        return image
    blurred = cv2.GaussianBlur(image, (0, 0), radius)
    return cv2.addWeighted(image, 1.0 + amount, blurred, -amount, 0)


def jpeg_roundtrip(image: np.ndarray, quality: int, subsampling: int = 2) -> tuple[np.ndarray, bytes]:
    """Encode ``image`` (uint8 RGB) as JPEG with Pillow and decode it again.

    Parameters
    ----------
    image : ndarray
    quality : int
        1..95.
    subsampling : int
        Pillow's chroma subsampling: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0.

    Returns
    -------
    decoded : ndarray
        The decoded ``uint8`` RGB image.
    data : bytes
        The JPEG file, to be written as is (never re-encoded).
    """
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=int(quality), subsampling=int(subsampling))
    data = buf.getvalue()
    with pixel_limit(DEFAULT_MAX_PIXELS), Image.open(io.BytesIO(data)) as im:  # (not the program's guard)
        decoded = np.asarray(im.convert("RGB"))
    return decoded, data
