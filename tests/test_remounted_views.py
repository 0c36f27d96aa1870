"""``report``, the review page and ``scan`` of a library on a real ext4 drive (a loop device, in a mount namespace of
its own) plugged in again and mounted at another place (``DISK`` taken, so ``DISK1``) before any scan there: its
database kept off the drive (``--db``), told by the drive's identity the scan recorded (:mod:`blurscan.root_drives`),
or on the drive, carried with it (:func:`blurscan.unmounted.carried_note`); and, carried so, after an undo there
(:mod:`blurscan.actions.carried_records`). (``_drives`` is ``test_undo_remounted.py``'s.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from helpers_cli import child_program, run
from helpers_images import blurred, save_jpeg, textured
from test_undo_remounted import _drives
import pytest


_OFF_DRIVE = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB MARK: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --db "$6" --model none --workers 1 >/dev/null 2>&1; "$4" -c "$7" "$6" "$2/lib"; '
    'umount "$2"; mount -o loop "$1" "$3"; echo "== report"; "$4" -m blurscan report --db "$6" 2>&1 >/dev/null; '
    'echo "== scan"; "$4" -m blurscan scan "$3/lib" --db "$6" --model none --workers 1 2>&1 | tail -1; '
    'echo "== rows"; sqlite3 "$6" "SELECT path, decision FROM decisions ORDER BY path; '
    'SELECT path, is_keeper FROM burst_groups ORDER BY path; SELECT COUNT(*) FROM images"')

_MARK = ("import sys, os; from blurscan.store import Store; from blurscan.review.decisions import set_decision; "
         "store = Store(sys.argv[1]); lib = sys.argv[2]; "
         "[set_decision(store, os.path.join(lib, n), d, size=os.stat(os.path.join(lib, n)).st_size, "
         "mtime_ns=os.stat(os.path.join(lib, n)).st_mtime_ns) for n, d in (('b1.jpg', 'keep'), ('b2.jpg', 'discard'))]; "
         "store.conn.executemany(\"INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)\", "
         "[(os.path.join(lib, 'b1.jpg'), 1, 1), (os.path.join(lib, 'b2.jpg'), 2, 0)]); store.conn.commit()")


def _photos(tmp_path):
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    return photos


@pytest.mark.slow
def test_report_of_a_database_off_a_drive_mounted_again_elsewhere_names_the_scan_there(tmp_path):
    """A library on the drive scanned into ``--db lib.db`` off it, a keep, a discard and a burst recorded; the drive
    mounted at ``DISK1``: ``report --db`` says the photos are on the drive mounted at ``DISK1`` now, with the scan of
    ``DISK1/lib`` that finds them, and that scan carries each record, decision and burst row there. Until 2026-12-07
    ``report`` said ``3 stored photos no longer on disk ...; `blurscan scan --db lib.db DISK/lib` updates the
    database``, a scan that forgets them."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _OFF_DRIVE, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), db, _MARK], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout
    report = out.split("== report\n")[1].split("== scan\n")[0]
    assert report == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted when it "
                      f"was scanned; that drive is mounted at {disk1} now: `{child_program()} scan --db {db} "
                      f"{disk1 / 'lib'}` finds them there, scores and keeps or discards kept\n"), out
    assert "(0 unchanged and 3 moved or renamed, reused)" in out.split("== scan\n")[1], out
    lib = disk1 / "lib"
    assert out.split("== rows\n")[1] == (f"{lib / 'b1.jpg'}|keep\n{lib / 'b2.jpg'}|discard\n{lib / 'b1.jpg'}|1\n"
                                         f"{lib / 'b2.jpg'}|0\n3\n"), out


_ON_DRIVE = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS SHOW: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; umount "$2"; mount -o loop "$1" "$3"; '
    '"$4" -c "$6" "$3/lib/.blurscan.db"; echo "== bursts"; "$4" -m blurscan bursts "$3/lib" 2>&1')

_SHOW = ("import sys; from blurscan.store import Store; "
         "from blurscan.review.header_figures import summary; store = Store(sys.argv[1]); figures = summary(store); "
         "print(figures['photos']); print(figures['carried'])")


def test_the_review_page_of_a_library_carried_with_its_drive_says_where_its_photos_are(tmp_path):
    """A library scanned on the drive into its own ``.blurscan.db``, the drive mounted at ``DISK1``, its page opened
    there before any scan: the figures count the photos recorded under ``DISK``, and say where they are, with
    the scan of ``DISK1/lib`` that finds them, in ``report``'s words. Until 2026-12-07 the page said nothing of
    it. ``blurscan bursts DISK1/lib`` then says it too, under its closing line; until 2026-12-07 (later that day)
    it said "0 burst groups" alone."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _ON_DRIVE, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), _SHOW], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    page, bursts = ran.stdout.split("== bursts\n")
    assert page.splitlines() == [
        "3", f"3 stored photos under {disk} are not listed: this database is on a drive mounted at {disk1} (that drive "
        f"mounted at another place?): `blurscan scan {disk1 / 'lib'}` finds them there, scores and keeps or "
        "discards kept"], ran.stdout
    assert bursts == (f"0 burst groups, 0 candidates for `blurscan move/trash --from-bursts`\nnote: 3 stored photos "
                      f"under {disk} are not listed: this database is on a drive mounted at {disk1} (that drive "
                      f"mounted at another place?): `{child_program()} scan {disk1 / 'lib'}` finds them there, scores "
                      "and keeps or discards kept\n"), bursts


_TRASHED_ON_DRIVE = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS SHOW: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan trash "$2/lib" --all-blurry --yes >/dev/null; umount "$2"; mount -o loop "$1" "$3"; '
    'echo "== report"; "$4" -m blurscan report "$3/lib" 2>&1 >/dev/null; echo "== page"; '
    '"$4" -c "$6" "$3/lib/.blurscan.db"')


@pytest.mark.slow
def test_the_review_page_of_a_carried_library_counts_not_the_photos_blurscan_trashed(tmp_path):
    """A library scanned on the drive into its own ``.blurscan.db``, its two blurry photos trashed (into the drive's
    own trash), the drive mounted at ``DISK1`` (on a second computer, say): the review page's line, as ``report``'s
    note, says 1 stored photo under ``DISK`` is found there by a scan of ``DISK1/lib``, not 3: the 2 trashed are
    said apart (``undo`` puts them back), and no scan finds them. Until 2026-12-07 (later that day) the page counted
    every photo recorded under ``DISK``, moved and trashed ones too."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TRASHED_ON_DRIVE, "sh", images[0], disk, disk1,
                          sys.executable, _photos(tmp_path), _SHOW], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report, page = ran.stdout.split("== report\n")[1].split("== page\n")
    assert f"note: 1 stored photo under {disk} is not listed: " in report, report
    assert "note: 2 photos moved or trashed by blurscan are not listed" in report, report
    assert page.splitlines() == [
        "1", f"1 stored photo under {disk} is not listed: this database is on a drive mounted at {disk1} (that drive "
        f"mounted at another place?): `blurscan scan {disk1 / 'lib'}` finds it there, scores and keeps or "
        "discards kept"], page


_TWO_DRIVES = (  # sh -c ... sh X_IMAGE Y_IMAGE DISK DISK1 PYTHON PHOTOS SHOW: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$4"; cp -a "$6" "$3/lib"; '
    'cp -a "$6" "$4/lib"; "$5" -m blurscan scan "$3/lib" "$4/lib" --db "$3/lib/.blurscan.db" --model none '
    '--workers 1 >/dev/null 2>&1; umount "$4"; touch -d "1 hour ago" "$4"; echo "== report"; '
    '"$5" -m blurscan report --db "$3/lib/.blurscan.db" 2>&1 >/dev/null; echo "== page"; '
    '"$5" -c "$7" "$3/lib/.blurscan.db"')


@pytest.mark.slow
def test_a_second_drive_unplugged_is_not_said_to_be_the_library_carried_to_another_place(tmp_path):
    """A library on drive X (its database on it, at ``DISK``) and a copy of it on drive Y (at ``DISK1``), both scanned
    into X's database; Y unplugged, its mount point left empty. ``report`` and the review page say ``DISK1`` looks
    like a drive not mounted, as for any library, never that X's library was carried there nor that a scan of
    ``DISK/lib`` finds Y's photos: the drive a scan recorded at ``DISK1`` is not the one at ``DISK``
    (:mod:`blurscan.root_drives`). Until 2026-12-07 (later that day) the folders' names alone decided
    (:func:`blurscan.actions.batch_drives.carried_library`): both said "this database is on a drive mounted at DISK
    (that drive mounted at another place?): `blurscan scan DISK/lib` finds them there"."""
    images, disk, disk1 = _drives(tmp_path, "x.img", "y.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TWO_DRIVES, "sh", *images, disk, disk1, sys.executable,
                          _photos(tmp_path), _SHOW], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report, page = ran.stdout.split("== report\n")[1].split("== page\n")
    assert report == (f"note: 3 stored photos under {disk1} are not listed: it is empty and not modified since the "
                      "scan (a share or drive not mounted?); mount it, or remove the folder and scan again to forget "
                      "them\n"), ran.stdout
    assert page.splitlines() == ["6", "None"], ran.stdout


_TWINS = (  # sh -c ... sh IMAGE COPY DISK DISK1 DISK2 PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; cp -a "$7" "$3/lib"; '
    '"$6" -m blurscan scan "$3/lib" --db "$8" --model none --workers 1 >/dev/null 2>&1; umount "$3"; cp "$1" "$2"; '
    'mount -o loop "$2" "$5"; mount -o loop "$1" "$4"; "$6" -m blurscan report --db "$8" 2>&1 >/dev/null')


@pytest.mark.slow
def test_report_of_a_database_off_a_drive_mounted_beside_a_copy_of_it_names_both(tmp_path):
    """A library on the drive scanned into ``--db lib.db`` off it; the drive mounted at ``DISK1`` and a copy of its
    image (``cp``, as ``dd`` makes one: the same UUID and ``f_fsid``) at ``DISK2``, neither at ``DISK``: ``report``
    names both, not telling which is the drive, and advises no scan of either. Until 2026-12-07 it took the first in
    the mount table, the copy, for the drive, and advised the scan of ``DISK2/lib``."""
    (image,), disk, disk1 = _drives(tmp_path, "drive.img")
    disk2 = disk.parent / "DISK2"
    disk2.mkdir()
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TWINS, "sh", image, tmp_path / "copy.img", disk, disk1, disk2,
                          sys.executable, _photos(tmp_path), db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted when "
                          f"it was scanned; drives of its identity are mounted at {disk2} and {disk1} now (one a copy "
                          "of it?): unmount the copy, or mount the drive there again\n"), ran.stdout


_TOP = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5"/. "$2"; rm -r "$2/lost+found"; '
    '"$4" -m blurscan scan "$2" --db "$6" --model none --workers 1 >/dev/null 2>&1; umount "$2"; '
    'mount -o loop "$1" "$3"; "$4" -m blurscan report --db "$6" 2>&1 >/dev/null')


@pytest.mark.slow
def test_report_of_photos_at_the_top_of_a_drive_mounted_again_elsewhere_names_the_scan_there(tmp_path):
    """Photos at the drive's own top folder (``scan DISK``, no folder of their own), scanned into ``--db lib.db``
    off it, the drive then mounted at ``DISK1``: ``report`` says where they are and the scan of ``DISK1`` that finds
    them, as for a library in a folder of the drive (:class:`blurscan.root_drives.Remounted` takes the mount point
    itself as on the drive)."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TOP, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted when "
                          f"it was scanned; that drive is mounted at {disk1} now: `{child_program()} scan --db {db} "
                          f"{disk1}` finds them there, scores and keeps or discards kept\n"), ran.stdout


_TWO_SCANS = (  # sh -c ... sh X_IMAGE Y_IMAGE DISK DISK1 OTHER PYTHON PHOTOS DB: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$5"; cp -a "$7" "$3/lib"; '
    'cp -a "$7" "$5/lib"; for at in "$3" "$5"; do "$6" -m blurscan scan "$at/lib" --db "$8" --model none --workers 1 '
    '>/dev/null 2>&1; done; umount "$3"; mount -o loop "$1" "$4"; "$6" -m blurscan report --db "$8" 2>&1 >/dev/null')


@pytest.mark.slow
def test_a_drive_scanned_before_another_into_one_database_is_still_told_mounted_elsewhere(tmp_path):
    """Two drives' libraries scanned into one ``--db lib.db`` by two scans, the first drive then mounted at
    ``DISK1``: ``report`` still names the scan there (the second scan keeps the drive the first recorded:
    :func:`blurscan.root_drives.remember_drives` adds to what is recorded)."""
    images, disk, disk1 = _drives(tmp_path, "x.img", "y.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _TWO_SCANS, "sh", *images, disk, disk1, other, sys.executable,
                          _photos(tmp_path), db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted when "
                          f"it was scanned; that drive is mounted at {disk1} now: `{child_program()} scan --db {db} "
                          f"{disk1 / 'lib'}` finds them there, scores and keeps or discards kept\n"), ran.stdout


_UNPLUGGED = (  # sh -c ... sh IMAGE DISK PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$4" "$2/lib"; '
    '"$3" -m blurscan scan "$2/lib" --db "$5" --model none --workers 1 >/dev/null 2>&1; umount "$2"; rmdir "$2"; '
    'echo "== report"; "$3" -m blurscan report --db "$5" 2>&1 >/dev/null; echo "== path"; '
    '"$3" -m blurscan report "$2/lib" --db "$5" 2>&1 >/dev/null || echo "exit $?"; echo "== move"; '
    '"$3" -m blurscan move "$2/lib/b1.jpg" --db "$5" --to "$5.rej" --yes 2>&1 >/dev/null || echo "exit $?"; '
    'echo "== bursts"; "$3" -m blurscan bursts "$2/lib" --db "$5" 2>&1 >/dev/null || echo "exit $?"; '
    'echo "== page"; "$3" -c "$6" "$5"')

_CARDS = ("import sys; from blurscan.store import Store; from blurscan.review.library import items; "
          "print(*sorted(i['gone'] for i in items(Store(sys.argv[1]), filter_='all')), sep='\\n')")


@pytest.mark.slow
def test_report_of_a_database_off_a_drive_unplugged_with_its_mount_point_says_the_drive_is_not_mounted(tmp_path):
    """A library on the drive scanned into ``--db lib.db`` off it; the drive unmounted and its mount point removed,
    as a desktop does (udisks: ``/media/me/DISK`` goes with the drive), ``media`` holding another drive's folder:
    ``report`` says the photos are on the drive scanned at ``DISK``, not mounted now, and ``report DISK/lib``, ``move
    DISK/lib/b1.jpg``, ``bursts DISK/lib`` and the review page's cards say so too, each naming the ``scan --forget``
    that ``report`` names (until 2026-12-07, late, they said "mount it" alone). Until 2026-12-07 they were ``3 stored photos no longer on disk (moved, renamed or deleted since the last
    scan)``, with ``blurscan scan --db lib.db DISK/lib``, which failed on the folder not there, as the fix."""
    images, disk, _disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _UNPLUGGED, "sh", images[0], disk, sys.executable,
                          _photos(tmp_path), db, _CARDS], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    part = {name: ran.stdout.split(f"== {name}\n")[1].split("\n== ")[0].rstrip("\n") + "\n" for name in
            ("report", "path", "move", "bursts", "page")}
    forget = f"`{child_program()} scan --forget --db {db} {disk}` forgets"
    assert part["report"] == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted "
                              "when it was scanned; that drive is not mounted now: mount it, and run the command "
                              f"again; or, the drive gone for good, {forget} them (records only)\n"), ran.stdout
    # (its per-file cousins, in its words: until 2026-12-07, late, "mount it, and run the command again" alone)
    said = (f"is where its drive was mounted when it was scanned; that drive is not mounted now; mount it, and run "
            f"the command again; or, the drive gone for good, {forget}")
    for name, path, n in (("path", disk / "lib", 3), ("move", disk / "lib" / "b1.jpg", 1), ("bursts", disk / "lib", 3)):
        assert part[name] == (f"Error: {path}: no such file or directory, though the database holds {n} "
                              f"photo{'s' if n != 1 else ''} there: {disk} {said} {'them' if n != 1 else 'it'} "
                              "(records only)\nexit 1\n"), ran.stdout
    page = forget.split(" scan --forget", 1)[1]  # (its program as that of `python -c`: the page's is the server's)
    assert part["page"] == "".join(f"{name}: not at {disk / 'lib' / name}: {disk} is where its drive was mounted when "
                                   "it was scanned; that drive is not mounted now: mount it; or, the drive gone for "
                                   f"good, `blurscan scan --forget{page} them (records only)\n"
                                   for name in ("b1.jpg", "b2.jpg", "s.jpg")), ran.stdout


_CARRIED_TAKEN = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; umount "$2"; '
    'mount -t tmpfs other "$2"; mount -o loop "$1" "$3"; "$4" -m blurscan report "$3/lib" 2>&1 >/dev/null')


@pytest.mark.slow
def test_report_of_a_library_carried_with_its_drive_to_disk1_with_another_drive_at_disk_names_the_scan_there(
        tmp_path):
    """A library scanned on the drive into its own ``.blurscan.db``; another file system mounted at ``DISK`` (why
    the desktop chose ``DISK1``), the drive at ``DISK1``: ``report`` says where the photos are and the scan of
    ``DISK1/lib`` that finds them. Until 2026-12-07 they were ``3 stored photos no longer on disk (moved, renamed or
    deleted since the last scan)``: only an empty ``DISK`` told the library carried."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _CARRIED_TAKEN, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path)], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout == (f"note: 3 stored photos under {disk} are not listed: it is where its drive was mounted when "
                          f"it was scanned; that drive is mounted at {disk1} now, and this database is on a drive "
                          f"mounted at {disk1} (that drive mounted at another place?): `{child_program()} scan "
                          f"{disk1 / 'lib'}` finds them there, scores and keeps or discards kept\n"), ran.stdout


_GONE = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB MARK PICTURES: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --db "$6" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -m blurscan scan "$8" --db "$6" --model none --workers 1 >/dev/null 2>&1; "$4" -c "$7" "$6" "$2/lib"; '
    '"$4" -m blurscan move "$2/lib" --db "$6" --to "$2/rejects" --yes >/dev/null 2>&1; umount "$2"; rmdir "$2"; '
    'mount -o loop "$1" "$3"; echo "== elsewhere"; "$4" -m blurscan scan --forget --db "$6" "$2" 2>&1 || echo "rc=$?"; '
    'umount "$3"; echo "== report"; "$4" -m blurscan report --db "$6" 2>&1 >/dev/null; '
    'echo "== forget"; "$4" -m blurscan scan --forget --db "$6" "$2" 2>&1; '
    'echo "== there"; "$4" -m blurscan scan --forget --db "$6" "$8" 2>&1 || echo "rc=$?"; '
    'echo "== again"; "$4" -m blurscan report --db "$6" 2>&1 | tail -1; echo "== rows"; '
    'sqlite3 "$6" "SELECT COUNT(*) FROM images; SELECT COUNT(*) FROM decisions; SELECT COUNT(*) FROM burst_groups; '
    'SELECT id, kind FROM batches"; ls "$5" "$3"')


@pytest.mark.slow
def test_the_records_of_a_drive_gone_for_good_are_forgotten_by_the_command_reports_note_names(tmp_path):
    """A drive's ``lib`` and ``~/Pictures`` scanned into one ``--db``, a keep, a discard and a burst recorded, the
    discarded photo moved to ``DISK/rejects``; the drive unmounted and its mount point removed, as a desktop does:
    ``scan --forget`` is refused while the drive is mounted at ``DISK1``, and for a folder that is there; ``report``
    names the command; it forgets the drive's photos, their keep and discard and burst places, and nothing else
    (the batch stays in the journal, named with the ``undo --close`` that closes it; no file touched). Until
    2026-12-07 nothing could forget them: every ``report`` said "mount it, and run the command again"."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    disk.rmdir()
    db = tmp_path.resolve() / "photos.db"
    pictures = tmp_path.resolve() / "Pictures"
    save_jpeg(pictures / "c.jpg", textured(5))
    ran = subprocess.run(["unshare", "-m", "sh", "-c", f"mkdir {disk}; " + _GONE, "sh", images[0], disk, disk1,
                          sys.executable, _photos(tmp_path), db, _MARK, pictures],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout
    part = {name: out.split(f"== {name}\n")[1].split("\n== ")[0] + "\n" for name in
            ("elsewhere", "report", "forget", "there", "again", "rows")}
    assert part["elsewhere"] == (f"Error: {disk}: the drive mounted at {disk} when it was scanned is mounted at "
                                 f"{disk1} now: nothing forgotten\nrc=1\n"), out
    forget = f"{child_program()} scan --forget --db {db} {disk}"
    moved, note = part["report"].splitlines()  # (the moved photo's note first, as before)
    assert moved.startswith("note: 1 photo moved or trashed by blurscan is not listed"), out
    assert note == (f"note: 2 stored photos under {disk} are not listed: it is where its drive was mounted when it "
                    "was scanned; that drive is not mounted now: mount it, and run the command again; or, the drive "
                    f"gone for good, `{forget}` forgets them (records only)"), out
    assert part["forget"] == (f"forgot 3 stored photos under {disk} (2 keeps or discards, 2 burst places with them); "
                              "nothing on disk was touched.\nbatch 1 moved photos there and stays in the journal: "
                              f"`{child_program()} undo --close --batch 1 --db {db}` closes it.\n"), out
    assert part["there"] == (f"Error: {pictures} is there: nothing forgotten (`blurscan scan` of it forgets the "
                             "photos gone from it)\nrc=1\n"), out
    assert part["again"] == "1 file: 0 blurry, 0 partial, 1 sharp, 0 errors\n", out
    assert part["rows"].startswith("1\n0\n0\n1|move\n"), out
    assert ran.stderr == "", ran.stderr


_UNDONE_THERE = (  # sh -c ... sh IMAGE OTHER_IMAGE DISK DISK1 OTHER PYTHON PHOTOS MARK: as root, in a mount namespace
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount -o loop "$2" "$5"; cp -a "$7" "$3/lib"; '
    'cp -a "$7" "$3/lib2"; for lib in lib lib2; do "$6" -m blurscan scan "$3/$lib" --model none --workers 1 '
    '>/dev/null 2>&1; done; "$6" -c "$8" "$3/lib/.blurscan.db" "$3/lib"; '
    '"$6" -m blurscan move "$3/lib" --all-blurry --to "$5/rejects" --yes >/dev/null; '
    '"$6" -m blurscan trash "$3/lib2" --all-blurry --yes >/dev/null; umount "$3"; '
    'mount -o loop "$1" "$4"; "$6" -m blurscan scan "$4/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$6" -m blurscan undo "$4/lib"; echo "== report"; "$6" -m blurscan report "$4/lib" 2>&1; echo "== rows"; '
    '"$6" -c "$9" "$4/lib/.blurscan.db"; echo "== lib2"; "$6" -m blurscan undo "$4/lib2" >/dev/null; '
    '"$6" -c "$9" "$4/lib2/.blurscan.db"')

_DISCARD_B2 = ("import sys, os; from blurscan.store import Store; from blurscan.review.decisions import set_decision; "
               "store = Store(sys.argv[1]); lib = sys.argv[2]; b2 = os.path.join(lib, 'b2.jpg'); "
               "set_decision(store, b2, 'discard', size=os.stat(b2).st_size, mtime_ns=os.stat(b2).st_mtime_ns); "
               "store.conn.executemany(\"INSERT INTO burst_groups (group_id, path, rank, is_keeper, chosen_by) VALUES "
               "(1, ?, ?, ?, 'person')\", [(os.path.join(lib, 'b1.jpg'), 1, 1), (b2, 2, 0)]); store.conn.commit()")

_ROWS = ("import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); [print(*row, sep='|') for sql in ("
         "'SELECT path FROM images', 'SELECT path, decision FROM decisions', 'SELECT path, decision FROM decision_log', "
         "'SELECT path, is_keeper, chosen_by FROM burst_groups') for row in db.execute(sql + ' ORDER BY path')]")


@pytest.mark.slow
def test_undo_in_a_library_carried_with_its_drive_puts_the_photos_records_where_it_put_them(tmp_path):
    """A library on a real ext4 drive, its database on it, a discard and a burst keeper chosen by a person recorded,
    its blurry photos moved to another drive; the drive then mounted at ``DISK1`` (``DISK`` taken), the library
    scanned there (as ``report`` asks) and the batch undone: the photos go back into ``DISK1/lib``, and their
    records, decisions and burst rows with them, so that ``report`` lists the three photos there with no note and
    nothing is left under ``DISK``. Until 2026-12-07 they stayed under ``DISK``: ``report`` listed ``s.jpg`` alone
    and said "2 stored photos under DISK are not listed ...", a second scan to carry them. A library beside it
    (``lib2``), its photos trashed, undone at ``DISK1`` before any scan there, stays recorded whole under ``DISK``
    (its records split between the two places, ``/media`` was its library: ``move`` laid photos out under it)."""
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    other = disk.parent / "OTHER"
    other.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _UNDONE_THERE, "sh", *images, disk, disk1, other,
                          sys.executable, _photos(tmp_path), _DISCARD_B2, _ROWS],
                         capture_output=True, text=True, timeout=180)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, lib = ran.stdout, disk1 / "lib"
    report = out.split("== report\n")[1].split("== rows\n")[0]
    assert "batch 1: restored 2 files" in out.split("== report\n")[0], out
    assert "note:" not in report and str(disk / "lib") not in report, report
    assert report.endswith("3 files: 2 blurry, 0 partial, 1 sharp, 0 errors\n"), report
    assert all(f"media/DISK1/lib/{name}" in report for name in ("s.jpg", "b1.jpg", "b2.jpg")), report
    assert out.split("== rows\n")[1].split("== lib2\n")[0] == (
        f"{lib / 'b1.jpg'}\n{lib / 'b2.jpg'}\n{lib / 's.jpg'}\n{lib / 'b2.jpg'}|discard\n{lib / 'b2.jpg'}|discard\n"
        f"{lib / 'b1.jpg'}|1|person\n{lib / 'b2.jpg'}|0|person\n"), out
    lib2 = disk / "lib2"
    assert out.split("== lib2\n")[1] == f"{lib2 / 'b1.jpg'}\n{lib2 / 'b2.jpg'}\n{lib2 / 's.jpg'}\n", out


def test_a_photo_put_back_takes_its_own_record_over_one_of_another_file_scanned_at_its_new_place(tmp_path):
    """:func:`~blurscan.actions.carried_records.mark_put_back` of a photo put back at ``new``, where a scan had found
    another file since deleted: the photo's own record (its size and time those of the file there now) replaces
    that one's, which would otherwise have been listed with the other file's scores; the journal row is marked."""
    from blurscan.actions.carried_records import mark_put_back
    from blurscan.store import Store

    old, new = tmp_path / "DISK" / "lib" / "b1.jpg", tmp_path / "DISK1" / "lib" / "b1.jpg"
    save_jpeg(old, blurred(textured(3), 4))
    save_jpeg(new, textured(2))
    db = tmp_path / "lib.db"
    for folder in (old.parent, new.parent):
        assert run("scan", folder, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    new.unlink()
    shutil.copy2(old, new)
    st = os.stat(old)
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    with Store(db) as store:
        (blurry,) = store.conn.execute("SELECT laplacian_var FROM images WHERE path = ?", (str(old),)).fetchone()
        store.conn.execute("INSERT INTO batches (id, kind, destination, created_at, state) VALUES (1, 'trash', NULL, "
                           "0, 'done')")
        store.conn.execute("INSERT INTO journal (id, batch_id, src, dst, state, updated_at) VALUES (1, 1, ?, NULL, "
                           "'done', 0)", (str(old),))
        store.conn.commit()
        mark_put_back(store, 1, "undone", str(old), str(new))
        rows = [tuple(r) for r in store.conn.execute("SELECT path, laplacian_var FROM images ORDER BY path")]
        assert rows == [(str(new), blurry)], rows
        assert [tuple(r) for r in store.conn.execute("SELECT state, src FROM journal")] == [("undone", str(old))]


_ACTIONS = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS OTHER: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; umount "$2"; mount -o loop "$1" "$3"; '
    'set +e; echo "== move"; "$4" -m blurscan move "$3/lib" --all-blurry --to "$6" --yes 2>&1; echo "rc $?"; '
    'echo "== trash"; "$4" -m blurscan trash "$3/lib" --all-blurry --yes 2>&1; echo "rc $?"; '
    'echo "== tag"; "$4" -m blurscan tag "$3/lib" --xmp --all-blurry --yes 2>&1; echo "rc $?"; echo "== ls"; ls -A "$3/lib" "$6"')


@pytest.mark.slow
def test_move_trash_and_tag_in_a_library_carried_with_its_drive_name_the_scan_there(tmp_path):
    """A library scanned on the drive into its own ``.blurscan.db``, the drive mounted at ``DISK1`` (``DISK``
    taken), ``move``, ``trash`` and ``tag --xmp`` of ``DISK1/lib`` before any scan there: each takes nothing and
    says the library was scanned at ``DISK``, its drive mounted at ``DISK1`` now, and the scan of ``DISK1/lib`` that
    finds its photos there, as ``report`` does; nothing is moved, trashed or written. Until 2026-12-07 each said to
    give the library folder at ``DISK/lib``, where nothing is mounted."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    other = tmp_path / "other"
    other.mkdir()
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _ACTIONS, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), other], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    note = (f"note: nothing selected under {disk1 / 'lib'}: this library was scanned at {disk}, and its drive is "
            f"mounted at {disk1} now; `{child_program()} scan {disk1 / 'lib'}` finds its photos there, scores and "
            "keeps or discards kept; then run the command again.\n")
    for command in ("move", "trash", "tag"):
        said = ran.stdout.split(f"== {command}\n")[1].split("== ")[0]
        assert note in said, ran.stdout
        assert str(disk / "lib") not in said, said
    listed = ran.stdout.split("== ls\n")[1].split()
    assert {"b1.jpg", "b2.jpg", "s.jpg"} <= set(listed) and not any(n.endswith(".xmp") for n in listed), listed
    assert listed[-1] == f"{other}:" and ran.stdout.count("rc 0\n") == 3, ran.stdout


_OLDER = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DB: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --db "$6" --model none --workers 1 >/dev/null 2>&1; '
    'sqlite3 "$6" "DELETE FROM meta WHERE key = \'scanned_root_drives\' OR key LIKE \'batch_%drive%\'"; '
    'umount "$2"; rmdir "$2"; mount -o loop "$1" "$3"; echo "== report"; "$4" -m blurscan report --db "$6" 2>&1 '
    '>/dev/null; echo "== forget"; "$4" -m blurscan scan --forget --db "$6" "$2" 2>&1 || echo "rc=$?"; '
    'echo "== rows"; sqlite3 "$6" "SELECT COUNT(*) FROM images"; ls "$3/lib"')


@pytest.mark.slow
def test_forget_in_a_database_from_before_drive_records_refuses_only_a_folder_there(tmp_path):
    """A library on a drive scanned into ``--db`` by a blurscan from before drive records (no ``scanned_root_drives``
    nor ``batch_*drive*`` keys: removed, as such a database never had them); the drive unmounted, its mount point
    removed, the drive mounted at ``DISK1``: ``report`` says the photos no longer on disk, as it did then (nothing
    tells their drive), and ``scan --forget --db FILE DISK`` forgets them: decided so (2026-12-07), since no record
    tells which drive held them (folder names alone took another drive's library for it, until that day), only
    "the folder is there" refuses, and the command is explicit and touches no file on any disk (``DISK1/lib``
    keeps its photos)."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    db = tmp_path.resolve() / "lib.db"
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _OLDER, "sh", images[0], disk, disk1, sys.executable,
                          _photos(tmp_path), db], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    part = {name: ran.stdout.split(f"== {name}\n")[1].split("\n== ")[0].rstrip("\n") + "\n" for name in
            ("report", "forget", "rows")}
    assert "3 stored photos no longer on disk" in part["report"] and "--forget" not in part["report"], ran.stdout
    assert part["forget"] == (f"forgot 3 stored photos under {disk} (0 keeps or discards, 0 burst places with "
                              "them); nothing on disk was touched.\n"), ran.stdout
    assert part["rows"] == "0\nb1.jpg\nb2.jpg\ns.jpg\n", ran.stdout
