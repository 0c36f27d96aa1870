"""A stored column nested deeper than Python's stack (``[[[[...]]]]``, written into a shared library's database by
another user) is a damaged column (blurscan.stored_json): each command that reads it answers as for any damaged
record, where until 2026-12-06 ``move --all-blurry``, ``bursts``, a rescan after a rename and the review page's
bursts view stopped with a RecursionError (a traceback, or ``internal error ... (RecursionError)``)."""
from __future__ import annotations

import gc
import os
import sqlite3
from pathlib import Path

import pytest

from blurscan import stored_json
from helpers_cli import jsonl, run
from helpers_images import blurred, exposed, record, save_jpeg, scene, shaken, stored_shots, textured
from helpers_review import BASE, error_of, review_client

DEEP = "[" * 100_000 + "]" * 100_000


def _plant(db, sql, *args):
    conn = sqlite3.connect(db)
    assert conn.execute(sql, (DEEP, *args)).rowcount >= 1
    conn.commit()
    conn.close()


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "sharp.jpg", textured(1))
    save_jpeg(lib / "soft.jpg", blurred(textured(2), 6.0))
    save_jpeg(lib / "deep.jpg", blurred(textured(3), 6.0))
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    db = lib / ".blurscan.db"
    _plant(db, "UPDATE images SET record = ? WHERE path LIKE ?", "%deep.jpg")
    return lib, db


def test_parsed_says_a_column_nested_past_the_stack_is_damaged():
    with pytest.raises(stored_json.DamagedColumn, match="a stored scan record is damaged"):
        stored_json.parsed(DEEP)
    for damaged in ("{", b"\xff", 7, None):
        with pytest.raises(ValueError):  # (a DatabaseError too: every command says it in one line)
            stored_json.parsed(damaged, "a stored value")
    assert isinstance(stored_json.DamagedColumn("x"), sqlite3.DatabaseError)
    assert stored_json.parsed('{"a": [1]}') == {"a": [1]}


def test_move_all_blurry_and_bursts_read_past_a_deep_record(tmp_path):
    lib, db = _library(tmp_path)
    result = run("move", lib, "--to", tmp_path / "away", "--all-blurry")
    assert result.exit_code == 0, result.output
    assert "would move soft.jpg" in result.output
    result = run("bursts", lib)
    assert result.exit_code == 0, result.output


def test_a_rescan_after_a_rename_scores_a_deep_record_afresh(tmp_path):
    lib, db = _library(tmp_path)
    (lib / "sub").mkdir()
    os.rename(lib / "deep.jpg", lib / "sub" / "deep.jpg")
    os.rename(lib / "soft.jpg", lib / "sub" / "soft.jpg")
    result = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = {os.path.basename(r["path"]): r for r in jsonl(result.stdout)}
    assert {name: r["status"] for name, r in rows.items()} == {"sharp.jpg": "ok", "soft.jpg": "ok", "deep.jpg": "ok"}
    assert "(1 unchanged and 1 moved or renamed, reused)" in result.output  # soft.jpg reused, the damaged one not
    assert run("report", lib).exit_code == 0


def test_the_review_page_names_the_damaged_record_in_its_one_shape(tmp_path):
    lib, db = _library(tmp_path)
    client = review_client((db,))
    items = client.get("/api/items", base_url=BASE).get_json()["items"]
    ident = next(it["id"] for it in items if it["name"] == "deep.jpg")
    for url in (f"/api/item/{ident}", f"/full/{ident}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 500
        line = error_of(r)
        assert line.startswith(f"{db}: cannot use database: a stored scan record is damaged"), line
        assert "RecursionError" not in line


@pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")
def test_the_full_view_of_a_damaged_record_closes_the_photos_file(tmp_path):
    """/full opens the photo before it reads the stored record: the file is closed when the record fails, not left
    to the collector with the traceback (a ResourceWarning of an unclosed file until 2026-12-06)."""
    lib, db = _library(tmp_path)
    client = review_client((db,))
    ident = next(it["id"] for it in client.get("/api/items", base_url=BASE).get_json()["items"]
                 if it["name"] == "deep.jpg")
    assert client.get(f"/full/{ident}", base_url=BASE).status_code == 500
    gc.collect()  # (a file left open is closed here, with its warning)


def _burst(tmp_path: Path) -> Path:
    a = scene(51)
    shots = [record(shaken(a), "a_blur", 0), record(a, "a_sharp", 0.5), record(exposed(shaken(a, 9), 1.2), "a_b2", 1)]
    db = stored_shots(tmp_path, shots)
    assert run("bursts", "--db", db).exit_code == 0
    return db


def test_a_burst_shots_deep_figures_are_no_figures(tmp_path):
    db = _burst(tmp_path)
    _plant(db, "UPDATE burst_groups SET figures = ? WHERE path LIKE ?", "%a_b2.jpg")
    r = review_client((db,)).get("/api/bursts", base_url=BASE)
    assert r.status_code == 200, r.data[:300]
    assert len(r.get_json()["groups"]) == 1
    result = run("bursts", "--db", db)
    assert result.exit_code == 0, result.output
    assert "a_sharp.jpg" in result.output


def test_a_deep_record_under_a_linked_folders_name_is_scored_afresh(tmp_path):
    # a row stored under a name through a link to the library's folder (as a scan before 2026-12-03 stored it)
    # is moved to the photo's canonical name by the next scan (blurscan.linked_names), its record rewritten
    real = tmp_path / "real"
    lib, db = _library(real)
    os.symlink(real, tmp_path / "link")
    conn = sqlite3.connect(db)
    assert conn.execute("UPDATE images SET path = replace(path, ?, ?) WHERE path LIKE ?",
                        (str(real), str(tmp_path / "link"), "%deep.jpg")).rowcount == 1
    conn.commit()
    conn.close()
    result = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert sorted(os.path.basename(r["path"]) for r in jsonl(result.stdout) if r["status"] == "ok") == [
        "deep.jpg", "sharp.jpg", "soft.jpg"]
    assert "(2 unchanged, reused)" in result.output
    assert run("report", lib).exit_code == 0
