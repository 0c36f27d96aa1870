"""What a power cut (not a kill) leaves: only fsynced bytes, and names whose folder was fsynced, are on disk after
it. Each file move, sidecar write or trash entry must find on disk what undo needs before it happens: its journal
row (committed with ``PRAGMA synchronous = FULL``, the ``-wal`` fsynced; ``NORMAL`` left the last commits to the
system's write-back, a photo moved and fsynced in its new folder that no row named), and the folders it is made
in (a folder made for it whose name was not fsynced in its parent took the photo with it)."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import execute, moves, plan_move, plan_trash, undo, xmp
from helpers_library import decide

FULL = 2


@pytest.fixture
def renames(monkeypatch):
    """Every rename of a photo or sidecar (``moves._rename_noreplace``, ``os.replace``) with the synchronous level
    of the database's connection at that moment: ``(src, dst, level)``."""
    seen, stores = [], []
    real_noreplace, real_replace = moves._rename_noreplace, os.replace

    def level():
        return stores[0].conn.execute("PRAGMA synchronous").fetchone()[0] if stores else None

    def noreplace(src, dst):
        seen.append((src, dst, level()))
        return real_noreplace(src, dst)

    def replace(src, dst, *a, **k):
        seen.append((os.fspath(src), os.fspath(dst), level()))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(moves, "_rename_noreplace", noreplace)
    monkeypatch.setattr(xmp, "_rename_noreplace", noreplace)
    monkeypatch.setattr(os, "replace", replace)
    return seen, stores


def test_a_move_and_its_undo_have_their_journal_rows_on_disk_before_each_file_moves(lib, tmp_path, renames):
    root, store, f = lib
    seen, stores = renames
    stores.append(store)
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, str(tmp_path / "rejects")))
    assert result.failed == [] and result.moved
    assert seen and all(level == FULL for _s, _d, level in seen), seen
    moved = len(seen)
    assert undo(store).complete and os.path.exists(f["IMG_4"])
    assert len(seen) > moved and all(level == FULL for _s, _d, level in seen), seen
    # the scan's results stay at NORMAL (a rescan makes them again): only the actions pay for the fsyncs
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_a_trashed_photo_has_its_journal_row_on_disk_before_it_goes(lib, tmp_path, renames, monkeypatch):
    root, store, f = lib
    seen, stores = renames
    stores.append(store)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_trash(store))
    assert result.failed == [] and result.moved
    assert seen and all(level == FULL for _s, _d, level in seen), seen


def test_tag_has_each_sidecars_row_on_disk_before_the_sidecar_changes(lib, renames):
    from test_xmp import _tag_library

    root, store, f = _tag_library(lib)
    seen, stores = renames
    stores.append(store)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    assert seen and all(level == FULL for _s, _d, level in seen), seen
