"""The capture time of a TIFF-based camera RAW file (DNG, CR2, NEF, ARW, ORF, RW2, PEF ...), read from its own EXIF.

LibRaw gives a RAW's capture time in whole seconds and without its offset from UTC, where a JPEG's EXIF says the
fraction of the second (``SubSecTimeOriginal``) and the offset (``OffsetTimeOriginal``): a burst shot in RAW at
10-20 frames a second has many shots in each second, which :mod:`blurscan.bursts` could then order only by name,
and compare only on the wall clock (until 2026-12-05). Most RAW formats are TIFF files, their EXIF dates in the
Exif IFD that IFD0 points to, as in a JPEG's EXIF block: :func:`capture_time` reads those tags and gives them to
:func:`blurscan.exif.exif_dict`, so that a RAW's ``captured_at`` and ``captured_subsec`` are what a JPEG with the
same tags gets (DateTimeOriginal, else DateTimeDigitized, else IFD0 DateTime, each with its own offset and
fraction). Formats that are not TIFF (CR3, RAF ...) and TIFFs without these tags keep LibRaw's time.

The work is bounded whatever the file says, as a scan of a hostile file must stay cheap: IFD0 and the images
chained after it, at most :data:`blurscan.tiffkind.PAGES_LOOKED_AT` of them, each visited once (a chain that
loops back ends there), are looked at for the Exif IFD's pointer; one Exif IFD is read (Exif dates that a writer
put in IFD0 itself count too); at most :data:`_ENTRIES` entries of an IFD, and only the date and camera tags, short
ASCII texts, are read; an offset outside the file reads nothing.
"""
from __future__ import annotations

import struct

from .exif import exif_dict
from .tiffkind import PAGES_LOOKED_AT

#: The headers of TIFF-based RAWs: TIFF's own (DNG, NEF, ARW, PEF, CR2 ...), Olympus' ORF, Panasonic's RW2.
_HEADERS = {b"II*\x00": "<", b"MM\x00*": ">", b"IIRO": "<", b"IIRS": "<", b"MMOR": ">", b"IIU\x00": "<"}
_EXIF_IFD = 0x8769
#: IFD0 DateTime; the Exif IFD's DateTimeOriginal, DateTimeDigitized, their offsets and fractions (and DateTime's)
_IFD0_DATES = {0x0132}
_EXIF_DATES = {0x9003, 0x9004, 0x9010, 0x9011, 0x9012, 0x9290, 0x9291, 0x9292}
#: IFD0's Make and Model, the Exif IFD's BodySerialNumber: the camera (:func:`blurscan.exif.camera_of`, since
#: 2026-12-07: bursts never link two cameras' shots)
_IFD0_CAMERA, _EXIF_CAMERA = {0x010F, 0x0110}, {0xA431}
#: At most this many entries of one IFD are looked at (cameras write a few dozen)
_ENTRIES = 1000
#: A date tag longer than this is no date ("YYYY:MM:DD HH:MM:SS" and a NUL: 20 bytes)
_LONGEST = 64
_ASCII, _LONG, _IFD = 2, 4, 13


class _Tags(dict):
    """IFD0's date tags, as :func:`blurscan.exif.exif_dict` reads Pillow's ``Image.Exif``: ``get_ifd`` gives the
    Exif IFD's."""

    def __init__(self, ifd0: dict, sub: dict):
        super().__init__(ifd0)
        self._sub = sub

    def get_ifd(self, tag: int) -> dict:
        return self._sub if tag == _EXIF_IFD else {}


def capture_time(data: bytes) -> dict:
    """``captured_at`` (ISO 8601, with the offset when the camera wrote one) and ``captured_subsec`` (when it wrote
    one) of the TIFF-based RAW file ``data``, as :func:`blurscan.exif.exif_dict` gives them for a JPEG; an empty
    dict when the file is no TIFF or holds no valid date. Its camera's ``make``, ``model`` and ``body_serial`` where
    the file names them (a date or not)."""
    order = _HEADERS.get(bytes(data[:4]))
    if order is None or len(data) < 8:
        return {}
    try:
        ifd0, sub = _dates(data, order)
    except (struct.error, ValueError):  # (a damaged file: its dates are missing, as broken EXIF in a JPEG)
        return {}
    found = exif_dict(_Tags(ifd0, sub))
    camera = {key: found[key] for key in ("make", "model", "body_serial") if key in found}
    if not found.get("captured_at"):
        return camera
    return {**camera, **{key: found[key] for key in ("captured_at", "captured_subsec") if key in found}}


def _dates(data: bytes, order: str) -> tuple[dict, dict]:
    """IFD0's date tags and the Exif IFD's, read within the bounds the module docstring gives."""
    (offset,) = struct.unpack(order + "I", data[4:8])
    ifd0: dict = {}
    seen: set[int] = set()
    pointer = None
    for page in range(PAGES_LOOKED_AT + 1):
        if offset in seen or not 8 <= offset < len(data):
            break
        seen.add(offset)
        tags, pointer, offset = _ifd(data, order, offset,
                                     _IFD0_DATES | _EXIF_DATES | _IFD0_CAMERA if page == 0 else set())
        if page == 0:
            ifd0 = tags
        if pointer is not None:
            break
    sub: dict = {}
    if pointer is not None and 8 <= pointer < len(data):
        sub, _, _ = _ifd(data, order, pointer, _EXIF_DATES | _EXIF_CAMERA)
    # some writers put the Exif dates in IFD0 itself (LibRaw reads them there too): they count where the Exif IFD
    # has not the same tag
    return ifd0, {**{tag: ifd0.pop(tag) for tag in _EXIF_DATES & set(ifd0)}, **sub}


def _ifd(data: bytes, order: str, offset: int, wanted: set[int]) -> tuple[dict, int | None, int]:
    """The ``wanted`` ASCII tags of the IFD at ``offset`` (bytes), its Exif IFD pointer (or None) and the offset of
    the IFD that follows it (0 for none)."""
    (count,) = struct.unpack(order + "H", data[offset:offset + 2])
    tags: dict = {}
    pointer = None
    for i in range(min(count, _ENTRIES)):
        entry = data[offset + 2 + 12 * i: offset + 14 + 12 * i]
        if len(entry) < 12:  # (the IFD runs past the end of the file)
            return tags, pointer, 0
        tag, kind, n = struct.unpack(order + "HHI", entry[:8])
        if tag == _EXIF_IFD and kind in (_LONG, _IFD) and n == 1:
            (pointer,) = struct.unpack(order + "I", entry[8:12])
        elif tag in wanted and kind == _ASCII and 0 < n <= _LONGEST:
            if n <= 4:
                tags[tag] = bytes(entry[8:8 + n])
            else:
                (at,) = struct.unpack(order + "I", entry[8:12])
                if at + n <= len(data):
                    tags[tag] = bytes(data[at:at + n])
    end = offset + 2 + 12 * count
    following = data[end:end + 4]
    return tags, pointer, struct.unpack(order + "I", following)[0] if len(following) == 4 else 0
