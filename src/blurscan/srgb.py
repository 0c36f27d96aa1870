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

A HEIC may describe its colours by an ``nclx`` box instead (its primaries, its curve): one with sRGB's curve and
other primaries (Display P3, BT.2020) is converted alike, by the matrix between those primaries and sRGB's in
linear light (:func:`_nclx_matrix`; 6-9 levels off before).
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
        return pil_to_rgb(im), (_nclx_matrix(im.info.get("nclx_profile")) if im.mode in _RGB_MODES else None)
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
    if isinstance(transform, np.ndarray):  # (a HEIC's nclx primaries: linear light, that matrix, sRGB's curve)
        import cv2

        linear = cv2.transform(cv2.LUT(np.ascontiguousarray(rgb), _SRGB_TO_LINEAR), transform.astype(np.float32))
        return _linear_to_srgb(np.clip(linear, 0, 1, out=linear))
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


#: sRGB's curve, each 8-bit value in linear light (IEC 61966-2-1), and back.
_SRGB_TO_LINEAR = np.array([v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
                            for v in np.arange(256) / 255], dtype=np.float32)


def _encoded(linear: np.ndarray) -> np.ndarray:
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * np.power(linear, 1 / 2.4) - 0.055)


#: Linear light in 65536 steps to 8-bit sRGB (a table: a 12-MP full view in some 0.5 s, 1.5 s by the formula).
_LINEAR_TO_SRGB = np.rint(_encoded(np.arange(65536) / 65535) * 255).astype(np.uint8)


def _linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    return _LINEAR_TO_SRGB[np.rint(linear * 65535).astype(np.uint16)]


#: sRGB's (BT.709's) primaries and white (D65), as x, y.
_SRGB_PRIMARIES = ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06), (0.3127, 0.3290))
_BRADFORD = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])


def _nclx_matrix(nclx) -> np.ndarray | None:
    """The matrix from a HEIC's linear RGB to sRGB's, from its ``nclx`` colour box (pillow-heif's
    ``nclx_profile``: the primaries' x, y), when its colours are described so and not by an ICC profile (some
    phones' and converters' HEICs: Display P3 as ``color_primaries`` 12, BT.2020 as 9); None for sRGB's own
    primaries, for a curve other than sRGB's (``transfer_characteristics`` 13, or 2: unspecified; an HDR one,
    PQ or HLG, is not for an 8-bit JPEG), or for a box that says too little."""
    if not isinstance(nclx, dict) or nclx.get("transfer_characteristics") not in (2, 13):
        return None
    try:
        xy = [(float(nclx[f"color_primary_{c}_x"]), float(nclx[f"color_primary_{c}_y"]))
              for c in ("red", "green", "blue", "white")]
        matrix = np.linalg.inv(_to_xyz(_SRGB_PRIMARIES)) @ _adapted(xy[3]) @ _to_xyz(xy)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, np.linalg.LinAlgError):
        return None
    if not np.isfinite(matrix).all() or np.allclose(matrix, np.eye(3), atol=2e-3):
        return None
    return matrix


def _xyz(x: float, y: float) -> np.ndarray:
    return np.array([x / y, 1.0, (1 - x - y) / y])


def _to_xyz(xy) -> np.ndarray:
    """The RGB to XYZ matrix of these primaries and white."""
    columns = np.stack([_xyz(*p) for p in xy[:3]], axis=1)
    return columns * np.linalg.solve(columns, _xyz(*xy[3]))


def _adapted(white) -> np.ndarray:
    """XYZ under ``white`` to XYZ under D65 (Bradford)."""
    source, target = _BRADFORD @ _xyz(*white), _BRADFORD @ _xyz(*_SRGB_PRIMARIES[3])
    return np.linalg.inv(_BRADFORD) @ np.diag(target / source) @ _BRADFORD
