"""Undo of photos taken from a drive mounted inside the library (``~/Pictures/phone`` a mount point), the drive not
mounted now: the mount point is left, empty, not modified since the batch (:func:`blurscan.actions.drives.unplugged`
given the batch's time). Undo does not make the photos' folder again in it, on the system disk, where they would be
hidden once the drive is mounted again: the row fails, said so, and the next undo, the drive back, puts them back.
A folder deleted or emptied by hand since the move is made again, as before. One that is no drive's (dated behind
the batch by a share's server, a clock set back, ``rsync --times``) is put back into once the command the refusal
names is run."""
from __future__ import annotations

import contextlib
import datetime
import math
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import sha
from helpers_os import skip_unless_in_a_mount_namespace


def _photos(folder):
    """``s.jpg`` (sharp), ``2024/b1.jpg`` and ``2024/b2.jpg`` (blurry) in ``folder``."""
    save_jpeg(folder / "2024" / "s.jpg", textured(2))
    save_jpeg(folder / "2024" / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(folder / "2024" / "b2.jpg", blurred(textured(4), 4))


def _with_a_phone_folder(tmp_path):
    """``lib/home.jpg``, an empty ``lib/phone`` (for a drive's mount point) and the phone's photos in ``photos``
    (:func:`_photos`), to copy onto the drive once mounted: ``(lib, photos, rej, phone)`` (``rej`` not made)."""
    lib, photos, rej = tmp_path / "lib", tmp_path / "photos", tmp_path / "rej"
    save_jpeg(lib / "home.jpg", textured(1))
    _photos(photos)
    (lib / "phone").mkdir()
    return lib, photos, rej, lib / "phone"


def _moved(tmp_path):
    """``lib/home.jpg`` and ``lib/phone/2024`` scanned with ``scan lib``, its blurry photos moved with ``move
    --all-blurry --to rej --yes lib``: ``(lib, phone, rej, their SHA-256 by name)``."""
    lib, rej = tmp_path.resolve() / "lib", tmp_path.resolve() / "rej"
    phone = lib / "phone"
    save_jpeg(lib / "home.jpg", textured(1))
    _photos(phone)
    blurry = {name: sha(phone / "2024" / name) for name in ("b1.jpg", "b2.jpg")}
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    res = run("move", "--all-blurry", "--to", rej, "--yes", lib)
    assert res.exit_code == 0 and "moved 2 photos" in res.stdout, res.output
    return lib, phone, rej, blurry


def _dated(lib, folder) -> str:
    """How the refusal ends: the command dating ``folder`` to the batch's time (read from ``lib``'s database)."""
    with contextlib.closing(sqlite3.connect(lib / ".blurscan.db")) as conn:
        (began,), = conn.execute("SELECT created_at FROM batches").fetchall()
    moment = datetime.datetime.fromtimestamp(math.ceil(began), datetime.timezone.utc)
    return (f" (not a drive? `touch -d {moment:%Y-%m-%dT%H:%M:%SZ} {shlex.quote(str(folder))}`, the batch's time, "
            "tells undo it is not)")


def _unmounted(phone, away):
    """The drive at ``phone`` unmounted (moved to ``away``): its mount point left, empty, as old as it was."""
    shutil.move(phone, away)
    phone.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(phone, (an_hour_ago, an_hour_ago))


def test_undo_into_a_drive_mounted_inside_the_library_not_mounted_fails_to_be_retried(tmp_path):
    """Until 2026-12-07 undo made ``phone/2024`` again in the empty mount point and put the photos there (exit 0,
    "was no longer there ... undo made it again"): hidden under the phone once mounted, whose ``2024`` lacked them."""
    lib, phone, rej, blurry = _moved(tmp_path)
    _unmounted(phone, tmp_path / "away")
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    for name in ("b1.jpg", "b2.jpg"):
        assert (f"failed: {phone / '2024' / name}: not put back: {phone / '2024'} is not there, and {phone} is empty "
                "and not modified since the batch; it looks like a drive not mounted: mount it and run undo "
                f"again{_dated(lib, phone)}\n") in res.stderr, res.stderr
    assert "made it again" not in res.output
    assert os.listdir(phone) == []
    assert sorted(os.listdir(rej / "phone" / "2024")) == ["b1.jpg", "b2.jpg"]
    phone.rmdir()
    shutil.move(tmp_path / "away", phone)  # mounted again: the next undo puts them back, in the phone's 2024
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output
    assert {name: sha(phone / "2024" / name) for name in blurry} == blurry
    assert sorted(os.listdir(phone / "2024")) == ["b1.jpg", "b2.jpg", "s.jpg"]
    assert not rej.exists()



def test_undo_of_a_tag_batch_whose_sidecars_are_on_a_drive_not_mounted_fails_to_be_retried(tmp_path):
    """``tag --xmp`` wrote ``phone/2024/b1.jpg.xmp`` on a drive mounted inside the library, undone while it is not
    mounted: the sidecar fails to be retried, naming the drive, and the next undo, the drive back, removes it. Until
    2026-12-07 undo said it was ``no longer there (moved or deleted since `blurscan tag` wrote it)``, left it and
    marked the batch undone: once the drive was back the sidecar kept tag's label, and a plain undo said ``Nothing to
    undo``."""
    lib, phone = tmp_path.resolve() / "lib", tmp_path.resolve() / "lib" / "phone"
    save_jpeg(lib / "home.jpg", textured(1))
    _photos(phone)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    res = run("tag", "--xmp", "--all-blurry", lib)
    assert res.exit_code == 0 and "tagged 2 photos" in res.stdout, res.output
    tagged = sorted(os.listdir(phone / "2024"))
    assert tagged == ["b1.jpg", "b1.jpg.xmp", "b2.jpg", "b2.jpg.xmp", "s.jpg"]
    _unmounted(phone, tmp_path / "away")
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    for name in ("b1.jpg.xmp", "b2.jpg.xmp"):
        assert (f"failed: {phone / '2024' / name}: not put back: {phone / '2024'} is not there, and {phone} is empty "
                "and not modified since the batch; it looks like a drive not mounted: mount it and run undo "
                f"again{_dated(lib, phone)}\n") in res.stderr, res.stderr
    assert os.listdir(phone) == []
    phone.rmdir()
    shutil.move(tmp_path / "away", phone)  # mounted again: the next undo removes the sidecars tag made
    assert sorted(os.listdir(phone / "2024")) == tagged
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: removed 2 sidecars"), res.output
    assert sorted(os.listdir(phone / "2024")) == ["b1.jpg", "b2.jpg", "s.jpg"]

def test_a_folder_deleted_or_emptied_by_hand_since_the_move_is_made_again(tmp_path):
    """``phone/2024`` deleted by hand (``phone`` modified since the batch), or ``phone`` emptied by hand: the folder
    is made again and the photos put back, with the note, as before."""
    for case in ("deleted", "emptied"):
        lib, phone, rej, blurry = _moved(tmp_path / case)
        shutil.rmtree(phone / "2024") if case == "deleted" else shutil.move(phone / "2024", tmp_path / case / "x")
        assert os.listdir(phone) == []
        res = run("undo", lib)
        assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output
        assert f"note: {phone / '2024'} was no longer there" in res.stderr, res.stderr
        assert {name: sha(phone / "2024" / name) for name in blurry} == blurry


_UNDONE = ('mount -t tmpfs none "$1" && cp -r "$2"/. "$1"/ && "$3" -m blurscan scan "$4" --model none --workers 1 && '
           '"$3" -m blurscan move --all-blurry --to "$5" --yes "$4" && umount "$1" && exec "$3" -m blurscan undo "$4"')


@pytest.mark.slow
def test_undo_into_a_real_mount_point_inside_the_library_not_mounted_fails(tmp_path):
    """The same with a real mount (a tmpfs in a mount namespace of its own, ``unshare -rm``) at ``lib/phone``:
    scanned and moved while the drive is mounted, undone once it is unmounted."""
    tmp_path = tmp_path.resolve()
    lib, photos, rej, phone = _with_a_phone_folder(tmp_path)
    an_hour_ago = time.time() - 3600
    os.utime(phone, (an_hour_ago, an_hour_ago))  # (a mount point made long before)
    skip_unless_in_a_mount_namespace('mount -t tmpfs none "$1" && umount "$1"', phone,
                                     reason="no tmpfs mount in a mount namespace here (unshare -rm)")
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _UNDONE, "sh", phone, photos, sys.executable, lib, rej],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 1, ran.stderr
    assert (f"not put back: {phone / '2024'} is not there, and {phone} is empty and not modified since the batch; "
            "it looks like a drive not mounted") in ran.stderr, ran.stderr
    assert os.listdir(phone) == []
    assert sorted(os.listdir(rej / "phone" / "2024")) == ["b1.jpg", "b2.jpg"]


def test_a_photo_taken_from_the_drives_top_is_not_put_back_into_its_empty_mount_point(tmp_path):
    """``lib/phone/b1.jpg`` moved (nothing missing: the mount point ``phone`` is there, empty): until 2026-12-07 undo
    put it back into the empty mount point (exit 0). Emptied by hand since the move (modified), it is put back."""
    lib, rej = tmp_path.resolve() / "lib", tmp_path.resolve() / "rej"
    phone = lib / "phone"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(phone / "s.jpg", textured(2))
    save_jpeg(phone / "b1.jpg", blurred(textured(3), 4))
    before = sha(phone / "b1.jpg")
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    _unmounted(phone, tmp_path / "away")
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    assert (f"failed: {phone / 'b1.jpg'}: not put back: {phone} is empty and not modified since the batch; it looks "
            f"like a drive not mounted: mount it and run undo again{_dated(lib, phone)}\n") in res.stderr, res.stderr
    assert os.listdir(phone) == [] and os.listdir(rej / "phone") == ["b1.jpg"]
    os.utime(phone)  # emptied by hand since the move: an ordinary folder, put back into
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 1 file"), res.output
    assert os.listdir(phone) == ["b1.jpg"] and sha(phone / "b1.jpg") == before


def test_a_photo_taken_through_a_followed_link_to_the_drives_top_names_where_the_link_leads(tmp_path):
    """``lib/card -> usb``, a drive's mount point, scanned with ``--follow-symlinks``; ``lib/card/b1.jpg`` moved, the
    drive not mounted now: the row fails naming the empty mount point the link leads to, as the folder undo would
    put the photo in."""
    base = tmp_path.resolve()
    lib, usb, rej = base / "lib", base / "usb", base / "rej"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(usb / "s.jpg", textured(2))
    save_jpeg(usb / "b1.jpg", blurred(textured(3), 4))
    os.symlink(usb, lib / "card")
    assert run("scan", lib, "--follow-symlinks", "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    _unmounted(usb, base / "away")
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    assert (f"failed: {lib / 'card' / 'b1.jpg'}: not put back: {usb} (where {lib / 'card'} leads) is empty and not "
            f"modified since the batch; it looks like a drive not mounted: mount it and run undo again{_dated(lib, usb)}"
            "\n") in res.stderr, res.stderr
    assert os.listdir(usb) == []


_REMOUNTED = ('mount -t tmpfs none "$1" && cp -r "$2"/. "$1"/ && "$3" -m blurscan scan "$4" --model none --workers 1 && '
              '"$3" -m blurscan move --all-blurry --to "$5" --yes "$4" && umount "$1" && mount -t tmpfs none "$1" && '
              'touch -d "1 hour ago" "$1" && exec "$3" -m blurscan undo "$4"')


@pytest.mark.slow
def test_undo_into_an_empty_drive_mounted_at_the_mount_point_puts_the_photos_on_it(tmp_path):
    """Another drive mounted at ``lib/phone`` (a tmpfs in a mount namespace of its own), empty, last modified before
    the batch: a drive mounted, not the system disk, so undo makes ``phone/2024`` on it and puts the photos there, as
    into any folder; only an empty mount point with nothing mounted on it is refused."""
    tmp_path = tmp_path.resolve()
    lib, photos, rej, phone = _with_a_phone_folder(tmp_path)
    skip_unless_in_a_mount_namespace('mount -t tmpfs none "$1" && umount "$1"', phone,
                                     reason="no tmpfs mount in a mount namespace here (unshare -rm)")
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _REMOUNTED, "sh", phone, photos, sys.executable, lib, rej],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and "\nbatch 1: restored 2 files" in ran.stdout, ran.stdout[-500:] + ran.stderr
    assert "not put back" not in ran.stderr, ran.stderr


@pytest.mark.parametrize("case", ["folder dated behind", "clock set back", "drive's top emptied"])
def test_a_folder_that_is_no_drives_is_put_back_into_once_the_command_the_refusal_names_is_run(tmp_path, case):
    """An empty folder older than the batch that is no drive's mount point: ``2024`` dated an hour behind (a share
    whose server's clock runs behind, or emptied by ``rsync --times``), or the batch begun by a clock an hour ahead,
    set back since (the folder modified by the move, an hour before the batch's time: a plain ``touch`` would not
    do), or ``phone`` emptied with its time kept. Until 2026-12-07 every undo refused it the same way, saying no way
    out; the command the refusal names, run as printed, has undo put the photos back."""
    lib, rej = tmp_path.resolve() / "my $lib", tmp_path.resolve() / "rej"
    folder = lib / "phone" if case == "drive's top emptied" else lib / "2024"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(lib / "phone" / "2024" / "s.jpg", textured(2))
    save_jpeg(lib / "2024" / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "phone" / "2024" / "b2.jpg", blurred(textured(4), 4))
    moved = [lib / "2024" / "b1.jpg"] if case != "drive's top emptied" else [lib / "phone" / "2024" / "b2.jpg"]
    before = {path: sha(path) for path in moved}
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    an_hour_ago = time.time() - 3600
    if case == "clock set back":
        with contextlib.closing(sqlite3.connect(lib / ".blurscan.db")) as conn, conn:
            conn.execute("UPDATE batches SET created_at = created_at + 3600")
    else:
        if case == "drive's top emptied":
            shutil.rmtree(lib / "phone" / "2024")
        os.utime(folder, (an_hour_ago, an_hour_ago))
    assert os.listdir(folder) == []
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    said = re.findall(r"^failed: .*: not put back: .* is empty and not modified since the batch; it looks like a drive "
                      r"not mounted: mount it and run undo again \(not a drive\? `([^`]+)`, the batch's time, tells "
                      r"undo it is not\)$", res.stderr, re.M)
    assert len(said) == len(moved), res.stderr
    ran = subprocess.run(["sh", "-c", said[0]], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 1 file"), res.output
    assert {path: sha(path) for path in moved} == before
