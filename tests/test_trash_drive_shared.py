"""The shared trash folder of a drive, ``$topdir/.Trash/$uid``: used only when ``$topdir/.Trash`` is sticky (the
trash spec), and its entries name the photo's path relative to the drive's top folder, which undo reads back
(``$topdir/.Trash/$uid`` is one level deeper than ``$topdir/.Trash-$uid``)."""
from __future__ import annotations

import os
from pathlib import Path

from blurscan.actions import execute, plan_trash, trash, undo
from helpers_library import build_library, decide, snapshot, tmpfs


def _drive_library(tmp_path, monkeypatch, drive):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
    decide(store, f["IMG_4"], "discard")
    return store, f


def test_a_photo_trashed_to_the_shared_trash_folder_of_a_drive_comes_back_with_undo(tmp_path, monkeypatch):
    with tmpfs(tmp_path / "drive", "4m") as drive:
        (drive / ".Trash").mkdir()
        os.chmod(drive / ".Trash", 0o1777)  # sticky and writable by everyone, as the spec wants it
        store, f = _drive_library(tmp_path, monkeypatch, drive)
        before = snapshot(drive / "lib")
        result = execute(store, plan_trash(store))
        [(src, dst)] = result.moved
        assert os.path.dirname(dst) == str(drive / ".Trash" / str(os.getuid()) / "files")
        info = trash.info_path_for(dst)
        assert "Path=lib/b/c/IMG_4.jpg\n" in Path(info).read_text()  # relative to the drive's top folder
        assert trash.original_path(info) == f["IMG_4"]
        back = undo(store)
        assert back.complete and back.restored == [(dst, src)], back.failed
        assert snapshot(drive / "lib") == before and not os.path.lexists(info)
        store.close()


def test_a_shared_trash_folder_that_is_not_sticky_is_not_used(tmp_path, monkeypatch):
    """Without the sticky bit anyone may remove or rename what others put in ``.Trash``: the spec says to pass
    over it, to ``$topdir/.Trash-$uid``."""
    with tmpfs(tmp_path / "drive", "4m") as drive:
        (drive / ".Trash").mkdir()
        os.chmod(drive / ".Trash", 0o777)
        store, f = _drive_library(tmp_path, monkeypatch, drive)
        result = execute(store, plan_trash(store))
        [(_src, dst)] = result.moved
        assert os.path.dirname(dst) == str(drive / f".Trash-{os.getuid()}" / "files")
        assert os.listdir(drive / ".Trash") == []
        assert undo(store).complete and os.path.exists(f["IMG_4"])
        store.close()


def test_trash_says_which_trash_where_it_is_a_drives_own(tmp_path, monkeypatch):
    """``trash`` of a photo on a drive names the drive's own trash, which emptying the desktop's trash with the
    drive unplugged leaves as it is; one in the home trash's file system says ``to the trash`` alone. Until
    2026-12-07, the evening, both said ``to the trash``."""
    from helpers_cli import run

    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = _drive_library(tmp_path, monkeypatch, drive)
        store.close()
        done = run("trash", "--db", tmp_path / "lib.db", "--yes")
        assert done.exit_code == 0, done.output
        assert "trashed 1 photo (1 file, " in done.output and (
            f") to the drive's own trash, {drive / f'.Trash-{os.getuid()}'}, as batch 1; undo with `") in done.output, \
            done.output
    store, f = build_library(tmp_path / "home" / "lib", db=tmp_path / "home.db")
    decide(store, f["IMG_4"], "discard")
    store.close()
    done = run("trash", "--db", tmp_path / "home.db", "--yes")
    assert done.exit_code == 0 and ") to the trash as batch 1; undo with `" in done.output, done.output
