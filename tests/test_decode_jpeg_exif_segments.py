"""A JPEG whose EXIF is split over tens of thousands of APP1 segments (one is the rule): Pillow joins them in a time
that grows with the square of their number, and a 3.6 MB file held its scan some 36 seconds (until 2026-12-05; found
by fuzzing the decoders). Pillow now reads the first 16 of them only: the file is scored at once, its orientation
(in the first) applied, its pixels as without the others."""
from __future__ import annotations

import io
import struct

from PIL import Image

from blurscan import jpegexif
from blurscan.decode import decode, thumbnail
from helpers_cli import jsonl, run
from helpers_images import textured


def _exif(orientation: int) -> bytes:
    """An APP1 segment of EXIF holding only the orientation (IFD0, one entry)."""
    tiff = b"II*\x00" + struct.pack("<IH", 8, 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + bytes(4)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def test_a_jpeg_of_many_exif_segments_is_scored_at_once(tmp_path):
    buf = io.BytesIO()
    Image.fromarray(textured(3, size=(240, 320))).save(buf, "JPEG", quality=90)
    plain = buf.getvalue()
    (tmp_path / "lib").mkdir()
    many = tmp_path / "lib" / "many.jpg"
    many.write_bytes(plain[:2] + _exif(6) + _exif(1) * 5_000 + plain[2:])
    (tmp_path / "turned.jpg").write_bytes(plain[:2] + _exif(6) + plain[2:])
    given = jpegexif.bounded(many.read_bytes())  # what Pillow is given: the first MOST segments, the picture whole
    assert given.count(b"Exif\x00\x00") == jpegexif.MOST and given.endswith(plain[2:])
    result = run("scan", tmp_path / "lib", "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    (row,) = jsonl(result.stdout)
    assert row["status"] == "ok" and (row["width"], row["height"]) == (240, 320)  # turned by the first segment
    got, want = decode(many), decode(tmp_path / "turned.jpg")
    assert (got.gray == want.gray).all() and got.laplacian_var == want.laplacian_var
    assert thumbnail(many, 128) == thumbnail(tmp_path / "turned.jpg", 128)
