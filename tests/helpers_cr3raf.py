"""Hand-made Canon CR3 and Fujifilm RAF files holding EXIF as the cameras keep it (no sensor data LibRaw could
develop): a CR3's box tree (``ftyp`` brand ``crx ``, ``moov``, Canon's ``uuid`` box with ``CMT1``: a TIFF's IFD0,
``CMT2``: a TIFF whose first IFD is the Exif IFD), a RAF's header pointing at a JPEG made by Pillow with EXIF.
exiftool reads their dates, camera and exposure as blurscan is meant to (tests/test_raw_times_cr3_raf.py)."""
from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image

from helpers_exif import ASCII, RATIONAL, SHORT, rationals, raw_exif, text

CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
#: tag -> its EXIF type
_KINDS = {0x010F: ASCII, 0x0110: ASCII, 0x0132: ASCII, 0x9003: ASCII, 0x9004: ASCII, 0x9010: ASCII, 0x9011: ASCII,
          0x9012: ASCII, 0x9290: ASCII, 0x9291: ASCII, 0x9292: ASCII, 0xA431: ASCII, 0x829A: RATIONAL,
          0x829D: RATIONAL, 0x8827: SHORT}
_IFD0_TAGS = {0x010F, 0x0110, 0x0132}


def _entries(tags: dict) -> list[tuple[int, int, int, bytes]]:
    """``(tag, type, count, value bytes)`` of ``tags`` (tag -> text, ``(num, den)`` or int)."""
    out = []
    for tag, value in tags.items():
        kind = _KINDS[tag]
        if kind == ASCII:
            out.append((tag, ASCII, len(value) + 1, text(value)))
        elif kind == RATIONAL:
            out.append((tag, RATIONAL, 1, rationals(value)))
        else:
            out.append((tag, SHORT, 1, struct.pack("<H", value)))
    return out


def _tiff(entries: list) -> bytes:
    """A little-endian TIFF of one IFD (at offset 8) holding ``entries``, its values after it."""
    head = b"II*\x00" + struct.pack("<I", 8)
    data_at = 8 + 2 + 12 * len(entries) + 4
    ifd, values = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            ifd += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            ifd += struct.pack("<HHII", tag, kind, count, data_at + len(values))
            values += value + b"\0" * (len(value) % 2)
    return head + ifd + b"\0\0\0\0" + values


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _jpeg(picture, exif: bytes = b"") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def cr3(tags: dict, picture=None) -> bytes:
    """A CR3's metadata: IFD0's ``tags`` (Make, Model, DateTime) in ``CMT1``, the rest (the Exif IFD's) in ``CMT2``;
    an ``mdat`` after ``moov``, as a camera writes its sensor data and previews (``picture`` as a JPEG, or a few
    bytes)."""
    ifd0 = {tag: value for tag, value in tags.items() if tag in _IFD0_TAGS}
    exif = {tag: value for tag, value in tags.items() if tag not in _IFD0_TAGS}
    canon = box(b"uuid", CANON_UUID + box(b"CNCV", b"CanonCR3_001/00.09.00/00.00.00")
                + box(b"CMT1", _tiff(_entries(ifd0))) + box(b"CMT2", _tiff(_entries(exif)))
                + box(b"CMT3", _tiff([])) + box(b"CMT4", _tiff([])))
    ftyp = box(b"ftyp", b"crx " + struct.pack(">I", 1) + b"crx isom")
    return ftyp + box(b"moov", canon) + box(b"mdat", b"\0" * 64 if picture is None else _jpeg(picture))


def raf(tags: dict, picture=None, model: str = "X-T5") -> bytes:
    """A RAF: its header (the camera's name, the JPEG's offset and length at bytes 84 and 88) and a JPEG made by
    Pillow (of ``picture``, else a plain 160 x 120) whose EXIF holds ``tags`` (IFD0's in IFD0, the others in the
    Exif IFD)."""
    ifd0 = [e for e in _entries(tags) if e[0] in _IFD0_TAGS]
    exif = [e for e in _entries(tags) if e[0] not in _IFD0_TAGS]
    if picture is None:
        picture = np.full((120, 160, 3), (90, 120, 150), np.uint8)
    jpeg = _jpeg(picture, raw_exif(ifd0, exif))
    at = 160
    header = (b"FUJIFILMCCD-RAW 0201FF129502" + model.encode().ljust(32, b"\0") + b"0100" + b"\0" * 20
              + struct.pack(">IIIIII", at, len(jpeg), at + len(jpeg), 0, at + len(jpeg), 0))
    return header.ljust(at, b"\0") + jpeg
