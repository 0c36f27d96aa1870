"""A photo's capture time read from its metadata alone, as a scan reads it (:func:`blurscan.exif.exif_dict` of
Pillow's header), its pixels never decoded: the dates :mod:`blurscan.redate` reads again, and a PNG's whose
metadata follows its image data (:func:`png_dates`).

Pillow reads a PNG's chunks after its image data (an eXIf, an XMP iTXt: where some writers put them, after the
pixels) only as it loads the pixels, and only up to an animated PNG's next frame; a scan that read the EXIF before
the pixels (an early eXIf chunk) missed an XMP date written after them, and one of an animated PNG whose XMP follows
all its frames missed it too, where a date read again found it (until 2026-12-06). Both now read the PNG's chunks
without its image data (:func:`png_metadata`), all of them, in the file's order.
"""
from __future__ import annotations

import io
import struct

#: The PNG chunks that may hold a date: Pillow reads them after the image data too (not the scan's first reading)
_DATED = frozenset({b"eXIf", b"iTXt", b"zTXt", b"tEXt"})


class Unparsed(Exception):
    """Metadata Pillow cannot read (not an :class:`OSError`, as many of Pillow's are: the file was read)."""


def dates(data: bytes, fmt: str) -> dict:
    """``captured_at`` and ``captured_subsec`` (those present) of the photo's bytes ``data`` (a PNG's without its
    image data will do), or of a PNG without the chunks Pillow refuses, as the scan reads it
    (:mod:`blurscan.pngsalvage`); :class:`Unparsed` when Pillow reads neither."""
    try:
        return _parsed(data, fmt)
    except Exception as exc:
        from .pngsalvage import salvage

        whole = salvage(data) if fmt == "PNG" else None
        if whole is None:
            raise Unparsed(f"{type(exc).__name__}: {exc}") from exc
    try:
        return _parsed(whole, fmt)
    except Exception as exc:
        raise Unparsed(f"{type(exc).__name__}: {exc}") from exc


def png_dates(data: bytes) -> dict | None:
    """The dates (:func:`dates`) of the PNG ``data`` read from every one of its chunks, when a chunk that may hold
    one (eXIf, text) follows its first image data; None when none does (Pillow's opening read them all) or
    Pillow cannot read them. Only the chunks' heads are walked to tell, in memory."""
    if not _dated_after_pixels(data):
        return None
    try:
        return dates(png_metadata(io.BytesIO(data), data[:8]), "PNG")
    except Unparsed:
        return None


def _dated_after_pixels(data: bytes) -> bool:
    at, pixels = 8, False
    while at + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, at)
        if kind == b"IEND":
            return False
        if kind in (b"IDAT", b"fdAT"):
            pixels = True
        elif pixels and kind in _DATED:
            return True
        at += length + 12
    return False


def _parsed(data: bytes, fmt: str) -> dict:
    from PIL import Image

    from .decode_reasons import pil_formats
    from .exif import burst_basics, exif_dict, quiet, safe_exif
    from .jpegexif import bounded
    from .tiffkind import full_resolution_page

    with quiet(), Image.open(io.BytesIO(bounded(data)), formats=pil_formats(fmt)) as im:
        full_resolution_page(im)  # (a TIFF whose first image is a thumbnail: the picture's tags, as the scan reads)
        # a PNG's getexif loads its pixels to find a late eXIf chunk: every chunk is read already (png_metadata)
        exif = Image.Image.getexif(im) if fmt == "PNG" else safe_exif(im)
        found = exif_dict(exif, im.info)
    out = {key: found[key] for key in ("captured_at", "captured_subsec") if found.get(key) is not None}
    # redate reads a record's exposure too, since DATE_RULES 3, its camera since 4, how it was set since 5
    basics = zip(("exposure_ev", "camera", "exposure_setting"), burst_basics(found))
    return {**out, **{key: value for key, value in basics if value is not None}}


def png_metadata(f, head: bytes) -> bytes:
    """The PNG open in ``f`` (its first bytes ``head`` read) without its image data: every chunk but ``IDAT`` (and an
    animated PNG's ``fdAT``, and its ``fcTL`` after the first image data) in the file's order (those after the image
    data, where Pillow's scan finds a late ``eXIf`` or XMP, included), so that Pillow's open reads them all."""
    f.seek(8)
    out = [head[:8]]
    pixels = False
    while True:
        top = f.read(8)
        if len(top) < 8:
            break
        length, kind = struct.unpack(">I4s", top)
        # an animated PNG's later frames' controls go with their image data: left, the frames' numbers
        # (which their image data shares) would skip one, and Pillow refuse the file ("frame sequence errors")
        if kind in (b"IDAT", b"fdAT") or kind == b"fcTL" and pixels:
            pixels = True
            f.seek(length + 4, io.SEEK_CUR)
            continue
        body = f.read(length + 4)
        out.append(top + body)
        if kind == b"IEND" or len(body) < length + 4:
            break
    return b"".join(out)


def png_dated(exif: dict, data: bytes, fmt: str) -> dict:
    """``exif`` (:func:`blurscan.exif.exif_dict` of a photo opened before its pixels) with the dates of
    :func:`png_dates` in place of its own when ``fmt`` is PNG and a chunk after the image data may hold one."""
    found = png_dates(data) if fmt == "PNG" else None
    if found is None:
        return exif
    out = {key: value for key, value in exif.items() if key != "captured_subsec"}
    return {**out, "captured_at": None, **found}
