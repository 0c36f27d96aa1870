"""``bench/stability.py`` makes the everyday copies it claims (sizes, formats, JPEG quality, orientation), the same
bytes on every run, and counts verdict changes as its table says. Checked on a generated photo, without the model."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps

from helpers_bench import bench_module


@pytest.fixture(scope="module")
def stability():
    return bench_module("stability")


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A 2400 x 1800 JPEG with detail (the copies' sizes show only on a photo larger than they are)."""
    rng = np.random.default_rng(5)
    small = rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)
    img = Image.fromarray(small).resize((2400, 1800), Image.BICUBIC)
    path = tmp_path_factory.mktemp("stability") / "photo.jpg"
    img.save(path, quality=95)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A 480 x 360 JPEG: the copies that draw from the generator, cheaply."""
    img = Image.fromarray(np.random.default_rng(6).integers(0, 256, (90, 120, 3), dtype=np.uint8)).resize((480, 360))
    path = tmp_path_factory.mktemp("stability") / "small.jpg"
    img.save(path, quality=95)
    return path


def opened(body: bytes):
    with Image.open(io.BytesIO(body)) as im:
        im.load()
        return im.format, im.mode, im.size, ImageOps.exif_transpose(im).size, im.getexif().get(0x0112)


def tables(body: bytes) -> dict:
    with Image.open(io.BytesIO(body)) as im:
        return {k: list(v) for k, v in im.quantization.items()}


def jpeg_quality(body: bytes) -> int:
    """The quality whose quantisation tables (Pillow's, at that quality) the JPEG ``body`` has."""
    got = tables(body)
    tiny = Image.new("RGB", (8, 8))
    for q in range(1, 101):
        buf = io.BytesIO()
        tiny.save(buf, "JPEG", quality=q)
        if tables(buf.getvalue()) == got:
            return q
    return -1


@pytest.mark.parametrize("name, size, quality", [
    ("whatsapp", (1600, 1200), 75), ("telegram", (1280, 960), 80), ("web-2048", (2048, 1536), 85),
    ("storage-saver", (2400, 1800), 85), ("crop-4x5", (1440, 1800), 90),
])
def test_jpeg_copies_have_their_size_and_quality(stability, photo, name, size, quality):
    body, suffix = stability.make_copy(photo, name, 27)
    fmt, mode, stored, shown, orientation = opened(body)
    assert (suffix, fmt, mode, stored, orientation) == (".jpg", "JPEG", "RGB", size, None)
    assert jpeg_quality(body) == quality


@pytest.mark.parametrize("name, quality", [("sharpened", 92), ("iso-noise", 92)])
def test_filtered_copies_keep_the_size(stability, small, name, quality):
    body, suffix = stability.make_copy(small, name, 27)
    assert (suffix, *opened(body)[:3]) == (".jpg", "JPEG", "RGB", (480, 360)) and jpeg_quality(body) == quality


def test_storage_saver_caps_at_16_megapixels(stability):
    img = Image.new("RGB", (6000, 4000), (90, 120, 150))  # 24 MP
    body, _ = stability.TRANSFORMS["storage-saver"](img, np.random.default_rng(0))
    w, h = opened(body)[2]
    assert w * h <= 16_000_000 and w * h > 15_900_000 and abs(w / h - 1.5) < 0.01


def test_small_photos_are_never_enlarged_but_on_a_screen(stability):
    img = Image.new("RGB", (255, 255), (1, 2, 3))
    assert stability.fit(img, 1600) is img
    body, suffix = stability.screenshot(img, np.random.default_rng(0))
    assert suffix == ".png" and opened(body)[:3] == ("PNG", "RGBA", stability.SCREEN)


def test_screenshot_shows_the_photo_across_the_width_between_bars(stability, photo):
    body, _ = stability.make_copy(photo, "screenshot", 27)
    with Image.open(io.BytesIO(body)) as im:
        a = np.asarray(im)
    assert (a[..., 3] == 255).all()  # opaque, as a screenshot is
    status, toolbar = 140, 260
    between = a[status:stability.SCREEN[1] - toolbar, :, :3]
    rows = np.flatnonzero(between.std(axis=(1, 2)) > 10)  # the photo's rows vary; the black above and below not
    photo_h = round(1800 * 1170 / 2400)
    assert abs(len(rows) - photo_h) <= 2 and (np.diff(rows) == 1).all()
    assert abs(rows[0] - (len(between) - photo_h) // 2) <= 2  # centred
    assert a[:40, :, :3].max() == 0  # the top of the status bar is black


def test_rotated_exif_copy_shows_the_same_picture(stability, photo):
    body, _ = stability.make_copy(photo, "rotated-exif", 27)
    fmt, _, stored, shown, orientation = opened(body)
    assert (stored, shown, orientation) == ((1800, 2400), (2400, 1800), 6)
    with Image.open(io.BytesIO(body)) as im, Image.open(photo) as orig:
        diff = np.abs(np.asarray(ImageOps.exif_transpose(im), float) - np.asarray(orig, float)).mean()
    assert diff < 3  # only JPEG's loss, not a turned picture


def test_print_photo_is_larger_with_a_margin(stability, small):
    body, _ = stability.make_copy(small, "print-photo", 27)
    w, h = opened(body)[2]
    assert (w, h) == (round((480 + 2 * 24) / 0.85), round((360 + 2 * 24) / 0.85))  # margin: 5 % of the long side


@pytest.mark.slow
@pytest.mark.parametrize("name", ["whatsapp", "screenshot", "iso-noise", "print-photo", "rotated-exif"])
def test_copies_are_deterministic(stability, small, name):
    assert stability.make_copy(small, name, 27) == stability.make_copy(small, name, 27)


@pytest.mark.parametrize("name", ["iso-noise", "print-photo"])
def test_seed_changes_the_random_copies(stability, small, name):
    assert stability.make_copy(small, name, 27) != stability.make_copy(small, name, 28)


def test_summary_counts_changes_and_accuracy(stability):
    rows = [
        {"set": "real", "label": "sharp", "v0": "sharp", "p0": 0.1, "v1": "blurry", "p1": 0.9},
        {"set": "real", "label": "blurry", "v0": "blurry", "p0": 0.9, "v1": "partial", "p1": 0.5},
        {"set": "real", "label": "blurry", "v0": "blurry", "p0": 0.8, "v1": "blurry", "p1": 0.8},
        {"set": "real", "label": "sharp", "v0": "partial", "p0": 0.6, "v1": "blurry", "p1": 0.8},
        {"set": "multifocus", "label": "partial", "v0": "partial", "p0": 0.2, "v1": "blurry", "p1": 0.9},
    ]
    cells = stability.summarise("x", rows)
    assert cells[1:5] == ["80.0 % (4)", "60.0 % (3)", "20.0 % (1)", "20.0 % (1)"]  # partial -> blurry counts
    assert cells[5] == "0.400"  # |delta|: 0.8, 0.4, 0.0, 0.2, 0.7
    assert cells[7] == "100.0 % → 25.0 %" and cells[8] == "0.0 % → 100.0 %" and cells[9] == "- → -"
    assert stability.balanced([("sharp", "partial"), ("blurry", "sharp")]) == 50.0
