"""A camera's card and a USB drive formatted FAT or exFAT, mounted through FUSE (``fusefat``, ``exfat-fuse``: this
kernel has no vfat or exfat module), as root in a mount namespace of its own: a database SQLite cannot keep there (:func:`blurscan.dbfile.
shared_memory_failed`). Skipped, saying why, where the tools, ``/dev/fuse`` or ``unshare`` are missing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers_images import save_jpeg, textured

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
