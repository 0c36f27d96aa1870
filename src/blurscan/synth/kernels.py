"""Point-spread functions (blur kernels) for synthetic blur.

Every kernel is a 2-D ``float32`` array that is non-negative, sums to 1 and has odd
height and width so that its centre is a pixel.  Every function returns
``(kernel, params)`` where ``params`` is a JSON-serialisable dict holding the
arguments and every random value drawn, so a kernel can be rebuilt exactly.

Sizes are in pixels *of the image the kernel is applied to*; the conversion from
the 1024-px analysis scale happens in :mod:`blurscan.synth.pipeline`.

References
----------
.. [1] G. Boracchi and A. Foi, "Modeling the performance of image restoration from
   motion blur", IEEE Trans. Image Processing 21(8), 2012 -- random camera-shake
   trajectories built from a random walk with inertia and impulsive jerks.
.. [2] A. Levin, Y. Weiss, F. Durand, W. T. Freeman, "Understanding and evaluating
   blind deconvolution algorithms", CVPR 2009 -- measured shake kernels are curved,
   of uneven intensity (the camera lingers), 10-40 px long.
.. [4] O. Whyte, J. Sivic, A. Zisserman, J. Ponce, "Non-uniform deblurring for shaken
   images", CVPR 2010 -- camera rotation makes shake blur vary across the frame.
.. [5] M. Hirsch, S. Sra, B. Schoelkopf, S. Harmeling, "Efficient filter flow for
   space-variant multiframe blind deconvolution", CVPR 2010 -- blending a grid of kernels.
.. [3] E. Hecht, *Optics*, ch. 5 -- geometric defocus PSF is the image of the
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
    "shake_kernel",
    "shake_kernel_grid",
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
        the frame corners [3]_).
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
    path where the camera moves slowly gets brighter, as in real shake kernels [2]_.

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


def _smooth1d(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing along axis 0 with reflected ends."""
    if sigma < 0.5:
        return x
    half = int(math.ceil(3 * sigma))
    t = np.arange(-half, half + 1)
    g = np.exp(-0.5 * (t / sigma) ** 2)
    g /= g.sum()
    pad = np.pad(x, ((half, half), (0, 0)), mode="reflect")
    return np.stack([np.convolve(pad[:, j], g, mode="valid") for j in range(x.shape[1])], axis=1)


def _shake_path(rng: np.random.Generator, n: int, turns: float, drift: float, jerk_rate: float,
                pause_rate: float, anisotropy: float) -> tuple[np.ndarray, dict]:
    """Random camera-shake trajectory sampled at uniform time steps (unit-free).

    Velocity = a constant drift (the press of the shutter, a slow sway) plus a smooth
    random wander (low-pass filtered white acceleration: hand tremor, a few turns per
    exposure) plus rare short velocity pulses (jerks), in the spirit of Boracchi &
    Foi [1]_.  A smooth random speed profile with near-stops (pauses) then makes the
    exposure uneven along the path, as in measured kernels [2]_.
    """
    scale = np.array([1.0, anisotropy])
    acc = _smooth1d(rng.standard_normal((n, 2)) * scale, n / (4.0 * turns))
    wander = np.cumsum(acc, axis=0)
    wander -= wander.mean(axis=0)
    wander /= max(float(np.sqrt((wander**2).sum(axis=1).mean())), 1e-12)
    ang = rng.uniform(0, 2 * math.pi)
    vel = wander + drift * np.array([math.cos(ang), math.sin(ang)])
    n_jerks = int(rng.poisson(jerk_rate))
    t = np.arange(n)
    for _ in range(n_jerks):
        t0 = rng.uniform(0, n)
        width = rng.uniform(n / 80, n / 25)
        amp = rng.uniform(2.0, 6.0)
        ja = rng.uniform(0, 2 * math.pi)
        pulse = np.exp(-0.5 * ((t - t0) / width) ** 2)
        vel += amp * pulse[:, None] * np.array([math.cos(ja), math.sin(ja)])
    pts = np.cumsum(vel, axis=0)
    # uneven speed: a smooth random speed profile with a few near-stops (pauses)
    n_knots = int(rng.integers(3, 9))
    speed = rng.uniform(0.3, 1.0, n_knots)
    n_pauses = int(rng.poisson(pause_rate))
    pause_at = rng.integers(0, n_knots, n_pauses) if n_pauses else np.zeros(0, int)
    speed[pause_at] = rng.uniform(0.02, 0.15, n_pauses)
    speed_t = np.interp(np.linspace(0, n_knots - 1, n), np.arange(n_knots), speed)
    # resample the geometric path at the times given by the speed profile
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    travelled = np.concatenate([[0.0], np.cumsum(speed_t[1:])])
    travelled *= arc[-1] / max(travelled[-1], 1e-12)
    xs = np.interp(travelled, arc, pts[:, 0])
    ys = np.interp(travelled, arc, pts[:, 1])
    info = {"n_jerks": n_jerks, "n_pauses": n_pauses, "speed_knots": [round(float(s), 4) for s in speed]}
    return np.stack([xs, ys], axis=1), info


def shake_kernel(
    rng: np.random.Generator,
    length_px: float,
    *,
    n_steps: int = 256,
) -> tuple[np.ndarray, dict]:
    """Random hand-held camera-shake kernel whose path is ``length_px`` pixels long.

    The trajectory is curved, may turn back, has uneven speed (pauses show as bright
    knots, jerks as sharp turns) and is scaled so that its total path length equals
    ``length_px``.  All randomness comes from one sub-seed drawn from ``rng`` and is
    recorded in ``params["trajectory_seed"]``, so the kernel is reproducible.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    length_px : float
        Path length in pixels (``>= 0``).
    n_steps : int
        Number of time samples along the exposure.

    Returns
    -------
    kernel : ndarray
    params : dict
        ``length_px``, ``trajectory_seed``, ``turns``, ``drift``, ``jerk_rate``,
        ``pause_rate``, ``anisotropy``, ``rotation_deg`` plus summaries (``n_jerks``, ``n_pauses``,
        ``extent_px`` = largest side of the bounding box of the path).

    References
    ----------
    See [1]_ and [2]_ in the module docstring.
    """
    length_px = _check_positive("length_px", length_px)
    pts, params, _ = _shake_trajectory(rng, length_px, n_steps)
    if pts is None:
        params["extent_px"] = 1
        return np.ones((1, 1), np.float32), params
    kernel = _path_kernel(pts)
    nz = np.argwhere(kernel > 0)
    params["extent_px"] = int((nz.max(axis=0) - nz.min(axis=0) + 1).max())
    return kernel, params


def _shake_trajectory(
    rng: np.random.Generator, length_px: float, n_steps: int
) -> tuple[np.ndarray | None, dict, np.random.Generator]:
    """Time samples ``(n_steps, 2)`` of a shake path of length ``length_px`` (``None`` if degenerate)."""
    traj_seed = int(rng.integers(0, 2**31 - 1))
    sub = np.random.default_rng(traj_seed)
    turns = float(sub.uniform(0.3, 3.0))
    drift = float(sub.uniform(0.0, 2.0))
    jerk_rate = float(sub.uniform(0.0, 1.5))
    pause_rate = float(sub.uniform(0.0, 1.5))
    anisotropy = float(sub.uniform(0.3, 1.0))
    params = {
        "length_px": length_px,
        "trajectory_seed": traj_seed,
        "n_steps": int(n_steps),
        "turns": turns,
        "drift": drift,
        "jerk_rate": jerk_rate,
        "pause_rate": pause_rate,
        "anisotropy": anisotropy,
    }
    pts, info = _shake_path(sub, int(n_steps), turns, drift, jerk_rate, pause_rate, anisotropy)
    # random overall orientation
    rot = sub.uniform(0, 2 * math.pi)
    c, s = math.cos(rot), math.sin(rot)
    pts = pts @ np.array([[c, -s], [s, c]]).T
    params["rotation_deg"] = math.degrees(rot)
    params.update(info)
    path_len = float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())
    if length_px < 1e-3 or path_len < 1e-9:
        return None, params, sub
    return pts * (length_px / path_len), params, sub


def _path_kernel(pts: np.ndarray) -> np.ndarray:
    """Kernel of a path sampled at equal time steps, densified to a continuous streak."""
    # densify so consecutive samples are < 0.25 px apart
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    reps = np.maximum(1, np.ceil(seg / 0.25).astype(int))
    fine = [pts[:1]]
    wts = [np.ones(1)]
    for i, r in enumerate(reps):
        f = np.linspace(0, 1, r + 1)[1:, None]
        fine.append(pts[i] + f * (pts[i + 1] - pts[i]))
        # each original time step's exposure is spread over its sub-samples
        wts.append(np.full(r, 1.0 / r))
    return splat_path(np.concatenate(fine), np.concatenate(wts))


def shake_kernel_grid(
    rng: np.random.Generator,
    length_px: float,
    shape: tuple[int, int],
    roll_px: float,
    *,
    grid: int = 3,
    n_steps: int = 256,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, dict]:
    """Spatially varying shake: a translation path plus an in-plane rotation (roll) of the camera.

    Roll displaces a pixel at offset ``(x, y)`` from the image centre by ``theta(t) * (-y, x)``,
    so the kernel changes across the frame (Whyte et al. 2010).  Kernels are computed on a
    ``grid x grid`` lattice of anchors; :func:`blurscan.synth.camera.apply_kernel_grid` blends the
    anchor convolutions with bilinear weights (efficient filter flow, Hirsch et al. 2010).
    The translation path is the one :func:`shake_kernel` draws from the same ``rng`` state.

    Parameters
    ----------
    rng : numpy.random.Generator
    length_px : float
        Path length of the translation in pixels.
    shape : (int, int)
        ``(height, width)`` of the image.
    roll_px : float
        Largest displacement due to roll, at the image corners, in pixels.
    grid : int
        Anchors per side (>= 2).

    Returns
    -------
    kernels : list of ndarray
        Row-major, ``grid * grid`` kernels.
    ys, xs : ndarray
        Anchor row and column coordinates (pixels).
    params : dict
        :func:`shake_kernel`'s parameters plus ``roll_px``, ``roll_seed``, ``grid``.
    """
    length_px = _check_positive("length_px", length_px)
    roll_px = _check_positive("roll_px", roll_px)
    if grid < 2:
        raise ValueError(f"The parameter `grid` must be >= 2, got {grid}")
    h, w = int(shape[0]), int(shape[1])
    pts, params, sub = _shake_trajectory(rng, length_px, n_steps)
    roll_seed = int(sub.integers(0, 2**31 - 1))
    params.update({"roll_px": roll_px, "roll_seed": roll_seed, "grid": int(grid)})
    ys = np.linspace(0, h - 1, grid)
    xs = np.linspace(0, w - 1, grid)
    if pts is None:
        pts = np.zeros((int(n_steps), 2))
    # smooth random roll angle over the exposure, scaled so the corners move by roll_px at most
    rr = np.random.default_rng(roll_seed)
    theta = np.cumsum(_smooth1d(rr.standard_normal((int(n_steps), 1)), n_steps / 6.0), axis=0)[:, 0]
    theta -= theta.mean()
    half_diag = math.hypot(h, w) / 2.0
    theta *= roll_px / max(float(np.abs(theta).max()) * half_diag, 1e-12)
    kernels = []
    for y in ys:
        for x in xs:
            oy, ox = y - (h - 1) / 2.0, x - (w - 1) / 2.0
            p = pts + theta[:, None] * np.array([-oy, ox])[None, :]
            kernels.append(_path_kernel(p) if np.ptp(p, axis=0).max() > 1e-6 else np.ones((1, 1), np.float32))
    return kernels, ys, xs, params
