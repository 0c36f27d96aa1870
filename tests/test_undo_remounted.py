"""Undo of a move whose ``--to`` drive, a real ext4 file system, is plugged in again and mounted at another place
(``DISK`` taken, so ``DISK1``), found there by its file system's identity (:mod:`blurscan.actions.drive_ids`), and
never taken for another file system mounted where it was. (Split from ``test_undo_to_unmounted.py``, whose
``_library`` it shares.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers_cli import child_program
from helpers_library import sha
from test_undo_to_unmounted import _library


_REMOUNTED = (  # sh -c ... sh IMAGE OTHER DISK DISK1 PYTHON LIB COPY: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; '
    '"$5" -m blurscan move "$6" --all-blurry --to "$3/rejects" --yes; cp -a "$3/rejects" "$7"; umount "$3"; '
    'mount -o loop "$2" "$3"; cp -a "$7" "$3/rejects"; set +e; '
    '"$5" -m blurscan undo "$6"; echo "undo: $?"; umount "$3"; set -e; mount -o loop "$1" "$4"; '
    '"$5" -m blurscan report "$6"; "$5" -m blurscan undo "$6"; echo "undo: $?"; ls -A "$4"')


def test_undo_with_a_real_to_drive_mounted_again_at_another_place(tmp_path):
    """``move --to DISK/rejects`` on a real ext4 drive (a loop device, in a mount namespace of its own), unplugged;
    another ext4 file system mounted at ``DISK``, holding copies of the moved files at their paths: undo takes none of
    them (its drive is not there); then the drive mounted at ``DISK1`` (``DISK`` taken, as a desktop does): report
    says undo puts them back, and undo takes them back from there, saying so. Until 2026-12-07 (later that day) undo
    refused until the drive was mounted at ``DISK`` again, and took the other file system's copies there."""
    mkfs = shutil.which("mkfs.ext4", path=os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"]))
    if os.geteuid() != 0 or mkfs is None or shutil.which("unshare") is None:
        pytest.skip("needs root, mkfs.ext4 and unshare")
    lib, blurry = _library(tmp_path)
    images = [tmp_path / "drive.img", tmp_path / "other.img"]
    disk, disk1 = tmp_path.resolve() / "media" / "DISK", tmp_path.resolve() / "media" / "DISK1"
    disk.mkdir(parents=True)
    disk1.mkdir()
    for image in images:
        with open(image, "wb") as fh:
            fh.truncate(16 << 20)
        subprocess.run([mkfs, "-q", "-F", str(image)], check=True, capture_output=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount -o loop "$1" "$2" && umount "$2"', "sh", images[0],
                            disk], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot mount a loop device in a mount namespace here")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _REMOUNTED, "sh", *images, disk, disk1, sys.executable, lib,
                          tmp_path / "copy"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    refusal = (f"failed: {lib / 'b1.jpg'}: not put back: {disk / 'rejects' / 'b1.jpg'} cannot be reached: {disk}, "
               "where its drive was mounted when the batch moved it, holds another file system now (is the drive "
               "unplugged?); mount the drive there and run undo again")
    assert refusal in ran.stderr, ran.stderr
    assert "undo: 1\n" in ran.stdout and ran.stdout.count("undo: 0\n") == 1, ran.stdout
    assert (f"note: 2 photos moved or trashed by blurscan are not listed (`{child_program()} undo "
            f"{lib}` puts them back)") in ran.stderr, ran.stderr
    assert (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos back from there\n"
            "batch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\nlost+found\n"
            ) in ran.stdout, ran.stdout
    assert {name: sha(lib / name) for name in blurry} == blurry
