"""Photos deleted since an older blurscan stored them under a linked folder's name (:mod:`test_upgrade_linked_names`):
the scan that converts the link's rows forgets their records, as it forgets those of photos deleted under the
real name. Until 2026-12-05 they stayed: outside the folders walked (under the link's name), the scan's pruning
never reached them, and ``report`` said on every run that `blurscan scan` updates the database."""
from __future__ import annotations

import json
import shutil

from helpers_cli import run
from helpers_sqlite import connected
from test_upgrade_linked_names import SCAN, old_library  # noqa: F401  (a fixture)


def _store_as(conn, like: str, path: str) -> None:
    """A record of ``path`` (a photo since deleted), copied from the stored photo named ``like``."""
    template, record = conn.execute("SELECT path, record FROM images WHERE path LIKE ?", ("%" + like,)).fetchone()
    record = json.loads(record)
    record["path"] = path
    conn.execute("INSERT INTO images (path, size, mtime_ns, cache_key, status, verdict, p_blurry, record, "
                 "scanned_at) SELECT ?, size, mtime_ns, cache_key, status, verdict, p_blurry, ?, 1.0 FROM images "
                 "WHERE path = ?", (path, json.dumps(record), template))


def test_the_scan_that_converts_a_link_name_forgets_the_photos_deleted_under_it(old_library):  # noqa: F811
    lib, real, rejects = old_library
    (real / "empty").mkdir()  # a folder whose photo was deleted; trip/, deleted with its photos
    shutil.copy(rejects / "blurry_1.jpg", rejects / "m.jpg")
    deleted = [str(lib / "trip" / "x.jpg"), str(lib / "trip" / "y.jpg"), str(lib / "empty" / "z.jpg")]
    moved = str(lib / "trip" / "m.jpg")  # taken away by `blurscan move`: undo brings it back, its record kept
    db = real / ".blurscan.db"
    with connected(db) as conn:
        for path in deleted + [moved]:
            _store_as(conn, "sharp_1.jpg", path)
        conn.execute("INSERT INTO decisions VALUES (?, 'discard', 1, 1, 2.0)", (deleted[0],))
        conn.execute("INSERT INTO journal (batch_id, src, dst, size, sha256, state, updated_at) "
                     "VALUES (1, ?, ?, 1, 'x', 'done', 3.0)", (moved, str(rejects / "m.jpg")))
    before = run("report", lib)
    assert "3 stored photos no longer on disk" in before.stderr, before.stderr
    scan = run("scan", lib, *SCAN)
    assert scan.exit_code == 0, scan.output
    with connected(db) as conn:
        stored = {path for (path,) in conn.execute("SELECT path FROM images")}
        decided = {path for (path,) in conn.execute("SELECT path FROM decisions")}
    assert not stored & set(deleted) and moved in stored
    assert deleted[0] in decided  # as a deleted photo's decision under the real name: only the record goes
    after = run("report", lib)
    assert after.exit_code == 0 and "no longer on disk" not in after.stderr, after.stderr


def test_rows_of_photos_deleted_outside_the_folder_scanned_stay(old_library):  # noqa: F811
    """What a scan of the library by this version keeps stays: a folder beside it (reached through the same
    link) and a folder a ``--follow-symlinks`` scan of another folder in the database stored by a link's name."""
    lib, real, _ = old_library
    tmp = real.parent.parent
    (tmp / "real" / "other").mkdir()
    (real / "sub").mkdir()
    album = tmp / "album"
    album.mkdir()
    (album / "sub").symlink_to(real / "sub")
    kept = [str(tmp / "link" / "other" / "q.jpg"), str(album / "sub" / "v.jpg")]
    with connected(real / ".blurscan.db") as conn:
        for path in kept:
            _store_as(conn, "sharp_1.jpg", path)
        conn.execute("INSERT INTO meta VALUES ('scanned_roots', ?)", (json.dumps([str(album)]),))
    scan = run("scan", lib, *SCAN)
    assert scan.exit_code == 0, scan.output
    with connected(real / ".blurscan.db") as conn:
        stored = {path for (path,) in conn.execute("SELECT path FROM images")}
    assert set(kept) <= stored


def test_the_records_the_scan_converts_or_keeps_outside_the_library_are_read_once_and_stay(old_library):  # noqa: F811
    """The scan reads the records outside the folders scanned into the database once (``adopt``), and the pruning
    looks through what it read (since 2026-12-05): in the folder it converts, the photos found follow the
    canonical name and the one deleted is forgotten; the records of another library, gone, outside every folder
    scanned, stay, as they did when the pruning read the table a second time."""
    lib, real, _ = old_library
    elsewhere = real.parent.parent / "other-library"  # (never created: that library is gone)
    kept = [str(elsewhere / f"{year}" / f"IMG_{i}.jpg") for year in (2019, 2020) for i in range(3)]
    deleted = str(lib / "deleted.jpg")
    with connected(real / ".blurscan.db") as conn:
        for path in kept + [deleted]:
            _store_as(conn, "sharp_1.jpg", path)
    scan = run("scan", lib, *SCAN)
    assert scan.exit_code == 0, scan.output
    with connected(real / ".blurscan.db") as conn:
        stored = {path for (path,) in conn.execute("SELECT path FROM images")}
    converted = {str(real / name) for name in ("sharp_0.jpg", "sharp_1.jpg", "sharp_2.jpg", "blurry_0.jpg",
                                               "blurry_1.jpg")}  # (blurry_1: taken away by move, kept for undo)
    assert stored == converted | set(kept)
