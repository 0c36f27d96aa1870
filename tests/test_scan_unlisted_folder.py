"""A sub-folder the scan cannot list (no permission, an I/O error on a network share) is an error line, and what
the database holds under it stays: its photos were forgotten as if deleted, and decoded again from scratch once
the folder could be listed."""
from __future__ import annotations

import os

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_images import save_jpeg, textured


def test_what_was_stored_under_a_folder_that_cannot_be_listed_is_kept(tmp_path, monkeypatch):
    root = tmp_path / "lib"
    for i, name in enumerate(("ok/a.jpg", "locked/b1.jpg", "locked/deeper/b2.jpg")):
        save_jpeg(root / name, textured(i))
    db = tmp_path / "x.db"
    settings = ScanSettings(workers=1, model="none")
    list(scan([root], settings, db=db))
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(root / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", scandir)
        (root / "ok" / "a.jpg").unlink()  # (a photo really gone meanwhile: forgotten as before)
        records = list(scan([root], settings, db=db))
    assert [(r.path, r.error) for r in records if r.status != "ok"] == \
        [(str(root / "locked"), "cannot list folder: permission denied")]
    with Store(db) as store:
        stored = {r.path for r in store.records()}
    assert {str(root / "locked" / "b1.jpg"), str(root / "locked" / "deeper" / "b2.jpg")} <= stored
    assert str(root / "ok" / "a.jpg") not in stored
    again = list(scan([root], settings, db=db))  # listed again: reused, not decoded again
    assert sorted(r.path for r in again if r.cached) == [str(root / "locked" / "b1.jpg"),
                                                         str(root / "locked" / "deeper" / "b2.jpg")]


def test_what_was_stored_under_an_unlisted_folder_is_kept_when_many_folders_are_named(tmp_path, monkeypatch):
    # beyond 8 folders named (a --files-from list of folders), the stored paths under them are read in one reading
    # of the table: what is under a sub-folder that could not be listed is kept there too
    root = tmp_path / "lib"
    for i in range(10):
        save_jpeg(root / f"f{i}" / "a.jpg", textured(i))
    save_jpeg(root / "f3" / "locked" / "b.jpg", textured(11))
    db = tmp_path / "x.db"
    settings = ScanSettings(workers=1, model="none")
    folders = [root / f"f{i}" for i in range(10)]
    list(scan(folders, settings, db=db))
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(root / "f3" / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", scandir)
        (root / "f5" / "a.jpg").unlink()
        records = list(scan(folders, settings, db=db))
    assert [(r.path, r.error) for r in records if r.status != "ok"] == \
        [(str(root / "f3" / "locked"), "cannot list folder: permission denied")]
    with Store(db) as store:
        stored = {r.path for r in store.records()}
    assert str(root / "f3" / "locked" / "b.jpg") in stored and str(root / "f5" / "a.jpg") not in stored
