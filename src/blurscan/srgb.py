"""The review page's pictures in sRGB: a photo's embedded ICC profile applied to its thumbnail.

A browser shows a JPEG thumbnail that carries no profile as sRGB. Until 2026-12-06 blurscan made its thumbnails
(and the full view of a HEIC, a TIFF or a turned WebP, which it converts to JPEG too) from the stored values and
dropped the photo's ICC profile, so an iPhone's Display P3 photo, an Adobe RGB camera JPEG or a ProPhoto TIFF
looked washed out on the page (Display P3: a mean 6-7 levels, 10 in the red, off what a colour-managed viewer
shows; saturated reds and greens far more), while the same photo opened full size as a JPEG, PNG or WebP (sent as
stored: the browser applies its profile) did not. A CMYK file's own profile was ignored too (Pillow's naive CMYK
to RGB is only right for a file without one).

:func:`pixels` and :func:`in_srgb` apply the profile with LittleCMS (Pillow's :mod:`PIL.ImageCms`, perceptual
intent: a matrix profile's colorimetric transform, a printer profile's own perceptual table): a CMYK picture as it
is decoded, any other after it is made small (a 12-MP conversion costs some 0.1-0.2 s). A profile of another colour
space than the picture's (an RGB profile in a grey JPEG), a profile LittleCMS cannot read (truncated, garbage) or
build a transform from, and sRGB itself leave the values as they are: a browser ignores such a profile too. The
scan never reads profiles: scores are of the stored values, as before.
"""
from __future__ import annotations

import functools
import io
import logging

import numpy as np
from PIL import Image

from .pixels import pil_to_rgb

log = logging.getLogger(__name__)

#: The profile's colour space (LittleCMS's name) each kind of picture takes: its values' own.
_RGB_MODES = ("RGB", "RGBA", "RGBX", "RGBa", "P", "PA", "RGB;16", "RGB;16B", "RGB;16L", "RGBA;16B")
_GREY_MODES = ("L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F", "1")

#: Colours a profile that changes nothing (sRGB itself, under any name) leaves within a level of themselves.
_PROBE = np.array([[r, g, b] for r in (0, 64, 128, 192, 255) for g in (0, 96, 255) for b in (0, 160, 255)],
                  dtype=np.uint8)[None]


def pixels(im: Image.Image) -> tuple[np.ndarray, object | None]:
    """``im`` (loaded, upright) as 8-bit RGB (:func:`blurscan.pixels.pil_to_rgb`) and the transform
    :func:`in_srgb` still has to apply to it once made small (None: none). A CMYK picture with its profile
    comes converted already (its profile is of CMYK values)."""
    icc = im.info.get("icc_profile")
    if not icc or not isinstance(icc, bytes):
        return pil_to_rgb(im), None
    if im.mode == "CMYK":
        transform = _transform(icc, "CMYK", "CMYK")
        if transform is not None:
            try:
                return pil_to_rgb(transform.apply(im)), None
            except Exception as exc:  # (LittleCMS refusing the picture: its values left as they are)
                log.debug("CMYK profile not applied: %s", exc)
        return pil_to_rgb(im), None
    if im.mode in _RGB_MODES:
        return pil_to_rgb(im), _transform(icc, "RGB", "RGB")
    if im.mode in _GREY_MODES:
        return pil_to_rgb(im), _transform(icc, "GRAY", "L")
    return pil_to_rgb(im), None


def in_srgb(rgb: np.ndarray, transform) -> np.ndarray:
    """``rgb`` (from :func:`pixels`, made small since) with ``transform`` applied: sRGB values."""
    if transform is None:
        return rgb
    grey = transform.input_mode == "L"
    im = Image.fromarray(np.ascontiguousarray(rgb[..., 0] if grey else rgb), "L" if grey else "RGB")
    try:
        return np.asarray(transform.apply(im))
    except Exception as exc:  # pragma: no cover - a transform LittleCMS built applies
        log.debug("profile not applied: %s", exc)
        return rgb


@functools.lru_cache(maxsize=8)
def _transform(icc: bytes, space: str, mode: str):
    """A transform from the profile ``icc`` (its values in ``mode``) to sRGB, or None: not a profile of the colour
    ``space`` (LittleCMS's name: ``RGB``, ``GRAY``, ``CMYK``), unreadable, or one that changes nothing."""
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != space:
            return None
        transform = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), mode, "RGB",
                                            renderingIntent=ImageCms.Intent.PERCEPTUAL)
    except Exception as exc:  # (ImageCms.PyCMSError, OSError, ValueError ...: a truncated or garbage profile)
        log.debug("ICC profile not applied: %s", exc)
        return None
    if space == "RGB":
        probe = np.asarray(transform.apply(Image.fromarray(_PROBE, "RGB")))
        if np.abs(probe.astype(np.int16) - _PROBE).max() <= 1:
            return None  # sRGB (or as good as): nothing to do
    return transform
