"""Undo puts back only the file its batch moved: not another file that took the destination's name since
(the trash emptied, then another file of that name trashed from the desktop; a file replaced in --to)."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import execute, plan_move, plan_trash, undo
from helpers_library import build_library, decide


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    decide(store, files["IMG_1"], "discard")
    yield tmp_path, store, files
    store.close()


def test_undo_of_trash_leaves_another_file_trashed_under_the_same_name(lib, monkeypatch):
    tmp_path, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = execute(store, plan_trash(store))
    photo = str(f["IMG_1"])
    trashed = dict(result.moved)[photo]
    info = os.path.join(os.path.dirname(os.path.dirname(trashed)), "info", os.path.basename(trashed) + ".trashinfo")
    # the trash is emptied, then the desktop trashes another file that has the same name
    for p in os.listdir(os.path.dirname(trashed)):
        os.unlink(os.path.join(os.path.dirname(trashed), p))
    for p in os.listdir(os.path.dirname(info)):
        os.unlink(os.path.join(os.path.dirname(info), p))
    other = tmp_path / "docs" / os.path.basename(trashed)
    with open(trashed, "wb") as fh:
        fh.write(b"someone else's file")
    with open(info, "w") as fh:
        fh.write(f"[Trash Info]\nPath={other}\nDeletionDate=2024-01-01T00:00:00\n")
    back = undo(store)
    assert not os.path.lexists(photo)  # the other file was not taken into the library under the photo's name
    assert open(trashed, "rb").read() == b"someone else's file" and os.path.exists(info)
    assert [p for p, _ in back.failed if p == photo], back.failed


def test_undo_of_move_leaves_a_different_file_at_the_destination(lib):
    tmp_path, store, f = lib
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    photo = str(f["IMG_1"])
    moved = dict(result.moved)[photo]
    os.unlink(moved)
    with open(moved, "wb") as fh:
        fh.write(b"a different file")
    back = undo(store)
    assert not os.path.lexists(photo)
    assert open(moved, "rb").read() == b"a different file"
    assert [p for p, _ in back.failed if p == photo], back.failed
