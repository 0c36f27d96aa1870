"""More of a database an older blurscan wrote with a Pixel RAW pair's DNG as a photo of its own
(test_pixel_raw_pairs_older_db.py): the names in capitals (a card read on Windows, a copy tool that upper-cases
suffixes: ``X.RAW-02.ORIGINAL.DNG`` beside ``X.RAW-01.COVER.JPG``) are the same pair; ``report --only`` counts in its
note only the RAW files it would have listed."""
from __future__ import annotations

import os

import cv2
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import jsonl, run
from helpers_images import photo
from helpers_raw import write_dng
from helpers_review import BASE, review_client
from test_pixel_raw_pairs_older_db import STEM, _older_library

NOTE = "note: 1 stored RAW file now the RAW twin of a listed photo"


def test_a_pair_named_in_capitals_is_one_photo_too(tmp_path):
    lib = tmp_path / "DCIM"
    lib.mkdir()
    rgb = cv2.GaussianBlur(photo(None, (256, 384)), (0, 0), 4)
    dng = write_dng(lib / f"{STEM}.RAW-02.ORIGINAL.DNG", rgb)
    cover = lib / f"{STEM}.RAW-01.COVER.JPG"
    Image.fromarray(rgb).save(cover, "JPEG", quality=90)
    records = [ScanRecord(path=str(path), verdict="blurry", p_blurry=0.98, size=os.stat(path).st_size,
                          mtime_ns=os.stat(path).st_mtime_ns, width=384, height=256, format=fmt)
               for path, fmt in ((dng, "DNG"), (cover, "JPEG"))]
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "older")
    result = run("report", lib, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [r["path"] for r in jsonl(result.stdout)] == [str(cover)]
    assert NOTE in result.stderr


def test_report_only_counts_the_raw_files_it_would_have_listed(tmp_path):
    db, _ = _older_library(tmp_path)  # (the DNG's own record: blurry)
    blurry = run("report", db.parent, "--only", "blurry", "--format", "jsonl")
    assert blurry.exit_code == 0, blurry.output
    assert NOTE in blurry.stderr
    sharp = run("report", db.parent, "--only", "sharp", "--format", "jsonl")
    assert sharp.exit_code == 0, sharp.output
    assert [os.path.basename(r["path"]) for r in jsonl(sharp.stdout)] == ["PXL_20261201_101500000.jpg"]
    assert "RAW twin" not in sharp.stderr  # (no blurry DNG would have been listed)


def test_a_changed_dng_left_out_is_not_counted_as_a_listed_photo_changed(tmp_path):
    db, files = _older_library(tmp_path)
    dng = files[f"{STEM}.RAW-02.ORIGINAL.dng"]
    os.utime(dng, ns=(dng.stat().st_atime_ns, dng.stat().st_mtime_ns + 10**9))  # (its metadata edited since)
    result = run("report", db.parent, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert NOTE in result.stderr
    assert "changed since the last scan" not in result.stderr  # (it is not listed)


def test_the_review_page_leaves_the_dng_out_beside_a_photo_of_two_names(tmp_path):
    """A library with a hard link as well (a photo under two names): the DNG's record is left out still."""
    db, files = _older_library(tmp_path)
    sharp = files["PXL_20261201_101500000.jpg"]
    link = sharp.with_name("again.jpg")
    os.link(sharp, link)
    st = os.stat(link)
    with Store(db) as store:
        store.put([ScanRecord(path=str(link), verdict="sharp", p_blurry=0.05, size=st.st_size,
                              mtime_ns=st.st_mtime_ns, width=384, height=256, format="JPEG")], "older")
    client = review_client((db, None))
    names = [i["name"] for i in client.get("/api/items?filter=all", base_url=BASE).get_json()["items"]]
    assert len(names) == 2 and f"{STEM}.RAW-01.COVER.jpg" in names, names  # (a link's one name, the JPEG alone)
