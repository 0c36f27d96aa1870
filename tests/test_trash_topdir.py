"""The trash folder on another drive (``$topdir/.Trash/$uid``, ``$topdir/.Trash-$uid``) is used only when it is a
real folder of the person's own: on a drive others can write (the sticky ``.Trash`` is writable by everyone),
another user could have put a link or a folder of theirs there, and the photos would go into a folder they
control. Such a folder is passed over (the next one the spec names, or the home trash as a verified copy)."""
from __future__ import annotations

import os
import stat

import pytest

from blurscan.actions import execute, plan_trash, undo
from helpers_library import build_library, decide, snapshot, tmpfs


def _trash_from_drive(tmp_path, monkeypatch, prepare):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        before = snapshot(drive / "lib")
        elsewhere = prepare(drive)
        result = execute(store, plan_trash(store))
        assert result.failed == [] and len(result.moved) == 1
        dst = result.moved[0][1]
        assert not dst.startswith(str(elsewhere) + os.sep), dst
        assert os.listdir(elsewhere) == []
        for folder in (os.path.dirname(dst), os.path.dirname(os.path.dirname(dst))):  # files/, the trash
            st = os.lstat(folder)
            assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid(), folder
        assert undo(store).complete
        assert snapshot(drive / "lib") == before
        store.close()


def test_a_link_planted_as_the_shared_trash_folder_is_not_followed(tmp_path, monkeypatch):
    def prepare(drive):
        shared = drive / ".Trash"
        shared.mkdir()
        os.chmod(shared, 0o1777)  # sticky and writable by everyone, as the spec wants it
        elsewhere = drive / "someone-elses"
        elsewhere.mkdir(mode=0o777)
        os.symlink(elsewhere, shared / str(os.getuid()))
        return elsewhere
    _trash_from_drive(tmp_path, monkeypatch, prepare)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to make another's folder")
@pytest.mark.parametrize("shared", [True, False])
def test_a_trash_folder_owned_by_someone_else_is_not_used(tmp_path, monkeypatch, shared):
    def prepare(drive):
        if shared:
            (drive / ".Trash").mkdir()
            os.chmod(drive / ".Trash", 0o1777)
            own = drive / ".Trash" / str(os.getuid())
        else:
            own = drive / f".Trash-{os.getuid()}"
        own.mkdir()
        os.chmod(own, 0o777)
        os.chown(own, 54321, 54321)
        (own / "files").mkdir()
        os.chmod(own / "files", 0o777)
        os.chown(own / "files", 54321, 54321)
        return own / "files"
    _trash_from_drive(tmp_path, monkeypatch, prepare)
