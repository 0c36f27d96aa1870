"""A camera's card and a USB drive formatted FAT or exFAT, mounted through FUSE (``fusefat``, ``exfat-fuse``: this
kernel has no vfat or exfat module), as root in a mount namespace of its own: the names such a drive cannot hold
(:mod:`blurscan.actions.drive_names`), a database SQLite cannot keep there (:func:`blurscan.dbfile.
shared_memory_failed`), and the drive told by its volume serial when mounted again elsewhere
(:func:`blurscan.actions.drive_ids.boot_serial`). Skipped, saying why, where the tools, ``/dev/fuse`` or ``unshare`` are missing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from blurscan.actions.drive_ids import boot_serial
from helpers_images import blurred, make_library, save_jpeg, textured
from helpers_library import sha

_SBIN = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])


def _tools(*names: str) -> list[str]:
    """The programs ``names``, found on PATH (and the sbin folders); the test skipped, saying why, where one is
    missing, where this is not root, or where there is no ``/dev/fuse``."""
    found = [shutil.which(name, path=_SBIN) for name in (*names, "unshare")]
    missing = [name for name, path in zip((*names, "unshare"), found) if path is None]
    if os.geteuid() != 0 or missing or not os.path.exists("/dev/fuse"):
        pytest.skip(f"needs root, /dev/fuse and {', '.join(names)} and unshare (missing: "
                    f"{', '.join(missing) or ('/dev/fuse' if os.geteuid() == 0 else 'root')})")
    return found[:-1]


def _image(tmp_path, mkfs: str, *args: str):
    image = tmp_path / "card.img"
    with open(image, "wb") as fh:
        fh.truncate(64 << 20)
    subprocess.run([mkfs, *args, str(image)], check=True, capture_output=True)
    return image


_EXFAT_MOVE = (  # sh -c ... sh IMAGE CARD PYTHON LIB MOUNT: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; loop=$(losetup -f --show "$1"); "$5" "$loop" "$2"; set +e; '
    '"$3" -m blurscan move "$4" --all-blurry --to "$2/rejects" --yes; echo "move: $?"; ls -A "$2/rejects"; '
    '"$3" -m blurscan undo "$4"; echo "undo: $?"; umount "$2"; losetup -d "$loop"')


@pytest.mark.slow
def test_move_to_an_exfat_card_of_a_name_it_cannot_hold_says_which_character(tmp_path):
    """``move --to CARD/rejects`` on a real exFAT drive (exfat-fuse) of photos named ``a:b.jpg`` and
    ``what?.jpg``: each fails in one line naming the photo and the character the drive cannot hold, and stays
    as it was; the other blurry photo is moved and undone. Until 2026-12-07 the line said ``cannot copy to
    CARD/rejects/a:b.jpg: no such file or directory`` (exfat-fuse's words), as if the folder were missing."""
    mkfs, mount = _tools("mkfs.exfat", "mount.exfat-fuse", "losetup")[:2]
    image, card = _image(tmp_path, mkfs), tmp_path.resolve() / "CARD"
    card.mkdir()
    lib = tmp_path.resolve() / "lib"
    for i, name in enumerate(["a:b.jpg", "what?.jpg", "plain.jpg"]):
        save_jpeg(lib / name, blurred(textured(3 + i), 4))
    subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers", "1"],
                   check=True, capture_output=True)
    before = {name: sha(lib / name) for name in ("a:b.jpg", "what?.jpg", "plain.jpg")}
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _EXFAT_MOVE, "sh", image, card, sys.executable, lib, mount],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    for name, ch in (("a:b.jpg", ":"), ("what?.jpg", "?")):
        assert (f"failed: {lib / name}: cannot copy to {card / 'rejects' / name}: its drive cannot hold '{ch}' in a "
                "file name (FAT, exFAT and NTFS drives refuse \"*:<>?\\| and control characters); rename the photo, "
                "or move it to another drive\n") in ran.stderr, ran.stderr
    assert "no such file or directory" not in ran.stderr, ran.stderr
    assert "move: 1\nplain.jpg\n" in ran.stdout and "batch 1: restored 1 file" in ran.stdout, ran.stdout
    assert "undo: 0\n" in ran.stdout, ran.stdout
    assert {name: sha(lib / name) for name in before} == before


_FUSEFAT_SCAN = (  # sh -c ... sh IMAGE CARD PYTHON FUSEFAT: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; "$4" -o rw+ "$1" "$2" >/dev/null; mkdir -p "$2/DCIM/100CANON"; '
    'cat "$5" > "$2/DCIM/100CANON/IMG_0001.JPG"; set +e; '
    '"$3" -m blurscan scan "$2" --model none --workers 1; echo "scan: $?"; ls -A "$2"; fusermount -u "$2"')


@pytest.mark.slow
def test_scan_of_a_fusefat_card_says_the_drive_cannot_size_sqlites_shm_file(tmp_path):
    """A FAT32 card mounted with ``fusefat`` (no ``ftruncate``, and no size reported: 0 blocks): a scan with its
    database on the card fails in one line saying the drive cannot size SQLite's ``-shm`` file and to keep the
    database elsewhere with ``--db``, and leaves no database there. Until 2026-12-07 it said ``disk I/O error;
    its disk is full (0 kB free)``."""
    mkfs, fusefat = _tools("mkfs.vfat", "fusefat", "fusermount")[:2]
    image, card = _image(tmp_path, mkfs, "-F", "32"), tmp_path.resolve() / "CARD"
    card.mkdir()
    photo = tmp_path / "p.jpg"
    save_jpeg(photo, textured(2))
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _FUSEFAT_SCAN, "sh", image, card, sys.executable, fusefat,
                          photo], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (f"Error: {card / '.blurscan.db'}: cannot use database: disk I/O error (its drive cannot size the "
            "shared-memory file SQLite keeps beside the database, -shm, as some FUSE and network drives cannot: keep "
            "the database on another disk with --db FILE)\n") in ran.stderr, ran.stderr
    assert "full" not in ran.stderr, ran.stderr
    assert ran.stdout.endswith("scan: 1\nDCIM\n"), ran.stdout


_FUSEFAT_ELSEWHERE = (  # sh -c ... sh IMAGE CARD PYTHON FUSEFAT DB CARD1 SOURCE: root, a mount namespace of its own
    'set -e; mount --make-rprivate /; TZ=UTC "$4" -o rw+ "$1" "$2" >/dev/null; mkdir "$2/DCIM"; '
    'for f in "$7"/*; do cat "$f" > "$2/DCIM/${f##*/}"; done; fusermount -u "$2"; '
    'TZ=UTC "$4" -o rw+ "$1" "$2" >/dev/null; set +e; '
    '"$3" -m blurscan scan "$2" --db "$5" --model none --workers 1; echo "scan: $?"; set -e; fusermount -u "$2"; '
    'TZ=Europe/Paris "$4" -o rw+ "$1" "$6" >/dev/null; set +e; '
    '"$3" -m blurscan scan "$6" --db "$5" --model none --workers 1; echo "scan: $?"; '
    '"$3" -m blurscan trash --db "$5" --all-blurry; echo "trash: $?"; fusermount -u "$6"')


@pytest.mark.slow
def test_a_fusefat_card_mounted_elsewhere_in_another_time_zone_is_not_scored_again(tmp_path):
    """A FAT32 card (fusefat), its database kept off it (``--db``), scanned in UTC, then mounted at another place
    by a FUSE daemon in the time zone of Paris (FAT keeps local time: every photo's time moved by whole hours).
    Its photos' results are reused and the old rows forgotten. Until 2026-12-07 the scan said ``... 0 errors (0
    unchanged, reused)``, every photo scored again, and ``trash --all-blurry`` skipped each old row (``not there:
    CARD is empty and not modified since the scan (a share or drive not mounted?)``)."""
    mkfs, fusefat = _tools("mkfs.vfat", "fusefat", "fusermount")[:2]
    image, card, card1 = _image(tmp_path, mkfs, "-F", "32"), tmp_path.resolve() / "CARD", tmp_path.resolve() / "CARD1"
    card.mkdir()
    card1.mkdir()
    source = tmp_path / "source"
    make_library(source, n_sharp=2, n_blurry=3)
    for path in list((source / "sub").iterdir()):
        path.rename(source / path.name)
    (source / "sub").rmdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _FUSEFAT_ELSEWHERE, "sh", image, card, sys.executable, fusefat,
                          tmp_path / "card.db", card1, source], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 sharp, 0 errors (0 unchanged, reused)" in ran.stderr, ran.stderr  # the first scan
    assert "2 sharp, 0 errors (0 unchanged and 5 moved or renamed, reused)" in ran.stderr, ran.stderr
    assert "skipped" not in ran.stderr and "not there" not in ran.stderr, ran.stderr
    assert "3 photos (3 files" in ran.stdout and "trash: 0" in ran.stdout, ran.stdout + ran.stderr


_EXFAT_STAT = 'import os, sys\nfor p in sys.argv[1:]:\n    s = os.stat(p)\n    print(oct(s.st_mode & 0o7777), s.st_uid, s.st_gid, s.st_mtime_ns)'


@pytest.mark.slow
def test_undo_from_an_exfat_card_gives_a_private_photo_its_mode_owner_and_time_back(tmp_path):
    """A family library's ``me:family 0640`` photo and its sidecar, moved by root to a real exFAT drive (exfat-fuse:
    every file there ``0777``, root's, its time to 10 ms), and undone: both come back ``0640``, ``me:family``, their
    times to the nanosecond. Until 2026-12-07 they came back ``0777`` (world-writable) and root's."""
    mkfs, mount = _tools("mkfs.exfat", "mount.exfat-fuse", "losetup")[:2]
    image, card = _image(tmp_path, mkfs), tmp_path.resolve() / "CARD"
    card.mkdir()
    lib = tmp_path.resolve() / "lib"
    photo, sidecar = lib / "p.jpg", lib / "p.xmp"
    save_jpeg(photo, blurred(textured(3), 4))
    sidecar.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    for i, path in enumerate((photo, sidecar)):
        os.chown(path, 1000, 100)  # (me:family)
        os.chmod(path, 0o640)
        os.utime(path, ns=(1_717_243_200 * 10**9, 1_717_243_200 * 10**9 + 734_123_456 + i))
    subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers", "1"],
                   check=True, capture_output=True)
    before = {path: (sha(path), "0o640", 1000, 100, os.stat(path).st_mtime_ns) for path in (photo, sidecar)}
    move = _EXFAT_MOVE.replace('ls -A "$2/rejects"', f'"$3" -c "{_EXFAT_STAT}" "$2/rejects/p.jpg"')
    ran = subprocess.run(["unshare", "-m", "sh", "-c", move, "sh", image, card, sys.executable, lib, mount],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "move: 0\n0o777 0 0 " in ran.stdout, ran.stdout  # (what the drive shows of the moved photo)
    assert "batch 1: restored 2 files" in ran.stdout and "undo: 0\n" in ran.stdout, ran.stdout + ran.stderr
    after = {path: (sha(path), oct(os.stat(path).st_mode & 0o7777), os.stat(path).st_uid, os.stat(path).st_gid,
                    os.stat(path).st_mtime_ns) for path in before}
    assert after == before


_FUSEFAT_MOVE = (  # sh -c ... sh IMAGE CARD PYTHON FUSEFAT LIB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; "$4" -o rw+ "$1" "$2" >/dev/null; set +e; '
    '"$3" -m blurscan move "$5" --all-blurry --to "$2/rejects" --yes; echo "move: $?"; ls -A "$2/rejects"; '
    '"$3" -m blurscan undo "$5"; echo "undo: $?"; ls -A "$2"; fusermount -u "$2"')


@pytest.mark.slow
def test_move_to_a_fusefat_card_is_not_refused_for_want_of_space_it_does_not_report(tmp_path):
    """``move --to CARD/rejects`` on a FAT32 card mounted with ``fusefat``, which reports no size (0 blocks, so 0
    bytes free): the blurry photos are moved there and undone, bytes unchanged. Until 2026-12-07 the move was
    refused before it began: ``CARD/rejects: not enough free space (..., 0 bytes free); nothing was moved``."""
    mkfs, fusefat = _tools("mkfs.vfat", "fusefat", "fusermount")[:2]
    image, card = _image(tmp_path, mkfs, "-F", "32"), tmp_path.resolve() / "CARD"
    card.mkdir()
    lib = tmp_path.resolve() / "lib"
    make_library(lib, n_sharp=1, n_blurry=2)
    subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers", "1"],
                   check=True, capture_output=True)
    before = {path: sha(path) for path in lib.rglob("*.jpg")}
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _FUSEFAT_MOVE, "sh", image, card, sys.executable, fusefat, lib],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "free space" not in ran.stderr, ran.stderr
    assert "move: 0\nblurry_0.png\nblurry_1.jpg\n" in ran.stdout, ran.stdout + ran.stderr
    assert "batch 1: restored 2 files" in ran.stdout and ran.stdout.endswith("undo: 0\n"), ran.stdout + ran.stderr
    assert {path: sha(path) for path in before} == before
    assert {oct(path.stat().st_mode & 0o777) for path in before} == {"0o644"}  # (the card's 0700 not kept)


_EXFAT_ELSEWHERE = (  # sh -c ... sh IMAGE CARD PYTHON LIB MOUNT CARD1: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; loop=$(losetup -f --show "$1"); "$5" "$loop" "$2"; set +e; '
    '"$3" -m blurscan move "$4" --all-blurry --to "$2/rejects" --yes; echo "move: $?"; umount "$2"; '
    '"$5" "$loop" "$6"; "$3" -m blurscan undo "$4"; echo "undo: $?"; ls -A "$6"; umount "$6"; losetup -d "$loop"')


@pytest.mark.slow
def test_undo_finds_an_exfat_card_mounted_again_at_another_place(tmp_path):
    """``move --to CARD/rejects`` on a real exFAT card (exfat-fuse, ``fuseblk``; no ``/dev/disk/by-uuid`` here), the
    card unplugged and mounted again at ``CARD1``: undo finds it there by its volume serial, read from its boot
    sector, and takes the photos back, bytes unchanged. Until 2026-12-07 it took none: ``not put back:
    CARD/rejects/blurry_0.png cannot be reached: CARD, where its drive was mounted when the batch moved it, is not
    mounted now (is the drive unplugged?)``."""
    mkfs, mount = _tools("mkfs.exfat", "mount.exfat-fuse", "losetup")[:2]
    image, card, card1 = _image(tmp_path, mkfs), tmp_path.resolve() / "CARD", tmp_path.resolve() / "CARD1"
    card.mkdir()
    card1.mkdir()
    lib = tmp_path.resolve() / "lib"
    make_library(lib, n_sharp=1, n_blurry=2)
    subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers", "1"],
                   check=True, capture_output=True)
    before = {path: sha(path) for path in lib.rglob("*.*") if path.suffix != ".db"}
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _EXFAT_ELSEWHERE, "sh", image, card, sys.executable, lib, mount,
                          card1], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "move: 0\n" in ran.stdout, ran.stdout + ran.stderr
    assert (f"the drive of batch 1 is now mounted at {card1} (not {card}); taking the photos back from there\n"
            "batch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\n") in ran.stdout, \
        ran.stdout + ran.stderr
    assert "not put back" not in ran.stderr, ran.stderr
    assert {path: sha(path) for path in before} == before


@pytest.mark.parametrize("bits", ["12", "16", "32"])
def test_a_fat_boot_sector_gives_its_volume_id_as_blkid_names_it(tmp_path, bits):
    """A FAT12, FAT16 and FAT32 image (mkfs.vfat): the volume serial read from its boot sector is blkid's UUID
    (``1A2B-3C4D``), told FAT32 or not by the BPB: the same with the informative type label at 0x36 / 0x52 made to
    say the other type; none where the boot sector is not read as a FAT drive's (an exFAT or NTFS type mounted)."""
    mkfs, blkid = (shutil.which(name, path=_SBIN) for name in ("mkfs.vfat", "blkid"))
    if mkfs is None or blkid is None:
        pytest.skip("needs mkfs.vfat and blkid")
    image = _image(tmp_path, mkfs, "-F", bits)
    told = subprocess.run([blkid, "-p", "-s", "UUID", "-o", "value", str(image)], capture_output=True, text=True,
                          check=True).stdout.strip()
    boot = image.read_bytes()[:512]
    assert len(told) == 9 and boot_serial(boot) == told
    label = (0x52, b"FAT16   ") if bits == "32" else (0x36, b"FAT32   ")
    assert boot_serial(boot[:label[0]] + label[1] + boot[label[0] + 8:]) == told
    assert boot_serial(boot, fat=False) is None
