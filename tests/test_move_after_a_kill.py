"""A move killed while it copied a photo across drives (the verified copy in place, the photo not yet removed),
then ``move`` run again: the copy stands in the photo's way. The move says whose copy it is and how to sort it out
(it said only ``destination exists``, and the photo stayed in the library beside its copy), and undo removes it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, moves, plan_move, restore
from blurscan.cli import main
from blurscan.store import Store
from helpers_images import save_jpeg, textured
from helpers_library import build_library, decide, force_cross_device, sha
from helpers_os import names


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the raising point runs."""


def test_a_move_run_again_after_a_kill_names_the_copy_the_killed_batch_left(tmp_path, monkeypatch):
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")
    photo, bytes_ = f["IMG_4"], Path(f["IMG_4"]).read_bytes()
    real_unlink = os.unlink

    def killed_at_the_photos_removal(path, *a, **kw):
        if names(path, photo, kw):
            raise Killed()
        return real_unlink(path, *a, **kw)

    with monkeypatch.context() as mp:
        force_cross_device(mp)
        mp.setattr(moves.os, "unlink", killed_at_the_photos_removal)
        with pytest.raises(Killed):
            execute(store, plan_move(store, rejects))
    store.close()
    copy = str(rejects / "b" / "c" / "IMG_4.jpg")
    assert sha(copy) == sha(photo)  # at both places
    again = CliRunner().invoke(main, ["move", "--to", str(rejects), str(lib), "--yes"])
    assert again.exit_code == 0, again.output
    # (the undo typed here, outside the library: with it; a bare one found no database, until 2026-12-07)
    said = (f"skipped: b/c/IMG_4.jpg: destination exists: {copy} (never overwritten): a copy of the photo left there "
            f"by batch 1, interrupted while moving it; `blurscan undo --batch 1 {lib}` removes it")
    assert said in again.output, again.output
    out = CliRunner().invoke(main, ["undo", "--batch", "1", str(lib)])  # (as said)
    assert out.exit_code == 0, out.output
    assert f"note: removed {copy}, a copy of {photo} left by an interrupted move" in out.stderr, out.output
    assert Path(photo).read_bytes() == bytes_ and not os.path.lexists(copy)


def test_a_copy_at_the_destination_before_the_move_is_not_removed_by_the_undo_of_a_killed_batch(tmp_path,
                                                                                                 monkeypatch):
    """An identical copy of IMG_4 was put at its destination after planning; the batch was killed as it came to
    IMG_4. The journal said ``moving`` for it, so undo took that copy for one the move had made and removed it
    (``a copy ... left by an interrupted move``): it was the person's file. The move fails on it first now, and
    undo leaves it."""
    from blurscan.actions import run

    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")
    plan = plan_move(store, rejects)
    [op] = plan.files
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)

    def killed(*_a, **_kw):
        raise Killed()

    with monkeypatch.context() as mp:
        mp.setattr(run, "move_file", killed)  # the kill comes as the file is to be moved
        try:
            execute(store, plan)
        except Killed:
            pass
    store.close()
    out = CliRunner().invoke(main, ["undo", "--batch", "1", str(lib)])
    assert out.exit_code == 0, out.output
    assert "note: removed" not in out.output, out.output
    assert os.path.exists(op.dst) and sha(op.dst) == sha(op.src)


def test_a_move_run_again_after_a_killed_undo_names_the_undo_to_finish(tmp_path, monkeypatch):
    """An undo killed as it brought a photo back across drives (the photo in the library again, the copy at the
    destination not yet removed; its row ``undoing``), then ``move`` run again: the copy stood in the photo's way
    and the move blamed a sync tool ("moved there before and back in the library since ... delete it from the
    library by hand"); it names the undo to finish now, which removes the copy (mutation testing, 2026-12-06)."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")
    photo, bytes_ = f["IMG_4"], Path(f["IMG_4"]).read_bytes()
    copy = str(rejects / "b" / "c" / "IMG_4.jpg")
    real_unlink = os.unlink

    def killed_at_the_copys_removal(path, *a, **kw):
        if names(path, copy, kw):
            raise Killed()
        return real_unlink(path, *a, **kw)

    with monkeypatch.context() as mp:
        force_cross_device(mp)
        execute(store, plan_move(store, rejects))
        assert not os.path.lexists(photo) and Path(copy).read_bytes() == bytes_
        mp.setattr(moves.os, "unlink", killed_at_the_copys_removal)
        with pytest.raises(Killed):
            CliRunner().invoke(main, ["undo", str(lib)], catch_exceptions=False)
    store.close()
    assert Path(photo).read_bytes() == bytes_ and os.path.lexists(copy)  # at both places
    again = CliRunner().invoke(main, ["move", "--to", str(rejects), str(lib), "--yes"])
    assert again.exit_code == 0, again.output
    said = (f"skipped: b/c/IMG_4.jpg: destination exists: {copy} (never overwritten): a copy left there by an undo "
            f"of batch 1 stopped before it removed it; `blurscan undo --batch 1 {lib}` finishes that undo (removes it)")
    assert said in again.output, again.output
    out = CliRunner().invoke(main, ["undo", "--batch", "1", str(lib)])
    assert out.exit_code == 0, out.output
    assert Path(photo).read_bytes() == bytes_ and not os.path.lexists(copy), out.output


def test_a_photo_a_killed_undo_left_away_is_not_called_its_copy_when_another_file_has_its_name(tmp_path):
    """An undo killed as it was to copy IMG_4 back across drives (its row ``undoing``, the photo only at the
    destination); a new photo then takes the name IMG_4.jpg (a camera's names used again) and is marked to go.
    ``move`` called the photo there "a copy left there by an undo ... `blurscan undo --batch 1` finishes that undo
    (removes it)": that undo failed ("both ... exist with different content") and kept it, rightly, as the only
    one. It is said to be the photo batch 1 moved now (mutation testing, 2026-12-06)."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")
    photo, bytes_ = f["IMG_4"], Path(f["IMG_4"]).read_bytes()
    away = rejects / "b" / "c" / "IMG_4.jpg"

    def killed(*_a, **_kw):
        raise Killed()

    with pytest.MonkeyPatch.context() as mp:
        force_cross_device(mp)
        execute(store, plan_move(store, rejects))
        store.close()
        mp.setattr(restore, "move_file", killed)  # (journaled `undoing`, killed as the copy back was to begin)
        with pytest.raises(Killed):
            CliRunner().invoke(main, ["undo", str(lib)], catch_exceptions=False)
    assert not os.path.lexists(photo) and away.read_bytes() == bytes_
    save_jpeg(Path(photo), textured(42, (120, 160)))  # another photo under its name, scanned and marked to go
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with Store(lib / ".blurscan.db") as again_store:
        decide(again_store, photo, "discard")
    again = CliRunner().invoke(main, ["move", "--to", str(rejects), str(lib), "--yes"])
    assert again.exit_code == 0, again.output
    said = (f"skipped: b/c/IMG_4.jpg: destination exists: {away} (never overwritten): the photo batch 1 moved there, "
            "which an undo of that batch was stopped as it put it back; the library's file of that name has other "
            "bytes (another photo, or this one edited since)")
    assert said in again.output and "removes it" not in again.output, again.output
    assert away.read_bytes() == bytes_ and Path(photo).read_bytes() != bytes_
