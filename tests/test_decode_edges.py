"""Edges of decoding that no other test pinned down (found by changing the code on purpose, 2026-12-05): the pixel
limit itself, an RGBA array's transparent pixels, a large CMYK JPEG's baseline and analysis size, 16-bit, 32-bit
integer and floating-point samples, a TIFF of thumbnails only, and EXIF dates with more after their seconds or an
offset without its sign."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.decode import decode, decode_array, thumbnail
from blurscan.errors import DecodeError

from helpers_images import textured


def test_a_picture_of_exactly_max_pixels_is_decoded_one_more_is_refused(tmp_path):
    """``--max-pixels N`` lets through a picture of N pixels (the limit is the most allowed, as the help says)."""
    path = tmp_path / "p.png"
    Image.fromarray(textured(0, (60, 80))).save(path)
    assert decode(path, ScanSettings(max_pixels=80 * 60)).width == 80
    assert thumbnail(path, 64, max_pixels=80 * 60)
    with pytest.raises(DecodeError, match=r"decompression bomb: 4800 pixels > limit 4799"):
        decode(path, ScanSettings(max_pixels=80 * 60 - 1))


def test_an_rgba_array_is_composited_on_white_as_the_same_png_is(tmp_path):
    """Transparent pixels of an RGBA array are white, whatever colour they store, as in an RGBA PNG."""
    rgba = np.zeros((96, 128, 4), np.uint8)
    rgba[..., :3] = textured(1, (96, 128))
    rgba[:, :64, :3] = 0  # stored black ...
    rgba[:, 64:, 3] = 255
    rgba[:, :64, 3] = 0  # ... but fully transparent
    rgba[:8, 64:, 3] = 128  # and half transparent
    path = tmp_path / "a.png"
    Image.fromarray(rgba, "RGBA").save(path)
    from_array = decode_array(rgba)
    from_png = decode(path)
    assert (from_array.gray[:, :64] == 255).all()
    np.testing.assert_array_equal(from_array.rgb, from_png.rgb)
    assert from_array.laplacian_var == from_png.laplacian_var


def test_a_large_cmyk_jpegs_baseline_is_of_its_full_resolution(tmp_path):
    """A CMYK JPEG (decoded by Pillow) large enough to be decoded scaled: its baseline ``laplacian_var`` is still
    that of the full-resolution picture (the seed's figure), and it is analysed at ``analysis_size``, not at the
    block-scaled size (its records do not say which: :func:`blurscan.decode._decode_pillow`)."""
    import cv2

    from blurscan.measures import laplacian_var

    rgb = cv2.resize(textured(2, (340, 510)), (2040, 1360), interpolation=cv2.INTER_LINEAR)
    path = tmp_path / "cmyk.jpg"
    Image.fromarray(rgb).convert("CMYK").save(path, quality=95)
    d = decode(path, ScanSettings(analysis_long_side=256))  # (Pillow could decode it at 1/4: 510 x 340)
    assert (d.width, d.height) == (2040, 1360)
    assert d.gray.shape == (171, 256)  # (block-scaled would be 255 x 170)
    full = cv2.cvtColor(np.asarray(Image.open(path).convert("RGB")), cv2.COLOR_RGB2GRAY)
    assert d.laplacian_var == pytest.approx(laplacian_var(full), rel=1e-9)


def test_16_bit_samples_are_rounded_to_8_bits_not_cut(tmp_path):
    """16-bit samples become ``round(v / 257)`` (as OpenCV reads them), not ``v >> 8``: 200 is 1, 65535 is 255."""
    values = np.array([0, 128, 129, 200, 257, 385, 386, 32896, 65278, 65535], np.uint16)
    arr = np.tile(values, (16, 4))
    path = tmp_path / "g16.png"
    Image.fromarray(arr).save(path)
    got = decode(path).gray[0, :values.size]
    np.testing.assert_array_equal(got, np.array([0, 0, 1, 1, 1, 1, 2, 128, 254, 255], np.uint8))


def test_a_32_bit_integer_tiff_of_8_bit_values_keeps_its_brightness(tmp_path):
    """A TIFF of 32-bit integers (Pillow's mode "I") whose values are those of an 8-bit picture is read as 0..255,
    not as 16-bit samples (which would make it black); one with larger values as 16-bit."""
    import tifffile

    gray = textured(3, (64, 96))[..., 1]
    path = tmp_path / "i32.tif"
    tifffile.imwrite(path, gray.astype(np.int32))
    with Image.open(path) as im:
        assert im.mode == "I"
    np.testing.assert_array_equal(decode(path).gray, gray)
    tifffile.imwrite(path, gray.astype(np.int32) * 257)
    np.testing.assert_array_equal(decode(path).gray, gray)


def test_floats_with_as_many_values_above_1_as_shades_below_are_read_as_0_1(tmp_path):
    """The rule of :func:`blurscan.pixels.floats_to_uint8`: 0..1 when the values above 1 are *no more* than those
    from 1/510 to under 1 (a tie is 0..1: its highlights clipped to white, 0.5 a mid grey)."""
    arr = np.full((64, 64), 0.5, np.float32)
    arr[::2] = 2.0  # as many above 1 as below
    path = tmp_path / "f.tif"
    Image.fromarray(arr, "F").save(path)
    gray = decode(path).gray
    assert set(np.unique(gray)) == {128, 255}


def test_a_tiff_of_reduced_images_only_is_judged_from_its_first(tmp_path):
    """A TIFF whose every image is marked reduced-resolution (no full-resolution one to turn to) is judged from its
    first image, the largest, not from the last looked at."""
    import tifffile

    path = tmp_path / "thumbs.tif"
    for i, size in enumerate([(120, 160), (60, 80), (30, 40)]):
        tifffile.imwrite(path, textured(i, size), subfiletype=1, append=i > 0, photometric="rgb")
    d = decode(path)
    assert (d.width, d.height) == (160, 120)


@pytest.mark.parametrize("value, want", [
    ("2024:05:01 12:34:56.789", "2024-05-01T12:34:56"),  # a fraction of a second written into the date
    ("2024:05:01 12:34:56Z", "2024-05-01T12:34:56"),
])
def test_a_date_with_more_after_its_seconds_keeps_its_time(tmp_path, value, want):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = value
    path = tmp_path / "d.jpg"
    Image.fromarray(textured(0, (60, 80))).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == want


def test_an_offset_without_its_sign_is_left_out(tmp_path):
    """OffsetTimeOriginal ``"05:00"`` (no sign, as some phone apps write it) would make ``...T12:34:5605:00``,
    which is not ISO 8601: the offset is left out and the time kept."""
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:05:01 12:34:56"
    sub[0x9011] = "05:00"
    path = tmp_path / "d.jpg"
    Image.fromarray(textured(0, (60, 80))).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == "2024-05-01T12:34:56"


@pytest.mark.parametrize("fmt, suffix", [("WEBP", ".webp"), ("HEIF", ".heic"), ("AVIF", ".avif")])
def test_a_phone_format_cut_short_is_named_truncated(tmp_path, fmt, suffix):
    """A WebP, HEIC or AVIF that ends early (a copy interrupted) is ``truncated WEBP`` (``HEIF``, ``AVIF``) as a PNG
    or JPEG is ``truncated PNG``; until 2026-12-05 it was the decoder's own words (``cannot decode HEIF: Invalid
    input: Unexpected end of file: Extent in iloc box ...``, ``cannot decode WEBP: could not create decoder
    object``, ``corrupt AVIF (cannot read header)``)."""
    from blurscan import heif

    if fmt == "HEIF" and not heif.register_opener():
        pytest.skip("no pillow-heif")
    whole = tmp_path / f"whole{suffix}"
    try:
        Image.fromarray(textured(0)).save(whole, format=fmt)
    except (KeyError, OSError, ValueError):
        pytest.skip(f"this Pillow writes no {fmt}")
    assert decode(whole).width == 320
    data = whole.read_bytes()
    for keep in (0.5, 0.95):
        cut = tmp_path / f"cut{suffix}"
        cut.write_bytes(data[:int(len(data) * keep)])
        with pytest.raises(DecodeError) as caught:
            decode(cut)
        assert caught.value.reason == f"truncated {fmt}"


@pytest.mark.parametrize("writer", ["opencv", "pillow-lzw", "big-endian"])
def test_a_tiff_cut_short_before_its_directory_is_named_truncated(tmp_path, writer):
    """A TIFF whose directory follows its pixels (libtiff's writers: OpenCV, GIMP, scanners; Pillow's compressed
    TIFFs) and that ends early (a copy interrupted) is ``truncated TIFF``, as a TIFF whose directory comes first
    is; until 2026-12-06 it was ``corrupt TIFF (cannot read header)``."""
    import cv2

    pixels = textured(0)
    whole = tmp_path / "whole.tif"
    if writer == "opencv":
        cv2.imwrite(str(whole), pixels[:, :, ::-1])
    elif writer == "pillow-lzw":
        Image.fromarray(pixels).save(whole, compression="tiff_lzw")
    else:
        tifffile = pytest.importorskip("tifffile")
        tifffile.imwrite(whole, pixels, byteorder=">", photometric="rgb")
        data = whole.read_bytes()  # (tifffile puts the directory first: moved after the pixels, as libtiff does)
        whole.write_bytes(_directory_last(data))
    data = whole.read_bytes()
    assert decode(whole).width == 320
    # in the header, the pixels, or (libtiff's order) the directory or the values after it; (tifffile's directory,
    # moved, has its values before it: Pillow reads the picture without its last entries)
    for keep in (8, 0.5, 0.95) + ((len(data) - 20,) if writer != "big-endian" else ()):
        cut = tmp_path / "cut.tif"
        cut.write_bytes(data[:keep if isinstance(keep, int) else int(len(data) * keep)])
        with pytest.raises(DecodeError) as caught:
            decode(cut)
        assert caught.value.reason == "truncated TIFF"


@pytest.mark.parametrize("cut", [3, 3000])
def test_a_tiled_tiff_cut_short_in_its_pixels_is_named_truncated(tmp_path, cut):
    """A tiled TIFF (its directory first, as tifffile and many scanners write it) that ends inside its last tiles
    decoded without an error, the missing tiles black, and was scored (``status: ok``, a verdict, kept until the
    file changed); its tiles' offsets and lengths say it is cut short: ``truncated TIFF``, as a striped one is."""
    tifffile = pytest.importorskip("tifffile")
    whole = tmp_path / "whole.tif"
    tifffile.imwrite(whole, textured(0, (600, 800)), photometric="rgb", tile=(64, 64))  # (uncompressed)
    assert decode(whole).width == 800
    data = whole.read_bytes()
    cut_file = tmp_path / "cut.tif"
    cut_file.write_bytes(data[:-cut])
    with pytest.raises(DecodeError) as caught:
        decode(cut_file)
    assert caught.value.reason == "truncated TIFF"


def _directory_last(data: bytes) -> bytes:
    """A big-endian TIFF with its first (only) directory moved to the end of the file (offsets in it kept)."""
    import struct

    offset = struct.unpack(">I", data[4:8])[0]
    entries = struct.unpack(">H", data[offset:offset + 2])[0]
    directory = data[offset:offset + 2 + 12 * entries] + b"\0\0\0\0"
    return data[:4] + struct.pack(">I", len(data)) + data[8:] + directory
