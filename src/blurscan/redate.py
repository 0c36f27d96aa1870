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
the new date where it differs and the rules' number on every record read, so that the next scan reads none.

A camera RAW's date (:mod:`blurscan.rawtimes`, LibRaw) is read by the same rules as before, and so is that of a
RAW + JPEG pair judged from its RAW (``format`` the RAW's): neither is read again.
"""
from __future__ import annotations

import io
import logging
import struct
from collections.abc import Iterable

from .records import ImageRef, ScanRecord

log = logging.getLogger(__name__)

#: The rules a record's ``captured_at`` was read by: 1 (or none stored) before 2026-12-06; 2: Exif dates in IFD0
#: and the XMP's dates too (:mod:`blurscan.exif`, :mod:`blurscan.xmpdates`)
DATE_RULES = 2
#: The bytes of a JPEG's start read for its header (a camera's EXIF segment: up to 64 KiB), then up to
#: :data:`_MORE` when its first scan starts later (an XMP or ICC profile's segments), else the whole file
_HEAD, _MORE = 1 << 16, 1 << 20


def stale(record: ScanRecord) -> bool:
    """Whether ``record`` (a reused ``"ok"`` one) had its date read by older rules that today's may read otherwise."""
    if record.status != "ok" or (record.dates or 1) >= DATE_RULES:
        return False
    from .fileread import is_raw

    return not is_raw(record.format or "")


def redate(store, found: dict[str, ScanRecord], refs: Iterable[ImageRef]) -> int:
    """Read again the date of each of ``refs`` whose record in ``found`` is :func:`stale`, and store it (one
    transaction; a record moved by hand, ``moved_from``, is written by the scan under its new path). Returns how
    many dates changed; those records get ``redated`` True. A file that cannot be read now keeps its record, read
    again next time."""
    import json

    from .store import db_path

    written, changed = [], 0
    for ref in refs:
        record = found.get(ref.path)
        if record is None or not stale(record):
            continue
        try:
            dates = read_dates(ref.path)
        except OSError as exc:  # (unreadable now: read again next time; Pillow's errors are Unparsed)
            log.debug("%r: its capture time could not be read again (%s)", ref.path, exc)
            continue
        except Exception as exc:  # (metadata Pillow cannot read: the date stored stays, not read at every scan)
            log.debug("%r: its capture time could not be read again (%s)", ref.path, exc)
            dates = {"captured_at": record.captured_at, "captured_subsec": record.captured_subsec}
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
            return _dates(_png_metadata(f, head), fmt)
        if fmt == "JPEG" and not _sos_within(head):  # (large ICC profile or XMP segments: more of it)
            head += f.read(_MORE - len(head))
        if fmt == "JPEG" and _sos_within(head):
            try:
                return _dates(head, fmt)
            except Exception:  # (an MPO's second picture, say, past the bytes read: the whole file)
                pass
        f.seek(len(head))
        return _dates(head + f.read(), fmt)


class Unparsed(Exception):
    """Metadata Pillow cannot read (not an :class:`OSError`, as many of Pillow's are: the file was read)."""


def _dates(data: bytes, fmt: str) -> dict:
    """:func:`_parsed` of ``data``, or of a PNG without the chunks Pillow refuses, as the scan reads it
    (:mod:`blurscan.pngsalvage`); :class:`Unparsed` when Pillow reads neither."""
    try:
        return _parsed(data, fmt)
    except Exception as exc:
        from .pngsalvage import salvage

        whole = salvage(data) if fmt == "PNG" else None
        if whole is None:
            raise Unparsed(f"{type(exc).__name__}: {exc}") from exc
    try:
        return _parsed(whole, fmt)
    except Exception as exc:
        raise Unparsed(f"{type(exc).__name__}: {exc}") from exc


def _parsed(data: bytes, fmt: str) -> dict:
    from PIL import Image

    from .decode import _pil_formats
    from .exif import exif_dict, quiet, safe_exif
    from .jpegexif import bounded
    from .tiffkind import full_resolution_page

    with quiet(), Image.open(io.BytesIO(bounded(data)), formats=_pil_formats(fmt)) as im:
        full_resolution_page(im)  # (a TIFF whose first image is a thumbnail: the picture's tags, as the scan reads)
        # a PNG's getexif loads its pixels to find a late eXIf chunk: every chunk is read already (_png_metadata)
        exif = Image.Image.getexif(im) if fmt == "PNG" else safe_exif(im)
        found = exif_dict(exif, im.info)
    return {key: found[key] for key in ("captured_at", "captured_subsec") if found.get(key) is not None}


def _sos_within(head: bytes) -> bool:
    """Whether the JPEG start ``head`` holds its header whole (to its first scan's segment)."""
    from .jpegkind import segments

    end = 2
    for _, _, end in segments(head):
        pass
    return end < len(head) and head.find(b"\xff\xda", end) != -1


def _png_metadata(f, head: bytes) -> bytes:
    """The PNG open in ``f`` (its first bytes ``head`` read) without its image data: every chunk but ``IDAT`` (and an
    animated PNG's ``fdAT``, and its ``fcTL`` after the first image data) in the file's order (those after the image
    data, where Pillow's scan finds a late ``eXIf`` or XMP, included), so that Pillow's open reads them all."""
    f.seek(8)
    out = [head[:8]]
    pixels = False
    while True:
        top = f.read(8)
        if len(top) < 8:
            break
        length, kind = struct.unpack(">I4s", top)
        # an animated PNG's later frames' controls go with their image data: left, the frames' numbers
        # (which their image data shares) would skip one, and Pillow refuse the file ("frame sequence errors")
        if kind in (b"IDAT", b"fdAT") or kind == b"fcTL" and pixels:
            pixels = True
            f.seek(length + 4, io.SEEK_CUR)
            continue
        body = f.read(length + 4)
        out.append(top + body)
        if kind == b"IEND" or len(body) < length + 4:
            break
    return b"".join(out)
