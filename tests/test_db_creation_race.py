"""Two blurscan commands making a library's new database at the same moment (2026-12-06).

A scan whose open of the database it is creating fails (locked past its busy timeout, a full disk, Ctrl-C) removes
the file it made, so that no empty database is left behind (:func:`blurscan.dbfile.remove_unmade`). Another
process may have opened that same file meanwhile and be setting it up: the file is then left to it.

No timing races: the other process (a plain SQLite connection doing what a second scan's open does: WAL, then its
schema in a write transaction) is started at a fixed point, once the scan has found no database and before it
connects; the scan's busy timeout is made short so that its open fails at once.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from blurscan.config import DEFAULT_DB_NAME
from blurscan.store import Store
from helpers_cli import run
from helpers_images import make_library

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
    rows = sqlite3.connect(db).execute("SELECT note FROM other_scan").fetchall()
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
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(lib / DEFAULT_DB_NAME)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    finally:
        holder.communicate("done\n", timeout=30)
    assert result.exit_code == 1, result.output
    assert "another blurscan move, trash, tag or undo is running on" in result.output, result.output
    assert str(lib / DEFAULT_DB_NAME) in result.output, result.output
    assert sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith(".")) == photos
    assert not (tmp_path / "rejects").exists()
    # once it is done, the sub-folder's batch runs
    result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output


# A batch of the library's database, running: its actions lock held (journal.exclusive) until told.
_HOLD = """
import sys
from blurscan.actions import journal
from blurscan.store import Store
with Store(sys.argv[1]) as store, journal.exclusive(store):
    print("held", flush=True)
    sys.stdin.readline()
"""
