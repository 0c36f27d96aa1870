"""A library on a drive reached at two places at once: mounted at ``DISK`` and bound at ``DISK1`` (``mount --bind
DISK DISK1``; the same file system mounted twice reads the same), a real ext4 file system (a loop device, in a
mount namespace of its own, as root: :func:`test_undo_remounted._drives`). The library's database, reached by
either path, is one database: its batches' locks (:mod:`blurscan.actions.library_locks`) tell it by its file, not
its path."""
from __future__ import annotations

import json
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


_DOUBLE = """import json, sqlite3, sys, time
disk, disk1 = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(disk + '/lib/.blurscan.db')
def twin(path):
    return disk1 + path[len(disk):]
for row in conn.execute('SELECT * FROM images').fetchall():  # what a scan through DISK1 stored until 2026-12-07
    record = json.loads(row[-1]) if isinstance(row[-1], str) and row[-1].startswith('{') else None
    cols = [d[0] for d in conn.execute('SELECT * FROM images').description]
    values = dict(zip(cols, row))
    values['path'] = twin(values['path'])
    if 'record' in values:
        record = json.loads(values['record'])
        record['path'] = values['path']
        values['record'] = json.dumps(record)
    conn.execute(f"INSERT INTO images ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})", list(values.values()))
conn.execute("UPDATE meta SET value = ? WHERE key = 'scanned_roots'", (json.dumps([disk + '/lib', disk1 + '/lib']),))
def decide(path, decision, at):
    size, mtime = conn.execute('SELECT size, mtime_ns FROM images WHERE path = ?', (path,)).fetchone()
    conn.execute('INSERT INTO decisions VALUES (?, ?, ?, ?, ?)', (path, decision, size, mtime, at))
decide(disk1 + '/lib/b1.jpg', 'keep', 1.0)  # a keep on the twin only
decide(disk1 + '/lib/b2.jpg', 'keep', 1.0)  # the twins disagree: the keep is the older one
decide(disk + '/lib/b2.jpg', 'discard', 2.0)
decide(disk1 + '/lib/h.jpg', 'discard', 1.0)
conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper, chosen_by) VALUES (1, ?, 1, 1, 'person')",
             (disk1 + '/lib/b1.jpg',))
conn.execute("INSERT INTO batches (id, kind, destination, created_at, state) VALUES (1, 'move', '/x', 1, 'undone')")
conn.execute("INSERT INTO journal (batch_id, src, dst, state, updated_at) VALUES (1, ?, '/x/b2.jpg', 'undone', 1)",
             (disk1 + '/lib/b2.jpg',))
conn.commit()
"""

_DUMP = """import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
for sql in ('SELECT path, size, mtime_ns, cache_key FROM images', 'SELECT path, decision FROM decisions',
            'SELECT path FROM burst_groups', 'SELECT src FROM journal', "SELECT value FROM meta WHERE key = 'scanned_roots'"):
    print(*sorted(conn.execute(sql)), sep=chr(10))
"""

_DOUBLED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS DOUBLE DUMP WHERE: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; mount --bind "$2" "$3"; cp -a "$5" "$2/lib"; '
    'ln "$2/lib/s.jpg" "$2/lib/h.jpg"; cd /; "$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$4" -c "$7" "$2/lib/.blurscan.db" >"$2/../before"; "$4" -c "$6" "$2" "$3"; set +e; '
    'echo "== scan"; "$4" -m blurscan scan "$8/lib" --model none --workers 1 --format csv >/dev/null; echo "scan: $?"; '
    'echo "== rows"; "$4" -c "$7" "$2/lib/.blurscan.db"; '
    'echo "== move"; "$4" -m blurscan move "$2/lib" --all-blurry --to "$2/.rejects"; echo "move: $?"; '
    'stat -c %i "$2/lib/s.jpg" "$2/lib/h.jpg"')


@pytest.mark.slow
@pytest.mark.parametrize("where", ["DISK", "DISK1"])
def test_a_database_doubled_through_a_second_mount_point_is_mended_by_the_next_scan(tmp_path, where):
    """A database an older blurscan doubled (until 2026-12-07: ``scan DISK/lib``, then ``scan DISK1/lib``, the drive
    bound there, stored each photo a second time under ``DISK1/lib`` and recorded that root too; a keep on
    ``DISK1/lib/b1.jpg``, a keep there and a discard at ``DISK`` on ``b2.jpg``, a burst keeper and a journal row
    under ``DISK1``), scanned again through either place: the rows are merged into ``DISK/lib``'s, nothing scored
    again (each record as the first scan stored it), the keep on b1 carried, b2's keep winning over the discard,
    the burst and journal rows at ``DISK/lib``, ``DISK1/lib`` dropped from the scanned roots, one line saying so;
    ``move DISK/lib`` keeps ``DISK/lib`` for the library. A hard-linked pair in the library (``s.jpg``, ``h.jpg``:
    one inode, the scan storing ``h.jpg``) is not merged into one another: ``h.jpg``'s rows stay its own. Until
    2026-12-07 (later that day) the database stayed doubled: 6 rows, both roots, the keep on the ``DISK1`` name."""
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _DOUBLED, "sh", images[0], disk, disk1, sys.executable,
                          photos, _DOUBLE, _DUMP, disk.parent / where], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out, err = ran.stdout, ran.stderr
    assert (f"note: merged 3 doubled records an older blurscan stored under {disk1 / 'lib'}, {disk / 'lib'} reached "
            "through another mount point of its drive, into the library's name (nothing scored again; where the two "
            "names' keep and discard disagreed, the keep stays)\n") in err, err
    assert "(3 unchanged, reused)" in err and "scan: 0\n" in out, out + err
    records = "\n".join((disk.parent / "before").read_text().splitlines()[:3])  # (as the first scan stored them)
    lib = disk / "lib"
    assert "== rows\n" + records + (f"\n('{lib / 'b1.jpg'}', 'keep')\n('{lib / 'b2.jpg'}', 'keep')\n"
                                    f"('{lib / 'h.jpg'}', 'discard')\n('{lib / 'b1.jpg'}',)\n('{lib / 'b2.jpg'}',)\n"
                                    f"('{json.dumps([str(lib)])}',)\n== move\n") in out, out + err
    assert str(disk1) + "/" not in out.split("== rows")[1], out
    assert records.count("\n") == 2 and "s.jpg" not in records, records  # (the pair: one row, h.jpg)
    assert f"(the library is {disk.parent})" not in err and "would move h.jpg [discard]" in out, out + err
    inodes = out.split("move: 0\n")[1].split()
    assert len(inodes) == 2 and inodes[0] == inodes[1], out
