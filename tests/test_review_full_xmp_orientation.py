"""The review page's full-size view of a JPEG or PNG whose orientation the scan reads from somewhere else than
the EXIF block a browser reads: a ``tiff:Orientation`` in its XMP alone, ImageMagick's ``Raw profile type exif``
text in a PNG, or a PNG's eXIf chunk after its pixels (Pillow reads it as it loads them; Chromium only one
before). The scan (Pillow's ``getexif``), the thumbnail, the Dimensions line and the blur map see such a picture
turned; Chromium turns a JPEG or PNG by the EXIF Orientation before its pixels only and showed it as stored:
sideways or mirrored, the blur map's rows and columns over the wrong parts of the picture (a map of a 300 x 200
photo drawn over a 200 x 300 one). It is now served turned, as a TIFF or a HEIC is; one the browser turns itself
is still sent as it is."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.review import security

from helpers_images import asym
from helpers_review import _get, review_client

_TURN = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
         5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
         8: Image.Transpose.ROTATE_270}  # the stored picture from the upright one (the inverse of the tag's turn)


def _xmp(orientation: int, element: bool = False) -> str:
    """An XMP packet with ``orientation`` as an attribute (``tiff:Orientation="6"``) or an ``element``."""
    tag = (f'><tiff:Orientation>{orientation}</tiff:Orientation></rdf:Description>' if element
           else f' tiff:Orientation="{orientation}"/>')
    return ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
            f'xmlns:tiff="http://ns.adobe.com/tiff/1.0/"{tag}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _late_chunk(png: bytes, kind: bytes, body: bytes) -> bytes:
    """``png`` with a ``kind`` chunk after its pixels, before IEND."""
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def _save(path, upright: np.ndarray, orientation: int, where: str) -> None:
    """``upright`` stored turned, with ``orientation`` written ``where``: xmp, raw-profile (PNG) or exif."""
    stored = Image.fromarray(upright).transpose(_TURN[orientation]) if orientation != 1 else Image.fromarray(upright)
    if where == "exif":
        stored.save(path, exif=_exif(orientation), **({"quality": 95} if path.suffix == ".jpg" else {}))
    elif where == "exif+xmp":  # both say it (a camera's, an editor's that kept them in step)
        stored.save(path, exif=_exif(orientation), xmp=_xmp(orientation).encode(), quality=95)
    elif where in ("late-exif", "late-xmp"):  # an eXIf (an iTXt of XMP) chunk after the pixels, before IEND
        buf = io.BytesIO()
        stored.save(buf, "PNG")
        if where == "late-exif":
            chunk = (b"eXIf", _exif(orientation).removeprefix(b"Exif\x00\x00"))
        else:  # keyword, no compression, no language, no translated keyword, then the text
            chunk = (b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + _xmp(orientation).encode())
        path.write_bytes(_late_chunk(buf.getvalue(), *chunk))
    elif path.suffix == ".jpg":
        stored.save(path, quality=95, xmp=_xmp(orientation, element=where == "xmp-element").encode())
    else:
        info = PngImagePlugin.PngInfo()
        if where == "xmp":
            info.add_itxt("XML:com.adobe.xmp", _xmp(orientation))
        else:  # ImageMagick's text form of the EXIF block: its hex digits after a heading line and the length
            block = _exif(orientation)
            info.add_text("Raw profile type exif", f"\nexif\n{len(block):8d}\n{block.hex()}\n", zip=True)
        stored.save(path, pnginfo=info)


@pytest.mark.parametrize("name, orientation, where", [
    ("xmp6.jpg", 6, "xmp"), ("xmp2.jpg", 2, "xmp"), ("xmp8.png", 8, "xmp"), ("xmp3.png", 3, "xmp"),
    ("profile5.png", 5, "raw-profile"), ("late6.png", 6, "late-exif"), ("latexmp6.png", 6, "late-xmp"),
    ("element6.jpg", 6, "xmp-element")])
def test_a_picture_turned_by_its_xmp_is_served_as_the_scan_saw_it(tmp_path, name, orientation, where):
    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(120, 200)  # wider than tall, a white top-left corner
    _save(photos / name, upright, orientation, where)
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    assert (record.status, record.width, record.height) == ("ok", 200, 120)  # the scan sees it turned
    served = _get(review_client((db, None)), f"/full/{security.path_id(record.path)}")
    picture = Image.open(io.BytesIO(served.data))
    assert picture.size == (200, 120), served.mimetype  # the old page: the file as it is
    assert picture.getexif().get(0x0112, 1) == 1 and b"tiff:Orientation" not in served.data  # turned no more
    shown = np.asarray(picture.convert("RGB")).astype(int)
    assert shown[:12, :20].min() > 200  # the white corner at the top left, as in the upright picture
    assert np.abs(shown - upright).mean() < 12  # (JPEG; the GIF's palette)


@pytest.mark.parametrize("name, orientation, where", [
    ("exif6.jpg", 6, "exif"), ("exif7.png", 7, "exif"), ("xmp1.jpg", 1, "xmp"), ("xmp1.png", 1, "xmp"),
    ("both6.jpg", 6, "exif+xmp")])
def test_a_picture_the_browser_turns_as_the_scan_does_is_sent_as_it_is(tmp_path, name, orientation, where):
    photos = tmp_path / "photos"
    photos.mkdir()
    _save(photos / name, asym(120, 200), orientation, where)
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    assert (record.status, record.width, record.height) == ("ok", 200, 120)
    served = _get(review_client((db, None)), f"/full/{security.path_id(record.path)}")
    assert served.data == (photos / name).read_bytes()  # its EXIF Orientation turns it in the browser


def test_an_exif_orientation_wins_over_the_xmp_one_as_in_the_scan(tmp_path):
    """EXIF says 1 and XMP 6 (an editor that turned the pixels and updated one of them): the scan, as Pillow, and
    the browser both go by the EXIF block: the file is sent as it is."""
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(asym(120, 200)).save(photos / "both.jpg", quality=95, exif=_exif(1), xmp=_xmp(6).encode())
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    assert (record.width, record.height) == (200, 120)
    served = _get(review_client((db, None)), f"/full/{security.path_id(record.path)}")
    assert served.data == (photos / "both.jpg").read_bytes()


@pytest.mark.browser
def test_the_blur_map_lies_over_the_picture_as_the_scan_saw_it_in_chromium(tmp_path, sync_api):
    """In the real page: the picture the detail view shows has the photo's upright size, and is the upright
    picture (its white corner at the top left), for a JPEG and a PNG turned by their XMP and one turned by its
    EXIF; the old page showed the first two sideways, under a map of the upright photo's rows and columns."""
    from helpers_browser import full_view_of, review_page, wait_true

    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(120, 200)
    for name, where in (("a_xmp.jpg", "xmp"), ("b_xmp.png", "xmp"), ("c_exif.jpg", "exif")):
        _save(photos / name, upright, 6, where)
    db = photos / ".blurscan.db"
    list(scan([photos], ScanSettings(workers=1), db=db))  # (the shipped model: each photo has its blur map)
    with review_page(sync_api, db) as (page, _origin, errors):
        page.select_option("#filter", "all")
        wait_true(page, "state.items.length === 3")
        for i in range(3):
            name, shown = full_view_of(page, i)
            assert shown[:2] == [200, 120] and shown[2] > 200, (name, shown)  # (the old page: 120 x 200)
            page.keyboard.press("m")
            wait_true(page, "!$('map').hidden")
            boxes = page.evaluate("[$('full'), $('map')].map((e) => { const r = e.getBoundingClientRect(); "
                                  "return [r.x, r.y, r.width, r.height]; })")
            assert max(abs(a - b) for a, b in zip(*boxes)) < 1, (name, boxes)
            page.keyboard.press("m")
            page.keyboard.press("Escape")
    assert not errors
