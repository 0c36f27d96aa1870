"""The ``-wal`` and ``-shm`` files SQLite makes beside a database that a full disk keeps it from using (here a
file-size limit, SIGXFSZ ignored: sizing the ``-shm`` fails as on a full disk). SQLite's close, unable to
checkpoint, kept both, and until 2026-12-06 blurscan left them there after every command (`report`, which reads
on, too) until one had room to open the database. They are removed as SQLite removes them, never under another
connection."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.dbleftovers import remove_side_files
from blurscan.store import Store
from helpers_images import make_library

resource = pytest.importorskip("resource")


def _scanned(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=1)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    return lib


def _sides(lib: Path) -> list[str]:
    return sorted(p.name for p in lib.iterdir() if p.name.startswith(".blurscan.db-"))


def _on_a_full_disk(*args: str, room: int = 1000) -> subprocess.CompletedProcess:
    def no_room():
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    return subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, text=True, timeout=60,
                          preexec_fn=no_room)


@pytest.mark.parametrize("command", ["bursts", "report"])
def test_a_command_on_a_full_disk_leaves_no_side_file(tmp_path, command):
    lib = _scanned(tmp_path)
    assert _sides(lib) == []
    result = _on_a_full_disk(command, str(lib))
    if command == "bursts":  # (it must write: refused, "cannot use database: disk I/O error")
        assert result.returncode == 1 and "cannot use database" in result.stderr, result.stderr
    else:  # (reads on)
        assert result.returncode == 0 and "3 files" in result.stdout, result.stderr
    assert _sides(lib) == []
    again = CliRunner().invoke(main, ["report", str(lib)])
    assert again.exit_code == 0 and "3 files" in again.output, again.output


@pytest.mark.parametrize("room", [5000, 20000])
def test_a_first_scan_on_a_full_disk_leaves_no_file_of_its_database(tmp_path, room):
    """Room for the database's first page, not for its -shm: SQLite made the database, its -wal and part of its
    -shm; the database it could not set up is removed, and the two files beside it with it."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    result = _on_a_full_disk("scan", str(lib), "--model", "none", "--workers", "1", room=room)
    assert result.returncode == 1 and "disk I/O error" in result.stderr, result.stderr
    assert [p.name for p in lib.iterdir() if p.name.startswith(".blurscan.db")] == []


def _leftovers(lib: Path) -> str:
    """The ``-wal`` (empty) and ``-shm`` a full disk left beside the database, as SQLite leaves them."""
    db = str(lib / ".blurscan.db")
    assert _on_a_full_disk("bursts", str(lib)).returncode == 1
    for suffix in ("-wal", "-shm"):  # (made again where this blurscan removed them)
        Path(db + suffix).touch()
    return db


def test_side_files_are_left_while_another_process_has_the_database_open(tmp_path):
    lib = _scanned(tmp_path)
    db = _leftovers(lib)
    other = subprocess.Popen([sys.executable, "-c", f"""
import sqlite3, sys
conn = sqlite3.connect({db!r})
conn.execute("SELECT count(*) FROM images").fetchone()
print("open", flush=True)
sys.stdin.read()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline() == "open\n"
        assert not remove_side_files(db, (False, False))
        assert _sides(lib) == [".blurscan.db-shm", ".blurscan.db-wal"]
    finally:
        other.communicate("", timeout=30)  # (its close, the last, removes them: SQLite's own way)


def test_side_files_are_left_while_this_process_has_the_database_open(tmp_path):
    lib = _scanned(tmp_path)
    db = _leftovers(lib)
    with Store(db, readonly=True):
        assert not remove_side_files(db, (False, False))
        assert _sides(lib) == [".blurscan.db-shm", ".blurscan.db-wal"]


def test_a_write_ahead_log_with_changes_is_never_removed(tmp_path):
    lib = _scanned(tmp_path)
    db = _leftovers(lib)
    Path(db + "-wal").write_bytes(b"\0" * 64)
    assert not remove_side_files(db, (False, False))
    assert _sides(lib) == [".blurscan.db-shm", ".blurscan.db-wal"] and os.path.getsize(db + "-wal") == 64


@pytest.mark.parametrize("command", ["bursts", "report"])
def test_side_files_of_a_database_named_by_a_link_are_removed_beside_the_file_it_names(tmp_path, command):
    """`--db LINK` (a link kept in another folder): SQLite makes the -wal and -shm beside the file the link names;
    until 2026-12-07 they were looked for beside the link's name, and left beside the database for good."""
    lib = _scanned(tmp_path)
    links = tmp_path / "links"
    links.mkdir()
    os.symlink(lib / ".blurscan.db", links / "library.db")
    result = _on_a_full_disk(command, "--db", str(links / "library.db"))
    assert result.returncode == (1 if command == "bursts" else 0), result.stderr
    assert _sides(lib) == [] and sorted(p.name for p in links.iterdir()) == ["library.db"]
