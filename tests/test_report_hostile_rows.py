"""``report`` of a library whose database another user changed (a shared library's ``.blurscan.db``): text read
from a row is printed with control characters as ``\\xNN``, as paths are (a verdict, a blur type, an error: until
2026-12-06 printed raw, so a row could clear the terminal or write to its clipboard, ``ESC ] 52``), and a record
nested deeper than Python's stack (``[[[[...]]]]``) is a damaged record, said in one line by ``report`` and scanned
again by ``scan`` (until 2026-12-06 a RecursionError traceback from both)."""
from __future__ import annotations

import json
import sqlite3

import pytest

from helpers_cli import run
from helpers_images import make_library

ESCAPES = "\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J"


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "lib"
    truth = make_library(lib, n_sharp=2, n_blurry=1)
    result = run("scan", lib, "--workers", "1")
    assert result.exit_code == 0, result.output
    blurry = next(p for p, label in truth.items() if label == "blurry")
    sharp = sorted(p for p, label in truth.items() if label == "sharp")
    return lib, lib / ".blurscan.db", blurry, sharp


def _change(db, path, **fields):
    conn = sqlite3.connect(db)
    record = json.loads(conn.execute("SELECT record FROM images WHERE path = ?", (path,)).fetchone()[0])
    record.update(fields)
    columns = {k: v for k, v in fields.items() if k in ("verdict", "blur_type", "status", "error")}
    conn.execute(f"UPDATE images SET record = ?{''.join(f', {k} = ?' for k in columns)} WHERE path = ?",
                 (json.dumps(record), *columns.values(), path))
    conn.commit()
    conn.close()


def test_text_of_a_row_is_printed_escaped(library):
    lib, db, blurry, sharp = library
    _change(db, blurry, blur_type="motion" + ESCAPES)
    _change(db, sharp[0], verdict="sharp" + ESCAPES)
    _change(db, sharp[1], status="error", error="cannot decode" + ESCAPES, verdict=None)
    result = run("report", lib)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    shown = "\\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b[2J"
    assert f"motion{shown}" in result.output and f"sharp{shown}" in result.output
    assert f"{sharp[1]}: cannot decode{shown}" in result.output


def test_a_record_nested_past_the_stack_is_a_damaged_record(library):
    lib, db, blurry, _sharp = library
    conn = sqlite3.connect(db)
    conn.execute("UPDATE images SET record = ? WHERE path = ?", ("[" * 100_000 + "]" * 100_000, blurry))
    conn.commit()
    conn.close()
    result = run("report", lib)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {db}: cannot use database: a stored scan record is damaged (maximum recursion depth" \
        in result.output, result.output
    result = run("scan", lib, "--workers", "1")  # (the damaged record scanned again, replaced)
    assert result.exit_code == 0 and "(2 unchanged, reused)" in result.output, result.output
    assert run("report", lib).exit_code == 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_capture_time_that_is_no_text_is_written_as_stored(library, fmt):
    """A ``captured_at`` written by hand as a number (or a list) is written as it is stored, as before 2026-12-06:
    the check for an older release's impossible offsets (older_records.needs_care) took its ``len`` and stopped
    ``report --format jsonl`` and ``csv`` with a TypeError traceback, called a bug in blurscan."""
    lib, db, blurry, sharp = library
    _change(db, blurry, captured_at=20240101)
    _change(db, sharp[0], captured_at=["2024-01-01T00:00:00+99:99"])
    result = run("report", lib, "--format", fmt)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    if fmt == "jsonl":
        rows = {row["path"]: row for row in map(json.loads, result.output.splitlines())}
        assert rows[str(blurry)]["captured_at"] == 20240101
        assert rows[str(sharp[0])]["captured_at"] == ["2024-01-01T00:00:00+99:99"]
        assert rows[str(sharp[1])]["captured_at"] is None
    else:
        assert "20240101" in result.output


@pytest.mark.parametrize("scores", [None, 7, ["tenengrad"]])
def test_a_record_whose_scores_are_no_object_is_a_damaged_record(library, tmp_path, scores):
    """A record whose ``scores`` someone wrote as null, a number or a list (a shared library's database) stopped
    ``report --format jsonl`` and ``csv`` with a TypeError traceback called a bug in blurscan (older_records.needs_care,
    records.to_json), and a rescan reused it as it was (until 2026-12-06). It is a damaged record, as one that is no
    JSON: every ``report`` says so in one line naming the database, ``scan`` scores the photo again."""
    lib, db, blurry, _sharp = library
    _change(db, blurry, scores=scores)
    for fmt in ("jsonl", "csv", "table"):
        result = run("report", lib, "--format", fmt)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"Error: {db}: cannot use database: a stored scan record is damaged (its scores are" \
            in result.output, result.output
    for args in (("bursts", lib), ("move", lib, "--to", tmp_path / "away", "--all-blurry")):
        result = run(*args)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    result = run("scan", lib, "--workers", "1")  # (the damaged record scanned again, replaced)
    assert result.exit_code == 0 and "(2 unchanged, reused)" in result.output, result.output
    result = run("report", lib, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = {row["path"]: row for row in map(json.loads, result.output.splitlines())}
    assert isinstance(rows[str(blurry)]["tenengrad"], float) and rows[str(blurry)]["verdict"] == "blurry"
