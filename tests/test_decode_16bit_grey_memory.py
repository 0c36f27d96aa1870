"""A 16-bit grey picture (a black-and-white print scanned in 16 bits, a 16-bit grey PNG) is brought to 8 bits
through a table of the 65,536 values, not 32-bit arithmetic over the whole picture: that took 12 bytes a pixel
at its peak on top of the picture, and until 2026-12-06 a 120-MP 16-bit grey scan took 1.9 GB to score (1.0 GB
now, and 5 s instead of 9), more than the 12 bytes a pixel blurscan.memory_room expects of a TIFF, where the
same scan in 8-bit RGB took 1.6 GB. The values are OpenCV's, round(v / 257), as before."""
from __future__ import annotations

import tracemalloc

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import decode
from blurscan.pixels import pil_to_rgb, to_uint8_16


def test_every_16_bit_value_is_round_v_over_257():
    values = np.arange(65536, dtype=np.uint16)
    assert np.array_equal(to_uint8_16(values), np.rint(values / 257.0).astype(np.uint8))
    assert np.array_equal(to_uint8_16(values.byteswap().view(">u2")), to_uint8_16(values))  # (a big-endian TIFF's)


def test_16_bit_grey_scan_read_without_32_bit_copies(tmp_path):
    rng = np.random.default_rng(5)
    grey = rng.integers(0, 65536, size=(1000, 1500), dtype=np.uint16)
    tifffile.imwrite(tmp_path / "print.tif", grey)
    with Image.open(tmp_path / "print.tif") as im:
        im.load()
        assert im.mode == "I;16"
        tracemalloc.start()
        try:
            rgb = pil_to_rgb(im)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 6 * grey.size  # (12 bytes a pixel before: three 32-bit copies of the picture)
    assert np.array_equal(rgb[..., 0], np.rint(grey / 257.0).astype(np.uint8))
    assert decode(tmp_path / "print.tif").width == 1500
