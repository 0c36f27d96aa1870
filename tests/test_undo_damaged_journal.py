"""``undo`` reading a damaged journal (a row whose path holds a NUL byte, a batch time that is text or beyond any
date: bytes of the database changed on disk) says so in one ``Error:`` line naming the database and the row, and
touches no file. Until 2026-12-05 each stopped ``undo`` or ``undo --list`` with a Python traceback (found by
fuzzing the database's columns)."""
from __future__ import annotations

import sqlite3

import pytest

from helpers_cli import run
from helpers_images import make_library
from helpers_library import snapshot


@pytest.fixture
def moved(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib)
    for args in (["scan", lib, "--model", "none", "--workers", "1"],
                 ["move", "--to", tmp_path / "rejects", "--all-flagged", "--yes", lib]):
        result = run(*args)
        assert result.exit_code == 0, result.output
    return lib, lib / ".blurscan.db"


def _damaged(db, statement):
    conn = sqlite3.connect(db)
    conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("statement, args, said", [
    # (the value in quotes, control characters as \xNN, and what is wrong with it in words: until 2026-12-06 a path
    # stored as bytes was Python's repr, b'\x00/etc/', and no word said what was wrong)
    ("UPDATE journal SET src = x'002f6574632f' WHERE id = 1", ["undo"],
     "journal row 1 is damaged: its src is '\\x00/etc/', a path holding a NUL byte (the file is damaged"),
    ("UPDATE journal SET size = 'big' WHERE id = 1", ["undo"],
     "journal row 1 is damaged: its size is 'big', not a whole number (the file is damaged"),
    ("UPDATE batches SET created_at = 'yesterday'", ["undo", "--list"],
     "batches row 1 is damaged: its created_at is 'yesterday', not a time (the file is damaged"),
    ("UPDATE batches SET created_at = 9223372036854775807", ["undo", "--list"],
     "batches row 1 is damaged: its created_at is 9.223372036854776e+18, beyond any date (the file is damaged"),
])
def test_a_damaged_journal_is_said_and_nothing_is_touched(moved, tmp_path, statement, args, said):
    lib, db = moved
    _damaged(db, statement)
    before = snapshot(tmp_path)
    result = run(*args, lib)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {db}: cannot use database: {said}" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("created_at, damaged", [(0, False), (253402300799.5, False), (-1, True),
                                                  (253402300800, True)])
def test_a_batch_time_at_the_edges_of_any_date(moved, tmp_path, created_at, damaged):
    """The edges of a batch's time: 1970-01-01 00:00 UTC (a clock reset to 0 when the batch ran) and the last
    second before the year 10000 are times, listed and undone; a second before 1970 or the year 10000 is beyond any
    date. Mutants moving either bound by one (0 < t, t <= 253402300800) survived."""
    lib, db = moved
    _damaged(db, f"UPDATE batches SET created_at = {created_at}")
    listed = run("undo", "--list", lib)
    if damaged:
        assert listed.exit_code == 1 and "Traceback" not in listed.output, listed.output
        assert f"its created_at is {float(created_at)!r}, beyond any date" in listed.output, listed.output
        return
    assert listed.exit_code == 0 and listed.stdout.startswith("batch 1  "), listed.output
    undone = run("undo", lib)
    assert undone.exit_code == 0 and undone.stdout.startswith("batch 1: restored"), undone.output
