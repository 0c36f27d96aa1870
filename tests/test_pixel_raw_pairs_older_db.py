"""A database an older blurscan wrote holds a Pixel RAW pair's DNG as a photo of its own (``X.RAW-02.ORIGINAL.dng``
beside ``X.RAW-01.COVER.jpg``, two photos until 2026-12-07): ``report`` and the review page leave the DNG's own
record out until a scan judges the pair as one photo, as ``move`` takes the DNG with its JPEG only. They listed it
as a photo of its own, its bytes counted twice among the discards (with the JPEG's, as its RAW twin, and its own)."""
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

STEM = "PXL_20261201_101010123"


def _older_library(tmp_path):
    """A blurred Pixel RAW pair and a sharp JPEG, stored as the blurscan before 2026-12-07 stored them: the DNG
    a photo of its own. Returns (database, {name: path})."""
    lib = tmp_path / "DCIM"
    lib.mkdir()
    rgb = cv2.GaussianBlur(photo(None, (256, 384)), (0, 0), 4)
    dng = write_dng(lib / f"{STEM}.RAW-02.ORIGINAL.dng", rgb)
    cover = lib / f"{STEM}.RAW-01.COVER.jpg"
    Image.fromarray(rgb).save(cover, "JPEG", quality=90)
    sharp = lib / "PXL_20261201_101500000.jpg"
    Image.fromarray(photo(None, (256, 384))).save(sharp, "JPEG", quality=90)
    records = []
    for path, verdict, p, fmt in ((dng, "blurry", 0.99, "DNG"), (cover, "blurry", 0.97, "JPEG"),
                                  (sharp, "sharp", 0.05, "JPEG")):
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict=verdict, p_blurry=p, size=st.st_size,
                                  mtime_ns=st.st_mtime_ns, width=384, height=256, format=fmt))
    db = lib / ".blurscan.db"
    with Store(db) as store:
        store.put(records, "older")
    return db, {p.name: p for p in (dng, cover, sharp)}


def test_report_leaves_out_the_dng_of_a_pixel_pair_an_older_blurscan_stored_as_a_photo(tmp_path):
    db, files = _older_library(tmp_path)
    result = run("report", db.parent, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = jsonl(result.stdout)
    assert sorted(r["path"] for r in rows) == sorted(str(files[n]) for n in files if not n.endswith(".dng"))
    assert ("note: 1 stored RAW file now the RAW twin of a listed photo (a Pixel's X.RAW-02.ORIGINAL.dng beside its "
            f"X.RAW-01.COVER.jpg: one photo since 2026-12-07) is not listed; `blurscan scan {db.parent}` judges each "
            "pair as one photo") in result.stderr  # (PATH as given: a bare scan here scanned the current folder)
    table = run("report", db.parent)
    assert f"{STEM}.RAW-02" not in table.stdout and "2 files: 1 blurry, 0 partial, 1 sharp" in table.stdout


def test_the_review_page_leaves_out_the_dng_of_a_pixel_pair_an_older_blurscan_stored_as_a_photo(tmp_path):
    db, files = _older_library(tmp_path)
    dng, cover = files[f"{STEM}.RAW-02.ORIGINAL.dng"], files[f"{STEM}.RAW-01.COVER.jpg"]
    client = review_client((db, None))
    names = [i["name"] for i in client.get("/api/items?filter=all", base_url=BASE).get_json()["items"]]
    assert sorted(names) == sorted(n for n in files if not n.endswith(".dng"))
    figures = client.get("/api/summary", base_url=BASE).get_json()
    # the pair once, with its DNG as move takes it: 2 photos, 1 flagged (3 and 2, the DNG's bytes twice, before)
    assert (figures["photos"], figures["flagged"]) == (2, 1)
    assert figures["flagged_bytes"] == figures["undecided_bytes"] == dng.stat().st_size + cover.stat().st_size
    [folder] = client.get("/api/folders", base_url=BASE).get_json()["folders"]
    assert (folder["photos"], folder["flagged"]) == (2, 1)
    # its JPEG gone, the DNG is a photo of its own again (as the next scan judges it)
    cover.unlink()
    client = review_client((db, None))
    names = [i["name"] for i in client.get("/api/items?filter=all", base_url=BASE).get_json()["items"]]
    assert dng.name in names


def test_the_bursts_view_leaves_out_a_pixel_dng_an_older_bursts_run_grouped_as_a_shot(tmp_path):
    """The groups an older ``blurscan bursts`` stored hold the DNG as a shot of its own (the keeper, its COVER.jpg
    taken for its edit), beside a JPEG taken a moment later: the bursts view showed it so, a photo the grid does not
    list, until ``bursts`` ran again. It is left out and said, as a shot no longer on disk is; its group, one shot
    left, is hidden. Its JPEG gone, the DNG is a photo of its own again, and shown."""
    from blurscan.review.library import bursts
    from helpers_sqlite import connected

    db, files = _older_library(tmp_path)
    dng, sharp = files[f"{STEM}.RAW-02.ORIGINAL.dng"], files["PXL_20261201_101500000.jpg"]
    with connected(db) as conn:
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (1, ?, ?, ?, ?)",
                         [(str(dng), 1, 1, "you edited it: a shot you edited is kept"), (str(sharp), 2, 0, None)])
        conn.commit()
    client = review_client((db, None))
    data = client.get("/api/bursts", base_url=BASE).get_json()
    assert data["groups"] == [] and (data["twin_shots"], data["hidden_groups"]) == (1, 1), data
    with Store(db) as store:
        assert bursts(store) == []
    files[f"{STEM}.RAW-01.COVER.jpg"].unlink()
    data = review_client((db, None)).get("/api/bursts", base_url=BASE).get_json()
    assert [p["name"] for p in data["groups"][0]["photos"]] == [dng.name, sharp.name] and data["twin_shots"] == 0
