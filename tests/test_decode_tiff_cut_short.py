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


def _directory(data: bytes) -> tuple[str, bool, int, list[tuple[int, int, int]]]:
    """The byte order, whether a BigTIFF, where the first directory's entries begin, and each entry's ``(place,
    tag, count)`` of the TIFF ``data``."""
    order, big = ("<" if data[:2] == b"II" else ">"), data[2:4] in (b"+\x00", b"\x00+")
    pointer, number_of, entry = ("Q", "Q", 20) if big else ("I", "H", 12)
    (offset,) = struct.unpack(order + pointer, data[8:16] if big else data[4:8])
    first = offset + struct.calcsize(number_of)
    (count,) = struct.unpack(order + number_of, data[offset:first])
    entries = []
    for i in range(first, first + entry * count, entry):
        tag, _, number = struct.unpack(order + "HH" + pointer, data[i:i + 4 + struct.calcsize(pointer)])
        entries.append((i, tag, number))
    return order, big, offset, entries


def _one_fewer(data: bytes, tag: int) -> tuple[bytes, int]:
    """:func:`_listing_one_fewer` of a classic TIFF or a BigTIFF."""
    order, big, _, entries = _directory(data)
    out = bytearray(data)
    for i, found, number in entries:
        if found == tag:
            out[i + 4:i + (12 if big else 8)] = struct.pack(order + ("Q" if big else "I"), number - 1)
            return bytes(out), number
    raise AssertionError(f"no tag {tag}")


def _without(data: bytes, tag: int) -> bytes:
    """The classic TIFF ``data`` with its first directory's ``tag`` entry taken out (the next ones moved up)."""
    order, _, offset, entries = _directory(data)
    kept = b"".join(data[i:i + 12] for i, found, _ in entries if found != tag)
    assert len(kept) == 12 * (len(entries) - 1)
    end = offset + 2 + 12 * len(entries)
    return (data[:offset] + struct.pack(order + "H", len(entries) - 1) + kept + data[end:end + 4]
            + b"\0" * 12 + data[end + 4:])


LISTED = [  # (how tifffile writes it, the tag listing the pieces, their kind, how many a 50 x 70 picture has)
    ({"rowsperstrip": 8}, 273, "strips", 7),  # (the last strip of 2 rows: 7, not 6)
    ({"rowsperstrip": 8, "planarconfig": "separate"}, 273, "strips", 21),  # (each colour's strips)
    ({"tile": (16, 32)}, 324, "tiles", 12),  # (4 down, 3 across: the last ones partly outside the picture)
    ({"tile": (32, 16)}, 324, "tiles", 10),  # (2 down, 5 across)
    ({"rowsperstrip": 8, "bigtiff": True}, 273, "strips", 7),  # (a BigTIFF: LONG8 places)
    ({"tile": (16, 32), "bigtiff": True}, 324, "tiles", 12),
    ({"tile": (16, 32), "bigtiff": True, "planarconfig": "separate"}, 324, "tiles", 36),
]


@pytest.mark.parametrize("options,tag,kind,pieces", LISTED)
def test_a_tiff_of_any_layout_listing_one_piece_fewer_is_corrupt_and_whole_is_decoded(tmp_path, options, tag, kind,
                                                                                      pieces):
    """The strips and tiles a picture has, counted as libtiff does: the rows of a last strip that is not full, the
    tiles partly outside the picture, across and down, each colour's pieces when they are stored apart; a BigTIFF
    (a scanner's, GDAL's, tifffile's) as a classic TIFF. Its directory listing one fewer, the file is corrupt; until
    2026-12-07 a BigTIFF's was decoded, its missing tiles black, and scored."""
    out = io.BytesIO()
    pixels = textured(3, (50, 70))
    if options.get("planarconfig") == "separate":
        pixels = np.ascontiguousarray(pixels.transpose(2, 0, 1))
    tifffile.imwrite(out, pixels, photometric="rgb", **options)
    path = tmp_path / "whole.tif"
    path.write_bytes(out.getvalue())
    assert (decode(path).width, decode(path).height) == (70, 50)
    damaged, listed = _one_fewer(out.getvalue(), tag)
    assert listed == pieces
    path.write_bytes(damaged)
    with pytest.raises(DecodeError) as caught:
        decode(path)
    assert caught.value.reason == f"corrupt TIFF (its directory lists {pieces - 1} of its {pieces} {kind})"


@pytest.mark.parametrize("rows", [None, 50, 64, 2**32 - 1])
def test_a_tiff_of_one_strip_with_rows_per_strip_absent_or_past_its_height_is_decoded(tmp_path, rows):
    """RowsPerStrip absent (the default: the whole picture) or larger than the picture's height (libtiff's
    2**32 - 1): one strip, listed, and the photo is decoded."""
    out = io.BytesIO()
    tifffile.imwrite(out, textured(4, (50, 70)), photometric="rgb", rowsperstrip=50)
    data = out.getvalue()
    if rows is None:
        data = _without(data, 278)
        assert 278 not in [tag for _, tag, _ in _directory(data)[3]]
    else:
        order, _, _, entries = _directory(data)
        (i,) = [i for i, tag, _ in entries if tag == 278]
        data = data[:i + 2] + struct.pack(order + "HII", 4, 1, rows) + data[i + 12:]
    path = tmp_path / "one_strip.tif"
    path.write_bytes(data)
    assert (decode(path).width, decode(path).height) == (70, 50)


@pytest.mark.parametrize("tag", [322, 323])
def test_a_tiled_tiff_whose_tiles_are_of_no_width_or_length_is_refused_in_one_line(tmp_path, tag):
    """TileWidth or TileLength 0 (a damaged or hostile file): no piece is counted (no division by it), and the file
    is refused as Pillow finds it, not a crash of the scan."""
    out = io.BytesIO()
    tifffile.imwrite(out, textured(5, (50, 70)), photometric="rgb", tile=(16, 32))
    data = out.getvalue()
    order, _, _, entries = _directory(data)
    (i,) = [i for i, found, _ in entries if found == tag]
    kind = struct.unpack(order + "H", data[i + 2:i + 4])[0]
    path = tmp_path / "no_tiles.tif"
    path.write_bytes(data[:i + 8] + struct.pack(order + ("HH" if kind == 3 else "I"), 0, *([0] if kind == 3 else []))
                     + data[i + 12:])
    with pytest.raises(DecodeError) as caught:
        decode(path)
    assert "TIFF" in caught.value.reason and "\n" not in caught.value.reason
