"""A library folder copied with its `.blurscan.db` (`cp -a photos copy`): the copy's database held the original's
rows, so a scan of the copy added its photos beside them, every photo made a burst with its twin in the other
folder ("11 burst groups"), the common parent was "the library", `move/trash --from-bursts` from the copy
proposed the original's photos as duplicates to take, and `report` / `review` of the copy listed both folders.
The copy now forgets the original's rows on first use, with one note (blurscan.copied); the original's
database is never written."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from blurscan.demo import BURST, BURST_KEEPER
from blurscan.store import Store
from helpers_cli import jsonl, run
from helpers_library import decide, snapshot
from helpers_review import _names, review_client

NOTE = "is a copy of the database of"
SHOTS = sorted(f"{stem}.jpg" for stem, *_ in BURST)


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("images", "decisions", "decision_log", "burst_groups", "batches", "journal")}
    finally:
        conn.close()


@pytest.fixture
def original(tmp_path) -> Path:
    """The demo library, its burst grouped, one photo kept, one blurry photo moved away and back (a batch)."""
    folder = tmp_path / "photos"
    assert run("demo", folder).exit_code == 0
    assert run("bursts", folder).exit_code == 0
    with Store(folder / ".blurscan.db") as store:
        blurry = sorted(r.path for r in store.records(only="blurry"))
        decide(store, str(folder / "coffee.jpg"), "keep")
        decide(store, blurry[0], "discard")
    moved = run("move", "--to", folder.parent / "rejects", "--yes", folder)
    assert moved.exit_code == 0, moved.output
    undone = run("undo", folder)
    assert undone.exit_code == 0, undone.output
    return folder


def _copy(orig: Path, tmp_path: Path) -> tuple[Path, Path]:
    """``cp -a`` of the original library's folder next to it: (original, copy)."""
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(orig), str(copy)], check=True)
    return orig, copy


def _under(paths, folder: Path) -> bool:
    return all(str(p).startswith(str(folder) + os.sep) for p in paths)


def test_a_copy_scanned_is_its_own_library_and_the_originals_database_is_untouched(original, tmp_path):
    orig, copy = _copy(original, tmp_path)
    before, files = _counts(orig / ".blurscan.db"), snapshot(orig)
    scan = run("scan", copy, "--format", "jsonl")
    assert scan.exit_code == 0, scan.output
    assert scan.stderr.count(NOTE) == 1 and f"the library is {copy}" in scan.stderr, scan.stderr
    assert len(jsonl(scan.stdout)) == 13

    report = run("report", copy, "--format", "jsonl")
    assert NOTE not in report.stderr  # said once: the rows are gone
    rows = jsonl(report.stdout)
    assert len(rows) == 13 and _under([r["path"] for r in rows], copy)

    bursts = run("bursts", copy, "--format", "jsonl")
    groups = jsonl(bursts.stdout)
    assert len(groups) == 1, groups  # the demo's one burst, not each photo with its twin in the original
    assert sorted(os.path.basename(m["path"]) for m in groups[0]["members"]) == SHOTS
    assert _under([m["path"] for m in groups[0]["members"]], copy)
    table = run("bursts", copy).output
    assert "1 burst group, 2 candidates" in table and str(orig) not in table, table

    trash = run("trash", "--from-bursts", copy)  # (a dry run)
    assert trash.exit_code == 0, trash.output
    assert str(orig) not in trash.output and "the library is" not in trash.output, trash.output
    move = run("move", "--from-bursts", "--to", tmp_path / "dupes", "--yes", copy)
    assert move.exit_code == 0, move.output
    taken = sorted(p.name for p in (tmp_path / "dupes").rglob("*.jpg"))
    assert len(taken) == 2 and set(taken) < set(SHOTS), taken
    assert snapshot(orig) == files  # not one photo of the original taken
    assert _counts(orig / ".blurscan.db") == before  # nor one row of its database changed

    undo = run("undo", "--list", copy)
    assert undo.exit_code == 0, undo.output
    batches = [line for line in undo.output.splitlines() if line.startswith("batch ")]
    assert len(batches) == 1 and "dupes" in batches[0], undo.output  # the copy's own; the original's stays there


def test_a_copy_bursts_review_and_trash_before_any_scan_of_it(original, tmp_path):
    orig, copy = _copy(original, tmp_path)
    before, files = _counts(orig / ".blurscan.db"), snapshot(orig)

    report = run("report", copy, "--format", "jsonl")  # (reads only: the rows are left out, not forgotten)
    assert report.exit_code == 0 and NOTE in report.stderr, report.stderr
    assert jsonl(report.stdout) == []
    bursts = run("bursts", copy)  # (writes: the rows are forgotten)
    assert bursts.stderr.count(NOTE) == 1 and "0 burst groups" in bursts.output, bursts.output
    assert str(orig) not in bursts.stdout
    trash = run("trash", "--from-bursts", "--yes", copy)
    assert trash.exit_code == 0 and NOTE not in trash.stderr, trash.output
    review = review_client((copy / ".blurscan.db", None))
    assert _names(review, "filter=all") == []
    assert snapshot(orig) == files and _counts(orig / ".blurscan.db") == before

    scan = run("scan", copy)  # then scanned: its own photos, scored
    assert scan.exit_code == 0 and NOTE not in scan.stderr
    review = review_client((copy / ".blurscan.db", None))
    assert len(_names(review, "filter=all")) == 13
    assert _counts(orig / ".blurscan.db") == before


def test_the_original_and_a_moved_library_are_not_copies(original, tmp_path):
    orig, copy = _copy(original, tmp_path)
    assert run("scan", copy).exit_code == 0
    bursts = run("bursts", orig, "--format", "jsonl")  # the original: its rows, its burst
    assert NOTE not in bursts.stderr and len(jsonl(bursts.stdout)) == 1
    moved = tmp_path / "moved"
    os.rename(orig, moved)  # the original moved away: its database is not a copy of the one left in `copy`
    report = run("report", moved, "--format", "jsonl")  # (its rows name the old folder until a scan: as before)
    assert NOTE not in report.stderr and "13 stored photos no longer on disk" in report.stderr, report.stderr
    scan = run("scan", moved)
    assert NOTE not in scan.stderr and "13 moved or renamed" in scan.stderr, scan.stderr
    with Store(moved / ".blurscan.db") as store:
        assert store.record(str(moved / "coffee.jpg")) is not None
        assert store.conn.execute("SELECT decision FROM decisions WHERE path = ?",
                                  (str(moved / "coffee.jpg"),)).fetchone()[0] == "keep"  # its keep went with it


def test_a_batch_made_in_the_copy_stays_with_its_undo(original, tmp_path):
    orig, copy = _copy(original, tmp_path)
    with sqlite3.connect(copy / ".blurscan.db") as conn:  # as an older blurscan left it: a trash from the copy
        conn.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES ('trash', NULL, 1e9, 'done')")
        batch = conn.execute("SELECT MAX(id) FROM batches").fetchone()[0]
        conn.execute("INSERT INTO journal (batch_id, src, dst, state, updated_at) VALUES (?, ?, '/t/x.jpg', 'done', 1e9)",
                     (batch, str(orig / "rocket.jpg")))
    assert run("scan", copy).exit_code == 0
    with Store(copy / ".blurscan.db") as store:
        ids = [row[0] for row in store.conn.execute("SELECT id FROM batches")]
    assert ids == [batch]  # the original's batch forgotten (its database keeps it), the copy's kept


def test_a_copy_an_older_blurscan_scanned_proposes_nothing_of_the_original(original, tmp_path):
    orig, copy = _copy(original, tmp_path)
    files = snapshot(orig)
    with sqlite3.connect(copy / ".blurscan.db") as conn:  # as an older blurscan's scan of the copy left it
        conn.execute("INSERT INTO images SELECT ? || substr(path, ?), size, mtime_ns, cache_key, status, error, verdict, "
                     "p_blurry, blur_type, laplacian_var, width, height, captured_at, phash, "
                     "replace(record, ?, ?), scanned_at FROM images",
                     (str(copy), len(str(orig)) + 1, json.dumps(str(orig))[1:-1], json.dumps(str(copy))[1:-1]))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'scanned_roots'", (json.dumps([str(orig), str(copy)]),))
    bursts = run("bursts", copy)
    assert bursts.exit_code == 0 and bursts.stderr.count(NOTE) == 1, bursts.output
    assert "1 burst group, 2 candidates" in bursts.stderr and str(orig) not in bursts.stdout, bursts.output
    trash = run("trash", "--from-bursts", "--yes", copy)
    assert trash.exit_code == 0 and str(orig) not in trash.output, trash.output
    assert snapshot(orig) == files
    assert sorted(p.name for p in copy.glob("cameraman-burst-*")) == [BURST_KEEPER]
