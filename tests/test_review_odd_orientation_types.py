"""A JPEG or PNG whose EXIF Orientation is not stored as the EXIF spec has it (one SHORT in IFD0): an ASCII "6",
a LONG or SSHORT 6, two SHORTs 6, 6. Pillow's ``getexif`` reads each as 6, and so the scan turns the picture (its
size, its blur map); Chromium turns a JPEG or PNG only by one SHORT and showed each as stored, and Pillow's
``ImageOps.exif_transpose`` (the thumbnail's) took no ASCII "6". Until 2026-12-06 the thumbnail of an ASCII "6"
lay sideways beside a blur map of the upright picture, and the full view of each lay sideways under it. The
thumbnail now goes by the scan's own reading (:func:`blurscan.exif.orientation`) and a full view the browser
would not turn as the scan did is sent turned (:func:`blurscan.review.exif_view.shown_as_scanned`). Files every
reader turns alike (one SHORT; two EXIF segments, where all read the first; an EXIF 0 beside an XMP 6, where
all go by the EXIF's 0) are still sent as they are."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.review import security

from helpers_images import asym
from helpers_review import _get, review_client

_SHORT, _ASCII, _LONG, _SSHORT = 3, 2, 4, 8


def _tiff(kind: int, count: int, value: bytes, order: str = "<") -> bytes:
    """A TIFF header and an IFD0 of one Orientation entry of ``kind`` and ``count``, its ``value`` bytes."""
    head = (b"II" if order == "<" else b"MM") + struct.pack(order + "HI", 42, 8)
    return head + struct.pack(order + "HHHI", 1, 0x0112, kind, count) + value.ljust(4, b"\0") + bytes(4)


_BLOCKS = {  # name -> the EXIF blocks (TIFF data) of the file, in order
    "ascii6": [_tiff(_ASCII, 2, b"6\0")],
    "long6": [_tiff(_LONG, 1, struct.pack("<I", 6))],
    "long6_motorola": [_tiff(_LONG, 1, struct.pack(">I", 6), ">")],
    "sshort6": [_tiff(_SSHORT, 1, struct.pack("<h", 6))],
    "two_shorts6": [_tiff(_SHORT, 2, struct.pack("<HH", 6, 6))],
    "short6": [_tiff(_SHORT, 1, struct.pack("<H", 6))],
    "segments_6_1": [_tiff(_SHORT, 1, struct.pack("<H", 6)), _tiff(_SHORT, 1, struct.pack("<H", 1))],
}


def _save(path, upright: np.ndarray, blocks: list[bytes]) -> None:
    """``upright`` stored turned for an orientation of 6 (a JPEG's APP1 segments, a PNG's eXIf before its IDAT)."""
    buf = io.BytesIO()
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)
    if path.suffix == ".jpg":
        stored.save(buf, "JPEG", quality=95)
        data = buf.getvalue()
        app1 = b"".join(b"\xff\xe1" + struct.pack(">H", len(b) + 8) + b"Exif\0\0" + b for b in blocks)
        path.write_bytes(data[:2] + app1 + data[2:])
    else:
        stored.save(buf, "PNG")
        data, [block] = buf.getvalue(), blocks
        at = data.index(b"IDAT") - 4
        chunk = struct.pack(">I", len(block)) + b"eXIf" + block + struct.pack(">I", zlib.crc32(b"eXIf" + block))
        path.write_bytes(data[:at] + chunk + data[at:])


def _scanned(tmp_path, name: str):
    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(120, 200)  # wider than tall, a white top-left corner
    _save(photos / name, upright, _BLOCKS[name.split(".")[0]])
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    assert (record.status, record.width, record.height) == ("ok", 200, 120)  # the scan sees it turned
    return photos / name, record, review_client((db, None)), upright


def _upright(data: bytes, upright: np.ndarray) -> None:
    picture = Image.open(io.BytesIO(data))
    assert picture.size == (200, 120) and picture.getexif().get(0x0112, 1) == 1
    shown = np.asarray(picture.convert("RGB")).astype(int)
    assert shown[:10, :16].min() > 200  # the white corner at the top left, as in the upright picture
    assert np.abs(shown - upright).mean() < 12


@pytest.mark.parametrize("name", ["ascii6.jpg", "ascii6.png", "long6.jpg"])
def test_the_thumbnail_is_turned_as_the_scan_turned_the_photo(tmp_path, name):
    path, record, client, upright = _scanned(tmp_path, name)
    thumb = _get(client, f"/thumb/{security.path_id(record.path)}").data
    _upright(thumb, upright)  # (main: an ASCII "6" left 120 x 200 beside the blur map of the picture upright)


@pytest.mark.parametrize("name", ["ascii6.jpg", "long6.jpg", "long6_motorola.jpg", "sshort6.jpg",
                                  "two_shorts6.jpg", "ascii6.png", "long6.png"])
def test_a_full_view_the_browser_would_not_turn_is_served_upright(tmp_path, name):
    path, record, client, upright = _scanned(tmp_path, name)
    served = _get(client, f"/full/{security.path_id(record.path)}")
    assert served.data != path.read_bytes()  # (main: the file as it is, which Chromium shows 120 x 200)
    _upright(served.data, upright)


@pytest.mark.parametrize("name", ["short6.jpg", "short6.png", "segments_6_1.jpg"])
def test_a_full_view_the_browser_turns_as_the_scan_does_is_sent_as_it_is(tmp_path, name):
    path, record, client, _ = _scanned(tmp_path, name)
    assert _get(client, f"/full/{security.path_id(record.path)}").data == path.read_bytes()


@pytest.mark.browser
def test_chromium_shows_the_full_view_as_the_scan_saw_it(tmp_path, sync_api):
    """In the real page: an ASCII "6" and a LONG 6 (a JPEG, a PNG) are shown at the photo's upright size, the
    upright picture; the old page showed them 120 x 200, under a map of the upright photo's rows and columns."""
    from helpers_browser import full_view_of, review_page, wait_true

    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(120, 200)
    for name in ("ascii6.jpg", "long6.jpg", "long6.png", "short6.jpg"):
        _save(photos / name, upright, _BLOCKS[name.split(".")[0]])
    db = photos / ".blurscan.db"
    list(scan([photos], ScanSettings(workers=1), db=db))  # (the shipped model: each photo has its blur map)
    with review_page(sync_api, db) as (page, _origin, errors):
        page.select_option("#filter", "all")
        wait_true(page, "state.items.length === 4")
        for i in range(4):
            name, shown = full_view_of(page, i)
            assert shown[:2] == [200, 120] and shown[2] > 200, (name, shown)  # (the old page: 120 x 200)
            page.keyboard.press("Escape")
    assert not errors


def _ifd(entries: list[tuple[int, int, int, bytes]], order: str = "<") -> bytes:
    """A TIFF header and an IFD0 of ``entries`` ((tag, kind, count, value bytes of at most 4), in order)."""
    head = (b"II" if order == "<" else b"MM") + struct.pack(order + "HI", 42, 8)
    body = b"".join(struct.pack(order + "HHI", tag, kind, count) + value.ljust(4, b"\0")
                    for tag, kind, count, value in entries)
    return head + struct.pack(order + "H", len(entries)) + body + bytes(4)


_BLOCKS.update({  # one SHORT 6 as cameras write it: Motorola byte order; after Make and Model (Canon, Nikon)
    "short6_motorola": [_ifd([(0x0112, _SHORT, 1, struct.pack(">H", 6))], ">")],
    "camera6": [_ifd([(0x010F, _ASCII, 4, b"Cam\0"), (0x0110, _ASCII, 4, b"X1\0\0"),
                      (0x0112, _SHORT, 1, struct.pack("<H", 6))])],
    "camera6_motorola": [_ifd([(0x010F, _ASCII, 4, b"Cam\0"), (0x0112, _SHORT, 1, struct.pack(">H", 6))], ">")],
})


@pytest.mark.parametrize("name", ["short6_motorola.jpg", "camera6.jpg", "camera6_motorola.jpg", "camera6.png"])
def test_a_cameras_orientation_after_other_tags_or_big_endian_is_sent_as_it_is(tmp_path, name):
    """The browser turns these as the scan does (one SHORT 6 in IFD0, wherever it is among the tags, in either
    byte order): the file is sent as it is, not converted."""
    path, record, client, _ = _scanned(tmp_path, name)
    assert _get(client, f"/full/{security.path_id(record.path)}").data == path.read_bytes()


@pytest.mark.parametrize("value", [0, 9, 0xFFFF])
def test_an_orientation_out_of_range_is_sent_as_it_is(tmp_path, value):
    """A SHORT of 0 or 9 (no orientation): the scan, Pillow and the browser all show the picture as stored, so it
    is sent as it is."""
    photos = tmp_path / "photos"
    photos.mkdir()
    path = photos / "odd.jpg"
    _save(path, asym(120, 200), [_tiff(_SHORT, 1, struct.pack("<H", value))])
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    assert (record.status, record.width, record.height) == ("ok", 120, 200)  # (as stored)
    client = review_client((db, None))
    assert _get(client, f"/full/{security.path_id(record.path)}").data == path.read_bytes()
