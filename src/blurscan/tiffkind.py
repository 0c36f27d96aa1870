"""TIFFs as Pillow opens them: why it refuses one that is not damaged, and which of its images is the picture.

Pillow opens 8- and 16-bit TIFFs and one-channel 32-bit float ones, but not colour (or 16- and 64-bit)
floating-point samples: an HDR merge or a 32-bit export from an editor, a scientific camera's file. Pillow then
says only "cannot identify image file", which blurscan used to print as ``corrupt TIFF (cannot read header)``,
sending the user to look for damage in a file that is whole. :func:`unsupported_samples` reads the first
image's tags to say what the file holds instead.

Pillow opens a TIFF at its first image, which some writers make a thumbnail of the picture that follows:
:func:`full_resolution_page` turns such a file to the picture, and :func:`readable_page` also has one whose
16-bit samples lie in separate planes, uncompressed, read by libtiff (Pillow's own reader takes 8 bits of each).
"""
from __future__ import annotations

import struct

_BITS, _SAMPLES, _SAMPLE_FORMAT, _PHOTOMETRIC = 258, 277, 339, 262
_FLOAT = 3  # SampleFormat: IEEE floating point
_SIGNED = 2  # SampleFormat: two's complement signed integer
_TYPES = {3: ("H", 2), 4: ("I", 4)}  # SHORT, LONG: the types these tags have


def _tags(data: bytes) -> dict[int, list[int]]:
    """The wanted tags of a TIFF's first image (classic TIFF only; BigTIFF gives nothing)."""
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or struct.unpack(order + "H", data[2:4])[0] != 42:
        return {}
    (offset,) = struct.unpack(order + "I", data[4:8])
    (count,) = struct.unpack(order + "H", data[offset:offset + 2])
    tags: dict[int, list[int]] = {}
    for i in range(min(count, 1000)):
        entry = data[offset + 2 + 12 * i: offset + 14 + 12 * i]
        tag, kind, n = struct.unpack(order + "HHI", entry[:8])
        if tag not in (_BITS, _SAMPLES, _SAMPLE_FORMAT, _PHOTOMETRIC) or kind not in _TYPES or not 0 < n <= 16:
            continue
        code, size = _TYPES[kind]
        where = entry[8:12] if n * size <= 4 else data[struct.unpack(order + "I", entry[8:12])[0]:][:n * size]
        tags[tag] = list(struct.unpack(order + code * n, where[:n * size]))
    return tags


def unsupported_samples(data: bytes) -> str | None:
    """``"unsupported TIFF: 3 samples of 32-bit floating point per pixel (...)"`` when the first image of the
    TIFF ``data`` holds floating-point samples (``"unsupported TIFF: 16-bit grey with alpha ..."`` for those),
    else None (also when the header cannot be read: that one is damaged)."""
    try:
        tags = _tags(data)
    except (struct.error, IndexError, ValueError):
        return None
    samples = (tags.get(_SAMPLES) or [1])[0]
    bits = (tags.get(_BITS) or [8])[0]
    if _FLOAT not in tags.get(_SAMPLE_FORMAT, []) and bits > 16:
        # integers past 16 bits (GIMP's "32-bit linear integer" export, a scientific camera's counts): Pillow reads
        # one channel of 32 bits in Intel byte order (wide_integers), no other; until 2026-12-06 the rest were
        # "corrupt TIFF (cannot read header)"
        order = " in big-endian byte order" if samples == 1 and data[:2] == b"MM" else ""
        return (f"unsupported TIFF: {bits}-bit integer samples ({samples} per pixel{order}; blurscan reads 8- and "
                "16-bit integer TIFFs and 32-bit grey ones in little-endian (Intel) byte order: save it as 16-bit)")
    if _FLOAT not in tags.get(_SAMPLE_FORMAT, []):
        # grey and alpha of 16 bits each (a mask or cut-out from a scientific or 16-bit editing workflow): Pillow
        # has no such mode, and until 2026-12-06 the whole file was "corrupt TIFF (cannot read header)"
        if samples == 2 and bits == 16:
            return ("unsupported TIFF: 16-bit grey with alpha (2 samples of 16 bits per pixel; blurscan reads 8-bit "
                    "grey with alpha and 16-bit grey or colour: save it so)")
        # 16-bit grey stored white-is-zero in Motorola byte order: Pillow has no mode for it (until 2026-12-06
        # "corrupt TIFF (cannot read header)"); the Intel-order one is read (see white_is_zero)
        if samples == 1 and bits == 16 and tags.get(_PHOTOMETRIC) == [0] \
                and data[:2] == b"MM":
            return ("unsupported TIFF: 16-bit grey stored white-is-zero (PhotometricInterpretation 0) in big-endian "
                    "byte order; save it as black-is-zero grey, or in little-endian (Intel) byte order")
        # signed integers in colour, or stored white-is-zero: Pillow reads them in black-is-zero grey only (see
        # signed_16), and until 2026-12-07 the rest were "corrupt TIFF (cannot read header)"
        if _SIGNED in tags.get(_SAMPLE_FORMAT, []):
            how = f"{samples} per pixel" + (", stored white-is-zero" if tags.get(_PHOTOMETRIC) == [0] else "")
            return (f"unsupported TIFF: signed {bits}-bit integer samples ({how}; blurscan reads signed integers in "
                    "black-is-zero grey only: save it as unsigned 8- or 16-bit)")
        return None
    bits = (tags.get(_BITS) or [32])[0]  # (a float's default)
    return (f"unsupported TIFF: {samples} sample{'s' if samples != 1 else ''} of {bits}-bit floating point per "
            "pixel (HDR or scientific data; blurscan reads 8- and 16-bit integer TIFFs)")


#: NewSubfileType, bit 0: "a reduced-resolution version of another image in this file" (TIFF 6.0, section 8).
_NEW_SUBFILE_TYPE, _REDUCED = 254, 1

#: How many images after a reduced first one :func:`full_resolution_page` looks at for the picture (writers put
#: one thumbnail, or a few of falling sizes, before it).
PAGES_LOOKED_AT = 16


def full_resolution_page(im) -> None:
    """Turn a TIFF opened by Pillow whose first image is a reduced-resolution one (a thumbnail that some writers
    put in IFD0, the picture after it) to its first full-resolution image; any other image is left as it is.

    Pillow opens a TIFF at its first image, so until 2026-12-05 such a file was judged from its thumbnail: a
    blurred 500-px photo behind a 125-px thumbnail scored ``sharp``, 125 x 125 px. A file with no full-resolution
    image, or whose later images Pillow cannot read, stays at its first.

    Only the first :data:`PAGES_LOOKED_AT` images are looked at, one by one: until 2026-12-05 every image was
    counted first (``n_frames``), and Pillow's walk through a TIFF's images takes a time that grows with the
    square of their number: an 11 MB TIFF of 100,000 one-pixel thumbnails held its scan 90 seconds (as long
    again on the review page), a larger one for hours."""
    if getattr(im, "format", None) != "TIFF" or not _reduced(im):
        return
    try:
        for page in range(1, PAGES_LOOKED_AT + 1):
            im.seek(page)  # EOFError past the last image
            if not _reduced(im):
                return
    except Exception:  # (past the last image, or a damaged later one: the first is judged, as before)
        pass
    im.seek(0)


#: PlanarConfiguration (2: each sample in its own plane), Compression (1: none), BitsPerSample.
_PLANAR, _COMPRESSION, _BITS_PER_SAMPLE = 284, 259, 258


def readable_page(im, reopen):
    """``im`` (opened by Pillow) at :func:`full_resolution_page`, or, for a TIFF whose picture Pillow's own reader
    would misread, ``reopen()`` (the same bytes opened again) read by libtiff, at that page.

    Pillow reads an uncompressed TIFF itself, and one whose samples lie in separate planes (PlanarConfiguration 2,
    as scientific and some scanning software write RGB) plane by plane with an 8-bit reader whatever their depth:
    a 16-bit one came out striped, each row two half rows of its plane's bytes, and until 2026-12-06 was scored so
    (a sharp photo ``partial``, ``laplacian_var`` 4 to 63 times the picture's), where the same picture compressed,
    which libtiff reads, or stored interleaved, was scored as itself."""
    full_resolution_page(im)
    if getattr(im, "format", None) != "TIFF":
        return im
    try:
        tags = im.tag_v2
        wide = tags.get(_PLANAR, 1) == 2 and tags.get(_COMPRESSION, 1) == 1 \
            and max(tuple(tags.get(_BITS_PER_SAMPLE, (8,)))) > 8
    except (TypeError, ValueError, AttributeError):
        return im
    if not wide:
        return im
    from PIL import TiffImagePlugin

    saved, TiffImagePlugin.READ_LIBTIFF = TiffImagePlugin.READ_LIBTIFF, True  # (read at opening, and at each seek)
    try:
        im = reopen()
        full_resolution_page(im)
    finally:
        TiffImagePlugin.READ_LIBTIFF = saved
    return im


def white_is_zero(im) -> bool:
    """True for a 16-bit grey TIFF opened by Pillow whose samples are stored white-is-zero
    (PhotometricInterpretation 0, "MinIsWhite": 0 is white): Pillow inverts an 8-bit one as it reads it
    (mode ``L``), but gives a 16-bit one (``I;16``) as stored, a negative, which until 2026-12-06 was scored
    and shown so (:func:`blurscan.pixels.pil_to_rgb` now inverts it)."""
    if getattr(im, "format", None) != "TIFF" or not str(getattr(im, "mode", "")).startswith("I;16"):
        return False
    try:
        return int(im.tag_v2.get(_PHOTOMETRIC, 1)) == 0
    except (TypeError, ValueError, AttributeError):
        return False


def wide_integers(im) -> str | None:
    """``"unsigned"`` or ``"signed"`` for a TIFF opened by Pillow whose samples are 32-bit integers (mode ``I``,
    BitsPerSample 32, SampleFormat 1 or 2: one channel; Pillow reads no other), else None.

    Pillow gives an unsigned one as the bits of signed 32-bit integers (values past 2**31 negative), in the same
    mode ``I`` as a 16-bit grey PNG's 0..65535, and until 2026-12-06 it was read as one, clipped to 0..65535: a
    GIMP "32-bit integer" export came out as noise (a blurred photo scored ``sharp``, its thumbnail noise).
    :func:`blurscan.pixels.pil_to_rgb` now takes values past 65535 as 32 bits' full range (0..2**32-1; signed,
    0..2**31-1), as it takes 16 bits'; values up to 255 or 65535 stay read as an 8- or 16-bit picture's."""
    if getattr(im, "format", None) != "TIFF" or getattr(im, "mode", None) != "I":
        return None
    try:
        tags = im.tag_v2
        if max(tuple(tags.get(_BITS, (8,)))) != 32:
            return None
        return "signed" if 2 in tuple(tags.get(_SAMPLE_FORMAT, (1,))) else "unsigned"
    except (TypeError, ValueError, AttributeError):
        return None


def signed_16(im) -> bool:
    """True for a grey TIFF opened by Pillow whose samples are signed 16-bit integers (BitsPerSample 16,
    SampleFormat 2, as some scientific and medical software write grey): Pillow gives it as mode ``I``, the
    values -32768..32767 as they are, which until 2026-12-07 were read as a 16-bit PNG's 0..65535, so the
    picture came out half as bright (a scan's detail a quarter of its own, ``laplacian_var`` 4 times lower; its
    thumbnail dark). :func:`blurscan.pixels.pil_to_rgb` now takes 0..32767 as its range, negative values black,
    as it takes a signed 32-bit TIFF's 0..2**31-1."""
    return _signed(im, "I", 16)


def signed_8(im) -> bool:
    """True for a grey TIFF opened by Pillow whose samples are signed 8-bit integers (BitsPerSample 8, SampleFormat
    2): Pillow gives it as mode ``L``, each value's byte as it is: 0..127 as a picture's 0..127 of 255 (half as
    bright) and -128..-1 as 128..255 (the darkest bright). :func:`blurscan.pixels.pil_to_rgb` takes 0..127 as its
    range, negative values black, as for :func:`signed_16` (until 2026-12-07 read as its bytes)."""
    return _signed(im, "L", 8)


def _signed(im, mode: str, bits: int) -> bool:
    if getattr(im, "format", None) != "TIFF" or getattr(im, "mode", None) != mode:
        return False
    try:
        tags = im.tag_v2
        return max(tuple(tags.get(_BITS, (8,)))) == bits and _SIGNED in tuple(tags.get(_SAMPLE_FORMAT, (1,)))
    except (TypeError, ValueError, AttributeError):
        return False


def _reduced(im) -> bool:
    try:
        return bool(int(im.tag_v2.get(_NEW_SUBFILE_TYPE, 0)) & _REDUCED)
    except (TypeError, ValueError, AttributeError):
        return False
