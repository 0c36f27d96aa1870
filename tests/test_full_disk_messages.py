"""A full disk, as a walkthrough on small file systems met it (2026-12-04): ``trash --yes`` ended in a traceback
and left an empty ``.trashinfo`` behind; opening a database said "cannot commit - no transaction is active"
instead of SQLite's own reason; a thumbnail the review page could not cache left its partial temporary file.
(The file systems are simulated here: a test cannot mount one everywhere.)"""
from __future__ import annotations

import errno
import sqlite3

import pytest

from blurscan.actions import trash
from blurscan.dbfile import check_ours
from blurscan.errors import ActionError
from blurscan.review.thumbs import ThumbCache
from helpers_images import save_jpeg, textured


def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_trash_entry_the_disk_cannot_hold_is_one_error_and_leaves_nothing(tmp_path, monkeypatch):
    info = tmp_path / "IMG_1.jpg.trashinfo"
    monkeypatch.setattr(trash.os, "fsync", _full)
    with pytest.raises(ActionError, match="IMG_1.jpg.trashinfo: cannot write the trash entry: no space left"):
        trash.write_info(str(info), "[Trash Info]\nPath=/x/IMG_1.jpg\n")
    assert not info.exists()


class _FullDiskConnection:
    """An SQLite connection whose first read fails as on a full disk, SQLite rolling the transaction back."""

    in_transaction = False

    def execute(self, sql, *args):
        if sql == "BEGIN":
            self.in_transaction = True
            return None
        if sql == "COMMIT" and not self.in_transaction:  # (SQLite's answer then)
            raise sqlite3.OperationalError("cannot commit - no transaction is active")
        self.in_transaction = False
        raise sqlite3.OperationalError("database or disk is full")


def test_a_database_the_disk_cannot_open_says_why(tmp_path):
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        check_ours(_FullDiskConnection(), str(tmp_path / "lib.db"))


def test_a_thumbnail_the_disk_cannot_hold_leaves_no_temporary_file(tmp_path, monkeypatch):
    from blurscan.review import thumbs

    photo = save_jpeg(tmp_path / "IMG_1.jpg", textured(1))
    cache = ThumbCache(tmp_path / ".blurscan-thumbs")
    monkeypatch.setattr(thumbs.os, "replace", _full)
    st = photo.stat()
    assert cache.get(str(photo), st.st_size, st.st_mtime_ns)[:2] == b"\xff\xd8"  # served all the same
    assert not list((tmp_path / ".blurscan-thumbs").rglob(".tmp-*"))


def test_a_database_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    """SQLite says "disk I/O error" when it cannot make its -wal or -shm file on a full disk: no cause named."""
    import os

    from blurscan import store as store_module
    from blurscan.store import Store

    with Store(tmp_path / "lib.db") as store:
        roomy = store._open_error(sqlite3.OperationalError("disk I/O error"))
        assert str(roomy).endswith("cannot use database: disk I/O error")  # (this disk has room)
        full = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))
        monkeypatch.setattr(store_module.os, "statvfs", lambda path: full)
        said = str(store._open_error(sqlite3.OperationalError("disk I/O error")))
        assert said.endswith("cannot use database: disk I/O error; its disk is full (0 kB free)")
        said = str(store._write_error(sqlite3.OperationalError("database or disk is full")))
        assert said.endswith("cannot write: database or disk is full; its disk is full (0 kB free)")
