"""The last journal write of a batch refused: every file of a ``move``, ``tag`` or ``undo`` went, then the
database refused the batch's end (its state; an I/O error under ``strace -e inject=pwrite64:error=EIO``, found by
system-call fault injection, 2026-12-06). The command ended in one "Error: ... cannot write: disk I/O error" line
and printed nothing of what it did: the photos were gone from the library with no batch and no undo named.
(The refusal is simulated here at ``journal.set_batch_state``, where the real one surfaced.)"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from blurscan.actions import journal
from blurscan.cli import main
from blurscan.errors import StoreError


def _end_refused(monkeypatch) -> None:
    def refused(store, batch_id, state):
        raise StoreError(f"{store.path}: cannot write: disk I/O error")

    monkeypatch.setattr(journal, "set_batch_state", refused)


def test_a_move_whose_end_is_refused_says_what_it_moved_and_undo_puts_it_back(scanned_none, tmp_path, monkeypatch):
    runner, rej = CliRunner(), tmp_path / "rej"
    with monkeypatch.context() as m:
        _end_refused(m)
        moved = runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    assert moved.exit_code == 1, moved.output
    assert "Traceback" not in moved.output and "Error:" not in moved.stderr, moved.output
    assert "moved 2 photos (2 files" in moved.stdout and "undo with `blurscan undo --batch 1" in moved.stdout
    assert "stopped: " in moved.stderr and "disk I/O error" in moved.stderr
    assert len(list(rej.rglob("blurry_*"))) == 2
    undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 0 and "batch 1: restored 2 files" in undone.stdout, undone.output
    assert len(list(scanned_none.glob("blurry_*"))) == 2 and not list(rej.rglob("blurry_*"))


def test_a_tag_whose_end_is_refused_says_what_it_tagged(scanned_none, monkeypatch):
    runner = CliRunner()
    with monkeypatch.context() as m:
        _end_refused(m)
        tagged = runner.invoke(main, ["tag", "--xmp", str(scanned_none), "--all-blurry"])
    assert tagged.exit_code == 1, tagged.output
    assert "Error:" not in tagged.stderr, tagged.output
    assert "tagged 2 photos (0 sidecars merged, 2 created) as batch 1" in tagged.stdout, tagged.output
    assert "stopped: " in tagged.stderr and "disk I/O error" in tagged.stderr
    undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 0, undone.output
    assert not list(scanned_none.glob("*.xmp"))


def test_an_undo_whose_end_is_refused_says_what_it_put_back_and_the_next_one_finishes(scanned_none, tmp_path,
                                                                                      monkeypatch):
    runner, rej = CliRunner(), tmp_path / "rej"
    moved = runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    assert moved.exit_code == 0, moved.output
    with monkeypatch.context() as m:
        _end_refused(m)
        undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 1, undone.output
    assert "Error:" not in undone.stderr, undone.output
    assert "batch 1: restored 2 files" in undone.stdout, undone.output
    assert "stopped: " in undone.stderr and "disk I/O error" in undone.stderr
    assert len(list(scanned_none.glob("blurry_*"))) == 2 and not list(rej.rglob("blurry_*"))
    again = runner.invoke(main, ["undo", str(scanned_none)])
    assert again.exit_code == 0, again.output
    assert runner.invoke(main, ["undo", str(scanned_none)]).exit_code == 0
    assert len(list(scanned_none.glob("blurry_*"))) == 2


@pytest.mark.parametrize("kind", ["move", "tag"])
def test_the_undo_after_one_whose_end_was_refused_finishes_it_and_says_already_undone(scanned_none, tmp_path,
                                                                                     monkeypatch, kind):
    # every file was put back, then the batch's state was refused: the next plain undo said "Nothing to undo: 1
    # batch that moved or tagged nothing (every file failed or was skipped)", of a batch that had moved 2 photos
    runner, rej = CliRunner(), tmp_path / "rej"
    args = ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"] if kind == "move" else \
        ["tag", "--xmp", str(scanned_none), "--all-blurry"]
    assert runner.invoke(main, args).exit_code == 0
    with monkeypatch.context() as m:
        _end_refused(m)
        assert runner.invoke(main, ["undo", str(scanned_none)]).exit_code == 1
    again = runner.invoke(main, ["undo", str(scanned_none)])
    assert again.exit_code == 0, again.output
    assert again.stdout == "batch 1 was already undone: nothing to restore.\n", again.output
    last = runner.invoke(main, ["undo", str(scanned_none)])
    assert "1 batch undone already" in last.stdout and "moved or tagged nothing" not in last.stdout, last.output
    assert " undone: " in runner.invoke(main, ["undo", "--list", str(scanned_none)]).stdout


def test_an_undo_whose_files_are_all_gone_and_whose_end_is_refused_does_not_say_the_batch_is_closed(
        scanned_none, tmp_path, monkeypatch):
    """Every moved file deleted since: the undo closes the batch (a plain undo goes on to the one before). With
    that state refused, the batch is not closed, and saying so (`a plain blurscan undo now goes to ...`) was
    wrong: the next plain undo names this batch again."""
    runner, rej = CliRunner(), tmp_path / "rej"
    moved = runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    assert moved.exit_code == 0, moved.output
    for path in rej.rglob("blurry_*"):
        path.unlink()
    with monkeypatch.context() as m:
        _end_refused(m)
        undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 1, undone.output
    assert "stopped: " in undone.stderr and "is closed" not in undone.output, undone.output
    closed = runner.invoke(main, ["undo", str(scanned_none)])
    assert "batch 1 is closed" in closed.output, closed.output
