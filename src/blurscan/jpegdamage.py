"""Which of libjpeg's warnings mean a JPEG's picture is damaged, and which are harmless.

libjpeg does not stop on damaged entropy-coded data: bytes overwritten in the middle of a JPEG (a bad sector, a
copy cut and patched, a flipped block on a memory card) make it print one warning on file descriptor 2
(``Corrupt JPEG data: premature end of data segment``, ``... 1075 extraneous bytes before marker 0xd9``,
``... bad Huffman code``, ``... found marker 0xd3 instead of RST2``) and fill the rest of the picture with
grey or with garbage decoded out of step. Such a picture is smooth where the photo was not, so it scored like
a blurry photo and could be moved as one. :mod:`blurscan.jpeg` reads what libjpeg said while it decoded (it
prints only its first warning for a file) and :func:`damage` turns it into the reason of the file's error
record, ``corrupt JPEG data: <libjpeg's words>``.

Not every warning is damage. Harmless, and still decoded:

* stray bytes between the header's segments (before the first scan: ``1 extraneous bytes before marker
  0xdb``), which some writers leave; the pixels come after them, whole;
* padding of zero or 0xFF bytes between the last scan's data and the end marker (``6 extraneous bytes before
  marker 0xd9`` when they are all 0x00 / 0xFF): the picture is complete before them. The same warning with
  other bytes there is data left over by a decoder thrown out of step, i.e. damage;
* warnings outside the ``Corrupt JPEG data`` family (an unknown JFIF revision, an Adobe colour transform code)
  and a damaged ICC profile (``bad ICC marker``): the pixels are not affected.

Data after the end marker (a motion photo's video) is never read by libjpeg and draws no warning.
"""
from __future__ import annotations

import re

_CORRUPT = "Corrupt JPEG data"
_EOF = "Premature end of JPEG file"
_EXTRANEOUS = re.compile(r"Corrupt JPEG data: (\d+) extraneous bytes before marker 0x([0-9a-fA-F]{2})")
_SOS, _EOI = 0xDA, 0xD9
_PADDING = frozenset(b"\x00\xff")


def damage(said: str, data: bytes) -> str | None:
    """The one-line reason a JPEG's picture is damaged, from what libjpeg printed while decoding ``data``.

    Parameters
    ----------
    said : str
        What the decoder wrote on file descriptor 2 during one decode (possibly nothing).
    data : bytes
        The JPEG file's bytes (to tell padding and header strays from damage).

    Returns
    -------
    str or None
        ``"corrupt JPEG data: ..."`` (libjpeg's words after its prefix), ``"truncated JPEG"`` for libjpeg's
        premature end of file, or None when the picture is whole.
    """
    for line in said.splitlines():
        line = line.strip()
        if line.startswith(_EOF):
            return "truncated JPEG"
        if not line.startswith(_CORRUPT) or "ICC" in line:
            continue
        stray = _EXTRANEOUS.match(line)
        if stray and _harmless_stray(int(stray.group(1)), int(stray.group(2), 16), data):
            continue
        return "corrupt JPEG data: " + line[len(_CORRUPT):].lstrip(": ").strip()
    return None


def _harmless_stray(count: int, marker: int, data: bytes) -> bool:
    """Whether ``count`` stray bytes before ``marker`` are header strays or padding before the end marker."""
    if (count, marker) in _header_strays(data):
        return True
    if marker != _EOI:
        return False
    end = data.rstrip(b"\x00\r\n\t ")  # as blurscan.jpeg.ends_with_eoi: the file ends with the marker
    if not end.endswith(b"\xff\xd9") or count > len(end) - 4:
        return False
    before = end[len(end) - 2 - count:len(end) - 2]
    return set(before) <= _PADDING


def _header_strays(data: bytes) -> set[tuple[int, int]]:
    """``(count, marker)`` of every run of stray bytes between header segments, up to the first scan."""
    strays, i, n = set(), 2, len(data)
    while i < n:
        start = i
        while i < n and data[i] != 0xFF:
            i += 1
        while i < n and data[i] == 0xFF:  # fill bytes before a marker are allowed
            i += 1
        if i >= n:
            break
        marker = data[i]
        if data[start] != 0xFF:
            strays.add((data.find(b"\xff", start) - start, marker))
        if marker == _SOS or i + 2 >= n:
            break
        i += 1 + int.from_bytes(data[i + 1:i + 3], "big")  # the segment's length counts its own two bytes
    return strays
