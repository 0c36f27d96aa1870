"""Decoding: formats, EXIF, reduced decoding, the seed baseline, and every way a file can be bad."""
from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from blurscan import decode as decode_mod
from blurscan.config import ScanSettings
from blurscan.decode import analysis_size, decode, decode_array, thumbnail
from blurscan.errors import BlurscanError, DecodeError

from helpers_os import run_unprivileged


def seed_laplacian(path) -> float:
    """The seed script, verbatim."""
    img = cv2.imread(os.fspath(path))
    return cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()


def photo(shared_data=None, size=(240, 320)) -> np.ndarray:
    """A real photo crop when the shared data is there, else a generated scene with edges and texture."""
    h, w = size
    if shared_data is not None:
        src = np.asarray(Image.open(shared_data / "kodak24" / sorted(os.listdir(shared_data / "kodak24"))[0])
                         .convert("RGB"))
        if src.shape[0] >= h and src.shape[1] >= w:
            return np.ascontiguousarray(src[:h, :w])
    rng = np.random.default_rng(1)
    img = np.zeros((h, w, 3), np.uint8)
    for _ in range(40):
        x, y = rng.integers(0, w), rng.integers(0, h)
        cv2.circle(img, (int(x), int(y)), int(rng.integers(5, 40)), rng.integers(0, 256, 3).tolist(), -1)
    return np.clip(img.astype(int) + rng.integers(-20, 21, img.shape), 0, 255).astype(np.uint8)


def asym(h=60, w=80) -> np.ndarray:
    """An image whose every orientation is distinguishable (gradients in both axes, a marked corner)."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.dstack([x * 255 // w, y * 255 // h, np.full_like(x, 60)]).astype(np.uint8)
    img[:12, :20] = (255, 255, 255)
    return img


# ----------------------------------------------------------------------------------------- formats

@pytest.mark.parametrize("fmt,suffix,lossless", [
    ("JPEG", ".jpg", False), ("PNG", ".png", True), ("WEBP", ".webp", False), ("TIFF", ".tif", True),
    ("BMP", ".bmp", True), ("HEIF", ".heic", False), ("AVIF", ".avif", False),
])
def test_every_format_decodes(tmp_path, fmt, suffix, lossless):
    src = photo(None)
    path = tmp_path / f"img{suffix}"
    kwargs = {"quality": 95} if not lossless else {}
    Image.fromarray(src).save(path, **kwargs)
    d = decode(path)
    assert d.format == fmt
    assert (d.width, d.height) == (320, 240)
    assert d.rgb.shape == (240, 320, 3) and d.rgb.dtype == np.uint8
    assert d.gray.shape == (240, 320) and d.gray.dtype == np.uint8
    diff = np.abs(d.rgb.astype(int) - src.astype(int)).mean()
    assert diff == 0 if lossless else diff < 8
    assert d.size == path.stat().st_size and d.mtime_ns == path.stat().st_mtime_ns
    assert d.path == os.fspath(path)
    assert d.laplacian_var > 100  # a sharp image


def test_gray_is_opencv_luma_of_rgb(tmp_path):
    path = tmp_path / "a.png"
    Image.fromarray(photo(None)).save(path)
    d = decode(path)
    assert np.array_equal(d.gray, cv2.cvtColor(d.rgb, cv2.COLOR_RGB2GRAY))


def test_gif_first_frame_and_palette(tmp_path):
    a, b = asym(), 255 - asym()
    frames = [Image.fromarray(a).convert("P"), Image.fromarray(b).convert("P")]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    d = decode(path)
    assert d.format == "GIF" and (d.width, d.height) == (80, 60)
    first = np.asarray(Image.open(path).convert("RGB"))
    assert np.array_equal(d.rgb, first)
    assert np.abs(d.rgb.astype(int) - a).mean() < np.abs(d.rgb.astype(int) - b).mean()


def test_palette_png_with_transparency(tmp_path):
    img = Image.fromarray(asym()).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    img.info["transparency"] = 0
    path = tmp_path / "p.png"
    img.save(path, transparency=0)
    d = decode(path)
    pal = np.asarray(img)
    assert (d.rgb[pal == 0] == 255).all()  # transparent pixels shown on white


def test_rgba_png_composited_on_white(tmp_path):
    rgb = asym()
    alpha = np.full(rgb.shape[:2], 255, np.uint8)
    alpha[:, :40] = 0
    alpha[:, 40:50] = 128
    path = tmp_path / "a.png"
    Image.fromarray(np.dstack([rgb, alpha])).save(path)
    d = decode(path)
    assert (d.rgb[:, :40] == 255).all()
    assert np.array_equal(d.rgb[:, 50:], rgb[:, 50:])
    half = (rgb[:, 40:50].astype(int) * 128 + 255 * 127 + 127) // 255
    assert np.abs(d.rgb[:, 40:50].astype(int) - half).max() <= 1


def test_cmyk_jpeg(tmp_path):
    src = photo(None)
    path = tmp_path / "cmyk.jpg"
    Image.fromarray(src).convert("CMYK").save(path, quality=95)
    assert Image.open(path).mode == "CMYK"
    d = decode(path)
    assert d.format == "JPEG" and d.rgb.shape == src.shape
    expected = np.asarray(Image.open(path).convert("RGB"))
    assert np.abs(d.rgb.astype(int) - expected).max() <= 1
    assert d.laplacian_var == pytest.approx(
        cv2.Laplacian(cv2.cvtColor(expected, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var(), rel=1e-9)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
@pytest.mark.parametrize("channels", [1, 3])
def test_16_bit(tmp_path, suffix, channels):
    src8 = photo(None)
    if channels == 1:
        src8 = cv2.cvtColor(src8, cv2.COLOR_RGB2GRAY)
    src16 = src8.astype(np.uint16) * 257  # exact 8-bit values, 16-bit container
    path = tmp_path / f"deep{suffix}"
    assert cv2.imwrite(os.fspath(path), src16 if channels == 1 else src16[:, :, ::-1])
    assert cv2.imread(os.fspath(path), cv2.IMREAD_UNCHANGED).dtype == np.uint16
    d = decode(path)
    expected = src8 if channels == 3 else np.dstack([src8] * 3)
    assert np.abs(d.rgb.astype(int) - expected).max() <= 1
    assert d.laplacian_var == pytest.approx(seed_laplacian(path), rel=0.02)


def test_heic_written_by_pillow_heif(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    src = photo(None)
    heif = pillow_heif.from_bytes(mode="RGB", size=(src.shape[1], src.shape[0]), data=src.tobytes())
    path = tmp_path / "phone.HEIC"
    heif.save(path, quality=90)
    d = decode(path)
    assert d.format == "HEIF" and (d.width, d.height) == (320, 240)
    assert np.abs(d.rgb.astype(int) - src).mean() < 8


# ----------------------------------------------------------------------------------------- EXIF

@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_applied(tmp_path, orientation):
    src = asym()
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    Image.fromarray(src).save(path, exif=exif, quality=95)
    d = decode(path)
    expected = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))
    assert d.rgb.shape == expected.shape
    assert (d.width, d.height) == (expected.shape[1], expected.shape[0])
    if orientation in (5, 6, 7, 8):
        assert (d.width, d.height) == (60, 80)
    assert np.abs(d.rgb.astype(int) - expected).max() <= 3  # OpenCV and Pillow: both libjpeg-turbo
    # the baseline does not depend on orientation
    assert d.laplacian_var == pytest.approx(decode(_plain_copy(src, tmp_path)).laplacian_var, rel=1e-9)


def _plain_copy(src, tmp_path):
    path = tmp_path / "plain.jpg"
    if not path.exists():
        Image.fromarray(src).save(path, quality=95)
    return path


def test_exif_orientation_on_a_large_photo_gives_rotated_analysis_image(tmp_path):
    big = cv2.resize(asym(), (2000, 1500), interpolation=cv2.INTER_LINEAR)
    exif = Image.Exif()
    exif[0x0112] = 6  # camera held upright: stored landscape, shown portrait
    path = tmp_path / "portrait.jpg"
    Image.fromarray(big).save(path, exif=exif, quality=92)
    d = decode(path)
    assert (d.width, d.height) == (1500, 2000)
    assert d.rgb.shape == (1000, 750, 3)  # 1/2 DCT scaling, then rotated
    # the white marker (stored top-left) is now top-right
    assert d.gray[:40, -100:].mean() > 200 and d.gray[:40, :100].mean() < 200


def test_exif_fields(tmp_path):
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS R5"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:05:01 12:34:56"
    sub[0x9011] = "+02:00"
    sub[0x829A] = (1, 250)
    sub[0x829D] = (28, 10)
    sub[0x8827] = 400
    sub[0x920A] = (50, 1)
    path = tmp_path / "e.jpg"
    Image.fromarray(asym()).save(path, exif=exif)
    e = decode(path).exif
    assert e == {"captured_at": "2024-05-01T12:34:56+02:00", "make": "Canon", "model": "EOS R5",
                 "exposure_time": 0.004, "f_number": 2.8, "iso": 400, "focal_length": 50.0}


def test_exif_absent_or_broken_date(tmp_path):
    path = tmp_path / "n.jpg"
    Image.fromarray(asym()).save(path)
    assert decode(path).exif == {"captured_at": None}
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "0000:00:00 00:00:00"
    Image.fromarray(asym()).save(path, exif=exif)
    assert decode(path).exif["captured_at"] is None


def test_real_photos_with_camera_exif(shared_data):
    """Whatever EXIF the shared photos carry, decoding yields a plain, JSON-able dict."""
    import json

    for path in sorted((shared_data / "skimage").iterdir())[:8]:
        if path.suffix.lower() in (".jpg", ".png", ".tif", ".tiff"):
            d = decode(path)
            json.dumps(d.exif)
            assert "captured_at" in d.exif


# ----------------------------------------------------------------------------------------- reduced decode

def _big_jpeg(tmp_path, w=4000, h=3000, name="big.jpg") -> Path:
    rng = np.random.default_rng(5)
    tile = rng.integers(0, 256, (h // 10, w // 10, 3), dtype=np.uint8)
    img = cv2.resize(tile, (w, h), interpolation=cv2.INTER_NEAREST)
    path = tmp_path / name
    Image.fromarray(img).save(path, quality=90)
    return path


def test_12mp_jpeg_is_decoded_reduced(tmp_path, monkeypatch):
    path = _big_jpeg(tmp_path)
    calls = []
    real = cv2.imdecode

    def spy(buf, flags):
        out = real(buf, flags)
        calls.append((flags & ~cv2.IMREAD_IGNORE_ORIENTATION, out.shape))
        return out

    monkeypatch.setattr(decode_mod.cv2, "imdecode", spy)
    d = decode(path)
    assert (d.width, d.height) == (4000, 3000)
    # 1/4 DCT scaling lands at 1000 px, within DCT_SCALE_TOLERANCE of 1024: used as is, no resize
    assert d.rgb.shape == (750, 1000, 3)
    colour = [c for c in calls if c[0] != cv2.IMREAD_GRAYSCALE]
    assert colour == [(cv2.IMREAD_REDUCED_COLOR_4, (750, 1000, 3))]  # never a full colour decode
    assert [c for c in calls if c[0] == cv2.IMREAD_GRAYSCALE] == [(cv2.IMREAD_GRAYSCALE, (3000, 4000))]

    calls.clear()
    fast = decode(path, baseline=False)  # fast mode: no full-resolution pass at all
    assert fast.laplacian_var is None
    assert [c[0] for c in calls] == [cv2.IMREAD_REDUCED_COLOR_4]
    assert np.array_equal(fast.rgb, d.rgb)


def test_fast_mode_setting(tmp_path):
    path = _big_jpeg(tmp_path, 1600, 1200)
    assert decode(path, ScanSettings(full_res_baseline=False)).laplacian_var is None
    assert decode(path, ScanSettings()).laplacian_var > 0
    assert ScanSettings(full_res_baseline=False).cache_hash() != ScanSettings().cache_hash()


def test_other_sizes_reduce_then_resize_to_exact_analysis_size(tmp_path, monkeypatch):
    path = _big_jpeg(tmp_path, 4600, 3450, name="16mp.jpg")  # 1/4 -> 1150 px: resized to 1024
    flags = []
    real = cv2.imdecode
    monkeypatch.setattr(decode_mod.cv2, "imdecode", lambda b, f: flags.append(f) or real(b, f))
    d = decode(path, baseline=False)
    assert d.rgb.shape == (768, 1024, 3) and (d.width, d.height) == (4600, 3450)
    assert flags == [cv2.IMREAD_REDUCED_COLOR_4 | cv2.IMREAD_IGNORE_ORIENTATION]


def test_analysis_scale_setting_and_never_upscaled(tmp_path):
    path = _big_jpeg(tmp_path, 1600, 1200)
    assert decode(path, ScanSettings(analysis_long_side=512)).rgb.shape == (384, 512, 3)
    assert decode(path, ScanSettings(analysis_long_side=4096)).rgb.shape == (1200, 1600, 3)
    assert analysis_size(100, 50, 1024) == (100, 50)
    assert analysis_size(4032, 3024, 1024) == (1024, 768)


def test_reduced_decode_matches_full_decode_then_resize(tmp_path, shared_data):
    """DCT scaling + INTER_AREA is a faithful reduction: close to full decode + INTER_AREA."""
    path = sorted((shared_data / "div2k").glob("*.jpg"))[0]
    d = decode(path, ScanSettings(analysis_long_side=500))
    full = cv2.cvtColor(cv2.imread(os.fspath(path)), cv2.COLOR_BGR2RGB)
    ref = cv2.resize(full, (d.rgb.shape[1], d.rgb.shape[0]), interpolation=cv2.INTER_AREA)
    assert np.abs(d.rgb.astype(int) - ref).mean() < 2.0


# ----------------------------------------------------------------------------------------- baseline

def test_baseline_matches_seed_on_real_jpegs(shared_data, manifest):
    rows = [r for r in manifest if r["file"].lower().endswith(".jpg")][::25]
    assert len(rows) >= 10
    rel = []
    for r in rows:
        path = shared_data / r["file"]
        ours, seed = decode(path).laplacian_var, seed_laplacian(path)
        rel.append((ours - seed) / seed)
    rel = np.array(rel)
    # luma straight from libjpeg vs luma rebuilt from rounded RGB: documented, small, never large
    assert np.abs(rel).max() < 0.03, rel
    assert np.abs(np.median(rel)) < 0.01


def test_baseline_exactly_seed_for_png(tmp_path, shared_data):
    path = tmp_path / "x.png"
    Image.open(sorted((shared_data / "div2k").glob("*.jpg"))[1]).save(path)
    assert decode(path).laplacian_var == pytest.approx(seed_laplacian(path), rel=1e-12)


def test_decode_array(shared_data):
    rgb = np.asarray(Image.open(sorted((shared_data / "div2k").glob("*.jpg"))[0]).convert("RGB"))
    d = decode_array(rgb)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    assert d.laplacian_var == pytest.approx(cv2.Laplacian(gray, cv2.CV_64F).var(), rel=1e-12)
    assert (d.width, d.height) == (rgb.shape[1], rgb.shape[0])
    assert max(d.rgb.shape[:2]) == 1024 and d.rgb.shape[2] == 3
    g = decode_array(gray)
    assert g.laplacian_var == d.laplacian_var and g.rgb.shape == d.rgb.shape
    rgba = decode_array(np.dstack([rgb, np.full(gray.shape, 255, np.uint8)]))
    assert np.array_equal(rgba.rgb, d.rgb)
    deep = decode_array(rgb.astype(np.uint16) * 257)
    assert np.array_equal(deep.rgb, d.rgb)
    assert decode_array(rgb, baseline=False).laplacian_var is None
    with pytest.raises(DecodeError, match="not an image array"):
        decode_array(np.zeros((4, 4, 2), np.uint8))


# ----------------------------------------------------------------------------------------- thumbnail

def test_thumbnail_is_small_rotated_jpeg(tmp_path):
    big = cv2.resize(asym(), (2000, 1500))
    exif = Image.Exif()
    exif[0x0112] = 8
    path = tmp_path / "t.jpg"
    Image.fromarray(big).save(path, exif=exif)
    data = thumbnail(path, 256)
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG" and im.size == (192, 256)
    with pytest.raises(DecodeError, match="file is empty"):
        (tmp_path / "e.jpg").write_bytes(b"")
        thumbnail(tmp_path / "e.jpg")


# ----------------------------------------------------------------------------------------- bad files

def _jpeg_bytes(img=None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(photo(None) if img is None else img).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _expect(path, reason, **kwargs):
    with pytest.raises(DecodeError) as info:
        decode(path, **kwargs)
    err = info.value
    assert isinstance(err, BlurscanError)
    assert err.path == os.fspath(path)
    assert os.fspath(path) in str(err)
    assert reason in err.reason, err.reason
    assert "\n" not in str(err)
    return err


def test_truncated_jpeg(tmp_path):
    data = _jpeg_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    _expect(path, "truncated JPEG")


def test_jpeg_with_data_after_eoi_is_fine(tmp_path):
    """Motion photos append a video after the JPEG's end marker."""
    path = tmp_path / "motion.jpg"
    path.write_bytes(_jpeg_bytes() + b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000))
    d = decode(path)
    assert d.rgb.shape == (240, 320, 3) and d.laplacian_var > 0


def test_empty_file(tmp_path):
    path = tmp_path / "zero.jpg"
    path.write_bytes(b"")
    _expect(path, "file is empty")


def test_text_named_jpg(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("These are my holiday notes.\nNot a photo at all. Ünïcödé too.\n" * 20)
    _expect(path, "not an image (text file?)")


def test_unsupported_and_unknown_formats(tmp_path):
    pdf = tmp_path / "doc.jpg"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(500))
    _expect(pdf, "unsupported format")
    video = tmp_path / "clip.heic"
    video.write_bytes(b"\x00\x00\x00\x18ftypisom" + os.urandom(500))
    _expect(video, "unsupported format (video file)")
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x00\x01\x02\x03" + os.urandom(500))
    _expect(junk, "not an image")


def test_corrupt_png(tmp_path):
    png = io.BytesIO()
    Image.fromarray(photo(None)).save(png, format="PNG")
    data = bytearray(png.getvalue())
    n = len(data)
    data[n // 2:n // 2 + 200] = os.urandom(200)  # damaged in the middle of the pixel data
    path = tmp_path / "bad.png"
    path.write_bytes(bytes(data))
    _expect(path, "corrupt PNG")


def test_permission_denied_real():
    """A real mode-000 file refused by the kernel (as root, decoded by ``nobody`` in a forked child)."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="blurscan-decode-"))
    try:
        base.chmod(0o755)
        path = base / "secret.jpg"
        path.write_bytes(_jpeg_bytes())
        path.chmod(0)

        def attempt():
            try:
                decode(path)
            except DecodeError as err:
                return [err.path, err.reason, str(err)]
            return None

        got = run_unprivileged(attempt)
        assert got is not None, "an unreadable file decoded"
        assert got[0] == os.fspath(path) and got[1] == "permission denied" and os.fspath(path) in got[2]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_permission_denied_reported(tmp_path, monkeypatch):
    """The mapping of the OS error, independent of who runs the tests (root reads mode-000 files)."""
    path = tmp_path / "secret.jpg"
    path.write_bytes(_jpeg_bytes())
    real_open = os.open

    def deny(p, *args, **kwargs):
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(decode_mod.os, "open", deny)
    _expect(path, "permission denied")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def test_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(100_000, 100_000))
    assert path.stat().st_size < 200
    _expect(path, "decompression bomb: 10000000000 pixels > limit 200000000")
    small = tmp_path / "ok.jpg"
    small.write_bytes(_jpeg_bytes())
    _expect(small, "decompression bomb: 76800 pixels > limit 1000", settings=ScanSettings(max_pixels=1000))
    with pytest.raises(DecodeError, match="decompression bomb"):
        thumbnail(path)


def test_vanished_file(tmp_path):
    _expect(tmp_path / "gone.jpg", "file vanished")


def test_directory(tmp_path):
    d = tmp_path / "folder.jpg"
    d.mkdir()
    _expect(d, "directory")


def test_file_changed_while_reading(tmp_path, monkeypatch):
    path = tmp_path / "growing.jpg"
    path.write_bytes(_jpeg_bytes())
    real_read = os.read

    def read_then_append(fd, n):
        out = real_read(fd, n)
        if out:
            with open(path, "ab") as fh:
                fh.write(b"\x00" * 10)
        return out

    monkeypatch.setattr(decode_mod.os, "read", read_then_append)
    _expect(path, "changed while being read")


def test_file_is_read_once(tmp_path, monkeypatch):
    path = tmp_path / "a.jpg"
    path.write_bytes(_jpeg_bytes())
    opened = []
    real_open = os.open
    decode(path)  # first use opens os.devnull once (to silence libjpeg warnings); not counted
    monkeypatch.setattr(decode_mod.os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    decode(path)
    assert opened == [path]


def test_progressive_and_grayscale_jpeg(tmp_path):
    src = photo(None)
    prog = tmp_path / "prog.jpg"
    Image.fromarray(src).save(prog, quality=90, progressive=True)
    gray = tmp_path / "gray.jpg"
    Image.fromarray(src).convert("L").save(gray, quality=90)
    d = decode(prog)
    assert d.rgb.shape == src.shape
    assert np.abs(d.rgb.astype(int) - np.asarray(Image.open(prog).convert("RGB"))).max() <= 3
    # saturated synthetic colours clip in the seed's RGB, so luma and the seed's gray differ more here
    # (~7 %) than on real photos (< 1 %, test_baseline_matches_seed_on_real_jpegs)
    assert d.laplacian_var == pytest.approx(seed_laplacian(prog), rel=0.10)
    g = decode(gray)
    assert np.array_equal(g.rgb[..., 0], g.rgb[..., 1]) and np.array_equal(g.gray, g.rgb[..., 0])
    assert g.laplacian_var == pytest.approx(seed_laplacian(gray), rel=1e-9)  # gray JPEG: exactly the seed


def test_tiny_images(tmp_path):
    for w, h in ((1, 1), (3, 2), (1, 50)):
        path = tmp_path / f"t{w}x{h}.png"
        Image.fromarray(np.full((h, w, 3), 77, np.uint8)).save(path)
        d = decode(path)
        assert (d.width, d.height) == (w, h) and d.rgb.shape == (h, w, 3)
        assert d.laplacian_var == 0.0


def test_jpeg_header_bomb(tmp_path):
    """A JPEG whose frame header claims 60000 x 60000 pixels is refused before any decoding."""
    data = bytearray(_jpeg_bytes(asym()))
    sof = data.find(b"\xff\xc0")
    assert sof > 0
    data[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)  # height, width
    path = tmp_path / "huge.jpg"
    path.write_bytes(bytes(data))
    _expect(path, "decompression bomb: 3600000000 pixels > limit")


def test_undecodable_file_name(tmp_path):
    """A name that is not valid UTF-8 (bytes from an old camera card) decodes, and errors print it."""
    name = os.fsencode(tmp_path) + b"/caf\xe9.jpg"
    with open(name, "wb") as fh:
        fh.write(_jpeg_bytes())
    d = decode(name)
    assert d.path == os.fsdecode(name) and d.rgb.shape == (240, 320, 3)
    with open(name, "wb") as fh:
        fh.write(b"")
    with pytest.raises(DecodeError) as info:
        decode(os.fsdecode(name))
    assert "caf\\xe9.jpg: file is empty" in str(info.value)


def test_damaged_jpeg_decodes_silently(tmp_path, capfd, monkeypatch):
    """libjpeg's "Corrupt JPEG data" warnings must not reach the terminal (library code never prints).

    Silencing is automatic in scan worker processes; here (the main process) it is switched on."""
    monkeypatch.setattr(decode_mod, "SILENCE_DECODER_STDERR", True)
    data = bytearray(_jpeg_bytes())
    n = len(data)
    data[n // 2:n // 2 + 40] = np.random.default_rng(0).integers(0, 256, 40, dtype=np.uint8).tobytes()
    path = tmp_path / "damaged.jpg"
    path.write_bytes(bytes(data))
    try:
        d = decode(path)
        assert d.rgb.shape == (240, 320, 3)
    except DecodeError as exc:  # some damage is fatal: then it is reported, not printed
        assert "damaged.jpg" in str(exc)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
