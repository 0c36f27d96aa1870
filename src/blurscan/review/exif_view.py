"""The few EXIF basics the review page's detail view shows (camera, exposure, aperture, ISO, focal length),
read from the photo's header through the descriptor :func:`~blurscan.review.security.open_known_file` checked; and
whether a browser shows a picture as the scan saw it (:func:`shown_as_scanned`, for the full view)."""
from __future__ import annotations

import logging
import math

from ..config import DEFAULT_MAX_PIXELS
from ..errors import printable_path
from ..pillowguard import pixel_limit
from . import security

log = logging.getLogger(__name__)


_EXIF_TAGS = {  # tag id -> name (EXIF 2.32)
    0x010F: "make", 0x0110: "model", 0x829A: "exposure_time", 0x829D: "f_number", 0x8827: "iso",
    0x920A: "focal_length", 0xA434: "lens",
}


#: The fields shown as text; the others are figures.
_TEXT_FIELDS = frozenset({"make", "model", "lens"})


def _text(value) -> str | None:
    """A text tag's value as the page shows it; None when empty or not text (a maker written as a number: the
    page's script failed on it and the detail view's panel stayed empty, until 2026-12-06)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 ").strip() or None


def _figure(value) -> float | None:
    """A figure tag's value (the first of several) as a finite number; None otherwise. A rational of 0/0 (an
    aperture a manual lens leaves unknown) is NaN: JSON has no NaN or Infinity, and the detail view's panel
    said ``Unexpected token 'N' ... is not valid JSON``; a figure given as several rationals was a 500 (``Object
    of type IFDRational is not JSON serializable``; both until 2026-12-06)."""
    if isinstance(value, tuple):
        value = value[0] if value else None
    try:
        value = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def exif_basics(row, pins: dict, folders: tuple[str, ...] | None = None) -> dict:
    """A few EXIF basics read from the file's header (camera, exposure, aperture, ISO, focal length)."""
    out = {"captured_at": row["captured_at"], "width": row["width"], "height": row["height"]}
    if row["status"] != "ok":
        return out
    try:
        from PIL import Image

        from ..exif import quiet
        from ..heif import register_opener

        register_opener()  # a HEIC's EXIF is read by pillow-heif's opener (by content: whatever the suffix)
        fh = security.open_known_file(row["path"], row["size"], row["mtime_ns"], pins, folders)
        # (the thumbnails' limit; Pillow's warnings about the EXIF unsaid on the terminal: exif.quiet)
        with fh, pixel_limit(DEFAULT_MAX_PIXELS), quiet(), Image.open(fh) as im:
            exif = im.getexif()
            values = dict(exif)
            values.update(exif.get_ifd(0x8769))  # the Exif sub-IFD holds exposure settings
    except Exception as exc:  # EXIF is a nicety: never fail the detail view for it
        log.debug("no EXIF for %s: %s", printable_path(row["path"]), exc)
        return out
    for tag, name in _EXIF_TAGS.items():
        value = (_text if name in _TEXT_FIELDS else _figure)(values.get(tag))
        if value is not None:
            out[name] = value
    return out


#: Where Pillow, and so the scan (:mod:`blurscan.decode`), its blur map and the thumbnails, find an orientation
#: when the EXIF block has none, and a browser looks for none: a ``tiff:Orientation`` in XMP (a JPEG's APP1, a PNG's
#: iTXt) and ImageMagick's ``Raw profile type exif`` text chunk of a PNG
_NOT_READ_BY_BROWSERS = ("xmp", "XML:com.adobe.xmp", "Raw profile type exif")


def shown_as_scanned(fh, turns_exif: bool) -> bool:
    """Whether a browser shows the opened picture as the scan saw it: turned by the orientation the scan applied
    (:func:`blurscan.exif.orientation` of Pillow's ``getexif``). ``turns_exif``: the browser turns this format
    by its EXIF Orientation itself (a JPEG's APP1, a PNG's eXIf chunk; GIF has none); else (a WebP: Chromium
    ignores the tag there) it shows it as stored. False, and so the picture is converted upright, for a WebP turned
    by its tag and for a picture turned only by an orientation browsers do not read (:data:`_NOT_READ_BY_BROWSERS`:
    until 2026-12-06 a JPEG or PNG with a tiff:Orientation of 6 in its XMP alone lay sideways in the full view,
    its blur map over the wrong parts). True when unreadable here (sent as it is: the browser says what it makes
    of it). ``fh`` is left at its start."""
    from PIL import Image

    from ..exif import orientation, quiet, safe_exif

    try:
        with pixel_limit(DEFAULT_MAX_PIXELS), Image.open(fh) as im:  # (the thumbnails' limit)
            if turns_exif and not any(key in im.info for key in _NOT_READ_BY_BROWSERS):
                return True  # an EXIF orientation alone, read by both (a PNG's pixels not loaded to know)
            scanned = orientation(safe_exif(im))  # (a PNG's eXIf after its pixels: read by loading them)
            if not turns_exif or scanned == 1:
                return scanned == 1
            block = im.info.get("exif")
            shown = Image.Exif()
            if isinstance(block, bytes):
                with quiet():
                    shown.load(block)
            return orientation(shown) == scanned
    except Exception as exc:  # unreadable here: sent as it is, the browser says what it makes of it
        log.debug("no orientation read: %s", exc)
        return True
    finally:
        fh.seek(0)
