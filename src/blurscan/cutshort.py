"""Whether a WebP, HEIC / HEIF, AVIF or TIFF file ends before its own container says it does: a truncated file.

Pillow's WebP plugin and libheif say so in their own words, which blurscan printed as they were: a HEIC cut short
(a copy from a phone interrupted) was ``cannot decode HEIF: Invalid input: Unexpected end of file: Extent in iloc
box references data outside of file bounds (points to file position 378)``, a WebP ``cannot decode WEBP: could not
create decoder object`` and an AVIF ``corrupt AVIF (cannot read header)``, where every other format's is
``truncated PNG`` (until 2026-12-05). The containers tell: a WebP's RIFF header gives the file's length, and each
box of an ISO base media file (HEIF, AVIF) its own. A TIFF's header gives the place of its first directory, which
libtiff's writers (OpenCV, GIMP, scanners) and Pillow's compressed TIFFs put after the pixels: cut short, it was
``corrupt TIFF (cannot read header)`` (until 2026-12-06).
"""
from __future__ import annotations

import struct


def cut_short(data: bytes, fmt: str) -> bool:
    """Whether ``data``, a ``fmt`` file (``"WEBP"``, ``"HEIF"``, ``"AVIF"`` or ``"TIFF"``), ends before its
    container's end (a TIFF: before the end of its first directory)."""
    if fmt == "TIFF":
        return _tiff_cut_short(data)
    if fmt == "WEBP":
        return data[:4] == b"RIFF" and len(data) >= 8 and len(data) < 8 + struct.unpack("<I", data[4:8])[0]
    if fmt in ("HEIF", "AVIF"):
        return _boxes_cut_short(data)
    return False


def _boxes_cut_short(data: bytes) -> bool:
    """Whether the top-level boxes run past the data (a box's size, or its 8-byte header, cut off)."""
    i, n = 0, len(data)
    while i < n:
        if i + 8 > n:
            return True
        size = struct.unpack(">I", data[i:i + 4])[0]
        if size == 1:  # a 64-bit size follows the type
            if i + 16 > n:
                return True
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
        elif size == 0:  # the last box, to the end of the file
            return False
        if size < 8:  # no box is shorter than its header: damaged, not cut short
            return False
        i += size
    return i > n


def _tiff_cut_short(data: bytes) -> bool:
    """Whether a TIFF's (or BigTIFF's) first directory (its entries, the values they point at, its pixels' strips
    or tiles) runs past the data."""
    return _tiff_directory(data)[0]


def tiff_fault(data: bytes) -> str | None:
    """Why a TIFF cannot be decoded whole, its pixels not all there (cut short, or not all listed); None when
    they are."""
    if _tiff_cut_short(data):
        return "truncated TIFF"
    missing = missing_pieces(data)
    return "corrupt TIFF (its directory lists {} of its {} {})".format(*missing) if missing else None


def missing_pieces(data: bytes) -> tuple[int, int, str] | None:
    """A whole TIFF (classic or BigTIFF) whose first directory lists fewer strips (or tiles) than its image has:
    how many it lists, how many the image has, and which ("strips", "tiles"); None otherwise. Pillow decoded the
    listed ones and left the rest of the picture black, which was scored (until 2026-12-07)."""
    if data[:4] not in _TIFF_HEADERS:
        return None
    cut, values = _tiff_directory(data)
    width, height = values.get(256, (0,))[0], values.get(257, (0,))[0]
    if cut or not width or not height or values.get(259, (1,))[0] == 6:  # (old-style JPEG: its own layout)
        return None
    planes = values.get(277, (1,))[0] if values.get(284, (1,))[0] == 2 else 1
    if 324 in values:
        across, down = values.get(322, (0,))[0], values.get(323, (0,))[0]
        if not across or not down:
            return None
        needed, listed, kind = -(-width // across) * -(-height // down) * planes, len(values[324]), "tiles"
    elif 273 in values:
        rows = values.get(278, (0,))[0] or height
        needed, listed, kind = -(-height // rows) * planes, len(values[273]), "strips"
    else:
        return None
    return (listed, needed, kind) if listed < needed else None


def _tiff_directory(data: bytes) -> tuple[bool, dict[int, tuple[int, ...]]]:
    """Whether a TIFF's first directory runs past the data (see :func:`_tiff_cut_short`), and the values of its
    :data:`_TIFF_PIECES` and :data:`_TIFF_LAYOUT` entries read so far. A BigTIFF's too: its offsets, counts and
    entries' values are of 8 bytes (a tiled scan listing fewer tiles than it has was scored: until 2026-12-07)."""
    values: dict[int, tuple[int, ...]] = {}
    order, big = _TIFF_HEADERS.get(data[:4], (None, False))
    if order is None:
        return False, values
    n = len(data)
    # the header's length, the first directory's offset, its count of entries, an entry, a value inline (at most)
    header, pointer, number_of, entry, inline = (16, "Q", "Q", 20, 8) if big else (8, "I", "H", 12, 4)
    sizes = _BIGTIFF_SIZES if big else _TIFF_SIZES
    if n < header:
        return True, values
    offset = struct.unpack(order + pointer, data[header - inline:header])[0]
    if offset < header:  # inside the header: damaged, not cut short
        return False, values
    first = offset + struct.calcsize(number_of)
    if first > n:
        return True, values
    count = struct.unpack(order + number_of, data[offset:first])[0]
    if first + entry * count + inline > n:
        return True, values
    for i in range(first, first + entry * count, entry):
        tag, kind, number = struct.unpack(order + "HH" + pointer, data[i:i + 4 + inline])
        size = sizes.get(kind, 0) * number
        at = i + 4 + inline if size <= inline else struct.unpack(order + pointer, data[i + 4 + inline:i + entry])[0]
        if at + size > n:
            return True, values
        if (tag in _TIFF_PIECES or (tag in _TIFF_LAYOUT and number == 1)) and kind in _INTEGERS \
                and kind in sizes and number <= _MOST_PIECES:
            values[tag] = struct.unpack(f"{order}{number}{_INTEGERS[kind]}", data[at:at + size])
    for offsets, counts in ((273, 279), (324, 325)):  # strips, tiles: where each piece of the pixels starts, its length
        if any(start + length > n for start, length in zip(values.get(offsets, ()), values.get(counts, ()))):
            return True, values
    return False, values


#: Byte order, and whether a BigTIFF (8-byte offsets), of each TIFF signature.
_TIFF_HEADERS = {b"II*\x00": ("<", False), b"MM\x00*": (">", False),
                 b"II+\x00": ("<", True), b"MM\x00+": (">", True)}
#: Bytes per value of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL ... DOUBLE, IFD).
_TIFF_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
#: A BigTIFF's: LONG8, SLONG8 and IFD8 too.
_BIGTIFF_SIZES = {**_TIFF_SIZES, 16: 8, 17: 8, 18: 8}
#: The unsigned integer types a strip's or tile's place, length or the layout is given in: SHORT, LONG, LONG8.
_INTEGERS = {3: "H", 4: "I", 16: "Q"}
#: StripOffsets, StripByteCounts, TileOffsets, TileByteCounts.
_TIFF_PIECES = (273, 279, 324, 325)
#: ImageWidth, ImageLength, Compression, SamplesPerPixel, RowsPerStrip, PlanarConfiguration, TileWidth, TileLength.
_TIFF_LAYOUT = (256, 257, 259, 277, 278, 284, 322, 323)
#: Strips or tiles looked at, at most (a hostile directory's count of millions is not unpacked).
_MOST_PIECES = 1 << 16
