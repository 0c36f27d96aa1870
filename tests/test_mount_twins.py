"""A database an older blurscan doubled through a second name of its library's folder, mended
(:mod:`blurscan.mount_twins`), without root: the second name a symbolic link to the drive's folder (one device
and inode, as a second mount point of the drive gives). Real bind mounts: ``tests/test_bind_mounted.py``."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from blurscan.mount_twins import doubled_roots, library_after, mend
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from test_bind_mounted import _DOUBLE


def _doubled(tmp_path):
    """``DISK/lib`` scanned, its database doubled under ``DISK1/lib`` (``DISK1`` a link to ``DISK``) with
    :data:`test_bind_mounted._DOUBLE`'s decisions: ``(DISK/lib, database)``."""
    lib = tmp_path / "DISK" / "lib"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b2.jpg", blurred(textured(4), 4))
    (lib / "h.jpg").hardlink_to(lib / "s.jpg")
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    (tmp_path / "DISK1").symlink_to(tmp_path / "DISK")
    subprocess.run([sys.executable, "-c", _DOUBLE, str(tmp_path / "DISK"), str(tmp_path / "DISK1")], check=True)
    return lib, lib / ".blurscan.db"


@pytest.mark.slow
def test_a_keep_made_on_an_older_version_of_the_photo_loses_to_a_discard_made_on_this_one(tmp_path):
    """The two names' decisions on ``b2.jpg`` disagree: the keep under the doubled name was made on another version
    of the file (its size and time then), the discard under the library's on the photo as it is: the discard stays.
    (Where both were made on the photo as it is, the keep stays: ``tests/test_bind_mounted.py``.)"""
    lib, db = _doubled(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE decisions SET mtime_ns = mtime_ns - 1000000000 WHERE path = ?",
                     (str(tmp_path / "DISK1" / "lib" / "b2.jpg"),))
    conn.close()
    with Store(db) as store:
        assert [(d.root, d.kept) for d in doubled_roots(store)] == [(str(tmp_path / "DISK1" / "lib"), str(lib))]
        assert [n for _, n in mend(store)] == [3]
        assert dict(store.conn.execute("SELECT path, decision FROM decisions")) == {
            str(lib / "b1.jpg"): "keep", str(lib / "b2.jpg"): "discard", str(lib / "h.jpg"): "discard"}


def test_roots_with_no_common_folder_but_the_root_name_no_library(tmp_path):
    """The roots left once the doubled one is dropped share no folder but ``/``: no library folder is named."""
    lib, db = _doubled(tmp_path)
    with Store(db) as store:
        doubled = doubled_roots(store)
        assert library_after(store, doubled) == str(lib)
        with store.transaction() as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'scanned_roots'",
                         (json.dumps([str(lib), str(tmp_path / "DISK1" / "lib"), "/srv/photos"]),))
        assert library_after(store, doubled) is None
