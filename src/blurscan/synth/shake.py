"""Random camera-shake kernels: curved trajectories with uneven speed, jerks, pauses and roll.

Every function takes a ``numpy.random.Generator`` and returns the parameters it drew;
the trajectory itself comes from one recorded sub-seed, so a kernel can be rebuilt.

References
----------
.. [1] G. Boracchi and A. Foi, "Modeling the performance of image restoration from motion
   blur", IEEE Trans. Image Processing 21(8), 2012 -- random camera-shake trajectories
   from a random walk with inertia and impulsive jerks.
.. [2] A. Levin, Y. Weiss, F. Durand, W. T. Freeman, "Understanding and evaluating blind
   deconvolution algorithms", CVPR 2009 -- measured shake kernels are curved, of uneven
   intensity (the camera lingers), 10-40 px long.
.. [3] O. Whyte, J. Sivic, A. Zisserman, J. Ponce, "Non-uniform deblurring for shaken
   images", CVPR 2010 -- camera rotation makes shake blur vary across the frame.
.. [4] M. Hirsch, S. Sra, B. Schoelkopf, S. Harmeling, "Efficient filter flow for
   space-variant multiframe blind deconvolution", CVPR 2010 -- blending a grid of kernels.
"""

from __future__ import annotations

import math

import numpy as np

from .kernels import _check_positive, splat_path

__all__ = ["shake_kernel", "shake_kernel_grid"]


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
