"""What a ``move`` / ``trash`` / ``tag`` plan takes, beyond tests/test_actions_move.py: never a photo kept in another
library database (actions/keeps.py: that of an earlier scan of a sub-folder, or the library's own when ``--db``
names another file); not a discard whose photo was deleted by hand; a Live Photo's video with its photo."""
from __future__ import annotations

import os
import shutil

from blurscan.actions import execute, plan_move, plan_trash, undo
from blurscan.records import ScanRecord
from blurscan.store import Store, db_path
from helpers_library import build_library, decide, snapshot


def test_a_photo_kept_in_a_sub_folders_own_database_is_never_taken(lib):
    """`scan lib/b` (review, keep), then `scan lib`: the new library database reuses lib/b's results but not its
    decisions, and `move --all-blurry` from lib took the photo kept in lib/b/.blurscan.db (found by the
    phone-library walkthrough, following blurscan's own "run `blurscan scan` first" hint from the parent)."""
    root, store, f = lib
    assert os.path.dirname(store.path) == str(root)
    nested = root / "b" / ".blurscan.db"
    with Store(nested) as sub:
        decide(sub, f["IMG_4"], "keep")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert f["IMG_4"] not in {p.photo for p in plan.photos} and f["IMG_5"] in {p.photo for p in plan.photos}
    assert {s.path: s.reason for s in plan.skipped}[f["IMG_4"]] == f"marked keep in {nested}"
    assert f["IMG_4"] not in {p.photo for p in plan_trash(store, all_flagged=True).photos}
    # renamed by hand since (the re-check): the keep's size and time still name it
    renamed = os.path.join(os.path.dirname(f["IMG_4"]), "Sunset.jpg")
    os.rename(f["IMG_4"], renamed)
    with store.transaction() as conn:  # what the parent's next scan stores
        conn.execute("UPDATE images SET path = ? WHERE path = ?", (db_path(renamed), db_path(f["IMG_4"])))
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert {s.path: s.reason for s in plan.skipped}[renamed] == (
        f"marked keep in {nested} as IMG_4.jpg, a photo of the same size and time no longer there (this one, "
        "renamed or moved by hand?)")
    # a database whose keeps cannot be read (damaged, or from a newer blurscan) protects the photos below it
    nested.write_bytes(b"not a database")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert {p.photo for p in plan.photos} == {f["IMG_1"], f["IMG_2"]}  # lib/a: not below it
    assert {s.path: s.reason for s in plan.skipped}[renamed] == (
        f"its keep or discard cannot be checked in {nested}: not a blurscan database (it is not an SQLite database "
        "at all) (if that file is no library's database, move it away)")  # the database named once


def test_a_keep_counts_for_the_same_photo_reached_through_a_folder_link(lib, tmp_path):
    """`lib2/sublink -> lib/b`, scanned with --follow-symlinks into lib2's database: the keep stored in lib/b's own
    database under the real path did not protect `lib2/sublink/c/IMG_4.jpg`, the very same file (the re-check)."""
    root, store, f = lib
    with Store(root / "b" / ".blurscan.db") as sub:
        decide(sub, f["IMG_4"], "keep")
    lib2 = tmp_path / "lib2"
    lib2.mkdir()
    os.symlink(root / "b", lib2 / "sublink")
    linked = str(lib2 / "sublink" / "c" / "IMG_4.jpg")
    st = os.stat(linked)
    with Store(lib2 / ".blurscan.db") as other:
        other.put([ScanRecord(path=linked, verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                              format="JPEG")], "test")
        plan = plan_move(other, tmp_path / "rejects", all_flagged=True)
    assert plan.photos == [] and {s.path: s.reason for s in plan.skipped}[linked] == \
        f"marked keep in {lib2 / 'sublink' / '.blurscan.db'}"


def test_a_keep_in_the_librarys_own_database_counts_when_db_names_another_file(tmp_path):
    """`scan --db elsewhere.db LIB` then `move --db elsewhere.db --all-blurry LIB` took a photo kept in LIB's own
    .blurscan.db (the re-check): databases above a photo count wherever the one in use lives."""
    from helpers_library import build_library

    lib = tmp_path / "lib"
    store, f = build_library(lib, db=tmp_path / "elsewhere" / "x.db")
    try:
        with Store(lib / ".blurscan.db") as own:
            decide(own, f["IMG_1"], "keep")
        photos = {p.photo for p in plan_move(store, tmp_path / "rejects", all_flagged=True).photos}
        assert f["IMG_1"] not in photos and f["IMG_4"] in photos
    finally:
        store.close()


def test_a_discarded_photo_deleted_by_hand_is_reported_until_a_scan_forgets_it(lib):
    """A photo marked discard and then deleted in a file manager was listed as "missing" by every move, trash
    and tag ever after. Before the next scan it is still reported (the record says it should be there); once
    a scan has forgotten it, its discard is done and it is not listed. One only renamed is not forgotten."""
    root, store, f = lib
    for key in ("IMG_1", "IMG_3", "IMG_4"):
        decide(store, f[key], "discard")
    os.remove(f["IMG_3"])
    plan = plan_move(store, root.parent / "rejects")
    assert "missing" in {s.path: s.reason for s in plan.skipped}[f["IMG_3"]]
    with store.transaction() as conn:  # what the next scan's prune does
        conn.execute("DELETE FROM images WHERE path = ?", (db_path(f["IMG_3"]),))
    os.rename(f["IMG_4"], f["IMG_4"] + ".renamed")  # vanished too, but its record is still there
    plan = plan_move(store, root.parent / "rejects")
    assert [p.photo for p in plan.photos] == [f["IMG_1"]]
    assert {s.path for s in plan.skipped} == {f["IMG_4"]}
    trash = plan_trash(store)
    assert f["IMG_3"] not in {s.path for s in trash.skipped} | {p.photo for p in trash.photos}


def test_a_live_photos_video_moves_with_it_and_comes_back(lib):
    """An iPhone Live Photo is IMG_0030.HEIC + IMG_0030.MOV: the video was left behind as an orphaned clip (found
    by the phone-library walkthrough). It goes with its photo, and stays while another image of its name stays."""
    root, store, f = lib
    live = root / "a" / "IMG_2.MOV"
    live.write_bytes(os.urandom(5000))
    other = root / "b" / "IMG_5.MOV"  # IMG_5.heic stays beside IMG_5.jpg: the video stays with it
    other.write_bytes(os.urandom(4000))
    decide(store, f["IMG_2"], "discard")
    decide(store, f["IMG_5"], "discard")
    before = snapshot(root)
    plan = plan_move(store, root.parent / "rejects")
    moved = {op.src: op.role for p in plan.photos for op in p.files}
    assert moved[str(live)] == "live video" and str(other) not in moved
    assert plan.total_bytes == sum(os.path.getsize(p) for p in moved)
    execute(store, plan)
    assert not live.exists() and (root.parent / "rejects" / "a" / "IMG_2.MOV").is_file() and other.exists()
    undo(store)
    assert snapshot(root) == before


def test_a_kept_photo_renamed_and_copied_protects_both_copies(lib):
    """Keep a photo, rename it and copy it with its time (`cp -p`): the scan cannot tell which file is the kept one
    (ambiguous: the keep stays on the vanished path), and `move --all-blurry` took both (the second re-check).
    A keep on a path where no file is any more protects every photo of its suffix, size and time."""
    root, store, f = lib
    decide(store, f["IMG_4"], "keep")
    best, backup = root / "best" / "IMG_4.jpg", root / "backup" / "IMG_4.jpg"
    best.parent.mkdir(), backup.parent.mkdir()
    os.rename(f["IMG_4"], best)
    shutil.copy2(best, backup)
    st = os.stat(best)
    with store.transaction() as conn:  # what the next scan stores: two new blurry photos, the old row forgotten
        conn.execute("DELETE FROM images WHERE path = ?", (db_path(f["IMG_4"]),))
    store.put([ScanRecord(path=str(p), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns, format="JPEG")
               for p in (best, backup)], "test")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    taken = {p.photo for p in plan.photos}
    assert str(best) not in taken and str(backup) not in taken and f["IMG_1"] in taken
    reasons = {s.path: s.reason for s in plan.skipped}
    assert reasons[str(best)].startswith("marked keep as IMG_4.jpg, a photo of the same size and time no longer")


def test_a_database_above_that_fails_while_read_skips_the_photos_below_it(lib, tmp_path):
    """A damaged database above the library (its pages corrupt, or no decisions table) crashed move, trash and tag
    with an sqlite3 traceback (the second re-check): only errors while opening it were caught."""
    import sqlite3

    root, store, f = lib
    above = root.parent / ".blurscan.db"
    Store(above).close()
    conn = sqlite3.connect(above)
    conn.execute("DROP TABLE decisions")  # opens as a blurscan database; reading its keeps fails
    conn.commit()
    conn.close()
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert plan.photos == [] and all("cannot be checked in" in s.reason for s in plan.skipped)


def test_a_keep_stored_under_a_folder_links_path_protects_the_real_file(tmp_path):
    """`lib/link-to-2024 -> 2024`: lib/2024's own database holds its photos under the link's path (as a blurscan
    from before links in given paths were resolved stored them, or the Python API, or --follow-symlinks for a
    folder reached only through a link), one of them kept. `lib`'s database holds them under their real path:
    the keep did not protect the very same file, taken by `move` when discarded in lib's review (or blurry with
    --all-blurry): only the photo's path was resolved, never the stored keep's (the review of the re-checks)."""
    from helpers_cli import run

    lib = tmp_path / "lib"
    real = lib / "2024"
    store, f = build_library(real, db=lib / ".blurscan.db")  # lib's database: the photos under their real paths
    try:
        os.symlink("2024", lib / "link-to-2024")
        linked = f["IMG_4"].replace(str(real), str(lib / "link-to-2024"))
        assert linked != f["IMG_4"] and os.path.samefile(linked, f["IMG_4"])
        st = os.stat(linked)
        sub_db = real / ".blurscan.db"
        with Store(sub_db) as sub:  # lib/2024 scanned through the link, the photo kept in that review
            sub.put([ScanRecord(path=linked, verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                                format="JPEG")], "test")
            decide(sub, linked, "keep")
        decide(store, f["IMG_4"], "discard")
        decide(store, f["IMG_1"], "discard")
        for all_flagged in (False, True):
            plan = plan_move(store, tmp_path / "rejects", all_flagged=all_flagged)
            assert f["IMG_4"] not in {p.photo for p in plan.photos} and f["IMG_1"] in {p.photo for p in plan.photos}
            assert {s.path: s.reason for s in plan.skipped}[f["IMG_4"]] == \
                f"marked keep in {sub_db} as {linked}, the same file"
        out = run("move", "--to", tmp_path / "rejects", lib)  # the dry run says so, and moves nothing
        assert out.exit_code == 0, out.output
        assert f"skip 2024/b/c/IMG_4.jpg: marked keep in {sub_db} as {linked}, the same file" in out.output
        assert os.path.isfile(f["IMG_4"])
    finally:
        store.close()


def test_a_keep_on_another_name_of_the_same_file_protects_it(lib):
    """A keep in lib/b's own database stored under a hard link's name (or a link to the file) protects the file
    under the name lib's database has for it, when its size and time are the kept ones."""
    root, store, f = lib
    alias = root / "b" / "best-of.jpg"
    os.link(f["IMG_4"], alias)
    st = os.stat(alias)
    sub_db = root / "b" / ".blurscan.db"
    with Store(sub_db) as sub:
        sub.put([ScanRecord(path=str(alias), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                            format="JPEG")], "test")
        decide(sub, str(alias), "keep")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert f["IMG_4"] not in {p.photo for p in plan.photos} and f["IMG_5"] in {p.photo for p in plan.photos}
    assert {s.path: s.reason for s in plan.skipped}[f["IMG_4"]] == f"marked keep in {sub_db} as {alias}, the same file"


def test_an_edited_discarded_photo_taken_as_blurry_is_not_also_listed_as_left(lib):
    """A photo discarded, then edited (re-scanned as another version, still blurry): its discard no longer
    counts, and `move --all-blurry` takes it as blurry; the plan also listed it as skipped, 'changed since it was
    reviewed', so the dry run said both that it would move and that it was left. Without --all-blurry it is
    left, and says why."""
    root, store, f = lib
    decide(store, f["IMG_2"], "discard")
    with open(f["IMG_2"], "ab") as fh:  # edited: another version of the file, scanned again
        fh.write(b"\0" * 64)
    st = os.stat(f["IMG_2"])
    store.put([ScanRecord(path=f["IMG_2"], verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                          format="JPEG")], "test")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert f["IMG_2"] in {p.photo for p in plan.photos}
    assert f["IMG_2"] not in {s.path for s in plan.skipped}
    plan = plan_move(store, root.parent / "rejects")
    assert f["IMG_2"] not in {p.photo for p in plan.photos}
    assert "changed since it was reviewed" in {s.path: s.reason for s in plan.skipped}[f["IMG_2"]]
