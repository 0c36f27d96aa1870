"""Focus masks and spatially varying (partial) defocus.

A shallow depth of field leaves a region sharp (a centred subject, or a subject-shaped
region) while the rest is out of focus; the blur grows with distance from the plane
of focus, so the background is blended from two blur levels by the distance to the
sharp region.  Missed focus is the reverse: the subject soft, the background sharp.

References
----------
.. [1] S. Bae and F. Durand, "Defocus magnification", Eurographics 2007 -- defocus
   blur varies smoothly with depth away from the focused subject.
.. [2] J. Shi, L. Xu, J. Jia, "Discriminative blur detection features", CVPR 2014 --
   the CUHK partial-blur set: sharp subjects over blurred backgrounds.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

__all__ = ["focus_mask", "blend_by_mask", "depth_weight"]

_MASK_SIDE = 384


def _feather(binary: np.ndarray, width_px: float) -> np.ndarray:
    """Smooth a 0/1 mask into a 0..1 transition about ``width_px`` wide."""
    m = binary.astype(np.float32)
    if width_px < 0.5:
        return m
    sigma = width_px / 2.0
    return np.clip(cv2.GaussianBlur(m, (0, 0), sigma, borderType=cv2.BORDER_REFLECT), 0.0, 1.0)


#: Radius of a ``"small"`` subject (fraction of the long side): about 1.5-9 % of a 4:3 frame.
SMALL_SUBJECT_R0 = (0.06, 0.15)
#: Random candidate places the small subject is chosen among (the most detailed wins).
SMALL_SUBJECT_CANDIDATES = 12


def _detailed_place(rng: np.random.Generator, detail: np.ndarray | None, shape: tuple[int, int],
                    radius_px: float) -> tuple[float, float]:
    """Centre ``(cx, cy)`` (fractions of the width and height) of a subject of ``radius_px``: the candidate
    whose disc holds the most ``detail`` (uniformly random without a map)."""
    h, w = shape
    mx = min(0.5, radius_px / w)
    my = min(0.5, radius_px / h)
    cands = np.column_stack([rng.uniform(mx, 1 - mx, SMALL_SUBJECT_CANDIDATES),
                             rng.uniform(my, 1 - my, SMALL_SUBJECT_CANDIDATES)])
    if detail is None:
        return float(cands[0, 0]), float(cands[0, 1])
    d = np.asarray(detail, np.float32)
    side = max(3, int(round(radius_px * d.shape[1] / w)) | 1)
    local = cv2.boxFilter(d, -1, (side, side), borderType=cv2.BORDER_REFLECT)
    ys = np.clip((cands[:, 1] * d.shape[0]).astype(int), 0, d.shape[0] - 1)
    xs = np.clip((cands[:, 0] * d.shape[1]).astype(int), 0, d.shape[1] - 1)
    best = int(np.argmax(local[ys, xs]))
    return float(cands[best, 0]), float(cands[best, 1])


def focus_mask(
    rng: np.random.Generator,
    shape: tuple[int, int],
    kind: str = "centre",
    detail: np.ndarray | None = None,
) -> tuple[np.ndarray, dict]:
    """Random smooth mask of the in-focus region: ``1`` = sharp, ``0`` = out of focus.

    Parameters
    ----------
    rng : numpy.random.Generator
    shape : (int, int)
        ``(height, width)`` of the image.
    kind : {"centre", "subject"}
        ``"centre"``: an ellipse near the image centre (the blog's "sharp centre,
        blurry background").  ``"subject"``: a blob with a wavy outline (random
        radial harmonics) placed near a rule-of-thirds point, optionally with a
        "body" reaching the bottom edge, like a person or an object on a table.
        ``"small"``: a compact wavy blob covering about 1.5-9 % of the frame (a bird,
        a distant person, a flower), placed where the image has detail (see ``detail``).
    detail : ndarray, optional
        HxW map of local detail (e.g. the smoothed absolute Laplacian).  For
        ``"small"`` the subject goes to the most detailed of a few random candidate
        places, as a photographer focuses on the subject, not on the sky: a small
        sharp region over a flat area would carry no sharpness to see.

    Returns
    -------
    mask : ndarray
        ``float32`` HxW in ``[0, 1]``.
    params : dict
        Every drawn value (centre and radii as fractions of the image size,
        harmonics, feather width as a fraction of the long side).
    """
    h, w = int(shape[0]), int(shape[1])
    if h < 2 or w < 2:
        raise ValueError(f"The parameter `shape` must be at least 2x2, got {shape}")
    # the mask is smooth: draw it at most _MASK_SIDE px long, then resize (fast on 48-MP frames)
    f = min(1.0, _MASK_SIDE / max(h, w))
    sh, sw = max(2, round(h * f)), max(2, round(w * f))
    long_side = max(sh, sw)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    yy = (yy + 0.5) * (h / sh) - 0.5  # coordinates in full-size pixels
    xx = (xx + 0.5) * (w / sw) - 0.5
    feather = float(rng.uniform(0.01, 0.06))
    params: dict = {"kind": kind, "feather": feather}
    if kind == "centre":
        cx = float(rng.uniform(0.42, 0.58))
        cy = float(rng.uniform(0.40, 0.60))
        rx = float(rng.uniform(0.15, 0.35))
        ry = float(rx * rng.uniform(0.7, 1.4) * w / h)
        ry = float(min(ry, 0.45))
        params.update({"cx": cx, "cy": cy, "rx": rx, "ry": ry})
        d = ((xx - cx * w) / (rx * w)) ** 2 + ((yy - cy * h) / (ry * h)) ** 2
        binary = d <= 1.0
    elif kind in ("subject", "small"):
        if kind == "subject":
            cx = float(rng.choice([1 / 3, 1 / 2, 2 / 3]) + rng.uniform(-0.06, 0.06))
            cy = float(rng.uniform(0.30, 0.55))
            r0 = float(rng.uniform(0.10, 0.22))  # fraction of the long side
        else:
            r0 = float(rng.uniform(*SMALL_SUBJECT_R0))
            cx, cy = _detailed_place(rng, detail, (h, w), r0 * max(h, w))
        n_harm = 5
        amps = (rng.uniform(0, 0.25, n_harm) / np.arange(1, n_harm + 1)).tolist()
        phases = rng.uniform(0, 2 * math.pi, n_harm).tolist()
        body = bool(rng.random() < 0.6) and kind == "subject"
        body_width = float(rng.uniform(0.8, 1.6))  # relative to r0
        params.update({"cx": cx, "cy": cy, "r0": r0, "amps": amps, "phases": phases,
                       "body": body, "body_width": body_width})
        dx = xx - cx * w
        dy = yy - cy * h
        theta = np.arctan2(dy, dx)
        r = np.full_like(theta, r0 * max(h, w))
        for k in range(n_harm):
            r = r * (1.0 + amps[k] * np.cos((k + 2) * theta + phases[k]))
        binary = np.hypot(dx, dy) <= r
        if body:
            half = body_width * r0 * max(h, w)
            # a trunk widening downwards from the blob centre to the bottom edge
            widen = 1.0 + 0.6 * np.clip(dy / max(h * (1 - cy), 1.0), 0.0, 1.0)
            binary |= (dy >= 0) & (np.abs(dx) <= half * widen)
    else:
        raise ValueError(f"The parameter `kind` must be 'centre', 'subject' or 'small', got {kind!r}")
    mask = _feather(binary, feather * long_side)
    if (sh, sw) != (h, w):
        mask = np.clip(cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR), 0.0, 1.0)
    return mask.astype(np.float32), params


def depth_weight(mask: np.ndarray, reach: float) -> np.ndarray:
    """Weight in ``[0, 1]`` growing with distance from the sharp region (1 = far).

    ``reach`` is the distance (fraction of the long side) at which the full blur is
    reached; closer pixels get the lighter blur level, imitating depth increasing away
    from the focused subject [1]_.
    """
    h, w = mask.shape
    f = min(1.0, _MASK_SIDE / max(h, w))  # smooth too: computed small, resized
    small = cv2.resize(mask, (max(2, round(w * f)), max(2, round(h * f))), interpolation=cv2.INTER_AREA) \
        if f < 1 else mask
    outside = (small < 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(outside, cv2.DIST_L2, 3)
    wgt = np.clip(dist / max(reach * max(small.shape), 1.0), 0.0, 1.0).astype(np.float32)
    if f < 1:
        wgt = cv2.resize(wgt, (w, h), interpolation=cv2.INTER_LINEAR)
    return wgt


def blend_by_mask(sharp: np.ndarray, blurred: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mask * sharp + (1 - mask) * blurred`` for HxWxC images and an HxW mask."""
    m = mask[..., None] if sharp.ndim == 3 else mask
    return blurred + m * (sharp - blurred)
