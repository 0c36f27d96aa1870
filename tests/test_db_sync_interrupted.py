"""A database write whose sync failed: SQLite does not retry an ``fdatasync`` interrupted by a signal (EINTR, which
network and FUSE drives give) and says "disk I/O error" (SQLITE_IOERR_FSYNC). Found with ``strace -f -e
inject=fdatasync:error=EINTR`` over ``blurscan move`` (2026-12-06): the line named no cause and did not say that
nothing was lost. SQLite rolls such a transaction back whole, so it is not tried again here; the line says what
happened, and the command run again finishes the work. Real system calls failed with strace."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from helpers_sqlite import query


def _strace_works() -> bool:
    if shutil.which("strace") is None or not sys.platform.startswith("linux"):
        return False
    return subprocess.run(["strace", "-qq", "-o", "/dev/null", "true"], capture_output=True).returncode == 0


needs_strace = pytest.mark.skipif(not _strace_works(), reason="strace cannot trace here")


def _blurscan(*args, inject: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "blurscan", *map(str, args)]
    if inject:
        command = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"inject={inject}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@needs_strace
def test_a_move_whose_database_sync_is_interrupted_says_so_and_nothing_is_lost(scanned_none, tmp_path):
    rej = tmp_path / "rej"
    failed = _blurscan("move", "--to", rej, scanned_none, "--all-blurry", "--yes",
                       inject="fdatasync:error=EINTR:when=1+")
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr, failed.stderr
    assert "cannot write: disk I/O error (the drive did not confirm the write: its sync was interrupted" \
        in failed.stderr, failed.stderr
    assert "the database is as it was before it" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert len(list(scanned_none.glob("blurry_*"))) == 2 and not list(rej.rglob("blurry_*"))
    again = _blurscan("move", "--to", rej, scanned_none, "--all-blurry", "--yes")
    assert again.returncode == 0, again.stderr
    assert "moved 2 photos" in again.stdout and "as batch 1;" in again.stdout, again.stdout
    assert len(list(rej.rglob("blurry_*"))) == 2


@needs_strace
def test_a_sync_interrupted_in_a_plain_sqlite_commit_is_rolled_back_whole(tmp_path):
    """What the message says, held: after SQLITE_IOERR_FSYNC the transaction is gone (none active, its row not
    there), so neither a COMMIT again nor 'nothing was lost' could be otherwise."""
    db = tmp_path / "t.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    script = ("import sqlite3, sys\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "c.execute('PRAGMA synchronous = FULL'); c.execute('BEGIN IMMEDIATE')\n"
              "c.execute('INSERT INTO t VALUES (1)')\n"
              "try:\n    c.execute('COMMIT')\nexcept sqlite3.Error as e:\n"
              "    print(getattr(e, 'sqlite_errorcode', None), c.in_transaction)\n")
    done = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "inject=fdatasync:error=EINTR:when=1",
                           sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["1034", "False"], done.stdout + done.stderr
    assert query(db, "SELECT count(*) FROM t") == [(0,)]


def test_only_a_failed_sync_is_said_so():
    from blurscan.dbfile import damaged_error, sync_failed

    synced = sqlite3.OperationalError("disk I/O error")
    synced.sqlite_errorcode = 1034
    other = sqlite3.OperationalError("disk I/O error")
    other.sqlite_errorcode = 10  # SQLITE_IOERR: no cause told
    assert "did not confirm the write" in sync_failed(synced)
    assert sync_failed(other) == "" and sync_failed(ValueError("x")) == ""
    folder_synced = sqlite3.OperationalError("disk I/O error")
    folder_synced.sqlite_errorcode = 1290  # SQLITE_IOERR_DIR_FSYNC: the sync of a journal's folder, as it is removed
    assert "did not confirm the write" in sync_failed(folder_synced)
    said = str(damaged_error(synced, "/x/lib/.blurscan.db"))
    assert "cannot write: disk I/O error (the drive did not confirm" in said and "damaged" not in said
