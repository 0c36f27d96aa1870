"""Keeps made in a sub-folder's own database (``scan lib/2024``, reviewed, before ``scan lib``) when the photo
leaves that sub-folder by hand (moved, or copied and deleted there), or is replaced by another file since
(blurscan.renamed.carry_keeps_from_above, blurscan.actions.keeps). Real scans of generated photos (model "none":
the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil
import time

import blurscan
from blurscan.actions import plan_move
from blurscan.actions.keeps import kept_elsewhere
from blurscan.config import ScanSettings
from blurscan.review import decisions
from blurscan.review.elsewhere import KeptElsewhere
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured

SETTINGS = ScanSettings(workers=1, model="none")


def _save_tiff(path, rgb):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="TIFF")  # uncompressed: another picture of one size has that size
    return path


def _keep(db, path):
    """A keep made in the review page of ``db`` on ``path`` as it is now."""
    st = os.stat(path)
    with Store(db) as store:
        decisions.set_decision(store, str(path), "keep", size=st.st_size, mtime_ns=st.st_mtime_ns)


def _library(tmp_path, sub_photo):
    """lib/2024 scanned on its own and ``sub_photo`` kept there, then lib scanned: (lib, lib's database)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2023" / "IMG_9.jpg", blurred(textured(9), 4.0))
    save_jpeg(lib / "2024" / "IMG_2.jpg", textured(2))  # sharp: no move takes it
    list(blurscan.scan([lib / "2024"], SETTINGS, db=str(lib / "2024" / ".blurscan.db")))
    _keep(lib / "2024" / ".blurscan.db", sub_photo)
    db = str(lib / ".blurscan.db")
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(sub_photo)].verdict == "blurry" and records[str(lib / "2023" / "IMG_9.jpg")].verdict == "blurry"
    return lib, db


def test_a_photo_kept_in_a_sub_folders_database_and_moved_out_of_it_by_hand_stays_kept(tmp_path):
    """Kept in lib/2024/.blurscan.db, then moved by hand to lib/2023: that database was no longer above it and the
    library's never knew of the keep, so `move --all-blurry` from lib took it. The scan that recognises the move
    copies the keep into the library's database; the sub-folder's database is not written."""
    photo = save_jpeg(tmp_path / "lib" / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    lib, db = _library(tmp_path, photo)
    sub = lib / "2024" / ".blurscan.db"
    sub_before = sub.read_bytes()
    moved = lib / "2023" / "IMG_1.jpg"
    os.rename(photo, moved)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(moved)].cached  # recognised as moved by hand (blurscan.renamed)
    with Store(db) as store:
        st = moved.stat()
        assert decisions.decision_for(store, str(moved), st.st_size, st.st_mtime_ns) == "keep"
        taken = {p.photo for p in plan_move(store, tmp_path / "rejects", all_flagged=True).photos}
    assert taken == {str(lib / "2023" / "IMG_9.jpg")}
    assert sub.read_bytes() == sub_before
    # moved within the sub-folder: its database is still above the photo and protects it; nothing is copied
    inner = lib / "2024" / "trip" / "IMG_3.jpg"
    save_jpeg(inner, blurred(textured(3), 4.0))
    list(blurscan.scan([lib], SETTINGS, db=db))
    _keep(sub, inner)
    os.renames(inner, lib / "2024" / "best" / "IMG_3.jpg")
    list(blurscan.scan([lib], SETTINGS, db=db))
    with Store(db) as store:
        assert decisions.get(store, str(lib / "2024" / "best" / "IMG_3.jpg")) is None
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
    assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg")}
    assert str(lib / "2024" / "best" / "IMG_3.jpg") in {s.path for s in plan.skipped}


def test_a_keep_in_a_sub_folders_database_made_on_a_photo_replaced_since_is_to_review_again(tmp_path):
    """Kept in lib/2024/.blurscan.db, then replaced by another picture of the same size, its time set back: the
    library's scan found it replaced and cleared its own decisions, but the sub-folder's keep still showed the new
    picture as kept on the review page and in reports, unseen, and a discard made on it from the library never
    took it. As with a keep of the library's own: move leaves it until it is decided again, and shows it to
    review; a discard made on it from the library takes it. A keep on a photo only chmod-ed still counts."""
    photo = _save_tiff(tmp_path / "lib" / "2024" / "SCAN_1.tif", blurred(textured(1), 4.0))
    touched = _save_tiff(tmp_path / "lib" / "2024" / "SCAN_2.tif", blurred(textured(5), 4.0))
    lib, db = _library(tmp_path, photo)
    _keep(lib / "2024" / ".blurscan.db", touched)
    before = photo.stat()
    time.sleep(0.02)
    _save_tiff(photo.with_name("new.tif"), blurred(textured(7), 4.0)).replace(photo)
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.chmod(touched, 0o600)
    now = photo.stat()
    assert (now.st_size, now.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert not records[str(photo)].cached and records[str(touched)].cached  # rescored: replaced (blurscan.replaced)
    sub = lib / "2024" / ".blurscan.db"
    with Store(db) as store:
        shown = kept_elsewhere(store, [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in (photo, touched)])
        assert shown == {str(touched): f"marked keep in {sub}"}  # the page and the report: SCAN_1 to review
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg")}  # not taken unseen either
        assert {s.path: s.reason for s in plan.skipped}[str(photo)] == (
            f"marked keep in {sub}, made on an earlier version of this file (changed or replaced since): review it "
            "again")
        decisions.set_decision(store, str(photo), "discard", size=now.st_size, mtime_ns=now.st_mtime_ns)
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
    assert {p.photo: p.reason for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg"): "blurry",
                                                        str(photo): "discard"}
    assert {s.path: s.reason for s in plan.skipped}[str(touched)] == f"marked keep in {sub}"


def test_a_keep_made_in_a_sub_folders_database_on_the_new_picture_outweighs_the_librarys_stale_discard(tmp_path):
    """Discarded from the library, then replaced by another picture of the same size (time set back), and that new
    picture scanned and kept in lib/2024 (its own database) before the library was scanned again: the two
    databases' records then differ, and it is the library's that is stale. The keep was taken for one made on an
    earlier version (the library's record was believed), so the library's old discard took the photo kept."""
    photo = _save_tiff(tmp_path / "lib" / "2024" / "SCAN_1.tif", blurred(textured(1), 4.0))
    lib, db = _library(tmp_path, _save_tiff(tmp_path / "lib" / "2024" / "SCAN_0.tif", blurred(textured(4), 4.0)))
    sub = lib / "2024" / ".blurscan.db"
    before = photo.stat()
    with Store(db) as store:
        decisions.set_decision(store, str(photo), "discard", size=before.st_size, mtime_ns=before.st_mtime_ns)
    time.sleep(0.02)
    _save_tiff(photo.with_name("new.tif"), blurred(textured(7), 4.0)).replace(photo)
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    records = {r.path: r for r in blurscan.scan([lib / "2024"], SETTINGS, db=str(sub))}
    assert not records[str(photo)].cached  # the sub-folder's scan found it replaced
    _keep(sub, photo)
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        shown = kept_elsewhere(store, [(str(photo), before.st_size, before.st_mtime_ns)])
    assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg")}
    assert {s.path: s.reason for s in plan.skipped}[str(photo)] == f"marked keep in {sub}"
    assert shown == {str(photo): f"marked keep in {sub}"}


def test_a_photo_kept_in_a_sub_folders_database_copied_out_and_deleted_there_stays_kept(tmp_path):
    """Kept in lib/2024/.blurscan.db, copied out by hand (`cp -p`, twice), the library scanned, then the original
    deleted: no scan saw a move (the original was still there), and that database was above neither copy, so
    `move --all-blurry` from lib took both, though the same steps with the keep in the library's database left
    them (a keep of a photo no longer there protects every photo of its suffix, size and time). A sub-folder's
    database now counts the same; which copy is the kept one cannot be told: both are left."""
    photo = save_jpeg(tmp_path / "lib" / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    lib, db = _library(tmp_path, photo)
    copies = [lib / "2023" / "IMG_1.jpg", lib / "2022" / "best.jpg"]
    for copy in copies:
        copy.parent.mkdir(exist_ok=True)
        shutil.copy2(photo, copy)
    list(blurscan.scan([lib], SETTINGS, db=db))
    sub = lib / "2024" / ".blurscan.db"
    sub_before = sub.read_bytes()
    os.unlink(photo)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert {records[str(c)].verdict for c in copies} == {"blurry"}
    reason = (f"marked keep in {sub} as IMG_1.jpg, a photo of the same size and time no longer there (this one, "
              "renamed or moved by hand?)")
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        shown = KeptElsewhere().reasons(store, [(str(c), c.stat().st_size, c.stat().st_mtime_ns) for c in copies])
    assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg")}
    assert {s.path: s.reason for s in plan.skipped if s.path in map(str, copies)} == dict.fromkeys(map(str, copies),
                                                                                                  reason)
    assert shown == dict.fromkeys(map(str, copies), reason)  # the review page shows them kept
    assert sub.read_bytes() == sub_before
