"""What a picture of wide samples takes to score, and what blurscan.memory_room plans for it. The scan holds a
file whole as it decodes it, and memory_room's 12 bytes a pixel for a TIFF or PNG were measured on 8-bit RGB (3
bytes a pixel of file): until 2026-12-06 a 16-bit RGB TIFF (6 bytes a pixel of file) was planned at the same 12
and took 16 (a 60-MP scan 1.0 GB, planned 0.7), and an RGBA picture took 34, its compositing over white done in
16-bit arithmetic over the whole picture at once."""
from __future__ import annotations

import tracemalloc

import numpy as np
import tifffile

from blurscan.decode import decode
from blurscan.memory_room import need
from blurscan.pixels import composite


def test_compositing_over_white_takes_little_beyond_its_result():
    rgba = np.random.default_rng(7).integers(0, 256, size=(1000, 1500, 4), dtype=np.uint8)
    tracemalloc.start()
    try:
        rgb = composite(rgba)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1000 * 1500  # the result's 3 bytes a pixel and a band of 2 MB (main: 22)
    wide = rgba.astype(np.uint16)
    expected = (wide[..., :3] * wide[..., 3:] + 255 * (255 - wide[..., 3:]) + 127) // 255
    assert np.array_equal(rgb, expected.astype(np.uint8))


def test_what_a_16_bit_rgb_tiff_needs_counts_its_larger_file(tmp_path):
    rgb = np.random.default_rng(8).integers(0, 256, size=(500, 600, 3), dtype=np.uint8)
    tifffile.imwrite(tmp_path / "8.tif", rgb, photometric="rgb")
    tifffile.imwrite(tmp_path / "16.tif", rgb.astype(np.uint16) * 257, photometric="rgb")
    tifffile.imwrite(tmp_path / "rgba16.tif", np.dstack([rgb, np.full_like(rgb[..., :1], 255)]).astype(np.uint16) * 257,
                     photometric="rgb", extrasamples=["unassalpha"])
    pixels = 500 * 600
    assert need(str(tmp_path / "8.tif")) < 12 * pixels + 1000  # (as measured: its header's bytes more)
    assert need(str(tmp_path / "16.tif")) >= 15 * pixels  # main: 12, the same as the 8-bit one's
    assert need(str(tmp_path / "rgba16.tif")) >= 17 * pixels
    for name in ("8.tif", "16.tif", "rgba16.tif"):  # (read as before)
        assert np.array_equal(decode(tmp_path / name).gray, decode(tmp_path / "8.tif").gray), name
