"""The capture time of a camera RAW file (DNG, CR2, NEF, ARW, ORF, RW2, PEF ..., CR3, RAF), read from its own EXIF.

LibRaw gives a RAW's capture time in whole seconds and without its offset from UTC, where a JPEG's EXIF says the
fraction of the second (``SubSecTimeOriginal``) and the offset (``OffsetTimeOriginal``): a burst shot in RAW at
10-20 frames a second has many shots in each second, which :mod:`blurscan.bursts` could then order only by name,
and compare only on the wall clock (until 2026-12-05). Most RAW formats are TIFF files, their EXIF dates in the
Exif IFD that IFD0 points to, as in a JPEG's EXIF block: :func:`capture_time` reads those tags and gives them to
:func:`blurscan.exif.exif_dict`, so that a RAW's ``captured_at`` and ``captured_subsec`` are what a JPEG with the
same tags gets (DateTimeOriginal, else DateTimeDigitized, else IFD0 DateTime, each with its own offset and
fraction). A Canon CR3 and a Fujifilm RAF are no TIFFs, but keep their EXIF as TIFF bytes (:mod:`blurscan.rawexif`:
a CR3's ``CMT1`` box holds IFD0, its ``CMT2`` the Exif IFD; a RAF's JPEG its whole EXIF), read here alike (until
2026-12-07 theirs was LibRaw's time, in whole seconds, without offset, read through this computer's time zone, and
no camera: a CR3 burst at 20 fps was ordered by name within each second and two Canon bodies' shots of one moment
were one burst). Other formats (CRW, X3F ...) and RAWs without these tags keep LibRaw's time. The shot's exposure
(ExposureTime, FNumber, ISO) is read with them, for LibRaw to stand in for where it gives none (rawpy before 0.27).

The work is bounded whatever the file says, as a scan of a hostile file must stay cheap: IFD0 and the images
chained after it, at most :data:`blurscan.tiffkind.PAGES_LOOKED_AT` of them, each visited once (a chain that
loops back ends there), are looked at for the Exif IFD's pointer; one Exif IFD is read (Exif dates that a writer
put in IFD0 itself count too); at most :data:`_ENTRIES` entries of an IFD, and only the date and camera tags, short
ASCII texts, and the exposure's three numbers are read; an offset outside the file reads nothing.
"""
from __future__ import annotations

import struct

from .exif import exif_dict
from .rawexif import cr3_tiffs, raf_tiff
from .tiffkind import PAGES_LOOKED_AT

#: The headers of TIFF-based RAWs: TIFF's own (DNG, NEF, ARW, PEF, CR2 ...), Olympus' ORF, Panasonic's RW2.
_HEADERS = {b"II*\x00": "<", b"MM\x00*": ">", b"IIRO": "<", b"IIRS": "<", b"MMOR": ">", b"IIU\x00": "<"}
#: TIFF's own headers: a CR3's CMT boxes' and a RAF's EXIF's
_TIFF = {b"II*\x00": "<", b"MM\x00*": ">"}
_EXIF_IFD = 0x8769
#: IFD0 DateTime; the Exif IFD's DateTimeOriginal, DateTimeDigitized, their offsets and fractions (and DateTime's)
_IFD0_DATES = {0x0132}
_EXIF_DATES = {0x9003, 0x9004, 0x9010, 0x9011, 0x9012, 0x9290, 0x9291, 0x9292}
#: IFD0's Make and Model, the Exif IFD's BodySerialNumber: the camera (:func:`blurscan.exif.camera_of`, since
#: 2026-12-07: bursts never link two cameras' shots)
_IFD0_CAMERA, _EXIF_CAMERA = {0x010F, 0x0110}, {0xA431}
#: The Exif IFD's ExposureTime and FNumber (RATIONAL), ISO (SHORT): the shot's exposure
#: (:func:`blurscan.exif.exposure_value`: bursts never link an exposure bracket's frames)
#: ExposureMode (SHORT) and ExposureBiasValue (SRATIONAL) too: how the camera set it (an auto bracket's frames,
#: :func:`blurscan.exif.exposure_setting`; since 2026-12-07)
_EXPOSURE = {0x829A, 0x829D, 0x8827, 0xA402, 0x9204}
_KEYS = ("make", "model", "body_serial", "exposure_time", "f_number", "iso", "exposure_mode", "exposure_bias")
#: At most this many entries of one IFD are looked at (cameras write a few dozen)
_ENTRIES = 1000
#: A date tag longer than this is no date ("YYYY:MM:DD HH:MM:SS" and a NUL: 20 bytes)
_LONGEST = 64
_ASCII, _SHORT, _LONG, _RATIONAL, _SRATIONAL, _IFD = 2, 3, 4, 5, 10, 13


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
    one) of the camera RAW file ``data`` (a TIFF-based one, a CR3 or a RAF), as :func:`blurscan.exif.exif_dict`
    gives them for a JPEG; an empty dict when the file holds no EXIF this reads or no valid date. Its camera's
    ``make``, ``model`` and ``body_serial``, and its ``exposure_time``, ``f_number`` and ``iso``, where the file
    gives them (a date or not)."""
    order = _HEADERS.get(bytes(data[:4]))
    try:
        if order is not None and len(data) >= 8:
            ifd0, sub = _dates(data, order)
        elif (cmt := cr3_tiffs(data)) is not None:
            ifd0, sub = _first_ifd(cmt[0], _IFD0_DATES | _EXIF_DATES | _IFD0_CAMERA), \
                _first_ifd(cmt[1], _EXIF_DATES | _EXIF_CAMERA | _EXPOSURE)
            sub = {**{tag: ifd0.pop(tag) for tag in _EXIF_DATES & set(ifd0)}, **sub}
        elif (tiff := raf_tiff(data)) is not None and bytes(tiff[:4]) in _TIFF and len(tiff) >= 8:
            ifd0, sub = _dates(tiff, _TIFF[bytes(tiff[:4])])
        else:
            return {}
    except (struct.error, ValueError):  # (a damaged file: its dates are missing, as broken EXIF in a JPEG)
        return {}
    found = exif_dict(_Tags(ifd0, sub))
    camera = {key: found[key] for key in _KEYS if key in found}
    if not found.get("captured_at"):
        return camera
    return {**camera, **{key: found[key] for key in ("captured_at", "captured_subsec") if key in found}}


def _first_ifd(tiff, wanted: set[int]) -> dict:
    """The ``wanted`` tags of the first IFD of the TIFF bytes ``tiff`` (a CR3's ``CMT1`` or ``CMT2``), none where
    they are no TIFF."""
    order = _TIFF.get(bytes(tiff[:4]))
    if order is None or len(tiff) < 8:
        return {}
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    return _ifd(tiff, order, offset, wanted)[0] if 8 <= offset < len(tiff) else {}


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
        sub, _, _ = _ifd(data, order, pointer, _EXIF_DATES | _EXIF_CAMERA | _EXPOSURE)
    # some writers put the Exif dates in IFD0 itself (LibRaw reads them there too): they count where the Exif IFD
    # has not the same tag
    return ifd0, {**{tag: ifd0.pop(tag) for tag in _EXIF_DATES & set(ifd0)}, **sub}


def _ifd(data: bytes, order: str, offset: int, wanted: set[int]) -> tuple[dict, int | None, int]:
    """The ``wanted`` ASCII tags of the IFD at ``offset`` (bytes; the exposure's as numbers), its Exif IFD pointer
    (or None) and the offset of the IFD that follows it (0 for none)."""
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
        elif tag in wanted and tag in _EXPOSURE and n >= 1:
            value = _number(data, order, kind, entry[8:12])
            if value is not None:
                tags[tag] = value
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


def _number(data, order: str, kind: int, field) -> float | int | None:
    """The first value of an exposure tag: a SHORT or LONG in the entry itself, or a RATIONAL at the offset it
    gives, or an SRATIONAL's (None: another type, a zero denominator, or outside the file)."""
    if kind == _SHORT:
        return struct.unpack(order + "H", field[:2])[0]
    if kind == _LONG:
        return struct.unpack(order + "I", field)[0]
    if kind not in (_RATIONAL, _SRATIONAL):
        return None
    (at,) = struct.unpack(order + "I", field)
    pair = data[at:at + 8]
    if len(pair) < 8:
        return None
    num, den = struct.unpack(order + ("II" if kind == _RATIONAL else "ii"), pair)
    return num / den if den else None
