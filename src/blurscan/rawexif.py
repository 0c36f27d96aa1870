"""Where a camera RAW file that is no TIFF keeps its EXIF: a Canon CR3's and a Fujifilm RAF's, as TIFF bytes that
:mod:`blurscan.rawtimes` reads as it reads a TIFF-based RAW.

* **CR3** (every Canon body since 2018: EOS R, R5, R6, 90D, M50 ...) is ISO base media: boxes of a 32-bit size
  (1: a 64-bit size follows the type; 0: to the end of the file) and a type. Its ``moov`` box holds a ``uuid`` box
  of Canon's (85c0b687-820f-11e0-8111-f4ce462b6a48) whose children ``CMT1`` and ``CMT2`` are each a TIFF header and
  one IFD: ``CMT1`` IFD0 (Make, Model, DateTime), ``CMT2`` the Exif IFD (DateTimeOriginal, SubSecTimeOriginal,
  OffsetTimeOriginal, ExposureTime, FNumber, ISO, BodySerialNumber); ``CMT3`` holds the maker notes, ``CMT4`` GPS.
* **RAF** (Fujifilm) starts ``FUJIFILMCCD-RAW``; its big-endian fields at bytes 84 and 88 give the offset and length
  of the camera's JPEG, whose Exif segment (APP1, ``Exif\\0\\0`` and a TIFF) holds the shot's EXIF.

Bounded whatever the file says, as :mod:`blurscan.rawtimes` is: at most :data:`_BOXES` boxes at each of the three
levels and :data:`_SEGMENTS` segments of the JPEG are looked at, a box or JPEG reaching past the file's end is read
only to it, and nothing is copied (views of the file's bytes).
"""
from __future__ import annotations

import struct

#: Canon's metadata box in a CR3's ``moov``
CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
#: At most this many boxes are looked at on each level (a CR3 has a handful: ftyp, moov, mdat ...; moov a dozen)
_BOXES = 64
#: At most this many segments of a RAF's JPEG are looked at for its Exif segment (cameras write it first or second)
_SEGMENTS = 64


def cr3_tiffs(data) -> tuple[memoryview, memoryview] | None:
    """The TIFF bytes of the CR3 ``data``'s ``CMT1`` (IFD0) and ``CMT2`` (the Exif IFD), either empty where the file
    has no such box; None when ``data`` is no CR3 (``ftyp`` brand ``crx ``) or has neither."""
    view = memoryview(data)
    if bytes(view[4:12]) != b"ftypcrx ":
        return None
    moov = _child(view, b"moov")
    canon = None if moov is None else _child(moov, b"uuid", CANON_UUID)
    if canon is None:
        return None
    cmt1, cmt2 = _child(canon, b"CMT1"), _child(canon, b"CMT2")
    if cmt1 is None and cmt2 is None:
        return None
    return (view[:0] if cmt1 is None else cmt1), (view[:0] if cmt2 is None else cmt2)


def raf_tiff(data) -> memoryview | None:
    """The TIFF bytes of the Exif segment of the RAF ``data``'s JPEG, or None when it is no RAF or has none."""
    view = memoryview(data)
    if bytes(view[:15]) != b"FUJIFILMCCD-RAW" or len(view) < 92:
        return None
    at, length = struct.unpack(">II", view[84:92])
    jpeg = view[at:at + length]
    if bytes(jpeg[:2]) != b"\xff\xd8":
        return None
    i = 2
    for _ in range(_SEGMENTS):
        head = bytes(jpeg[i:i + 4])
        if len(head) < 4 or head[0] != 0xFF or head[1] in (0xD9, 0xDA):  # (no marker, the end or the first scan)
            return None
        end = i + 2 + int.from_bytes(head[2:4], "big")
        if head[1] == 0xE1 and bytes(jpeg[i + 4:i + 10]) == b"Exif\x00\x00":
            return jpeg[i + 10:end]
        if end <= i + 2:  # (a length under 2: no segment)
            return None
        i = end
    return None


def _child(box: memoryview, kind: bytes, uuid: bytes | None = None) -> memoryview | None:
    """The body of the first box of type ``kind`` (and, for a ``uuid`` box, of that ``uuid``) among the boxes that
    ``box`` holds one after another; None when none of the first :data:`_BOXES` is."""
    at = 0
    for _ in range(_BOXES):
        head = bytes(box[at:at + 8])
        if len(head) < 8:
            return None
        size, found = struct.unpack(">I4s", head)
        start = at + 8
        if size == 1:  # (a 64-bit size after the type)
            large = bytes(box[at + 8:at + 16])
            if len(large) < 8:
                return None
            (size,) = struct.unpack(">Q", large)
            start = at + 16
        elif size == 0:  # (to the end)
            size = len(box) - at
        if size < start - at:  # (damaged: a size shorter than its own header)
            return None
        body = box[start:at + size]
        if found == kind and (uuid is None or bytes(body[:16]) == uuid):
            return body if uuid is None else body[16:]
        at += size
    return None
