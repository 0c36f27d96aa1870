"""Undo with a real drive (an ext4 loop device, in a mount namespace of its own) mounted again at another place,
beyond one batch on one drive (:mod:`test_undo_remounted`): a batch whose photos a later batch took again onto
that drive (the later batch holds the photo still there, one deleted from it is gone:
:func:`blurscan.actions.undo._still_there`'s branch for a drive mounted elsewhere), and a tag batch over two
drives, the second mounted elsewhere (:func:`blurscan.actions.batch_drives.remounted`), or both unplugged then both
mounted elsewhere (:func:`blurscan.actions.batch_drives.remounted_all`); a batch of another drive
than the database's, from before the library's drive was recorded; a photo deleted from its drive there; a library
carried with its drive to a place of another depth."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured

from helpers_cli import child_program
from test_undo_remounted import _drives
from test_undo_to_unmounted import _library

_RETAKEN = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON LIB REJ: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; '
    '"$4" -m blurscan move "$5" --all-blurry --to "$6" --yes >/dev/null; mv "$6"/b1.jpg "$6"/b2.jpg "$5"; '
    '"$4" -m blurscan move "$5" --all-blurry --to "$2/rejects" --yes >/dev/null; umount "$2"; '
    'mount -o loop "$1" "$3"; rm "$3/rejects/b2.jpg"; set +e; "$4" -m blurscan undo --batch 1 "$5"; echo "undo: $?"')


@pytest.mark.slow
def test_undo_of_a_batch_whose_photo_a_later_batch_took_onto_a_drive_mounted_again_elsewhere_names_it(tmp_path):
    """``move --to REJ`` (batch 1); both photos put back by hand and ``move --to DISK/rejects`` (batch 2, a real
    drive), which is then mounted at ``DISK1`` (``DISK`` taken) and one photo deleted there: ``undo --batch 1`` says
    the photo there taken again by batch 2, whose undo brings it back, and the other gone. Kills the mutants of
    ``_still_there`` that skip that branch or look for the file at ``DISK`` (both photos then said gone), and those
    of ``_moved_along`` where batch 2's undo follows its drive (the photo then not said held by it)."""
    lib, _blurry = _library(tmp_path)
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _RETAKEN, "sh", *images, disk, disk1, sys.executable, lib,
                          tmp_path / "rej"], capture_output=True, text=True, timeout=120)
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0 and "undo: 1\n" in ran.stdout, out
    assert "1 taken again by batch 2 since it was put back" in ran.stdout, out
    assert (f"note: {lib / 'b1.jpg'}: put back at its place since batch 1 moved it, then taken again by batch 2 "
            f"(to {disk1 / 'rejects' / 'b1.jpg'}): `") in out, out  # (where it is now: until 12-07 DISK's, not there)
    assert f"failed: {lib / 'b2.jpg'}: missing, and not found at {tmp_path / 'rej' / 'b2.jpg'} either\n" in out, out
    assert f"{lib / 'b1.jpg'}: missing" not in out, out
    assert f"`{child_program()} undo --batch 2" in out, out


_TWO_DRIVES = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK OTHER OTHER1 PYTHON PHOTOS DB: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$4"; '
    'for d in "$3" "$4"; do cp -a "$7" "$d/lib"; "$6" -m blurscan scan "$d/lib" --db "$8" --model none --workers 1 '
    '>/dev/null 2>&1; done; "$6" -m blurscan tag --xmp --all-blurry --yes --db "$8" >/dev/null; umount "$4"; '
    'mount -o loop "$2" "$5"; set +e; "$6" -m blurscan undo --db "$8"; echo "undo: $?"; ls "$3/lib" "$5/lib"')


@pytest.mark.slow
def test_undo_of_a_tag_batch_over_two_drives_untags_the_second_mounted_again_elsewhere(tmp_path):
    """``tag --xmp`` of photos on two real drives (``DISK/lib`` and ``OTHER/lib``, one database kept off them), the
    second then mounted at ``OTHER1``: undo removes the four sidecars, those of ``OTHER`` there. Kills the mutant of
    :func:`blurscan.actions.batch_drives.remounted` that looks at a tag batch's first drive only (as a move's ``--to``):
    ``OTHER``'s sidecars then said not reachable, a drive not mounted."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, _disk1 = _drives(tmp_path, "drive.img", "other.img")
    other, other1 = disk.parent / "OTHER", disk.parent / "OTHER1"
    other.mkdir()
    other1.mkdir()
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TWO_DRIVES, "sh", *images, disk, other, other1,
                          sys.executable, photos, db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"the drive of batch 1 is now mounted at {other1} (not {other}); untagging the sidecars "
                          f"there\nbatch 1: removed 4 sidecars tag had created.\nundo: 0\n{disk / 'lib'}:\nb1.jpg\n"
                          f"b2.jpg\ns.jpg\n\n{other1 / 'lib'}:\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr


_BOTH_ELSEWHERE = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK OTHER DISK1 OTHER1 PYTHON PHOTOS DB: as root, in a namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$4"; '
    'for d in "$3" "$4"; do cp -a "$8" "$d/lib"; "$7" -m blurscan scan "$d/lib" --db "$9" --model none --workers 1 '
    '>/dev/null 2>&1; done; "$7" -m blurscan tag --xmp --all-blurry --yes --db "$9" >/dev/null; umount "$3"; '
    'umount "$4"; set +e; "$7" -m blurscan undo --db "$9"; echo "undo: $?"; set -e; echo "== elsewhere"; '
    'mount -o loop "$1" "$5"; mount -o loop "$2" "$6"; set +e; "$7" -m blurscan undo --db "$9"; echo "undo: $?"; '
    'ls "$5/lib" "$6/lib"')


@pytest.mark.slow
def test_undo_of_a_tag_batch_over_two_drives_both_unplugged_then_both_mounted_elsewhere(tmp_path):
    """``tag --xmp`` of photos on two real drives (``DISK/lib`` and ``OTHER/lib``, one database kept off them), both
    unplugged: undo says of each sidecar that its drive is not mounted, in a move's words (until 2026-12-07, late,
    "not put back: ... it looks like a drive not mounted: mount it"); both then mounted at other places (``DISK1``,
    ``OTHER1``): undo removes the four sidecars, each from where its own drive is now, saying both. Until then only
    the first drive was followed, ``OTHER``'s sidecars left "no longer there (moved or deleted since ...)"."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    other, other1 = disk.parent / "OTHER", disk.parent / "OTHER1"
    other.mkdir()
    other1.mkdir()
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _BOTH_ELSEWHERE, "sh", *images, disk, other, disk1, other1,
                          sys.executable, photos, db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    unplugged, elsewhere = ran.stdout.split("== elsewhere\n")
    for drive in (disk, other):
        for name in ("b1.jpg.xmp", "b2.jpg.xmp"):
            assert (f"failed: {drive / 'lib' / name}: not undone: it cannot be reached: {drive}, where its drive was "
                    "mounted when the batch wrote it, is not mounted now (is the drive unplugged?); mount it there "
                    "and run undo again\n") in ran.stderr, ran.stderr
    assert "not put back" not in ran.stderr and "left as it is" not in ran.stderr, ran.stderr
    assert unplugged.endswith("undo: 1\n"), ran.stdout
    assert elsewhere == (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); untagging the sidecars there\n"
                         f"the drive of batch 1 is now mounted at {other1} (not {other}); untagging the sidecars "
                         f"there\nbatch 1: removed 4 sidecars tag had created.\nundo: 0\n{disk1 / 'lib'}:\nb1.jpg\n"
                         f"b2.jpg\ns.jpg\n\n{other1 / 'lib'}:\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr



_SWAPPED = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK OTHER PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$4"; '
    'for d in "$3" "$4"; do cp -a "$6" "$d/lib"; "$5" -m blurscan scan "$d/lib" --db "$7" --model none --workers 1 '
    '>/dev/null 2>&1; done; "$5" -m blurscan tag --xmp --all-blurry --yes --db "$7" >/dev/null; umount "$3"; '
    'umount "$4"; mount -o loop "$1" "$4"; mount -o loop "$2" "$3"; set +e; "$5" -m blurscan undo --db "$7"; '
    'echo "undo: $?"; ls "$3/lib" "$4/lib"')


@pytest.mark.slow
def test_undo_of_a_tag_batch_whose_two_drives_swapped_places_untags_each_where_it_is(tmp_path):
    """``tag --xmp`` of photos on two real drives (``DISK/lib`` and ``OTHER/lib``, one database kept off them), then
    each mounted at the other's place: undo removes the four sidecars, each from where its own drive is now. Until
    2026-12-07 (late) each sidecar was refused, its drive said "is not where it is mounted now": the place it was
    followed to, another drive's recorded mount point, was taken for its drive's. Kills the mutants of
    :func:`blurscan.actions.undo._undo_rows` that ask a followed sidecar's drive by its place."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, _disk1 = _drives(tmp_path, "drive.img", "other.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _SWAPPED, "sh", *images, disk, other, sys.executable, photos,
                          db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"the drive of batch 1 is now mounted at {other} (not {disk}); untagging the sidecars there\n"
                          f"the drive of batch 1 is now mounted at {disk} (not {other}); untagging the sidecars there\n"
                          f"batch 1: removed 4 sidecars tag had created.\nundo: 0\n{disk / 'lib'}:\nb1.jpg\nb2.jpg\n"
                          f"s.jpg\n\n{other / 'lib'}:\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr

_OTHER_DRIVE = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK DISK1 DISK2 PYTHON PHOTOS REJ FORGET: as root, in a namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$5"; '
    'for d in "$3" "$5"; do cp -a "$7" "$d/lib"; "$6" -m blurscan scan "$d/lib" --db "$3/lib.db" --model none '
    '--workers 1 >/dev/null 2>&1; done; "$6" -m blurscan move "$5/lib" --db "$3/lib.db" --all-blurry --to "$8" '
    '--yes >/dev/null; "$6" -c "$9" "$3/lib.db"; umount "$3"; mount -o loop "$1" "$4"; set +e; '
    '"$6" -m blurscan undo --db "$4/lib.db"; echo "undo: $?"; ls "$5/lib"')


@pytest.mark.slow
def test_a_batch_from_before_its_library_drive_was_recorded_is_not_taken_for_one_of_another_drive(tmp_path):
    """Photos on two real drives scanned into one database on the first (``DISK/lib.db``: ``DISK/lib``,
    ``DISK2/lib``), those of ``DISK2`` moved away, the batch as one from before it recorded its library's drive; the
    database's drive then mounted at ``DISK1``: undo puts the photos back at ``DISK2``, where the batch took them
    from, and says no library's drive moved (kills the mutants of
    :func:`blurscan.actions.batch_drives._took_from` that drop its check, or the separator after the mount point:
    ``DISK2/lib`` then taken for under ``DISK``, the database's drive)."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    disk2 = disk.parent / "DISK2"
    disk2.mkdir()
    forget = ("import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\n"
              "db.execute(\"DELETE FROM meta WHERE key LIKE 'batch_drive_id:%' OR key LIKE 'batch_library_drive%'\")\n"
              "db.commit()")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _OTHER_DRIVE, "sh", *images, disk, disk1, disk2,
                          sys.executable, photos, tmp_path / "rej", forget], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == ("batch 1: restored 2 files, removed 3 empty folders the move had created.\nundo: 0\n"
                          "b1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr


_LOST = (  # sh -c ... sh IMAGE DISK PYTHON LIB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; '
    '"$3" -m blurscan move "$4" --all-blurry --to "$2/rejects" --yes >/dev/null; rm "$2/rejects/b1.jpg"; '
    '"$3" -m blurscan report "$4" 2>&1 >/dev/null')


@pytest.mark.slow
def test_report_of_a_photo_deleted_from_its_drive_there_says_it_gone(tmp_path):
    """``move --to DISK/rejects`` onto a real drive, one photo then deleted from there, the drive mounted where it was
    (no copy of it anywhere): ``report`` says that photo gone and the other put back by the undo. Kills the mutant of
    :func:`blurscan.actions.drive_ids.copies` that takes one device for a drive and its copy (``report`` then failed,
    naming no place of the copy)."""
    lib, _blurry = _library(tmp_path)
    images, disk, _disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _LOST, "sh", *images, disk, sys.executable, lib],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    program = child_program()
    assert ran.stdout == (f"note: 1 photo moved or trashed by blurscan is not listed (`{program} undo {lib}` puts it "
                          "back)\nnote: 1 photo moved or trashed by blurscan, no longer in the trash or the --to "
                          f"folder, is not listed: `{program} undo` cannot bring it back unless it is there again "
                          f"(`{program} undo --list {lib}` lists the batches)\n"), ran.stdout


_CARRIED_DEEPER = (  # sh -c ... sh IMAGE DISK DEEPER PYTHON PHOTOS REJ: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan move "$2/lib" --all-blurry --to "$6" --yes >/dev/null; umount "$2"; mount -o loop "$1" "$3"; '
    'set +e; "$4" -m blurscan undo "$3/lib"; echo "undo: $?"; ls "$3/lib"')


@pytest.mark.slow
def test_a_library_carried_with_its_drive_to_a_place_of_another_depth_is_undone_there(tmp_path):
    """A library on a real drive (``media/DISK/lib``, its database there), its blurry photos moved off the drive,
    the drive then mounted at ``mnt/backup/DISK1``: undo puts them back there, taking them from the ``--to`` folder
    where it is. Kills the mutant of :func:`blurscan.actions.undo._moved_along` that moves every path along, the
    ``--to``'s too (``DISK1/../rej`` then looked for, which beside ``DISK`` was the same folder)."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, _disk1 = _drives(tmp_path, "drive.img")
    deeper = tmp_path.resolve() / "mnt" / "backup" / "DISK1"
    deeper.mkdir(parents=True)
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _CARRIED_DEEPER, "sh", *images, disk, deeper, sys.executable,
                          photos, tmp_path.resolve() / "rej"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.endswith("undo: 0\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr
    assert "batch 1: restored 2 files" in ran.stdout, ran.stdout + ran.stderr


_RETAKEN_TWINS = (  # sh -c ... sh IMAGE COPY DISK DISK1 DISK2 PYTHON LIB REJ: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; '
    '"$6" -m blurscan move "$7" --all-blurry --to "$8" --yes >/dev/null; mv "$8"/b1.jpg "$8"/b2.jpg "$7"; '
    '"$6" -m blurscan move "$7" --all-blurry --to "$3/rejects" --yes >/dev/null; umount "$3"; cp "$1" "$2"; '
    'mount -o loop "$1" "$4"; mount -o loop "$2" "$5"; set +e; "$6" -m blurscan undo --batch 1 "$7"; echo "undo: $?"')


@pytest.mark.slow
def test_undo_of_a_batch_whose_photos_a_later_batch_took_onto_a_drive_beside_its_copy_names_that_batch(tmp_path):
    """As above, batch 2's drive and a ``dd`` copy of it mounted (``DISK1``, ``DISK2``), neither at ``DISK``: which
    holds batch 2's files is not told, and undo of batch 1 names batch 2 for both photos, its exit 0. Kills the
    mutant of ``_still_there`` that moves a path along to the drives of a copy (a crash)."""
    lib, _blurry = _library(tmp_path)
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    disk2 = disk.parent / "DISK2"
    disk2.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _RETAKEN_TWINS, "sh", *images, tmp_path / "copy.img", disk,
                          disk1, disk2, sys.executable, lib, tmp_path / "rej"], capture_output=True, text=True,
                         timeout=120)
    out = ran.stdout + ran.stderr
    assert ran.returncode == 0 and "undo: 0\n" in ran.stdout, out
    assert "2 taken again by batch 2 since they were put back" in ran.stdout and "Traceback" not in out, out


_UNTOLD = (  # sh -c ... sh IMAGE DISK DISK1 OTHER PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -t tmpfs disk "$2"; mount -o loop "$1" "$4"; cp -a "$6" "$2/lib"; '
    '"$5" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$5" -m blurscan move "$2/lib" --all-blurry --to "$4/rejects" --yes >/dev/null; '
    'mount -t tmpfs disk1 "$3"; cp -a "$2/." "$3"; umount "$2"; touch -d "2 hours ago" "$2"; set +e; '
    '"$5" -m blurscan undo "$3/lib" 2>&1; echo "undo: $?"')


@pytest.mark.slow
def test_undo_of_a_batch_whose_library_drive_gave_no_identity_says_so(tmp_path):
    """A library and its database on a drive that gives no identity (a tmpfs: no UUID, no serial, no ``f_fsid``
    told), its blurry photos moved to another drive, the library then carried to another drive at ``DISK1``: undo
    puts none back and says to mount the library's drive at ``DISK`` again, because the batch recorded no identity
    for that drive, which gave none. Until 2026-12-07 (the night) it said ``the batch, recorded before blurscan kept
    its library's drive, cannot tell`` of the batch this version had just made."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    images, disk, disk1 = _drives(tmp_path, "other.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _UNTOLD, "sh", *images, disk, disk1, other, sys.executable,
                          photos], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (f"failed: {disk / 'lib' / 'b1.jpg'}: not put back: {disk / 'lib'} is not there, and {disk} is empty and "
            f"not modified since the batch; mount the library's drive at {disk} again and run undo again (this "
            f"database is on a drive mounted at {disk1}: if that is the library's drive, mounted at another place, "
            "unmount it and mount it there; the batch recorded no identity for the library's drive, which gave none, "
            "so cannot tell)\n") in ran.stdout, ran.stdout
    assert ran.stdout.endswith("undo: 1\n"), ran.stdout


def test_a_sidecar_on_a_drive_mounted_inside_another_is_carried_by_its_own_drive_only():
    """Two drives of a tag batch mounted at other places now, the second mounted inside the first's folder when the
    batch ran (``/media/a/inner``): a sidecar of the inner drive follows that drive, not the outer one's move (which
    would put it under ``/media/x/inner``, a folder of the outer drive), in whichever order they were recorded; one
    of neither drive, or of a folder that merely starts with a drive's name (``/media/ab``), stays where it was."""
    from blurscan.actions.batch_drives import along_each

    outer, inner = ("/media/a", "/media/x"), ("/media/a/inner", "/media/y")
    for moved in ([outer, inner], [inner, outer]):
        assert along_each("/media/a/inner/IMG_1.xmp", moved) == "/media/y/IMG_1.xmp"
        assert along_each("/media/a/IMG_2.xmp", moved) == "/media/x/IMG_2.xmp"
        assert along_each("/media/ab/IMG_3.xmp", moved) == "/media/ab/IMG_3.xmp"
