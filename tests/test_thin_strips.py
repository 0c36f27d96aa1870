"""Long thin images (a 20000 x 40 strip) are analysed at a size the model's window fits, not at 1024 x 2 px
(blurscan.analysis); every other photo is analysed exactly as before."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import blurscan
from blurscan import decode
from blurscan.analysis import MIN_ANALYSIS_SIDE, analysis_size, fitted_size
from blurscan.config import MIN_JUDGED_SIDE, ScanSettings
from blurscan.errors import DecodeError
from blurscan.store import Store

from helpers_cli import cli, jsonl
from helpers_images import blurred, save_jpeg, save_png, textured


def _strip(seed: int, size=(40, 20000)) -> np.ndarray:
    """A sharp RGB strip: one generated textured band, ``size`` = (rows, columns)."""
    return textured(seed, size)


@pytest.mark.slow
def test_ordinary_photos_keep_their_analysis_size_and_thin_ones_reach_the_window(tmp_path):
    for w, h in [(4032, 3024), (6000, 4000), (3024, 4032), (1024, 768), (640, 480), (6000, 1000), (4500, 300),
                 (300, 4500), (8000, 520), (100, 50), (40, 40)]:  # up to a side ratio of 16:1: as before
        assert analysis_size(w, h, 1024) == fitted_size(w, h, 1024), (w, h)
    for w, h in [(20000, 40), (16000, 200), (200, 16000), (50000, 600), (100000, 100)]:
        aw, ah = analysis_size(w, h, 1024)
        assert aw * ah <= 1024 * 1024 * 1.01  # never more pixels than a square photo's analysis image
        assert abs(aw / ah - w / h) <= 0.02 * w / h or abs(ah / aw - h / w) <= 0.02 * h / w  # aspect kept
        assert min(aw, ah) >= min(MIN_ANALYSIS_SIDE, min(w, h), 32), (w, h, aw, ah)
        assert min(aw, ah) == min(MIN_ANALYSIS_SIDE, min(w, h)) or aw * ah > 1024 * 1024 * 0.95
    # the decoders give that size: a large thin JPEG through the DCT-scaled path, a PNG through Pillow
    jpg = save_jpeg(tmp_path / "strip.jpg", _strip(2, (200, 16000)))
    png = save_png(tmp_path / "strip.png", _strip(3, (40, 20000)))
    photo = save_jpeg(tmp_path / "photo.jpg", textured(4, (3000, 4000)))
    for color in (True, False):
        assert decode.decode(jpg, color=color).gray.shape == (64, 5120)
        assert decode.decode(png, color=color).gray.shape == (40, 20000)
        assert decode.decode(photo, color=color).gray.shape == (750, 1000)  # the DCT-scaled size, as before
    # thumbnails are fitted as before (the review page's strip is a strip)
    from PIL import Image
    import io
    assert Image.open(io.BytesIO(decode.thumbnail(png, 384))).size == (384, 1)


@pytest.mark.slow
def test_a_thin_strip_is_judged_from_its_picture_not_from_padding(tmp_path):
    """A sharp 20000 x 40 strip was called blurry with p_blurry 0.99 (analysed at 1024 x 2 px: every 64-px
    window padding); without the model a blurred strip was called sharp. End to end, as a user runs it."""
    photos = tmp_path / "photos"
    save_png(photos / "sharp.png", _strip(1))
    save_png(photos / "blurred.png", blurred(_strip(1), 2.0))
    save_jpeg(photos / "tall.jpg", _strip(5, (16000, 200)))  # portrait and JPEG: the same
    out = {}
    for model in ("default", "none"):
        proc = cli("scan", photos, "--db", tmp_path / f"{model}.db", "--format", "jsonl", "--workers", "1",
                   "--model", model)
        assert proc.returncode == 0, proc.stderr.decode()
        out[model] = {os.path.basename(r["path"]): r for r in jsonl(proc.stdout.decode())}
    model = out["default"]
    assert model["sharp.png"]["status"] == "ok" and (model["sharp.png"]["width"], model["sharp.png"]["height"]) \
        == (20000, 40)
    for name in ("sharp.png", "tall.jpg"):
        assert model[name]["verdict"] != "blurry" and model[name]["p_blurry"] < 0.5, model[name]
        assert out["none"][name]["verdict"] == "sharp"
    assert model["blurred.png"]["verdict"] == "blurry" and model["blurred.png"]["p_blurry"] > 0.9
    assert out["none"]["blurred.png"]["verdict"] == "blurry"


def test_a_strip_too_long_and_thin_for_the_pixel_budget_gets_an_error_record(tmp_path):
    """Past a side ratio of 1024:1 the analysis image would be thinner than 32 px: one line saying so, as for
    an image thinner than that at full resolution, not a verdict from windows of padding."""
    gray = np.ascontiguousarray(np.tile(textured(6, (100, 2000))[:, :, 1], (1, 100)))  # 200000 x 100
    with pytest.raises(DecodeError, match=r"too long and thin to judge: 200000 x 100 px \(analysed within 1024 x "
                                          r"1024 pixels, its short side is 23 px; blurscan needs 32 px"):
        blurscan.score_image(gray, ScanSettings(workers=1))
    record = blurscan.score_image(gray[:, :100000], ScanSettings(workers=1, model="none"))  # 1000:1: judged
    assert record.status == "ok" and record.verdict == "sharp"
    with pytest.raises(DecodeError, match="too small to judge: 20000 x 31 px"):  # the full-resolution rule first
        blurscan.score_image(gray[:MIN_JUDGED_SIDE - 1, :20000], ScanSettings(workers=1))


def test_a_thin_strip_stored_before_is_judged_again_and_nothing_else(tmp_path):
    """A record of a thin strip made from its 1024 x 2 analysis image (stored by an earlier version: no
    'analysis' mark) is not reused; ordinary photos stay reused, so an upgrade does not rescan a library."""
    photos = tmp_path / "photos"
    strip = save_png(photos / "strip.png", _strip(1))
    photo = save_jpeg(photos / "photo.jpg", textured(2))
    db = tmp_path / "lib.db"
    settings = ScanSettings(workers=1, model="none")
    first = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert first["strip.png"].analysis == "thin1" and first["photo.jpg"].analysis is None
    again = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert again["strip.png"].cached and again["photo.jpg"].cached
    store = Store(db)
    try:  # the rows as the earlier version stored them: without the mark, the strip called blurry
        for path in (strip, photo):
            row = json.loads(store.conn.execute("SELECT record FROM images WHERE path = ?", (str(path),))
                             .fetchone()[0])
            row.pop("analysis", None)
            row["verdict"] = "blurry" if path == strip else row["verdict"]
            store.conn.execute("UPDATE images SET record = ?, verdict = ? WHERE path = ?",
                               (json.dumps(row), row["verdict"], str(path)))
        store.conn.commit()
    finally:
        store.close()
    third = {os.path.basename(r.path): r for r in blurscan.scan([photos], settings, db=db)}
    assert not third["strip.png"].cached and third["strip.png"].verdict == "sharp"
    assert third["strip.png"].analysis == "thin1"
    assert third["photo.jpg"].cached


def test_a_long_thin_raw_with_a_1024_px_preview_is_analysed_larger_not_from_its_preview(tmp_path):
    """A stitched panorama DNG (a side ratio of 40:1) carries a 1024-px preview, 1024 x 26: it was taken as
    "at least the analysis size", so the RAW was judged from a picture thinner than the model's window ('too
    long and thin to judge', which the RAW is not). Its sensor data is developed instead, as for a RAW whose
    preview is too small; a RAW whose preview is large enough is still read from it."""
    pytest.importorskip("rawpy")
    import cv2
    from helpers_raw import write_dng

    strip = np.ascontiguousarray(np.tile(_strip(7, (100, 1000)), (1, 4, 1)))  # 4000 x 100
    small = cv2.resize(strip, (1024, 26), interpolation=cv2.INTER_AREA)
    pano = write_dng(tmp_path / "pano.dng", strip, preview_rgb=small)
    full = write_dng(tmp_path / "full.dng", strip)
    for path in (pano, full):
        decoded = decode.decode(path)
        assert (decoded.width, decoded.height) == (4000, 100)
        assert min(decoded.gray.shape) >= MIN_JUDGED_SIDE, (path, decoded.gray.shape)
    assert decode.decode(full).gray.shape == (64, 2560)  # the full-size preview, made larger as a JPEG would be
    record = blurscan.score_image(pano, ScanSettings(workers=1))
    assert record.status == "ok", record.error


def test_a_small_long_side_keeps_the_default_pixel_budget_for_thin_images(tmp_path):
    """``--long-side 64`` gave thin images a budget of 64 x 64 pixels: every photo over about 4:1 became a
    "too long and thin to judge" error record (35 of 54 photos of a mixed library), where the thin rule was
    meant to add pixels, never to refuse a photo a smaller size could judge. The budget stays at least that of
    the default size (1024 x 1024)."""
    assert analysis_size(1000, 200, 64) == (320, 64)
    save_jpeg(tmp_path / "pano.jpg", textured(7, (400, 2400)))  # 6:1
    out = cli("scan", tmp_path, "--long-side", "64", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    (record,) = jsonl(out.stdout.decode())
    assert record["status"] == "ok", record
