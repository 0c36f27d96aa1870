"""A TIFF whose first image is a reduced-resolution one (NewSubfileType bit 0: a thumbnail that some writers put in
IFD0, the picture after it) is judged from its full-resolution image, as the same picture saved alone is. Until
2026-12-05 Pillow's first image was judged: a blurred 480 x 360 photo behind a 120 x 90 thumbnail scored from the
thumbnail (far sharper at its size), at 120 x 90 px; the review page showed the thumbnail too."""
from __future__ import annotations

import io
import struct
import time

import cv2
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured


def test_a_tiff_with_its_thumbnail_first_is_judged_from_its_picture(tmp_path):
    picture = blurred(textured(seed=7, size=(360, 480)), 3.0)
    small = cv2.resize(picture, (120, 90), interpolation=cv2.INTER_AREA)
    Image.fromarray(picture).save(tmp_path / "a_alone.tif")
    with tifffile.TiffWriter(tmp_path / "b_thumbnail_first.tif") as tif:
        tif.write(small, photometric="rgb", subfiletype=1)  # reduced-resolution image
        tif.write(picture, photometric="rgb")
    with tifffile.TiffWriter(tmp_path / "c_thumbnail_only.tif") as tif:  # nothing else: the thumbnail is judged
        tif.write(small, photometric="rgb", subfiletype=1)
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    alone, first, only = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert (first["width"], first["height"], only["width"], only["height"]) == (480, 360, 120, 90)
    for key in ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid"):
        assert first[key] == alone[key], key
    shown = Image.open(io.BytesIO(thumbnail(tmp_path / "b_thumbnail_first.tif", 256)))
    assert shown.size == (256, 192)


def _thumbnails_only(count: int) -> bytes:
    """A little-endian TIFF of ``count`` one-pixel grey images, each marked reduced-resolution (NewSubfileType 1),
    chained one after the other, and their one shared pixel."""
    entry_count, ifd_size = 9, 2 + 9 * 12 + 4
    pixel = 8 + count * ifd_size
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for i in range(count):
        out += struct.pack("<H", entry_count)
        for tag, kind, value in ((254, 4, 1), (256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                                 (273, 4, pixel), (278, 3, 1), (279, 4, 1)):
            out += struct.pack("<HHII", tag, kind, 1, value)
        out += struct.pack("<I", 8 + (i + 1) * ifd_size if i + 1 < count else 0)
    return bytes(out + b"\x80")


def test_a_tiff_of_many_thumbnails_does_not_hold_the_scan(tmp_path):
    # Pillow's walk through a TIFF's images grows with the square of their number: counting all 30,000 of this
    # 3 MB file took 12 seconds (hours for a larger one); only the first few are looked at now
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "many.tif").write_bytes(_thumbnails_only(30_000))
    started = time.monotonic()
    result = run("scan", tmp_path / "lib", "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    assert time.monotonic() - started < 5
    (row,) = jsonl(result.stdout)
    assert row["error"].startswith("too small to judge: 1 x 1 px")  # (the first image, as before)
