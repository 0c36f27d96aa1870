"""The ``--output`` file of ``scan`` and ``report`` (blurscan.cli.output), through the real command line: a file
whose overwriting would destroy something is refused before any work and left as it was."""
from __future__ import annotations

import os
import sqlite3

import pytest

from blurscan.store import Store

from helpers_cli import run
from helpers_images import make_library, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")


@pytest.fixture
def moved(tmp_path):
    """A scanned library with one batch moved out: ``(lib, database)``; its undo needs the database's journal."""
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    result = run("move", "--to", tmp_path / "rej", lib, "--all-blurry", "--yes")
    assert result.exit_code == 0 and len(os.listdir(tmp_path / "rej")) == 2, result.output
    return lib, lib / ".blurscan.db"


def _refused(result, output, reason):
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {output}: cannot write output: it is {reason}\n"


DB = ("the database this command uses, which the list would replace with its results, decisions and undo history; "
      "it was left as it is (choose another --output file; --db names the database)")


def test_the_database_in_use_is_refused_as_output_and_left_whole(moved, tmp_path):
    """`report lib -o lib/.blurscan.db` replaced the database with the table (exit code 0, no warning), and the
    next `undo` said it was no blurscan database: the journal of the move, the decisions, the results were gone.
    `scan` emptied it before opening it."""
    lib, db = moved
    before = db.read_bytes()
    _refused(run("report", lib, "-o", db), db, DB)
    _refused(run("report", lib, "--db", db, "--format", "csv", "--output", db), db, DB)
    _refused(run("scan", lib, *SCAN, "-o", db), db, DB)
    (tmp_path / "link.csv").symlink_to(db)  # another name of it: compared as a file, not as a string
    _refused(run("report", lib, "-o", tmp_path / "link.csv"), tmp_path / "link.csv", DB)
    assert db.read_bytes() == before
    wal = f"{db}-wal"  # (not there while no one uses the database: told by its path)
    _refused(run("scan", lib, *SCAN, "-o", wal), wal,
             f"SQLite's -wal file of the database this command uses, {db}, which needs it to stay whole; it was "
             "left as it is (choose another --output file)")
    assert not os.path.exists(wal)
    result = run("undo", lib)
    assert result.exit_code == 0, result.output
    assert not os.path.exists(tmp_path / "rej") or not os.listdir(tmp_path / "rej")


def test_the_database_a_scan_is_about_to_create_is_refused(tmp_path):
    lib = tmp_path / "new"
    save_jpeg(lib / "a.jpg", textured())
    _refused(run("scan", lib, *SCAN, "-o", lib / ".blurscan.db"), lib / ".blurscan.db", DB)
    assert os.listdir(lib) == ["a.jpg"]


def test_another_sqlite_database_is_refused(tmp_path):
    """`blurscan scan /mnt/card -o ~/card.db`: -o and --db mixed up."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured())
    card = tmp_path / "card.db"
    assert run("scan", lib, *SCAN, "--db", card).exit_code == 0
    assert run("scan", lib, *SCAN).exit_code == 0  # (lib/.blurscan.db: the database the commands below use)
    other = tmp_path / "catalogue.sqlite"  # another program's
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE albums (id INTEGER)")
    conn.close()
    for db in (card, other):
        before = db.read_bytes()
        reason = ("an SQLite database, which the list would replace; it was left as it is (choose another --output "
                  "file; --db names the database)")
        _refused(run("scan", lib, *SCAN, "-o", db), db, reason)
        _refused(run("report", lib, "-o", db, "--format", "jsonl"), db, reason)  # (lib's own database in use)
        assert db.read_bytes() == before
    with Store(card, readonly=True) as store:
        assert len(store.records()) == 1


def test_a_photo_is_refused_as_output_and_left_as_it_was(tmp_path):
    """`scan lib -o lib/rocket.jpg` emptied the photo: originals must never be modified."""
    lib = tmp_path / "lib"
    photos = [save_jpeg(lib / "rocket.jpg", textured(1)), save_jpeg(tmp_path / "elsewhere" / "IMG_1.JPG",
                                                                     textured(2))]
    raw = tmp_path / "DSC_1.NEF"
    raw.write_bytes(b"not really a NEF, but named as one")
    assert run("scan", lib, *SCAN).exit_code == 0
    for photo in (*photos, raw):
        before = photo.read_bytes()
        suffix = os.path.splitext(photo)[1]
        reason = (f"an image file ({suffix}), and blurscan never modifies photos; it was left as it is (choose "
                  "another --output file)")
        _refused(run("scan", lib, *SCAN, "-o", photo, "--format", "csv"), photo, reason)
        _refused(run("report", lib, "-o", photo), photo, reason)
        assert photo.read_bytes() == before
    # a file named on the command line is read whatever its suffix
    named = tmp_path / "scans" / "scan0001.dat"
    named.parent.mkdir()
    named.write_bytes(photos[0].read_bytes())
    _refused(run("scan", named, *SCAN, "-o", named), named,
             "a file this scan reads (named on the command line), and blurscan never modifies the files it scans; "
             "it was left as it is (choose another --output file)")
    assert named.read_bytes() == photos[0].read_bytes()
    assert os.listdir(named.parent) == ["scan0001.dat"]  # refused before the scan: no database


def test_an_ordinary_file_is_still_replaced(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib)
    out = tmp_path / "notes.txt"
    out.write_text("old\n")
    assert run("scan", lib, *SCAN, "-o", out).exit_code == 0
    assert "blurry" in out.read_text() and "old" not in out.read_text()
    assert run("report", lib, "-o", "/dev/null").exit_code == 0  # not a regular file: nothing to lose
