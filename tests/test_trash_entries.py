"""The ``.trashinfo`` entries trash writes: a name whose entry is there without its file (left by a desktop, or
by a kill) is not taken, and a photo that could not be trashed leaves no entry behind."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import execute, plan_trash, trash, undo
from helpers_library import build_library, decide


@pytest.fixture
def lib(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store, files = build_library(tmp_path / "lib")
    decide(store, files["IMG_4"], "discard")
    yield tmp_path, store, files
    store.close()


def test_a_trash_entry_without_its_file_keeps_its_name_taken(lib):
    tmp_path, store, f = lib
    info_dir = tmp_path / "data" / "Trash" / "info"
    info_dir.mkdir(parents=True)
    stale = info_dir / "IMG_4.jpg.trashinfo"
    stale.write_text("[Trash Info]\nPath=/elsewhere/IMG_4.jpg\nDeletionDate=2026-01-01T00:00:00\n")
    result = execute(store, plan_trash(store))
    assert result.failed == [], result.failed
    [(_src, dst)] = result.moved
    assert os.path.basename(dst) == "IMG_4.1.jpg"
    assert "Path=/elsewhere/IMG_4.jpg" in stale.read_text()  # the other entry as it was
    assert trash.original_path(trash.info_path_for(dst)) == f["IMG_4"]
    assert undo(store).complete and os.path.exists(f["IMG_4"])


def test_a_photo_that_could_not_be_trashed_leaves_no_entry_in_the_trash(lib):
    """The photo's folder made read-only after planning: the move fails, and the entry written for it just
    before is removed (the desktop's trash listed a file that was never there)."""
    tmp_path, store, f = lib
    plan = plan_trash(store)
    folder = os.path.dirname(f["IMG_4"])
    os.chmod(folder, 0o555)
    try:
        result = execute(store, plan)
    finally:
        os.chmod(folder, 0o755)
    assert [p for p, _ in result.failed] == [f["IMG_4"]] and result.moved == []
    assert os.path.exists(f["IMG_4"])
    info_dir = tmp_path / "data" / "Trash" / "info"
    assert not info_dir.exists() or os.listdir(info_dir) == []


def test_an_undo_whose_removal_of_the_entry_is_interrupted_tries_it_again(lib, monkeypatch):
    """``unlink`` of the entry interrupted (EINTR: a signal, a network or FUSE file system; found with ``strace -e
    inject=unlink:error=EINTR`` on ``blurscan undo``): Python does not retry it, and the undo failed the photo it had
    restored ("cannot remove the trash entry: interrupted system call"), its entry left in the trash."""
    tmp_path, store, f = lib
    result = execute(store, plan_trash(store))
    [(_src, dst)] = result.moved
    info = trash.info_path_for(dst)
    assert os.path.exists(info)
    real, interrupted = os.unlink, []

    def unlink(path, *args, **kwargs):
        if str(path).endswith(".trashinfo") and not interrupted:
            interrupted.append(path)
            raise InterruptedError(4, "Interrupted system call", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    done = undo(store)
    assert done.complete and os.path.exists(f["IMG_4"])
    assert interrupted == [info] and not os.path.exists(info)  # tried again: gone from the trash
