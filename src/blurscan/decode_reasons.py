"""What Pillow is asked to open a file as, and why a file could not be decoded, in one line: the formats of
those installed that open a HEIC / HEIF or AVIF (:func:`pil_formats`), the pixel limit (:func:`check_bomb`,
:data:`BOMB_HINT`), and a Pillow failure's reason (:func:`pil_reason`: ``truncated JPEG``, ``corrupt PNG data``,
``no AVIF decoder in this Pillow ...``), the words :class:`~blurscan.errors.DecodeError` gives after the file's
name.
"""
from __future__ import annotations

import functools

from PIL import Image, UnidentifiedImageError

from .errors import DecodeError
from .pixels import NoFinitePixels
from . import cutshort, heif, jpegend, jpegkind, pngsalvage

#: Said after the pixel limit: a real panorama or scan can be that large (the limit guards against files whose
#: header claims billions of pixels to exhaust memory).
BOMB_HINT = "skipped on purpose; `blurscan scan --max-pixels N` raises the limit"


def check_bomb(path, size: tuple[int, int], limit: int) -> None:
    n = int(size[0]) * int(size[1])
    if n > limit:
        raise DecodeError(path, f"decompression bomb: {n} pixels > limit {limit} ({BOMB_HINT})")
    if n == 0:
        raise DecodeError(path, "image has no pixels (0 width or height)")


def pil_formats(fmt: str) -> list[str]:
    """The Pillow formats to open a ``fmt`` file with, of those installed (Pillow before 11.2 has no "AVIF": asked
    for it, it raised a KeyError whose text, ``'AVIF'``, was the message): HEIC / HEIF (phones') through
    pillow-heif, its opener registered first (:mod:`blurscan.heif`); AVIF through Pillow's own plugin, then
    pillow-heif's in case its libheif reads AVIF."""
    if fmt not in ("HEIF", "AVIF"):
        return [fmt]
    avif = fmt == "AVIF" and (avif_plugin() is not None or "AVIF" in Image.OPEN)
    return ["AVIF"] * avif + ["HEIF"] * heif.register_opener()


@functools.cache
def avif_plugin():
    """Pillow's own AVIF plugin (Pillow >= 11.2), or None. It reads AVIF only where its ``SUPPORTED``: built with
    libavif, as Pillow's wheels are from 11.3 (11.2's were not: a valid AVIF failed as "cannot read header")."""
    try:
        from PIL import AvifImagePlugin
    except ImportError:
        return None
    return AvifImagePlugin


def missing_decoder(fmt: str) -> str | None:
    """Why no installed plugin can open a ``fmt`` file (HEIF, AVIF), or None when one can."""
    if fmt == "HEIF" and not heif.register_opener():
        return "unsupported format (HEIF needs pillow-heif)"
    if fmt == "AVIF" and not getattr(avif_plugin(), "SUPPORTED", False):
        from PIL import __version__

        return f"no AVIF decoder in this Pillow {__version__} (needs Pillow >= 11.3 with libavif, as in its wheels)"
    return None


def pil_reason(exc: BaseException, fmt: str, data: bytes) -> str:
    text = str(exc)
    if isinstance(exc, NoFinitePixels):  # (an all-NaN float TIFF: as score_image refuses its array)
        return text
    low = text.lower()
    if isinstance(exc, Image.DecompressionBombError):
        return f"decompression bomb: {text} ({BOMB_HINT})"
    if isinstance(exc, UnidentifiedImageError) and (missing := missing_decoder(fmt)):
        return missing
    if fmt == "JPEG" or (fmt == "TIFF" and isinstance(exc, UnidentifiedImageError)):  # whole, but of a kind
        from .tiffkind import unsupported_samples  # Pillow does not read? (12-bit JPEG, float colour TIFF)

        unsupported = jpegkind.unsupported(data) if fmt == "JPEG" else unsupported_samples(data)
        if unsupported:
            return unsupported
    if "truncated" in low or "premature end" in low or cutshort.cut_short(data, fmt):  # (WebP, HEIF, AVIF, TIFF)
        return f"truncated {fmt}"
    if "broken data stream" in low:  # the decoder gave up on its data (libjpeg, zlib): cut short, or damaged
        cut = fmt == "JPEG" and jpegend.picture(data) is None
        return f"truncated {fmt}" if cut else f"corrupt {fmt} data"
    if isinstance(exc, UnidentifiedImageError):
        return f"corrupt {fmt} (cannot read header)"
    if isinstance(exc, (SyntaxError, EOFError)):  # (a PNG's chunk by its name: pngsalvage.reason)
        return pngsalvage.reason(text) if fmt == "PNG" else f"corrupt {fmt}: {text}" if text else f"corrupt {fmt}"
    if isinstance(exc, MemoryError):
        return "out of memory while decoding"
    return f"cannot decode {fmt}: {text or type(exc).__name__}"
