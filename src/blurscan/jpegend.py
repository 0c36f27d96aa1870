"""Where a JPEG's own picture ends: the end marker (EOI) of its last scan, found by walking its segments.

Phones write data after that marker: a motion photo's video (Google's ``MP4`` after the picture, Samsung's
trailer), which libjpeg never reads. blurscan tells a truncated JPEG by its data not ending with the marker
(:func:`blurscan.jpeg.ends_with_eoi`), and until 2026-12-03 sent every such file to Pillow, whose libjpeg
keeps its warnings to itself: a motion photo damaged in the middle of its picture was scored like a photo,
grey lower part and all, where the same file without its video was an error record
(:mod:`blurscan.jpegdamage`); and every motion photo was decoded in full colour, its baseline from
``cvtColor`` rather than the luma every other JPEG's comes from. :func:`picture` gives the bytes up to the
end marker, which decode as any JPEG that ends there.

The walk is libjpeg's: segments by their length, fill bytes and stray bytes between them skipped (as its
``next_marker`` does), and each scan's entropy-coded data up to the first 0xFF that is neither a stuffed byte
(``FF 00``), a restart marker (``FF D0``-``FF D7``) nor fill: the marker libjpeg stops at too. A progressive
JPEG's later scans, and the tables between them, are walked the same way. A segment's length that runs past the
data, or data that ends before an end marker, is a truncated file: None, and Pillow decodes it (and refuses it)
as before; unless the data ends in zero bytes (:func:`zero_filled`): Pillow would read those as the picture's.
"""
from __future__ import annotations

import re

from .jpeg import ends_with_eoi

_SOI, _EOI, _SOS, _TEM = 0xD8, 0xD9, 0xDA, 0x01
_RST = range(0xD0, 0xD8)
#: In entropy-coded data, the first byte of a marker: 0xFF followed by none of 0x00 (a stuffed 0xFF),
#: 0xD0-0xD7 (a restart marker, part of the scan) or 0xFF (fill before the marker).
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def picture(data: bytes) -> bytes | None:
    """The JPEG's bytes up to and including the end marker of its picture, or None when it has none (truncated).

    ``data`` itself when nothing follows the marker but padding (the common case, answered without a walk).
    """
    if ends_with_eoi(data):
        return data
    end = picture_end(data)
    return None if end is None else data[:end]


def zero_filled(data: bytes) -> bool:
    """Whether the JPEG's data runs into zero bytes before the end marker of its picture: a file read before it
    was whole, whose size was set before its data came (a sync tool or downloader writing a photo in place into
    space it reserved, an interrupted copy that set the size first). libjpeg reads zero bytes as image data, and
    with enough of them decodes the rest of the picture out of them, grey garbage that scored like a blurry
    photo, and stayed in the database until the file changed again (until 2026-12-06); without them the file is
    a ``truncated JPEG``. Zero bytes after the end marker are padding (the picture is whole): not this.
    Other formats': :mod:`blurscan.unfinished`."""
    return data.endswith(b"\x00") and not ends_with_eoi(data) and picture_end(data) is None


def picture_end(data: bytes) -> int | None:
    """Offset just past the end marker (EOI) that ends the picture, or None where the data ends first."""
    if not data.startswith(b"\xff\xd8"):
        return None
    i = 2
    while True:
        marker, i = _next_marker(data, i)
        if marker is None:
            return None
        if marker == _EOI:
            return i
        if marker in (_SOI, _TEM) or marker in _RST:  # no length follows these
            continue
        if i + 2 > len(data):
            return None
        length = int.from_bytes(data[i:i + 2], "big")  # counts its own two bytes
        if length < 2 or i + length > len(data):
            return None
        i += length
        if marker == _SOS:  # the scan's entropy-coded data runs up to the next marker
            found = _MARKER_IN_SCAN.search(data, i)
            if found is None:
                return None
            i = found.start()


def _next_marker(data: bytes, i: int) -> tuple[int | None, int]:
    """``(marker, offset after it)`` of the next marker from ``i``, stray bytes and fill skipped (libjpeg's
    ``next_marker``: an ``FF 00`` among stray bytes is no marker); ``(None, len)`` at the end of the data."""
    n = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0:
            return None, n
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            return None, n
        if data[i] != 0x00:
            return data[i], i + 1
        i += 1
