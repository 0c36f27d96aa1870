"""Point-spread functions (blur kernels) for synthetic blur.

Every kernel is a 2-D ``float32`` array that is non-negative, sums to 1 and has odd
height and width so that its centre is a pixel.  Every function returns
``(kernel, params)`` where ``params`` is a JSON-serialisable dict holding the
arguments and every random value drawn, so a kernel can be rebuilt exactly.

Sizes are in pixels *of the image the kernel is applied to*; the conversion from
the 1024-px analysis scale happens in :mod:`blurscan.synth.pipeline`.

Camera-shake kernels are in :mod:`blurscan.synth.shake`; :func:`splat_path` rasterises
their trajectories (and the straight path of :func:`linear_motion_kernel`).

References
----------
.. [1] E. Hecht, *Optics*, ch. 5 -- geometric defocus PSF is the image of the
   aperture: a uniform disk; mechanical vignetting clips it to a "cat-eye".
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "box_kernel",
    "disk_kernel",
    "gaussian_kernel",
    "linear_motion_kernel",
    "normalise_kernel",
    "splat_path",
]

_SUPERSAMPLE = 8


def normalise_kernel(kernel: np.ndarray) -> np.ndarray:
    """Clip a kernel to non-negative values, pad it to odd size and scale it to sum 1.

    Parameters
    ----------
    kernel : ndarray
        2-D array of weights.

    Returns
    -------
    ndarray
        ``float32`` kernel, non-negative, summing to 1, odd height and width.
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2:
        raise ValueError(f"The parameter `kernel` must be a 2-D array, got {k.ndim}-D")
    k = np.clip(k, 0.0, None)
    total = k.sum()
    if not np.isfinite(total) or total <= 0:
        raise ValueError("The parameter `kernel` has no positive weight")
    # trim all-zero borders symmetrically (the central pixel stays central), then pad to odd size
    for axis in (0, 1):
        nz = np.flatnonzero(k.sum(axis=1 - axis) > 0)
        cut = min(int(nz[0]), k.shape[axis] - 1 - int(nz[-1]))
        if cut > 0:
            k = k[cut:-cut] if axis == 0 else k[:, cut:-cut]
    if k.shape[0] % 2 == 0:
        k = np.pad(k, ((0, 1), (0, 0)))
    if k.shape[1] % 2 == 0:
        k = np.pad(k, ((0, 0), (0, 1)))
    k = k / k.sum()
    return k.astype(np.float32)


def _centre_on_mass(k: np.ndarray) -> np.ndarray:
    """Pad ``k`` so that its centre of mass lies on the central pixel (no image shift)."""
    k = np.asarray(k, dtype=np.float64)
    ys, xs = np.indices(k.shape)
    total = k.sum()
    cy = (ys * k).sum() / total
    cx = (xs * k).sum() / total
    # pad so that the pixel nearest the centre of mass is the central one (odd size, shift <= 0.5 px)
    pads = []
    for c, n in ((cy, k.shape[0]), (cx, k.shape[1])):
        ci = int(round(c))
        pads.append((max(0, (n - 1 - ci) - ci), max(0, ci - (n - 1 - ci))))
    return np.pad(k, pads)


def _check_positive(name: str, value: float, minimum: float = 0.0) -> float:
    value = float(value)
    if not np.isfinite(value) or value < minimum:
        raise ValueError(f"The parameter `{name}` must be a finite number >= {minimum}, got {value}")
    return value


def gaussian_kernel(sigma: float, truncate: float = 3.5) -> tuple[np.ndarray, dict]:
    """Isotropic Gaussian PSF, integrated over each pixel's area.

    Pixel-area integration (differences of the error function) keeps small sigmas
    (< 1 px) exact instead of collapsing to a delta.

    Parameters
    ----------
    sigma : float
        Standard deviation in pixels (``>= 0``; ``0`` gives the identity kernel).
    truncate : float
        Half-size of the kernel in units of ``sigma``.

    Returns
    -------
    kernel : ndarray
        ``float32`` kernel summing to 1.
    params : dict
        ``{"sigma": ..., "truncate": ...}``.
    """
    sigma = _check_positive("sigma", sigma)
    params = {"sigma": sigma, "truncate": float(truncate)}
    if sigma < 1e-3:
        return np.ones((1, 1), np.float32), params
    half = max(1, int(math.ceil(truncate * sigma)))
    edges = (np.arange(-half, half + 2) - 0.5) / (sigma * math.sqrt(2.0))
    cdf = 0.5 * (1.0 + np.array([math.erf(e) for e in edges]))
    profile = np.diff(cdf)
    return normalise_kernel(np.outer(profile, profile)), params


def _box_profile(size: float) -> np.ndarray:
    """1-D box of (possibly fractional) width ``size`` centred on a pixel."""
    half = size / 2.0
    n = int(math.ceil(half - 0.5))
    x = np.arange(-n, n + 1, dtype=np.float64)
    # overlap of [x-0.5, x+0.5] with [-half, half]
    prof = np.clip(np.minimum(x + 0.5, half) - np.maximum(x - 0.5, -half), 0.0, 1.0)
    return prof


def box_kernel(size: float) -> tuple[np.ndarray, dict]:
    """Square box (mean) filter of side ``size`` pixels; fractional sizes weight the edge pixels.

    Parameters
    ----------
    size : float
        Side in pixels (``>= 1``).

    Returns
    -------
    kernel : ndarray
    params : dict
        ``{"size": ...}``.
    """
    size = _check_positive("size", size, 1.0)
    prof = _box_profile(size)
    return normalise_kernel(np.outer(prof, prof)), {"size": size}


def disk_kernel(
    radius: float,
    softness: float = 0.0,
    cat_eye: float = 0.0,
    cat_eye_angle_deg: float = 0.0,
) -> tuple[np.ndarray, dict]:
    """Defocus PSF: the lens aperture imaged as a disk, anti-aliased by supersampling.

    Parameters
    ----------
    radius : float
        Disk radius in pixels (``>= 0.5``; a radius below 0.5 px is the identity).
    softness : float
        Width of a smooth (raised-cosine) edge as a fraction of ``radius`` (0 = hard edge,
        as for a clean lens; 0.3-0.5 mimics aberrations / an apodised bokeh).
    cat_eye : float
        Mechanical vignetting, 0..0.9: the disk is intersected with a second disk of
        the same radius shifted by ``cat_eye * 2 * radius`` (the "cat-eye" bokeh of
        the frame corners [1]_).
    cat_eye_angle_deg : float
        Direction of the shift (the radial direction from the image centre).

    Returns
    -------
    kernel : ndarray
    params : dict
    """
    radius = _check_positive("radius", radius)
    softness = float(np.clip(softness, 0.0, 1.0))
    cat_eye = float(np.clip(cat_eye, 0.0, 0.9))
    params = {
        "radius": radius,
        "softness": softness,
        "cat_eye": cat_eye,
        "cat_eye_angle_deg": float(cat_eye_angle_deg),
    }
    if radius < 0.5:
        return np.ones((1, 1), np.float32), params
    half = int(math.ceil(radius)) + 1
    n = 2 * half + 1
    s = _SUPERSAMPLE
    coords = (np.arange(n * s) + 0.5) / s - half - 0.5
    yy, xx = np.meshgrid(coords, coords, indexing="ij")

    def aperture(cx: float, cy: float) -> np.ndarray:
        r = np.hypot(xx - cx, yy - cy)
        if softness <= 0:
            return (r <= radius).astype(np.float64)
        inner = radius * (1.0 - softness)
        t = np.clip((r - inner) / max(radius - inner, 1e-6), 0.0, 1.0)
        return 0.5 * (1.0 + np.cos(np.pi * t))

    a = aperture(0.0, 0.0)
    if cat_eye > 0:
        th = math.radians(cat_eye_angle_deg)
        shift = cat_eye * 2.0 * radius
        a = a * aperture(shift * math.cos(th), shift * math.sin(th))
    k = a.reshape(n, s, n, s).sum(axis=(1, 3))
    if k.sum() <= 0:
        return np.ones((1, 1), np.float32), params
    return normalise_kernel(_centre_on_mass(k)), params


def splat_path(points: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Rasterise a sampled 2-D path into a kernel by bilinear splatting.

    Each sample deposits its weight (exposure time) on the four nearest pixels, so a
    path where the camera moves slowly gets brighter, as in measured shake kernels
    (Levin et al. 2009).

    Parameters
    ----------
    points : ndarray, shape (N, 2)
        ``(x, y)`` positions in pixels (any origin).
    weights : ndarray, shape (N,), optional
        Exposure weight of each sample (default: equal).

    Returns
    -------
    ndarray
        Normalised ``float32`` kernel whose centre of mass is the central pixel.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
        raise ValueError("The parameter `points` must be an (N, 2) array with N >= 1")
    w = np.ones(len(pts)) if weights is None else np.asarray(weights, dtype=np.float64)
    # centre the path on its exposure-weighted centroid so the blur does not shift the image
    c = (pts * w[:, None]).sum(axis=0) / w.sum()
    pts = pts - c
    half = int(math.ceil(np.abs(pts).max())) + 2
    n = 2 * half + 1
    x = pts[:, 0] + half
    y = pts[:, 1] + half
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    fx = x - x0
    fy = y - y0
    k = np.zeros((n, n), np.float64)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            np.add.at(k, (y0 + dy, x0 + dx), w * wy * wx)
    return normalise_kernel(_centre_on_mass(k))


def linear_motion_kernel(length: float, angle_deg: float) -> tuple[np.ndarray, dict]:
    """Straight, uniform-speed motion blur of ``length`` pixels at ``angle_deg``.

    Parameters
    ----------
    length : float
        Path length in pixels (``>= 0``; below 1 px the kernel is nearly the identity).
    angle_deg : float
        Direction, degrees counter-clockwise from the +x axis (image y points down).

    Returns
    -------
    kernel : ndarray
    params : dict
    """
    length = _check_positive("length", length)
    params = {"length": length, "angle_deg": float(angle_deg)}
    if length < 1e-3:
        return np.ones((1, 1), np.float32), params
    n = max(2, int(math.ceil(length * 4)))
    t = ((np.arange(n) + 0.5) / n - 0.5) * length  # midpoints of n equal pieces of the exposure
    th = math.radians(angle_deg)
    pts = np.stack([t * math.cos(th), -t * math.sin(th)], axis=1)
    return splat_path(pts), params
