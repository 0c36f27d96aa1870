"""A new library database seeded from the databases of earlier scans of its sub-folders, all of them
(blurscan.cli.locate._seed_from_nested, blurscan.seeded.SeededStore): lib/2023 and lib/2024 scanned on their own,
then lib. Real scans of generated photos (model "none": the Laplacian variance calls them)."""
from __future__ import annotations

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
