"""A share or drive not mounted leaves its mount point an empty folder, older than the scans: a nightly scan of
it (its database kept elsewhere, ``--db``) keeps what the database holds there, and says so, instead of forgetting
the whole library (until 2026-12-06: ``no image files found``, exit code 0, every record gone, every photo decoded
again the next night). A folder emptied by hand since its scan, or removed, is forgotten as before."""
from __future__ import annotations

import os
import shutil
import time

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_cli import run
from helpers_images import save_jpeg, textured

SETTINGS = ScanSettings(workers=1, model="none")


def _library(tmp_path):
    share = tmp_path / "mnt" / "photos"
    for i, name in enumerate(("2024/a.jpg", "2024/b.jpg", "2025/c.jpg")):
        save_jpeg(share / name, textured(i))
    (tmp_path / "var").mkdir()
    return share, tmp_path / "var" / "photos.db"


def _stored(db) -> set[str]:
    with Store(db) as store:
        return {r.path for r in store.records()}


def test_a_scan_of_an_empty_mount_point_keeps_the_library(tmp_path):
    share, db = _library(tmp_path)
    assert run("scan", share, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    stored = _stored(db)
    assert len(stored) == 3
    away = tmp_path / "away"
    shutil.move(share, away)  # the share unmounted: its mount point is left, empty, as old as it was
    share.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(share, (an_hour_ago, an_hour_ago))
    result = run("scan", share, "--db", db, "--model", "none", "--workers", "1")
    assert _stored(db) == stored
    assert result.exit_code == 0
    assert "no image files found" in result.stderr
    assert f"note: {share} is empty: the 3 photos the database holds under it are kept (a share or drive not " \
           "mounted?)" in result.stderr, result.stderr
    share.rmdir()
    shutil.move(away, share)  # mounted again: nothing decoded afresh
    again = list(scan([share], SETTINGS, db=db))
    assert sorted(r.cached for r in again) == [True, True, True]


def test_a_folder_emptied_since_its_scan_or_removed_is_forgotten(tmp_path):
    share, db = _library(tmp_path)
    list(scan([share], SETTINGS, db=db))
    for photo in (share / "2024").iterdir():  # photos deleted by hand: the folder modified since the scan
        photo.unlink()
    result = run("scan", share / "2024", "--db", db, "--model", "none", "--workers", "1")
    assert result.exit_code == 0 and "is empty" not in result.stderr, result.stderr
    assert _stored(db) == {str(share / "2025" / "c.jpg")}
    shutil.rmtree(share / "2025")
    records = list(scan([share / "2025"], SETTINGS, db=db))  # the name gone: forgotten
    assert [r.error for r in records] == ["no such file or directory"]
    assert _stored(db) == set()


def test_the_note_of_one_photo_kept_says_it(tmp_path):
    share = tmp_path / "mnt" / "photos"
    save_jpeg(share / "a.jpg", textured(0))
    (tmp_path / "var").mkdir()
    db = tmp_path / "var" / "photos.db"
    assert run("scan", share, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    shutil.move(share, tmp_path / "away")
    share.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(share, (an_hour_ago, an_hour_ago))
    result = run("scan", share, "--db", db, "--model", "none", "--workers", "1")
    assert f"note: {share} is empty: the 1 photo the database holds under it is kept (a share or drive not " \
           "mounted?); to forget it, scan its name" in result.stderr, result.stderr
