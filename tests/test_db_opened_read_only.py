"""SQLite opens a database for reading only, silently, when its open for writing fails for a reason other than
permissions (an I/O error of a network or FUSE drive, too many open files); only the first write then fails,
"attempt to write a readonly database". Found with ``strace -e inject=openat:error=EIO`` on SQLite's open of the
database (2026-12-06): ``move`` said "the database is read-only: check the permissions of the file, its folder
and its -wal and -shm files" and advised keeping the database in the cache folder, though every permission
allowed the write. Real system calls failed with strace."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


def _strace_works() -> bool:
    if shutil.which("strace") is None or not sys.platform.startswith("linux"):
        return False
    return subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _strace_works(), reason="strace cannot trace here")
def test_a_database_sqlite_could_open_for_reading_only_is_not_said_read_only(scanned_none, tmp_path):
    db, rej, log = scanned_none / ".blurscan.db", tmp_path / "rej", tmp_path / "strace.log"
    # the database's second open: the first is blurscan's look at its header, the second SQLite's, for writing
    command = ["strace", "-f", "-qq", "-o", str(log), "-e", "trace=openat,open", "-e", "inject=openat:error=EIO:when=2",
               "-P", str(db), sys.executable, "-m", "blurscan", "move", "--to", str(rej), str(scanned_none),
               "--all-blurry", "--yes"]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=120)
    injected = [line for line in log.read_text().splitlines() if "INJECTED" in line]
    assert len(injected) == 1 and "O_RDWR" in injected[0], log.read_text()  # (SQLite's open for writing)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert ran.stderr.startswith(f"Error: {db}: cannot write: SQLite could open the database for reading only, "
                                 "though the file, its folder and its -wal and -shm files may be written"), ran.stderr
    assert "check the permissions" not in ran.stderr and "--db" not in ran.stderr, ran.stderr
    assert len(list(scanned_none.glob("blurry_*"))) == 2 and not list(rej.rglob("blurry_*"))
    again = subprocess.run([sys.executable, "-m", "blurscan", "move", "--to", str(rej), str(scanned_none),
                            "--all-blurry", "--yes"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "moved 2 photos" in again.stdout, again.stdout + again.stderr


def test_a_database_whose_permissions_refuse_is_still_said_read_only(tmp_path):
    """The new words only where every permission allows the write: a read-only file is named as before."""
    import sqlite3

    from blurscan.dbfile import read_only_error

    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    db.chmod(0o444)
    said = str(read_only_error(str(db), sqlite3.OperationalError("attempt to write a readonly database")))
    assert "the database is read-only: the file is" in said and "SQLite could open" not in said
