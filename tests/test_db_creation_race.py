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
