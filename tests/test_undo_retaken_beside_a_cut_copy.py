"""Undo of a batch killed as it copied its second photo to another drive (half a copy left, that row ``moving``),
whose first photo (moved, its row ``done``) the person put back by hand and a later batch took again: the
unfinished copy says only that its own row's photo never left its place; the first is said taken again by the
later batch, whose undo brings it back (tests/test_undo_retaken_after_a_kill.py, tests/test_undo_never_moved.py)."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, plan_move
from blurscan.cli import main
from test_undo_never_moved import Killed, killed_while_copying




def test_a_photo_taken_again_is_said_so_beside_a_row_killed_in_its_copy(lib_discarded, monkeypatch):
    from blurscan.actions import run

    tmp_path, store, _ = lib_discarded
    plan = plan_move(store, tmp_path / "rejects")
    real, calls = run.move_file, []

    def second_killed_while_copying(src, dst, *, tag, **kw):  # (the first photo moved with its sidecars)
        stem = os.path.splitext(src)[0]
        if not calls or calls[0] == stem:
            calls.append(stem)
            return real(src, dst, tag=tag, **kw)
        killed_while_copying(src, dst, tag=tag, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(run, "move_file", second_killed_while_copying)
        with pytest.raises(Killed):
            execute(store, plan)
    begun = [r for r in journal.rows(store, 1) if r.state != "planned"]
    assert [r.state for r in begun][-1] == "moving" and {r.state for r in begun[:-1]} == {"done"}
    done = begun[0]
    for row in begun[:-1]:
        os.rename(row.dst, row.src)  # (the first photo and its sidecars put back by hand)
    second = execute(store, plan_move(store, tmp_path / "later"))
    assert done.src in dict(second.moved)
    store.close()
    root = tmp_path / "lib"
    out = CliRunner().invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0, out.output
    assert f"2 taken again by batch {second.batch_id} since they were put back" in out.stdout, out.output  # (and its sidecar)
    assert "could not be restored" not in out.output and "an unfinished copy" in out.stderr, out.output
