"""Camera RAW files for tests: real DNGs (Adobe's open RAW format) made from an RGB image.

The sensor data is the image mosaicked through an RGGB colour filter array in linear light (12 bits), as a
camera records it; LibRaw reads and develops it like any camera's DNG. A preview can be embedded the way
cameras and Adobe's converter do: a JPEG in IFD0 (compression 7, YCbCr), or an uncompressed RGB image.
tifffile writes the TIFF structure; it cannot JPEG-compress without the imagecodecs package, so IFD0 is
written as a zlib-compressed blank of the right size and then pointed at the JPEG appended to the file.
"""
from __future__ import annotations

import io
import struct
from fractions import Fraction
from pathlib import Path

import numpy as np
import tifffile
from PIL import Image

WHITE = 4095  # 12-bit sensor


def mosaic(rgb: np.ndarray) -> np.ndarray:
    """RGGB Bayer mosaic of an sRGB-ish uint8 image, in linear light, 12 bits (even size)."""
    h, w = (rgb.shape[0] // 2) * 2, (rgb.shape[1] // 2) * 2
    lin = (rgb[:h, :w].astype(np.float32) / 255.0) ** 2.2 * WHITE
    cfa = np.empty((h, w), np.uint16)
    cfa[0::2, 0::2] = lin[0::2, 0::2, 0]
    cfa[0::2, 1::2] = lin[0::2, 1::2, 1]
    cfa[1::2, 0::2] = lin[1::2, 0::2, 1]
    cfa[1::2, 1::2] = lin[1::2, 1::2, 2]
    return cfa


def write_dng(path: Path, rgb: np.ndarray, *, preview: str | None = "jpeg", preview_rgb: np.ndarray | None = None,
              orientation: int = 1, captured: str = "2024:07:14 18:03:22", exif: dict | None = None) -> Path:
    """Write ``rgb`` as a DNG at ``path``.

    ``preview``: ``"jpeg"`` (the camera's JPEG of ``preview_rgb``, default ``rgb`` itself), ``"bitmap"``
    (uncompressed RGB) or None (sensor data only). ``orientation``: the EXIF value in IFD0; ``captured``: IFD0
    DateTime. ``exif``: ASCII tags of an Exif IFD that IFD0 points to, as cameras write it (``{0x9003:
    "2024:06:01 10:00:00", 0x9291: "45"}``: DateTimeOriginal, SubSecTimeOriginal), or ``{"pointer": N}`` for an
    IFD0 pointing at offset ``N`` (a damaged or hostile file); None for none.
    """
    cfa = mosaic(rgb)
    h, w = cfa.shape
    shown = np.ascontiguousarray((rgb if preview_rgb is None else preview_rgb))
    head = [(50706, "B", 4, (1, 4, 0, 0), True), (50708, "s", 0, "blurscan test camera", True),
            (274, "H", 1, orientation, True), (306, "s", 0, captured, True)]
    if exif is not None:
        # tifffile does not write tag 34665: a tag of the number before it (its place in IFD0's sorted entries) is
        # written, and turned into the Exif IFD's pointer once that IFD is in the file
        head.append((EXIF_IFD - 1, "I", 1, 0, True))
    sensor = [(33421, "H", 2, (2, 2), True), (33422, "B", 4, (0, 1, 1, 2), True), (50717, "I", 1, WHITE, True),
              (50721, "2i", 9, (1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1), True),  # ColorMatrix1
              (50778, "H", 1, 21, True), (50728, "2I", 3, (1, 1) * 3, True)]  # D65, AsShotNeutral
    jpeg = None
    with tifffile.TiffWriter(path) as tw:
        if preview == "jpeg":
            buf = io.BytesIO()
            Image.fromarray(shown).save(buf, "JPEG", quality=92)
            jpeg = buf.getvalue()
            tw.write(np.zeros(shown.shape, np.uint8), photometric="rgb", compression="zlib",
                     rowsperstrip=shown.shape[0], subfiletype=1, subifds=1, extratags=head)
        elif preview == "bitmap":
            tw.write(shown, photometric="rgb", subfiletype=1, subifds=1, extratags=head)
        else:
            head, sensor = [], head + sensor
        tw.write(cfa, photometric=32803, subfiletype=0, bitspersample=16, extratags=sensor)
    if exif is not None:
        _add_exif_ifd(path, exif)
    if jpeg is not None:
        _point_ifd0_at_jpeg(path, jpeg)
    return path


EXIF_IFD = 34665


def ifd0_offset(path: Path) -> int:
    """Where IFD0 of the (little-endian) TIFF ``path`` begins."""
    return int.from_bytes(path.read_bytes()[4:8], "little")


def _add_exif_ifd(path: Path, exif: dict) -> None:
    """Append an Exif IFD of the ASCII tags ``exif`` to the file and point IFD0's Exif IFD tag at it (or at
    ``exif["pointer"]``). An int value is written as a SHORT (ExposureMode), a Fraction as an SRATIONAL
    (ExposureBiasValue)."""
    data = path.read_bytes()
    assert data[:2] == b"II"  # (tifffile writes this machine's byte order)
    ifd0 = ifd0_offset(path)
    count = int.from_bytes(data[ifd0:ifd0 + 2], "little")
    slots = [ifd0 + 2 + 12 * i for i in range(count)]
    [slot] = [s for s in slots if int.from_bytes(data[s:s + 2], "little") == EXIF_IFD - 1]
    start = len(data) + len(data) % 2  # (IFDs begin on a word boundary)
    texts, kinds = {}, {}
    for tag, value in exif.items():
        if tag == "pointer":
            continue
        if isinstance(value, Fraction):  # (SRATIONAL: its 8 bytes after the IFD, as a text's)
            texts[tag], kinds[tag] = struct.pack("<ii", value.numerator, value.denominator), 10
        elif isinstance(value, int):  # (SHORT: in the entry itself)
            texts[tag], kinds[tag] = struct.pack("<H", value), 3
        else:
            texts[tag], kinds[tag] = str(value).encode("ascii") + b"\x00", 2
    where = start + 2 + 12 * len(texts) + 4  # the texts follow the IFD
    entries = b""
    for tag in sorted(texts):
        text = texts[tag]
        value = text.ljust(4, b"\x00") if len(text) <= 4 else where.to_bytes(4, "little")
        where += len(text) if len(text) > 4 else 0
        count = 1 if kinds[tag] != 2 else len(text)
        entries += tag.to_bytes(2, "little") + kinds[tag].to_bytes(2, "little") + count.to_bytes(4, "little") + value
    table = b"".join(texts[tag] for tag in sorted(texts) if len(texts[tag]) > 4)
    ifd = len(texts).to_bytes(2, "little") + entries + (0).to_bytes(4, "little") + table
    with open(path, "r+b") as fh:
        fh.seek(len(data))
        fh.write(b"\x00" * (start - len(data)) + ifd)
        fh.seek(slot)
        fh.write(EXIF_IFD.to_bytes(2, "little"))
        fh.seek(slot + 8)
        fh.write(int(exif.get("pointer", start)).to_bytes(4, "little"))


def _point_ifd0_at_jpeg(path: Path, jpeg: bytes) -> None:
    with open(path, "ab") as fh:
        offset = fh.tell()
        fh.write(jpeg)
    with tifffile.TiffFile(path) as tf:
        tags = tf.pages[0].tags
        order = "little" if tf.byteorder == "<" else "big"
        # Compression 7 (JPEG), PhotometricInterpretation 6 (YCbCr), the one strip's offset and length
        slots = [(tags[259], 7), (tags[262], 6), (tags[273], offset), (tags[279], len(jpeg))]
        slots = [(t.valueoffset, 2 if int(t.dtype) == 3 else 4, v) for t, v in slots]
    with open(path, "r+b") as fh:
        for pos, width, value in slots:
            fh.seek(pos)
            fh.write(int(value).to_bytes(width, order))
