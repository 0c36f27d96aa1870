"""A JPEG whose EXIF is split over a great many APP1 segments, bounded before Pillow reads its header.

Pillow joins the ``Exif`` APP1 segments of a JPEG one after the other into one bytes object, copying what it has
joined at each (``info["exif"] += ...``): its time grows with the square of their number. Cameras write one
such segment; a 3.6 MB file of 100,000 small ones held a scan 36 seconds and its review thumbnail 12 more (until
2026-12-05), a larger one far longer. :func:`bounded` gives Pillow the file without the ones past the first
:data:`MOST`; the picture's own segments are left as they are (its pixels are the same).
"""
from __future__ import annotations

#: The ``Exif`` APP1 segments of a JPEG given to Pillow, at most (one is the rule).
MOST = 16

_SOS, _EOI, _APP1 = 0xDA, 0xD9, 0xE1


def bounded(data: bytes) -> bytes:
    """``data`` without its ``Exif`` APP1 segments past the first :data:`MOST` (those before its first scan);
    ``data`` itself when it has no more (or is no JPEG). Segments are walked as :func:`blurscan.jpegkind.frame`
    walks them."""
    if not data.startswith(b"\xff\xd8") or data.count(b"Exif\x00\x00") <= MOST:
        return data
    kept, start, seen = [], 0, 0
    i, n = 2, len(data)
    while i + 1 < n:
        marker = data[i + 1]
        if data[i] != 0xFF or marker == 0xFF:  # a stray byte, or fill before a marker
            i += 1
            continue
        if marker == 0x00:
            i += 2
            continue
        if marker in (_SOS, _EOI):
            break
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:  # no length follows these
            i += 2
            continue
        end = i + 2 + int.from_bytes(data[i + 2:i + 4], "big")
        if marker == _APP1 and data[i + 4:i + 10] == b"Exif\x00\x00":
            seen += 1
            if seen > MOST:
                kept.append(data[start:i])
                start = end
        i = end
    if not kept:
        return data
    kept.append(data[start:])
    return b"".join(kept)
