"""Two databases of one library kept outside it (``--db``, no ``.blurscan.db`` in the library): a batch of one and a
batch of the other on the same photos exclude each other (2026-12-06), by a lock on the library's folder
(:func:`blurscan.actions.library_locks.held_folders`). They took different locks and ran at once over the same
photos: the second failed on the photos the first had taken, and across drives a photo could be copied to both
destinations.

The running batch is held at a fixed point: its locks taken by the code a batch takes them with
(:func:`blurscan.actions.journal.exclusive`), in another process, until told."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers_cli import run
from helpers_images import make_library
from helpers_library import batch_held, tmpfs

SCAN = ("--model", "none", "--workers", "1")

def _photos(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(("blurry", "sharp")))


@pytest.fixture
def library(tmp_path):
    """``L`` with photos in ``a`` and ``b``, scanned into ``e1.db`` (``L``), ``ea.db`` (``L/a``) and ``eb.db``
    (``L/b``), all beside it."""
    lib = tmp_path / "L"
    make_library(lib / "a", n_sharp=1, n_blurry=2)
    make_library(lib / "b", n_sharp=1, n_blurry=2)
    for db, folder in (("e1.db", lib), ("ea.db", lib / "a"), ("eb.db", lib / "b")):
        assert run("scan", folder, "--db", tmp_path / db, *SCAN).exit_code == 0
    assert not any(p.name.endswith(".db") for p in lib.rglob("*"))
    return lib


def test_a_batch_of_a_folder_with_its_own_database_waits_for_one_of_the_library(library, tmp_path):
    before = _photos(library / "a")
    with batch_held(tmp_path / "e1.db"):
        result = run("move", library / "a", "--db", tmp_path / "ea.db", "--all-blurry", "--to", tmp_path / "R2",
                     "--yes")
    assert result.exit_code == 1, result.output
    assert (f"Error: {tmp_path / 'ea.db'}: another blurscan move, trash, tag or undo is running on the library "
            f"{library}, which these photos are in too; wait for it to finish") in result.output, result.output
    assert _photos(library / "a") == before and not (tmp_path / "R2").exists()
    # once it is done, the folder's batch runs
    result = run("move", library / "a", "--db", tmp_path / "ea.db", "--all-blurry", "--to", tmp_path / "R2", "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output


def test_a_batch_of_the_library_waits_for_one_of_a_folder_in_it_or_of_another_database_of_it(library, tmp_path):
    before = _photos(library / "a")
    with batch_held(tmp_path / "ea.db"):
        result = run("move", library, "--db", tmp_path / "e1.db", "--all-blurry", "--to", tmp_path / "R1", "--yes")
    assert result.exit_code == 1, result.output
    assert (f"running on a folder in {library}, this database's library (given another database); wait for it "
            "to finish") in result.output, result.output
    assert _photos(library / "a") == before and not (tmp_path / "R1").exists()
    (tmp_path / "e2.db").write_bytes((tmp_path / "e1.db").read_bytes())  # a second database of the library
    with batch_held(tmp_path / "e2.db"):
        result = run("undo", "--db", tmp_path / "e1.db")
    assert result.exit_code == 1, result.output
    assert f"running on {library}, this database's library (given another database)" in result.output


def test_batches_of_two_folders_side_by_side_run_at_once(library, tmp_path):
    with batch_held(tmp_path / "ea.db"):
        result = run("move", library / "b", "--db", tmp_path / "eb.db", "--all-blurry", "--to", tmp_path / "R",
                     "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
    assert _photos(library / "b") == []


def test_the_lock_holds_on_a_read_only_library(library, tmp_path):
    """A library on a read-only drive (a card locked read-only): its folder is locked all the same (nothing is
    made for the lock), so undo of one database waits for a batch of the other. Root with mount rights only."""
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    ro = tmp_path / "ro"
    with tmpfs(ro, "4m"):
        make_library(ro / "L", n_sharp=1, n_blurry=1)
        for db in ("r1.db", "r2.db"):
            assert run("scan", ro / "L", "--db", tmp_path / db, *SCAN).exit_code == 0
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        with batch_held(tmp_path / "r1.db"):
            result = run("undo", "--db", tmp_path / "r2.db")
        assert result.exit_code == 1, result.output
        assert f"running on {ro / 'L'}, this database's library (given another database)" in result.output
        result = run("undo", "--db", tmp_path / "r2.db")  # (once it is done: nothing to undo, and said so)
        assert "Nothing to undo" in result.output, result.output


def test_a_batch_two_folders_below_a_running_one_of_the_library_waits_for_it(library, tmp_path):
    """Every folder above a batch's library is locked (shared), not its parent alone: ``L/a/sub``'s batch waits for
    ``L``'s."""
    assert run("scan", library / "a" / "sub", "--db", tmp_path / "es.db", *SCAN).exit_code == 0
    with batch_held(tmp_path / "e1.db"):
        result = run("undo", "--db", tmp_path / "es.db")
    assert result.exit_code == 1, result.output
    assert f"running on the library {library}, which these photos are in too" in result.output, result.output


_CHOOSING = """
import sys
from blurscan.cli.db_creation import choosing_database
with choosing_database(sys.argv[1:]):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_batch_runs_while_a_scan_chooses_its_database(library, tmp_path):
    """A scan of the library making its new database holds the locks of the folders it could be made in
    (:mod:`blurscan.cli.db_creation`), which are not the folders' own locks that batches take: a batch neither
    waits for that scan nor keeps a scan waiting for the length of the batch."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-c", _CHOOSING, str(library)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "held"
        result = run("move", library / "b", "--db", tmp_path / "eb.db", "--all-blurry", "--to", tmp_path / "R",
                     "--yes")
    finally:
        proc.communicate("done\n", timeout=30)
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output


def test_batches_of_two_folders_with_their_own_databases_in_a_library_with_its_own_run_at_once(tmp_path):
    """``L/a`` and ``L/b`` each with their own ``.blurscan.db`` (scanned before ``L``), and ``L``'s: a batch of
    ``L/a`` took the lock of ``L``'s database exclusive, so one of ``L/b`` was refused, said to wait for a batch
    of ``L``'s database that was not running (until 2026-12-06). The lock of a database above the library is
    taken shared (as the folders above are), that of another database of the same library folder exclusive."""
    lib = tmp_path / "L"
    make_library(lib / "a", n_sharp=1, n_blurry=2)
    make_library(lib / "b", n_sharp=1, n_blurry=2)
    for folder in (lib / "a", lib / "b", lib):
        assert run("scan", folder, *SCAN).exit_code == 0
    with batch_held(lib / "a" / ".blurscan.db"):
        result = run("move", lib / "b", "--all-blurry", "--to", tmp_path / "R", "--yes")
        assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
        result = run("undo", lib)  # (a batch of the library's database waits, as before; it said "this database")
        assert result.exit_code == 1, result.output
        assert (f"Error: {lib / '.blurscan.db'}: another blurscan move, trash, tag or undo is running on a folder of "
                "this database's library, with the folder's own database; wait for it to finish") in result.output
    assert run("scan", lib, "--db", tmp_path / "e.db", *SCAN).exit_code == 0
    with batch_held(tmp_path / "e.db"):  # (another database of the library: L/b's batch waits too)
        result = run("undo", lib / "b")
        assert result.exit_code == 1 and "another blurscan move, trash, tag or undo" in result.output, result.output
        result = run("undo", lib)  # (it said "running on this database", which was not)
    assert result.exit_code == 1, result.output
    assert ("is running on this database or another database of its library; wait for it to finish"
            in result.output), result.output


def test_a_database_of_folders_with_no_common_one_locks_each_folder(tmp_path):
    """Folders scanned together that share none but the file system's root (``scan /tmp/... /var/tmp/...``) have
    no library folder: each is locked, so a batch of a database of one of them waits for one of the two."""
    other = Path(tempfile.mkdtemp(prefix="blurscan-locks-", dir="/var/tmp"))
    try:
        make_library(tmp_path / "x", n_sharp=1, n_blurry=1)
        make_library(other / "y", n_sharp=1, n_blurry=1)
        assert run("scan", tmp_path / "x", other / "y", "--db", tmp_path / "both.db", *SCAN).exit_code == 0
        assert run("scan", other / "y", "--db", tmp_path / "y.db", *SCAN).exit_code == 0
        with batch_held(tmp_path / "y.db"):
            result = run("undo", "--db", tmp_path / "both.db")
        assert result.exit_code == 1, result.output
        assert f"running on {other / 'y'}, this database's library (given another database)" in result.output, \
            result.output
    finally:
        shutil.rmtree(other, ignore_errors=True)
