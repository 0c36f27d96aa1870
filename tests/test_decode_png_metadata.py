"""A PNG whose picture is whole but whose metadata Pillow refuses is scored (blurscan.pngsalvage).

Until 2026-12-04 a PNG with more than 1 MiB of compressed text (Photoshop's XMP with its editing history) was
`cannot decode PNG: Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK`, and one whose only fault was
a wrong CRC on a text chunk was `corrupt PNG (cannot read header)`, though libpng (cv2.imread, any viewer)
shows both; so was one with an ICC profile over 1 MiB inflated until 2026-12-05. Damage to the picture itself, and the decompression-bomb guard, still refuse a file.
"""
from __future__ import annotations

import io
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.decode import decode, thumbnail
from blurscan.errors import DecodeError
from blurscan.pipeline import scan
from helpers_images import asym, png_bomb, textured

HISTORY = b"<rdf:li>history step</rdf:li>" * 50_000  # 1.4 MiB of XMP, 30 KiB compressed


def _chunk(kind: bytes, body: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _png(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return buf.getvalue()


def _with(data: bytes, chunk: bytes, where: str = "head") -> bytes:
    """``chunk`` after the header (before the pixel data) or just before the end chunk."""
    at = 33 if where == "head" else len(data) - 12
    return data[:at] + chunk + data[at:]


def _xmp(text: bytes) -> bytes:
    return _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(text))


CASES = {
    "big_xmp.png": lambda d: _with(d, _xmp(b"<x:xmpmeta>" + HISTORY + b"</x:xmpmeta>")),
    "big_xmp_at_end.png": lambda d: _with(d, _xmp(b"<x:xmpmeta>" + HISTORY + b"</x:xmpmeta>"), "end"),
    "big_ztxt.png": lambda d: _with(d, _chunk(b"zTXt", b"Raw profile type xmp\x00\x00" + zlib.compress(HISTORY))),
    # each chunk under 1 MiB, 65 MiB in all: over Pillow's MAX_TEXT_MEMORY; what is past the 16 MiB budget is dropped
    "much_text.png": lambda d: _with(d, _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(1000 << 10))) * 67),
    "bad_crc_text.png": lambda d: _with(d, _chunk(b"tEXt", b"Comment\x00hi", crc=0)),
    "bad_crc_text_at_end.png": lambda d: _with(d, _chunk(b"tEXt", b"Comment\x00hi", crc=0), "end"),
    "bad_crc_time.png": lambda d: _with(d, _chunk(b"tIME", struct.pack(">HBBBBB", 2024, 7, 14, 18, 3, 22), crc=1)),
    # an ICC profile of 2 MiB inflated (a large printer profile), refused by Pillow's same guard until 2026-12-05
    "big_icc.png": lambda d: _with(d, _chunk(b"iCCP", b"printer\x00\x00" + zlib.compress(bytes(2 << 20)))),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_png_refused_for_its_metadata_alone_is_scored_as_the_plain_png(tmp_path, name):
    rgb = textured(seed=4, size=(300, 400))
    plain = tmp_path / "plain.png"
    plain.write_bytes(_png(rgb))
    path = tmp_path / name
    path.write_bytes(CASES[name](plain.read_bytes()))
    with pytest.raises(Exception):  # Pillow alone refuses the file (checks, as blurscan asks, and reads)
        with Image.open(path) as im:
            im.verify()
        with Image.open(path) as im:
            im.load()
    ref, got = decode(plain), decode(path)
    assert np.array_equal(got.rgb, ref.rgb) and got.laplacian_var == ref.laplacian_var
    assert thumbnail(path) == thumbnail(plain)
    (rec,) = scan([str(path)], ScanSettings(model="none", workers=1))
    assert rec.error is None and rec.laplacian_var == ref.laplacian_var


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_orientation_in_a_dropped_xmp_is_kept(tmp_path, where):
    """Pillow reads an XMP's tiff:Orientation as the EXIF orientation; Photoshop writes it at the top, but it is
    looked for past the first MiB too."""
    rgb = asym()
    tag = b'<rdf:Description tiff:Orientation="6"/>'
    xmp = b"<x:xmpmeta>" + (tag + HISTORY if where == "before" else HISTORY + tag) + b"</x:xmpmeta>"
    path = tmp_path / "turned.png"
    path.write_bytes(_with(_png(rgb), _xmp(xmp)))
    got = decode(path)
    assert (got.width, got.height) == (rgb.shape[0], rgb.shape[1])
    assert np.array_equal(got.rgb, np.rot90(rgb, -1))
    thumb = np.asarray(Image.open(io.BytesIO(thumbnail(path))))
    assert thumb.shape[:2] == (rgb.shape[1], rgb.shape[0])


def test_damage_to_the_picture_and_the_bomb_guard_still_refuse_the_file(tmp_path):
    data = _png(textured(seed=4, size=(300, 400)))
    bad_text = _chunk(b"tEXt", b"Comment\x00hi", crc=0)
    idat = data.index(b"IDAT") - 4
    n = struct.unpack(">I", data[idat:idat + 4])[0]
    broken = bytearray(_with(data, bad_text))
    broken[idat + len(bad_text) + 8 + n] ^= 0xFF  # the pixel data's own CRC, wrong too
    path = tmp_path / "bad_idat.png"
    path.write_bytes(bytes(broken))
    with pytest.raises(DecodeError, match="corrupt PNG"):
        decode(path)
    bomb = png_bomb(tmp_path / "bomb.png")
    bomb.write_bytes(_with(bomb.read_bytes(), bad_text))
    with pytest.raises(DecodeError, match="decompression bomb"):
        decode(bomb)


def test_text_made_to_exhaust_memory_is_never_inflated_whole(tmp_path):
    """200 MiB of zeros in 200 KiB of compressed XMP (and of plain zTXt) cost no more than a few MiB."""
    rgb = textured(seed=4, size=(300, 400))
    zeros = zlib.compress(bytes(200 << 20), 9)
    data = _with(_png(rgb), _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zeros))
    path = tmp_path / "text_bomb.png"
    path.write_bytes(_with(data, _chunk(b"zTXt", b"Comment\x00\x00" + zeros), "end"))
    tracemalloc.start()
    try:
        got = decode(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got.width == 400 and peak < 24 << 20, peak


class _Counted:
    """zlib.decompressobj counting what it gives (Pillow's text inflating goes through it too)."""
    made = zlib.decompressobj
    total = 0

    def __init__(self, *args):
        self._obj = _Counted.made(*args)

    def decompress(self, data, max_length=0):
        out = self._obj.decompress(data, max_length)
        _Counted.total += len(out)
        return out

    def __getattr__(self, name):
        return getattr(self._obj, name)


@pytest.fixture
def inflated(monkeypatch):
    """Bytes of text inflated since the test began."""
    _Counted.total = 0
    monkeypatch.setattr(zlib, "decompressobj", _Counted)
    return lambda: _Counted.total


@pytest.mark.parametrize("kind", ["ztxt", "xmp"])
def test_many_large_text_chunks_cost_one_budget_not_each_its_own(tmp_path, inflated, kind):
    """Until 2026-12-04 each compressed text chunk was inflated up to 1 MiB and each XMP up to 64 MiB: 2000 small
    zTXt chunks (2 MB of file) cost 5 s, 100 XMP chunks (6.5 MB) 17 s. A file's text now costs 16 MiB at most;
    the orientation is looked for in the first XMP dropped, the rest dropped unread."""
    rgb = asym(120, 160)
    if kind == "ztxt":  # 300 MiB of text in 300 KiB: each chunk just over Pillow's 1 MiB
        text, want = _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes((1 << 20) + 10), 9)) * 300, rgb
    else:  # an XMP with the orientation past its first MiB, then 512 MiB of XMP in 512 KiB
        text = _xmp(b"<x:xmpmeta>" + HISTORY + b'<rdf:Description tiff:Orientation="6"/></x:xmpmeta>')
        text, want = text + _xmp(bytes(64 << 20)) * 8, np.rot90(rgb, -1)
    path = tmp_path / f"{kind}.png"
    path.write_bytes(_with(_png(rgb), text))
    _Counted.total = 0
    got = decode(path)
    assert np.array_equal(got.rgb, want)
    assert inflated() < 20 << 20, inflated()  # the budget, and Pillow's first MiB before it refuses the file
    (rec,) = scan([str(path)], ScanSettings(model="none", workers=1))
    assert rec.error is None and rec.laplacian_var == got.laplacian_var


@pytest.mark.parametrize("orientation", [2, 7, 8])
def test_any_orientation_in_a_dropped_xmp_turns_the_picture_as_in_a_small_xmp(tmp_path, orientation):
    """Every orientation (1-8), not only 6, is kept from a dropped XMP: the picture turns as the same PNG with only a
    small XMP (which Pillow reads itself) does."""
    rgb = asym()
    tag = b'<rdf:Description tiff:Orientation="%d"/>' % orientation
    small, dropped = tmp_path / "small.png", tmp_path / "dropped.png"
    small.write_bytes(_with(_png(rgb), _xmp(b"<x:xmpmeta>" + tag + b"</x:xmpmeta>")))
    dropped.write_bytes(_with(_png(rgb), _xmp(b"<x:xmpmeta>" + tag + HISTORY + b"</x:xmpmeta>")))
    want, got = decode(small), decode(dropped)
    assert not np.array_equal(want.rgb, rgb)  # (the small XMP turns it)
    assert np.array_equal(got.rgb, want.rgb) and (got.width, got.height) == (want.width, want.height)


def test_damaged_pixel_data_is_said_in_words_not_as_python_bytes(tmp_path):
    """A PNG whose image data was damaged (a flipped bit: bit rot, a bad sector) is ``corrupt PNG data: wrong
    checksum of its IDAT chunk (damaged bytes)`` in the scan's record (the review page's thumbnail, which checks no
    checksum, says ``corrupt PNG data``); until 2026-12-06 it was Pillow's words, ``corrupt PNG: broken PNG file (bad
    header checksum in b'IDAT')``."""
    data = bytearray(_png(textured(seed=4, size=(300, 400))))
    data[data.index(b"IDAT") + 40] ^= 0x01
    path = tmp_path / "rot.png"
    path.write_bytes(bytes(data))
    (record,) = scan([str(path)], ScanSettings(model="none", workers=1))
    want = "corrupt PNG data: wrong checksum of its IDAT chunk (damaged bytes)"
    assert (record.status, record.error) == ("error", want)
    with pytest.raises(DecodeError) as caught:
        decode(path)
    assert caught.value.reason == want
