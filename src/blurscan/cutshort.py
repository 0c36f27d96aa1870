"""Whether a WebP, HEIC / HEIF or AVIF file ends before its own container says it does: a truncated file.

Pillow's WebP plugin and libheif say so in their own words, which blurscan printed as they were: a HEIC cut short
(a copy from a phone interrupted) was ``cannot decode HEIF: Invalid input: Unexpected end of file: Extent in iloc
box references data outside of file bounds (points to file position 378)``, a WebP ``cannot decode WEBP: could not
create decoder object`` and an AVIF ``corrupt AVIF (cannot read header)``, where every other format's is
``truncated PNG`` (until 2026-12-05). The containers tell: a WebP's RIFF header gives the file's length, and each
box of an ISO base media file (HEIF, AVIF) its own.
"""
from __future__ import annotations

import struct


def cut_short(data: bytes, fmt: str) -> bool:
    """Whether ``data``, a ``fmt`` file (``"WEBP"``, ``"HEIF"`` or ``"AVIF"``), ends before its container's end."""
    if fmt == "WEBP":
        return data[:4] == b"RIFF" and len(data) >= 8 and len(data) < 8 + struct.unpack("<I", data[4:8])[0]
    if fmt in ("HEIF", "AVIF"):
        return _boxes_cut_short(data)
    return False


def _boxes_cut_short(data: bytes) -> bool:
    """Whether the top-level boxes run past the data (a box's size, or its 8-byte header, cut off)."""
    i, n = 0, len(data)
    while i < n:
        if i + 8 > n:
            return True
        size = struct.unpack(">I", data[i:i + 4])[0]
        if size == 1:  # a 64-bit size follows the type
            if i + 16 > n:
                return True
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
        elif size == 0:  # the last box, to the end of the file
            return False
        if size < 8:  # no box is shorter than its header: damaged, not cut short
            return False
        i += size
    return i > n
