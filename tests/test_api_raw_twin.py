"""``blurscan.score_image`` of a JPEG with a camera RAW twin beside it (a RAW + JPEG pair) gives the record a
scan of that file gives: the pair is one photo, judged from the RAW when the JPEG is below the analysis size or
cannot be read (:mod:`blurscan.pairs`). Until 2026-12-05 ``score_image`` judged the small JPEG alone (another
``p_blurry``, size and format, no ``note``) and raised on an unreadable one that ``blurscan scan`` scored."""
from __future__ import annotations

import os
import time

import cv2
from PIL import Image

import blurscan

from helpers_images import textured
from helpers_raw import write_dng


def _pair(tmp_path, jpeg_bytes=None):
    rgb = cv2.GaussianBlur(textured(8, size=(900, 1200)), (0, 0), 1.5)
    write_dng(tmp_path / "IMG_1.dng", rgb)
    jpeg = tmp_path / "IMG_1.jpg"
    if jpeg_bytes is None:  # a camera's "RAW + small JPEG" mode
        Image.fromarray(cv2.resize(rgb, (600, 450), interpolation=cv2.INTER_AREA)).save(jpeg, quality=90)
    else:
        jpeg.write_bytes(jpeg_bytes)
    return jpeg


def test_small_jpeg_of_a_pair_is_judged_as_a_scan_judges_it(tmp_path):
    jpeg = _pair(tmp_path)
    scanned = [r.to_json() for r in blurscan.scan([jpeg])]
    assert [r["format"] for r in scanned] == ["DNG"]
    assert blurscan.score_image(jpeg).to_json() == scanned[0]
    assert blurscan.score_image(str(jpeg)).to_json()["note"].startswith("judged from the RAW twin IMG_1.dng")


def test_unreadable_jpeg_of_a_pair_is_judged_from_its_raw(tmp_path):
    jpeg = _pair(tmp_path, b"\xff\xd8\xff\xe0" + b"\0" * 100)
    scanned = [r.to_json() for r in blurscan.scan([tmp_path])]
    assert [r["status"] for r in scanned] == ["ok"]
    assert blurscan.score_image(jpeg).to_json() == scanned[0]


def test_the_raw_itself_is_scored_as_named(tmp_path):
    _pair(tmp_path)  # score_image of the RAW judges the RAW (a scan files its record under the JPEG's name)
    record = blurscan.score_image(tmp_path / "IMG_1.dng")
    assert (record.path, record.format, record.note) == (str(tmp_path / "IMG_1.dng"), "DNG", None)


def test_a_twin_added_or_removed_between_calls_is_seen_and_a_folder_is_listed_once_while_unchanged(tmp_path,
                                                                                                   monkeypatch):
    # the folder's listing is kept between calls (scoring each photo of a 30,000-file folder listed it each time:
    # 46 -> 122 ms a call), and made again when the folder changes
    jpeg = _pair(tmp_path)
    raw = tmp_path / "IMG_1.dng"
    kept = raw.read_bytes()
    raw.unlink()
    Image.new("RGB", (700, 500), (90, 90, 90)).save(tmp_path / "other.jpg")
    _touched(tmp_path, -60)  # (a folder left as it is for a minute: a listing just after a change is not kept)
    listings = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda folder: listings.append(folder) or real_listdir(folder))
    alone = [blurscan.score_image(jpeg), blurscan.score_image(tmp_path / "other.jpg"), blurscan.score_image(jpeg)]
    assert [r.format for r in alone] == ["JPEG"] * 3 and alone[0].note is None
    assert listings == [str(tmp_path)]
    raw.write_bytes(kept)
    _touched(tmp_path)
    assert (blurscan.score_image(jpeg).format, len(listings)) == ("DNG", 2)
    raw.unlink()
    _touched(tmp_path)
    assert blurscan.score_image(jpeg).format == "JPEG"


def _touched(folder, seconds=-30):
    """The folder's time changed (``seconds`` from now): its listing is not the one kept."""
    os.utime(folder, ns=(os.stat(folder).st_atime_ns, time.time_ns() + seconds * 1_000_000_000))


def test_a_twin_added_in_the_same_tick_of_the_folder_clock_is_seen(tmp_path):
    """A file system with a coarse clock (FAT on a camera's card: 2 s; ext4 before Linux 6.13: a few ms) leaves
    the folder's time as it was when a RAW is copied in just after a listing: a listing made that close to the
    folder's time is not kept (until 2026-12-05 the pair was judged from the JPEG alone until the folder changed
    again, and a RAW removed so was still looked for)."""
    jpeg = _pair(tmp_path)
    raw = tmp_path / "IMG_1.dng"
    kept = raw.read_bytes()
    raw.unlink()
    # the folder's time a minute ahead: the first listing is made within 3 s after it however late it comes (on a
    # loaded machine the unlink's own time was over 3 s before it: the listing was kept, and the test failed)
    _touched(tmp_path, 60)
    before = os.stat(tmp_path).st_mtime_ns
    assert blurscan.score_image(jpeg).format == "JPEG"
    raw.write_bytes(kept)
    os.utime(tmp_path, ns=(before, before))  # the folder's time, as a coarse clock leaves it
    assert blurscan.score_image(jpeg).format == "DNG"
    raw.unlink()
    os.utime(tmp_path, ns=(before, before))
    assert blurscan.score_image(jpeg).format == "JPEG"
