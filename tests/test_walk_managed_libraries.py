"""Folders a photo application owns, met in ``~/Pictures`` or on a backup drive (blurscan.managed): an Apple
Photos library (``Photos Library.photoslibrary``: ``originals/``, its thumbnails and renders in
``resources/derivatives/``), an iPhoto library (``Masters/``, ``Previews/``, ``Thumbnails/``), Lightroom Classic's
``.lrdata`` folders beside its catalog (smart previews are small DNG files), a Nextcloud server's previews
(``appdata_oc.../preview``) and its users' deleted files (``files_trashbin``). Until 2026-12-06 a scan of the
folder above took every picture in them as a photo of the library: the thumbnails flagged blurry, and
``move --all-blurry`` took them, and the Photos library's blurry originals, out of the library (which breaks it:
Photos keeps its files' names in its own database); ``tag`` wrote sidecars into it."""
from __future__ import annotations

import os

from helpers_cli import run, jsonl
from helpers_images import blurred, save_jpeg, textured

PHOTOS = "Photos Library.photoslibrary"
IPHOTO = "iPhoto Library.photolibrary"


def _pictures(root):
    """A ~/Pictures: two photos of its own (one blurry), and the folders of photo applications, each holding
    blurry pictures (thumbnails, previews, an original)."""
    save_jpeg(root / "2024" / "IMG_0001.jpg", textured(1))
    save_jpeg(root / "2024" / "IMG_0002.jpg", blurred(textured(2), 4.0))
    lib = root / PHOTOS
    save_jpeg(lib / "originals" / "A" / "A1B2C3D4-0001.jpeg", textured(3))
    save_jpeg(lib / "originals" / "B" / "B1B2C3D4-0002.jpeg", blurred(textured(4), 4.0))
    save_jpeg(lib / "resources" / "derivatives" / "A" / "A1B2C3D4-0001_1_105_c.jpeg", blurred(textured(3), 3.0))
    save_jpeg(lib / "resources" / "derivatives" / "masters" / "A" / "A1B2C3D4-0001_4_5005_c.jpeg",
              blurred(textured(3), 3.0))
    (lib / "database").mkdir()
    (lib / "database" / "Photos.sqlite").write_bytes(b"SQLite format 3\x00")
    save_jpeg(root / IPHOTO / "Masters" / "2012" / "03" / "04" / "20120304-101010" / "IMG_1.JPG",
              blurred(textured(5), 4.0))
    save_jpeg(root / IPHOTO / "Thumbnails" / "2012" / "03" / "04" / "20120304-101010" / "IMG_1.jpg",
              blurred(textured(5), 4.0))
    save_jpeg(root / "Lightroom" / "Lightroom Catalog Helper.lrdata" / "x" / "thumb.jpg", blurred(textured(6), 3.0))
    save_jpeg(root / "Lightroom" / "Lightroom Catalog Smart Previews.lrdata" / "A" / "AB12" / "AB12.jpg",
              blurred(textured(6), 3.0))
    (root / "Lightroom" / "Lightroom Catalog.lrcat").write_bytes(b"SQLite format 3\x00")
    data = root / "Nextcloud" / "data"
    save_jpeg(data / "ann" / "files" / "Photos" / "IMG_5.jpg", textured(7))
    save_jpeg(data / "ann" / "files_trashbin" / "files" / "Old.d1700000000" / "IMG_6.jpg", blurred(textured(8), 4.0))
    save_jpeg(data / "appdata_oc1a2b3c4d5e" / "preview" / "1" / "2" / "42" / "256-256.jpg", blurred(textured(7), 3.0))
    return root


def _scan(*args):
    res = run("scan", *args, "--model", "none", "--format", "jsonl", "--workers", "1")
    assert res.exit_code == 0, res.output
    return sorted(r["path"] for r in jsonl(res.stdout)), res.stderr


def test_a_walk_passes_over_a_photo_apps_libraries_and_caches_and_says_so(tmp_path):
    pics = _pictures(tmp_path / "Pictures")
    paths, err = _scan(pics)
    assert paths == [str(pics / "2024" / "IMG_0001.jpg"), str(pics / "2024" / "IMG_0002.jpg"),
                     str(pics / "Nextcloud" / "data" / "ann" / "files" / "Photos" / "IMG_5.jpg")]
    assert f"note: {pics / PHOTOS}: an Apple Photos library, passed over: Photos manages its files" in err
    assert f"note: {pics / IPHOTO}: an iPhoto library, passed over" in err
    assert err.rstrip().endswith("passed over 1 file that is not a photo: 1 .lrcat"), err  # (no library counted)
    res = run("move", pics, "--all-blurry", "--to", tmp_path / "rejects")
    assert "Dry run: 1 photo " in res.output and "IMG_0002.jpg" in res.output, res.output
    # named by a shell's Pictures/* or a find list: the caches and the libraries' thumbnails passed over, their
    # originals taken (named: scored, never moved, below)
    originals = [str(pics / PHOTOS / "originals" / "A" / "A1B2C3D4-0001.jpeg"),
                 str(pics / PHOTOS / "originals" / "B" / "B1B2C3D4-0002.jpeg"),
                 str(pics / IPHOTO / "Masters" / "2012" / "03" / "04" / "20120304-101010" / "IMG_1.JPG")]
    found, _ = _scan(*sorted(pics.iterdir()), "--db", tmp_path / "named.db")
    assert [p for p in found if p not in paths] == originals and set(paths) <= set(found)
    listed = tmp_path / "list.txt"
    listed.write_text("".join(f"{p}\n" for p in sorted(pics.rglob("*")) if p.is_file()))
    found, _ = _scan("--files-from", listed, "--db", tmp_path / "listed.db")
    assert [p for p in found if p not in paths] == originals and set(paths) <= set(found)


def test_a_photos_library_named_is_scanned_for_its_originals_only(tmp_path):
    pics = _pictures(tmp_path / "Pictures")
    paths, err = _scan(pics / PHOTOS, pics / "Lightroom" / "Lightroom Catalog Smart Previews.lrdata")
    assert paths == [str(pics / PHOTOS / "originals" / "A" / "A1B2C3D4-0001.jpeg"),
                     str(pics / PHOTOS / "originals" / "B" / "B1B2C3D4-0002.jpeg")]
    assert f"{pics / PHOTOS}: an Apple Photos library: its originals are scanned, not its thumbnails" in err
    assert "Smart Previews.lrdata: a photo application's cache" in err
    assert _scan(*sorted((pics / PHOTOS).iterdir()), "--db", tmp_path / "named.db")[0] == paths  # (PKG/*)
    found, err = _scan(pics, pics / PHOTOS, "--db", tmp_path / "both.db")  # (named beside the folder above it)
    assert set(paths) < set(found) and "an Apple Photos library, passed over" not in err, err
    assert "an iPhoto library, passed over" in err


def test_move_trash_and_tag_never_take_a_photo_out_of_a_managed_library(tmp_path):
    pics = _pictures(tmp_path / "Pictures")
    _scan(pics / PHOTOS, pics / "2024")
    inside = pics / PHOTOS / "originals" / "B" / "B1B2C3D4-0002.jpeg"
    before = sorted(p for p in (pics / PHOTOS).rglob("*"))
    res = run("move", pics, "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert res.exit_code == 0, res.output
    assert f"{PHOTOS}/originals/B/B1B2C3D4-0002.jpeg: in an Apple Photos library ({PHOTOS}), whose files " \
           "Photos manages" in res.output and "delete it in Photos" in res.output, res.output
    assert inside.is_file() and not (pics / "2024" / "IMG_0002.jpg").exists()
    assert [p.name for p in (tmp_path / "rejects").rglob("*.jp*g")] == ["IMG_0002.jpg"]
    run("undo", pics)
    res = run("trash", pics, "--all-blurry")
    assert "would go to the trash" in res.output and "B1B2C3D4-0002.jpeg [" not in res.output, res.output
    assert "skip " + f"{PHOTOS}/originals/B/B1B2C3D4-0002.jpeg: in an Apple Photos library" in res.output
    res = run("tag", pics, "--all-blurry", "--xmp")
    assert res.exit_code == 0, res.output
    assert (pics / "2024" / "IMG_0002.jpg.xmp").is_file() or (pics / "2024" / "IMG_0002.xmp").is_file()
    assert sorted(p for p in (pics / PHOTOS).rglob("*")) == before  # (no sidecar written in the library)
    assert os.path.isfile(inside)


def test_a_cache_files_skip_reason_says_it_is_never_taken_and_gives_no_advice_that_cannot_help():
    # an older blurscan's discard of a Lightroom preview outlives its record (the next scan forgets the record, not
    # the decision), so every move and trash lists it: its reason advised "scan it again to forget it", which
    # changes nothing (the upgrade helper's finding, 2026-12-06)
    from blurscan.managed import managed_reason

    why = managed_reason("/home/u/Pictures/Cat Previews.lrdata/0/p2.jpg")
    assert why.startswith("in Cat Previews.lrdata, a photo application's cache") and why.endswith("never taken")
    assert "again" not in why


def test_a_folder_inside_a_photos_library_named_beside_the_folder_above_is_no_library_passed_over(tmp_path):
    """`scan Pictures "Pictures/Photos Library.photoslibrary/originals"`: the walk of Pictures passes the library
    over, but its originals, named, are scanned: no note that it was passed over (the iPhoto library's stays)."""
    pics = _pictures(tmp_path / "Pictures")
    found, err = _scan(pics, pics / PHOTOS / "originals", "--db", tmp_path / "inside.db")
    assert str(pics / PHOTOS / "originals" / "A" / "A1B2C3D4-0001.jpeg") in found
    assert "an Apple Photos library, passed over" not in err and "an iPhoto library, passed over" in err, err
