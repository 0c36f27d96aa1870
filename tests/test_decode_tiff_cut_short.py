"""The TIFF cut-short check that decoding runs before Pillow opens a TIFF (:mod:`blurscan.cutshort`), held against
real TIFFs of every writer: a whole one is never refused (a wrong answer there refuses a good photo as
``truncated TIFF``), one cut short anywhere is ``truncated TIFF`` (compressed strips and tiles, the directory's
own last bytes), and a header that points inside itself is damaged, not cut short. Found by changing the check on
purpose (mutation testing, 2026-12-06): none of these changes failed a test."""
from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image

from blurscan.decode import decode
from blurscan.errors import DecodeError

from helpers_images import textured

tifffile = pytest.importorskip("tifffile")


def _written(writer: str, pixels: np.ndarray) -> bytes:
    import cv2

    out = io.BytesIO()
    order = ">" if writer.endswith("-big") else "<"
    if writer.startswith("tifffile-strips"):  # (several strips; lengths as SHORT)
        tifffile.imwrite(out, pixels, byteorder=order, photometric="rgb", rowsperstrip=8)
    elif writer.startswith("tifffile-tiles"):  # (the last tile ends the file)
        tifffile.imwrite(out, pixels, byteorder=order, photometric="rgb", tile=(16, 16))
    elif writer.startswith("tifffile-one-strip"):  # (one strip: its place and length inside the entries)
        tifffile.imwrite(out, pixels, byteorder=order, photometric="rgb")
    elif writer == "tifffile-gray":
        tifffile.imwrite(out, pixels[:, :, 0])
    elif writer == "pillow":
        Image.fromarray(pixels).save(out, format="TIFF")
    elif writer == "pillow-lzw":  # (the directory after the pixels)
        Image.fromarray(pixels).save(out, format="TIFF", compression="tiff_lzw")
    else:  # opencv, libtiff's order
        out.write(cv2.imencode(".tif", pixels[:, :, ::-1])[1].tobytes())
    return out.getvalue()


WRITERS = ["tifffile-strips", "tifffile-strips-big", "tifffile-tiles", "tifffile-tiles-big", "tifffile-one-strip",
           "tifffile-one-strip-big", "tifffile-gray", "pillow", "pillow-lzw", "opencv"]


@pytest.mark.parametrize("writer", WRITERS)
def test_a_whole_tiff_of_every_writer_is_decoded_and_one_cut_short_is_truncated(tmp_path, writer):
    """Whole, every one is decoded (one whose last strip or tile ends exactly at the file's end, or whose one strip
    is given inside its directory entry, is not cut short); each cut is ``truncated TIFF``."""
    data = _written(writer, textured(0, (48, 64)))
    whole = tmp_path / "whole.tif"
    whole.write_bytes(data)
    assert (decode(whole).width, decode(whole).height) == (64, 48)
    cut = tmp_path / "cut.tif"
    for keep in (8, 100, len(data) // 2, len(data) - 100, len(data) - 1):
        cut.write_bytes(data[:keep])
        with pytest.raises(DecodeError) as caught:
            decode(cut)
        assert caught.value.reason == "truncated TIFF", keep


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize("tiled", [False, True])
def test_a_compressed_tiff_cut_short_in_its_pixels_is_truncated(tmp_path, order, tiled):
    """A deflate-compressed TIFF, its directory first (tifffile), cut inside its strips or tiles: the pieces'
    places and lengths say so (it was libtiff's ``cannot decode TIFF: ...`` when they were not looked at)."""
    whole = tmp_path / "whole.tif"
    kw = dict(tile=(64, 64)) if tiled else dict(rowsperstrip=16)
    tifffile.imwrite(whole, textured(0, (192, 256)), byteorder=order, photometric="rgb", compression="zlib", **kw)
    assert decode(whole).width == 256
    data = whole.read_bytes()
    cut = tmp_path / "cut.tif"
    for keep in (len(data) // 2, len(data) - 300):
        cut.write_bytes(data[:keep])
        with pytest.raises(DecodeError) as caught:
            decode(cut)
        assert caught.value.reason == "truncated TIFF", keep


@pytest.mark.parametrize("order", ["<", ">"])
def test_a_tiff_cut_in_the_last_bytes_of_its_directory_is_truncated(tmp_path, order):
    """A TIFF whose directory ends the file (libtiff's writers), cut inside the directory's last four bytes (the
    place of a next directory): ``truncated TIFF``, as a cut anywhere else is."""
    out = io.BytesIO()
    tifffile.imwrite(out, textured(0, (48, 64)), byteorder=order, photometric="rgb")
    data = out.getvalue()
    offset = struct.unpack(order + "I", data[4:8])[0]
    entries = struct.unpack(order + "H", data[offset:offset + 2])[0]
    directory = data[offset:offset + 2 + 12 * entries] + b"\0\0\0\0"
    moved = data[:4] + struct.pack(order + "I", len(data)) + data[8:] + directory  # (its values kept before it)
    whole = tmp_path / "whole.tif"
    whole.write_bytes(moved)
    assert decode(whole).width == 64
    cut = tmp_path / "cut.tif"
    for short in (1, 4):
        cut.write_bytes(moved[:-short])
        with pytest.raises(DecodeError) as caught:
            decode(cut)
        assert caught.value.reason == "truncated TIFF", short


@pytest.mark.parametrize("place", [0, 4, 7])
def test_a_tiff_whose_header_points_inside_itself_is_damaged_not_truncated(tmp_path, place):
    """A first directory's place inside the 8-byte header is damage (a flipped byte), not a copy cut short."""
    out = io.BytesIO()
    tifffile.imwrite(out, textured(0, (48, 64)), photometric="rgb")
    data = out.getvalue()
    bad = tmp_path / "bad.tif"
    bad.write_bytes(data[:4] + struct.pack("<I", place) + data[8:])
    with pytest.raises(DecodeError) as caught:
        decode(bad)
    assert caught.value.reason != "truncated TIFF"
    assert "TIFF" in caught.value.reason


def _listing_one_fewer(data: bytes, tag: int) -> tuple[bytes, int]:
    """``data`` with its first directory's ``tag`` entry (StripOffsets, TileOffsets, a byte-count tag) given one
    value fewer (the values stay where they are: the file's length unchanged), and how many it had."""
    order = "<" if data[:2] == b"II" else ">"
    out = bytearray(data)
    (offset,) = struct.unpack(order + "I", data[4:8])
    (count,) = struct.unpack(order + "H", data[offset:offset + 2])
    for i in range(offset + 2, offset + 2 + 12 * count, 12):
        found, kind, number = struct.unpack(order + "HHI", data[i:i + 8])
        if found == tag:
            assert number * (2 if kind == 3 else 4) > 4  # (the values pointed at: they stay in place)
            out[i + 4:i + 8] = struct.pack(order + "I", number - 1)
            return bytes(out), number
    raise AssertionError(f"no tag {tag}")


@pytest.mark.parametrize("writer,tag,kind", [("tifffile-strips", 273, "strips"), ("tifffile-strips-big", 273, "strips"),
                                             ("tifffile-tiles", 324, "tiles"), ("pillow-strips", 273, "strips")])
def test_a_whole_tiff_listing_fewer_strips_than_its_image_has_is_corrupt_not_scored(tmp_path, writer, tag, kind):
    """A whole TIFF whose StripOffsets (TileOffsets) lists one strip fewer than its image has (StripByteCounts
    still all of them): Pillow decoded the listed ones and left the rest black, and the photo was scored (its last
    strip's rows flat). Now the file's own fault is said."""
    if writer == "pillow-strips":
        out = io.BytesIO()
        Image.fromarray(textured(0, (48, 64))).save(out, format="TIFF", tiffinfo={278: 16})
        data = out.getvalue()
    else:
        data = _written(writer, textured(0, (48, 64)))
    damaged, listed = _listing_one_fewer(data, tag)
    path = tmp_path / "damaged.tif"
    path.write_bytes(damaged)
    with pytest.raises(DecodeError) as caught:
        decode(path)
    assert caught.value.reason == f"corrupt TIFF (its directory lists {listed - 1} of its {listed} {kind})"


def test_a_whole_tiff_listing_fewer_strip_lengths_is_still_decoded(tmp_path):
    """StripByteCounts one value short, StripOffsets whole: the strips are all there (an uncompressed strip's
    length is its rows'), the photo is decoded whole."""
    out = io.BytesIO()
    Image.fromarray(textured(0, (48, 64))).save(out, format="TIFF", tiffinfo={278: 16})
    damaged, _ = _listing_one_fewer(out.getvalue(), 279)
    path = tmp_path / "short_counts.tif"
    path.write_bytes(damaged)
    assert (decode(path).width, decode(path).height) == (64, 48)
