"""A WebP, HEIC or PNG whose data stops part way and whose file is filled up with zero bytes to its full size: a
photo a sync tool or a downloader is still writing in place (as a JPEG's, tests/test_decode_zero_tail.py). The
decoders read the zeros as picture data: a half-written WebP's or HEIC's lower part came out flat grey blocks and
was scored (``ok``, a verdict, until 2026-12-06); a PNG was refused as ``corrupt PNG: broken PNG file (bad header
checksum in b'IDAT')``. Each is a ``truncated`` file now, that says it looks still being written; and a whole file
that ends in zero bytes of its own (a flat picture's WebP, padding after the last chunk or box) is read as before."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from blurscan import heif
from blurscan.decode import decode
from blurscan.unfinished import HEVC_ZEROS, zero_filled

from helpers_cli import run
from helpers_images import textured

FORMATS = {"WEBP": ("webp", {"quality": 85}), "HEIF": ("heic", {"quality": 85}), "PNG": ("png", {})}


def _photo() -> Image.Image:
    rng = np.random.default_rng(5)
    img = np.clip(textured(5, (480, 640)).astype(int) + rng.normal(0, 20, (480, 640, 3)), 0, 255)
    return Image.fromarray(img.astype(np.uint8))


def _encoded(im: Image.Image, fmt: str, **kw) -> bytes:
    if fmt == "HEIF":
        heif.register_opener()
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _half_written(data: bytes, share: float) -> bytes:
    """``data``'s full size, the first ``share`` of it written, the rest zero bytes."""
    cut = int(len(data) * share)
    return data[:cut] + bytes(len(data) - cut)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_scan_stores_no_verdict_for_a_file_being_written(tmp_path, fmt):
    """``blurscan scan`` while a sync tool writes the photo in place: an error record that names the file and says
    it looks unfinished, no verdict; once whole (its time set anew, as sync tools do), the next scan scores it."""
    suffix, kw = FORMATS[fmt]
    data = _encoded(_photo(), fmt, **kw)
    lib = tmp_path / "Sync"
    lib.mkdir()
    for share in (0.4, 0.7):
        path = lib / f"IMG_{int(share * 100)}.{suffix}"
        path.write_bytes(_half_written(data, share))
    out = run("scan", lib, "--format", "jsonl")
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) == 2
    for rec in records:
        assert rec["status"] == "error", rec
        assert rec["error"] == f"truncated {fmt} (zero bytes where the rest of its data should be: a file still " \
                               "being written?)", rec
    assert f"IMG_40.{suffix}: truncated {fmt}" in out.stderr
    for rec in records:
        with open(rec["path"], "r+b") as f:
            f.write(data)
    records = [json.loads(line) for line in run("scan", lib, "--format", "jsonl").stdout.splitlines()]
    assert [r["status"] for r in records] == ["ok", "ok"], records


def _whole_files():
    """Whole files that end in zero bytes of their own, or carry none: photos, flat pictures (a WebP of one grey
    ends in 580 zero bytes, one of 1 x 1 pixel in 6), tiny ones."""
    flat = Image.new("RGB", (3000, 2000), (128, 128, 128))
    for name, im in (("photo", _photo()), ("flat", flat), ("black", Image.new("RGB", (640, 480))),
                     ("one pixel", Image.new("RGB", (1, 1))), ("block", Image.new("RGB", (16, 16), (90, 90, 90)))):
        for fmt, (_, kw) in FORMATS.items():
            if not (fmt == "HEIF" and name == "flat"):  # (slow to encode, and no different from the black one)
                yield name, fmt, _encoded(im, fmt, **kw)
        yield name, "WEBP", _encoded(im, "WEBP", quality=10)


@pytest.mark.slow
def test_whole_files_ending_in_zero_bytes_are_read(tmp_path):
    """No whole file is taken for one being written: not with zero bytes of its own at its end, nor with zero
    padding after its last chunk or box; and it decodes as before."""
    seen = 0
    for name, fmt, data in _whole_files():
        seen += data.endswith(b"\x00")
        for pad in (0, 1, 7, 5000):
            assert not zero_filled(data + bytes(pad), fmt), (name, fmt, pad)
        path = tmp_path / f"{name}.{FORMATS[fmt][0]}"
        path.write_bytes(data + bytes(5000))
        assert decode(path).width == Image.open(io.BytesIO(data)).width
    assert seen >= 3  # (the flat and tiny WebPs end in zero bytes of their own)


def test_damaged_headers_are_left_to_the_decoder():
    """Headers cut or overwritten anywhere, then zero bytes: the check answers (no exception, which a scan would
    print as ``cannot decode: IndexError``), and a header it cannot walk is the decoder's to judge."""
    for fmt, (_, kw) in FORMATS.items():
        data = _encoded(Image.new("RGB", (64, 48), (40, 90, 160)), fmt, **kw)
        for cut in range(0, min(len(data), 400), 3):
            assert zero_filled(data[:cut] + bytes(300), fmt) in (True, False)
            damaged = bytearray(data)
            damaged[cut] ^= 0xFF
            assert zero_filled(bytes(damaged) + b"\x00", fmt) in (True, False)


def test_a_whole_webp_with_a_flat_lower_part_is_scored(tmp_path):
    """A lossy WebP coded without skipping flat macroblocks (``cwebp -m 0``, a fast encoder's choice) codes each
    flat one's blocks as ends of block, which come out zero bytes: this photo with a black lower half ends in
    thousands of them, more than one a macroblock, and was refused as ``truncated WEBP`` (a file still being
    written?) though whole (until 2026-12-06). It is scored; copies of it half written in place still are not."""
    img = np.asarray(_photo()).copy()
    img[240:] = 0
    data = _encoded(Image.fromarray(img), "WEBP", quality=75, method=0)
    assert len(data) - len(data.rstrip(b"\x00")) > 40 * 30  # (more zero bytes of its own than macroblocks)
    lib = tmp_path / "Phone"
    lib.mkdir()
    (lib / "night.webp").write_bytes(data)
    for share in (0.1, 0.3):
        (lib / f"night_{int(share * 100)}.webp").write_bytes(_half_written(data, share))
    records = {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, run("scan", lib, "--format", "jsonl")
                                                            .stdout.splitlines())}
    assert records["night.webp"]["status"] == "ok", records["night.webp"]
    assert records["night.webp"]["verdict"] in ("sharp", "blurry", "partial")
    for name in ("night_10.webp", "night_30.webp"):
        assert records[name]["error"].startswith("truncated WEBP (zero bytes where"), records[name]


def test_files_missing_only_their_last_bytes_are_refused(tmp_path):
    """A HEIC whose last 64 bytes never came (more than :data:`HEVC_ZEROS`) and a WebP missing three bytes a
    macroblock are still being written: their lowest rows would decode grey. Neither is scored."""
    lib = tmp_path / "Sync"
    lib.mkdir()
    for fmt, missing in (("HEIF", 64), ("WEBP", 3 * 40 * 30)):
        suffix, kw = FORMATS[fmt]
        data = _encoded(_photo(), fmt, **kw)
        (lib / f"IMG.{suffix}").write_bytes(data[:-missing] + bytes(missing))
    records = [json.loads(line) for line in run("scan", lib, "--format", "jsonl").stdout.splitlines()]
    assert sorted(r["error"].split(" (")[0] for r in records) == ["truncated HEIF", "truncated WEBP"], records


def test_a_whole_heic_whose_exif_ends_in_zero_bytes_is_scored(tmp_path):
    """A HEIC's Exif item, stored after its picture, may end in zero padding of its own (cameras pad their Exif):
    only the HEVC picture's items are told, never its metadata's, so the whole photo is scored."""
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    data = _encoded(_photo(), "HEIF", quality=85, exif=exif.tobytes() + bytes(64))
    assert data.endswith(bytes(HEVC_ZEROS))  # (the Exif item, last in the file, ends in its padding)
    (tmp_path / "IMG_0001.heic").write_bytes(data)
    records = [json.loads(line) for line in run("scan", tmp_path, "--format", "jsonl").stdout.splitlines()]
    assert [r["status"] for r in records] == ["ok"], records


def test_a_webp_written_less_than_its_modes_is_refused(tmp_path):
    """A smooth picture's WebP at a low quality, a tenth written: its zeros run from its first partition (the
    macroblocks' modes) through all of its coefficients, too few zero bytes for the decoder to finish the picture
    with or without its last ones; one the decoder cannot finish is told unfinished, not ``cannot decode``."""
    stripes = (np.add.outer(np.arange(960), np.arange(1280)) % 256).astype(np.uint8)
    data = _encoded(Image.fromarray(stripes).convert("RGB"), "WEBP", quality=5)
    (tmp_path / "IMG.webp").write_bytes(_half_written(data, 0.1))
    records = [json.loads(line) for line in run("scan", tmp_path, "--format", "jsonl").stdout.splitlines()]
    assert records[0]["error"].startswith("truncated WEBP (zero bytes where"), records


def test_a_webp_over_the_pixel_limit_is_not_decoded_to_be_told(tmp_path):
    """Telling a WebP's zeros from its own code decodes it; one over ``--max-pixels`` is not decoded for that (a
    decompression bomb ending in zero bytes would be): it is refused as over the limit, as every other format."""
    (tmp_path / "IMG.webp").write_bytes(_half_written(_encoded(_photo(), "WEBP", quality=85), 0.4))
    out = run("scan", tmp_path, "--format", "jsonl", "--max-pixels", "100000")
    error = json.loads(out.stdout)["error"]
    assert error.startswith("decompression bomb: 307200 pixels > limit 100000"), error
