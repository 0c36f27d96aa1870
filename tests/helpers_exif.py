"""EXIF bytes with tags of any type and count (Pillow's own writer gives each known tag its standard type): a
camera maker written as a number, an ISO as three rationals, an aperture of 0/0."""
from __future__ import annotations

import struct

ASCII, SHORT, RATIONAL, UNDEFINED, DOUBLE = 2, 3, 5, 7, 12


def _ifd(entries: list[tuple[int, int, int, bytes]], at: int) -> bytes:
    """A little-endian TIFF IFD placed at offset ``at``, its values longer than 4 bytes after it."""
    data_at = at + 2 + 12 * len(entries) + 4
    head, data = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_at + len(data))
            data += value + b"\0" * (len(value) % 2)
    return head + b"\0\0\0\0" + data


def raw_exif(ifd0: list, exif_ifd: list) -> bytes:
    """EXIF bytes (for Pillow's ``save(..., exif=)``): IFD0's entries ``ifd0`` and the Exif IFD's ``exif_ifd``,
    each ``(tag, type, count, value bytes)``."""
    first = _ifd([*ifd0, (0x8769, 4, 1, b"\0\0\0\0")], 8)
    first = _ifd([*ifd0, (0x8769, 4, 1, struct.pack("<I", 8 + len(first)))], 8)
    return b"Exif\0\0II*\0" + struct.pack("<I", 8) + first + _ifd(exif_ifd, 8 + len(first))


def rationals(*pairs) -> bytes:
    return b"".join(struct.pack("<II", a, b) for a, b in pairs)


def text(value: str) -> bytes:
    return value.encode("ascii") + b"\0"


def overlapping_exif(entries: int) -> bytes:
    """EXIF bytes whose IFD0 has ``entries`` tags of 300 bytes each, all at one place: more than the EXIF holds
    in all, so Pillow skips most, warning once for each (``Tag data larger than file. Skipping tag N``)."""
    head = struct.pack("<H", entries) + b"".join(struct.pack("<HHII", 1000 + i, 7, 300, 8)
                                                   for i in range(entries))
    return b"Exif\0\0II*\0" + struct.pack("<I", 8) + head + b"\0\0\0\0"


def overlapping_exif_ifd(entries: int) -> bytes:
    """EXIF bytes whose IFD0 holds only the pointer to the Exif IFD, and the Exif IFD the ``entries`` tags of
    :func:`overlapping_exif`: Pillow warns for each when the Exif IFD is read (``get_ifd``), not when the EXIF
    is."""
    ifd0 = struct.pack("<H", 1) + struct.pack("<HHII", 0x8769, 4, 1, 8 + 2 + 12 + 4) + b"\0\0\0\0"
    head = struct.pack("<H", entries) + b"".join(struct.pack("<HHII", 1000 + i, 7, 300, 8) for i in range(entries))
    return b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd0 + head + b"\0\0\0\0"
