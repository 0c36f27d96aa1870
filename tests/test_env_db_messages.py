"""The command line in surroundings an audit met (2026-12-05): a home folder where the cache folder cannot be made,
a current folder deleted under the shell, a database a scan on a full disk failed to set up (or an empty file), a
database another program keeps locked. Each ended in a traceback or a message that was wrong or named no one.
Real commands on generated photos; the full disk and the lock are simulated where a test cannot make them."""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from blurscan.config import DEFAULT_DB_NAME
from blurscan.errors import shell_path
from blurscan.store import Store
from helpers_cli import run
from helpers_images import make_library
from helpers_os import run_unprivileged

SCAN = ("--model", "none", "--workers", "1")
GONE = "Error: the current folder no longer exists"


def _scanned(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    make_library(lib)
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    return lib


# -- 1. the cache folder cannot be made --------------------------------------------------------------------------

@pytest.mark.parametrize("home", ["not there", "/"])
def test_a_read_only_library_whose_cache_folder_cannot_be_made_is_one_error_line(monkeypatch, home):
    """As an ordinary user (``nobody``), a library in root's folder, HOME a folder that does not exist or may not
    be written: the scan ended in a PermissionError traceback. (Run by an ordinary user, as developers run the
    tests, run_unprivileged stays that user, whose library it is: it is made read-only, else the scan wrote its
    database there and the test failed, until 2026-12-06.) The home not there is one in the test's own folder, as
    nobody's ``/nonexistent`` is where it is not there: until 2026-12-07 it was that one, and the test failed on a
    machine where something had made it (an older blurscan run as root with that HOME did)."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-home-"))
    missing = home == "not there"
    if missing:
        home = str(base / "nonexistent")
    try:
        base.chmod(0o755)
        lib = base / "lib"
        make_library(lib)
        if os.geteuid() != 0:
            for folder, _, _ in os.walk(lib):
                os.chmod(folder, 0o555)
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", home)

        def scan():
            result = run("scan", lib, *SCAN)
            return result.exit_code, result.stderr

        code, err = run_unprivileged(scan)
        assert not os.path.exists(os.path.join(home, ".cache", "blurscan"))
    finally:
        for folder, _, _ in os.walk(base):
            os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)
    folder = os.path.join(home, ".cache", "blurscan")
    assert code == 1 and "Traceback" not in err, err
    assert err.startswith(f"Error: {folder}: cannot make the cache folder for the database: "), err
    if missing:  # (since 2026-12-05 named as such: root used to make it)
        assert f"the home folder {home} does not exist (HOME)" in err, err
    else:
        assert "permission denied" in err, err
    assert f"{lib} cannot be written" in err and "--db FILE" in err and err.count("\n") == 1, err


def test_a_home_that_is_a_file_is_one_error_line_too(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    make_library(lib)
    (tmp_path / "home").write_bytes(b"")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    lib.chmod(0o555)  # (honoured by blurscan as root too)
    try:
        result = run("scan", lib, *SCAN)
    finally:
        lib.chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.stderr.startswith(f"Error: {tmp_path / 'home' / '.cache' / 'blurscan'}: cannot make the cache "
                                    "folder for the database: "), result.stderr
    assert "--db FILE" in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_a_cache_folder_that_cannot_be_written_is_not_advised_again(tmp_path, monkeypatch):
    """The cache folder, there but another user's: the scan without --db that the read-only advice suggests is the
    very one that failed, so the advice is --db."""
    lib = tmp_path / "lib"
    make_library(lib)
    cache = tmp_path / "cache"
    (cache / "blurscan").mkdir(parents=True)
    (cache / "blurscan").chmod(0o555)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    lib.chmod(0o555)
    try:
        result = run("scan", lib, *SCAN)
    finally:
        lib.chmod(0o755)
        (cache / "blurscan").chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"its folder {cache / 'blurscan'} " in result.stderr, result.stderr
    assert "scan the library without --db" not in result.stderr, result.stderr
    assert "it is the cache folder" in result.stderr and "--db FILE" in result.stderr, result.stderr


# -- 2. the current folder deleted -------------------------------------------------------------------------------

@pytest.fixture
def gone(tmp_path, monkeypatch):
    """A current folder deleted under the command (``mkdir g; cd g; rmdir ../g``); ``$PWD`` still names it."""
    here = tmp_path / "g"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("PWD", str(here))
    here.rmdir()
    return here


def test_commands_given_absolute_paths_work_in_a_deleted_current_folder(tmp_path, gone):
    lib = _scanned(tmp_path)
    db = lib / DEFAULT_DB_NAME
    for args in (("report", lib), ("report", "--db", db), ("bursts", lib), ("bursts", "--db", db),
                 ("move", lib, "--to", tmp_path / "rejects", "--all-blurry"), ("trash", lib, "--all-blurry"),
                 ("tag", "--xmp", "--dry-run", lib), ("undo", lib), ("scan", lib, *SCAN)):
        result = run(*args)
        assert result.exit_code == 0 and "Error" not in result.output, (args, result.output)
    listed = run("report", lib, "--format", "jsonl")
    assert listed.stdout.count("\n") == 5
    moved = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes")
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.output
    undone = run("undo", lib)
    assert undone.exit_code == 0 and "restored 2 files" in undone.stdout, undone.output


def test_relative_paths_in_a_deleted_current_folder_are_one_error_line(tmp_path, gone):
    _scanned(tmp_path)
    for args in (("report",), ("scan", ".", *SCAN), ("bursts",), ("move", "--to", tmp_path / "rejects"),
                 ("trash",), ("tag", "--xmp"), ("undo",), ("review", "--no-browser"), ("report", "x.jpg")):
        result = run(*args)
        assert result.exit_code == 1 and result.output.startswith(GONE), (args, result.output)
        assert result.output.count("\n") == 1, (args, result.output)


# -- 3. a database with no tables --------------------------------------------------------------------------------

def _disk_full_after_create(monkeypatch):
    """SQLite makes the database file, then cannot write its first page: what a full disk does (a 4 KiB file
    with no table, or none at all, left behind)."""
    def full(self, timeout):
        sqlite3.connect(self.path).close()  # the file made (0 bytes), as SQLite's open makes it
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "_open", full)


def test_a_scan_that_cannot_set_up_its_database_leaves_none_behind(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    make_library(lib)
    _disk_full_after_create(monkeypatch)
    monkeypatch.setattr(Store, "_disk_full", lambda self: "; its disk is full (0 kB free)")
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "database or disk is full" in result.stderr and "no database was kept" in result.stderr, result.stderr
    assert "--db FILE" in result.stderr, result.stderr
    assert not [n for n in os.listdir(lib) if n.startswith(DEFAULT_DB_NAME)]
    monkeypatch.undo()
    assert "not scanned yet" not in run("report", lib).output
    assert "no blurscan database found" in run("report", lib).output


def test_a_database_the_failed_open_did_not_make_is_left_alone(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    db = lib / DEFAULT_DB_NAME
    before = db.read_bytes()
    monkeypatch.setattr(Store, "_open", lambda self, timeout: (_ for _ in ()).throw(
        sqlite3.OperationalError("database or disk is full")))
    assert run("scan", lib, *SCAN).exit_code == 1
    assert db.read_bytes() == before


@pytest.mark.parametrize("kind", ["zero bytes", "no tables"])
def test_an_empty_database_is_not_scanned_yet_for_every_command(tmp_path, kind):
    lib = tmp_path / "lib"
    make_library(lib)
    db = lib / DEFAULT_DB_NAME
    db.write_bytes(b"")
    if kind == "no tables":  # (what SQLite left on a full disk: a first page and nothing in it)
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        assert db.stat().st_size > 0
    for args in (("report", lib), ("review", "--no-browser", lib), ("bursts", lib), ("move", lib, "--to",
                 tmp_path / "rejects", "--all-blurry"), ("trash", lib), ("tag", "--xmp", lib), ("undo", lib)):
        result = run(*args)
        assert result.exit_code == 1 and "older blurscan" not in result.output, (args, result.output)
        assert result.output == (f"Error: {db}: not scanned yet (an empty database, with no tables: run "
                                 f"`blurscan scan {shell_path(lib)}` first)\n"), (args, result.output)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0  # set up by none of them
    conn.close()
    scanned = run("scan", lib, *SCAN)  # the scan still sets it up
    assert scanned.exit_code == 0 and run("report", lib).exit_code == 0, scanned.output


def test_a_dry_run_on_a_full_disk_plans_without_writing(tmp_path, monkeypatch):
    """Opened for writing, a database whose disk is full cannot make its -wal and -shm files ("disk I/O error"):
    the dry run only reads, and opens it as report does."""
    lib = _scanned(tmp_path)
    real = sqlite3.connect

    def no_room(database, *args, **kwargs):
        if not kwargs.get("uri"):  # (the read-only opens are URIs)
            raise sqlite3.OperationalError("disk I/O error")
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", no_room)
    for args in (("move", lib, "--to", tmp_path / "rejects", "--all-blurry"), ("trash", lib, "--all-blurry"),
                 ("tag", "--xmp", "--dry-run", lib)):
        result = run(*args)
        assert result.exit_code == 0 and "would" in result.stdout, (args, result.output)
    done = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes")
    assert done.exit_code == 1 and "disk I/O error" in done.output, done.output


# -- 4. a database locked by another program ---------------------------------------------------------------------

def test_a_database_locked_by_another_program_says_so(tmp_path, monkeypatch):
    # (the trash of the test's own: with the user's, a home that may not be written was the refusal said)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lib = _scanned(tmp_path)
    db = lib / DEFAULT_DB_NAME
    monkeypatch.setitem(Store.__init__.__kwdefaults__, "timeout", 0.2)  # (30 s by default)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        for args in (("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes"), ("trash", lib, "--all-blurry", "--yes")):
            result = run(*args)
            assert result.exit_code == 1 and "Traceback" not in result.output, (args, result.output)
            assert f"Error: {db}: cannot write: database is locked: another program (perhaps another blurscan" \
                   in result.stderr, (args, result.stderr)
            assert "try again when it finishes" in result.stderr, result.stderr
        tagged = run("tag", "--xmp", lib)  # (it said "Nothing to tag.", exit code 0: the refusal left unsaid)
        assert tagged.exit_code == 1 and "Nothing to tag" not in tagged.output, tagged.output
        assert "database is locked: another program" in tagged.stderr and "no photo was tagged" in tagged.stderr
        assert tagged.stdout == "", tagged.stdout  # (no "tagged 0 photos ..." before it, since 2026-12-07)
        assert not list(lib.glob("*.xmp"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes").exit_code == 0


def test_the_locked_message_of_an_open_that_waited_too_long(tmp_path):
    db = tmp_path / "new.db"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # (a new database: its set-up waits for the lock)
    try:
        with pytest.raises(Exception, match="database is locked: another program .* try again when it finishes"):
            Store(db, timeout=0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()
