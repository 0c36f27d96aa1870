"""The trash's look at the mount table (:mod:`blurscan.actions.mount_points`): read once for a batch's photos, not
three times a photo (a ``trash --yes`` of 2,000 photos on a drive took 14 to 30 s instead of 2 s with 300 mounts,
until 2026-12-07), and read again as soon as a mount changes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from blurscan.actions import drives, trash

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/mountinfo"), reason="no /proc/self/mountinfo")


def test_the_trash_reads_the_mount_table_once_for_many_photos(tmp_path, monkeypatch):
    """The drive's top and whether it is the home trash's file system, asked for each of 200 photos of a drive: the
    same answers as the mount table read each time gives, the table read at most once."""
    read = []
    real_mounts = drives.mounts

    def counted():
        read.append(1)
        return real_mounts()

    photos = []
    for n in range(200):
        photo = tmp_path / f"f{n % 7}" / f"IMG_{n}.jpg"
        photo.parent.mkdir(exist_ok=True)
        photo.write_bytes(b"x")
        photos.append(str(photo))
    points = {m.point for m in real_mounts()}
    home = trash.home_trash()
    home_top = trash.nearest(os.path.realpath(home), points.__contains__)
    monkeypatch.setattr(drives, "mounts", counted)
    for photo in photos:  # (a device number unlike the home trash's: a drive's photo, or a btrfs subvolume's)
        top = trash.nearest(os.path.realpath(photo), points.__contains__)
        assert trash._home_drive(-2, os.path.dirname(photo), home) == (top == home_top)
        assert trash._mount_point(os.path.dirname(photo)) == top
    assert len(read) <= 1


def test_a_mount_made_or_removed_meanwhile_is_seen(tmp_path):
    """A drive mounted on a folder of the library, then unmounted, between two photos of one process: each photo's
    top is the mount table's at that moment, not the one read first (as root, in a mount namespace of its own)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare")
    (tmp_path / "lib" / "card" / "DCIM").mkdir(parents=True)
    script = r'''
import os, subprocess, sys
from blurscan.actions import trash
lib = os.path.realpath(sys.argv[1]); card = os.path.join(lib, "card"); folder = os.path.join(card, "DCIM")
before = trash._mount_point(lib)
print(trash._mount_point(folder) == before)
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", card], check=True); os.mkdir(folder)
print(trash._mount_point(folder) == card, trash._mount_point(lib) == before)
subprocess.run(["umount", card], check=True)
print(trash._mount_point(folder) == before)
'''
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a mount namespace here")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --make-rprivate / && exec "$0" "$@"', sys.executable,
                          "-c", script, str(tmp_path / "lib")], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["True", "True", "True", "True"], ran.stdout + ran.stderr
