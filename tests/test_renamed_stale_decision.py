"""A decision carried to a photo's new path after a move by hand (blurscan.renamed: carry_decisions,
carry_keeps_from_above) against a stale decision already stored under that path, made on another file: a photo
deleted by hand whose name the moved one then took. The carried decision was dropped (INSERT / UPDATE OR IGNORE),
and once a new photo took the old name, `move --all-blurry` took the kept photo. Real scans of generated photos
(model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil

import blurscan
from blurscan.actions import plan_move
from blurscan.review import decisions
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from test_keeps_sub_folder import SETTINGS, _keep, _library


def _decide(db, path, decision):
    st = os.stat(path)
    with Store(db) as store:
        decisions.set_decision(store, str(path), decision, size=st.st_size, mtime_ns=st.st_mtime_ns)


def _rename_onto_a_deleted_discard(tmp_path, keep_in_sub: bool):
    """lib/2024/IMG_1.jpg kept (in lib/2024's own database, or in the library's), lib/2023/IMG_5.jpg discarded
    from the library and deleted by hand, the library scanned, then IMG_1.jpg renamed lib/2023/IMG_5.jpg by hand
    and the library scanned again: (lib, its database, the kept photo's new path)."""
    photo = save_jpeg(tmp_path / "lib" / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    os.utime(photo, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))  # sub-second: a rename is told
    other = save_jpeg(tmp_path / "lib" / "2023" / "IMG_5.jpg", blurred(textured(5), 4.0))
    lib, db = _library(tmp_path, photo)
    if not keep_in_sub:
        os.unlink(lib / "2024" / ".blurscan.db")
        _keep(db, photo)
    _decide(db, other, "discard")
    os.unlink(other)
    list(blurscan.scan([lib], SETTINGS, db=db))
    os.rename(photo, other)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(other)].moved_from == str(photo)  # recognised as moved by hand
    return lib, db, other


def test_a_keep_carried_from_a_sub_folders_database_outweighs_a_stale_discard_under_the_new_name(tmp_path):
    lib, db, moved = _rename_onto_a_deleted_discard(tmp_path, keep_in_sub=True)
    new = save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(3), 4.0))  # a new photo under the old name
    list(blurscan.scan([lib], SETTINGS, db=db))
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        st = moved.stat()
        decided = decisions.decision_for(store, str(moved), st.st_size, st.st_mtime_ns)
    assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg")}
    assert decided == "keep"  # the review page shows it kept, by the library's own database
    # the new photo: the sub-folder's keep under its path, made on another file, leaves it to review (as before)
    assert str(new) in {s.path for s in plan.skipped}


def test_a_keep_carried_in_the_librarys_database_outweighs_a_stale_discard_under_the_new_name(tmp_path):
    lib, db, moved = _rename_onto_a_deleted_discard(tmp_path, keep_in_sub=False)
    old = lib / "2024" / "IMG_1.jpg"
    save_jpeg(old, blurred(textured(3), 4.0))  # a new photo under the old name: nobody kept it
    list(blurscan.scan([lib], SETTINGS, db=db))
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        st = moved.stat()
        decided = decisions.decision_for(store, str(moved), st.st_size, st.st_mtime_ns)
    assert {p.photo for p in plan.photos} == {str(lib / "2023" / "IMG_9.jpg"), str(old)}
    assert decided == "keep"


def test_a_decision_under_the_new_name_on_the_moved_files_size_and_time_stays(tmp_path):
    """Not stale: a keep made on a copy (`cp -p`: the same size and time) deleted since, whose name the original,
    discarded, then took. The keep under the new name stays (a keep errs on the side of the photo), as before."""
    photo = save_jpeg(tmp_path / "lib" / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    os.utime(photo, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    lib, db = _library(tmp_path, save_jpeg(tmp_path / "lib" / "2024" / "IMG_0.jpg", blurred(textured(4), 4.0)))
    copy = lib / "2023" / "copy.jpg"
    shutil.copy2(photo, copy)
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, photo, "discard")
    _decide(db, copy, "keep")
    os.unlink(copy)
    list(blurscan.scan([lib], SETTINGS, db=db))
    os.rename(photo, copy)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(copy)].moved_from == str(photo)
    with Store(db) as store:
        st = copy.stat()
        assert decisions.decision_for(store, str(copy), st.st_size, st.st_mtime_ns) == "keep"
        assert {p.photo for p in plan_move(store, tmp_path / "rejects", all_flagged=True).photos} == {
            str(lib / "2023" / "IMG_9.jpg")}
