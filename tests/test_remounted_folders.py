"""The review page's folder filter of a library whose drive is mounted at another place, unplugged, or looks like
a share not mounted (:func:`blurscan.review.library.folders`): real loop ext4 drives as root, in a mount namespace
of its own, skipped saying why where refused (the fixtures of ``test_undo_remounted`` and ``test_remounted_views``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers_cli import run
from helpers_images import save_jpeg, textured
from test_remounted_views import _photos
from test_undo_remounted import _drives


_FOLDERS = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB SHOW: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; mkdir "$2/lib/sub"; '
    'cp "$2/lib/s.jpg" "$2/lib/sub/c.jpg"; "$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan scan "$2/lib" --db "$6" --model none --workers 1 >/dev/null 2>&1; umount "$2"; '
    'mount -o loop "$1" "$3"; "$4" -c "$7" "$3/lib/.blurscan.db"; "$4" -c "$7" "$6"; umount "$3"; touch -d "1 hour ago" "$2"; '
    '"$4" -c "$7" "$6"')

_FOLDERS_SHOWN = ("import json, sys; from blurscan.store import Store; from blurscan.review.library import folders; "
                  "print(json.dumps(folders(Store(sys.argv[1]))))")


@pytest.mark.slow
def test_the_review_pages_folder_list_of_a_library_on_a_drive_mounted_elsewhere_says_where_its_folders_are(tmp_path):
    """A library scanned on the drive, into its own ``.blurscan.db`` and into ``--db lib.db`` off it, the drive
    mounted at ``DISK1`` before any scan there: the folder filter (``/api/folders``) lists the folders the photos
    were stored under (which it filters by), each saying where it is now and that it was not scanned there, as the
    header (its database carried with the drive) and the photos' cards say; with the drive unplugged, that its drive
    is not mounted. Until 2026-12-07 it named the old place alone, ``DISK/lib (0/3)``."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _FOLDERS, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), db, _FOLDERS_SHOWN], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    carried, off_drive, unplugged = (json.loads(line) for line in ran.stdout.splitlines())
    lib, lib1 = disk / "lib", disk1 / "lib"
    moved = [{"folder": str(lib), "photos": 4, "flagged": 2, "note": f"now at {lib1}: not scanned there"},
             {"folder": str(lib / "sub"), "photos": 1, "flagged": 0,
              "note": f"now at {lib1 / 'sub'}: not scanned there"}]
    assert carried == moved and off_drive == moved, ran.stdout
    assert [f.get("note") for f in unplugged] == ["its drive not mounted now"] * 2, ran.stdout  # (told by identity)


def test_the_folder_list_says_a_folder_under_an_empty_old_folder_looks_like_a_share_not_mounted(tmp_path):
    """A library under ``media/SHARE`` scanned into ``--db`` off it, then its folder gone and ``SHARE`` left empty
    and older than the scan (a share not mounted, no drive recorded): its folder's option says so, as its photos'
    cards do, ``not there (a share or drive not mounted?)``. Until 2026-12-07 it named the folder alone."""
    from blurscan.review.library import folders
    from blurscan.store import Store

    share = tmp_path.resolve() / "media" / "SHARE"
    save_jpeg(share / "lib" / "s.jpg", textured(2))
    db = tmp_path / "lib.db"
    assert run("scan", share / "lib", "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    shutil.rmtree(share / "lib")
    old = os.stat(db).st_mtime - 3600
    os.utime(share, (old, old))
    with Store(db) as store:
        assert folders(store) == [{"folder": str(share / "lib"), "photos": 1, "flagged": 0,
                                   "note": "not there (a share or drive not mounted?)"}]
