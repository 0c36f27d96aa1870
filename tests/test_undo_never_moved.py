"""What undo does with the rows of files its batch never moved: a file that appeared since at a ``planned`` row's
destination, the same bytes as the photo (a copy made by hand), is the person's: undo deleted it as "a copy ... put
back by hand"."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, plan_move
from blurscan.actions.run import BatchInterrupted
from blurscan.cli import main
from helpers_library import build_library, decide


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    for key in ("IMG_2", "IMG_4", "IMG_5"):
        decide(store, files[key], "discard")
    yield tmp_path, store, files
    store.close()


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
    kept = open(row.dst, "rb").read()
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    first = len(plan.photos[0].files)
    assert f"batch {batch_id}: restored {first} file{'s' if first != 1 else ''}," in out.stdout, out.output
    assert "note: removed" not in out.output, out.output
    assert open(row.dst, "rb").read() == kept and open(row.src, "rb").read() == kept
    again = CliRunner().invoke(main, ["undo", "--batch", str(batch_id), str(root)])
    assert again.exit_code == 0 and "already undone" in again.stdout, again.output
    assert os.path.exists(row.dst)
