"""Each kind of Netpbm file is sniffed as one (fileread._NETPBM), without the shared data set: plain and binary
bitmaps, graymaps and pixmaps (P1 to P6), a header with a comment longer than the first 40 bytes or with CR LF
line ends; and a text file that only looks like a header somewhere, or whose "P6" runs into a number, is still
text. Until 2026-12-05 none of them was read ("not an image (unknown file signature)")."""
from __future__ import annotations

import numpy as np
import pytest

import blurscan
from blurscan.errors import DecodeError
from helpers_images import textured

_GRAY = np.asarray(textured(3, (48, 64)).mean(axis=2), dtype=np.uint8)  # 48 rows, 64 columns
_RGB = np.asarray(textured(4, (48, 64)), dtype=np.uint8)
_BITS = _GRAY > 127


def _plain(values) -> bytes:
    return "\n".join(" ".join(str(int(v)) for v in row) for row in values).encode() + b"\n"


_FILES = {
    "p1.pbm": b"P1\n64 48\n" + _plain(_BITS),
    "p2.pgm": b"P2\n64 48\n255\n" + _plain(_GRAY),
    "p3.ppm": b"P3\n64 48\n255\n" + _plain(_RGB.reshape(48, -1)),
    "p4.pbm": b"P4\n64 48\n" + np.packbits(_BITS, axis=1).tobytes(),
    "p5.pgm": b"P5\n# a comment written by a tool, longer than the first forty bytes\n64 48\n255\n" + _GRAY.tobytes(),
    "p6.ppm": b"P6\r\n64 48\r\n255\n" + _RGB.tobytes(),
}


@pytest.mark.parametrize("name", sorted(_FILES))
def test_each_kind_of_netpbm_file_is_read(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_FILES[name])
    record = blurscan.score_image(path)
    assert (record.status, record.format, record.width, record.height) == ("ok", "PPM", 64, 48)


@pytest.mark.parametrize("text", ["P6100 units were sold\nand more\n", "notes on the plan: P2 3 4\nand more\n"])
def test_text_that_only_looks_like_a_header_is_still_text(tmp_path, text):
    notes = tmp_path / "notes.ppm"
    notes.write_text(text)
    with pytest.raises(DecodeError, match=r"not an image \(text file\?\)"):
        blurscan.score_image(notes)
