"""Every format is analysed at the size a JPEG is (blurscan.analysis.block_scale, blurscan.scaled): where the 1/2,
1/4 or 1/8 scale lands within 2.5 % under the analysis size, that exact area average (2040 px -> 1020), with the
gray made from the full-resolution gray as a JPEG's luma. Until 2026-12-05 a PNG, TIFF, WebP, HEIC ... was resized
to 1024 px (a ratio of 1.992) and scored otherwise than the JPEG holding the same pixels: a motion-blurred
2040-px scene scored p_blurry 0.430 (sharp) as a JPEG and 0.709 (blurry) as a PNG of its decoded pixels."""
from __future__ import annotations

import json
import os

import cv2
import numpy as np
import pytest
from PIL import Image

import blurscan
from blurscan import decode
from blurscan.analysis import analysis_size
from blurscan.config import ScanSettings
from blurscan.store import Store

from helpers_cli import cli, jsonl
from helpers_images import save_jpeg, save_png, textured


def _motion(img: np.ndarray, length: int = 15) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0 / length
    return cv2.filter2D(img, -1, kernel)


def _pixels_of(jpeg) -> np.ndarray:
    """The JPEG's pixels as Pillow decodes them (what an export to PNG or TIFF holds)."""
    return np.asarray(Image.open(jpeg).convert("RGB"))


@pytest.mark.slow
def test_a_png_of_a_jpegs_pixels_is_scored_as_the_jpeg(tmp_path):
    """End to end, as a user scans: the JPEG and lossless copies of its decoded pixels (PNG, TIFF, WebP) get the
    same p_blurry and verdict; on the old code the PNG of the motion-blurred scene was 'blurry' at 0.709, the
    JPEG 'sharp' at 0.430."""
    photos = tmp_path / "photos"
    for name, img in (("motion", _motion(textured(1, (1356, 2040)))), ("sharp", textured(3, (1356, 2040)))):
        jpeg = save_jpeg(photos / f"{name}.jpg", img)
        pixels = _pixels_of(jpeg)
        save_png(photos / f"{name}.png", pixels, compress_level=0)
        Image.fromarray(pixels).save(photos / f"{name}.tif")
        Image.fromarray(pixels).save(photos / f"{name}.webp", lossless=True, quality=0, method=0)  # (fastest, lossless)
    proc = cli("scan", photos, "--db", tmp_path / "lib.db", "--format", "jsonl", "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    got = {os.path.basename(r["path"]): r for r in jsonl(proc.stdout.decode())}
    for name in ("motion", "sharp"):
        ref = got[f"{name}.jpg"]
        for suffix in ("png", "tif", "webp"):
            other = got[f"{name}.{suffix}"]
            assert other["status"] == "ok" and other["format"] != "JPEG"
            assert other["p_blurry"] == pytest.approx(ref["p_blurry"], abs=0.01), (name, suffix, other, ref)
            assert other["verdict"] == ref["verdict"], (name, suffix)
            assert other["laplacian_var_norm"] == pytest.approx(ref["laplacian_var_norm"], rel=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("size, want", [((2040, 1356), (1020, 678)), ((2039, 1355), (1020, 678)),
                                        ((1356, 2040), (678, 1020)), ((4032, 3024), (1008, 756)),
                                        ((4000, 3000), (1000, 750)), ((1800, 1200), (1024, 683)),
                                        ((3000, 2000), (1024, 683))])
def test_the_analysis_image_of_every_format_is_the_jpegs(tmp_path, size, want):
    """Decoded for a luminance model (the shipped one), a PNG of a JPEG's pixels gives the JPEG's analysis image:
    its size (the DCT-scaled one within the tolerance, libjpeg's ceil at a size not a multiple of the factor)
    and, there, its pixels; so does the Python API's array. Other sizes are as before."""
    w, h = size
    rng = np.random.default_rng(w + h)
    small = textured(w % 7, (h // 4, w // 4))  # a large image made cheaply: a textured quarter, enlarged
    img = np.clip(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.int16)
                  + rng.integers(-6, 7, (h, w, 1), dtype=np.int16), 0, 255).astype(np.uint8)
    jpeg = save_jpeg(tmp_path / "photo.jpg", img)
    pixels = _pixels_of(jpeg)
    png = save_png(tmp_path / "photo.png", pixels, compress_level=0)
    ref = decode.decode(jpeg, color=False).gray
    assert (ref.shape[1], ref.shape[0]) == want
    for got in (decode.decode(png, color=False).gray, decode.decode_array(pixels).gray):
        assert got.shape == ref.shape, size
        if want != analysis_size(w, h, 1024):  # block-scaled: the JPEG's luma, area-averaged
            assert np.abs(got.astype(np.int16) - ref).mean() < 0.02, size
    colour = decode.decode(png, color=True)  # a colour model's: the colour at that size, its gray made from it
    assert colour.rgb.shape[:2] == ref.shape and colour.gray.shape == ref.shape


def test_the_block_scaled_sizes():
    from blurscan.analysis import BLOCK_ANALYSIS, THIN_ANALYSIS, image_size, marks

    assert image_size(2040, 1356, 1024) == (1020, 678)  # 1/2: 2 x 2 blocks
    assert image_size(2039, 1355, 1024) == (1020, 678)  # libjpeg's ceil
    assert image_size(4032, 3024, 1024) == (1008, 756)  # 1/4 (12-MP phones)
    assert image_size(8064, 6048, 1024) == (1008, 756)  # 1/8 (48-MP phones)
    assert image_size(4000, 3000, 1024) == (1000, 750)
    for w, h in ((1800, 1200), (6000, 4000), (3000, 2000), (1024, 768), (800, 600), (20000, 40)):
        assert image_size(w, h, 1024) == analysis_size(w, h, 1024), (w, h)  # not within 2.5 % under: as before
    assert image_size(2040, 1356, 1020) == (1020, 678) and image_size(2040, 1356, 1000) == (1000, 665)
    assert marks("PNG", 2040, 1356, 1024) == BLOCK_ANALYSIS and marks("JPEG", 2040, 1356, 1024) is None
    assert marks("PNG", 1800, 1200, 1024) is None and marks("HEIF", 3024, 4032, 1024) == BLOCK_ANALYSIS
    assert marks("PNG", 20000, 40, 1024) == THIN_ANALYSIS
    assert marks("DNG", 8000, 6000, 1024) == BLOCK_ANALYSIS  # developed at half size: 4000 x 3000 -> 1000 px


def test_records_of_block_scaled_pictures_stored_before_are_judged_again_and_nothing_else(tmp_path):
    """A library with a 2040-px PNG, a 2040-px JPEG and an 1800-px PNG, its records as an earlier version stored
    them (no 'analysis' mark; the PNG's p_blurry that of its 1024-px analysis image): a rescan judges the 2040-px
    PNG again, and reuses the JPEG's record (JPEGs were analysed so already) and the 1800-px PNG's (its analysis
    size is unchanged), so an upgrade does not rescan a library."""
    from blurscan.analysis import BLOCK_ANALYSIS

    photos = tmp_path / "photos"
    scene = _motion(textured(1, (1356, 2040)))
    block = save_png(photos / "block.png", scene, compress_level=0)
    jpeg = save_jpeg(photos / "photo.jpg", scene)
    other = save_png(photos / "other.png", scene[:1200, :1800], compress_level=0)
    db = tmp_path / "lib.db"
    settings = ScanSettings(workers=1)
    first = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert first["block.png"].analysis == BLOCK_ANALYSIS
    assert first["photo.jpg"].analysis is None and first["other.png"].analysis is None
    store = Store(db)
    try:  # the rows as the earlier version stored them: no mark, another p_blurry and verdict
        for path in (block, jpeg, other):
            row = json.loads(store.conn.execute("SELECT record FROM images WHERE path = ?", (str(path),))
                             .fetchone()[0])
            row.pop("analysis", None)
            row["p_blurry"], row["verdict"] = 0.99, "blurry"
            store.conn.execute("UPDATE images SET record = ?, verdict = ? WHERE path = ?",
                               (json.dumps(row), row["verdict"], str(path)))
        store.conn.commit()
    finally:
        store.close()
    again = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert not again["block.png"].cached and again["block.png"].analysis == BLOCK_ANALYSIS
    assert again["block.png"].p_blurry == pytest.approx(first["block.png"].p_blurry)
    assert again["photo.jpg"].cached and again["photo.jpg"].p_blurry == 0.99
    assert again["other.png"].cached and again["other.png"].p_blurry == 0.99
    third = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert all(r.cached for r in third.values())  # judged once


def _block_mean(gray: np.ndarray, factor: int) -> np.ndarray:
    """The exact ``factor x factor`` average of ``gray``, its last row and column repeated to whole blocks."""
    h, w = gray.shape
    th, tw = -(-h // factor), -(-w // factor)
    padded = np.pad(gray.astype(np.float64), ((0, th * factor - h), (0, tw * factor - w)), mode="edge")
    return padded.reshape(th, factor, tw, factor).mean(axis=(1, 3))


@pytest.mark.parametrize("size, factor", [((2037, 1531), 2), ((2039, 1355), 2),
                                          pytest.param((4030, 3021), 4, marks=pytest.mark.slow)])
def test_a_crop_not_a_multiple_of_the_block_is_analysed_as_exact_blocks(tmp_path, size, factor):
    """A picture whose sides are not multiples of the block factor (a cropped photo: 2037 x 1531 -> 1019 x 766)
    is analysed as the exact block average of its pixels, its last row and column repeated, as libjpeg's DCT
    scaling gives it, by every path: a PNG, the Python API's array, a JPEG's full-resolution luma. Until
    2026-12-06 it was resized by 2037 / 1019 = 1.999, each pixel averaged over parts of 3 x 3 (off the exact
    average by 6 grey levels on average on this grain)."""
    w, h = size
    rng = np.random.default_rng(w)
    gray = np.clip(128 + rng.normal(0, 40, (h, w)), 0, 255).astype(np.uint8)
    want = _block_mean(gray, factor)
    png = save_png(tmp_path / "crop.png", np.dstack([gray] * 3), compress_level=0)
    jpeg = tmp_path / "crop.jpg"
    Image.fromarray(gray).save(jpeg, quality=100)
    jpeg_want = _block_mean(np.asarray(Image.open(jpeg)), factor)
    for name, got, expected in (("png", decode.decode(png, color=False).gray, want),
                                ("array", decode.decode_array(gray).gray, want),
                                ("jpeg", decode.decode(jpeg, color=False).gray, jpeg_want)):
        assert got.shape == expected.shape, name
        assert np.abs(got - expected).max() <= 1.0, name  # rounding only


@pytest.mark.slow
def test_a_photo_cropped_by_a_few_pixels_keeps_its_sharp_detail(tmp_path):
    """End to end (metamorphic): a sharp 2040 x 1536 photo and the same photo with its last 3 columns and 5 rows
    cropped away are scored alike (cut at the right and bottom, so that the picture's own 10-px blocks keep their
    place in the 2 x 2 average). Before the fix the crop's analysis image was resized by 1.999 and lost its finest
    detail: its sharp tiles fell by half or more (real DIV2K photo 0803: 0.56 -> 0.24, p_blurry 0.098 -> 0.134)."""
    photos = tmp_path / "photos"
    img = textured(5, (1536, 2040))
    save_png(photos / "whole.png", img, compress_level=0)
    save_png(photos / "crop.png", img[:1531, :2037], compress_level=0)
    proc = cli("scan", photos, "--db", tmp_path / "lib.db", "--format", "jsonl", "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    got = {os.path.basename(r["path"]): r for r in jsonl(proc.stdout.decode())}
    whole, crop = got["whole.png"], got["crop.png"]
    assert (crop["width"], crop["height"]) == (2037, 1531)
    assert crop["tenengrad"] == pytest.approx(whole["tenengrad"], rel=0.03)
    assert crop["sharp_tile_fraction"] == pytest.approx(whole["sharp_tile_fraction"], abs=0.1)
    assert crop["p_blurry"] == pytest.approx(whole["p_blurry"], abs=0.03)


@pytest.mark.parametrize("size", [(2037, 1530), (2040, 1531)])
def test_a_crop_of_one_side_only_is_analysed_as_exact_blocks(size):
    """A crop of one side only (its width, or its height, not a multiple of the block factor) is extended on that
    side alone and analysed as the exact 2 x 2 average, as a crop of both sides is (the Python API's array: the
    path every decoded format but JPEG takes)."""
    w, h = size
    rng = np.random.default_rng(w + h)
    gray = np.clip(128 + rng.normal(0, 40, (h, w)), 0, 255).astype(np.uint8)
    want = _block_mean(gray, 2)
    got = decode.decode_array(gray).gray
    assert got.shape == want.shape == (-(-h // 2), -(-w // 2))
    assert np.abs(got - want).max() <= 1.0  # rounding only
