"""One synthetic photo: a blur kind at a severity, through the camera pipeline.

Severity is a blur *extent* in pixels at the 1024-px analysis scale (the long side of
the image scaled to 1024 px), so "moderate" means the same on a 2-MP and a 48-MP
photo: the kernel applied to an image whose long side is ``L`` is
``severity_px * L / 1024`` pixels.  Extent means: the disk diameter for ``defocus`` and
the partial kinds; for ``box`` the side with the same second moment as that disk
(``extent * sqrt(3) / 2``); for ``gaussian`` ``sigma = extent / (2 * sqrt 2)``, whose
variance is twice the disk's (see ``_GAUSS_PER_EXTENT``); the path length
for ``shake`` and ``linear_motion``; the structuring element's side for ``minfilter``.

Small sources are never upscaled.  A blurry sample whose kernel would be smaller than
``min_kernel_px`` at the image's own resolution is given that minimum (recorded as
``kernel_px``) so that "blurry" is always visible at the size the file has.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from . import camera as cam
from . import kernels as K
from . import shake as S
from .partial import blend_by_mask, depth_weight, focus_mask

__all__ = [
    "ANALYSIS_LONG_SIDE",
    "BLUR_KINDS",
    "CATEGORY",
    "LABEL",
    "MIN_KERNEL_PX",
    "SEVERITY_LEVELS",
    "SEVERITY_PX",
    "SEVERITY_PX_MOTION",
    "severity_range",
    "synthesize",
    "synthesize_encoded",
]

ANALYSIS_LONG_SIDE = 1024

BLUR_KINDS = (
    "none",
    "gaussian",
    "defocus",
    "shake",
    "linear_motion",
    "box",
    "minfilter",
    "partial_centre",
    "partial_subject",
    "partial_small",
    "missed_focus",
)

#: kind -> category ("sharp", "defocus", "motion", "partial")
CATEGORY = {
    "none": "sharp",
    "gaussian": "defocus",
    "defocus": "defocus",
    "box": "defocus",
    "minfilter": "defocus",
    "shake": "motion",
    "linear_motion": "motion",
    "partial_centre": "partial",
    "partial_subject": "partial",
    "partial_small": "partial",
    "missed_focus": "defocus",
}

#: kind -> label; intentional shallow depth of field (a sharp subject) is kept as "sharp"
LABEL = {k: ("sharp" if CATEGORY[k] in ("sharp", "partial") else "blurry") for k in BLUR_KINDS}

SEVERITY_LEVELS = ("mild", "moderate", "strong")

#: blur extent ranges in px at the 1024-px analysis scale, drawn log-uniformly.
#: mild: just visible at 100 % on a 1024-px image (a 3-px disk, Gaussian sigma ~1.1 px; below
#: that, camera photos shrunk to 1024 px are themselves that soft); moderate: clearly soft;
#: strong: unusable.
SEVERITY_PX = {"mild": (3.0, 5.0), "moderate": (5.0, 10.0), "strong": (10.0, 24.0)}

#: camera shake and linear motion reach much longer paths than defocus (a 1/8 s hand-held
#: exposure easily moves 50-80 px at 1024 px); a path is less blurring than a disk of the
#: same extent, so the motion levels start a little higher.
SEVERITY_PX_MOTION = {"mild": (3.0, 6.0), "moderate": (6.0, 12.0), "strong": (12.0, 80.0)}

#: share of camera-shake samples with an in-plane rotation (space-variant blur)
ROLL_PROB = 0.3

#: smallest kernel extent (px at the image's own size) of a blurry sample
MIN_KERNEL_PX = 2.0

#: extent -> Gaussian sigma and box side.  The box has the second moment (per-axis variance
#: ``(extent / 4) ** 2``) of a defocus disk whose diameter is the extent.  The Gaussian's sigma
#: pairs a 3-px disk with sigma ~1.1 and a 5-px one with sigma 1.8, as the severity levels and
#: the issue's "moderate" blur do; its per-axis variance, ``extent ** 2 / 8``, is twice the disk's
#: (measured 2026-12-05 on a blurred bright square: 31 against 16 px^2 at a 16-px extent), so a
#: Gaussian sample blurs more than a disk or box of the same extent.  (Until 2026-12-05 this comment
#: said all three had the disk's second moment.)
_GAUSS_PER_EXTENT = 2.0 * math.sqrt(2.0)
_BOX_PER_EXTENT = math.sqrt(3.0) / 2.0


def severity_range(kind: str, level: str) -> tuple[float, float]:
    """The ``(low, high)`` extent in px at the analysis scale for ``kind`` at ``level``."""
    if level not in SEVERITY_PX:
        raise ValueError(f"The parameter `severity` must be one of {SEVERITY_LEVELS} or a number, got {level!r}")
    table = SEVERITY_PX_MOTION if CATEGORY.get(kind) == "motion" else SEVERITY_PX
    return table[level]


def _check_image(image: np.ndarray) -> np.ndarray:
    a = np.asarray(image)
    if a.dtype != np.uint8:
        raise ValueError(f"The parameter `image` must be uint8, got {a.dtype}")
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"The parameter `image` must be an HxWx3 RGB array, got shape {a.shape}")
    if min(a.shape[:2]) < 8:
        raise ValueError(f"The parameter `image` must be at least 8x8 pixels, got {a.shape[1]}x{a.shape[0]}")
    return a


def _erode(image: np.ndarray, size_px: float) -> tuple[np.ndarray, dict]:
    """Grey-level erosion (min filter) with a square element, as PIL's ``MinFilter``.

    Erosion commutes with any increasing tone curve, so it gives the same result in
    linear light as on the 8-bit values the blog filtered.
    """
    size = max(2, int(round(size_px)))
    element = np.ones((size, size), np.uint8)
    return cv2.erode(image, element, borderType=cv2.BORDER_REFLECT), {"size": size, "shape": "square"}


def _defocus_params(rng: np.random.Generator, extent_px: float) -> tuple[np.ndarray, dict]:
    softness = float(rng.uniform(0.0, 0.5)) if rng.random() < 0.5 else 0.0
    cat_eye = float(rng.uniform(0.0, 0.5)) if rng.random() < 0.3 else 0.0
    angle = float(rng.uniform(0.0, 360.0))
    return K.disk_kernel(extent_px / 2.0, softness=softness, cat_eye=cat_eye, cat_eye_angle_deg=angle)


def _background_blur(lin: np.ndarray, mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Blur the background layer only: ``conv(I * (1 - m)) / conv(1 - m)`` (normalised convolution)."""
    bg = 1.0 - mask
    num = cam.apply_kernel(lin * bg[..., None], kernel)
    den = cam.apply_kernel(bg, kernel)
    return num / np.maximum(den, 1e-3)[..., None]


def _detail_map(lin: np.ndarray) -> np.ndarray:
    """Local fine detail of a linear-light image, at most 384 px long: the absolute Laplacian of its
    sRGB-encoded grey levels (where a viewer sees detail)."""
    grey = cam.linear_to_srgb(lin).astype(np.float32).mean(axis=2)
    f = min(1.0, 384 / max(grey.shape))
    if f < 1:
        grey = cv2.resize(grey, (max(2, round(grey.shape[1] * f)), max(2, round(grey.shape[0] * f))),
                          interpolation=cv2.INTER_AREA)
    return np.abs(cv2.Laplacian(grey, cv2.CV_32F))


def _blur(kind: str, lin: np.ndarray, rng: np.random.Generator, extent: float) -> tuple[np.ndarray, dict]:
    """Apply ``kind`` with extent ``extent`` (px at this image's size) to a float image."""
    p: dict = {}
    if kind == "none":
        return lin, p
    if kind == "gaussian":
        k, p = K.gaussian_kernel(extent / _GAUSS_PER_EXTENT)
    elif kind == "defocus":
        k, p = _defocus_params(rng, extent)
    elif kind == "shake":
        if rng.random() < ROLL_PROB:
            # camera roll: the blur changes across the frame (corners move up to 40 % of the path more)
            roll_px = extent * float(rng.uniform(0.1, 0.4))
            ks, ys, xs, p = S.shake_kernel_grid(rng, extent, lin.shape[:2], roll_px)
            return cam.apply_kernel_grid(lin, ks, ys, xs), p
        k, p = S.shake_kernel(rng, extent)
        p["roll_px"] = 0.0
    elif kind == "linear_motion":
        k, p = K.linear_motion_kernel(extent, float(rng.uniform(0.0, 180.0)))
    elif kind == "box":
        k, p = K.box_kernel(max(extent * _BOX_PER_EXTENT, 1.0))
    elif kind == "minfilter":
        return _erode(lin, extent)
    elif kind in ("partial_centre", "partial_subject", "partial_small", "missed_focus"):
        mkind = {"partial_centre": "centre", "partial_small": "small"}.get(kind, "subject")
        detail = _detail_map(lin) if mkind == "small" else None
        mask, mp = focus_mask(rng, lin.shape[:2], mkind, detail)
        k, kp = _defocus_params(rng, extent)
        p = {"mask": mp, "kernel": kp}
        if kind == "missed_focus":
            # subject soft and in front, background (at the distance focused on) sharp: the blurred
            # subject layer spreads over the background (layered compositing)
            fg = cam.apply_kernel(lin * mask[..., None], k)
            alpha = cam.apply_kernel(mask, k)
            return fg + (1.0 - alpha)[..., None] * lin, p
        # depth of field: the background layer (the subject cut out, so its colours do not bleed
        # into the bokeh: normalised convolution) blurs more with distance, from half to full
        reach = float(rng.uniform(0.08, 0.35))
        k_half, _ = K.disk_kernel(kp["radius"] / 2.0, softness=kp["softness"])
        full = _background_blur(lin, mask, k)
        half = _background_blur(lin, mask, k_half)
        wgt = depth_weight(mask, reach)[..., None]
        background = half + wgt * (full - half)
        p["depth_reach"] = reach
        return blend_by_mask(lin, background, mask), p
    else:
        raise ValueError(f"The parameter `blur` must be one of {BLUR_KINDS}, got {kind!r}")
    out = cam.apply_kernel(lin, k)
    p["kernel_shape"] = [int(k.shape[0]), int(k.shape[1])]
    return out, p


def synthesize_encoded(
    image: np.ndarray,
    rng: np.random.Generator,
    blur: str = "shake",
    severity: str | float = "moderate",
    *,
    camera: bool = True,
    downscale: float | None = None,
    min_kernel_px: float = MIN_KERNEL_PX,
    jpeg_quality: tuple[int, int] = (70, 95),
    noise: bool = True,
) -> tuple[np.ndarray, dict, bytes | None]:
    """Like :func:`synthesize`, also returning the JPEG bytes (``None`` when ``camera=False``).

    Writing these bytes, rather than re-encoding the returned array, keeps each
    sample compressed exactly once.
    """
    if blur not in BLUR_KINDS:
        raise ValueError(f"The parameter `blur` must be one of {BLUR_KINDS}, got {blur!r}")
    src = _check_image(image)
    h, w = src.shape[:2]
    # the camera's draws come from their own stream: one seed gives the same highlights, noise,
    # sharpening and JPEG quality whatever the blur kind and severity (paired comparisons)
    camera_seed = int(rng.integers(0, 2**63 - 1))
    crng = np.random.default_rng(camera_seed)
    scale = max(h, w) / ANALYSIS_LONG_SIDE
    level: str | None
    if blur == "none":
        level, severity_px = None, 0.0
    elif isinstance(severity, str):
        level = severity
        lo, hi = severity_range(blur, severity)
        severity_px = float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    else:
        level = None
        severity_px = float(severity)
        if not np.isfinite(severity_px) or severity_px < 0:
            raise ValueError(f"The parameter `severity` must be a level or a number >= 0, got {severity!r}")
    kernel_px = 0.0 if blur == "none" else max(severity_px * scale, float(min_kernel_px))

    params: dict = {
        "blur": blur,
        "category": CATEGORY[blur],
        "label": LABEL[blur],
        "severity": level,
        "severity_px": severity_px,
        "kernel_px": kernel_px,
        "analysis_long_side": ANALYSIS_LONG_SIDE,
        "input_size": [int(w), int(h)],
        "camera": bool(camera),
        "camera_seed": camera_seed,
    }

    if camera:
        lin = cam.srgb_to_linear(src)
        lin, params["highlights"] = cam.extend_highlights(lin, crng)
    else:
        lin = src.astype(np.float32) / 255.0

    lin, params["blur_params"] = _blur(blur, lin, rng, kernel_px)

    data: bytes | None = None
    if camera:
        level_noise = cam.sample_noise(crng)
        # noise=False: the same draws (so the same sharpening and JPEG), the noise scaled to zero
        gain = 1.0 if noise else 0.0
        lin = cam.add_sensor_noise(lin, crng, gain * level_noise["shot"], gain * level_noise["read"],
                                   level_noise["grain"])
        params["noise"] = level_noise
        out = cam.linear_to_srgb(lin)
        # sources are camera JPEGs, already sharpened once: a light extra unsharp mask, as a phone
        # or an editor applies to the whole image, sharp or blurry
        amount = float(crng.uniform(0.0, 0.5)) if crng.random() < 0.6 else 0.0
        radius = float(crng.uniform(0.6, 1.5))
        out = cam.sharpen(out, amount, radius)
        params["sharpen"] = {"amount": amount, "radius": radius}
    else:
        out = np.clip(np.round(lin * 255.0), 0, 255).astype(np.uint8)

    if downscale is not None:
        f = float(downscale)
        if not 0 < f <= 1:
            raise ValueError(f"The parameter `downscale` must be in (0, 1] (never upscale), got {downscale}")
        nw, nh = max(8, int(round(w * f))), max(8, int(round(h * f)))
        if (nw, nh) != (w, h):
            out = cv2.resize(out, (nw, nh), interpolation=cv2.INTER_AREA)
        params["downscale"] = f
        params["kernel_px_output"] = kernel_px * nw / w

    if camera:
        quality = int(crng.integers(jpeg_quality[0], jpeg_quality[1] + 1))
        subsampling = 2 if crng.random() < 0.7 else 0
        out, data = cam.jpeg_roundtrip(np.ascontiguousarray(out), quality, subsampling)
        params["jpeg"] = {"quality": quality, "subsampling": ["4:4:4", "4:2:2", "4:2:0"][subsampling]}

    params["output_size"] = [int(out.shape[1]), int(out.shape[0])]
    return out, params, data


def synthesize(
    image: np.ndarray,
    rng: np.random.Generator,
    blur: str = "shake",
    severity: str | float = "moderate",
    *,
    camera: bool = True,
    downscale: float | None = None,
    min_kernel_px: float = MIN_KERNEL_PX,
    jpeg_quality: tuple[int, int] = (70, 95),
    noise: bool = True,
) -> tuple[np.ndarray, dict]:
    """Blur a sharp photo realistically and return it with every parameter used.

    Parameters
    ----------
    image : ndarray
        HxWx3 ``uint8`` RGB (a 2-D grey image is accepted and made RGB), any size.
    rng : numpy.random.Generator
        The only source of randomness: the same seed gives identical bytes.  The camera
        steps draw from a sub-stream (``params["camera_seed"]``), so one seed gives the same
        camera treatment (highlights, noise, sharpening, JPEG) to every kind and severity.
    blur : str
        One of :data:`BLUR_KINDS`.
    severity : {"mild", "moderate", "strong"} or float
        A level (extent drawn log-uniformly from :func:`severity_range`) or an extent
        in px at the 1024-px analysis scale.  Ignored for ``"none"``.
    camera : bool
        Run the camera pipeline: linear light, highlight extension, blur, clipped
        Poisson-Gaussian noise, sRGB, random unsharp mask, JPEG at a random quality.
        ``False`` blurs the 8-bit values directly (the blog's setting) without noise or JPEG.
    downscale : float, optional
        Resize the result by this factor (``0 < f <= 1``) before JPEG, as a phone or a
        web upload does.  Severity at the analysis scale is unchanged by resizing.
    min_kernel_px : float
        Smallest kernel extent at the image's own resolution for blurry kinds.
    jpeg_quality : (int, int)
        Inclusive range of the JPEG quality drawn.
    noise : bool
        ``False`` makes the image's noiseless twin: every draw as with ``True`` (so the same blur,
        sharpening and JPEG quality), the sensor noise scaled to zero.  Training labels measure the
        loss of detail on it (:mod:`blurscan.model.data`).

    Returns
    -------
    out : ndarray
        ``uint8`` RGB, same height and width as the input unless ``downscale`` is given.
    params : dict
        JSON-serialisable: ``blur``, ``category``, ``label``, ``severity`` (level or
        ``None``), ``severity_px``, ``kernel_px``, ``blur_params`` and, with the camera
        pipeline, ``highlights``, ``noise``, ``sharpen``, ``jpeg``.

    Examples
    --------
    >>> import numpy as np
    >>> from blurscan import synth
    >>> img = np.zeros((64, 96, 3), np.uint8)
    >>> out, p = synth.synthesize(img, np.random.default_rng(0), blur="defocus", severity=6.0)
    >>> out.shape, p["category"], p["label"]
    ((64, 96, 3), 'defocus', 'blurry')
    """
    out, params, _ = synthesize_encoded(
        image, rng, blur, severity, camera=camera, downscale=downscale,
        min_kernel_px=min_kernel_px, jpeg_quality=jpeg_quality, noise=noise,
    )
    return out, params
