"""Two blurscan commands at once on a library and a folder in it, or on one new database (2026-12-06).

* A scan whose open of the database it is creating fails (locked past its busy timeout, a full disk, Ctrl-C)
  removes the file it made, so that no empty database is left behind (:func:`blurscan.dbleftovers.remove_unmade`).
  Another process may have opened that same file meanwhile and be setting it up: the file is then left to it.
* ``move lib`` and ``move lib/a`` (``lib/a`` with a database of its own) take the same photos: one waits for the
  other (:mod:`blurscan.actions.library_locks`).
* ``scan lib`` and ``scan lib/a`` started together make one database after the other, as if run so
  (:mod:`blurscan.cli.db_creation`).

No timing races where a fixed point can be had: the other process is started, or holds its lock or its write
transaction, at a fixed point of the command under test (a patch point on the function that comes before).
"""
from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest

from blurscan.config import DEFAULT_DB_NAME
from blurscan.store import Store
from helpers_cli import run
from helpers_images import make_library
from helpers_library import batch_held
from helpers_sqlite import query

SCAN = ("--model", "none", "--workers", "1")

# The other scan: opens the database, switches it to WAL and writes its schema in a transaction it commits only
# when told (a line on its standard input).
_OTHER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE other_scan (note TEXT)")
conn.execute("INSERT INTO other_scan VALUES ('its results and decisions')")
print("ready", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


def test_a_failed_open_leaves_the_database_another_process_is_setting_up(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    db = lib / DEFAULT_DB_NAME
    real, others = Store._connect, []

    def connect(self, *, create, timeout, readonly):
        if self.path == str(db) and not others:  # the scan found no database: the other one makes it now
            other = subprocess.Popen([sys.executable, "-c", _OTHER, str(db)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
            others.append(other)
            assert other.stdout.readline().strip() == "ready"
            timeout = 0.3  # (its write lock held: this open fails with "database is locked" at once)
        return real(self, create=create, timeout=timeout, readonly=readonly)

    monkeypatch.setattr(Store, "_connect", connect)
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 1 and "database is locked" in result.output, result.output
    (other,) = others
    other.communicate("commit\n", timeout=30)
    assert other.returncode == 0
    assert db.exists(), "the other process's database was removed under it"
    rows = query(db, "SELECT note FROM other_scan")
    assert rows == [("its results and decisions",)]


def _nested_library(tmp_path):
    """``lib`` with a sub-folder ``a`` scanned first (its own database), then ``lib`` (the library's)."""
    lib = tmp_path / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=2)
    make_library(lib / "b", n_sharp=1, n_blurry=1)
    for folder in (lib / "a", lib):
        assert run("scan", folder, *SCAN).exit_code == 0
    assert (lib / "a" / DEFAULT_DB_NAME).exists() and (lib / DEFAULT_DB_NAME).exists()
    return lib


def test_a_batch_of_a_sub_folders_database_waits_for_one_of_the_librarys(tmp_path):
    """``move lib`` (the library's database) and ``move lib/a`` (the sub-folder's own) take the same photos of
    ``a``: the second is refused while the first runs, as two batches of one database are. The first batch is held
    at a fixed point: its lock taken by the code a batch takes it with, in another process."""
    lib = _nested_library(tmp_path)
    photos = sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith("."))
    with batch_held(lib / DEFAULT_DB_NAME):
        result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 1, result.output
    assert "another blurscan move, trash, tag or undo is running on" in result.output, result.output
    assert str(lib / DEFAULT_DB_NAME) in result.output, result.output
    assert sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith(".")) == photos
    assert not (tmp_path / "rejects").exists()
    # once it is done, the sub-folder's batch runs
    result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output


@pytest.mark.slow
def test_a_library_scanned_while_a_sub_folders_scan_makes_its_database_starts_from_it(tmp_path, monkeypatch):
    """``scan lib/a`` and ``scan lib`` started together, neither database there yet: ``scan lib/a`` has looked
    for a database above its folder (none) when ``scan lib`` (a real process) starts. Each made its own, the
    library's neither starting from the sub-folder's nor saying so. Now the second waits for the first to make
    its database, and goes on as if run after it: the library's database starts from the sub-folder's, with
    the note. (``scan lib`` is given a moment to run; it is not needed for the outcome, only to make the old
    one: the two databases, unrelated.)"""
    import blurscan.cli.scan as scan_command
    from blurscan.seeded import seeded_from

    lib = tmp_path / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=1)
    make_library(lib / "b", n_sharp=1, n_blurry=1)
    real, library_scan = scan_command.scan_db_location, []

    def located(paths):
        found = real(paths)
        library_scan.append(subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(lib), *SCAN,
                                              "--format", "jsonl"], stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, text=True))
        with contextlib.suppress(subprocess.TimeoutExpired):
            library_scan[0].wait(timeout=2)
        return found

    monkeypatch.setattr(scan_command, "scan_db_location", located)
    result = run("scan", lib / "a", *SCAN)
    assert result.exit_code == 0, result.output
    assert f"database: {lib / 'a' / DEFAULT_DB_NAME}" in result.output, result.output
    _, err = library_scan[0].communicate(timeout=60)
    assert library_scan[0].returncode == 0, err
    assert f"database: {lib / DEFAULT_DB_NAME}" in err, err
    assert f"{lib / 'a' / DEFAULT_DB_NAME} holds an earlier scan of {lib / 'a'}" in err, err
    with Store(lib / DEFAULT_DB_NAME) as store:
        assert seeded_from(store) == [str(lib / "a" / DEFAULT_DB_NAME)]


# Another program's file, made at the path of the database a scan is about to create: an SQLite database with a
# table, a file that is not SQLite at all, or one too short to be a database. The other program is done with it
# (no lock held): only what the file holds says it is not the one the scan's open made.
_OTHERS_FILE = {
    "sqlite": """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("CREATE TABLE albums (name TEXT)")
conn.execute("INSERT INTO albums VALUES ('holidays')")
conn.commit()
conn.close()
""",
    "text": """
import sys
open(sys.argv[1], "w").write("the other program's notes\\n" * 8)
""",
    "short": """
import sys
open(sys.argv[1], "wb").write(b"SQLite format 3\\0" + bytes(40))
""",
}


@pytest.mark.parametrize("kind", sorted(_OTHERS_FILE))
def test_a_failed_open_leaves_a_file_another_program_made_there_meanwhile(tmp_path, monkeypatch, kind):
    """``scan --db new.db``: the file was not there when the scan looked, and another program makes it before the
    scan's open. The open fails (it is not a blurscan database), and the file, which that open did not make, is
    left as the error says."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    db = tmp_path / "new.db"
    real = Store._connect

    def connect(self, *, create, timeout, readonly):
        if self.path == str(db) and not db.exists():  # the scan found no file there: the other program makes it
            subprocess.run([sys.executable, "-c", _OTHERS_FILE[kind], str(db)], check=True, timeout=30)
        return real(self, create=create, timeout=timeout, readonly=readonly)

    monkeypatch.setattr(Store, "_connect", connect)
    result = run("scan", lib, "--db", db, *SCAN)
    assert result.exit_code == 1 and ("not a blurscan database" in result.output  # (SQLite's words for a file
                                      or "file is not a database" in result.output), result.output  # it read)
    assert db.exists(), "another program's file was removed"
    if kind == "sqlite":
        assert query(db, "SELECT name FROM albums") == [("holidays",)]


def test_the_sub_folders_database_is_made_before_the_library_scan_looks(tmp_path, monkeypatch):
    """``scan lib/a`` makes its new database while it holds the lock, before its scan opens it: ``scan lib``,
    which takes the lock next, finds it even when it looks before ``scan lib/a`` has scanned a photo (here it runs
    to its end first), and starts from it, with the note."""
    import blurscan.cli.scan as scan_command
    from blurscan import pipeline
    from blurscan.seeded import seeded_from

    lib = tmp_path / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=1)
    make_library(lib / "b", n_sharp=1, n_blurry=1)
    real_locate, real_scan, library_scan = scan_command.scan_db_location, pipeline.scan, []

    def located(paths):  # (the lock held: scan lib starts, and waits for it)
        library_scan.append(subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(lib), *SCAN,
                                              "--format", "jsonl"], stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, text=True))
        return real_locate(paths)

    def scan(*args, **kwargs):  # (the lock let go: scan lib runs to its end before this scan opens its database)
        library_scan[0].wait(timeout=60)
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(scan_command, "scan_db_location", located)
    monkeypatch.setattr(pipeline, "scan", scan)
    result = run("scan", lib / "a", *SCAN)
    assert result.exit_code == 0, result.output
    _, err = library_scan[0].communicate(timeout=60)
    assert library_scan[0].returncode == 0, err
    assert f"{lib / 'a' / DEFAULT_DB_NAME} holds an earlier scan of {lib / 'a'}" in err, err
    with Store(lib / DEFAULT_DB_NAME) as store:
        assert seeded_from(store) == [str(lib / "a" / DEFAULT_DB_NAME)]
