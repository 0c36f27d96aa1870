"""EXIF basics of a decoded photo: orientation, capture time, camera and exposure.

Read through Pillow's ``Image.getexif()``; a broken EXIF block never makes a photo unreadable (the values
are simply missing). Tags: EXIF 2.32 (CIPA DC-008-2019).
"""
from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import warnings
from contextlib import contextmanager
from typing import Any

from PIL import Image

log = logging.getLogger(__name__)

_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112
_TAGS_IFD0 = {0x010F: "make", 0x0110: "model"}
#: IFD0 DateTime: when the file was made or last changed; the capture time only when no Original/Digitized date
#: is there (scanners, some phone apps and older cameras write only this one)
_DATETIME_IFD0 = 0x0132
_TAGS_EXIF = {0x829A: "exposure_time", 0x829D: "f_number", 0x8827: "iso", 0x920A: "focal_length"}
#: BodySerialNumber (EXIF 2.3): tells apart two bodies of one make and model (a wedding's two Canon EOS R5)
_BODY_SERIAL = 0xA431
#: ExposureMode (0 auto, 1 manual, 2 auto bracket) and ExposureBiasValue (SRATIONAL, EV: the compensation dialled,
#: or stepped by the camera's bracketing): whether two shots' exposures differ by the photographer's will
_EXPOSURE_MODE, _EXPOSURE_BIAS = 0xA402, 0x9204
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED = 0x9003, 0x9004
_OFFSET_TIME, _OFFSET_TIME_ORIGINAL, _OFFSET_TIME_DIGITIZED = 0x9010, 0x9011, 0x9012
#: SubSecTime (of IFD0 DateTime), SubSecTimeOriginal, SubSecTimeDigitized: the fraction of the second, as digits
_SUBSEC_TIME, _SUBSEC_TIME_ORIGINAL, _SUBSEC_TIME_DIGITIZED = 0x9290, 0x9291, 0x9292
#: The Exif IFD's date tags, read in IFD0 too where a writer put them there: TIFF/EP defines DateTimeOriginal as an
#: IFD0 tag, and Pillow's writer puts ``exif[0x9003]`` there (as exiftool and exiv2 read them, and
#: :mod:`blurscan.rawtimes` for a RAW)
_EXIF_DATES = (_DATETIME_ORIGINAL, _DATETIME_DIGITIZED, _OFFSET_TIME, _OFFSET_TIME_ORIGINAL, _OFFSET_TIME_DIGITIZED,
               _SUBSEC_TIME, _SUBSEC_TIME_ORIGINAL, _SUBSEC_TIME_DIGITIZED)


@contextmanager
def quiet():
    """Pillow's warnings about an EXIF block unsaid: it warns once for each tag it skips or finds of the wrong
    size, and a block of thousands of such tags wrote two lines each to the terminal (115,000 lines for one photo
    scanned, burying the scan's own; until 2026-12-06). A broken EXIF is already said nothing of (its values
    are simply missing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def safe_exif(im: Image.Image):
    try:
        with quiet():
            return im.getexif()
    except Exception:  # broken EXIF never makes a photo unreadable
        log.debug("unreadable EXIF", exc_info=True)
        return None


def orientation(exif) -> int:
    try:
        with quiet():  # (Pillow reads a tag's value when asked for it, and warns of an Orientation of two SHORTs:
            value = int(exif.get(_ORIENTATION, 1)) if exif is not None else 1  # on the scan's terminal, until 2026-12-06)
    except (TypeError, ValueError):
        return 1
    return value if 1 <= value <= 8 else 1


def exif_dict(exif, info: dict | None = None) -> dict[str, Any]:
    """``captured_at`` (always present, ISO 8601 or None) and the camera basics that are present.

    ``captured_at`` is the first valid one of DateTimeOriginal, DateTimeDigitized and IFD0 DateTime, each with
    its own offset tag when the camera wrote one. ``captured_subsec`` (present only when the camera wrote one):
    the fraction of that second, from the date's own sub-second tag (SubSecTimeOriginal, SubSecTimeDigitized,
    SubSecTime; else that of another of the dates with the same text), a number from 0 to 1 (``"40"`` is 0.4 s):
    the shots of a burst often share their second. When the EXIF gives no valid date, the XMP packet in
    ``info`` (Pillow's ``Image.info``) may (:func:`blurscan.xmpdates.captured`).
    """
    with quiet():  # (the Exif IFD is read here, and each tag's value)
        out = _exif_dict(exif)
    if out["captured_at"] is None and info:
        from .xmpdates import captured

        out.update(captured(info))
    return out


def _exif_dict(exif) -> dict[str, Any]:
    out: dict[str, Any] = {"captured_at": None}
    if exif is None:
        return out
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:
        sub = {}
    # Exif dates in IFD0 count where the Exif IFD has not the same tag (until 2026-12-06 a JPEG's DateTimeOriginal
    # there was not read: its captured_at was IFD0 DateTime, the time of the last edit, or none)
    sub = {**{tag: exif.get(tag) for tag in _EXIF_DATES if exif.get(tag) is not None}, **sub}
    for tag, name in _TAGS_IFD0.items():
        value = _clean(exif.get(tag))
        if isinstance(value, str) and value:
            out[name] = value
    serial = _clean(sub.get(_BODY_SERIAL))
    if isinstance(serial, str) and serial:
        out["body_serial"] = serial
    for tag, name in _TAGS_EXIF.items():
        value = _number(sub.get(tag))
        if value is not None:
            out[name] = int(value) if name == "iso" else value
    mode, bias = _number(sub.get(_EXPOSURE_MODE)), _number(sub.get(_EXPOSURE_BIAS), signed=True)
    if mode is not None and mode == int(mode) and mode <= 2:
        out["exposure_mode"] = int(mode)
    if bias is not None and abs(bias) <= 64:  # (a camera's range is a few stops; more is no bias)
        out["exposure_bias"] = bias
    dates = ((sub.get(_DATETIME_ORIGINAL), _OFFSET_TIME_ORIGINAL, _SUBSEC_TIME_ORIGINAL),
             (sub.get(_DATETIME_DIGITIZED), _OFFSET_TIME_DIGITIZED, _SUBSEC_TIME_DIGITIZED),
             (exif.get(_DATETIME_IFD0), _OFFSET_TIME, _SUBSEC_TIME))
    for date, offset, subsec in dates:
        out["captured_at"] = exif_datetime(date, sub.get(offset))
        if out["captured_at"]:
            # the date's own fraction, else that of another date of the very same second (a camera that writes
            # the three dates alike and SubSecTime alone)
            same = [tag for other, _, tag in dates if tag != subsec and _clean(other) == _clean(date)]
            for tag in (subsec, *same):
                fraction = exif_subsec(sub.get(tag))
                if fraction is not None:
                    out["captured_subsec"] = fraction
                    break
            break
    return out


def exposure_value(exif: dict | None) -> float | None:
    """The shot's exposure in EV at ISO 100 (``log2(N^2 / t) - log2(ISO / 100)``, two decimals) from the
    ``exposure_time``, ``f_number`` and ``iso`` of :func:`exif_dict` (or a RAW's, :mod:`blurscan.raw`), or None when
    one is missing or not positive, or none a float can hold (``N^2 / t`` past the floats' range, as DOUBLE EXIF
    values can make it: 1e-200 and 1e-308). The frames of an exposure bracket (-2, 0, +2 EV) differ by the
    bracket's steps; the shots of a burst under one light by a third of a stop or less."""
    try:
        t, n, iso = (float((exif or {})[key]) for key in ("exposure_time", "f_number", "iso"))
    except (KeyError, TypeError, ValueError):
        return None
    if not (t > 0 and n > 0 and iso > 0) or not all(map(math.isfinite, (t, n, iso))):
        return None
    # (N^2 / t: 0 or inf past the floats' range; 0 made math.log2 raise, the photo an error "internal error:
    # ValueError: math domain error", and with NumPy, until 2026-12-07, -inf or inf was stored: not JSON)
    ratio = n * n / t
    return round(math.log2(ratio) - math.log2(iso / 100), 2) if 0 < ratio < math.inf else None


def camera_of(exif: dict | None) -> list | None:
    """The camera that took the shot, ``[make, model, body serial]`` (each a text or None) from :func:`exif_dict`
    (or a RAW's, :mod:`blurscan.rawtimes`), or None when the EXIF names none of them. Two bodies shooting one moment
    (a wedding's second shooter, the same kiss from two cameras) take two photos, not a burst: bursts never link
    shots of other cameras (:mod:`blurscan.bursts.apart`; since 2026-12-07)."""
    found = [(exif or {}).get(key) for key in ("make", "model", "body_serial")]
    found = [value if isinstance(value, str) and value else None for value in found]
    return found if any(found) else None


def exposure_setting(exif: dict | None) -> list | None:
    """How the camera set the shot's exposure, ``[mode, bias]`` from :func:`exif_dict`'s ``exposure_mode`` (EXIF
    ExposureMode: 0 auto, 1 manual, 2 auto bracket) and ``exposure_bias`` (ExposureBiasValue, EV, two decimals),
    each None where not written, or None when neither is; in the manual mode, the ISO third where written (the
    camera's auto ISO in the manual mode follows the light, the photographer's shutter and aperture do not: since
    2026-12-07, rules 6, :mod:`blurscan.bursts.whole`). An auto bracket's frames, and shots of another bias, are
    never linked into a burst whatever their exposures; shots of the auto mode at one bias are, however far apart
    the camera's exposures as the light changed (:mod:`blurscan.bursts.apart`; since 2026-12-07)."""
    mode, bias = ((exif or {}).get(key) for key in ("exposure_mode", "exposure_bias"))
    mode = mode if isinstance(mode, int) and not isinstance(mode, bool) and 0 <= mode <= 2 else None
    bias = round(float(bias), 2) if isinstance(bias, (int, float)) and not isinstance(bias, bool) \
        and math.isfinite(bias) else None
    if mode is None and bias is None:
        return None
    try:  # (manual mode: its ISO, third, where written; the camera's auto ISO may follow the light, rules 6)
        iso = float((exif or {})["iso"]) if mode == 1 else None
    except (KeyError, TypeError, ValueError):
        iso = None
    return [mode, bias] if iso is None or not (math.isfinite(iso) and iso > 0) else [mode, bias, round(iso, 2)]


def burst_basics(exif: dict | None) -> tuple[float | None, list | None, list | None]:
    """``(exposure_ev, camera, exposure_setting)`` of a shot (:func:`exposure_value`, :func:`camera_of`,
    :func:`exposure_setting`): what tells apart two shots of one look and moment (:mod:`blurscan.bursts.apart`)."""
    return exposure_value(exif), camera_of(exif), exposure_setting(exif)


def exif_subsec(value) -> float | None:
    """An EXIF SubSecTime value (ASCII digits, the decimals of the second: ``"4"`` and ``"40"`` are 0.4 s, ``"045"``
    0.045 s; cameras pad it with spaces) as seconds from 0 to 1, or None when it is missing or not digits."""
    text = _clean(value)
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    return int(text) / 10 ** len(text)


def exif_datetime(value, offset=None) -> str | None:
    """EXIF ``"YYYY:MM:DD HH:MM:SS"`` (+ optional ``"+HH:MM"`` offset) as ISO 8601, or None if invalid. An offset
    that is no real one (``"+99:99"``: minutes of 60 or more, more than 14 hours either way, the range of the
    world's time zones) is left out and the time kept: the text must stay ISO 8601 (it was
    ``"2024-07-14T18:03:22+99:99"``, which ``datetime.fromisoformat`` refuses)."""
    text = _clean(value)
    if not isinstance(text, str):
        return None
    try:
        stamp = _dt.datetime.strptime(text.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    iso = stamp.isoformat()
    off = _clean(offset)
    # ASCII digits only: str.isdigit() takes "²" (int() then failed and the photo could not be scored) and other
    # scripts' digits (the text was not ISO 8601)
    m = _OFFSET.fullmatch(off) if isinstance(off, str) else None
    if m and int(m.group(2)) < 60 and int(m.group(1)) * 60 + int(m.group(2)) <= 14 * 60:
        iso += off
    return iso


_OFFSET = re.compile(r"[+-]([0-9]{2}):([0-9]{2})")
_DIGITS = re.compile(r"[0-9]{1,9}")


def _clean(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def _number(value, signed: bool = False) -> float | None:
    if isinstance(value, tuple):  # several values (ISO can be a tuple): the first; (num, den) integers: a rational
        # (two of Pillow's rationals were divided too: a TypeError that made the photo an error, until 2026-12-06)
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            value = value[0] / value[1] if value[1] else None
        else:
            value = value[0] if value else None
    try:
        out = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return out if math.isfinite(out) and (signed or out >= 0) else None
