"""``blurscan undo`` of a move removes the folders the move created (the ``--to`` folder too), once they are
empty again, and never a folder that existed before the move: the move journals each folder before it makes
it (table ``batch_folders``, schema 2). Batches journaled before that keep the old rule."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, list_batches, moves, plan_move, run, undo
from blurscan.store import MIGRATIONS, SCHEMA_VERSION, Store, _split_sql
from helpers_library import build_library, decide, snapshot


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the raising point runs."""


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):  # a/..., b/c/..., b/...
        decide(store, files[key], "discard")
    yield tmp_path / "lib", store, files
    store.close()


def _folders(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir())


def test_undo_removes_the_destination_and_the_folders_the_move_created(lib, tmp_path):
    """--to out/rejects, neither there: after undo neither is left behind (rejects/ was, empty)."""
    from blurscan.cli import main

    root, store, f = lib
    before = snapshot(root)
    runner = CliRunner()
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "out" / "rejects"), "--yes", str(root)])
    assert out.exit_code == 0 and "moved 4 photos" in out.output, out.output
    assert _folders(tmp_path / "out") == ["rejects", "rejects/a", "rejects/b", "rejects/b/c"]
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert "restored 8 files, removed 5 empty folders the move had created." in out.output
    assert not (tmp_path / "out").exists()
    assert snapshot(root) == before
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.output == "batch 1 was already undone: nothing to restore.\n"


def test_undo_never_removes_a_folder_that_was_there_before_nor_one_holding_a_file(lib, tmp_path):
    root, store, f = lib
    rejects = tmp_path / "rejects"
    (rejects / "a").mkdir(parents=True)  # there before the move (empty), as is rejects/ itself
    (rejects / "old").mkdir()
    result = execute(store, plan_move(store, rejects))
    assert result.photos_moved == 4
    assert sorted(journal.created_folders(store, result.batch_id)) == [str(rejects / "b"), str(rejects / "b" / "c")]
    (rejects / "b" / "c" / "mine.txt").write_text("the person's own file, put here after the move")
    back = undo(store)
    assert back.complete and back.removed_folders == []
    assert _folders(rejects) == ["a", "b", "b/c", "old"]
    assert (rejects / "b" / "c" / "mine.txt").read_text().startswith("the person's")
    os.unlink(rejects / "b" / "c" / "mine.txt")
    again = undo(store, result.batch_id)  # once it is empty, undoing the batch again removes it
    assert again.already_undone and sorted(again.removed_folders) == [str(rejects / "b"), str(rejects / "b" / "c")]
    assert _folders(rejects) == ["a", "old"]


@pytest.mark.parametrize("point", ["journaled-not-made", "made-not-moved"])
def test_undo_after_a_kill_around_making_the_folders(lib, tmp_path, monkeypatch, point):
    """Killed after the folders are journaled and before they are made, or after they are made and before
    the first file moves into them: undo leaves no folder behind."""
    root, store, f = lib
    before = snapshot(root)
    target = run if point == "journaled-not-made" else moves
    name = "move_file" if point == "journaled-not-made" else "_rename_noreplace"

    def killed(*_a, **_k):
        raise Killed(name)

    with monkeypatch.context() as mp:
        mp.setattr(target, name, killed)
        with pytest.raises(Killed):
            execute(store, plan_move(store, tmp_path / "out" / "rejects"))
    out = tmp_path / "out"
    assert sorted(journal.created_folders(store, 1)) == [str(out), str(out / "rejects"), str(out / "rejects" / "a")]
    assert (tmp_path / "out").exists() == (point == "made-not-moved")
    back = undo(store)
    assert back.complete and not (tmp_path / "out").exists()
    assert snapshot(root) == before


def test_a_batch_journaled_before_folders_were_keeps_the_old_rule(lib, tmp_path):
    """A schema-1 batch (no folders journaled): its undo still works and removes the empty folders below the
    destination, as it did, leaving the destination."""
    root, store, f = lib
    before = snapshot(root)
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    with store.transaction() as conn:  # what migration 2 leaves for a batch journaled before it
        conn.execute("UPDATE batches SET folders_journaled = 0")
        conn.execute("DELETE FROM batch_folders")
    assert journal.created_folders(store, result.batch_id) is None
    back = undo(store)
    assert back.complete and snapshot(root) == before
    assert (tmp_path / "rejects").is_dir() and _folders(tmp_path / "rejects") == []  # rejects/ itself stays, as before


def test_migration_2_keeps_a_schema_1_database_and_its_journal(tmp_path):
    """A database journaled by an older blurscan (schema 1) is upgraded when opened for writing, its batches
    marked as journaled without folders; `blurscan report` (read-only) reads it without upgrading it."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in _split_sql(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES ('move', '/x', 1.0, 'done')")
    conn.execute("INSERT INTO journal (batch_id, src, dst, size, state, updated_at) "
                 "VALUES (1, '/p/a.jpg', '/x/a.jpg', 3, 'done', 1.0)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db, readonly=True) as store:
        assert store.schema_version == 1 and [b.id for b in list_batches(store)] == [1]
    with Store(db, create=False) as store:
        assert store.schema_version == SCHEMA_VERSION >= 2
        assert journal.created_folders(store, 1) is None
        [info] = list_batches(store)
        assert (info.kind, info.state, info.files) == ("move", "done", 1)
