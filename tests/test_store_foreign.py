"""An SQLite database of another program given to ``--db`` by mistake (a photo manager's catalogue) got
blurscan's tables added to it and was switched to WAL journaling (at user_version 0), or was "upgraded" as an
older blurscan's (a version of its own below ours) or called "newer than this blurscan" (above). It is now
refused before anything is written, its bytes unchanged."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from blurscan.errors import StoreError, shell_path
from blurscan.store import Store
from helpers_cli import run
from helpers_images import save_jpeg, textured
from helpers_sqlite import connected


def _catalogue(path, version):
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE Albums (id INTEGER PRIMARY KEY, name TEXT);"
                       "CREATE TABLE ImageTags (imageid INTEGER, tagid INTEGER);"
                       "INSERT INTO Albums (name) VALUES ('Holidays');"
                       f"PRAGMA user_version = {version};")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("version", [0, 2, 99])
def test_another_programs_database_is_refused_and_left_as_it_is(tmp_path, version):
    lib = tmp_path / "lib"
    lib.mkdir()
    save_jpeg(lib / "IMG_0001.jpg", textured(1))
    db = tmp_path / "digikam4.db"
    before = _catalogue(db, version)
    for args in (["scan", lib, "--db", db, "--model", "none"], ["report", lib, "--db", db]):
        result = run(*args)
        assert result.exit_code != 0, result.output
        assert (f"{db}: not a blurscan database (an SQLite database of another program: tables Albums, "
                "ImageTags); it was left as it is") in result.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not (tmp_path / "digikam4.db-wal").exists()
    with pytest.raises(StoreError, match="not a blurscan database"):
        Store(str(db))


def test_another_programs_images_table_is_not_taken_for_ours(tmp_path):
    """A catalogue with a table named ``images`` (as many photo programs have) and a version of its own."""
    db = tmp_path / "photos.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE images (id INTEGER PRIMARY KEY, filename TEXT); PRAGMA user_version = 3;")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="not a blurscan database .*tables images"):
        Store(str(db))
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_new_or_empty_database_file_is_still_ours(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    save_jpeg(lib / "IMG_0001.jpg", textured(1))
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # an SQLite file with no table yet (as a killed first open leaves it)
    assert run("scan", lib, "--db", empty, "--model", "none").exit_code == 0
    assert run("report", lib, "--db", empty).exit_code == 0  # and a database of ours is read again


def test_a_database_restored_from_a_dump_is_said_to_have_lost_its_version(tmp_path):
    """`sqlite3 lib.db .dump | sqlite3 new.db` writes no user_version: the copy has blurscan's tables at version
    0, which was called another program's database (and failed with 'duplicate column name' before that)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    save_jpeg(lib / "IMG_0001.jpg", textured(1))
    db = tmp_path / "lib.db"
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    restored = tmp_path / "restored.db"
    with connected(db) as source, connected(restored) as copy:
        copy.executescript("\n".join(source.iterdump()))
    with pytest.raises(StoreError, match=r"a blurscan database without its schema version \(restored from an SQL "
                                         r"dump\?\).*PRAGMA user_version = \d+'$") as err:
        Store(str(restored))
    conn = sqlite3.connect(restored)  # what the message says to do
    conn.execute(str(err.value).split("sqlite3 " + shell_path(restored) + " ")[1].strip("'"))  # (quoted for a shell)
    conn.close()
    assert run("report", lib, "--db", restored).exit_code == 0


@pytest.mark.parametrize("readonly", [False, True])
def test_a_refused_wal_database_is_closed_at_once_leaving_no_wal_or_shm_beside_it(tmp_path, readonly):
    """Another program's database in WAL mode (a browser's history, most photo managers' catalogues): the refused
    connection stayed open until the garbage collector freed it, and SQLite's -wal / -shm files with it, beside
    the other program's file (found by the adversarial re-check through a library's recorded seed databases)."""
    db = tmp_path / "places.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript("PRAGMA journal_mode = WAL; CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);")
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]
    with pytest.raises(StoreError, match="not a blurscan database") as refused:
        Store(str(db), readonly=readonly)
    # (the exception's traceback still holds the Store: nothing but an explicit close removes the files now)
    assert refused.value is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]
