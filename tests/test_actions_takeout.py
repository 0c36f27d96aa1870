"""Google Photos Takeout's JSON metadata files go with their photo in ``move`` and ``trash`` (and come back on
undo), listed in the dry run, and only a JSON that is clearly that photo's: the names are the forms quoted in
reports to the tools that read Takeout (docs/actions.md, Sidecars). Each was left behind, an orphan that undo
could not bring back with its photo."""
from __future__ import annotations

import json
import os
from pathlib import Path

from blurscan.actions import plan_move, plan_trash
from blurscan.actions.photo_group import companions
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, snapshot
from helpers_sqlite import closed_after_the_test

#: Names of real Takeout files (GooglePhotosTakeoutHelper #59 and #375, immich-go #35; an emoji name of 46 UTF-16
#: code units in its JSON, of 48 in the photo's own cut name).
EMOJI = "😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋"
LONG = "PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN"


def takeout_json(title: str, taken: int = 1432899000) -> str:
    """A JSON file as Takeout writes it beside a photo."""
    return json.dumps({
        "title": title, "description": "at the beach", "imageViews": "3",
        "creationTime": {"timestamp": str(taken + 600), "formatted": "May 29, 2015, 11:44:23 AM UTC"},
        "photoTakenTime": {"timestamp": str(taken), "formatted": "May 29, 2015, 11:30:00 AM UTC"},
        "geoData": {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0, "latitudeSpan": 0.0,
                    "longitudeSpan": 0.0},
        "geoDataExif": {"latitude": 48.8584, "longitude": 2.2945, "altitude": 35.0, "latitudeSpan": 0.0,
                        "longitudeSpan": 0.0},
        "people": [{"name": "Ana"}],
        "url": "https://photos.google.com/photo/AF1QipN",
        "googlePhotosOrigin": {"mobileUpload": {"deviceType": "ANDROID_PHONE"}},
    }, indent=2)


def takeout_folder(root: Path, photos: list[str], jsons: dict[str, str], others=()) -> tuple[Store, Path]:
    """``root/Takeout/Google Photos/Trip`` with real JPEGs (scanned into a store at ``root``), Takeout JSON
    files (name -> the title inside) and other files (videos: bytes only, not scanned)."""
    folder = root / "Takeout" / "Google Photos" / "Trip"
    folder.mkdir(parents=True)
    for i, name in enumerate(photos):
        save_jpeg(folder / name, blurred(textured(i, (96, 128))))
    for name, title in jsons.items():
        (folder / name).write_text(takeout_json(title), encoding="utf-8")
    for name in others:
        (folder / name).write_bytes(os.urandom(5000))
    store = closed_after_the_test(Store(root / ".blurscan.db"))
    store.put([ScanRecord(path=str(folder / n), verdict="blurry", size=(folder / n).stat().st_size,
                          mtime_ns=(folder / n).stat().st_mtime_ns, format="JPEG") for n in photos], "test")
    return store, folder


def taken(store, folder: Path, *photos: str, dest: Path) -> dict[str, list[str]]:
    """Photo -> the names of the files a move of ``photos`` (marked discard) takes with it."""
    for name in photos:
        decide(store, str(folder / name), "discard")
    plan = plan_move(store, dest)
    return {os.path.basename(p.photo): [os.path.basename(f.src) for f in p.files[1:]] for p in plan.photos}


def test_move_takes_the_json_lists_it_and_undo_brings_it_back(tmp_path):
    root = tmp_path / "lib"
    store, folder = takeout_folder(root, ["IMG_1.jpg", "IMG_2.jpg"],
                                   {"IMG_1.jpg.json": "IMG_1.jpg", "IMG_2.jpg.json": "IMG_2.jpg"})
    decide(store, str(folder / "IMG_1.jpg"), "discard")
    store.close()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    out = run("move", "--to", dest, root)  # the dry run
    assert out.exit_code == 0, out.output
    assert "IMG_1.jpg [discard]  (with IMG_1.jpg.json)" in out.output, out.output
    assert "1 photo (2 files" in out.output and snapshot(root) == before
    out = run("move", "--to", dest, "--yes", root)
    assert out.exit_code == 0 and "moved 1 photo" in out.output, out.output
    moved = dest / "Takeout" / "Google Photos" / "Trip"
    assert sorted(os.listdir(moved)) == ["IMG_1.jpg", "IMG_1.jpg.json"]
    assert json.loads((moved / "IMG_1.jpg.json").read_text())["title"] == "IMG_1.jpg"
    assert sorted(os.listdir(folder)) == ["IMG_2.jpg", "IMG_2.jpg.json"]  # the other photo's stays
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 2 files" in out.output, out.output
    assert snapshot(root) == before  # both back, byte for byte, with their times


def test_trash_and_the_review_pages_size_count_the_json_too(tmp_path):
    store, folder = takeout_folder(tmp_path / "lib", ["IMG_1.jpg"], {"IMG_1.jpg.json": "IMG_1.jpg"})
    decide(store, str(folder / "IMG_1.jpg"), "discard")
    plan = plan_trash(store)
    assert [os.path.basename(f.src) for f in plan.photos[0].files] == ["IMG_1.jpg", "IMG_1.jpg.json"]
    photo = str(folder / "IMG_1.jpg")
    json_file = folder / "IMG_1.jpg.json"
    assert companions([photo])[photo] == ((str(json_file), json_file.stat().st_size, "sidecar"),)


def test_a_raw_twins_json_goes_with_it(tmp_path):
    """A RAW + JPEG pair moves as one photo: the RAW's own Takeout JSON goes with it, as its .xmp does."""
    store, folder = takeout_folder(tmp_path / "lib", ["IMG_7.jpg"], {"IMG_7.jpg.json": "IMG_7.jpg",
                                                                     "IMG_7.CR2.json": "IMG_7.CR2"},
                                   others=["IMG_7.CR2"])
    assert taken(store, folder, "IMG_7.jpg", dest=tmp_path / "r") == {
        "IMG_7.jpg": ["IMG_7.CR2", "IMG_7.CR2.json", "IMG_7.jpg.json"]}

def test_a_json_or_sidecar_that_is_no_regular_file_stays(tmp_path):
    """Only regular files go with a photo: a Takeout JSON or an .xmp that is a symbolic link (never followed), or a
    folder of a sidecar's name, stays where it is (:func:`blurscan.actions.regular_file.regular_lstat`)."""
    store, folder = takeout_folder(tmp_path / "lib", ["IMG_1.jpg", "IMG_2.jpg"], {"IMG_2.jpg.json": "IMG_2.jpg"})
    outside = tmp_path / "elsewhere.json"
    outside.write_text(takeout_json("IMG_1.jpg"), encoding="utf-8")
    (folder / "IMG_1.jpg.json").symlink_to(outside)
    (folder / "IMG_1.jpg.xmp").symlink_to(outside)
    (folder / "IMG_2.jpg.xmp").mkdir()
    assert taken(store, folder, "IMG_1.jpg", "IMG_2.jpg", dest=tmp_path / "r") == {
        "IMG_1.jpg": [], "IMG_2.jpg": ["IMG_2.jpg.json"]}


def test_the_numbered_duplicate_form(tmp_path):
    """Takeout names the second photo of one name IMG_4081(1).jpg and its JSON IMG_4081.JPG(1).json (the
    number after the whole name, in the case of the name uploaded); IMG_4081.jpg.json stays with IMG_4081.jpg."""
    store, folder = takeout_folder(tmp_path / "lib", ["IMG_4081.jpg", "IMG_4081(1).jpg"],
                                   {"IMG_4081.jpg.json": "IMG_4081.jpg", "IMG_4081.JPG(1).json": "IMG_4081.JPG"})
    assert taken(store, folder, "IMG_4081(1).jpg", dest=tmp_path / "r") == {"IMG_4081(1).jpg": ["IMG_4081.JPG(1).json"]}
    decide(store, str(folder / "IMG_4081(1).jpg"), "keep")
    assert taken(store, folder, "IMG_4081.jpg", dest=tmp_path / "r") == {"IMG_4081.jpg": ["IMG_4081.jpg.json"]}


def test_the_supplemental_metadata_forms(tmp_path):
    """Since late 2024: NAME.supplemental-metadata.json, cut short in a long name (any part of the word after
    the photo's whole name), numbered (NAME.supplemental-metadata(1).json), and a long name cut itself."""
    jsons = {
        "IMG_20210704_094147.jpg.supplemental-metadata.json": "IMG_20210704_094147.jpg",
        "IMG_20210704_094147.jpg.supplemental-metadata(1).json": "IMG_20210704_094147.jpg",
        "IMG_1.jpg.supplemental-metad.json": "IMG_1.jpg",
        "IMG_20250112_100426_HDR_portrait.jpg.supplemen.json": "IMG_20250112_100426_HDR_portrait.jpg",
        LONG + ".json": LONG + "AL.jpg",
        EMOJI + ".json": EMOJI + "😛😝.jpg",
    }
    photos = ["IMG_20210704_094147.jpg", "IMG_20210704_094147(1).jpg", "IMG_1.jpg",
              "IMG_20250112_100426_HDR_portrait.jpg", LONG + "A.jpg", EMOJI + "😛.jpg"]
    store, folder = takeout_folder(tmp_path / "lib", photos, jsons)
    assert taken(store, folder, *photos, dest=tmp_path / "r") == {
        "IMG_20210704_094147.jpg": ["IMG_20210704_094147.jpg.supplemental-metadata.json"],
        "IMG_20210704_094147(1).jpg": ["IMG_20210704_094147.jpg.supplemental-metadata(1).json"],
        "IMG_1.jpg": ["IMG_1.jpg.supplemental-metad.json"],
        "IMG_20250112_100426_HDR_portrait.jpg": ["IMG_20250112_100426_HDR_portrait.jpg.supplemen.json"],
        LONG + "A.jpg": [LONG + ".json"],
        EMOJI + "😛.jpg": [EMOJI + ".json"],
    }


def test_a_json_that_is_not_clearly_the_photos_stays(tmp_path):
    """By stem alone (IMG_3.json: IMG_3.jpg's or IMG_3.mp4's?), an album's metadata.json, another word than
    supplemental-metadata, a cut long name two files of the folder begin with (until both go), and the JSON of
    a photo whose Takeout edit stays (the tools give the edit its original's JSON): each stays. (IMG_3.mp4 is taken
    with IMG_3.jpg as its Live Photo clip since 2026-12-06: the JSON by stem stays all the same.)"""
    photos = ["IMG_3.jpg", "IMG_5.jpg", "IMG_5-edited.jpg", LONG + "A.jpg"]
    jsons = {"IMG_3.json": "IMG_3.jpg", "metadata.json": "Trip", "IMG_3.jpg.notes.json": "IMG_3.jpg",
             "IMG_5.jpg.json": "IMG_5.jpg", LONG + ".json": LONG + "AL.jpg"}
    store, folder = takeout_folder(tmp_path / "lib", photos, jsons, others=["IMG_3.mp4", LONG + "AL.mp4"])
    assert taken(store, folder, "IMG_3.jpg", "IMG_5.jpg", LONG + "A.jpg", dest=tmp_path / "r") == {
        "IMG_3.jpg": ["IMG_3.mp4"], "IMG_5.jpg": [], LONG + "A.jpg": []}
    # the edit goes too: the JSON goes with the last of the two (the plan takes IMG_5-edited.jpg first)
    assert taken(store, folder, "IMG_5-edited.jpg", dest=tmp_path / "r")["IMG_5.jpg"] == ["IMG_5.jpg.json"]


def test_a_cut_json_two_files_begin_with_goes_once_the_other_is_gone(tmp_path):
    """Two long names alike in their first 46 characters (a photo and a video, not of the photo's own name, which
    would be its Live Photo clip): their cut JSON stays while the other is there; once it is gone, the JSON goes with the photo, and undo puts both back."""
    lib = tmp_path / "lib"
    store, folder = takeout_folder(lib, [LONG + "A.jpg"], {LONG + ".json": LONG + "AL.jpg"}, others=[LONG + "AL.mp4"])
    decide(store, str(folder / (LONG + "A.jpg")), "discard")
    store.close()
    before = snapshot(lib)
    out = run("move", "--to", tmp_path / "r", "--yes", lib)
    assert out.exit_code == 0 and "moved 1 photo" in out.output, out.output
    assert sorted(os.listdir(folder)) == [LONG + ".json", LONG + "AL.mp4"]
    assert run("undo", lib).exit_code == 0 and snapshot(lib) == before
    (folder / (LONG + "AL.mp4")).unlink()  # the video deleted by hand: the JSON can be the photo's alone now
    out = run("move", "--to", tmp_path / "r2", "--yes", lib)
    assert out.exit_code == 0 and "moved 1 photo" in out.output, out.output
    assert os.listdir(folder) == []
    assert sorted(os.listdir(tmp_path / "r2" / "Takeout" / "Google Photos" / "Trip")) == [LONG + ".json",
                                                                                        LONG + "A.jpg"]
    assert run("undo", lib).exit_code == 0
    del before[str(folder / (LONG + "AL.mp4"))]
    assert snapshot(lib) == before
