"""Decoding: formats, EXIF, reduced decoding, the seed baseline, thumbnails (bad files: test_decode_errors.py)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from blurscan import decode as decode_mod
from blurscan.config import ScanSettings
from blurscan.decode import analysis_size, decode, decode_array, thumbnail
from blurscan.errors import DecodeError

from helpers_images import asym, photo, seed_laplacian


# ----------------------------------------------------------------------------------------- formats

@pytest.mark.parametrize("fmt,suffix,lossless", [
    ("JPEG", ".jpg", False), ("PNG", ".png", True), ("WEBP", ".webp", False), ("TIFF", ".tif", True),
    ("BMP", ".bmp", True), ("HEIF", ".heic", False), ("AVIF", ".avif", False),
])
def test_every_format_decodes(tmp_path, fmt, suffix, lossless):
    src = photo(None)
    path = tmp_path / f"img{suffix}"
    kwargs = {"quality": 95} if not lossless else {}
    if fmt == "HEIF":  # Pillow writes HEIC through pillow-heif's plugin, which blurscan registers only to read one
        pytest.importorskip("pillow_heif").register_heif_opener()
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
    with Image.open(path) as im:
        first = np.asarray(im.convert("RGB"))
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
    with Image.open(path) as im:
        assert im.mode == "CMYK"
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


@pytest.mark.parametrize("fmt", ["TIFF", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_of_other_formats_applied_once(tmp_path, fmt, orientation):
    """Pillow 13 turns a TIFF upright itself when it opens it (and forgets the tag once loaded): the decoder
    must not turn it a second time. Whatever the format, the result is the upright picture."""
    upright = asym()
    # what a camera stores: the picture turned so that the tag turns it upright again
    undo = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
    stored = np.asarray(Image.fromarray(upright).transpose(undo[orientation]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.{fmt.lower()}"
    Image.fromarray(stored).save(path, format=fmt, exif=exif, **({"lossless": True} if fmt == "WEBP" else {}))
    d = decode(path)
    assert (d.width, d.height) == (upright.shape[1], upright.shape[0])
    assert np.array_equal(d.rgb, upright)


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


def test_capture_time_falls_back_to_digitized_then_ifd0_datetime(tmp_path):
    """Scanners, some phone apps and older cameras write only IFD0 DateTime; a zeroed DateTimeOriginal (a
    camera whose clock was never set) does not hide a valid later date."""
    path = tmp_path / "d.jpg"
    exif = Image.Exif()
    exif[0x0132] = "2023:02:03 04:05:06"
    Image.fromarray(asym()).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == "2023-02-03T04:05:06"

    exif.get_ifd(0x8769)[0x9010] = "-05:00"  # OffsetTime belongs to IFD0 DateTime
    Image.fromarray(asym()).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == "2023-02-03T04:05:06-05:00"

    exif = Image.Exif()
    exif[0x0132] = "2023:02:03 04:05:06"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "0000:00:00 00:00:00"
    sub[0x9004] = "2022:01:01 10:00:00"
    sub[0x9012] = "+09:00"
    Image.fromarray(asym()).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == "2022-01-01T10:00:00+09:00"


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


@pytest.mark.slow
def test_luminance_only_decode_of_a_large_jpeg_is_one_decode(tmp_path, monkeypatch, shared_data):
    """color=False (a scan with a luminance model): a large JPEG is decoded once, as full-resolution luma;
    the analysis gray is its area average, at the size and within a grey level of the colour path's gray."""
    calls = []
    real = cv2.imdecode
    monkeypatch.setattr(decode_mod.cv2, "imdecode", lambda b, f: calls.append(f) or real(b, f))
    paths = [_big_jpeg(tmp_path), _big_jpeg(tmp_path, 4600, 3450, name="16mp.jpg")]
    paths += sorted((shared_data / "div2k").glob("*.jpg"))[:3]  # real 2K photos: DCT-scaled to 1/2
    for path in paths:
        calls.clear()
        luma = decode(path, color=False)
        assert calls == [cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION]
        colour = decode(path)
        assert luma.rgb is None and colour.rgb is not None
        assert luma.gray.shape == colour.gray.shape and luma.gray.dtype == np.uint8
        assert luma.laplacian_var == colour.laplacian_var
        assert (luma.width, luma.height) == (colour.width, colour.height)
        if path.name != "16mp.jpg":  # there two resampling chains differ on 10-px blocks of pure noise
            assert np.abs(luma.gray.astype(int) - colour.gray).mean() < 1.0
    # fast mode: the DCT-scaled luma alone, next to the colour decode's gray but for rounding
    for path in paths:
        calls.clear()
        luma, colour = decode(path, color=False, baseline=False), decode(path, baseline=False)
        assert calls[0] in (cv2.IMREAD_REDUCED_GRAYSCALE_2 | cv2.IMREAD_IGNORE_ORIENTATION,
                            cv2.IMREAD_REDUCED_GRAYSCALE_4 | cv2.IMREAD_IGNORE_ORIENTATION) and len(calls) == 2
        assert luma.rgb is None and luma.gray.shape == colour.gray.shape and luma.laplacian_var is None
        assert np.abs(luma.gray.astype(int) - colour.gray).mean() < 1.0
    # small JPEGs (no DCT scaling) decode exactly as with colour
    small = _big_jpeg(tmp_path, 1280, 720, name="hd.jpg")
    assert np.array_equal(decode(small, color=False).gray, decode(small).gray)
    assert decode(small, color=False).rgb is not None


def test_luminance_only_decode_applies_exif_orientation(tmp_path):
    img = cv2.resize(asym(), (4000, 3000), interpolation=cv2.INTER_NEAREST)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    path = tmp_path / "rot.jpg"
    Image.fromarray(img).save(path, quality=92, exif=exif)
    luma, colour = decode(path, color=False), decode(path)
    assert (luma.width, luma.height) == (3000, 4000) and luma.gray.shape == colour.gray.shape == (1000, 750)
    assert np.abs(luma.gray.astype(int) - colour.gray).mean() < 1.0


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


def test_a_jpegs_baseline_is_that_of_its_luma_as_the_docs_say(tmp_path):
    """docs/jsonl.md described `laplacian_var` as the Laplacian of a grayscale image, without saying which: for a
    JPEG it is OpenCV's IMREAD_GRAYSCALE (libjpeg's luma), not cvtColor's gray of the colour (a guard: the
    documentation was made precise, the code did not change)."""
    path = tmp_path / "x.jpg"
    Image.fromarray(photo(None)).save(path, quality=90)
    luma = cv2.Laplacian(cv2.imread(os.fspath(path), cv2.IMREAD_GRAYSCALE), cv2.CV_64F).var()
    assert decode(path).laplacian_var == pytest.approx(luma, rel=1e-12)
    assert decode(path).laplacian_var != pytest.approx(seed_laplacian(path), rel=1e-6)


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
    # 2040 px: the exact 1/2 scale (1020 px), as the JPEG path's DCT scaling (blurscan.analysis.block_scale)
    assert max(d.rgb.shape[:2]) == -(-max(rgb.shape[:2]) // 2) == 1020 and d.rgb.shape[2] == 3
    g = decode_array(gray)
    assert g.laplacian_var == d.laplacian_var and g.rgb.shape == d.rgb.shape
    rgba = decode_array(np.dstack([rgb, np.full(gray.shape, 255, np.uint8)]))
    assert np.array_equal(rgba.rgb, d.rgb)
    deep = decode_array(rgb.astype(np.uint16) * 257)
    assert np.array_equal(deep.rgb, d.rgb)
    for floats in (rgb / 255.0, rgb.astype(np.float32)):  # [0, 1], or 0..255 as many pipelines keep it
        assert np.array_equal(decode_array(floats).rgb, d.rgb)
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


def test_an_offset_that_is_no_real_one_is_left_out_and_the_time_kept(tmp_path):
    """OffsetTimeOriginal "+99:99" gave captured_at "2024-07-14T18:03:22+99:99" in the scan's JSONL, which is not
    ISO 8601 (datetime.fromisoformat refuses it), as docs/jsonl.md promises. Offsets from -14:00 to +14:00 with
    minutes under 60 are kept; any other is left out."""
    import datetime
    import json

    from helpers_cli import run

    offsets = {"+99:99": "", "+05:60": "", "+14:30": "", "-15:00": "", "+14:00": "+14:00", "-14:00": "-14:00",
               "+05:45": "+05:45", "-09:30": "-09:30", "+00:00": "+00:00",
               # other scripts' digits pass str.isdigit(): "²" made int() fail (the photo an error), Arabic-Indic
               # digits were kept (not ISO 8601)
               "+0²:00".encode(): "", "+٠٢:٠٠".encode(): ""}
    lib = tmp_path / "lib"
    lib.mkdir()
    for i, offset in enumerate(offsets):
        exif = Image.Exif()
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = "2024:07:14 18:03:22"
        sub[0x9011] = offset
        Image.fromarray(photo()).save(lib / f"p{i}.jpg", exif=exif)
    result = run("scan", lib, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    got = {json.loads(line)["path"]: json.loads(line)["captured_at"] for line in result.stdout.splitlines()}
    for i, (offset, kept) in enumerate(offsets.items()):
        captured = got[str(lib / f"p{i}.jpg")]
        assert captured == "2024-07-14T18:03:22" + kept, offset  # (and the photo scored: no error)
        assert datetime.datetime.fromisoformat(captured).isoformat() == captured
