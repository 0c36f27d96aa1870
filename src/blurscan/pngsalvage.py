"""A PNG that Pillow refuses for its metadata alone, made readable without that metadata.

Two kinds of whole pictures Pillow refuses, where libpng (``cv2.imread``, every viewer) shows the picture:

* a compressed text chunk (``zTXt``, ``iTXt``) whose text exceeds ``PngImagePlugin.MAX_TEXT_CHUNK`` (1 MiB), a
  guard against text made to exhaust memory: Photoshop's XMP with a long editing history reaches it ("cannot
  decode PNG: Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK"), or whose texts together exceed
  ``MAX_TEXT_MEMORY`` (64 MiB: "Too much memory used in text chunks");
* an ancillary chunk (text, time, EXIF ...: a lower-case first letter) whose CRC is wrong, which libpng drops
  with a warning ("corrupt PNG (cannot read header)");
* an ICC profile (``iCCP``) over that same 1 MiB once inflated, which Pillow refuses in the same words (a large
  printer or LUT profile; refused until 2026-12-05). blurscan applies no profile, so the pixels are the same.

:func:`salvage` gives the bytes without those chunks (the guard still holds: no more than :data:`BUDGET` of a
file's text is inflated, 1 MiB at a time, and compressed text past it is dropped unread, which also brings a file's
text under ``MAX_TEXT_MEMORY``); the first dropped XMP's ``tiff:Orientation``, which Pillow reads as the EXIF
orientation, is kept in a small XMP chunk of its own. Critical chunks (header, palette, pixel data) are left as
they are: damage there is damage to the picture, and Pillow still refuses it. Until 2026-12-04 each compressed text
chunk was inflated up to 1 MiB and each XMP up to 64 MiB: a 2 MB file of 2000 small zTXt chunks cost 5 s, one of
100 XMP chunks (6.5 MB) 17 s.
"""
from __future__ import annotations

import re
import struct
import zlib

from PIL import PngImagePlugin

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Text inflated of one file at most, all chunks together: to tell the text Pillow refuses (up to 1 MiB a chunk)
#: and to look for the orientation in the first XMP dropped (Photoshop writes it in the XMP's first KiB, before
#: the history). Some 50 ms of inflating at worst; compressed text past it is dropped unread: it is metadata.
BUDGET = 16 << 20
_PIECE = 1 << 20
_XMP_KEY = b"XML:com.adobe.xmp"
_ORIENTATION = re.compile(rb'tiff:Orientation(?:="|>)([1-8])')


def reason(said: str) -> str:
    """The one line for what Pillow raised of a PNG's structure (a ``SyntaxError``): a chunk named as written, not as
    a Python bytes literal, and a wrong checksum of a chunk Pillow needs (its image data damaged: bit rot, a bad
    sector) said so. Until 2026-12-06 it was Pillow's words: ``corrupt PNG: broken PNG file (bad header checksum in
    b'IDAT')``."""
    crc = _BAD_CRC.fullmatch(said)
    if crc:
        return f"corrupt PNG data: wrong checksum of its {crc.group(1)} chunk (damaged bytes)"
    said = _CHUNK_LITERAL.sub(lambda m: m.group(1), said)
    return f"corrupt PNG: {said}" if said else "corrupt PNG"


_BAD_CRC = re.compile(r"broken PNG file \(bad header checksum in b'([ -~]{4})'\)")
_CHUNK_LITERAL = re.compile(r"b'([ -~]{4})'")


def salvage(data: bytes) -> bytes | None:
    """``data`` without its ancillary chunks of wrong CRC and its compressed text too large for Pillow or past
    :data:`BUDGET`, or None when it has none (or is no PNG)."""
    if not data.startswith(SIGNATURE):
        return None
    out, i, changed = [SIGNATURE], len(SIGNATURE), False
    budget, searched = _Budget(), False
    while i + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        end = i + 12 + length
        if end > len(data):
            break
        body, crc = data[i + 8:end - 4], struct.unpack(">I", data[end - 4:end])[0]
        ancillary = kind[0] & 0x20
        stream = _compressed_text(kind, body) if kind in (b"zTXt", b"iTXt", b"iCCP") else None
        if ancillary and zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            changed = True
        elif stream is not None and _refused(stream, budget):
            changed = True
            if kind == b"iTXt" and not searched and body.startswith(_XMP_KEY + b"\0"):
                searched = True
                orientation = _xmp_orientation(stream, budget)
                if orientation:
                    out.append(_orientation_chunk(orientation))
        else:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            break
    out.append(data[i:])  # whatever follows (a truncated chunk stays, for Pillow to refuse)
    return b"".join(out) if changed else None


def _compressed_text(kind: bytes, body: bytes) -> bytes | None:
    """The zlib stream of a compressed text chunk (or of the ICC profile, which Pillow inflates under the same
    guard), as Pillow reads it, else None."""
    key, sep, rest = body.partition(b"\0")
    if not sep:
        return None
    if kind in (b"zTXt", b"iCCP"):
        return rest[1:] if rest[:1] == b"\0" else None
    if len(rest) < 2 or rest[0] == 0 or rest[1] != 0:  # not compressed, or an unknown method
        return None
    parts = rest[2:].split(b"\0", 2)
    return parts[2] if len(parts) == 3 else None


class _Budget:
    """What is left of :data:`BUDGET` for one file."""

    def __init__(self) -> None:
        self.left = BUDGET

    def inflate(self, inflate, stream: bytes, most: int) -> bytes:
        """Up to ``most`` bytes (and what is left) of ``stream`` through ``inflate``; ``zlib.error`` passes."""
        most = min(most, self.left)
        self.left -= most  # charged before: inflating that fails has done the work too
        text = inflate.decompress(stream, most) if most else b""
        self.left += most - len(text)
        return text


def _refused(stream: bytes, budget: _Budget) -> bool:
    """Whether a compressed text chunk is dropped: Pillow refuses its text as too large (its own test: more than
    ``MAX_TEXT_CHUNK``), or the budget ends before that is known."""
    if not budget.left:
        return True
    inflate = zlib.decompressobj()
    try:
        budget.inflate(inflate, stream, PngImagePlugin.MAX_TEXT_CHUNK)
    except zlib.error:
        return False  # Pillow passes over text it cannot inflate
    return bool(inflate.unconsumed_tail)


def _xmp_orientation(stream: bytes, budget: _Budget) -> int | None:
    """``tiff:Orientation`` of an XMP's compressed text, looked for as far as the budget goes."""
    inflate, tail, window = zlib.decompressobj(), stream, b""
    try:
        while tail and budget.left:
            piece = budget.inflate(inflate, tail, _PIECE)
            tail = inflate.unconsumed_tail
            if not piece:
                break
            window = window[-64:] + piece
            found = _ORIENTATION.search(window)
            if found:
                return int(found.group(1))
    except zlib.error:
        return None
    return None


def _orientation_chunk(orientation: int) -> bytes:
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="%d"/></rdf:RDF>'
           b'</x:xmpmeta>' % orientation)
    body = _XMP_KEY + b"\0\0\0\0\0" + xmp  # uncompressed, no language, no translated key
    return struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
