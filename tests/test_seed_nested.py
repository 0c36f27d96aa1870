"""A new library database seeded from the databases of earlier scans of its sub-folders, all of them
(blurscan.cli.locate._seed_from_nested, blurscan.seeded.SeededStore): lib/2023 and lib/2024 scanned on their own,
then lib. Real scans of generated photos (model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil

from blurscan.records import ImageRef, ScanRecord
from blurscan.review import decisions
from blurscan.seeded import SeededStore
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")


def test_a_new_library_database_reuses_every_sub_folders_earlier_scan_and_their_keeps_still_hold(tmp_path):
    """Only the first sub-folder database found seeded the library's (the walk stopped there): lib/2024's photos
    were decoded again, and its database was named nowhere ("N more ... not reused" counted across scanned roots
    only). Every one seeds it now, one below another too (lib/2024/trip, scanned before lib/2024), and the note
    names them; their keeps still keep `move --all-blurry` from taking the photos, and they are only read."""
    lib = tmp_path / "lib"
    photos = {"a": save_jpeg(lib / "2023" / "IMG_a.jpg", blurred(textured(1), 4.0)),
              "b": save_jpeg(lib / "2023" / "IMG_b.jpg", textured(2)),
              "c": save_jpeg(lib / "2024" / "trip" / "IMG_c.jpg", blurred(textured(3), 4.0)),
              "d": save_jpeg(lib / "2024" / "IMG_d.jpg", textured(4)),
              "e": save_jpeg(lib / "2024" / "IMG_e.jpg", blurred(textured(5), 4.0))}
    for folder in ("2024/trip", "2024", "2023"):
        assert run("scan", lib / folder, *SCAN).exit_code == 0
    subs = [lib / "2023" / ".blurscan.db", lib / "2024" / ".blurscan.db", lib / "2024" / "trip" / ".blurscan.db"]
    assert all(db.is_file() for db in subs)
    for db, name in zip(subs, "aec"):  # kept on the review page of each sub-folder's database
        st = photos[name].stat()
        with Store(db) as store:
            decisions.set_decision(store, str(photos[name]), "keep", size=st.st_size, mtime_ns=st.st_mtime_ns)
    before = [db.read_bytes() for db in subs]
    new = save_jpeg(lib / "misc" / "IMG_f.jpg", blurred(textured(6), 4.0))

    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "scanned 6 files" in whole.stderr and "(5 unchanged, reused)" in whole.stderr  # only IMG_f decoded
    assert (f"note: 3 earlier scans of sub-folders have databases of their own ({subs[0]}, {subs[1]}, {subs[2]}): "
            "their results are reused for unchanged photos; their decisions and undo history stay in them") \
        in whole.stderr
    assert "not reused" not in whole.stderr
    with Store(lib / ".blurscan.db") as store:
        assert {r.path for r in store.records()} == {str(p) for p in (*photos.values(), new)}

    plan = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert plan.exit_code == 0, plan.output
    assert "would move misc/IMG_f.jpg [blurry]" in plan.stdout and "Dry run: 1 photo " in plan.stdout
    for db, name in zip(subs, "aec"):
        assert f"skip {photos[name].relative_to(lib)}: marked keep in {db}" in plan.stdout
    assert [db.read_bytes() for db in subs] == before


def test_a_store_seeded_from_several_takes_each_record_from_the_first_that_has_a_usable_one(tmp_path):
    key = "m1|none|abc"

    def rec(path, verdict="sharp", status="ok"):
        return ScanRecord(path=path, verdict=verdict, size=10, mtime_ns=20, laplacian_var=50.0, status=status,
                          error=None if status == "ok" else "cannot read")

    first, second = tmp_path / "2023.db", tmp_path / "2024.db"
    with Store(first) as s:
        s.put([rec("/lib/a.jpg", status="error"), rec("/lib/b.jpg", "sharp")], key)
    with Store(second) as s:
        s.put([rec("/lib/a.jpg", "blurry"), rec("/lib/b.jpg", "blurry"), rec("/lib/c.jpg", "blurry")], key)
    refs = [ImageRef(f"/lib/{name}.jpg", 10, 20) for name in "abcd"]
    with SeededStore(tmp_path / "new.db", [first, second]) as store:
        found = store.lookup_many(refs, key)
        assert {path: r.verdict for path, r in found.items()} == {
            "/lib/a.jpg": "blurry", "/lib/b.jpg": "sharp", "/lib/c.jpg": "blurry"}
    with Store(tmp_path / "new.db") as store:  # copied, each once
        assert sorted((r.path, r.verdict) for r in store.records()) == [
            ("/lib/a.jpg", "blurry"), ("/lib/b.jpg", "sharp"), ("/lib/c.jpg", "blurry")]


def _keep(db, photo):
    """A keep made on the review page of ``db`` on ``photo`` as it is now."""
    st = photo.stat()
    with Store(db) as store:
        decisions.set_decision(store, str(photo), "keep", size=st.st_size, mtime_ns=st.st_mtime_ns)


def test_a_photo_kept_in_a_sub_folders_database_and_moved_out_before_the_library_was_first_scanned_stays_kept(
        tmp_path):
    """Kept in lib/2024/.blurscan.db (and one in lib/2024/trip/.blurscan.db, which lib/2024's holds too), then
    moved by hand to lib/best before lib was ever scanned: the scan that made lib's database looked for moved
    photos in that database only, empty, so it knew no old path and carried no keep, and with no photo left in
    lib/2024 no command looked in the sub-folders' databases: `move --all-blurry lib` took both photos kept. The
    new database's scan now finds the moves in the databases that seed it too: the keeps go into lib's database
    (the scores are reused), so they hold after lib/2024 is deleted; the sub-folders' databases are only read."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2023" / "IMG_9.jpg", blurred(textured(9), 4.0))
    kept = {"2024": save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0)),
            "2024/trip": save_jpeg(lib / "2024" / "trip" / "IMG_3.jpg", blurred(textured(3), 4.0))}
    for folder in ("2024/trip", "2024"):
        assert run("scan", lib / folder, *SCAN).exit_code == 0
    subs = [lib / folder / ".blurscan.db" for folder in kept]
    for db, photo in zip(subs, kept.values()):
        _keep(db, photo)
    before = [db.read_bytes() for db in subs]
    moved = []
    for photo in kept.values():
        moved.append(lib / "best" / photo.name)
        os.renames(photo, moved[-1])

    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "(0 unchanged and 2 moved or renamed, reused)" in whole.stderr
    with Store(lib / ".blurscan.db") as store:
        for photo in moved:
            st = photo.stat()
            assert decisions.decision_for(store, str(photo), st.st_size, st.st_mtime_ns) == "keep"
    assert [db.read_bytes() for db in subs] == before
    plan = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert plan.exit_code == 0, plan.output
    assert "would move 2023/IMG_9.jpg [blurry]" in plan.stdout and "Dry run: 1 photo " in plan.stdout
    shutil.rmtree(lib / "2024")  # the sub-folders' databases with it: the keeps are the library's own now
    plan = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib, "--yes")
    assert plan.exit_code == 0, plan.output
    assert all(photo.is_file() for photo in moved) and not (lib / "2023" / "IMG_9.jpg").exists()


def test_a_keep_in_a_seeding_database_follows_a_moved_photo_by_the_rules_of_a_move_by_hand(tmp_path):
    """The keeps a new library database takes from the databases that seed it follow the rules of any move by
    hand (blurscan.renamed): a time of whole seconds (an archive, a FAT card) names a file only with its name.
    Moved under its own name, the photo takes its keep; renamed, it does not (another photo of that size and
    second may be the kept one), and stays protected by the keep of a photo no longer there while the library
    holds photos in lib/2024 (blurscan.actions.keeps)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2024" / "IMG_2.jpg", textured(2))  # sharp, stays: lib/2024's database is still looked in
    same = save_jpeg(lib / "2024" / "IMG_5.jpg", blurred(textured(5), 4.0))
    renamed = save_jpeg(lib / "2024" / "IMG_6.jpg", blurred(textured(6), 4.0))
    for photo in (same, renamed):
        os.utime(photo, (1_700_000_000, 1_700_000_000))
    assert run("scan", lib / "2024", *SCAN).exit_code == 0
    sub = lib / "2024" / ".blurscan.db"
    for photo in (same, renamed):
        _keep(sub, photo)
    os.renames(same, lib / "best" / "IMG_5.jpg")
    os.renames(renamed, lib / "best" / "beach.jpg")

    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "(1 unchanged and 1 moved or renamed, reused)" in whole.stderr
    with Store(lib / ".blurscan.db") as store:
        st = (lib / "best" / "IMG_5.jpg").stat()
        assert decisions.decision_for(store, str(lib / "best" / "IMG_5.jpg"), st.st_size, st.st_mtime_ns) == "keep"
        assert decisions.get(store, str(lib / "best" / "beach.jpg")) is None
    plan = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert plan.exit_code == 0, plan.output
    assert "Dry run: 0 photos " in plan.stdout and "would move" not in plan.stdout
    assert (f"skip best/beach.jpg: marked keep in {sub} as IMG_6.jpg, a photo of the same size and time no longer "
            "there (this one, renamed or moved by hand?)") in plan.stdout


def test_a_sub_folders_database_still_counts_once_the_library_holds_no_photo_in_its_folder(tmp_path):
    """Kept in lib/2024/.blurscan.db, copied by hand (`cp -p`) to lib/a and lib/b, and deleted from lib/2024, the
    only photo there, before lib was first scanned: which copy is the kept one cannot be told, so no keep is
    carried; a keep of a photo no longer there protects both copies, but only databases in folders where the
    library holds photos were looked in, and lib/2024 holds none: `move --all-blurry lib` took both copies. The
    library's database remembers the databases it was seeded from and looks in them too."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2023" / "IMG_9.jpg", blurred(textured(9), 4.0))
    photo = save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    assert run("scan", lib / "2024", *SCAN).exit_code == 0
    sub = lib / "2024" / ".blurscan.db"
    _keep(sub, photo)
    copies = [lib / "a" / "IMG_1.jpg", lib / "b" / "IMG_1.jpg"]
    for copy in copies:
        copy.parent.mkdir()
        shutil.copy2(photo, copy)
    photo.unlink()

    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    with Store(lib / ".blurscan.db") as store:
        assert all(decisions.get(store, str(copy)) is None for copy in copies)  # not carried: ambiguous
    plan = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert plan.exit_code == 0, plan.output
    assert "would move 2023/IMG_9.jpg [blurry]" in plan.stdout and "Dry run: 1 photo " in plan.stdout
    for copy in copies:
        assert (f"skip {copy.relative_to(lib)}: marked keep in {sub} as IMG_1.jpg, a photo of the same size and "
                "time no longer there (this one, renamed or moved by hand?)") in plan.stdout


def test_a_sub_folders_older_database_says_the_librarys_newer_one_holds_its_photos_too(tmp_path):
    """(An audit, 2026-12-05.) lib/kodak scanned on its own, then lib: commands given lib/kodak still use
    lib/kodak/.blurscan.db, found first, while the library's database, written since, holds a photo added there
    and the discards made in the library's review page: `report lib/kodak` listed stale verdicts and `move`
    said "no photo is marked discard", with nothing saying why after the library scan's first note. Now a note
    names both databases; none once the sub-folder's is the newer again, and none where the library's database
    holds nothing of that sub-folder."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "kodak" / "IMG_a.jpg", textured(1))
    save_jpeg(lib / "other" / "IMG_b.jpg", textured(2))
    assert run("scan", lib / "kodak", *SCAN).exit_code == 0
    save_jpeg(lib / "kodak" / "IMG_new.jpg", blurred(textured(3), 4.0))  # added since, scanned with the library
    assert run("scan", lib, *SCAN).exit_code == 0
    sub, top = lib / "kodak" / ".blurscan.db", lib / ".blurscan.db"
    for path in (sub, lib / "kodak" / ".blurscan.db-wal"):  # (the library's scan was later, whatever the clock's steps)
        if path.exists():
            os.utime(path, (1_000_000_000, 1_000_000_000))
    listed = run("report", lib / "kodak")
    assert listed.exit_code == 0
    note = (f"note: using {sub}, the database of an earlier scan of {lib / 'kodak'}; {top}, written since, holds "
            f"these photos too, with its own results and decisions (choose with --db)")
    assert note in listed.stderr.splitlines(), listed.stderr
    assert "IMG_new.jpg" not in listed.stdout  # (what the note warns of: this database has not seen it)
    assert note in run("move", "--to", tmp_path / "rejects", "--all-blurry", lib / "kodak").stderr.splitlines()
    assert "note: using" not in run("report", lib / "other").stderr  # (no database of its own: the library's)
    assert run("scan", lib / "kodak", *SCAN).exit_code == 0  # its own database the newer again: no note
    assert "note: using" not in run("report", lib / "kodak").stderr
