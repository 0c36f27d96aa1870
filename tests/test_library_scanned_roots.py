"""The library of a database is the folder scanned into it (recorded by the scan, :mod:`blurscan.scanned_roots`),
not the common folder of its photos. A custom-named database inside its library (`blurscan scan LIB --db
LIB/my.db`) whose photos all lay in one sub-folder took that sub-folder for the library: a `--to LIB/rejects`
got no "is inside the library" note and a "freeing" figure (a later scan of LIB finds the moved photos there and
frees nothing), and the photos lost a folder level under `--to` (`rejects/blurry_1.jpg`, not
`rejects/sub/blurry_1.jpg`). Real scans of generated images through the CLI; the four tests of a scan's roots
fail on the code that did not record them (the database of an older blurscan is read as before)."""
from __future__ import annotations

import os
from pathlib import Path

from helpers_cli import run
from helpers_images import make_library
from helpers_library import snapshot

from blurscan.scanned_roots import ROOTS_KEY, outermost, scanned_roots
from blurscan.store import Store

INSIDE = "is inside the library"


def _scan(*args) -> None:
    out = run("scan", *args, "--model", "none", "--workers", "1")
    assert out.exit_code == 0, out.output


def _dry_move(to: Path, db: Path, *path):
    out = run("move", "--to", to, "--all-blurry", "--db", db, *path)
    assert out.exit_code == 0, out.output
    return out


def test_a_named_database_inside_the_library_with_every_photo_in_a_sub_folder(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib / "2024")  # every photo below lib/2024 (lib holds only the database)
    db = lib / "my.db"
    _scan(lib, "--db", db)
    before = snapshot(lib / "2024")

    inside = _dry_move(lib / "rejects", db)
    assert f"{lib / 'rejects'} {INSIDE}" in inside.stderr, inside.stderr  # (was: no note, and a "freeing" figure)
    assert "freeing" not in inside.stdout, inside.stdout
    assert f"-> {lib / 'rejects' / '2024' / 'blurry_1.jpg'}" in inside.stdout, inside.stdout  # (was rejects/blurry...)

    sub = _dry_move(tmp_path / "rejects", db, lib / "2024" / "sub")  # sharp photos only there
    assert f"note: only photos under {lib / '2024' / 'sub'} are taken (the library is {lib})" in sub.stderr
    assert f"give the library folder, {lib}, to take them" in sub.stderr, sub.stderr

    tagged = run("tag", "--xmp", "--dry-run", "--db", db)
    assert tagged.exit_code == 0 and f"would write {Path('2024', 'blurry_1.jpg.xmp')} " in tagged.stdout, tagged.output

    moved = run("move", "--to", lib / "rejects", "--all-blurry", "--yes", "--db", db, lib)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.output
    assert sorted(p.name for p in (lib / "rejects" / "2024").iterdir()) == ["blurry_0.png", "blurry_1.jpg"]
    assert run("undo", "--db", db).exit_code == 0 and snapshot(lib / "2024") == before


def test_a_later_scan_of_a_parent_folder_and_of_a_single_file(tmp_path):
    """``scan lib/2024 --db`` then ``scan lib --db``: lib holds the earlier root and is the library; a scan of
    one photo afterwards (its folder is inside lib) changes nothing."""
    lib, db = tmp_path / "lib", tmp_path / "lib.db"
    make_library(lib / "2024")
    _scan(lib / "2024", "--db", db)
    assert _dry_move(lib / "rejects", db).stderr.count(INSIDE) == 0  # lib was not scanned: not inside
    _scan(lib, "--db", db)
    _scan(lib / "2024" / "sub" / "sharp_0.jpg", "--db", db)

    inside = _dry_move(lib / "rejects", db)
    assert f"{lib / 'rejects'} {INSIDE}" in inside.stderr and "freeing" not in inside.stdout, inside.output
    away = _dry_move(tmp_path / "rejects", db)
    assert INSIDE not in away.stderr and "freeing" in away.stdout, away.output
    assert f"-> {tmp_path / 'rejects' / '2024' / 'blurry_1.jpg'}" in away.stdout, away.stdout
    with Store(db, readonly=True) as store:
        assert scanned_roots(store) == [str(lib)]


def test_a_library_scanned_through_a_link_with_a_relative_path(tmp_path, monkeypatch):
    """The root is recorded resolved, as the photos' paths are: ``cd ~; scan Pictures --db Pictures/my.db``
    with ``Pictures -> /data/photos``."""
    real = tmp_path / "data" / "photos"
    make_library(real / "2024")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "Pictures").symlink_to(real)
    monkeypatch.chdir(tmp_path / "home")
    _scan("Pictures", "--db", "Pictures/my.db")

    inside = _dry_move("Pictures/rejects", real / "my.db")
    assert f"{real / 'rejects'} {INSIDE}" in inside.stderr, inside.stderr
    assert f"-> {real / 'rejects' / '2024' / 'blurry_1.jpg'}" in inside.stdout, inside.stdout
    with Store(real / "my.db", readonly=True) as store:
        assert scanned_roots(store) == [str(real)]


def test_several_paths_in_one_scan(tmp_path):
    """``scan lib/a lib/b --db``: each is a root; the one holding every photo is the library (lib/b is empty), so
    the photos keep their folder below lib/a under --to; lib itself was not scanned."""
    lib, db = tmp_path / "lib", tmp_path / "two.db"
    make_library(lib / "a" / "trip")
    (lib / "b").mkdir()
    _scan(lib / "a", lib / "b", "--db", db)
    out = _dry_move(tmp_path / "rejects", db)
    assert f"-> {tmp_path / 'rejects' / 'trip' / 'blurry_1.jpg'}" in out.stdout, out.stdout  # (was rejects/blurry_1...)
    inside = _dry_move(lib / "a" / "rejects", db)
    assert INSIDE in inside.stderr, inside.stderr
    with Store(db, readonly=True) as store:
        assert scanned_roots(store) == [str(lib / "a"), str(lib / "b")]


def test_a_database_of_an_older_blurscan_is_read_as_before(tmp_path):
    """No roots recorded (an older blurscan's database): the photos' common folder, as before."""
    lib = tmp_path / "lib"
    make_library(lib / "2024")
    db = lib / "my.db"
    _scan(lib, "--db", db)
    with Store(db) as store, store.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (ROOTS_KEY,))
    out = _dry_move(tmp_path / "rejects", db)
    assert f"-> {tmp_path / 'rejects' / 'blurry_1.jpg'}" in out.stdout, out.stdout


def test_outermost_roots():
    sep = os.sep
    roots = [f"{sep}p{sep}lib{sep}2024", f"{sep}p{sep}lib", f"{sep}p{sep}library", f"{sep}p{sep}lib"]
    assert outermost(roots) == [f"{sep}p{sep}lib", f"{sep}p{sep}library"]
