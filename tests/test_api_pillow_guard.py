"""Pillow's decompression-bomb guard in a program that uses blurscan as a library (blurscan.pillowguard).

Until 2026-12-06 the first score_image call (importing blurscan.decode) set ``Image.MAX_IMAGE_PIXELS = None`` for
the whole program: a web service scoring uploads then opened any 10-gigapixel PNG of its own. blurscan's own opens
still use its limit (``--max-pixels``) alone, which may be higher than the program's: a photo between the two is
scored and shown, one past blurscan's limit refused with blurscan's words.
"""
from __future__ import annotations

import subprocess
import sys
import threading

import cv2
import pytest
from PIL import Image

import blurscan
from blurscan.pillowguard import pixel_limit
from blurscan.review import security

from helpers_cli import jsonl, run
from helpers_images import png_bomb, save_jpeg, save_png, textured
from helpers_raw import write_dng
from helpers_review import _get, review_client

_HOST = """
import sys
import numpy as np
from PIL import Image
import blurscan
before = Image.MAX_IMAGE_PIXELS
blurscan.score_image(np.full((64, 64, 3), 128, np.uint8))
blurscan.score_image(sys.argv[1])
print(before, Image.MAX_IMAGE_PIXELS)
try:
    Image.open(sys.argv[2])
except Image.DecompressionBombError:
    print("refused")
"""


def test_scoring_leaves_the_programs_pillow_guard_as_it_was(tmp_path):
    photo = save_jpeg(tmp_path / "a.jpg", textured(1))
    bomb = png_bomb(tmp_path / "bomb.png", 20_000, 20_000)  # 400 MP: past Pillow's 179 MP
    out = subprocess.run([sys.executable, "-c", _HOST, str(photo), str(bomb)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    limit = str(int(1024 * 1024 * 1024 // 4 // 3))  # Pillow's default
    assert out.stdout.split() == [limit, limit, "refused"], out.stdout  # (was "89478485 None", and opened)


@pytest.fixture
def low_pillow_limit(monkeypatch):
    """The program's Pillow guard set far below blurscan's limit: warns past 5000 pixels, refuses past 10000."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")  # (blurscan's opens: warned never)
def test_a_photo_past_the_programs_pillow_limit_is_scored_and_shown_by_blurscan(tmp_path, low_pillow_limit):
    lib = tmp_path / "lib"
    exif = Image.Exif()
    exif[0x010F] = "TestMaker"
    lib.mkdir()
    Image.fromarray(textured(2)).save(lib / "a.jpg", exif=exif)  # 320 x 240: 76800 pixels, past the program's 10000
    save_png(lib / "b.png", textured(3))
    Image.fromarray(textured(4)).save(lib / "c.gif")
    Image.fromarray(textured(5)).save(lib / "d.tif")
    with pytest.raises(Image.DecompressionBombError):  # (the program's own open: refused, as it set)
        Image.open(lib / "a.jpg")
    db = tmp_path / "x.db"
    res = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl", "--db", db)
    assert res.exit_code == 0, res.output
    objs = jsonl(res.stdout)
    assert [o["status"] for o in objs] == ["ok"] * 4, objs  # (was "decompression bomb: Image size (76800 ...")
    client = review_client((db,))
    for o in objs:
        ident = security.path_id(o["path"])
        assert _get(client, f"/thumb/{ident}").data[:3] == b"\xff\xd8\xff"  # (a JPEG; not opened here: 76800 px)
        assert len(_get(client, f"/full/{ident}").data) > 1000
    detail = _get(client, f"/api/item/{security.path_id(objs[0]['path'])}").get_json()
    assert detail["exif"].get("make") == "TestMaker", detail["exif"]  # (read by Pillow: was left out)
    assert Image.MAX_IMAGE_PIXELS == 5000


def test_a_photo_past_blurscans_limit_is_refused_in_blurscans_words(tmp_path, low_pillow_limit):
    lib = tmp_path / "lib"
    save_png(lib / "b.png", textured(3))
    Image.fromarray(textured(4)).save(lib / "c.gif")
    res = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl", "--max-pixels", "20000",
              "--db", tmp_path / "x.db")
    objs = jsonl(res.stdout)
    assert [o["error"] for o in objs] == ["decompression bomb: 76800 pixels > limit 20000 (skipped on purpose; "
                                          "`blurscan scan --max-pixels N` raises the limit)"] * 2, objs


def test_the_limit_holds_in_its_own_thread_only(tmp_path, monkeypatch):
    """blurscan's limit inside pixel_limit, in that thread; the program's guard in every other thread meanwhile."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    photo = save_png(tmp_path / "b.png", textured(3))  # 76800 pixels
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def blurscans():
        with pixel_limit(100_000):
            inside.set()
            done.wait(30)
            with Image.open(photo) as im:
                seen["size"] = im.size
            with pixel_limit(1000), pytest.raises(Image.DecompressionBombError, match="76800 pixels > limit 1000"):
                Image.open(photo)
            with Image.open(photo) as im:  # the outer limit again
                seen["again"] = im.size

    t = threading.Thread(target=blurscans)
    t.start()
    assert inside.wait(30)
    try:
        with pytest.raises(Image.DecompressionBombError):  # the program's guard, while the other thread is inside
            Image.open(photo)
    finally:
        done.set()
        t.join(30)
    assert seen == {"size": (320, 240), "again": (320, 240)}
    with pytest.raises(Image.DecompressionBombError):  # and after
        Image.open(photo)


def test_a_small_jpeg_beside_its_raw_past_the_programs_limit_is_judged_from_the_raw(tmp_path, low_pillow_limit):
    """The JPEG's size, read from its header to tell whether its RAW twin is judged instead, under blurscan's
    limit: under the program's, the size was unread and the small JPEG judged (a photo scored from another
    picture than a scan without that program's guard scores)."""
    rgb = cv2.GaussianBlur(textured(8, size=(900, 1200)), (0, 0), 1.5)
    (tmp_path / "lib").mkdir()
    write_dng(tmp_path / "lib" / "IMG_1.dng", rgb)
    Image.fromarray(cv2.resize(rgb, (600, 450), interpolation=cv2.INTER_AREA)).save(tmp_path / "lib" / "IMG_1.jpg")
    res = run("scan", tmp_path / "lib", "--model", "none", "--workers", "1", "--format", "jsonl",
              "--db", tmp_path / "x.db")
    objs = jsonl(res.stdout)
    assert [(o["format"], o["note"][:31]) for o in objs] == [("DNG", "judged from the RAW twin IMG_1.")], objs


def test_a_turned_webp_past_the_programs_limit_is_shown_upright(tmp_path, low_pillow_limit):
    """The review page's full view reads a WebP's Orientation under blurscan's limit: under the program's, the
    read failed, and a turned WebP was sent as stored (Chromium shows it on its side)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    (tmp_path / "lib").mkdir()
    Image.fromarray(textured(2)).save(tmp_path / "lib" / "a.webp", exif=exif, quality=90)
    db = tmp_path / "x.db"
    objs = jsonl(run("scan", tmp_path / "lib", "--model", "none", "--workers", "1", "--format", "jsonl",
                     "--db", db).stdout)
    assert [o["status"] for o in objs] == ["ok"], objs
    full = _get(review_client((db,)), f"/full/{security.path_id(objs[0]['path'])}").data
    assert full[:3] == b"\xff\xd8\xff", full[:16]  # converted upright (was the WebP as stored: b"RIFF...WEBP")


def test_a_pillow_image_given_is_loaded_under_blurscans_limit(tmp_path, monkeypatch):
    """An image the program opened is loaded by score_image under blurscan's limit (the TIFF's check as it loads),
    not refused by the program's guard set lower since."""
    Image.fromarray(textured(5)).save(tmp_path / "d.tif")  # 76800 pixels
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    im = Image.open(tmp_path / "d.tif")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    with im:
        assert blurscan.score_image(im, blurscan.ScanSettings(model="none")).status == "ok"
