"""A damaged database (bytes changed on disk, a table another program dropped, a stored record that is no longer
JSON) is said in one ``Error:`` line naming the database, by every command that meets it; until 2026-12-05 each
of these stopped the command with a Python traceback (found by fuzzing the database file). A scan replaces a
damaged stored record by scanning its file again."""
from __future__ import annotations

import os
import sqlite3

import pytest

from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured


def _library(tmp_path):
    lib = tmp_path / "lib"
    for i in range(2):
        save_jpeg(lib / f"IMG_000{i}.jpg", textured(i))
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    return lib, lib / ".blurscan.db"


def _change(db, *statements):
    conn = sqlite3.connect(db)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _said_damaged(result, db):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert line.startswith(f"Error: {db}: ")
    return line


def test_table_names_that_are_not_utf8_are_a_damaged_database(tmp_path):
    lib, db = _library(tmp_path)
    data = db.read_bytes()
    assert b"burst_groups" in data
    db.write_bytes(data.replace(b"burst_groups", b"burst_gr\xc3(ps"))  # same length: only the text is damaged
    for args in (["report", lib], ["scan", lib, "--model", "none"], ["undo", "--list", lib]):
        assert "not UTF-8" in _said_damaged(run(*args), db)


def test_a_negative_schema_version_is_not_blurscans(tmp_path):
    lib, db = _library(tmp_path)
    _change(db, "PRAGMA user_version = -3")
    for args in (["report", lib], ["scan", lib, "--model", "none"]):
        assert "not a blurscan database (schema version -3)" in _said_damaged(run(*args), db)


@pytest.mark.parametrize("table, args", [("journal", ["undo", "--list"]), ("meta", ["report"]),
                                         ("burst_groups", ["move", "--to", "elsewhere", "--all-flagged"])])
def test_a_table_dropped_by_another_program(tmp_path, table, args):
    lib, db = _library(tmp_path)
    _change(db, f"DROP TABLE {table}")
    line = _said_damaged(run(*args, lib), db)
    assert f"no such table: {table} (the file is damaged, or was changed by another program)" in line


def test_a_damaged_stored_record_is_said_by_report_and_scanned_again(tmp_path):
    lib, db = _library(tmp_path)
    _change(db, "UPDATE images SET record = '{\"path\": \"' WHERE path LIKE '%IMG_0000.jpg'")
    assert "a stored scan record is damaged" in _said_damaged(run("report", lib), db)
    result = run("scan", lib, "--model", "none", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert sorted(r["path"].rsplit("/", 1)[1] for r in jsonl(result.stdout) if r["status"] == "ok") == [
        "IMG_0000.jpg", "IMG_0001.jpg"]
    assert "reused" in result.output and run("report", lib).exit_code == 0


def test_a_stored_record_holding_two_records_shifts_no_other_file(tmp_path):
    # a re-scan reads stored records in one JSON parse per 500 files; a damaged record that is itself two objects
    # (`{...},{...}`) parsed as one more element and handed the next file the record before its own (its photo
    # listed twice, the other not at all; until 2026-12-05)
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0000.jpg", textured(0))
    save_jpeg(lib / "IMG_0001.jpg", blurred(textured(1), 5.0))
    for photo in lib.iterdir():  # (not just written: a file changed in the last seconds is never reused)
        os.utime(photo, (1.7e9, 1.7e9))
    first = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl").stdout
    first = {r["path"]: r["verdict"] for r in jsonl(first)}
    assert sorted(first.values()) == ["blurry", "sharp"]
    _change(lib / ".blurscan.db", "UPDATE images SET record = record || ',' || record WHERE path LIKE '%IMG_0000.jpg'")
    again = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert {r["path"]: r["verdict"] for r in jsonl(again.stdout)} == first
    assert "1 unchanged, reused" in again.output  # the damaged one scanned again


def test_a_damaged_record_of_a_copied_library_names_its_own_database(tmp_path):
    """``cp -r lib2 lib3``: lib3's database still names lib2's photos, whose own database ``report`` opens (for
    the keeps made there) and closes; a damaged record of lib3's was said of ``lib2/.blurscan.db`` by the table
    (the JSON Lines named lib3's), until 2026-12-06."""
    import shutil

    lib2 = tmp_path / "lib"
    for i in range(2):  # (blurry: the table's photos, whose keeps in their own library's database it looks up)
        save_jpeg(lib2 / f"IMG_000{i}.jpg", blurred(textured(i), 5.0))
    assert run("scan", lib2, "--model", "none", "--workers", "1").exit_code == 0
    lib3 = tmp_path / "lib3"
    shutil.copytree(lib2, lib3)
    _change(lib3 / ".blurscan.db", "UPDATE images SET record = '{garbage' WHERE path LIKE '%IMG_0000.jpg'")
    for args in (("report", lib3), ("report", lib3, "--format", "jsonl")):
        assert "a stored scan record is damaged" in _said_damaged(run(*args), lib3 / ".blurscan.db")


def test_a_store_the_host_program_holds_open_is_not_named_for_a_commands_damaged_database(tmp_path):
    """A program using blurscan's API holds another library's store open while it runs a command (a test's
    CliRunner, a notebook): the command's damaged record is said of its own database, not of the store opened
    before it (blurscan.open_databases: until 2026-12-06 the store still open was named once the command's own had
    closed, which made a clean-clone run's report name another test's database)."""
    from blurscan.store import Store

    other_lib, other_db = _library(tmp_path / "other")
    lib, db = _library(tmp_path)
    _change(db, "UPDATE images SET record = '{garbage' WHERE path LIKE '%IMG_0000.jpg'")
    held = Store(other_db)
    try:
        for args in (("report", lib), ("report", lib, "--format", "jsonl")):
            assert "a stored scan record is damaged" in _said_damaged(run(*args), db)
    finally:
        held.close()
