"""Whether a photo is still being written in place: its data runs into zero bytes where its picture should be.

A sync tool or a downloader that reserves a file's space first (sets its size, then fills it in as the data
comes), or a copy interrupted after it set the size, leaves a file of its full size whose tail is zero bytes.
Decoders read those zeros as picture data: a WebP's or a HEIC's lower part came out flat grey blocks, scored like
a photo and kept in the database until the file changed again (until 2026-12-06; a JPEG's is told by
:func:`blurscan.jpegend.zero_filled`). Such a file is a ``truncated`` one, with a note that says why
(:func:`reason`); a PNG was refused already, as ``corrupt PNG`` (its chunks' checksums).

Each format's structure tells the zeros from a picture's own data, and a whole file is never taken for one
(zero bytes after a file's last chunk or box are padding, left alone):

* **PNG**: its chunks, walked by their lengths, reach ``IEND``; a chunk header of zero bytes before it (no chunk
  type is zero bytes) is where the data stopped.
* **HEIC / HEIF** (HEVC or H.264 pictures): the coded picture's bytes (its items' extents in the ``iloc`` box)
  end in zero bytes. HEVC and H.264 forbid three zero bytes in a row inside a NAL unit (emulation prevention),
  and a NAL unit never ends in one; so :data:`HEVC_ZEROS` of them at the end of an image item is data that never
  came.
* **WebP** (lossy, ``VP8``): the ``VP8`` chunk ends in zero bytes, at least one per 16 x 16 macroblock of the
  picture and :data:`VP8_ZEROS`. VP8's boolean coder writes zero bytes only for runs of very likely decisions,
  as in a flat area: a 6-megapixel picture of one grey, the most a picture can have of them, ends in 580 zero
  bytes (0.025 a macroblock); a file half written in place ends in tens of them a macroblock. Counting is only the
  first sieve: a file coded without skipping flat macroblocks can end in more (:func:`_unread`), so the decoder
  must also finish the picture without the last zeros, or fail with them. A picture of one colour half written is
  not told (its data is mostly zero bytes anyway: it decodes as it would whole).

Not told (see docs/scan.md): a lossless WebP (VP8L: a picture of two colours can be coded with one zero bit a
pixel), an AVIF (AV1 allows zero padding at the end of a tile), an uncompressed TIFF or a RAW's uncompressed
sensor data (zero bytes are black pixels there); a compressed TIFF whose directory comes after its pixels is
refused by Pillow already (``corrupt TIFF (cannot read header)``).
"""
from __future__ import annotations

import io
import struct

from PIL import Image

from . import jpegend

#: Zero bytes at the end of an HEVC or H.264 image item that tell data never written (none can end one).
HEVC_ZEROS = 16
#: Zero bytes at the end of a lossy WebP that tell data never written, whatever its size: the boolean coder's last
#: bytes can be zero (a picture of one colour ends in up to 24 of them: 6 of a 44-byte 16 x 16 one).
VP8_ZEROS = 256
#: Zero bytes a lossy WebP's decoder is asked to do without (:func:`_unread`): more than a whole file's encoder
#: leaves unread at its end (its last byte or two), fewer than :data:`VP8_ZEROS`.
_SPARE = 128
#: Item types of HEIF pictures coded with emulation prevention (HEVC, H.264).
_NAL_ITEMS = (b"hvc1", b"avc1")


def reason(fmt: str) -> str:
    """The reason a file :func:`zero_filled` refuses gives: truncated, and why it looks so."""
    return f"truncated {fmt} (zero bytes where the rest of its data should be: a file still being written?)"


def zero_filled(data: bytes, fmt: str, max_pixels: int | None = None) -> bool:
    """Whether ``data``, a ``fmt`` file (as :func:`blurscan.fileread.sniff` names it), runs into zero bytes where
    the rest of its picture should be: a file read before it was whole. False for every other format, and for a
    WebP of more than ``max_pixels`` (the scan's limit refuses it next: no picture is decoded past it here)."""
    if fmt == "JPEG":
        return jpegend.zero_filled(data)
    told = {"PNG": _png, "WEBP": lambda d, t: _webp(d, t, max_pixels), "HEIF": _heif}.get(fmt)
    if told is None or not data.endswith(b"\x00"):
        return False
    try:
        return told(data, len(data.rstrip(b"\x00")))  # (where the zero bytes at the end begin)
    except (IndexError, struct.error):  # a damaged header: the decoder says what is wrong with it
        return False


def _png(data: bytes, tail: int) -> bool:
    """Whether the chunks meet zero bytes before ``IEND``."""
    i, n = 8, len(data)
    while i + 8 <= n:
        if i >= tail:
            return True
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        if kind == b"IEND":
            return False
        i += 12 + length
    return False


def _webp(data: bytes, tail: int, max_pixels: int | None) -> bool:
    """Whether a lossy WebP's ``VP8`` chunk ends in at least one zero byte per macroblock."""
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0]) if len(data) >= 12 else 0
    i = 12
    while i + 8 <= end:
        kind, size = struct.unpack("<4sI", data[i:i + 8])
        start, stop = i + 8, i + 8 + size
        if kind == b"VP8 " and 10 <= size and stop <= end and data[start + 3:start + 6] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[start + 6:start + 10])
            blocks = ((width & 0x3FFF) + 15) // 16 * (((height & 0x3FFF) + 15) // 16)
            if not (tail > start and stop - tail >= max(VP8_ZEROS, blocks)):
                return False
            if max_pixels is not None and (width & 0x3FFF) * (height & 0x3FFF) > max_pixels:
                return False
            # (a picture its zeros are too few for, as when they run from its modes on, is not a whole file either)
            return _unread(data, i, stop) or not _decodes(data)
        i = stop + (size & 1)
    return False


def _unread(data: bytes, chunk: int, stop: int) -> bool:
    """Whether the ``VP8`` chunk at ``chunk`` (ending at ``stop``) decodes whole without its last :data:`_SPARE`
    zero bytes: zero bytes its decoder never reads.

    Counting alone cannot tell: a whole WebP coded without skipping flat macroblocks (``cwebp -m 0``) codes each
    one's blocks as ends of block, which can come out zero bytes, a dozen a macroblock, up to every byte of its
    flat lower part (a photo whose lower half is black ended in 16,070 zero bytes, refused until 2026-12-06). Those
    are all read; a file half written in place holds far more zeros than its remaining macroblocks need."""
    cut = bytearray(data[:stop - _SPARE] + data[stop:])
    struct.pack_into("<I", cut, 4, struct.unpack("<I", data[4:8])[0] - _SPARE)  # (RIFF size)
    struct.pack_into("<I", cut, chunk + 4, stop - chunk - 8 - _SPARE)  # (the chunk's size)
    return _decodes(bytes(cut))  # (if the decoder runs out of data, the zeros are the picture's)


def _decodes(data: bytes) -> bool:
    """Whether Pillow decodes the WebP ``data`` to its last row."""
    try:
        with Image.open(io.BytesIO(data), formats=["WEBP"]) as im:
            im.load()
    except (OSError, ValueError, SyntaxError):
        return False
    return True


def _heif(data: bytes, tail: int) -> bool:
    """Whether an HEVC or H.264 image item's bytes end in :data:`HEVC_ZEROS` zero bytes or more."""
    meta = _box(data, 0, len(data), b"meta")
    if meta is None:
        return False
    kinds = _item_types(data, *meta)
    for item, extents in _item_extents(data, *meta).items():
        if kinds.get(item) in _NAL_ITEMS and extents:
            offset, length = extents[-1]
            if length and offset + length <= len(data) and offset + length - max(offset, tail) >= HEVC_ZEROS:
                return True
    return False


def _boxes(data: bytes, start: int, stop: int):
    """``(type, payload start, box end)`` of the boxes from ``start`` to ``stop``, up to the first that runs past
    ``stop`` or is shorter than its header."""
    i = start
    while i + 8 <= stop:
        size, kind = struct.unpack(">I4s", data[i:i + 8])
        head = 8
        if size == 1 and i + 16 <= stop:
            size, head = struct.unpack(">Q", data[i + 8:i + 16])[0], 16
        elif size == 0:
            size = stop - i
        if size < head or i + size > stop:
            return
        yield kind, i + head, i + size
        i += size


def _box(data: bytes, start: int, stop: int, kind: bytes) -> tuple[int, int] | None:
    """``(payload start, end)`` of the first ``kind`` box from ``start`` to ``stop``, or None."""
    return next(((a, b) for k, a, b in _boxes(data, start, stop) if k == kind), None)


def _item_types(data: bytes, start: int, stop: int) -> dict[int, bytes]:
    """Item id -> item type (``hvc1``, ``Exif`` ...) from the ``meta`` box's ``iinf`` (``infe`` of version 2, 3)."""
    iinf = _box(data, start + 4, stop, b"iinf")  # (meta is a full box: version and flags first)
    if iinf is None:
        return {}
    first = iinf[0] + 4 + (2 if data[iinf[0]] == 0 else 4)  # (entry count: 16 bits in version 0, else 32)
    out = {}
    for kind, a, b in _boxes(data, first, iinf[1]):
        version = data[a] if a < b else 0
        if kind == b"infe" and version in (2, 3):
            size = 2 if version == 2 else 4
            if a + 4 + size + 6 <= b:
                item = int.from_bytes(data[a + 4:a + 4 + size], "big")
                out[item] = data[a + 4 + size + 2:a + 4 + size + 6]
    return out


def _item_extents(data: bytes, start: int, stop: int) -> dict[int, list[tuple[int, int]]]:
    """Item id -> ``(file offset, length)`` of its extents, from the ``meta`` box's ``iloc`` (items whose data is
    in the file: construction method 0); empty when the box cannot be read."""
    iloc = _box(data, start + 4, stop, b"iloc")
    if iloc is None:
        return {}
    i, end = iloc
    version = data[i] if i < end else 0
    try:
        offset_size, length_size, base_size = data[i + 4] >> 4, data[i + 4] & 15, data[i + 5] >> 4
        index_size = data[i + 5] & 15 if version in (1, 2) else 0  # (reserved bits in version 0)
        if not offset_size + length_size + index_size:  # (extents of no bytes: nothing to tell, and no end to them)
            return {}
        i += 6

        def read(n: int) -> int:
            nonlocal i
            if i + n > end:
                raise IndexError
            i += n
            return int.from_bytes(data[i - n:i], "big")

        out = {}
        for _ in range(read(4 if version == 2 else 2)):
            item = read(4 if version == 2 else 2)
            method = read(2) & 15 if version in (1, 2) else 0
            read(2)  # data reference index
            base = read(base_size)
            extents = [(read(index_size), base + read(offset_size), read(length_size))[1:]
                       for _ in range(read(2))]
            if method == 0:
                out[item] = extents
        return out
    except IndexError:
        return {}
