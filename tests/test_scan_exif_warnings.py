"""A photo whose EXIF Pillow warns about once for each of its tags (thousands of tags pointing past the end of
the file): the scan says nothing of it. Until 2026-12-06 it wrote two lines to the terminal for each, 6,000
lines for this photo (115,000 for one of 57,600 tags), burying the scan's own lines: the files it could not
read, its summary. Pillow's warnings while the pixels are read were silenced already; those while its EXIF was
read were not."""
from __future__ import annotations

import numpy as np
from PIL import Image

from helpers_cli import cli
from helpers_exif import overlapping_exif, overlapping_exif_ifd


def test_pillows_warnings_on_a_photos_exif_are_not_written_to_the_terminal(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    pixels = Image.fromarray((np.random.default_rng(0).random((60, 80, 3)) * 255).astype(np.uint8))
    for fmt in ("jpg", "png", "webp"):
        pixels.save(photos / f"warned.{fmt}", exif=overlapping_exif(3000))
    pixels.save(photos / "warned_exif_ifd.jpg", exif=overlapping_exif_ifd(3000))  # (the exposure settings' IFD)

    done = cli("scan", photos, "--model", "none", "--format", "jsonl")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count(b'"status": "ok"') == 4
    assert b"Warning" not in done.stderr and len(done.stderr.splitlines()) <= 2, done.stderr[:500]


def test_an_orientation_of_two_shorts_is_read_without_pillows_warning(tmp_path):
    """An Orientation written as two SHORTs (6, 6): Pillow reads the first, as the scan does, and warns ``tag 274
    had too many entries`` as it is asked for it, which :func:`blurscan.exif.orientation` did outside
    :func:`blurscan.exif.quiet`: two lines on the scan's terminal (until 2026-12-06)."""
    import struct

    photos = tmp_path / "photos"
    photos.mkdir()
    tiff = b"II" + struct.pack("<HIHHHIHH", 42, 8, 1, 0x0112, 3, 2, 6, 6) + bytes(4)
    pixels = Image.fromarray((np.random.default_rng(0).random((60, 80, 3)) * 255).astype(np.uint8))
    pixels.save(photos / "turned.jpg", exif=b"Exif\x00\x00" + tiff)

    done = cli("scan", photos, "--model", "none", "--format", "jsonl")
    assert done.returncode == 0, done.stderr[-2000:]
    assert b'"width": 60, "height": 80' in done.stdout  # (turned by its first SHORT, as Pillow reads it)
    assert b"Warning" not in done.stderr, done.stderr[:500]
