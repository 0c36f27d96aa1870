"""JPEGs of the rarer kinds (blurscan.jpegkind): lossless ones are scored, 12-bit ones are named, not "corrupt".

Until 2026-12-04 a lossless colour JPEG (SOF3, which libjpeg-turbo decodes) was `corrupt JPEG (decoder failed)`:
blurscan asks libjpeg for the luma first, and its lossless mode cannot turn colour into grey (nor grey into
colour, nor scale: a lossless grey JPEG failed the colour and fast paths). A 12-bit JPEG, which neither OpenCV's
nor Pillow's libjpeg reads, was `corrupt JPEG (cannot read header)`.
"""
from __future__ import annotations

import functools
import io
import struct

import cv2
import numpy as np
import pytest
from PIL import Image

from blurscan import jpeg, jpegkind
from blurscan.analysis import analysis_size
from blurscan.config import ScanSettings
from blurscan.decode import decode, thumbnail
from blurscan.errors import DecodeError
from blurscan.measures import laplacian_var
from blurscan.pipeline import scan
from helpers_images import textured

SIZE = (900, 1200)  # large enough for the DCT-scaled decodes of the usual path


def lossless_jpeg(img: np.ndarray) -> bytes:
    """A lossless JPEG (SOF3) of an 8-bit grey or RGB image: predictor 1 (the left neighbour; the one above in
    the first column), one Huffman table of 17 five-bit codes (code k for difference category k), components
    ``R G B`` (RGB, no colour transform) or one grey component."""
    planes = img[..., None] if img.ndim == 2 else img
    h, w, nc = planes.shape
    x = planes.astype(np.int64)
    pred = np.empty_like(x)
    pred[:, 1:] = x[:, :-1]
    pred[1:, 0] = x[:-1, 0]
    pred[0, 0] = 128
    diff = (x - pred).reshape(-1)  # the scan's order: row by row, each pixel's components in turn
    size = np.zeros(diff.shape, np.int64)
    nonzero = diff != 0
    size[nonzero] = np.floor(np.log2(np.abs(diff[nonzero]))).astype(np.int64) + 1
    value = (size << size) | np.where(diff >= 0, diff, diff + (1 << size) - 1)
    length = 5 + size
    j = np.arange(13)
    bits = ((value[:, None] >> np.maximum(length[:, None] - 1 - j, 0)) & 1)[j < length[:, None]]
    bits = np.concatenate([bits, np.ones(-bits.size % 8, np.int64)]).astype(np.uint8)  # padded with 1s
    scan_data = np.packbits(bits).tobytes().replace(b"\xff", b"\xff\x00")
    ids = b"RGB" if nc == 3 else b"\x01"

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    sof = struct.pack(">BHHB", 8, h, w, nc) + b"".join(bytes([c, 0x11, 0]) for c in ids)
    dht = bytes([0, 0, 0, 0, 0, 17] + [0] * 11) + bytes(range(17))
    sos = bytes([nc]) + b"".join(bytes([c, 0]) for c in ids) + b"\x01\x00\x00"
    return (b"\xff\xd8" + segment(0xC3, sof) + segment(0xC4, dht) + segment(0xDA, sos) + scan_data
            + b"\xff\xd9")


def _baseline_jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _patched(data: bytes, marker: int, precision: int = 8) -> bytes:
    """A baseline JPEG whose frame header says another coding process or sample precision."""
    at = data.index(b"\xff\xc0")
    return data[:at + 1] + bytes([marker]) + data[at + 2:at + 4] + bytes([precision]) + data[at + 5:]


def test_the_crafted_lossless_jpegs_are_what_libjpeg_reads_and_refuses():
    """The files of these tests: decoded exactly as stored, and refused as the real ones (made by imagecodecs)
    are when blurscan's usual calls ask for the other colour kind."""
    rgb = textured(seed=3, size=(60, 80))
    for img, other in ((rgb, cv2.IMREAD_GRAYSCALE), (rgb[..., 1].copy(), cv2.IMREAD_COLOR)):
        buf = np.frombuffer(lossless_jpeg(img), np.uint8)
        stored = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
        assert np.array_equal(stored, img[..., ::-1] if img.ndim == 3 else img)
        assert cv2.imdecode(buf, other) is None
        assert jpegkind.frame(buf.tobytes()) == (0xC3, 8, img.ndim * 2 - 3)


@functools.lru_cache(maxsize=None)
def _lossless_scan(colour: bool) -> tuple[np.ndarray, np.ndarray, bytes]:
    """``(rgb, img, data)``: the decode tests' picture, the colour or grey image of it, and its lossless JPEG, made
    once for the four decodes of each (the encoding above took a second or more each time); the arrays read-only."""
    rgb = textured(seed=8, size=SIZE)
    img = rgb if colour else np.ascontiguousarray(rgb[..., 1])
    data = lossless_jpeg(img)
    rgb.flags.writeable = img.flags.writeable = False
    return rgb, img, data


@pytest.mark.slow
@pytest.mark.parametrize("colour", [True, False], ids=["colour", "grey"])
@pytest.mark.parametrize("baseline,color", [(True, False), (True, True), (False, False), (False, True)])
def test_a_lossless_jpeg_is_decoded(tmp_path, monkeypatch, colour, baseline, color):
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    rgb, img, data = _lossless_scan(colour)
    path = tmp_path / "scan.jpg"
    path.write_bytes(data)
    got = decode(path, baseline=baseline, color=color)
    gray_full = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) if colour else img
    tw, th = analysis_size(SIZE[1], SIZE[0], 1024)
    assert (got.width, got.height, got.format) == (SIZE[1], SIZE[0], "JPEG")
    assert got.gray.shape == (th, tw)
    assert got.laplacian_var == (laplacian_var(gray_full) if baseline else None)
    assert (got.rgb is not None) == color
    if color:
        want = cv2.resize(rgb if colour else cv2.cvtColor(img, cv2.COLOR_GRAY2RGB), (tw, th),
                          interpolation=cv2.INTER_AREA)
        assert np.array_equal(got.rgb, want)
    else:
        assert np.array_equal(got.gray, cv2.resize(gray_full, (tw, th), interpolation=cv2.INTER_AREA))


@pytest.mark.slow
def test_a_lossless_jpeg_is_scanned_and_has_a_thumbnail(tmp_path):
    rgb = textured(seed=9, size=SIZE)
    (tmp_path / "lossless.jpg").write_bytes(lossless_jpeg(rgb))
    (tmp_path / "lossless_grey.jpg").write_bytes(lossless_jpeg(np.ascontiguousarray(rgb[..., 0])))
    records = list(scan([str(tmp_path)], ScanSettings(workers=1)))
    assert [(r.error, r.verdict) for r in records] == [(None, "sharp")] * 2
    for name in ("lossless.jpg", "lossless_grey.jpg"):
        thumb = Image.open(io.BytesIO(thumbnail(tmp_path / name, 256)))
        assert thumb.size == (256, 192)


def test_a_lossless_jpeg_is_analysed_at_the_size_its_png_is(tmp_path):
    """At a block-scaled size (2000 px: 1000, an exact 2 x 2 average, as a PNG or any JPEG there), not resized to
    1024 px: until 2026-12-05 the same pixels scored otherwise as a lossless JPEG and as a PNG."""
    from helpers_cli import jsonl, run
    from helpers_images import blurred

    img = cv2.cvtColor(blurred(textured(seed=4, size=(300, 2000)), 1.5), cv2.COLOR_RGB2GRAY)
    (tmp_path / "lossless.jpg").write_bytes(lossless_jpeg(img))
    Image.fromarray(img).save(tmp_path / "same.png")
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    jpg, png = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert jpg["format"] == "JPEG" and png["format"] == "PNG"
    for key in ("p_blurry", "laplacian_var_norm", "tenengrad", "laplacian_var", "verdict", "grid"):
        assert jpg[key] == png[key], key
    assert decode(tmp_path / "lossless.jpg", color=False).gray.shape == (150, 1000)


@pytest.mark.parametrize("marker,precision,reason", [
    (0xC1, 12, "unsupported JPEG: 12-bit samples (blurscan reads 8-bit JPEGs)"),
    (0xC3, 16, "unsupported JPEG: 16-bit samples (blurscan reads 8-bit JPEGs)"),
    (0xC5, 8, "unsupported JPEG: hierarchical coding"),
])
def test_a_jpeg_of_a_kind_libjpeg_does_not_read_is_named_not_corrupt(tmp_path, monkeypatch, marker, precision,
                                                                      reason):
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    path = tmp_path / "deep.jpg"
    path.write_bytes(_patched(_baseline_jpeg(textured(seed=2, size=(240, 320))), marker, precision))
    for kwargs in ({}, {"baseline": False}, {"color": False}):
        with pytest.raises(DecodeError) as info:
            decode(path, **kwargs)
        assert info.value.reason == reason and str(info.value) == f"{path}: {reason}"
    with pytest.raises(DecodeError, match=f"^{path}: {reason}$".replace("(", r"\(").replace(")", r"\)")):
        thumbnail(path)
    (record,) = scan([str(path)], ScanSettings(model="none", workers=1))
    assert record.error == reason


def test_the_frame_header_is_found_past_other_segments_and_stray_bytes():
    data = _baseline_jpeg(textured(seed=2, size=(24, 32)))
    app = b"\xff\xe1" + struct.pack(">H", 2 + 5000) + b"\xff\xc1" * 2500  # EXIF-like bytes that look like markers
    shifted = data[:2] + app + b"\xff\xff\x00" + data[2:]  # fill, and a stray byte
    assert jpegkind.frame(data) == jpegkind.frame(shifted) == (0xC0, 8, 3)
    assert jpegkind.frame(data[:20]) is None and jpegkind.frame(b"\x89PNG") is None
    assert jpegkind.unsupported(shifted) is None
