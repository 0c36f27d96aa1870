"""A JPEG whose EXIF is split over a great many APP1 segments, bounded before Pillow reads its header.

Pillow joins the ``Exif`` APP1 segments of a JPEG one after the other into one bytes object, copying what it has
joined at each (``info["exif"] += ...``): its time grows with the square of their number. Cameras write one
such segment; a 3.6 MB file of 100,000 small ones held a scan 36 seconds and its review thumbnail 12 more (until
2026-12-05), a larger one far longer. :func:`bounded` gives Pillow the file without the ones past the first
:data:`MOST`; the picture's own segments are left as they are (its pixels are the same).
"""
from __future__ import annotations

from .jpegkind import segments

#: The ``Exif`` APP1 segments of a JPEG given to Pillow, at most (one is the rule).
MOST = 16

_APP1 = 0xE1


def bounded(data: bytes) -> bytes:
    """``data`` without its ``Exif`` APP1 segments past the first :data:`MOST` (those before its first scan);
    ``data`` itself when it has no more (or is no JPEG). Segments are walked by
    :func:`blurscan.jpegkind.segments`."""
    if not data.startswith(b"\xff\xd8") or data.count(b"Exif\x00\x00") <= MOST:
        return data
    kept, start, seen = [], 0, 0
    for marker, i, end in segments(data):
        if marker == _APP1 and data[i + 4:i + 10] == b"Exif\x00\x00":
            seen += 1
            if seen > MOST:
                kept.append(data[start:i])
                start = end
    if not kept:
        return data
    kept.append(data[start:])
    return b"".join(kept)
