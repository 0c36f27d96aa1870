"""Undo of a move whose ``--to`` drive, a real ext4 file system, is plugged in again and mounted at another place
(``DISK`` taken, so ``DISK1``), found there by its file system's identity (:mod:`blurscan.actions.drive_ids`), and
never taken for another file system mounted where it was. (Split from ``test_undo_to_unmounted.py``, whose
``_library`` it shares.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from helpers_cli import child_program
from helpers_images import blurred, save_jpeg, textured
from helpers_library import sha
from test_undo_to_unmounted import _library


_REMOUNTED = (  # sh -c ... sh IMAGE OTHER DISK DISK1 PYTHON LIB COPY: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; '
    '"$5" -m blurscan move "$6" --all-blurry --to "$3/rejects" --yes; cp -a "$3/rejects" "$7"; umount "$3"; '
    'mount -o loop "$2" "$3"; cp -a "$7" "$3/rejects"; set +e; '
    '"$5" -m blurscan undo "$6"; echo "undo: $?"; "$5" -m blurscan undo --list "$6"; umount "$3"; set -e; '
    'mount -o loop "$1" "$4"; '
    '"$5" -m blurscan undo --list "$6"; "$5" -m blurscan report "$6"; "$5" -m blurscan undo "$6"; echo "undo: $?"; '
    'ls -A "$4"')


def _drives(tmp_path, *names):
    """An empty ext4 file system in each file of ``names`` under ``tmp_path``, and the folders ``media/DISK`` and
    ``media/DISK1``: ``(images, DISK, DISK1)``; the test skipped where loop devices cannot be mounted in a mount
    namespace of its own (not root, no mkfs.ext4 or unshare, a container that refuses it)."""
    mkfs = shutil.which("mkfs.ext4", path=os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"]))
    if os.geteuid() != 0 or mkfs is None or shutil.which("unshare") is None:
        pytest.skip("needs root, mkfs.ext4 and unshare")
    images = [tmp_path / name for name in names]
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
    return images, disk, disk1


@pytest.mark.slow
def test_undo_with_a_real_to_drive_mounted_again_at_another_place(tmp_path):
    """``move --to DISK/rejects`` on a real ext4 drive (a loop device, in a mount namespace of its own), unplugged;
    another ext4 file system mounted at ``DISK``, holding copies of the moved files at their paths: undo takes none of
    them (its drive is not there), and ``undo --list`` says them waiting for the drive at ``DISK``; then the drive
    mounted at ``DISK1`` (``DISK`` taken, as a desktop does): ``undo --list`` no longer says them waiting, report says
    undo puts them back, and undo takes them back from there, saying so. Until 2026-12-07 (later that day) undo
    refused until the drive was mounted at ``DISK`` again, and took the other file system's copies there."""
    lib, blurry = _library(tmp_path)
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _REMOUNTED, "sh", *images, disk, disk1, sys.executable, lib,
                          tmp_path / "copy"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    refusal = (f"failed: {lib / 'b1.jpg'}: not put back: {disk / 'rejects' / 'b1.jpg'} cannot be reached: {disk}, "
               "where its drive was mounted when the batch moved it, holds another file system now (is the drive "
               "unplugged?); mount the drive there and run undo again")
    assert refusal in ran.stderr, ran.stderr
    assert "undo: 1\n" in ran.stdout and ran.stdout.count("undo: 0\n") == 1, ran.stdout
    assert " partial: 2 moved, 0 failed, 0 undone, 2 to retry (the last undo could not put them back; `" in ran.stdout, \
        ran.stdout  # (undo --list with the drive at DISK1: within reach, not waited for)
    assert f", 2 to retry (on the drive at {disk}, not mounted now: mount it there and `" in ran.stdout, ran.stdout
    assert (f"note: 2 photos moved or trashed by blurscan are not listed (`{child_program()} undo "
            f"{lib}` puts them back)") in ran.stderr, ran.stderr
    assert (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos back from there\n"
            "batch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\nlost+found\n"
            ) in ran.stdout, ran.stdout
    assert {name: sha(lib / name) for name in blurry} == blurry


_TRASHED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --db "$6" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan trash --db "$6" --all-blurry --yes >/dev/null; umount "$2"; mount -o loop "$1" "$3"; set +e; '
    'echo "== undo"; "$4" -m blurscan undo --db "$6"; echo "undo: $?"; echo "== report"; '
    '"$4" -m blurscan report --db "$6" >/dev/null; echo "== list"; "$4" -m blurscan undo --list --db "$6"; '
    'echo "== note"; "$4" -c "import sys; from blurscan.store import Store; from blurscan.review.moved_note import '
    'moved; print(moved(Store(sys.argv[1]), sys.argv[2], sys.argv[1], \'discard\')[\'note\'])" '
    '"$6" "$2/lib/b1.jpg"; echo "== close"; "$4" -m blurscan undo --close --batch 1 --db "$6"; '
    'ls -A "$3/.Trash-0/files"')


@pytest.mark.slow
def test_a_trash_batch_whose_drive_is_mounted_again_at_another_place_is_said_so_everywhere(tmp_path):
    """A library on a real ext4 drive (a loop device, in a mount namespace of its own), its database kept off the
    drive (``--db``), its blurry photos trashed (into the drive's ``.Trash-0``), the drive then mounted at ``DISK1``
    (``DISK`` taken): undo puts none back (the photos' own folders are at ``DISK``, and the database, not carried
    with the drive, still names them there), and its summary, ``report``, ``undo --list``, the review page's note and
    ``undo --close`` each say, as undo's line for each file does, that the drive is mounted at ``DISK1``, not at
    ``DISK`` where the batch recorded it, to be mounted there again. Until 2026-12-07 (later that day) each said the
    drive "not mounted now". (A database on the drive, carried with it, is undone at ``DISK1``: below.)"""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TRASHED, "sh", images[0], disk, disk1, sys.executable,
                          photos, db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    said = (f"on the drive mounted at {disk1} now, not at {disk} where the batch recorded it: mount it at {disk} "
            "again")
    undo = f"{child_program()} undo --batch 1 --db {db}"
    out = ran.stdout
    assert (f"cannot be reached: {disk}, where its drive was mounted when the batch moved it, is not where it is "
            f"mounted now ({disk1}): mount it at {disk} again and run undo again") in ran.stderr, ran.stderr
    assert (f"batch 1: 2 files are {said} and run undo again; if it cannot be mounted there, "
            f"`{child_program()} undo --close --batch 1 --db {db}` closes the batch") in out, out
    assert "undo: 1\n" in out, out
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: they are {said} and "
            f"`{child_program()} undo --db {db}` puts them back\n") in ran.stderr, ran.stderr
    assert f"2 to retry ({said} and `{undo}` puts them back)" in out, out
    assert (f"(batch 1, to the trash), {said} and run `{undo.replace(child_program(), 'blurscan')}` to bring it "
            "back\n") in out, out
    assert (f"batch 1: 2 files stay in the trash at {disk1 / '.Trash-0' / 'files'}, {said}; nothing on disk was "
            f"changed.\nbatch 1 is closed: no other batch is left for a plain `blurscan undo`; `{undo}` looks for the "
            "missing files again.\nb1.jpg\nb2.jpg\n") in out, out
    assert "not mounted now" not in out + ran.stderr, out + ran.stderr


_CARRIED = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK DISK1 OTHER PYTHON PHOTOS FORGET: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$5"; cp -a "$7" "$3/lib"; '
    'cp -a "$7" "$3/tlib"; for lib in lib tlib; do "$6" -m blurscan scan "$3/$lib" --model none --workers 1 '
    '>/dev/null 2>&1; done; "$6" -m blurscan move "$3/lib" --all-blurry --to "$5/rejects" --yes >/dev/null; '
    '"$6" -m blurscan trash "$3/tlib" --all-blurry --yes >/dev/null; "$6" -c "$8" "$3/tlib/.blurscan.db"; '
    'umount "$3"; mount -o loop "$1" "$4"; set +e; '
    'for lib in lib tlib; do echo "== report $lib"; "$6" -m blurscan report "$4/$lib" 2>&1 >/dev/null; done; '
    'echo "== note"; "$6" -c "import sys; from blurscan.store import Store; from blurscan.review.moved_note import '
    'moved; print(moved(Store(sys.argv[1]), sys.argv[2], sys.argv[1], \'discard\')[\'note\'])" '
    '"$4/tlib/.blurscan.db" "$3/tlib/b1.jpg"; '
    'echo "== close"; "$6" -m blurscan undo --close --batch 1 "$4/tlib" 2>&1; echo "close: $?"; '
    'for lib in lib tlib; do echo "== undo $lib"; "$6" -m blurscan undo "$4/$lib" 2>&1; echo "undo: $?"; done; '
    'cd "$4" && sha256sum lib/b1.jpg lib/b2.jpg tlib/b1.jpg tlib/b2.jpg; ls -A "$4/.Trash-0/files"')


@pytest.mark.slow
def test_a_library_carried_with_its_drive_to_another_place_is_undone_there(tmp_path):
    """A library on a real ext4 drive (a loop device, in a mount namespace of its own), its blurry photos moved to
    another drive (``lib``) or trashed into the drive's own trash (``tlib``), the drive then mounted at ``DISK1``
    (``DISK`` taken), its databases opened there: ``report`` says that undo at ``DISK1`` puts them back and that a
    scan of the library there finds the photos recorded under ``DISK``, the review page's note names that undo too,
    ``undo --close`` refuses (the trashed files within reach), and undo puts every photo back into the library at
    ``DISK1``, byte for byte. (``lib``'s batch recorded its library's drive; ``tlib``'s, as one from before that
    record, is told by its trash's drive.) Until 2026-12-07 (later that day) undo said the library's folder not
    there (``… it looks like a drive not mounted: mount it and run undo again``) while ``report`` said `blurscan
    undo DISK1/lib` put the moved ones back, and of the trashed ones that they wait for the drive at ``DISK``,
    ``undo --close`` closing their batch."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    old = time.time() - 3600  # (the empty mount point, as a desktop made it long before the scan: report tells it)
    os.utime(disk, (old, old))
    forget = ("import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "  # (tlib's batch as one from before: told
              "db.execute(\"DELETE FROM meta WHERE key LIKE 'batch_library_drive%'\"); db.commit()")  # by its trash)
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _CARRIED, "sh", *images, disk, disk1, other, sys.executable,
                          photos, forget], capture_output=True, text=True, timeout=180)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, program = ran.stdout, child_program()
    for lib in ("lib", "tlib"):
        report = out.split(f"== report {lib}\n")[1].split("== ")[0]
        assert (f"note: 2 photos moved or trashed by blurscan are not listed (`{program} undo {disk1 / lib}` puts "
                "them back)\n") in report, out
        assert (f"note: 1 stored photo under {disk} is not listed: it is empty and not modified since the scan, and "
                f"this database is on a drive mounted at {disk1} (that drive mounted at another place?): "
                f"`{program} scan {disk1 / lib}` finds it there, scores and keeps or discards kept\n") in report, out
        assert (f"== undo {lib}\nthe library's drive is now mounted at {disk1} (not {disk}, where batch 1 took the "
                f"photos from); putting them back there\nbatch 1: restored 2 files") in out, out
    assert (f"Error: batch 1: 2 files it moved are within reach at {disk1 / '.Trash-0' / 'files'} (no drive there is "
            f"unmounted): `{program} undo --batch 1 {disk1 / 'tlib'}` puts them back") in out, out
    assert ("== note\nb1.jpg: the discard is undone, but `blurscan trash` already trashed the photo (batch 1, to the "
            f"trash): run `blurscan undo --batch 1 {disk1 / 'tlib'}` to bring it back\n") in out, out
    assert "close: 1\n" in out and out.count("undo: 0\n") == 2, out
    assert "not mounted" not in out and "mount it" not in out, out
    shas = {f"{lib}/{name}": sha(photos / name) for lib in ("lib", "tlib") for name in ("b1.jpg", "b2.jpg")}
    assert "".join(f"{digest}  {name}\n" for name, digest in shas.items()) in out, out


_STACKED = (  # sh -c ... sh IMAGE DISK DISK1 SUB PYTHON LIB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; dev=$(losetup -f --show "$1"); mount -t tmpfs taken "$2"; mount "$dev" "$2"; '
    'mkdir "$2/sub"; mount --bind "$2/sub" "$4"; '
    '"$5" -m blurscan move "$6" --all-blurry --to "$2/rejects" --yes; umount "$2"; mount "$dev" "$3"; '
    '"$5" -m blurscan undo "$6"; mount --bind "$3" "$2"; '
    '"$5" -m blurscan move "$6" --all-blurry --to "$2/again" --yes; "$5" -m blurscan undo "$6"; ls -A "$3"')


@pytest.mark.slow
def test_undo_finds_the_drive_mounted_whole_and_prefers_where_it_was(tmp_path):
    """The ``--to``'s drive (a real ext4 file system) mounted over another file system at ``DISK`` (a folder of it
    bind-mounted at ``SUB`` too), unmounted there and mounted at ``DISK1``: undo takes the photos back from
    ``DISK1``, not from ``SUB``, which holds only a folder of that drive. Then the drive mounted at both ``DISK1`` and
    ``DISK``: the next batch's undo takes them from ``DISK``, where that batch put them, without a word of
    ``DISK1``."""
    if shutil.which("losetup") is None:
        pytest.skip("needs losetup")
    lib, blurry = _library(tmp_path)
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    sub = disk.parent / "SUB"
    sub.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _STACKED, "sh", image, disk, disk1, sub, sys.executable, lib],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos back from there\n"
            "batch 1: restored 2 files, removed 1 empty folder the move had created.\n") in ran.stdout, ran.stdout
    assert ran.stdout.count("now mounted at") == 1, ran.stdout
    assert ran.stdout.endswith("batch 2: restored 2 files, removed 1 empty folder the move had created.\n"
                               "lost+found\nsub\n"), ran.stdout
    assert {name: sha(lib / name) for name in blurry} == blurry


_TRASH_REMOUNTED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON DB PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; mkdir "$2/lib"; cp "$6"/*.jpg "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --db "$5" --model none --workers 1 >/dev/null; '
    '"$4" -m blurscan trash --all-blurry --yes --db "$5" "$2/lib"; umount "$2"; mount -o loop "$1" "$3"; set +e; '
    '"$4" -m blurscan report --db "$5" >/dev/null; '
    '"$4" -m blurscan undo --db "$5"; echo "undo: $?"; "$4" -m blurscan undo --list --db "$5"; set -e; umount "$3"; '
    'mount -o loop "$1" "$2"; '
    '"$4" -m blurscan undo --db "$5"; echo "undo: $?"; cd "$2/lib"; exec sha256sum b1.jpg b2.jpg')


@pytest.mark.slow
def test_undo_of_a_trash_batch_waits_for_its_drive_mounted_again_where_it_was(tmp_path):
    """Photos of a real ext4 drive trashed into its ``.Trash-0`` (the database kept off the drive), the drive then
    mounted at ``DISK1``: report and ``undo --list`` say them on the drive mounted at ``DISK1``, to be mounted at
    ``DISK`` again, and undo puts nothing back (the photos' own folders are on that drive too, and go back only where
    they were), saying where the drive is and where to mount it; mounted at ``DISK`` again, undo puts them back."""
    photos, blurry = _library(tmp_path)
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TRASH_REMOUNTED, "sh", image, disk, disk1, sys.executable,
                          tmp_path / "lib.db", photos], capture_output=True, text=True, timeout=120, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lib = disk / "lib"
    refusal = (f"failed: {lib / 'b1.jpg'}: not put back: {disk / '.Trash-0' / 'files' / 'b1.jpg'} cannot be reached: "
               f"{disk}, where its drive was mounted when the batch moved it, is not where it is mounted now ({disk1}): "
               f"mount it at {disk} again and run undo again")
    assert refusal in ran.stderr, ran.stderr
    said = (f"on the drive mounted at {disk1} now, not at {disk} where the batch recorded it: mount it at {disk} "
            "again and `")  # (report and undo --list: not within reach at DISK1, as undo's line for each file says)
    assert f"note: 2 photos moved or trashed by blurscan are not listed: they are {said}" in ran.stderr, ran.stderr
    assert f", 2 to retry ({said}" in ran.stdout, ran.stdout
    assert "undo: 1\n" in ran.stdout and "batch 1: restored 2 files.\nundo: 0\n" in ran.stdout, ran.stdout
    assert ran.stdout.endswith(f"{blurry['b1.jpg']}  b1.jpg\n{blurry['b2.jpg']}  b2.jpg\n"), ran.stdout


_ROOT_REMOUNTED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON LIB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; '
    '"$4" -m blurscan move "$5" --all-blurry --to "$2" --yes >/dev/null; umount "$2"; mount -o loop "$1" "$3"; '
    'set +e; "$4" -m blurscan undo --close --batch 1 "$5"; echo "close: $?"; set -e; "$4" -m blurscan undo "$5"')


def test_a_move_to_the_drive_itself_mounted_again_elsewhere_is_within_reach_there(tmp_path):
    """``move --to DISK``, the drive's own top folder, then the drive mounted at ``DISK1``: ``undo --close`` refuses,
    the files within reach at ``DISK1`` (named as it is), and undo takes them back from there."""
    lib, blurry = _library(tmp_path)
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _ROOT_REMOUNTED, "sh", image, disk, disk1, sys.executable, lib],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Error: batch 1: 2 files it moved are within reach at {disk1} (no drive there is unmounted): " in \
        ran.stderr, ran.stderr
    assert ran.stdout == (f"close: 1\nthe drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos "
                          "back from there\nbatch 1: restored 2 files.\n"), ran.stdout
    assert {name: sha(lib / name) for name in blurry} == blurry


_CARRIED_RETRY = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan trash "$2/lib" --all-blurry --yes >/dev/null; umount "$2"; mount -o loop "$1" "$3"; '
    'cp "$3/lib/s.jpg" "$3/lib/b1.jpg"; set +e; "$4" -m blurscan undo "$3/lib" >/dev/null 2>&1; echo "undo: $?"; '
    'echo "== list"; "$4" -m blurscan undo --list "$3/lib"; rm "$3/lib/b1.jpg"; echo "== undo"; '
    '"$4" -m blurscan undo "$3/lib" 2>&1; echo "undo: $?"')


@pytest.mark.slow
def test_undo_list_of_a_library_carried_with_its_drive_says_its_undo_there_retries(tmp_path):
    """A library on a real ext4 drive, its database on it, its blurry photos trashed into the drive's trash; the drive
    mounted at ``DISK1`` (``DISK`` taken) and another file put at one photo's place there, so that undo puts back one
    photo of two: ``undo --list`` says the last undo could not put the other back and that undo tries again (it does,
    at ``DISK1``, once that file is gone), as ``report`` says. Until 2026-12-07 (later that day) it said the photo on
    the drive mounted at ``DISK1``, to be mounted at ``DISK`` again, with an undo naming the database at ``DISK``."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _CARRIED_RETRY, "sh", images[0], disk, disk1, sys.executable,
                          photos], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout
    listed = out.split("== list\n")[1].split("== undo\n")[0]
    assert (" partial: 1 moved, 0 failed, 1 undone, 1 to retry (the last undo could not put it back; "
            f"`{child_program()} undo --batch 1 {disk1 / 'lib'}` tries again) of 2 files") in listed, out
    assert "mount it" not in listed and str(disk / "lib") not in listed, out
    assert "batch 1: restored 1 file.\nundo: 0\n" in out.split("== undo\n")[1], out


_TWINS = (  # sh -c ... sh IMAGE COPY DISK DISK1 DISK2 PYTHON LIB DISK3: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; '
    '"$6" -m blurscan move "$7" --all-blurry --to "$3/rejects" --yes >/dev/null; umount "$3"; cp "$1" "$2"; '
    'mount -o loop "$2" "$5"; mount -o loop "$1" "$4"; mount --bind "$4" "$8"; set +e; '  # (the copy first)
    'echo "== undo"; "$6" -m blurscan undo "$7"; echo "undo: $?"; echo "== list"; "$6" -m blurscan undo --list "$7"; '
    'echo "== report"; "$6" -m blurscan report "$7" >/dev/null; echo "== note"; "$6" -c "import sys; '
    'from blurscan.store import Store; from blurscan.review.moved_note import moved; '
    'm = moved(Store(sys.argv[1]), sys.argv[2], sys.argv[1], \'discard\'); print(m[\'note\'], m[\'moved\'][\'twins\'])" '
    '"$7/.blurscan.db" "$7/b1.jpg"; '
    'umount "$5"; mount --bind "$4" "$5"; echo "== bound"; "$6" -m blurscan undo "$7"; echo "undo: $?"; '
    'ls -A "$4"')


@pytest.mark.slow
def test_undo_takes_nothing_from_two_drives_of_one_identity_mounted_elsewhere(tmp_path):
    """``move --to DISK/rejects`` on a real ext4 drive, unplugged, then a copy of its image (``cp``, as ``dd`` makes
    one: the same UUID, so the same ``f_fsid``) mounted at ``DISK2`` and the drive at ``DISK1``, neither at ``DISK``:
    which is the drive cannot be told, so undo takes no file from either, naming both, to unmount the copy or mount
    the drive at ``DISK``, each by the first place it is mounted at (the drive bound at ``DISK3`` too: ``DISK1``
    named); ``undo --list``, ``report`` and the review page's note say the same (not "not mounted");
    then the copy unmounted and the drive bound at ``DISK2`` too (one device at two places: no twins), undo takes
    the files back from ``DISK1``. Until 2026-12-07 undo took them from the copy, the first in the mount table."""
    lib, blurry = _library(tmp_path)
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    disk2, disk3 = disk.parent / "DISK2", disk.parent / "DISK3"
    disk2.mkdir()
    disk3.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TWINS, "sh", image, tmp_path / "copy.img", disk, disk1,
                          disk2, sys.executable, lib, disk3], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, err = ran.stdout, ran.stderr
    assert (f"failed: {lib / 'b1.jpg'}: not put back: {disk / 'rejects' / 'b1.jpg'} cannot be reached: {disk}, "
            f"where its drive was mounted when the batch moved it, is not where it is mounted now, and drives of its "
            f"identity are mounted at {disk2} and {disk1}, one most likely a copy of it: unmount the copy, or mount "
            f"the drive at {disk}, and run undo again") in err, err
    said = (f"on the drive the batch recorded at {disk}, not mounted there now while drives of its identity are "
            f"mounted at {disk2} and {disk1} (one a copy of it?): unmount the copy, or mount the drive at {disk} "
            "again")
    assert "undo: 1\n== list" in out and f"2 to retry ({said} and `" in out, out
    assert f"note: 2 photos moved or trashed by blurscan are not listed: they are {said} and `" in err, err
    assert f"(batch 1, to {disk / 'rejects' / 'b1.jpg'}), {said} and run `blurscan undo" in out, out
    assert f"to bring it back ['{disk2}', '{disk1}']\n" in out, out
    before = out.partition("== bound")[0]  # (nor the first place taken for the drive's)
    assert "not mounted now" not in before + err and "now mounted at" not in before, out + err
    assert (f"== bound\nthe drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos back from "
            "there\n") in out, out
    assert out.endswith("undo: 0\nlost+found\n"), out  # (the rejects folder the move made removed)
    assert {name: sha(lib / name) for name in blurry} == blurry


_BEFORE = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK DISK1 OTHER PYTHON PHOTOS FORGET: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$5"; '
    'for lib in lib olib; do cp -a "$7" "$3/$lib"; "$6" -m blurscan scan "$3/$lib" --model none --workers 1 '
    '>/dev/null 2>&1; "$6" -m blurscan move "$3/$lib" --all-blurry --to "$5/$lib" --yes >/dev/null; done; '
    '"$6" -c "$8" "$3/lib/.blurscan.db" "$3/olib/.blurscan.db"; umount "$3"; mount -o loop "$1" "$4"; set +e; '
    'for lib in lib olib; do echo "== report $lib"; "$6" -m blurscan report "$4/$lib" 2>&1 >/dev/null; '
    'echo "== undo $lib"; "$6" -m blurscan undo "$4/$lib" 2>&1; echo "undo: $?"; done; ls -A "$3"; '
    'cd "$4" && sha256sum lib/b1.jpg lib/b2.jpg')


@pytest.mark.slow
def test_a_batch_from_before_its_library_drive_was_recorded_is_undone_or_said_where_to_mount(tmp_path):
    """Two libraries on a real ext4 drive, their databases on it, their blurry photos moved to another drive, both
    batches as ones from before they recorded their drives (``batch_drive_id:*``, ``batch_library_drive*`` deleted);
    ``olib``'s database as one from before the scan recorded its drives too (``scanned_root_drives``). The drive
    then mounted at ``DISK1`` (``DISK`` taken), the databases opened there: ``lib``'s undo puts its photos back at
    ``DISK1`` (its drive told by the identity its scan recorded at ``DISK``), as ``report`` says; ``olib``'s, whose
    drive nothing tells, puts none back anywhere, and both it and ``report`` say to mount the library's drive at
    ``DISK`` again, ``report`` naming the undo as it will be there. Until 2026-12-07 (the evening) both undos said
    only "it looks like a drive not mounted: mount it" (the drive mounted, at ``DISK1``), and ``report`` said that
    `blurscan undo DISK1/lib` put them back."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    old = time.time() - 3600  # (the empty mount point, as a desktop made it long before: undo tells it)
    os.utime(disk, (old, old))
    forget = ("import sqlite3, sys\nfor n, db in enumerate(sys.argv[1:]):\n    db = sqlite3.connect(db)\n"
              "    db.execute(\"DELETE FROM meta WHERE key LIKE 'batch_drive_id:%' OR key LIKE 'batch_library_drive%'"
              "\" + (\" OR key = 'scanned_root_drives'\" if n else ''))\n    db.commit()")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _BEFORE, "sh", *images, disk, disk1, other, sys.executable,
                          photos, forget], capture_output=True, text=True, timeout=180)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, program = ran.stdout, child_program()
    told = out.split("== report lib\n")[1].split("== report olib\n")[0]
    assert f"note: 2 photos moved or trashed by blurscan are not listed (`{program} undo {disk1 / 'lib'}` puts them " \
        "back)\n" in told, out
    assert (f"== undo lib\nthe library's drive is now mounted at {disk1} (not {disk}, where batch 1 took the photos "
            "from); putting them back there\nbatch 1: restored 2 files, removed 1 empty folder the move had created.\n"
            "undo: 0\n") in told, out
    untold = out.split("== report olib\n")[1]
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: their places are under {disk}, where no "
            f"drive is mounted now, and this database is on a drive mounted at {disk1} (the library's drive, mounted "
            f"at another place?): mount the library's drive at {disk} again and `{program} undo {disk / 'olib'}` "
            "puts them back\n") in untold, out
    assert (f"failed: {disk / 'olib' / 'b1.jpg'}: not put back: {disk / 'olib'} is not there, and {disk} is empty "
            f"and not modified since the batch; mount the library's drive at {disk} again and run undo again (this "
            f"database is on a drive mounted at {disk1}: if that is the library's drive, mounted at another place, "
            "unmount it and mount it there; the batch, recorded before blurscan kept its library's drive, cannot "
            "tell)\n") in untold, out
    assert "undo: 1\n" in untold and f"undo {disk1 / 'olib'}`" not in untold, out
    assert "".join(f"{sha(photos / n)}  lib/{n}\n" for n in ("b1.jpg", "b2.jpg")) in out, out
    assert not os.listdir(disk)  # (nothing made at the empty mount point)


_COPY_THERE = (  # sh -c ... sh IMAGE COPY DISK DISK1 PYTHON LIB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; cp "$1" "$2"; mount -o loop "$1" "$3"; '  # (the copy made before the move)
    '"$5" -m blurscan move "$6" --all-blurry --to "$3/rejects" --yes >/dev/null; umount "$3"; '
    'mount -o loop "$2" "$3"; mount -o loop "$1" "$4"; set +e; echo "== report"; '
    '"$5" -m blurscan report "$6" 2>&1 >/dev/null; echo "== undo"; "$5" -m blurscan undo "$6" 2>&1; echo "undo: $?"; '
    '"$5" -m blurscan undo --list "$6"; umount "$3"; echo "== unmounted"; "$5" -m blurscan undo "$6"; echo "undo: $?"')


@pytest.mark.slow
def test_undo_does_not_close_a_batch_whose_drive_is_elsewhere_and_a_copy_of_it_where_it_was(tmp_path):
    """A ``dd`` copy of a real ext4 drive (its image copied: the same UUID, so the same ``f_fsid``) made before
    ``move --to DISK/rejects``, mounted at ``DISK`` without the moved files, the drive itself at ``DISK1``: undo
    takes the files for neither gone nor the copy's, fails each, naming both places, and leaves the batch to retry
    (``report`` says the same, not "cannot bring them back"); the copy unmounted, undo takes them back from
    ``DISK1``. Until 2026-12-07 (the evening) undo said them gone and closed the batch."""
    lib, blurry = _library(tmp_path)
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _COPY_THERE, "sh", image, tmp_path / "copy.img", disk, disk1,
                          sys.executable, lib], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout
    said = (f"not on the drive mounted at {disk}, where the batch recorded it, while another drive of its identity is "
            f"mounted at {disk1} (one a copy of the other?): unmount the copy, wherever it is (the drive is found "
            "where it is mounted then)")
    assert (f"== report\nnote: 2 photos moved or trashed by blurscan are not listed: they are {said} and "
            f"`{child_program()} undo {lib}` puts them back\n== undo\n") in out, out
    assert (f"failed: {lib / 'b1.jpg'}: not put back: {disk / 'rejects' / 'b1.jpg'} cannot be reached: it is "
            f"{said}, and run undo again\n") in out, out
    assert "undo: 1\n" in out and "closed" not in out and " partial: 2 moved, 0 failed, 0 undone, 2 to retry " in out
    assert out.endswith(f"== unmounted\nthe drive of batch 1 is now mounted at {disk1} (not {disk}); taking the "
                        "photos back from there\nbatch 1: restored 2 files, removed 1 empty folder the move had "
                        "created.\nundo: 0\n"), out
    assert {name: sha(lib / name) for name in blurry} == blurry


_TAGGED = (  # sh -c ... sh IMAGE OTHER DISK DISK1 PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; cp -a "$6" "$3/lib"; '
    '"$5" -m blurscan scan "$3/lib" --db "$7" --model none --workers 1 >/dev/null 2>&1; '
    '"$5" -m blurscan tag --xmp --all-blurry --yes --db "$7" >/dev/null; cp -a "$3/lib" "$3.lib"; umount "$3"; '
    'mount -o loop "$2" "$3"; cp -a "$3.lib" "$3/lib"; set +e; echo "== other"; "$5" -m blurscan undo --db "$7"; '
    'echo "undo: $?"; ls "$3/lib"; umount "$3"; mount -o loop "$1" "$4"; echo "== undo"; '
    '"$5" -m blurscan undo --db "$7"; echo "undo: $?"; ls "$4/lib"')


@pytest.mark.slow
def test_undo_of_a_tag_batch_untags_its_drive_mounted_again_at_another_place(tmp_path):
    """``tag --xmp`` of photos on a real ext4 drive (the database kept off it), the drive unplugged; another ext4 file
    system at ``DISK`` holding the same files: undo touches none of its sidecars, saying ``DISK`` holds another file
    system; the drive then mounted at ``DISK1`` (``DISK`` taken): undo removes the sidecars it had created there,
    saying so. Until 2026-12-07 (later that day) a tag batch recorded no drive: undo removed the other file system's
    sidecars at ``DISK``, and with the drive at ``DISK1`` said ``DISK/lib`` not there, "a drive not mounted"."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TAGGED, "sh", *images, disk, disk1, sys.executable, photos,
                          db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    other, undo = ran.stdout.split("== undo\n")
    # (the sidecar's own line, which said "not put back: ... when the batch moved it" until 2026-12-07, the evening)
    assert (f"failed: {disk / 'lib' / 'b1.jpg.xmp'}: not undone: it cannot be reached: {disk}, where its drive was "
            "mounted when the batch wrote it, holds another file system now (is the drive unplugged?); mount the drive "
            "there and run undo again") in ran.stderr, ran.stderr
    assert other.endswith("undo: 1\nb1.jpg\nb1.jpg.xmp\nb2.jpg\nb2.jpg.xmp\ns.jpg\n"), ran.stdout
    assert undo == (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); untagging the sidecars there\n"
                    "batch 1: removed 2 sidecars tag had created.\nundo: 0\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout
