"""u in a real headless Chromium on a discard whose photo `blurscan move` has taken since the page loaded: the
message says the decision is undone but the photo stays moved, and names the command that brings it back
(until 2026-12-05: "undone: discard of coffee_blurred.jpg", the photo still in the --to folder). The browser and
the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

import shutil

import pytest

from blurscan.errors import shell_path
from helpers_browser import review_page, wait_true
from helpers_cli import run

pytestmark = pytest.mark.browser


def test_undo_of_a_discard_moved_since_says_it_stays_moved(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert "but `blurscan move` already moved the photo (batch 1, to " in text
        assert f"run `blurscan undo --batch 1 {shell_path(photos)}` to bring it back" in text
        assert page.evaluate("document.getElementById('toast').getAttribute('aria-live')") == "assertive"
        assert errors == []


def test_undo_of_a_discard_moved_since_and_no_longer_there_says_so(sync_api, scanned, tmp_path):
    """The photo deleted from the --to folder since: the message says it is no longer found there, and that the
    command brings it back once it is there again (until 2026-12-06: "run ... to bring it back")."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        for moved in (tmp_path / "out").rglob("*.jpg"):
            moved.unlink()
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert "but `blurscan move` already moved the photo (batch 1, to " in text
        assert text.endswith(f"), where it is no longer found: `blurscan undo --batch 1 {shell_path(photos)}` brings it back "
                             "once it is there again"), text
        assert errors == []


def test_undo_of_a_discard_moved_since_to_a_drive_not_mounted_names_the_drive(sync_api, scanned, tmp_path,
                                                                             monkeypatch):
    """The photo moved to ``srv/ext/out`` on a drive mounted at ``srv/ext`` (the mount table played by a file),
    unplugged since (its mount point left empty): the message names the drive, not mounted now, and the command that
    brings it back once it is (until 2026-12-07: "where it is no longer found")."""
    from blurscan.actions import drive_ids, drives

    photos, db = scanned
    ext = tmp_path.resolve() / "srv" / "ext"
    ext.mkdir(parents=True)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(f"27 1 254:0 / / rw - ext4 /dev/vda rw\n40 27 8:1 / {ext} rw shared:1 - ext4 /dev/sdb1 rw\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    # (the file systems the table names are not those statvfs reads there: no identity told by their f_fsid)
    monkeypatch.setattr(drive_ids, "FSID_TYPES", {})
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", ext / "out", "--yes").exit_code == 0
        shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
        ext.mkdir()
        mountinfo.write_text("27 1 254:0 / / rw - ext4 /dev/vda rw\n")
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert "but `blurscan move` already moved the photo (batch 1, to " in text
        assert text.endswith(f"), on the drive at {ext}, not mounted now: mount it there and run "
                             f"`blurscan undo --batch 1 {shell_path(photos)}` to bring it back"), text
        assert errors == []


def test_undo_of_a_discard_moved_since_to_a_drive_with_a_twin_names_both_places(sync_api, scanned, tmp_path,
                                                                               monkeypatch):
    """The photo moved to ``srv/ext/out`` on a drive, unplugged since, and drives of its identity mounted at two
    other places (the drive and a ``dd`` copy of it: :class:`blurscan.actions.drive_ids.Twins`, as the real loop
    devices of ``test_undo_remounted.py`` give it; here that look-up played): the message names both, to unmount the
    copy or mount the drive where the batch recorded it (until 2026-12-07 the first was taken for the drive)."""
    from blurscan.actions import batch_drives, drive_ids

    photos, db = scanned
    ext = tmp_path.resolve() / "srv" / "ext"
    ext.mkdir(parents=True)
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", ext / "out", "--yes").exit_code == 0
        shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
        ext.mkdir()
        twins = drive_ids.Twins(["/media/me/DISK1", "/media/me/DISK2"])
        monkeypatch.setattr(batch_drives, "reader", lambda *_args: lambda _dst: str(ext))
        monkeypatch.setattr(batch_drives, "now_at", lambda *_args: lambda _point: twins)
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert text.endswith(f"), on the drive the batch recorded at {ext}, not mounted there now while drives of its "
                             "identity are mounted at /media/me/DISK1 and /media/me/DISK2 (one a copy of it?): unmount "
                             f"the copy, or mount the drive at {ext} again and run "
                             f"`blurscan undo --batch 1 {shell_path(photos)}` to bring it back"), text
        assert errors == []
