"""What undo says it did is what it found: the files a batch stopped by a full disk skipped are counted among
those that had not been moved (it said "restored 69 files, 1 had not been moved", the 1 that did not fit,
leaving out the files after it), and what a kill left that undo removes (a verified copy, a second name of the
photo, an unfinished temporary copy) is named in a note (it was removed without a word). Only what is printed
changed: the same files are put back and removed."""
from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, journal, moves, plan_move
from blurscan.cli import main
from helpers_library import decide, force_cross_device, snapshot
from test_actions_undo import KILL_POINTS, Killed


def _undo(root):
    return CliRunner().invoke(main, ["undo", str(root)])


def test_undo_of_a_batch_stopped_by_a_full_disk_counts_the_files_it_skipped(lib, tmp_path, monkeypatch):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):
        decide(store, f[key], "discard")
    before = snapshot(root)
    force_cross_device(monkeypatch)
    real_fdopen, copies = os.fdopen, []

    class FullDisk:  # the third copy finds the disk full
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            if len(copies) >= 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    def fdopen(*args, **kwargs):
        copies.append(1)
        return FullDisk(real_fdopen(*args, **kwargs))

    monkeypatch.setattr(moves.os, "fdopen", fdopen)
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    monkeypatch.undo()
    moved, failed, skipped = len(result.moved), len(result.failed), len(result.skipped)
    assert (moved, failed) == (2, 1) and skipped >= 2, result
    assert all(why == "batch stopped: no space left on device" for _, why in result.skipped)
    out = _undo(root)
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(f"batch 1: restored {moved} files, {failed + skipped} had not been moved ({skipped} "
                                 "of them skipped by the batch, which stopped: no space left on device), "), out.stdout
    assert snapshot(root) == before


@pytest.mark.parametrize("point, said", [
    ("copy-before-unlink", "{dst}, a copy of {src} left by an interrupted move (the same bytes: the photo is at "
                           "its place)"),
    ("between-link-and-unlink", "{dst}, a second name of {src} (the same file) left by an interrupted move"),
    ("copy-before-verify", "{part}, an unfinished copy of {src} left by an interrupted move"),
])
def test_what_a_kill_left_and_undo_removes_is_named(lib, tmp_path, monkeypatch, point, said):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):
        decide(store, f[key], "discard")
    before = snapshot(root)
    plan = plan_move(store, tmp_path / "rejects")
    with monkeypatch.context() as mp:
        KILL_POINTS[point](mp)
        with pytest.raises(Killed):
            execute(store, plan)
    [killed] = [row for row in journal.rows(store, 1) if row.state == "moving"]
    part = moves.temp_name(killed.dst, killed.id)
    assert os.path.lexists(part if point == "copy-before-verify" else killed.dst)  # what the kill left
    out = _undo(root)
    assert out.exit_code == 0, out.output
    assert out.stderr == f"note: removed {said.format(dst=killed.dst, src=killed.src, part=part)}\n"
    assert snapshot(root) == before
    assert not os.path.lexists(killed.dst) and not os.path.lexists(part)
