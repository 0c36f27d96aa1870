"""Rows naming files outside the library (:mod:`blurscan.library_bounds`): whoever may write a shared library's
``.blurscan.db`` could add one for another user's photo, which the review page then listed, thumbnailed into the
library and served whole, and which ``move`` took on a discard (until 2026-12-05). Now such rows are neither
listed nor served, and ``move`` / ``trash`` / ``tag`` skip them with the reason; a folder linked into the
library (``scan --follow-symlinks``) and a database kept elsewhere (``--db``) are as before. A row without the
scan's size and time (which skipped the file-identity check) is not served either."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.library_bounds import OUTSIDE_REASON, in_library, library_folders
from blurscan.records import ScanRecord
from blurscan.review import decisions, security
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_review import BASE, CSRF, PORT, TOKEN, error_of


def _record(path, verdict="blurry", **kw):
    st = os.stat(path)
    kw.setdefault("size", st.st_size)
    kw.setdefault("mtime_ns", st.st_mtime_ns)
    return ScanRecord(path=str(path), verdict=verdict, format="JPEG", width=320, height=240, **kw)


def _library(tmp_path, *db_args):
    """``lib`` (``home.jpg``, and ``trip`` linked in from elsewhere, both blurry) scanned for real, and another
    user's ``secret.jpg`` outside it; returns ``(database, lib, trip photo, secret)``."""
    lib, away, private = tmp_path / "lib", tmp_path / "elsewhere" / "trip", tmp_path / "ann"
    save_jpeg(lib / "home.jpg", blurred(textured(1), 4.0))
    save_jpeg(away / "a.jpg", blurred(textured(2), 4.0))
    save_jpeg(private / "secret.jpg", blurred(textured(3), 4.0))
    save_jpeg(private / "diary.jpg", blurred(textured(4), 4.0))
    os.symlink(away, lib / "trip")
    res = CliRunner().invoke(main, ["scan", "--follow-symlinks", str(lib), "--model", "none", *db_args])
    assert res.exit_code == 0, res.output
    db = db_args[1] if db_args else str(lib / ".blurscan.db")
    return db, lib.resolve(), str(lib.resolve() / "trip" / "a.jpg"), str(private / "secret.jpg")


def _add_by_hand(db, secret):
    """What someone who may write the database does: a record of the secret photo and a discard of it, and a
    discard of another photo, with no record at all."""
    with Store(db) as store:
        store.put([_record(secret)], "test")
        decisions.decide(store, secret, "discard")
        decisions.decide(store, secret.replace("secret", "diary"), "discard")


def _client(db):
    app = create_app(db, TOKEN, port=PORT)
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return app, c


def test_the_review_page_neither_lists_nor_serves_a_photo_outside_the_library(tmp_path):
    db, lib, trip_photo, secret = _library(tmp_path)
    _add_by_hand(db, secret)
    app, c = _client(db)
    items = c.get("/api/items?filter=all", base_url=BASE).get_json()
    assert sorted(it["name"] for it in items["items"]) == ["a.jpg", "home.jpg"]  # the linked-in folder's photo too
    assert items["summary"]["photos"] == 2 and items["summary"]["flagged"] == 2
    assert all("ann" not in f["folder"] for f in c.get("/api/folders", base_url=BASE).get_json()["folders"])
    ident = security.path_id(secret)
    for url in (f"/thumb/{ident}", f"/full/{ident}", f"/api/item/{ident}"):
        r = c.get(url, base_url=BASE)
        assert r.status_code == 403, (url, r.status_code, r.data[:100])
        assert error_of(r) == f"secret.jpg: {OUTSIDE_REASON}: not served"
    r = c.post("/api/decision", json={"id": ident, "decision": "keep"}, headers=CSRF, base_url=BASE)
    assert r.status_code == 403
    thumbs = app.config["BLURSCAN_THUMBS"]
    assert not os.path.exists(thumbs) or not any(files for _d, _s, files in os.walk(thumbs))  # nothing cached
    # the library's own photos, the one in the folder linked in included, are served as before
    for path in (str(lib / "home.jpg"), trip_photo):
        r = c.get(f"/thumb/{security.path_id(path)}", base_url=BASE)
        assert r.status_code == 200 and r.data.startswith(b"\xff\xd8\xff")


def test_move_leaves_a_photo_outside_the_library_and_says_why(tmp_path):
    db, lib, trip_photo, secret = _library(tmp_path)
    diary = tmp_path / "ann" / "diary.jpg"
    _add_by_hand(db, secret)
    res = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--db", db, "--all-blurry", "--yes"])
    assert res.exit_code == 0, res.output
    assert os.path.isfile(secret) and diary.is_file()  # another user's photos stay where they are
    assert f"skipped: {secret}: {OUTSIDE_REASON}" in res.stderr
    assert f"skipped: {diary}: {OUTSIDE_REASON}" in res.stderr
    assert not (lib / "home.jpg").exists() and not os.path.exists(trip_photo)  # the library's are moved
    # their paths kept relative to the library (the rows outside it made the library their common folder, and
    # `move LIB` said that only photos under LIB were taken)
    assert (tmp_path / "rejects" / "home.jpg").is_file() and (tmp_path / "rejects" / "trip" / "a.jpg").is_file()
    res = CliRunner().invoke(main, ["undo", str(lib)])
    assert res.exit_code == 0 and (lib / "home.jpg").is_file(), res.output
    res = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib), "--all-blurry"])
    assert res.exit_code == 0 and "note: only photos under" not in res.stderr, res.stderr


def test_tag_and_trash_skip_a_photo_outside_the_library(tmp_path, monkeypatch):
    db, lib, _trip_photo, secret = _library(tmp_path)
    _add_by_hand(db, secret)
    res = CliRunner().invoke(main, ["tag", "--xmp", "--db", db, "--yes"])
    assert f"{secret}: {OUTSIDE_REASON}" in res.output + res.stderr, res.output
    assert not os.path.exists(secret[:-4] + ".xmp") and not os.path.exists(secret + ".xmp")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    res = CliRunner().invoke(main, ["trash", "--db", db, "--yes"])
    assert f"{secret}: {OUTSIDE_REASON}" in res.stderr, res.output
    assert os.path.isfile(secret)


def test_a_database_kept_elsewhere_holds_the_folders_scanned_into_it(tmp_path):
    """``--db`` elsewhere, under another name: the library is the folder scanned, not the database's folder."""
    db = str(tmp_path / "dbs" / "photos.db")
    os.makedirs(os.path.dirname(db))
    db, lib, trip_photo, secret = _library(tmp_path, "--db", db)
    _add_by_hand(db, secret)
    _app, c = _client(db)
    names = sorted(it["name"] for it in c.get("/api/items?filter=all", base_url=BASE).get_json()["items"])
    assert names == ["a.jpg", "home.jpg"]
    assert c.get(f"/thumb/{security.path_id(str(lib / 'home.jpg'))}", base_url=BASE).status_code == 200
    assert c.get(f"/full/{security.path_id(secret)}", base_url=BASE).status_code == 403
    res = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--db", db, "--all-blurry", "--yes"])
    assert res.exit_code == 0, res.output
    assert os.path.isfile(secret) and f"{OUTSIDE_REASON}" in res.stderr
    assert (tmp_path / "rejects" / "home.jpg").is_file()


def test_which_folders_bound_a_database(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    with Store(lib / ".blurscan.db") as store:  # no folder recorded (an older blurscan): its own folder
        assert library_folders(store) == (str(lib),) or library_folders(store) == (str(lib), str(lib.resolve()))
    with Store(tmp_path / "other.db") as store:  # nor a library's .blurscan.db: no bound, as before
        assert library_folders(store) is None
    folders = (str(lib),)
    assert in_library(str(lib / "a" / "x.jpg"), folders)
    for odd in (str(tmp_path / "x.jpg"), f"{lib}/../x.jpg", f"{lib}/./x.jpg", f"{lib}//x.jpg", "x.jpg",
                str(lib) + "x/y.jpg", f"{lib}/x\x00.jpg"):
        assert not in_library(odd, folders), odd
    os.symlink(lib, tmp_path / "alias")  # scanned through a link by an older blurscan: in by its real path
    assert in_library(str(tmp_path / "alias" / "x.jpg"), folders)


def test_a_record_without_the_scans_size_and_time_is_not_served(tmp_path):
    """Its identity check was skipped: any file put at that path was served."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "p.jpg", blurred(textured(5), 4.0))
    Image.new("RGB", (40, 30), (0, 0, 255)).save(lib / "p.tif")
    with Store(lib / ".blurscan.db") as store:
        store.put([_record(lib / "p.jpg", size=None, mtime_ns=None),
                   _record(lib / "p.tif", size=None, mtime_ns=None)], "test")
    _app, c = _client(str(lib / ".blurscan.db"))
    for name in ("p.jpg", "p.tif"):
        for kind in ("thumb", "full"):
            r = c.get(f"/{kind}/{security.path_id(str(lib / name))}", base_url=BASE)
            assert r.status_code == 409, (name, kind, r.status_code)
            assert error_of(r) == f"{name}: no size and time recorded by the scan: not served (run blurscan " \
                                  "scan again)"


@pytest.mark.parametrize("kind", ["thumb", "full"])
def test_an_error_record_without_size_and_time_is_still_answered_415(tmp_path, kind):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "broken.jpg").write_bytes(b"\xff\xd8\xffnot really")
    with Store(lib / ".blurscan.db") as store:
        store.put([ScanRecord.failed(str(lib / "broken.jpg"), "truncated JPEG")], "test")
    _app, c = _client(str(lib / ".blurscan.db"))
    assert c.get(f"/{kind}/{security.path_id(str(lib / 'broken.jpg'))}", base_url=BASE).status_code == 415
