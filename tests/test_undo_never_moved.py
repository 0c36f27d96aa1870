"""What undo does with the rows of files its batch never moved: a move that failed (a full ``--to``, a file there
already), rows a Ctrl-C left ``planned``. They keep their state, so that ``undo --list`` counts as undone, with
their bytes, only the files the batch moved (it said "4 undone of 4 files (120.8 kB)" where 3 files of 77.2 kB had
moved); and a file that appeared since at a ``planned`` row's destination, the same bytes as the photo (a copy made
by hand), is the person's: undo deleted it as "a copy ... put back by hand"."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, plan_move
from blurscan.actions.run import BatchInterrupted
from blurscan.cli import main
from blurscan.cli.actions import human_size


@pytest.fixture
def lib(lib_discarded):
    """``(tmp_path, store, files)``: IMG_2, IMG_4 and IMG_5 marked discard (conftest's ``lib_discarded``)."""
    return lib_discarded


def _listed(root) -> str:
    out = CliRunner().invoke(main, ["undo", "--list", str(root)])
    assert out.exit_code == 0, out.output
    return out.stdout


@pytest.mark.parametrize("deleted", [False, True])
def test_undo_list_counts_a_file_whose_move_failed_as_failed_not_undone(lib, deleted):
    """IMG_4's move fails (a copy of it at its destination already); IMG_2 (with its .AAE) and IMG_5 go. Once
    undone, the batch lists 3 undone and 1 failed, with the 3 files' bytes, on every later look; also when IMG_4
    was deleted since (the file at its destination, not the batch's, is left there: "not moved")."""
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    [op] = [op for op in plan.files if op.src == f["IMG_4"]]
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)  # after planning: the move meets it
    result = execute(store, plan)
    assert [p for p, _ in result.failed] == [f["IMG_4"]] and len(result.moved) == 3 == len(plan.files) - 1
    if deleted:
        os.unlink(f["IMG_4"])
    moved = human_size(sum(o.size for o in plan.files if o.src != f["IMG_4"]))
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and f"batch {result.batch_id}: restored 3 files, 1 had not been moved" in out.stdout, \
        out.output
    line = f"undone: 0 moved, 1 failed, 3 undone of 4 files ({moved})\n"
    assert _listed(root).endswith(line), _listed(root)
    again = CliRunner().invoke(main, ["undo", "--batch", str(result.batch_id), str(root)])
    assert again.exit_code == 0 and "already undone" in again.stdout, again.output
    assert _listed(root).endswith(line)
    assert os.path.exists(op.dst) and os.path.exists(f["IMG_4"]) != deleted  # the person's copy, and the photo, stay


def _stopped_after_first_photo(store, plan) -> int:
    """Run ``plan``, Ctrl-C after its first photo's files (the rest stay ``planned``, as a real Ctrl-C leaves them
    where the process is killed before it says so, or as after a kill)."""
    first = len(plan.photos[0].files)

    def progress(done, total, path):
        if done == first:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted) as stopped:
        execute(store, plan, progress=progress)
    return stopped.value.result.batch_id


def test_undo_list_of_a_batch_stopped_by_ctrl_c_counts_only_what_it_moved(lib):
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    batch_id = _stopped_after_first_photo(store, plan)
    first = plan.photos[0].files
    assert {r.state for r in journal.rows(store, batch_id)} == {"done", "planned"}
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    n = len(plan.files)
    assert f"batch {batch_id}: restored {len(first)} file{'s' if len(first) != 1 else ''}, " \
           f"{n - len(first)} had not been moved" in out.stdout, out.output
    assert _listed(root).endswith(f"undone: 0 moved, 0 failed, {len(first)} undone of {n} files "
                                  f"({human_size(sum(o.size for o in first))})\n"), _listed(root)


def test_undo_leaves_a_copy_made_since_at_a_planned_rows_destination(lib):
    """The batch was stopped before it reached IMG_5; the person then copied IMG_5 (``cp -p``) to where the batch
    would have put it. Undo deleted that copy ("note: removed ..., a copy of ... put back by hand") and counted it
    as restored: it never made it, so it leaves it, and the folder holding it."""
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    batch_id = _stopped_after_first_photo(store, plan)
    later = plan.photos[-1]
    [row] = [r for r in journal.rows(store, batch_id) if r.src == later.photo]
    assert row.state == "planned"
    os.makedirs(os.path.dirname(row.dst), exist_ok=True)
    shutil.copy2(row.src, row.dst)
    kept = Path(row.dst).read_bytes()
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    first = len(plan.photos[0].files)
    assert f"batch {batch_id}: restored {first} file{'s' if first != 1 else ''}," in out.stdout, out.output
    assert "note: removed" not in out.output, out.output
    assert Path(row.dst).read_bytes() == kept and Path(row.src).read_bytes() == kept
    again = CliRunner().invoke(main, ["undo", "--batch", str(batch_id), str(root)])
    assert again.exit_code == 0 and "already undone" in again.stdout, again.output
    assert os.path.exists(row.dst)



def test_undo_passes_over_another_file_put_since_at_a_planned_rows_destination(lib):
    """The batch was stopped before it reached its last photo; a file of other bytes appeared since where the batch
    would have put it. Undo failed on it ("both it and ... exist with different content"), exit 1, every time it was
    run (the batch stayed the one a plain undo takes): the batch never moved that photo, so there is nothing to do."""
    tmp_path, store, f = lib
    plan = plan_move(store, tmp_path / "rejects")
    batch_id = _stopped_after_first_photo(store, plan)
    [row] = [r for r in journal.rows(store, batch_id) if r.src == plan.photos[-1].photo]
    os.makedirs(os.path.dirname(row.dst), exist_ok=True)
    with open(row.dst, "wb") as other:
        other.write(b"another file of that name")
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "failed" not in out.output, out.output
    assert Path(row.dst).read_bytes() == b"another file of that name" and os.path.exists(row.src)
    again = CliRunner().invoke(main, ["undo", str(root)])
    assert again.exit_code == 0 and again.stdout.startswith("Nothing to undo: 1 batch undone already"), again.output


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the raising point runs."""


def killed_while_copying(src, dst, *, tag, **kw):
    """A ``move_file`` killed as it copied ``src`` to another drive: half a copy left at its temporary name."""
    from blurscan.actions.moves import temp_name

    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(temp_name(dst, tag), "wb") as part:
        part.write(Path(src).read_bytes()[:1000])
    raise Killed()


@pytest.mark.parametrize("later", ["move", "trash"])
def test_undo_of_a_batch_killed_while_copying_a_photo_a_later_batch_took_leaves_it_to_that_batch(lib, monkeypatch,
                                                                                                 later):
    """Batch 1 was killed as it copied its first photo to another drive (its row ``moving``, half a copy at a
    temporary name, the photo still at its place); batch 2 then moved (or trashed) that photo. ``undo --batch 1``
    said it "could not be restored" (missing, and not found at batch 1's destination), exit 1, and closed batch 1
    with the file counted gone, though batch 1 never took it from its place and batch 2's undo puts it back. (A
    later trash batch as a later move: a mutant of afterwards.later_mover that knew only move batches survived.)"""
    from blurscan.actions import plan_trash
    from blurscan.actions.moves import temp_name

    tmp_path, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first, row, plan = _killed_while_copying_first(tmp_path, store, monkeypatch)
    photo = plan.files[0].src
    assert row.src == photo and os.path.exists(temp_name(row.dst, row.id))
    second = execute(store, plan_move(store, tmp_path / "later") if later == "move" else plan_trash(store))
    assert photo in dict(second.moved)
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", "--batch", str(first), str(root)])
    assert out.exit_code == 0, out.output
    n = len(plan.files)
    assert out.stdout.startswith(f"batch {first}: restored 0 files, {n} had not been moved"), out.output
    assert "gone" not in out.output and "closed" not in out.output, out.output
    assert not os.path.exists(temp_name(row.dst, row.id))  # (the unfinished copy removed, and said)
    assert "an unfinished copy" in out.stderr, out.output
    assert f" undone: 0 moved, 0 failed, 0 undone of {n} files (0 bytes)" in _listed(root), _listed(root)
    back = CliRunner().invoke(main, ["undo", str(root)])
    assert back.exit_code == 0 and back.stdout.startswith(f"batch {second.batch_id}: restored"), back.output
    assert os.path.exists(photo)


def _killed_while_copying_first(tmp_path, store, monkeypatch):
    """Batch 1 of a move to ``rejects`` killed as it copied its first photo (row ``moving``, the photo at its
    place, half a copy at a temporary name); returns the batch's id, that row and the plan."""
    from blurscan.actions import run

    plan = plan_move(store, tmp_path / "rejects")

    with monkeypatch.context() as mp:
        mp.setattr(run, "move_file", killed_while_copying)
        with pytest.raises(Killed):
            execute(store, plan)
    batch_id = journal.list_batches(store)[0].id
    [row] = [r for r in journal.rows(store, batch_id) if r.state != "planned"]
    assert row.state == "moving" and os.path.exists(row.src)
    return batch_id, row, plan


def test_undo_of_a_batch_killed_as_it_began_a_photo_leaves_that_row_as_never_moved(lib, monkeypatch):
    """The photo a kill caught as its copy began is found at its place: undo leaves it, and its row is ``planned``
    (never moved), not ``moving``: a batch that began to move a photo counts as having taken it away, and once the
    photo is deleted by hand a scan would keep its record and the review page point at this batch's undo to bring
    it back. Undone again, it says so (it has no row ``undone``: none was moved)."""
    tmp_path, store, _ = lib
    batch_id, row, plan = _killed_while_copying_first(tmp_path, store, monkeypatch)
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", "--batch", str(batch_id), str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(f"batch {batch_id}: restored 0 files, {len(plan.files)} had not been moved")
    assert {r.state for r in journal.rows(store, batch_id)} == {"planned"}
    again = CliRunner().invoke(main, ["undo", "--batch", str(batch_id), str(root)])  # (no row undone: none moved)
    assert again.exit_code == 0 and again.stdout == f"batch {batch_id} was already undone: nothing to restore.\n"
    os.unlink(row.src)  # deleted by hand since
    assert row.src not in store.moved_away()


def test_undo_of_a_batch_killed_as_it_began_a_photo_deleted_since_says_it_is_gone(lib, monkeypatch):
    """The same photo at neither place, no later batch having taken it (deleted by hand, or moved by the batch and
    deleted from ``--to`` before the kill was journaled): undo cannot tell, and says it could not be restored
    rather than passing over it as never moved."""
    tmp_path, store, _ = lib
    batch_id, row, _ = _killed_while_copying_first(tmp_path, store, monkeypatch)
    os.unlink(row.src)
    store.close()
    out = CliRunner().invoke(main, ["undo", "--batch", str(batch_id), str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert "missing, and not found at" in out.output and "1 could not be restored" in out.output, out.output
    assert f"batch {batch_id} is closed" in out.output, out.output
