"""Run as root in someone's library (``sudo blurscan scan ~/Pictures``), the database SQLite writes is a name in a
folder of that person's, which they may change. Where hard links to others' files are allowed
(``fs.protected_hardlinks=0``, macOS), they could put a hard link to an empty root file under that name, before
the scan or just after blurscan made the new database's file: SQLite, opening the name as root, made that root
file a database (until 2026-12-06). A database file with another name, owned by someone other than its folder's
owner, is now refused before anything is written to it, checked before and after SQLite opens it. The links are
made by root here (the protection stops a user making them on this machine): what blurscan is given is the same."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import make_library
from helpers_os import give_all, owner_of, users_unknown

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can give a file another owner (os.chown)")

ALICE = (1234, 1235)


@pytest.fixture
def secret(tmp_path):
    """An empty root file on the same drive as alice's library (SQLite takes an empty file for a database)."""
    path = tmp_path / "root-empty"
    path.write_bytes(b"")
    os.chmod(path, 0o600)
    return path


def _library(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    give_all(lib, ALICE)
    return lib


def test_a_database_that_is_a_hard_link_to_a_root_file_is_not_written(tmp_path, secret, monkeypatch):
    """Refused, the owner of the library named: alice, of no name here, is ``user 1234`` (helpers_os.users_unknown;
    until 2026-12-07 a bare number: 'owned by root in a folder of 1234's')."""
    users_unknown(monkeypatch, (ALICE[0],))
    lib = _library(tmp_path)
    os.link(secret, lib / ".blurscan.db")  # (alice's doing, where the system lets her)
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    assert result.exit_code == 1, result.output
    assert os.path.getsize(secret) == 0  # not made a database
    assert owner_of(secret) == (0, 0)
    assert not os.path.lexists(str(lib / ".blurscan.db") + "-wal")
    line = [s for s in result.output.splitlines() if ".blurscan.db" in s]
    assert line and "another name" in line[0], result.output
    assert f"owned by root in a folder of user {ALICE[0]}'s, which blurscan run as root does not write" in line[0], line


def test_a_hard_link_swapped_in_just_after_the_database_was_made_is_not_written(tmp_path, monkeypatch, secret):
    """The name replaced between blurscan's making the empty file (and giving it to alice) and SQLite's open."""
    lib = _library(tmp_path)
    real_open, swapped = os.open, []

    def open_then_swap(name, flags, *args, **kwargs):
        made = flags & os.O_CREAT and not os.path.lexists(name)
        fd = real_open(name, flags, *args, **kwargs)
        if made and os.fsdecode(name).endswith(".blurscan.db") and os.stat(secret).st_nlink == 1:  # alice, then
            os.unlink(name)
            os.link(secret, name)
            swapped.append(name)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    monkeypatch.undo()
    assert swapped
    assert os.path.getsize(secret) == 0, result.output  # not made a database
    assert owner_of(secret) == (0, 0)
    assert result.exit_code == 1, result.output
    assert "another name" in result.output


def test_a_database_with_two_names_of_the_folders_owner_is_used(tmp_path):
    """Alice's own database with a second name (a hard-linked backup of hers) is hers to have written: used."""
    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    assert owner_of(lib / ".blurscan.db") == ALICE
    os.link(lib / ".blurscan.db", tmp_path / "alices-backup.db")
    (lib / "new.jpg").write_bytes((lib / "sub" / "sharp_0.jpg").read_bytes())
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "new.jpg" in result.output


def test_a_database_replaced_as_sqlite_opens_it_is_not_written(tmp_path, monkeypatch, secret):
    """Alice's own database (one name) replaced by a hard link to a root file between blurscan's look and SQLite's
    open: the look after the open finds another file under the name."""
    import sqlite3

    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    db = lib / ".blurscan.db"
    real_connect, swapped = sqlite3.connect, []

    def swap_then_connect(name, *args, **kwargs):
        if os.fsdecode(name) == str(db) and not swapped:  # alice, just then
            os.rename(db, tmp_path / "alices.db")
            os.link(secret, db)
            swapped.append(name)
        return real_connect(name, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", swap_then_connect)
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    monkeypatch.undo()
    assert swapped
    assert os.path.getsize(secret) == 0, result.output
    assert result.exit_code == 1, result.output
    assert "cannot use database" in result.output


@pytest.mark.parametrize("command", ["scan", "report"])
@pytest.mark.parametrize("side", ["-wal", "-shm"])
def test_a_side_file_that_is_a_hard_link_to_a_root_file_is_left_as_it_is(tmp_path, secret, side, command):
    """SQLite opens the ``-wal`` and ``-shm`` beside the database by their names too, and, run as root, gives each
    the database's owner (and an empty one its mode): one alice put there as a hard link to a root file is refused
    as the database is. Until 2026-12-06 the read-only open (``report``, and the first look of every ``scan``) did
    not look: the root ``0600`` file became alice's ``0644``, a ``-shm`` written 32 KB, and the read-write open
    then found it hers."""
    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    os.link(secret, str(lib / ".blurscan.db") + side)  # (alice's doing, where the system lets her)
    result = CliRunner().invoke(main, [command, str(lib), *(["--model", "none"] if command == "scan" else [])])
    assert os.path.getsize(secret) == 0 and owner_of(secret) == (0, 0), result.output
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert result.exit_code == 1, result.output
    assert f".blurscan.db{side}: cannot use database: it is a file with another name" in result.output


def test_a_link_swapped_in_as_sqlite_opens_the_database_is_not_written(tmp_path, monkeypatch, secret):
    """Alice's database replaced by a symbolic link to a root file between blurscan's look and SQLite's open
    (SQLite follows it): a file with one name, which only the look after the open, comparing the file the name
    names with the one before, finds (found by mutation testing: without that comparison every test passed)."""
    import sqlite3

    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    db = lib / ".blurscan.db"
    real_connect, swapped = sqlite3.connect, []

    def swap_then_connect(name, *args, **kwargs):
        if os.fsdecode(name) == str(db) and not swapped:  # alice, just then
            os.rename(db, tmp_path / "alices.db")
            os.symlink(secret, db)
            swapped.append(name)
        return real_connect(name, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", swap_then_connect)
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    monkeypatch.undo()
    assert swapped
    assert os.path.getsize(secret) == 0, result.output
    assert owner_of(secret) == (0, 0)
    assert result.exit_code == 1, result.output
    assert "it was replaced by another file as it was opened" in result.output


def test_a_root_database_of_one_name_in_alices_folder_is_used(tmp_path):
    """Only a file with another name is refused: a database of root's with one name in alice's library (written by
    an older ``sudo blurscan scan``, which left it root's) is used as before (found by mutation testing: refusing
    any file owned by someone other than the folder's owner passed every test)."""
    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    os.chown(lib / ".blurscan.db", 0, 0)
    for command in (["scan", str(lib), "--model", "none"], ["report", str(lib)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, result.output
        assert "sharp_0.jpg" in result.output


def test_a_link_swapped_in_as_report_opens_the_database_read_only_is_not_read(tmp_path, monkeypatch):
    """The same swap as ``report`` opens alice's database read-only, the link to a database of root's (another
    library's, ``0600``): the look after the read-only open refuses it, and none of root's records is reported."""
    import sqlite3

    lib = _library(tmp_path)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    private = tmp_path / "private"
    make_library(private, n_sharp=1, n_blurry=1)
    for path in private.iterdir():
        path.rename(private / f"secret-{path.name}")
    roots_db = tmp_path / "root.db"
    assert CliRunner().invoke(main, ["scan", str(private), "--db", str(roots_db), "--model", "none"]).exit_code == 0
    os.chmod(roots_db, 0o600)
    db = lib / ".blurscan.db"
    real_connect, swapped = sqlite3.connect, []

    def swap_then_connect(name, *args, **kwargs):
        if os.fsdecode(name).startswith("file:") and not swapped:  # alice, just then (the read-only open)
            os.rename(db, tmp_path / "alices.db")
            os.symlink(roots_db, db)
            swapped.append(name)
        return real_connect(name, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", swap_then_connect)
    result = CliRunner().invoke(main, ["report", str(lib)])
    monkeypatch.undo()
    assert swapped
    assert "secret-" not in result.output, result.output
    assert result.exit_code == 1, result.output
    assert "it was replaced by another file as it was opened" in result.output
