"""Capture One's per-photo settings file (``CaptureOne/Settings<N>/IMG_1.CR2.cos``, the photo's adjustments) goes
with its photo in ``move`` and ``trash``, to the same place under the destination, and comes back on undo; its
cache (``CaptureOne/Cache``: thumbnails, previews) stays. Until 2026-12-06 the ``.cos`` was left behind: Capture
One lost the photo's adjustments until ``undo``."""
from __future__ import annotations

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

COS = '<?xml version="1.0" encoding="UTF-8"?>\n<SL Engine="1300"><E K="Settings" V="Exposure=0.7"/></SL>\n'


def session(root: Path, photos: list[str], settings: dict[str, str], others=()) -> tuple[Store, Path]:
    """``root/2024`` with real JPEGs (scanned into a store at ``root``, blurry), Capture One's settings files
    (path under ``2024/CaptureOne`` -> text) and other files (RAW twins, caches: bytes only)."""
    folder = root / "2024"
    folder.mkdir(parents=True)
    for i, name in enumerate(photos):
        save_jpeg(folder / name, blurred(textured(i, (96, 128))))
    for rel, text in settings.items():
        (folder / "CaptureOne" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "CaptureOne" / rel).write_text(text, encoding="utf-8")
    for rel in others:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(os.urandom(3000))
    store = closed_after_the_test(Store(root / ".blurscan.db"))
    store.put([ScanRecord(path=str(folder / n), verdict="blurry", size=(folder / n).stat().st_size,
                          mtime_ns=(folder / n).stat().st_mtime_ns, format="JPEG") for n in photos], "test")
    return store, folder


def taken(store, folder: Path, *photos: str, dest: Path) -> dict[str, list[str]]:
    """Photo -> the files (relative to its folder) a move of ``photos`` (marked discard) takes with it."""
    for name in photos:
        decide(store, str(folder / name), "discard")
    plan = plan_move(store, dest)
    return {os.path.basename(p.photo): [os.path.relpath(f.src, folder) for f in p.files[1:]] for p in plan.photos}


def test_move_takes_the_cos_to_the_same_place_lists_it_and_undo_brings_it_back(tmp_path):
    root = tmp_path / "lib"
    store, folder = session(root, ["IMG_0003.jpg", "IMG_0004.jpg"],
                            {"Settings153/IMG_0003.jpg.cos": COS, "Settings153/IMG_0004.jpg.cos": COS},
                            others=["CaptureOne/Cache/Thumbnails/IMG_0003.jpg.cot",
                                    "CaptureOne/Cache/Proxies/IMG_0003.jpg.cop"])
    decide(store, str(folder / "IMG_0003.jpg"), "discard")
    store.close()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    out = run("move", "--to", dest, root)  # the dry run
    assert out.exit_code == 0, out.output
    assert "2024/IMG_0003.jpg [discard]  (with CaptureOne/Settings153/IMG_0003.jpg.cos)" in out.output, out.output
    assert "1 photo (2 files" in out.output and snapshot(root) == before
    out = run("move", "--to", dest, "--yes", root)
    assert out.exit_code == 0 and "moved 1 photo (2 files" in out.output, out.output
    moved = dest / "2024" / "CaptureOne" / "Settings153" / "IMG_0003.jpg.cos"
    assert moved.read_text(encoding="utf-8") == COS
    assert sorted(os.listdir(folder / "CaptureOne" / "Settings153")) == ["IMG_0004.jpg.cos"]  # the other's stays
    assert (folder / "CaptureOne" / "Cache" / "Thumbnails" / "IMG_0003.jpg.cot").exists()  # the cache stays
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 2 files" in out.output, out.output
    assert snapshot(root) == before  # back, byte for byte, with their times
    assert not dest.exists() or not any(dest.rglob("*"))


def test_trash_and_the_review_pages_size_count_the_cos_too(tmp_path):
    store, folder = session(tmp_path / "lib", ["IMG_1.jpg"], {"Settings131/IMG_1.jpg.cos": COS})
    decide(store, str(folder / "IMG_1.jpg"), "discard")
    plan = plan_trash(store)
    cos = folder / "CaptureOne" / "Settings131" / "IMG_1.jpg.cos"
    assert [f.src for f in plan.photos[0].files] == [str(folder / "IMG_1.jpg"), str(cos)]
    photo = str(folder / "IMG_1.jpg")
    assert companions([photo])[photo] == ((str(cos), cos.stat().st_size, "sidecar"),)


def test_a_raw_twins_cos_goes_with_it_from_every_settings_folder(tmp_path):
    """A RAW + JPEG pair moves as one photo: the RAW's own settings go with it, those an older Capture One left
    in its own settings folder too."""
    store, folder = session(tmp_path / "lib", ["IMG_7.jpg"], {"Settings120/IMG_7.CR2.cos": COS,
                                                              "Settings153/IMG_7.CR2.cos": COS},
                            others=["IMG_7.CR2"])
    assert taken(store, folder, "IMG_7.jpg", dest=tmp_path / "r") == {
        "IMG_7.jpg": ["IMG_7.CR2", "CaptureOne/Settings120/IMG_7.CR2.cos", "CaptureOne/Settings153/IMG_7.CR2.cos"]}


def test_a_cos_that_is_not_clearly_the_photos_stays(tmp_path):
    """By the whole name only (``IMG_2.cos`` names no file); one named after another file whose name differs in
    case alone is that file's; a ``.cos`` outside a ``Settings<N>`` folder, or in a linked one, is not Capture
    One's settings of the photo."""
    store, folder = session(tmp_path / "lib", ["IMG_2.jpg", "IMG_3.jpg"],
                            {"Settings153/IMG_2.cos": COS, "Settings153/IMG_3.JPG.cos": COS,
                             "Cache/IMG_2.jpg.cos": COS, "Settings153/IMG_2.jpg.cos.bak": COS},
                            others=["IMG_3.JPG"])
    (folder / "CaptureOne" / "Settings9").symlink_to(tmp_path)
    (tmp_path / "IMG_2.jpg.cos").write_text(COS)
    assert taken(store, folder, "IMG_2.jpg", "IMG_3.jpg", dest=tmp_path / "r") == {"IMG_2.jpg": [], "IMG_3.jpg": []}


def test_a_cos_named_in_another_case_goes_with_the_photo_when_no_file_bears_that_name(tmp_path):
    """``IMG_5.JPG.cos`` beside ``IMG_5.jpg`` alone (a card read on a case-insensitive system, renamed since)
    names no other file: it is the photo's, and goes with it."""
    store, folder = session(tmp_path / "lib", ["IMG_5.jpg"], {"Settings153/IMG_5.JPG.cos": COS})
    assert taken(store, folder, "IMG_5.jpg", dest=tmp_path / "r") == {
        "IMG_5.jpg": ["CaptureOne/Settings153/IMG_5.JPG.cos"]}


def test_no_cos_through_a_linked_captureone_nor_from_a_folder_only_named_like_settings(tmp_path):
    """Only a plain ``.cos`` file in a real ``CaptureOne/Settings<N>`` folder is the photo's: not a folder of that
    name, not one in ``Settings153.bak`` (a copy put aside), not one reached through a ``CaptureOne`` that is a
    link to another folder's (another library's settings, whose photo stays)."""
    store, folder = session(tmp_path / "lib", ["IMG_6.jpg"], {"Settings153.bak/IMG_6.jpg.cos": COS})
    (folder / "CaptureOne" / "Settings153" / "IMG_6.jpg.cos").mkdir(parents=True)
    (folder / "CaptureOne" / "Settings153" / "IMG_6.jpg.cos" / "x").write_text("x")
    assert taken(store, folder, "IMG_6.jpg", dest=tmp_path / "r") == {"IMG_6.jpg": []}
    store.close()
    elsewhere = tmp_path / "other" / "CaptureOne" / "Settings153"
    elsewhere.mkdir(parents=True)
    (elsewhere / "IMG_8.jpg.cos").write_text(COS)
    store, folder = session(tmp_path / "lib2", ["IMG_8.jpg"], {})
    (folder / "CaptureOne").symlink_to(tmp_path / "other" / "CaptureOne")
    assert taken(store, folder, "IMG_8.jpg", dest=tmp_path / "r2") == {"IMG_8.jpg": []}
    store.close()


def test_the_layers_masks_comask_go_with_the_photo_and_come_back_on_undo(tmp_path):
    # Capture One keeps a photo's layer masks in CaptureOne/Settings<N>/NAME.comask beside its NAME.cos: left
    # behind (until 2026-12-07), the photo, once found again, had its layers and no masks to them
    root = tmp_path / "lib"
    store, folder = session(root, ["IMG_0003.jpg", "IMG_0004.jpg"],
                            {"Settings153/IMG_0003.jpg.cos": COS, "Settings153/IMG_0003.jpg.comask": "mask 3",
                             "Settings153/IMG_0004.jpg.comask": "mask 4", "Settings131/IMG_0003.jpg.comask": "old"},
                            others=["CaptureOne/Cache/Proxies/IMG_0003.jpg.cof"])
    decide(store, str(folder / "IMG_0003.jpg"), "discard")
    store.close()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    out = run("move", "--to", dest, root)  # the dry run
    assert out.exit_code == 0, out.output
    assert "CaptureOne/Settings153/IMG_0003.jpg.comask" in out.output, out.output
    assert "1 photo (4 files" in out.output and snapshot(root) == before, out.output
    out = run("move", "--to", dest, "--yes", root)
    assert out.exit_code == 0 and "moved 1 photo (4 files" in out.output, out.output
    moved = dest / "2024" / "CaptureOne"
    assert (moved / "Settings153" / "IMG_0003.jpg.comask").read_text(encoding="utf-8") == "mask 3"
    assert (moved / "Settings131" / "IMG_0003.jpg.comask").read_text(encoding="utf-8") == "old"
    assert (moved / "Settings153" / "IMG_0003.jpg.cos").read_text(encoding="utf-8") == COS
    assert sorted(os.listdir(folder / "CaptureOne" / "Settings153")) == ["IMG_0004.jpg.comask"]  # the other's stays
    assert (folder / "CaptureOne" / "Cache" / "Proxies" / "IMG_0003.jpg.cof").exists()  # the cache stays
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 4 files" in out.output, out.output
    assert snapshot(root) == before  # back, byte for byte, with their times


def test_a_comask_alone_goes_with_its_photo_in_trash(tmp_path):
    store, folder = session(tmp_path / "lib", ["IMG_1.jpg"], {"Settings166/IMG_1.jpg.comask": "mask"})
    decide(store, str(folder / "IMG_1.jpg"), "discard")
    plan = plan_trash(store)
    store.close()
    mask = folder / "CaptureOne" / "Settings166" / "IMG_1.jpg.comask"
    assert [f.src for f in plan.photos[0].files] == [str(folder / "IMG_1.jpg"), str(mask)]


def test_settings_stay_with_their_photo_when_undo_cannot_put_the_photo_back(tmp_path):
    # a file now at the photo's place keeps the photo, its RAW twin and sidecar at --to: until 2026-12-07 its .cos
    # and .comask (journaled after them, in a folder of their own) came back alone, Capture One's adjustments and
    # masks of the moved photo applied to the file now under its name
    root = tmp_path / "lib"
    store, folder = session(root, ["IMG_1.jpg"], {"Settings153/IMG_1.jpg.cos": COS,
                                                  "Settings153/IMG_1.CR2.comask": "mask"}, others=["IMG_1.CR2"])
    decide(store, str(folder / "IMG_1.jpg"), "discard")
    store.close()
    dest = tmp_path / "rejects"
    out = run("move", "--to", dest, "--yes", root)
    assert out.exit_code == 0 and "moved 1 photo (4 files" in out.output, out.output
    (folder / "IMG_1.jpg").write_bytes(b"another picture")
    out = run("undo", root)
    assert out.exit_code == 1 and "restored 0 files, 4 could not be restored" in out.output, out.output
    assert "Settings153/IMG_1.CR2.comask: not put back" in out.output, out.output
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["IMG_1.jpg"]
    assert sorted(p.name for p in dest.rglob("*") if p.is_file()) == [
        "IMG_1.CR2", "IMG_1.CR2.comask", "IMG_1.jpg", "IMG_1.jpg.cos"]
    (folder / "IMG_1.jpg").unlink()
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 4 files" in out.output, out.output
    assert (folder / "CaptureOne" / "Settings153" / "IMG_1.jpg.cos").read_text(encoding="utf-8") == COS


def test_a_settings_file_is_the_photos_by_its_name_and_place():
    from blurscan.actions.captureone import settings_of

    def of(path, photo="/l/2024/IMG_1.jpg"):
        return settings_of("/l/2024/" + path, photo)

    assert of("CaptureOne/Settings153/IMG_1.jpg.cos") and of("captureone/settings/IMG_1.JPG.comask")
    assert of("CaptureOne/Settings1/IMG_1.CR2.cos") and of("CaptureOne/Settings1/PXL_1.RAW-02.ORIGINAL.dng.cos",
                                                            "/l/2024/PXL_1.RAW-01.COVER.jpg")
    assert not of("CaptureOne/Settings1/IMG_1.CR2.cos", "/l/2024/IMG_1.DNG")  # (a RAW alone has no twin)
    assert not of("CaptureOne/Cache/IMG_1.jpg.cos") and not of("Other/Settings1/IMG_1.jpg.cos")
    assert not of("CaptureOne/Settings1/IMG_2.jpg.cos") and not of("CaptureOne/Settings1/IMG_1.jpg.xmp")
    assert not of("CaptureOne/Settings1/.cos", "/l/2024/") and not of("IMG_1.jpg.cos")


def test_a_comask_of_another_files_name_stays_and_one_of_no_files_name_goes_once(tmp_path):
    """As for a ``.cos``: ``IMG_3.JPG.comask`` beside ``IMG_3.jpg`` and ``IMG_3.JPG`` is the latter's, and stays
    when the former moves; ``IMG_6.JPG.comask`` beside ``IMG_6.jpg`` and ``IMG_6.Jpg`` (no file of its name) goes
    with the first of them, listed once."""
    store, folder = session(tmp_path / "lib", ["IMG_3.jpg", "IMG_6.jpg", "IMG_6.Jpg"],
                            {"Settings153/IMG_3.JPG.comask": "mask", "Settings153/IMG_6.JPG.comask": "mask"},
                            others=["IMG_3.JPG"])
    assert taken(store, folder, "IMG_3.jpg", "IMG_6.jpg", "IMG_6.Jpg", dest=tmp_path / "r") == {
        "IMG_3.jpg": [], "IMG_6.Jpg": ["CaptureOne/Settings153/IMG_6.JPG.comask"], "IMG_6.jpg": []}
