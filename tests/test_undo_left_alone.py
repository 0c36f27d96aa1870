"""Undo leaves alone what its batch did not put where it is: a file that was at the destination before the move
(the move failed on it; also once the photo is deleted), and a photo a batch journaled but never got to move
(killed right after journaling)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, plan_move, undo
from blurscan.cli import main
from helpers_library import build_library, decide


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    decide(store, files["IMG_4"], "discard")
    yield tmp_path, store, files
    store.close()


def test_a_copy_that_was_at_the_destination_before_the_move_stays_there(lib):
    """The person had copied IMG_4 to --to before the move (same bytes): the move fails on it (never overwritten),
    and undo leaves that copy where it is: it is the person's, not a leftover of the batch."""
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    [op] = plan.files
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)  # after planning: the move meets it
    result = execute(store, plan)
    assert [p for p, _ in result.failed] == [f["IMG_4"]] and result.moved == []
    back = undo(store, result.batch_id)  # (named: a plain undo passes over a batch that moved nothing)
    assert back.leftovers == [] and back.failed == [] and back.untouched == [f["IMG_4"]]
    assert os.path.exists(op.dst) and Path(op.dst).read_bytes() == Path(f["IMG_4"]).read_bytes()


def test_a_copy_the_move_failed_on_is_not_taken_into_the_library_once_the_photo_is_deleted(lib):
    """IMG_4's move failed on an identical copy at its destination; the person then deleted IMG_4 from the
    library. Undo put that copy into the library under IMG_4's name (``restored 2 files``): it must bring back only
    what the batch moved, and say why it leaves the copy."""
    tmp_path, store, f = lib
    decide(store, f["IMG_2"], "discard")
    plan = plan_move(store, tmp_path / "rejects")
    [op] = [op for op in plan.files if op.src == f["IMG_4"]]
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)  # after planning: the move meets it
    result = execute(store, plan)
    assert [p for p, _ in result.failed] == [f["IMG_4"]] and result.moved
    os.unlink(f["IMG_4"])
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert f"batch {result.batch_id}: restored 2 files, 1 had not been moved" in out.stdout, out.output
    assert (f"note: {op.dst}: not put back at {f['IMG_4']}: this batch never moved it there (its move of that photo "
            f"failed: destination exists: {op.dst} (never overwritten)), and the photo is no longer at its place; "
            "left as it is\n") in out.stderr, out.output
    assert os.path.exists(op.dst) and not os.path.lexists(f["IMG_4"])
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2"].replace(".jpg", ".AAE"))
    again = CliRunner().invoke(main, ["undo", "--batch", str(result.batch_id), str(tmp_path / "lib")])
    assert again.exit_code == 0 and "already undone" in again.stdout, again.output
    assert os.path.exists(op.dst) and not os.path.lexists(f["IMG_4"])


def test_a_photo_whose_move_failed_and_that_was_deleted_since_is_not_gone(lib):
    """IMG_4's move failed on a file at its destination, which the person then removed, and IMG_4 was deleted from
    the library: the batch never took it, so there is nothing to put back. Undo called it gone ("missing, and not
    found at ... either"), exit 1, and closed the batch."""
    tmp_path, store, f = lib
    decide(store, f["IMG_2"], "discard")
    plan = plan_move(store, tmp_path / "rejects")
    [op] = [op for op in plan.files if op.src == f["IMG_4"]]
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)
    result = execute(store, plan)
    assert [p for p, _ in result.failed] == [f["IMG_4"]]
    os.unlink(op.dst)
    os.unlink(f["IMG_4"])
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert f"batch {result.batch_id}: restored 2 files, 1 had not been moved" in out.stdout, out.output
    assert "failed" not in out.output and "closed" not in out.output, out.output
    assert not os.path.lexists(op.dst) and not os.path.lexists(f["IMG_4"])


def _journaled_then_killed(store, plan) -> int:
    """The batch as a kill right after :func:`journal.create_batch` leaves it: every row planned, nothing moved."""
    batch_id, _ids = journal.create_batch(store, plan.kind, plan.destination,
                                          [(op.src, op.dst, op.size) for op in plan.files])
    return batch_id


def test_a_photo_a_later_batch_moved_is_untouched_by_the_undo_of_a_batch_killed_before_it(lib):
    tmp_path, store, f = lib
    first = _journaled_then_killed(store, plan_move(store, tmp_path / "rejects"))
    second = execute(store, plan_move(store, tmp_path / "rejects"))
    [(src, dst)] = second.moved
    back = undo(store, first)
    assert back.complete and back.untouched == [src] and back.restored == []
    assert os.path.exists(dst) and not os.path.lexists(src)  # the later batch's move stands (its undo's to undo)
    assert undo(store).restored == [(dst, src)]


def test_a_photo_moved_by_hand_where_a_killed_batch_would_have_put_it_is_left_there(lib):
    """A batch killed before it moved IMG_4, which the person then moved by hand to that very place: the journal
    says the batch never moved it, so undo does not take it back; it says so and leaves it."""
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    _journaled_then_killed(store, plan)
    [op] = plan.files
    os.makedirs(os.path.dirname(op.dst))
    os.rename(op.src, op.dst)
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert "journal says it was never moved" in out.output, out.output
    assert os.path.exists(op.dst) and not os.path.lexists(op.src)


def test_a_photo_deleted_after_a_batch_was_killed_before_moving_it_does_not_hold_up_undo(lib):
    """The batch never moved IMG_2 (killed first), and the person deleted it since: there is nothing for its undo
    to put back. Undo failed on it ("missing, and it was never moved by this batch"), exit 1, every time it was
    run, and a plain undo never went on to the batch before; it is counted among the files not moved."""
    tmp_path, store, f = lib
    earlier = execute(store, plan_move(store, tmp_path / "old"))  # IMG_4, by an earlier batch
    decide(store, f["IMG_2"], "discard")
    killed = _journaled_then_killed(store, plan_move(store, tmp_path / "rejects"))
    os.unlink(f["IMG_2"])
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert f"batch {killed}: restored 0 files" in out.stdout and "failed" not in out.output, out.output
    again = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert again.exit_code == 0, again.output
    assert f"batch {earlier.batch_id}: restored 1 file" in again.stdout, again.output
    assert os.path.exists(f["IMG_4"]) and not os.path.lexists(f["IMG_2"])
