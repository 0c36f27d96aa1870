"""The capture time a photo's XMP packet gives, for a photo whose EXIF gives none.

Lightroom's and Photoshop's PNG exports, and photos whose EXIF block was stripped while their XMP was kept, carry
their capture time in XMP alone (``exif:DateTimeOriginal``, ``photoshop:DateCreated``): exiftool, digiKam and
darktable read it there, and blurscan gave such a photo no ``captured_at`` at all (its file's time stood in:
the time it was exported or copied) until 2026-12-06. The properties read, in this order (the Metadata Working
Group's mapping of EXIF's dates into XMP): ``exif:DateTimeOriginal``, ``photoshop:DateCreated``,
``exif:DateTimeDigitized``, ``xmp:CreateDate``; each an XMP date (ISO 8601: ``2024-07-14T18:03:22.45+05:30``)
with its seconds (a date alone, or a time to the minute, is no capture time to order a burst by), its fraction
and its offset (``Z`` is ``+00:00``) kept as the EXIF ones are. The packet is searched by the properties' usual
prefixes, as Pillow finds an XMP ``tiff:Orientation`` (attribute or element form), not parsed as XML.
"""
from __future__ import annotations

import re
from typing import Any

#: Pillow's keys of an image's XMP packet (bytes; PNG's iTXt text under the second)
_KEYS = ("xmp", "XML:com.adobe.xmp")
_PROPERTIES = (b"exif:DateTimeOriginal", b"photoshop:DateCreated", b"exif:DateTimeDigitized", b"xmp:CreateDate")
#: A packet longer than this is looked at up to here (cameras' and editors' packets: a few KiB to a few hundred)
_MOST = 4 << 20
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
                   r"(Z|[+-][0-9]{2}:[0-9]{2})?")


def _value(packet: bytes, name: bytes) -> str | None:
    match = re.search(rb"[\s<]" + re.escape(name) + rb"""(?:\s*=\s*["']|\s*>)\s*([^"'<]{1,64})""", packet)
    return match[1].decode("ascii", "replace").strip() if match else None


def _packet(info: dict) -> bytes | None:
    for key in _KEYS:
        value = info.get(key)
        if isinstance(value, str):
            value = value.encode("utf-8", "replace")
        if isinstance(value, bytes) and value:
            return value[:_MOST]
    return None


def captured(info: dict | None) -> dict[str, Any]:
    """``captured_at`` (and ``captured_subsec`` when the date has a fraction) of the first valid date of the XMP
    packet in Pillow's ``info`` of an image, as :func:`blurscan.exif.exif_dict` gives them from EXIF; an empty
    dict when there is none."""
    from .exif import exif_datetime, exif_subsec

    packet = _packet(info) if isinstance(info, dict) else None
    if packet is None:
        return {}
    for name in _PROPERTIES:
        text = _value(packet, name)
        match = _DATE.fullmatch(text) if text else None
        if not match:
            continue
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        stamp = exif_datetime(f"{year}:{month}:{day} {hour}:{minute}:{second}", "+00:00" if offset == "Z" else offset)
        if stamp:
            out: dict[str, Any] = {"captured_at": stamp}
            if fraction is not None:
                out["captured_subsec"] = exif_subsec(fraction)
            return out
    return {}
