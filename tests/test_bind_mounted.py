"""A library on a drive reached at two places at once: mounted at ``DISK`` and bound at ``DISK1`` (``mount --bind
DISK DISK1``; the same file system mounted twice reads the same), a real ext4 file system (a loop device, in a
mount namespace of its own, as root: :func:`test_undo_remounted._drives`). The library's database, reached by
either path, is one database: its batches' locks (:mod:`blurscan.actions.library_locks`) tell it by its file, not
its path."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers_cli import child_program
from helpers_images import blurred, save_jpeg, textured
from helpers_library import _HOLD, sha
from test_undo_remounted import _drives


_BOUND = (  # sh -c ... sh IMAGE OTHER DISK DISK1 PYTHON PHOTOS HOLD FIFOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$3"; mount --bind "$3" "$4"; mkdir -p "$8/other"; '
    'mount -o loop "$2" "$8/other"; for lib in lib tlib; do cp -a "$6" "$3/$lib"; '
    '"$5" -m blurscan scan "$3/$lib" --model none --workers 1 >/dev/null 2>&1; done; '
    '"$5" -m blurscan move "$3/lib" --all-blurry --to "$8/other/rejects" --yes >/dev/null; '
    '"$5" -m blurscan trash "$3/tlib" --all-blurry --yes >/dev/null; set +e; '
    # a batch of the library's database running, reached at DISK: undo through DISK1 waits for it
    'mkfifo "$8/in" "$8/out"; "$5" -c "$7" "$3/lib/.blurscan.db" <"$8/in" >"$8/out" & exec 3>"$8/in"; '
    'read -r held <"$8/out"; echo "== $held"; "$5" -m blurscan undo "$4/lib"; echo "undo: $?"; '
    'echo done >&3; exec 3>&-; wait; '
    'echo "== alone"; "$5" -m blurscan undo "$4/lib"; echo "undo: $?"; ls "$4/lib"; sha256sum "$3/lib/b1.jpg"; '
    'echo "== close"; "$5" -m blurscan undo --close --batch 1 "$4/tlib"; echo "close: $?"; '
    'ls -A "$3/.Trash-0/files"; umount "$8/other"')


@pytest.mark.slow
def test_undo_through_a_second_mount_point_of_the_librarys_drive(tmp_path):
    """``scan DISK/lib``, its blurry photos moved to another drive, then ``undo DISK1/lib``: while a batch of that
    database runs (reached at ``DISK``) undo is refused, saying so; alone it puts them back. ``undo --close --batch
    1 DISK1/tlib`` after a trash says the files are within reach (what it says at ``DISK``). Until 2026-12-07 both
    undos stopped, "another blurscan move, trash, tag or undo is running on DISK/lib/.blurscan.db", with nothing
    else running: the library's database, reached at ``DISK``, was taken for another database of its library."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    blurry = {name: sha(photos / name) for name in ("b1.jpg", "b2.jpg")}
    images, disk, disk1 = _drives(tmp_path, "drive.img", "other.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _BOUND, "sh", *images, disk, disk1, sys.executable, photos,
                          _HOLD, tmp_path / "t"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, err = ran.stdout, ran.stderr
    assert "== held\n" in out and "undo: 1\n" in out, out + err
    assert (f"Error: {disk1 / 'lib' / '.blurscan.db'}: another blurscan move, trash, tag or undo is running on this "
            "database or another database of its library; wait for it to finish\n") in err, err
    assert ("== alone\nbatch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\n"
            f"b1.jpg\nb2.jpg\ns.jpg\n{blurry['b1.jpg']}  {disk / 'lib' / 'b1.jpg'}\n") in out, out + err
    assert (f"Error: batch 1: 2 files it moved are within reach at {disk / '.Trash-0' / 'files'} (no drive there is "
            f"unmounted): `{child_program()} undo --batch 1 {disk1 / 'tlib'}` puts them back") in err, err
    assert "close: 1\nb1.jpg\nb2.jpg\n" in out, out + err
    assert err.count("another blurscan") == 1, err


_MOVED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; mount --bind "$2" "$3"; mkdir "$2/lib"; '
    'cp -a "$5" "$2/lib/sub"; cp -a "$5" "$2/lib/two"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; set +e; '
    'echo "== sub"; "$4" -m blurscan move "$3/lib/sub" --all-blurry --to "$2/.rejects" --yes; echo "move: $?"; '
    'echo "== lib"; "$4" -m blurscan trash "$3/lib" --all-blurry; echo "trash: $?"; ls -A "$2/lib/sub"')


@pytest.mark.slow
def test_move_and_trash_of_a_library_given_through_a_second_mount_point(tmp_path):
    """``scan DISK/lib``, then ``move DISK1/lib/sub`` takes the blurry photos of ``sub`` (said to be those under
    ``DISK/lib/sub``, the library's name for it), and ``trash DISK1/lib`` (a dry run) those left in the library.
    Until 2026-12-07 both said "Nothing to move" (or trash), "nothing selected under DISK1/lib/sub; 2 photos
    elsewhere in the library would be (give the library folder, DISK/lib, to take them)": the folder given was
    compared by its path with the stored ones."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _MOVED, "sh", images[0], disk, disk1, sys.executable,
                          photos], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, err = ran.stdout, ran.stderr
    assert (f"note: only photos under {disk / 'lib' / 'sub'} are taken (the library is {disk / 'lib'})\n") in err, err
    assert (f"moved 2 photos (2 files, 21.4 kB) to {disk / '.rejects'} as batch 1; undo with `{child_program()} "
            f"undo --batch 1 {disk1 / 'lib'}`.\nmove: 0\n") in out, out + err
    assert ("would trash two/b1.jpg [blurry]\nwould trash two/b2.jpg [blurry]\nDry run: 2 photos (2 files, 21.4 kB) "
            "would go to the trash") in out, out + err
    assert "trash: 0\ns.jpg\n" in out, out + err
    assert "nothing selected" not in err, err


_RESCANNED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; mount --bind "$2" "$3"; mkdir "$2/other"; '
    'cp -a "$5" "$2/c"; cp -a "$5" "$2/other/x"; cd /; '
    '"$4" -m blurscan scan "$2/c" --model none --workers 1 --format csv >/dev/null; set +e; '
    'echo "== again"; "$4" -m blurscan scan "$3/c" --model none --workers 1 --format csv; echo "scan: $?"; '
    'echo "== rows"; "$4" -c "import sqlite3, sys; print(*sorted(p for (p,) in sqlite3.connect(sys.argv[1])'
    '.execute(\'SELECT path FROM images\')), sep=chr(10))" "$2/c/.blurscan.db"; '
    'echo "== api"; "$4" -c "import blurscan, sys; print(*sorted(r.path for r in blurscan.scan(sys.argv[1], '
    'blurscan.ScanSettings(model=\'none\', workers=1), db=sys.argv[2]) if r.cached))" "$3/c" "$3/c/.blurscan.db"; '
    'echo "== report"; "$4" -m blurscan report "$3/c" --format csv | wc -l; '
    'echo "== move"; "$4" -m blurscan move "$3/c" --all-blurry --to "$2/.rejects" --yes; echo "move: $?"; '
    'echo "== other"; "$4" -m blurscan scan "$3/other" --model none --workers 1 --format csv >/dev/null; '
    'echo "scan: $?"; ls -A "$2/other"')


@pytest.mark.slow
def test_scan_again_through_a_second_mount_point_of_the_librarys_drive(tmp_path):
    """``scan DISK/c``, then ``scan DISK1/c`` (the same drive bound there): the second scan says the folder is the
    library's ``DISK/c``, finds its 3 photos unchanged and stores no second name of them; ``report DISK1/c`` lists
    them without a word of links, and ``move DISK1/c`` keeps ``DISK/c`` for the library. A folder outside the
    library, ``DISK1/other``, is scanned under its own name into a database of its own. Until 2026-12-07 the second
    scan scored the photos again and stored them under ``DISK1/c`` too (6 rows), report said "3 stored names of a
    photo listed under another name ... are not listed", and the library became the folder holding both mount
    points."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _RESCANNED, "sh", images[0], disk, disk1, sys.executable,
                          photos], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, err = ran.stdout, ran.stderr
    assert (f"note: {disk1 / 'c'} is {disk / 'c'} of the library, reached through another mount point of its drive: "
            "its photos are kept under the library's name\n") in err, err
    again = err.split("the library's name\n")[1].splitlines()[0]
    assert again.startswith("scanned 3 files: 2 blurry, 0 partial, 1 sharp, 0 errors (3 unchanged, reused) in "), err
    assert again.endswith(f" s; database: {disk / 'c' / '.blurscan.db'}"), err
    assert f"{disk / 'c' / 'b1.jpg'}," in out and str(disk1) + "/c/" not in out.split("== rows")[0], out
    stored = [str(disk / "c" / n) for n in ("b1.jpg", "b2.jpg", "s.jpg")]
    assert "scan: 0\n== rows\n" + "\n".join(stored) + "\n== api\n" + " ".join(stored) + "\n== report\n4\n" in out, \
        out + err  # (blurscan.scan, given DISK1/c and the database there: the library's names, reused, no new row)
    assert "under another name" not in err and "nothing selected" not in err, err
    assert (f"moved 2 photos (2 files, 21.4 kB) to {disk / '.rejects'} as batch 1; undo with `{child_program()} "
            f"undo --batch 1 {disk1 / 'c'}`.\nmove: 0\n") in out, out + err
    assert "== other\nscan: 0\n.blurscan.db\nx\n" in out, out  # (its own library: stored under DISK1/other)
