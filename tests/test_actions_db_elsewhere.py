"""A database kept outside its library (`blurscan scan ~/Pictures --db ~/blurscan.db`, or the cache folder's for
a library that could not be written): `move`, `trash` and `tag` took the database's folder for the library. A
`--to` beside the database got the "is inside the library; a later scan will find the moved photos there" note
and no "freeing" figure, a `--to` really inside the library got no note, the photos kept their paths relative to
the database's folder (rejects/Pictures/...), and the notes named the wrong library. The library is now the
photos' common folder (:mod:`blurscan.library_root`). Real scans of generated images through the CLI."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from blurscan.errors import shell_path
from helpers_cli import run
from helpers_images import blurred, make_library, save_jpeg, textured
from helpers_library import snapshot

INSIDE = "is inside the library"


def _scan(root: Path, *extra) -> None:
    out = run("scan", root, "--model", "none", "--workers", "1", *extra)
    assert out.exit_code == 0, out.output


def test_a_database_beside_the_library_is_not_the_library(tmp_path):
    home = tmp_path / "home"
    pictures, db = home / "Pictures", home / "blurscan.db"
    make_library(pictures)
    _scan(pictures, "--db", db)
    before = snapshot(pictures)

    beside = run("move", "--to", home / "rejects", "--all-blurry", "--db", db)
    assert beside.exit_code == 0, beside.output
    assert INSIDE not in beside.stderr, beside.stderr
    assert "freeing" in beside.stdout and "would move blurry_1.jpg [blurry]" in beside.stdout, beside.stdout
    assert f"-> {home / 'rejects' / 'blurry_1.jpg'}" in beside.stdout  # (was rejects/Pictures/blurry_1.jpg)

    inside = run("move", "--to", pictures / "rejects", "--all-blurry", "--db", db)
    assert inside.exit_code == 0, inside.output
    assert f"{pictures / 'rejects'} {INSIDE}" in inside.stderr and "freeing" not in inside.stdout, inside.output

    sub = run("move", "--to", home / "rejects", "--all-blurry", "--db", db, pictures / "sub")  # sharp ones only
    assert f"note: only photos under {pictures / 'sub'} are taken (the library is {pictures})" in sub.stderr
    assert f"2 photos elsewhere in the library would be (give the library folder, {pictures}, to take them)" \
        in sub.stderr, sub.stderr

    tagged = run("tag", "--xmp", "--dry-run", "--db", db)
    assert tagged.exit_code == 0 and "would write blurry_1.jpg.xmp " in tagged.stdout, tagged.output
    assert snapshot(pictures) == before and not (home / "rejects").exists()

    moved = run("move", "--to", home / "rejects", "--all-blurry", "--yes", "--db", db)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.output
    assert sorted(p.name for p in (home / "rejects").iterdir()) == ["blurry_0.png", "blurry_1.jpg"]
    undone = run("undo", "--db", db)
    assert undone.exit_code == 0, undone.output
    assert snapshot(pictures) == before


@pytest.mark.skipif(os.name != "posix" or os.uname().sysname == "Darwin", reason="names that are not UTF-8")
def test_the_library_of_a_database_elsewhere_counts_names_that_are_not_utf8(tmp_path):
    """Such names are stored as BLOBs, which SQLite sorts after every text: the common folder takes them too."""
    home = tmp_path / "home"
    pictures, db = home / "Pictures", home / "blurscan.db"
    make_library(pictures / "a")
    odd = Path(os.fsdecode(os.fsencode(str(pictures)) + b"/\xe9t\xe9"))
    try:
        odd.mkdir(parents=True)
    except OSError as exc:  # a file system that takes UTF-8 names only
        pytest.skip(f"cannot make a folder whose name is not UTF-8: {exc}")
    save_jpeg(odd / "blurry.jpg", blurred(textured(7)))
    _scan(pictures, "--db", db)
    inside = run("move", "--to", pictures / "rejects", "--all-blurry", "--db", db)
    assert INSIDE in inside.stderr, inside.output  # (the photos' text names alone: the library was Pictures/a)
    moved = run("move", "--to", home / "rejects", "--all-blurry", "--yes", "--db", db)
    assert moved.exit_code == 0 and "moved 3 photos" in moved.stdout, moved.output
    assert (home / "rejects" / "a" / "blurry_1.jpg").is_file()
    assert os.path.isfile(os.fsdecode(os.fsencode(str(home / "rejects")) + b"/\xe9t\xe9/blurry.jpg"))


def test_the_cache_folder_database_of_a_library_names_the_library(tmp_path, monkeypatch):
    """The cache folder's database (what a scan keeps for a library it cannot write), found from PATH."""
    from blurscan.cli.locate import _fallback_db, find_db

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = tmp_path / "lib"
    make_library(lib)
    _scan(lib)
    cached = _fallback_db(lib)
    cached.parent.mkdir(parents=True)
    shutil.move(lib / ".blurscan.db", cached)
    assert find_db(str(lib)) == cached

    away = run("move", "--to", cached.parent / "rejects", "--all-blurry", lib)
    assert away.exit_code == 0, away.output
    assert INSIDE not in away.stderr and "freeing" in away.stdout, away.output
    inside = run("move", "--to", lib / "rejects", "--all-blurry", lib)
    assert f"{lib / 'rejects'} {INSIDE}" in inside.stderr and "freeing" not in inside.stdout, inside.output
    sub = run("move", "--to", tmp_path / "rejects", "--all-blurry", lib / "sub")  # sharp photos only there
    assert f"note: only photos under {lib / 'sub'} are taken (the library is {lib})" in sub.stderr, sub.stderr
    assert f"2 photos elsewhere in the library would be (give the library folder, {lib}, to take them)" \
        in sub.stderr, sub.stderr


@pytest.fixture()
def other_tree(tmp_path):
    """A folder that shares no folder but ``/`` with ``tmp_path`` (in /dev/shm), removed after the test."""
    import tempfile

    if not os.path.isdir("/dev/shm") or str(tmp_path).split(os.sep)[1] == "dev":
        pytest.skip("needs /dev/shm, apart from the temporary folder")
    try:
        folder = Path(tempfile.mkdtemp(prefix="blurscan-test-", dir="/dev/shm"))
    except OSError as exc:
        pytest.skip(f"cannot make a folder in /dev/shm: {exc}")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_photos_in_unrelated_folders_have_no_library_folder(tmp_path, other_tree):
    """A scan of two folders that share no folder but ``/`` (``blurscan scan /tmp/a /dev/shm/b``, whose database
    the cache folder keeps as the root's): the library was taken to be ``/``, so every --to was "inside the
    library" (no space freed), the photos moved kept their whole path under --to (rejects/tmp/.../a/x.jpg), and
    tag listed paths relative to ``/`` (no leading slash, read as relative to the current folder)."""
    a, db = tmp_path / "a", tmp_path / "two.db"
    make_library(a)
    save_jpeg(other_tree / "b" / "blurry.jpg", blurred(textured(9)))
    _scan(a, "--db", db)
    _scan(other_tree / "b", "--db", db)
    before = snapshot(a)

    dry = run("move", "--to", tmp_path / "rejects", "--all-blurry", "--db", db, a)
    assert dry.exit_code == 0, dry.output
    assert INSIDE not in dry.stderr and "freeing" in dry.stdout, dry.output
    assert f"-> {tmp_path / 'rejects' / 'a' / 'blurry_1.jpg'}" in dry.stdout, dry.stdout  # (under a's name)
    assert "(the library is /)" not in dry.stderr, dry.stderr
    inside = run("move", "--to", a / "rejects", "--all-blurry", "--db", db, a)
    assert f"{a / 'rejects'} {INSIDE}" in inside.stderr and "freeing" not in inside.stdout, inside.output
    tagged = run("tag", "--xmp", "--dry-run", "--db", db)
    assert tagged.exit_code == 0, tagged.output
    assert f"would write {a / 'blurry_1.jpg.xmp'} " in tagged.stdout, tagged.stdout
    assert f"would write {other_tree / 'b' / 'blurry.jpg.xmp'} " in tagged.stdout, tagged.stdout
    none_here = run("move", "--to", tmp_path / "rejects", "--all-blurry", "--db", db, a / "sub")
    assert f"3 photos elsewhere in the library would be (give --db {shell_path(db)} and no folder to take them)" \
        in none_here.stderr, none_here.stderr

    moved = run("move", "--to", tmp_path / "rejects", "--all-blurry", "--yes", "--db", db, a)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.output
    assert sorted(p.name for p in (tmp_path / "rejects" / "a").iterdir()) == ["blurry_0.png", "blurry_1.jpg"]
    assert (other_tree / "b" / "blurry.jpg").is_file()
    assert run("undo", "--db", db).exit_code == 0 and snapshot(a) == before


def test_a_whole_database_of_unrelated_folders_is_laid_out_by_scanned_folder(tmp_path, other_tree):
    """``move --to R --all-blurry --db FILE`` with no PATH, of folders scanned together that share no folder but
    ``/`` and have the same name (``scan --db FILE /tmp/.../photos /dev/shm/.../photos``): each photo goes under R
    into a folder named for the scanned folder holding it, with as many of its parents as tell the two apart
    (R/<tmp name>/photos/..., R/<shm name>/photos/...); R beside them is not "inside the library", and the dry run
    says what it frees. Until 2026-12-07 each photo's whole absolute path was copied under R (R/tmp/.../photos/
    blurry_1.jpg), every R was "inside the library" (inside ``/``), and no space freed was given."""
    a, b, db = tmp_path / "photos", other_tree / "photos", tmp_path / "dbs" / "all.db"
    make_library(a)
    (a / "blurry_1.jpg.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    save_jpeg(b / "trip" / "blurry.jpg", blurred(textured(9)))
    db.parent.mkdir()
    _scan(a, b, "--db", db)
    before = snapshot(a, b)
    rejects = tmp_path / "rejects"
    at_a, at_b = rejects / tmp_path.name / "photos", rejects / other_tree.name / "photos"

    dry = run("move", "--to", rejects, "--all-blurry", "--db", db)
    assert dry.exit_code == 0, dry.output
    assert INSIDE not in dry.stderr and "freeing" in dry.stdout, dry.output
    for src, dst in [(a / "blurry_1.jpg", at_a / "blurry_1.jpg"), (a / "blurry_0.png", at_a / "blurry_0.png"),
                     (b / "trip" / "blurry.jpg", at_b / "trip" / "blurry.jpg")]:
        assert f"-> {dst}\n" in dry.stdout, dry.stdout
    assert "3 photos (4 files" in dry.stdout, dry.stdout
    beside = run("move", "--to", tmp_path / "rej", "--all-blurry", "--db", db)  # above a, but a folder not scanned
    assert INSIDE not in beside.stderr and "freeing" in beside.stdout, beside.output
    inside = run("move", "--to", b / "rejects", "--all-blurry", "--db", db)
    assert f"{b / 'rejects'} {INSIDE}" in inside.stderr and "freeing" not in inside.stdout, inside.output
    assert snapshot(a, b) == before and not rejects.exists()

    moved = run("move", "--to", rejects, "--all-blurry", "--yes", "--db", db)
    assert moved.exit_code == 0 and "moved 3 photos (4 files" in moved.stdout, moved.output
    assert sorted(p.name for p in at_a.iterdir()) == ["blurry_0.png", "blurry_1.jpg", "blurry_1.jpg.xmp"]
    assert [p.name for p in (at_b / "trip").iterdir()] == ["blurry.jpg"]
    assert sorted(p.name for p in rejects.iterdir()) == sorted([tmp_path.name, other_tree.name])
    undone = run("undo", "--db", db)
    assert undone.exit_code == 0, undone.output
    assert snapshot(a, b) == before and not rejects.exists()


def test_scanned_folders_are_named_apart_under_to():
    """The names of folders under --to (:func:`blurscan.actions.root_layout.root_names`): the last part; more where
    two are the same, or one would be a folder above another's."""
    from blurscan.actions.root_layout import by_root_names, root_names

    assert root_names(["/data/a", "/home/me/b"]) == {"/data/a": "a", "/home/me/b": "b"}
    assert root_names(["/data/photos", "/srv/photos", "/x"]) == \
        {"/data/photos": "data/photos", "/srv/photos": "srv/photos", "/x": "x"}
    # /y/q/r and /w/r are both "r", then "q/r" would be below /z/p/q's "q": each pair takes one part more
    assert root_names(["/z/p/q", "/y/q/r", "/w/r"]) == {"/z/p/q": "p/q", "/y/q/r": "y/q/r", "/w/r": "w/r"}
    relative = by_root_names(["/data/photos", "/srv/photos"])
    assert relative("/srv/photos/2024/x.jpg") == "srv/photos/2024/x.jpg"
    assert relative("/elsewhere/x.jpg") is None


def test_the_db_the_nothing_selected_note_names_takes_the_photos_pasted_in_another_folder(tmp_path, other_tree,
                                                                                          monkeypatch):
    """The note of a folder with nothing to take, of a database whose photos share no library folder, gives
    ``--db FILE``: typed relative (``dbs/two 'q'.db``), it is named absolute and quoted, so that the same move with
    it and no folder, pasted in another folder (another terminal tab), takes the photos the note counted. Until
    2026-12-07 it went in as typed, which there named a database not there."""
    import re
    import shlex

    from helpers_cli import run_from

    a, here, there = tmp_path / "a", tmp_path / "here", tmp_path / "there" / "deeper"
    make_library(a)
    save_jpeg(other_tree / "b" / "blurry.jpg", blurred(textured(9)))
    (here / "dbs").mkdir(parents=True)
    there.mkdir(parents=True)
    monkeypatch.chdir(here)
    db = "dbs/two 'q'.db"
    _scan(a, "--db", db)
    _scan(other_tree / "b", "--db", db)
    none_here = run("move", "--to", tmp_path / "rejects", "--all-blurry", "--db", db, a / "sub")
    said = re.search(r"; (\d+) photos elsewhere in the library would be \(give (--db .*) and no folder to take them\)",
                     none_here.stderr)
    assert none_here.exit_code == 0 and said, none_here.output
    pasted = run_from(there, "move", "--to", tmp_path / "rejects", "--all-blurry", *shlex.split(said.group(2)))
    assert pasted.returncode == 0, pasted.stderr
    taken = sorted(os.path.basename(line.split(" [")[0]) for line in pasted.stdout.splitlines()
                   if line.startswith("would move "))
    assert taken == ["blurry.jpg", "blurry_0.png", "blurry_1.jpg"] and len(taken) == int(said.group(1)), pasted.stdout
    assert os.listdir(there) == [] and not (tmp_path / "rejects").exists()


def test_the_scan_a_missing_db_asks_for_names_it_absolute_for_any_folder(tmp_path):
    """``report --db rel.db``, no such database: the `blurscan scan --db ...` it says to run first names the
    database absolute, so pasted in another folder it makes the database the command was given
    (:func:`blurscan.dbfile.scan_into`)."""
    from helpers_cli import run_from

    out = run_from(tmp_path, "report", "--db", "rel.db")
    assert out.returncode == 1, out.stderr
    assert f"(run `blurscan scan --db {shell_path(str(tmp_path / 'rel.db'))} PATH` first)" in out.stderr, out.stderr
