"""The review page's full-size view of a PNG with text after its pixels that says nothing of its orientation
(ImageMagick writes its ``date:create`` and ``date:modify`` there, an editor a ``Comment``): sent as it is without
its pixels loaded. On 2026-12-06 the full view came to read every late text chunk as one that may hold an
orientation, and so loaded (decompressed) the whole picture to learn it, at every full-size view of such a PNG: a
12-megapixel one took several times as long. Late XMP and ImageMagick's raw EXIF profile are still read, and the
picture they turn served upright (tests/test_review_full_xmp_orientation.py has the others)."""
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
from test_review_full_xmp_orientation import _TURN, _exif, _xmp


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_with_late(path, upright: np.ndarray, orientation: int, late: bytes, exif: bool) -> None:
    """``upright`` stored turned by ``orientation`` (in an eXIf chunk before the pixels when ``exif``), with the
    chunks ``late`` after its pixels."""
    stored = Image.fromarray(upright).transpose(_TURN[orientation]) if orientation != 1 else Image.fromarray(upright)
    buf = io.BytesIO()
    stored.save(buf, "PNG", **({"exif": _exif(orientation)} if exif else {}))
    data = buf.getvalue()
    end = data.rindex(b"IEND") - 4
    path.write_bytes(data[:end] + late + data[end:])


def _served(tmp_path, monkeypatch, name):
    db = tmp_path / "photos" / ".blurscan.db"
    [record] = scan([db.parent], ScanSettings(workers=1, model="none"), db=db)
    assert (record.status, record.width, record.height) == ("ok", 200, 120)  # the scan sees it upright
    loads = []
    real = PngImagePlugin.PngImageFile.load

    def load(im, *args, **kw):
        loads.append(im)
        return real(im, *args, **kw)

    client = review_client((db, None))
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", load)
    served = _get(client, f"/full/{security.path_id(record.path)}")
    return served, loads


DATES = _chunk(b"tEXt", b"date:create\x002026-01-01T10:00:00+00:00") + \
    _chunk(b"tEXt", b"date:modify\x002026-01-01T10:00:00+00:00") + _chunk(b"zTXt", b"Comment\x00\x00" +
                                                                               zlib.compress(b"a comment"))


@pytest.mark.parametrize("orientation, exif", [(1, False), (6, True)])
def test_a_pngs_late_text_of_no_orientation_does_not_load_its_pixels(tmp_path, monkeypatch, orientation, exif):
    (tmp_path / "photos").mkdir()
    path = tmp_path / "photos" / "magick.png"
    _png_with_late(path, asym(120, 200), orientation, DATES, exif=exif)
    served, loads = _served(tmp_path, monkeypatch, "magick.png")
    assert served.mimetype == "image/png" and served.data == path.read_bytes()  # (turned by its eXIf: the browser)
    assert not loads  # (before: its every pixel decompressed to learn what the text said of its orientation)


@pytest.mark.parametrize("where", ["xmp", "raw-profile"])
def test_a_pngs_late_orientation_text_is_still_read(tmp_path, monkeypatch, where):
    (tmp_path / "photos").mkdir()
    path = tmp_path / "photos" / f"{where}.png"
    if where == "xmp":
        text = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + _xmp(6).encode()
        late = DATES + _chunk(b"iTXt", text)
    else:  # ImageMagick's text form of the EXIF block
        block = _exif(6)
        late = DATES + _chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(
            f"\nexif\n{len(block):8d}\n{block.hex()}\n".encode()))
    _png_with_late(path, asym(120, 200), 6, late, exif=False)
    served, _ = _served(tmp_path, monkeypatch, path.name)
    picture = Image.open(io.BytesIO(served.data))
    assert served.mimetype == "image/jpeg" and picture.size == (200, 120)  # served upright, as the scan saw it
    assert np.asarray(picture.convert("RGB"))[:12, :20].min() > 200  # (the white corner at the top left)
