"""The few EXIF basics the review page's detail view shows (camera, exposure, aperture, ISO, focal length),
read from the photo's header through the descriptor :func:`~blurscan.review.security.open_known_file` checked; and
whether a browser shows a picture as the scan saw it (:func:`shown_as_scanned`, for the full view)."""
from __future__ import annotations

import logging
import math
import re

from ..config import DEFAULT_MAX_PIXELS
from ..errors import printable_path
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
        from ..heif import is_iso_media, register_opener
        from ..pillowguard import pixel_limit

        with security.open_known_file(row["path"], row["size"], row["mtime_ns"], pins, folders) as fh:
            # a HEIC's EXIF is read by pillow-heif's opener (by content: whatever the suffix); registered for such
            # a file only (for every detail view until 2026-12-07: pillow-heif and NumPy loaded by a JPEG's)
            if is_iso_media(fh.read(8)):
                register_opener()
            fh.seek(0)
            # (the thumbnails' limit; Pillow's warnings about the EXIF unsaid on the terminal: exif.quiet)
            with pixel_limit(DEFAULT_MAX_PIXELS), quiet(), Image.open(fh) as im:
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
#: iTXt; Pillow's own pattern) and ImageMagick's ``Raw profile type exif`` text chunk of a PNG
_XMP_KEYS = ("XML:com.adobe.xmp", "xmp")
_XMP_ORIENTATION = re.compile(rb'tiff:Orientation(="|>)([0-9])')
_RAW_PROFILE = "Raw profile type exif"


def _turned_unseen(info: dict) -> bool:
    """Whether an image's ``info`` (Pillow's) may hold an orientation other than 1 that browsers do not read
    (a PNG whose XMP says 1 is not loaded whole to know)."""
    if _RAW_PROFILE in info:
        return True
    for key in _XMP_KEYS:
        xmp = info.get(key)
        xmp = xmp.encode("utf-8", "replace") if isinstance(xmp, str) else xmp
        match = _XMP_ORIENTATION.search(xmp) if isinstance(xmp, bytes) else None
        if match:
            return match[2] != b"1"
    return False


#: The PNG chunks that Pillow reads after the pixels too, as it loads them (the scan with it), and Chromium does not:
#: an eXIf (or text holding XMP) after the first IDAT
_READ_LATE = frozenset({b"eXIf", b"iTXt", b"zTXt", b"tEXt"})
#: The keywords of the text chunks whose text Pillow takes an orientation from (:data:`_XMP_KEYS`,
#: :data:`_RAW_PROFILE`), each with the NUL that ends it: a late text chunk of another (ImageMagick's
#: ``date:create``, a ``Comment``) says nothing of it, and the pixels are not loaded to know
_ORIENTING_KEYWORDS = tuple(key.encode("latin-1") + b"\0" for key in (*_XMP_KEYS, _RAW_PROFILE))

#: The PNG chunks walked at most to find one of :data:`_READ_LATE` (a file of more is looked at as loaded)
_MOST_CHUNKS = 100_000


def _png_text_after_pixels(fh) -> bool:
    """Whether the PNG opened as ``fh`` has an eXIf chunk, or a text chunk that may hold an orientation (XMP,
    ImageMagick's raw EXIF profile), after its first IDAT (or too many chunks to tell): what the scan reads there,
    a browser does not. Only the chunks' heads and text keywords are read; ``fh`` is left at its start. Until
    2026-12-06 any late text (ImageMagick writes its ``date:create`` there) had the full view load every pixel."""
    import os
    import struct

    try:
        fd = fh.fileno() if hasattr(os, "pread") else None
    except (AttributeError, OSError, ValueError):  # (a file in memory)
        fd = None

    def read_at(size: int, offset: int) -> bytes:  # (a chunk's head alone: a buffered read took 8 KiB each)
        if fd is not None:
            return os.pread(fd, size, offset)
        fh.seek(offset)
        return fh.read(size)

    try:
        offset, pixels = 8, False
        for _ in range(_MOST_CHUNKS):
            head = read_at(8, offset)
            if len(head) < 8:
                return False
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IEND":
                return False
            pixels = pixels or kind == b"IDAT"
            if pixels and kind in _READ_LATE:
                if kind == b"eXIf":
                    return True
                if read_at(min(length, 80), offset + 8).startswith(_ORIENTING_KEYWORDS):  # (a keyword, its NUL)
                    return True
            offset += length + 12  # (its head, data and CRC)
        return True
    finally:
        fh.seek(0)


def _exif_orientation(block) -> int:
    """The Orientation of an EXIF block (bytes, as ``Image.info["exif"]`` holds it), 1 when none."""
    from PIL import Image

    from ..exif import orientation, quiet

    exif = Image.Exif()
    if isinstance(block, bytes):
        with quiet():
            exif.load(block)
    return orientation(exif)


def _browser_orientation(block) -> int:
    """The EXIF Orientation a browser turns a JPEG or PNG by, of its EXIF block (bytes, as ``Image.info["exif"]``
    holds it): IFD0's first tag 0x0112 stored as one SHORT, as the EXIF spec has it, when of 1 to 8; else 1.
    Chromium reads no other (checked with /usr/bin/chromium: an ASCII "6", a LONG or SSHORT 6, two SHORTs 6, 6 leave
    the picture as stored), where Pillow's ``getexif``, and so the scan, reads each of them as 6."""
    import struct

    tiff = block.removeprefix(b"Exif\x00\x00") if isinstance(block, bytes) else b""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    try:
        ifd = struct.unpack_from(order + "I", tiff, 4)[0] if order else None
        for i in range(struct.unpack_from(order + "H", tiff, ifd)[0] if ifd else 0):
            tag, kind, count, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * i)
            if tag == 0x0112 and kind == 3 and count == 1:
                return value if 1 <= value <= 8 else 1
    except struct.error:  # (an IFD past the block's end: no orientation a browser reads)
        pass
    return 1


def shown_as_scanned(fh, turns_exif: bool) -> bool:
    """Whether a browser shows the opened picture as the scan saw it: turned by the orientation the scan applied
    (:func:`blurscan.exif.orientation` of Pillow's ``getexif``). ``turns_exif``: the browser turns this format
    by the EXIF Orientation it finds before the pixels (a JPEG's APP1, a PNG's eXIf chunk before its IDAT; GIF
    has none); else (a WebP: Chromium ignores the tag there) it shows it as stored. False, and so the picture is
    converted upright, for a WebP turned by its tag and for a picture turned by an orientation browsers do not
    read (:func:`_turned_unseen`, a PNG's eXIf after its pixels): until 2026-12-06 a JPEG or PNG with a
    tiff:Orientation of 6 in its XMP alone lay sideways in the full view, its blur map over the wrong parts.
    True when unreadable here (sent as it is: the browser says what it makes of it). ``fh`` is left at its
    start."""
    from PIL import Image

    from ..exif import orientation, safe_exif
    from ..pillowguard import pixel_limit

    try:
        late = turns_exif and fh.read(8) == b"\x89PNG\r\n\x1a\n" and _png_text_after_pixels(fh)
        fh.seek(0)
        with pixel_limit(DEFAULT_MAX_PIXELS), Image.open(fh) as im:  # (the thumbnails' limit)
            block = im.info.get("exif")  # (before a PNG's pixels are loaded: the browser's, before them)
            shown = _browser_orientation(block) if turns_exif else 1
            if turns_exif and not late and not _turned_unseen(im.info):
                return _exif_orientation(block) == shown  # an EXIF orientation alone (a PNG's pixels not loaded)
            return orientation(safe_exif(im)) == shown  # (a PNG's late chunks read by loading its pixels)
    except Exception as exc:  # unreadable here: sent as it is, the browser says what it makes of it
        log.debug("no orientation read: %s", exc)
        return True
    finally:
        fh.seek(0)
