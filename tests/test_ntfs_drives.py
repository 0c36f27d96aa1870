"""A Windows (NTFS) USB drive mounted with ``ntfs-3g`` (FUSE, type ``fuseblk``: this kernel has no ntfs3), as root in
a mount namespace of its own: the drive told when mounted again at another place (:mod:`blurscan.actions.
drive_ids`: ntfs-3g's ``f_fsid`` is 0, its volume serial read from its boot sector). Skipped, saying why, where
``mkfs.ntfs``, ``ntfs-3g``, ``losetup``, ``/dev/fuse`` or ``unshare`` are missing."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers_images import make_library
from helpers_library import sha
from test_fat_drives import _image, _tools

_ELSEWHERE = (  # sh -c ... sh IMAGE DISK PYTHON NTFS-3G DISK1: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; loop=$(losetup -f --show "$1"); "$4" "$loop" "$2"; mkdir "$2/lib"; '
    'mv "$2.src"/* "$2/lib"; set +e; "$3" -m blurscan scan "$2/lib" --model none --workers 1; echo "scan: $?"; '
    '"$3" -m blurscan move "$2/lib" --all-blurry --to "$2/rejects" --yes; echo "move: $?"; '
    'umount "$2"; "$4" "$loop" "$5"; '
    '"$3" -m blurscan undo "$5/lib"; echo "undo: $?"; ls -A "$5"; ls -A "$5/lib"; umount "$5"; losetup -d "$loop"')


@pytest.mark.slow
def test_undo_finds_an_ntfs_drive_mounted_again_at_another_place(tmp_path):
    """A library on an NTFS drive (ntfs-3g), its database there, its blurry photos moved to ``DISK/rejects``; the
    drive unplugged and mounted again at ``DISK1``: undo finds it there (by its volume serial) and puts the photos
    back, bytes unchanged. Until 2026-12-07 it put none back: ``not put back: DISK/rejects/blurry_0.png cannot be
    reached: DISK, where its drive was mounted when the batch moved it, is not mounted now (is the drive
    unplugged?)`` (ntfs-3g's ``f_fsid`` is 0, and without udev nothing told the drive)."""
    mkfs, ntfs3g = _tools("mkfs.ntfs", "ntfs-3g", "losetup")[:2]
    image, disk, disk1 = _image(tmp_path, mkfs, "-Q", "-F"), tmp_path.resolve() / "DISK", tmp_path.resolve() / "DISK1"
    disk.mkdir()
    disk1.mkdir()
    source = tmp_path / "DISK.src"
    make_library(source, n_sharp=1, n_blurry=2)
    before = {path.relative_to(source): sha(path) for path in source.rglob("*.*")}
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _ELSEWHERE, "sh", image, disk, sys.executable, ntfs3g, disk1],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "scan: 0\n" in ran.stdout and "move: 0\n" in ran.stdout, ran.stdout + ran.stderr
    assert (f"the library's drive is now mounted at {disk1} (not {disk}, where batch 1 took the photos from); "
            "putting them back there\nbatch 1: restored 2 files, removed 1 empty folder the move had created.\n"
            "undo: 0\nlib\n") in ran.stdout + ran.stderr, ran.stdout + ran.stderr
    assert "not put back" not in ran.stderr, ran.stderr
    subprocess.run(["unshare", "-m", "sh", "-c", 'mount --make-rprivate /; l=$(losetup -f --show "$1"); "$2" -o ro '
                    '"$l" "$3"; cp -r "$3/lib/." "$4"; umount "$3"; losetup -d "$l"', "sh", image, ntfs3g, disk,
                    tmp_path / "back"], check=True, timeout=60)
    assert {path: sha(tmp_path / "back" / path) for path in before} == before


_READ_ONLY = (  # sh -c ... sh IMAGE DISK PYTHON NTFS-3G: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; loop=$(losetup -f --show "$1"); "$4" "$loop" "$2"; mkdir "$2/lib"; '
    'mv "$2.src"/* "$2/lib"; "$3" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$3" -m blurscan move "$2/lib" --all-blurry --to "$2/rejects" --yes >/dev/null; umount "$2"; '
    '"$4" -o ro "$loop" "$2"; set +e; "$3" -m blurscan undo "$2/lib"; echo "undo: $?"; '
    '"$3" -m blurscan trash "$2/lib" --all-blurry --yes; echo "trash: $?"; ls -A "$2/rejects"; umount "$2"; '
    '"$4" "$loop" "$2"; "$3" -m blurscan undo "$2/lib"; echo "undo: $?"; ls -A "$2"; umount "$2"; losetup -d "$loop"')


@pytest.mark.slow
def test_undo_on_an_ntfs_drive_mounted_read_only_says_to_mount_it_read_write(tmp_path, monkeypatch):
    """A library on an NTFS drive, its database there, a batch moved to ``DISK/rejects``; the drive then mounted
    read-only (``-o ro``: as ntfs-3g mounts a Windows drive that was hibernated or shut down with Fast Startup):
    ``undo`` and ``trash`` refuse in one line naming the read-only file system and saying first to mount the drive
    read-write; nothing is touched, and the undo, the drive mounted read-write again, puts the photos back. Until
    2026-12-07 the line advised only to scan without ``--db`` (the cache folder) or to choose another ``--db``:
    neither can undo a batch this database records, nor write the drive."""
    from blurscan.dbfile import read_only_hint

    mkfs, ntfs3g = _tools("mkfs.ntfs", "ntfs-3g", "losetup")[:2]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # (no cache-folder database of this user's)
    image, disk = _image(tmp_path, mkfs, "-Q", "-F"), tmp_path.resolve() / "DISK"
    disk.mkdir()
    make_library(tmp_path / "DISK.src", n_sharp=1, n_blurry=2)
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _READ_ONLY, "sh", image, disk, sys.executable, ntfs3g],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    db = disk / "lib" / ".blurscan.db"
    line = (f"Error: {db}: cannot write: the database is read-only: its folder {db.parent} is on a read-only file "
            f"system ({read_only_hint(True)})\n")
    assert "mount its drive read-write and run the command again" in line
    assert ran.stderr.count(line) == 2 and ran.stderr.startswith(line), ran.stderr
    assert ran.stdout.startswith("undo: 1\ntrash: 1\nblurry_0.png\nblurry_1.jpg\n"), ran.stdout + ran.stderr
    assert "batch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\nlib\n" in ran.stdout, \
        ran.stdout + ran.stderr


_IDENTITIES = (  # sh -c ... sh NTFS_IMAGE EXFAT_IMAGE EXFAT_IMAGE2 N E1 E2 PYTHON NTFS-3G EXFAT-FUSE: root, a namespace
    'set -e; mount --make-rprivate /; n=$(losetup -f --show "$1"); "$8" "$n" "$4"; e1=$(losetup -f --show "$2"); '
    '"$9" "$e1" "$5"; e2=$(losetup -f --show "$3"); "$9" "$e2" "$6"; blkid -p -o value -s UUID "$n"; '
    '"$7" -c "import sys; from blurscan.actions import drive_ids; print(*map(drive_ids.identity, sys.argv[1:]))" '
    '"$4" "$5" "$6"; umount "$4" "$5" "$6"; losetup -d "$n" "$e1" "$e2"')


@pytest.mark.slow
def test_an_ntfs_drive_is_told_by_its_serial_as_udev_names_it_and_exfat_cards_by_no_ntfs_field(tmp_path):
    """An NTFS drive (ntfs-3g, ``fuseblk``) has the identity ``uuid:SERIAL``, its volume serial as blkid and udev's
    ``/dev/disk/by-uuid`` name it (16 upper-case hex digits, read little-endian), so that a batch recorded where udev
    names it finds it where udev does not. Two exFAT cards of one size (exfat-fuse, ``fuseblk`` too) are not read as
    NTFS boot sectors: the bytes where NTFS keeps its serial hold an exFAT card's size, which would make them one."""
    mkfs, ntfs3g, exfat = _tools("mkfs.ntfs", "ntfs-3g", "mount.exfat-fuse", "losetup")[:3]
    mkexfat = _tools("mkfs.exfat")[0]
    points = [tmp_path.resolve() / name for name in ("N", "E1", "E2")]
    for folder in (*points, tmp_path / "n", tmp_path / "e1", tmp_path / "e2"):
        folder.mkdir()
    images = [_image(tmp_path / "n", mkfs, "-Q", "-F"), _image(tmp_path / "e1", mkexfat),
              _image(tmp_path / "e2", mkexfat)]
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _IDENTITIES, "sh", *images, *points, sys.executable, ntfs3g,
                          exfat], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    serial, identities = ran.stdout.splitlines()
    ntfs, card, card2 = identities.split(" ")
    assert len(serial) == 16 and ntfs == f"uuid:{serial}", ran.stdout
    assert card == "None" or card != card2, ran.stdout
