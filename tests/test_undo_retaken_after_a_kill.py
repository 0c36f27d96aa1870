"""Undo of a batch killed (SIGKILL, a power cut) right after it moved a photo, before the journal recorded the move
(its row still ``moving``, the photo in ``--to`` or the trash), whose photo the person then put back by hand and a
later batch took again. ``undo --batch 1`` counted that photo among those the batch "had not been moved", the batch
that has it unnamed; it now says it taken again by batch 2, with the command that brings it back, as it says of a
photo whose move was recorded. Killed as it copied the photo to another drive (an unfinished copy left), the batch
never took it from its place: that one is still one it "had not been moved" (tests/test_undo_never_moved.py).
Killed between the row's ``moving`` and the rename, the photo never left; the journal cannot tell that from a kill
right after the rename, the photo put back by hand: undo says both may be (until 2026-12-07 it said the photo was
"put back at its place since batch 1 moved it", of a photo that never left)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import journal, journal_retaken
from blurscan.cli import main
from blurscan.store import Store
from helpers_library import sha
from helpers_signals import default_signals

#: The command line, SIGKILLed right after its first file is moved, before the journal marks it done (``before``:
#: as it is about to move it, its row already ``moving``).
_KILLED_AT_FIRST = """
import os, signal, sys
from blurscan.actions import run
real = run.move_file
def move_file(*args, **kwargs):
    if sys.argv[1] != "before":
        real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
run.move_file = move_file
from blurscan.cli import main
main(sys.argv[2:])
"""


def _killed_at_its_first_move(kind: str, root: Path, to: Path, when: str = "after") -> journal.JournalRow:
    """The real ``move --to TO --yes`` (or ``trash --yes``) of ROOT, killed as said; returns its ``moving`` row."""
    action = ["move", "--to", str(to)] if kind == "move" else ["trash"]
    proc = subprocess.run([sys.executable, "-c", _KILLED_AT_FIRST, when, *action, "--yes", str(root)],
                          capture_output=True, text=True, preexec_fn=default_signals)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Store(root / ".blurscan.db") as store:
        [row] = [r for r in journal.rows(store, 1) if r.state != "planned"]
    assert row.state == "moving" and os.path.exists(row.dst) == (when == "after") and \
        os.path.exists(row.src) == (when == "before")
    return row


@pytest.mark.slow
@pytest.mark.parametrize("when", ["after", "before"])  # (the kill: after the photo's rename, or before it)
@pytest.mark.parametrize("later", ["move", "trash"])
@pytest.mark.parametrize("kind", ["move", "trash"])
def test_a_photo_a_killed_batch_was_moving_then_taken_by_a_later_batch_is_said_so(lib_discarded, monkeypatch,
                                                                                  kind, later, when):
    tmp_path, store, f = lib_discarded
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store.close()
    root = tmp_path / "lib"
    row = _killed_at_its_first_move(kind, root, tmp_path / "rej1", when)
    photo = sha(row.dst if when == "after" else row.src)
    if when == "after":
        os.rename(row.dst, row.src)  # put back by hand (out of --to; out of the trash, its entry left)
    taken = CliRunner().invoke(main, [*(["move", "--to", str(tmp_path / "rej2")] if later == "move" else ["trash"]),
                                      "--yes", str(root)])
    assert taken.exit_code == 0 and "as batch 2" in taken.stdout, taken.output
    assert not os.path.exists(row.src)
    out = CliRunner().invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0, out.output
    # (after the rename or before it, the journal cannot tell which: until 2026-12-07 "taken again ... since it was
    # put back", and "put back at its place since batch 1 moved it", of a photo that never left)
    assert f", 1 taken by batch 2 from its place since (`blurscan undo --batch 2 {root}` brings it back)" \
        in out.stdout, out.output
    with Store(root / ".blurscan.db") as again:
        planned = sum(r.state == "planned" for r in journal.rows(again, 1))
        where = journal_retaken.retaken(again, row).dst
    assert (f"note: {row.src}: batch 1 was killed as it moved it, before it recorded the move (the photo never left "
            "its place, or was put back there by hand since: the journal cannot tell which), then it was taken by "
            f"batch 2 (to {where}): `blurscan undo --batch 2 {root}` brings it back\n") in out.stderr, out.output
    assert "put back at its place since" not in out.stderr
    assert out.stdout.startswith(f"batch 1: restored 0 files, {planned} had not been moved, 1 taken by batch 2"), \
        out.output  # (the photo is not among those: until 2026-12-07 it was, "N+1 had not been moved")
    back = CliRunner().invoke(main, ["undo", str(root)])  # (batch 2's undo brings it back)
    assert back.exit_code == 0 and back.stdout.startswith("batch 2: restored"), back.output
    assert sha(row.src) == photo
