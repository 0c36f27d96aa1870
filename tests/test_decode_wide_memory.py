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


def test_what_a_float_32_bit_or_alpha_picture_needs_is_what_it_takes(tmp_path):
    # measured on 2026-12-07 (peak resident size less the scan's before, 12-MP uncompressed TIFFs): float grey
    # 15.8 bytes a pixel (17.9 before its scaling went band by band), 32-bit integer grey 15.8, RGBA 15.8, grey with
    # alpha 17.8, all planned at 12 or 13 (main): the out-of-memory killer's where the plan said they fitted
    grey = np.random.default_rng(9).integers(0, 256, size=(500, 600), dtype=np.uint8)
    alpha = np.full_like(grey, 200)
    tifffile.imwrite(tmp_path / "float.tif", grey.astype(np.float32) / 255)
    tifffile.imwrite(tmp_path / "int32.tif", grey.astype(np.uint32) * 16843009)
    tifffile.imwrite(tmp_path / "rgba.tif", np.dstack([grey] * 3 + [alpha]), photometric="rgb",
                     extrasamples=["unassalpha"])
    tifffile.imwrite(tmp_path / "la.tif", np.dstack([grey, alpha]), photometric="minisblack",
                     extrasamples=["unassalpha"])
    tifffile.imwrite(tmp_path / "rgb.tif", np.dstack([grey] * 3), photometric="rgb")
    pixels = 500 * 600
    for name, peak in (("float.tif", 16), ("int32.tif", 16), ("rgba.tif", 16), ("la.tif", 18)):
        # (what they take, no more: a mutant planning a float picture at 17 bytes a pixel lived; a photo planned
        # above what it takes is scored alone in a worker for nothing)
        assert need(str(tmp_path / name)) == peak * pixels, name
    assert need(str(tmp_path / "rgb.tif")) < 12 * pixels + 1000  # (8-bit RGB as before)


def test_an_alpha_webp_is_planned_as_rgba(tmp_path):
    from PIL import Image

    rgb = np.dstack([np.add.outer(np.arange(149), np.arange(201)).astype(np.uint8)] * 3)  # (a small file)
    Image.fromarray(rgb).save(tmp_path / "rgb.webp", lossless=True)
    Image.fromarray(np.dstack([rgb, np.full_like(rgb[..., :1], 9)])).save(tmp_path / "lossless.webp", lossless=True)
    Image.fromarray(np.dstack([rgb, np.full_like(rgb[..., :1], 9)])).save(tmp_path / "lossy.webp", quality=80)
    assert need(str(tmp_path / "rgb.webp")) == 201 * 149 * 12
    assert need(str(tmp_path / "lossless.webp")) == 201 * 149 * 16
    assert need(str(tmp_path / "lossy.webp")) == 201 * 149 * 16


def test_float_scaling_takes_little_beyond_its_result():
    from blurscan.pixels import floats_to_uint8

    rng = np.random.default_rng(11)
    for scale in (1.0, 255.0, 4095.0):
        floats = (rng.random((2000, 3000), dtype=np.float32) * scale).astype(np.float32)
        tracemalloc.start()
        try:
            out = floats_to_uint8(floats)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 4 * 2000 * 3000, scale  # its result, a band, masks of a sample (main: a scaled copy too: 6)
        white = {1.0: 1.0, 255.0: 255.0, 4095.0: 4095.0}[scale]
        expected = np.clip(np.rint(floats * np.float32(255.0 / white)), 0, 255).astype(np.uint8)
        assert np.array_equal(out, expected), scale


def test_a_float_picture_whose_last_band_is_one_row_is_scaled_to_its_last_row(tmp_path):
    """Scaled band by band (128 rows of 1024 pixels): a picture of 129 rows has a last band of one row, read as the
    others (its 8-bit twin the same picture), not left as whatever the memory held."""
    from PIL import Image

    grey = (np.random.default_rng(3).random((129, 1024)) * 255).astype(np.uint8)
    grey[-1] = 200  # (a bright last row)
    tifffile.imwrite(tmp_path / "float.tif", grey.astype(np.float32) / np.float32(255))
    Image.fromarray(grey).save(tmp_path / "8.tif")
    assert np.array_equal(decode(tmp_path / "float.tif").gray, decode(tmp_path / "8.tif").gray)
