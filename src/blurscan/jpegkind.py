"""What kind of JPEG a file is, from its frame header (SOF): the coding process and the sample precision.

libjpeg-turbo, as OpenCV and Pillow build it, decodes 8-bit baseline, extended, progressive and lossless JPEGs,
but not 12- or 16-bit samples (medical and scientific files, some raw converters' output): Pillow then says
only "cannot identify image file" and OpenCV gives nothing, which blurscan printed as ``corrupt JPEG (cannot
read header)``, sending the user to look for damage in a file that is whole. :func:`unsupported` says what the
file holds instead. And libjpeg's lossless mode neither scales nor turns colour into grey, both of which
:mod:`blurscan.jpeg` asks for: :func:`frame` tells it a lossless JPEG, which it decodes as stored.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # (DHT, JPG extension, DAC)
_LOSSLESS = frozenset({0xC3, 0xC7, 0xCB, 0xCF})
_HIERARCHICAL = frozenset({0xC5, 0xC6, 0xC7, 0xCD, 0xCE, 0xCF})
_ARITHMETIC = frozenset({0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_SOS, _EOI = 0xDA, 0xD9


class Frame(NamedTuple):
    marker: int  #: 0xC0 (baseline) ... 0xCF
    precision: int  #: bits per sample
    components: int

    @property
    def lossless(self) -> bool:
        return self.marker in _LOSSLESS


def segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """``(marker, start, end)`` of each segment of a JPEG that has a length, up to its first scan (none when the
    data is no JPEG). Segments are walked by their lengths; fill and stray bytes between them are passed over, as
    libjpeg does."""
    if not data.startswith(b"\xff\xd8"):
        return
    i, n = 2, len(data)
    while i + 1 < n:
        marker = data[i + 1]
        if data[i] != 0xFF or marker == 0xFF:  # a stray byte, or fill before a marker
            i += 1
            continue
        if marker == 0x00:  # FF 00 among stray bytes is no marker
            i += 2
            continue
        if marker in (_SOS, _EOI):
            return
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:  # no length follows these
            i += 2
            continue
        end = i + 2 + int.from_bytes(data[i + 2:i + 4], "big")
        yield marker, i, end
        i = end


def frame(data: bytes) -> Frame | None:
    """The JPEG's first frame header, or None when the data holds none before its first scan (or is no JPEG)."""
    for marker, i, _ in segments(data):
        if marker in _SOF:
            head = data[i + 4:i + 10]
            return Frame(marker, head[0], head[5]) if len(head) == 6 else None
    return None


def unsupported(data: bytes) -> str | None:
    """``"unsupported JPEG: 12-bit samples (...)"`` (or hierarchical or arithmetic coding) when the frame header
    says the JPEG is of a kind libjpeg-turbo may not decode, else None. Asked once a decoder has failed: an
    arithmetic-coded JPEG, which these builds decode, is named only then."""
    found = frame(data)
    if found is None:
        return None
    if found.precision != 8:
        return f"unsupported JPEG: {found.precision}-bit samples (blurscan reads 8-bit JPEGs)"
    if found.marker in _HIERARCHICAL:
        return "unsupported JPEG: hierarchical coding"
    if found.marker in _ARITHMETIC:
        return "unsupported JPEG: arithmetic coding"
    return None
