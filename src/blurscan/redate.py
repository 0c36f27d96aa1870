"""The capture times of photos stored by an older blurscan, read again by today's date rules, without scoring them
again.

A scan reuses the record of an unchanged photo (its scores stay valid), and with it the ``captured_at`` and
``captured_subsec`` read when it was scored. The rules that read them widened on 2026-12-06: Exif dates written in
IFD0 (Pillow's ``exif[0x9003]``, TIFF/EP) and, when the EXIF has none, the XMP's (a Lightroom or Photoshop PNG
export). A library scanned before kept its old dates (the last edit's IFD0 ``DateTime``, or none, so that bursts and
the review's date sort took the file's time) until each file changed, and a burst of a few photos touched since was
split between the two rules. A record says by which rules its date was read (``dates``, :data:`DATE_RULES`; a
record without it is older); :func:`redate` reads the date of each reused record of older rules from its file's
metadata alone (the header's EXIF and XMP, no pixels: a one-time cost on the first scan after the upgrade), stores
the new date where it differs and the rules' number on every record read, so that the next scan reads none. Since
2026-12-07 (rules 3) the shot's exposure (``exposure_ev``, :func:`blurscan.exif.exposure_value`) is read with them,
so that a library scanned before has its exposure brackets told apart in bursts after its next scan; since rules 4
the camera (``camera``: make, model and body serial), so that two cameras' shots of one moment are told apart too;
since rules 5 how the camera set the exposure (``exposure_setting``: ExposureMode and ExposureBiasValue), so that
an auto bracket in third stops is told apart and an auto-ISO burst is one; since rules 6 a manual-mode shot's
ISO with it, so that a manual-mode burst whose auto ISO followed the light is one burst.

A camera RAW's date (:mod:`blurscan.rawtimes`, LibRaw) is read by the same rules as before, and so is that of a
RAW + JPEG pair judged from its RAW (``format`` the RAW's): neither is read again. Their camera (and exposure
setting) is, once
(:data:`RAW_RULES`, :func:`read_camera`): until 2026-12-07 a library of RAWs scanned before never learnt its
cameras, and two bodies' RAWs of one moment stayed one burst.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from . import metadates
from .records import ImageRef, ScanRecord

log = logging.getLogger(__name__)

#: The rules a record's ``captured_at`` was read by: 1 (or none stored) before 2026-12-06; 2: Exif dates in IFD0
#: and the XMP's dates too (:mod:`blurscan.exif`, :mod:`blurscan.xmpdates`); 3 (2026-12-07): the shot's exposure read
#: with them (``exposure_ev``: bursts never link an exposure bracket's frames), the dates by the rules of 2; 4
#: (2026-12-07): the camera too (``camera``, :func:`blurscan.exif.camera_of`: nor two cameras' shots of one moment);
#: 5 (2026-12-07): how the camera set the exposure too (``exposure_setting``, :func:`blurscan.exif.exposure_setting`:
#: an auto bracket's frames in third stops are never linked, an auto-ISO burst's shots a stop apart are); 6
#: (2026-12-07): a manual-mode shot's ISO in it (a burst in the manual mode whose auto ISO followed the light is one,
#: not split by exposure level as a manual bracket is: :mod:`blurscan.bursts.whole`)
DATE_RULES = 6
#: The rules by which a camera RAW's record (or a RAW + JPEG pair's, judged from its RAW) was read: before 5 its
#: camera and exposure setting are read (:func:`read_camera`), its date kept (6: with a manual shot's ISO)
RAW_RULES = 6
#: The bytes of a JPEG's start read for its header (a camera's EXIF segment: up to 64 KiB), then up to
#: :data:`_MORE` when its first scan starts later (an XMP or ICC profile's segments), else the whole file
_HEAD, _MORE = 1 << 16, 1 << 20


def stale(record: ScanRecord) -> bool:
    """Whether ``record`` (a reused ``"ok"`` one) had its date read by older rules that today's may read otherwise."""
    if record.status != "ok" or (record.dates or 1) >= DATE_RULES:
        return False
    from .fileread import is_raw

    return not is_raw(record.format or "") or (record.dates or 1) < RAW_RULES


def redate(store, found: dict[str, ScanRecord], refs: Iterable[ImageRef],
           before: Callable[[int], None] | None = None) -> int:
    """Read again the date of each of ``refs`` whose record in ``found`` is :func:`stale`, and store it (one
    transaction; a record moved by hand, ``moved_from``, is written by the scan under its new path). Returns how
    many dates changed; those records get ``redated`` True. A file that cannot be read now keeps its record, read
    again next time. ``before(n)`` is called first with how many are read again, when any are (the scan says so:
    2-4 times a plain rescan's time, until 2026-12-07 without a word while it ran)."""
    import json

    from .fileread import is_raw
    from .store import db_path

    written, changed = [], 0
    todo = [(ref, found[ref.path]) for ref in refs if ref.path in found and stale(found[ref.path])]
    if todo and before is not None:
        before(len(todo))
    for ref, record in todo:
        try:
            dates = read_dates(ref.path) if not is_raw(record.format or "") else \
                {"captured_at": record.captured_at, "captured_subsec": record.captured_subsec, **read_camera(ref.path)}
        except OSError as exc:  # (unreadable now: read again next time; Pillow's are metadates.Unparsed)
            log.debug("%r: its capture time could not be read again (%s)", ref.path, exc)
            continue
        except Exception as exc:  # (metadata Pillow cannot read: the date stored stays, not read at every scan)
            log.debug("%r: its capture time could not be read again (%s)", ref.path, exc)
            dates = {"captured_at": record.captured_at, "captured_subsec": record.captured_subsec}
        record.exposure_ev = dates.get("exposure_ev", record.exposure_ev)  # (not counted as a date changed)
        record.camera = dates.get("camera", record.camera)  # (neither is this)
        record.exposure_setting = dates.get("exposure_setting", record.exposure_setting)  # (nor this)
        new = (dates.get("captured_at"), dates.get("captured_subsec"))
        if new != (record.captured_at, record.captured_subsec):
            record.captured_at, record.captured_subsec = new
            record.redated = True
            changed += 1
        record.dates = DATE_RULES
        if record.moved_from is None:
            written.append(record)
    if written and store is not None:
        with store.transaction() as conn:
            conn.executemany("UPDATE images SET captured_at = ?, record = ? WHERE path = ? AND size = ? "
                             "AND mtime_ns = ?", [(r.captured_at, json.dumps(r.to_row()), db_path(r.path), r.size,
                                                   r.mtime_ns) for r in written])
    return changed


def read_dates(path: str) -> dict:
    """``captured_at`` and ``captured_subsec`` of the photo at ``path`` as a scan reads them
    (:func:`blurscan.exif.exif_dict` of Pillow's header), its pixels not read."""
    from .fileread import sniff

    with open(path, "rb") as f:
        head = f.read(_HEAD)
        fmt = sniff(head, path)
        if fmt == "PNG":
            return metadates.dates(metadates.png_metadata(f, head), fmt)
        if fmt == "JPEG" and not _sos_within(head):  # (large ICC profile or XMP segments: more of it)
            head += f.read(_MORE - len(head))
        if fmt == "JPEG" and _sos_within(head):
            try:
                return metadates.dates(head, fmt)
            except Exception:  # (an MPO's second picture, say, past the bytes read: the whole file)
                pass
        f.seek(len(head))
        return metadates.dates(head + f.read(), fmt)


def read_camera(path: str) -> dict:
    """``camera`` and ``exposure_setting`` of the photo at ``path`` as a scan of a RAW reads them
    (:func:`blurscan.exif.camera_of`, :func:`blurscan.exif.exposure_setting` of
    :mod:`blurscan.rawtimes`: a TIFF-based RAW's, a CR3's or a RAF's own EXIF), an empty dict when there is none.
    The file is mapped, not read: only the pages of its directories are (a RAW is tens of MB). A pair's JPEG (the
    record's path, judged from its RAW): its header's camera."""
    import mmap

    from .exif import camera_of, exposure_setting
    from .fileread import is_raw, sniff
    from .rawtimes import capture_time

    with open(path, "rb") as f:
        head = f.read(_HEAD)
        if not is_raw(sniff(head, path)):
            found = read_dates(path)
            camera, setting = found.get("camera"), found.get("exposure_setting")
        else:
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                found = capture_time(data)
                camera, setting = camera_of(found), exposure_setting(found)
    return {key: value for key, value in (("camera", camera), ("exposure_setting", setting)) if value is not None}


def _sos_within(head: bytes) -> bool:
    """Whether the JPEG start ``head`` holds its header whole (to its first scan's segment)."""
    from .jpegkind import segments

    end = 2
    for _, _, end in segments(head):
        pass
    return end < len(head) and head.find(b"\xff\xda", end) != -1
