"""Undo of a move whose ``--to`` is on a drive mounted elsewhere than where drives are mounted (``/srv/rejects``,
``~/ext``: not under /media, /mnt, /run/media, nor in /etc/fstab), the drive not mounted now: its mount point an
empty folder, or no folder at all. The move records where the ``--to``'s file system was mounted
(:func:`blurscan.actions.drives.mount_point`); undo, finding a file at neither place while that folder is not
mounted, fails the row, to be retried, instead of calling the file gone and closing the batch. A ``--to`` emptied
by hand while its drive is mounted, or one on the root's file system, is gone as before."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from blurscan.actions import batch_drives, drive_ids, drives, journal, trash
from blurscan.store import Store
from helpers_cli import child_program, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import sha
from helpers_os import skip_unless_in_a_mount_namespace
import pytest


def _library(tmp_path):
    """``lib`` (``s.jpg`` sharp, ``b1.jpg`` and ``b2.jpg`` blurry), scanned: ``(lib, SHA-256 of the blurry by
    name)``."""
    lib = tmp_path.resolve() / "lib"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    return lib, {name: sha(lib / name) for name in ("b1.jpg", "b2.jpg")}


def _mountinfo(tmp_path, monkeypatch, *points):
    """/proc/self/mountinfo with ``/`` and a drive mounted at each of ``points``."""
    lines = ["27 1 254:0 / / rw,relatime - ext4 /dev/vda rw"]
    lines += [f"{40 + n} 27 8:{n + 1} / {point} rw,nosuid shared:{n + 1} - ext4 /dev/sdb{n + 1} rw"
              for n, point in enumerate(points)]
    mountinfo = tmp_path / f"mountinfo{len(points)}"
    mountinfo.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    # (the file systems the table names are not those statvfs reads there: no identity told by their f_fsid)
    monkeypatch.setattr(drive_ids, "FSID_TYPES", {})


def _drive(tmp_path, monkeypatch):
    """``srv/ext`` under ``tmp_path``, a drive mounted there (the mount table played by a file): the folder."""
    ext = tmp_path.resolve() / "srv" / "ext"
    ext.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch, ext)
    return ext


def _unplug(tmp_path, monkeypatch, ext) -> None:
    """The drive at ``ext`` (:func:`_drive`) unplugged: its files taken away with it (to ``tmp_path/away``), its
    mount point gone from the mount table and from the disk."""
    shutil.move(ext, tmp_path / "away")
    _mountinfo(tmp_path, monkeypatch)


def _discarded_in_the_page_and_moved_to_a_drive(tmp_path, monkeypatch):
    """The review page's sample library, its ``blurry.jpg`` marked discard in the page, then moved by ``move --to
    srv/ext/rejects`` (a drive mounted at ``srv/ext``, :func:`_drive`): ``(db, records, client, item, change, ext)``."""
    from helpers_review import _get, _post, build_review_library, review_client

    db, recs = library = build_review_library(tmp_path)
    ext = _drive(tmp_path, monkeypatch)
    c = review_client(library)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    change = _post(c, "/api/decision", {"id": item["id"], "v": item["v"], "decision": "discard"}).get_json()["change"]
    assert run("move", db.parent, "--to", ext / "rejects", "--yes").exit_code == 0
    return db, recs, c, item, change, ext


def test_undo_while_the_to_drive_mounted_elsewhere_is_not_mounted_fails_to_be_retried(tmp_path, monkeypatch):
    """``move --to srv/ext/rejects`` with a drive mounted at ``srv/ext`` (the mount table played by a file), then
    undo once it is not mounted (``srv/ext`` an empty folder), and once its mount point is removed too: the rows
    fail, the batch stays ``partial``; mounted again, the next plain undo puts the photos back. Until 2026-12-07
    undo said them "missing, and not found at ... either" and closed the batch."""
    lib, blurry = _library(tmp_path)
    ext = _drive(tmp_path, monkeypatch)
    res = run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib)
    assert res.exit_code == 0 and "moved 2 photos" in res.stdout, res.output
    with Store(lib / ".blurscan.db", readonly=True) as store:
        assert batch_drives.recorded(store, 1) == [str(ext)]
    _unplug(tmp_path, monkeypatch, ext)  # unplugged: its mount point left empty, then removed
    for point_there in (True, False):
        if point_there:
            ext.mkdir()
        res = run("undo", lib)
        assert res.exit_code == 1, res.output
        for name in ("b1.jpg", "b2.jpg"):
            assert (f"failed: {lib / name}: not put back: {ext / 'rejects' / name} cannot be reached: {ext}, where "
                    "its drive was mounted when the batch moved it, is not mounted now (is the drive unplugged?); "
                    "mount it there and run undo again\n") in res.stderr, res.stderr
        assert "is closed" not in res.output and "gone (" not in res.output and "missing" not in res.output
        with Store(lib / ".blurscan.db", readonly=True) as store:
            assert journal.batch(store, 1).state == "partial"
        if point_there:
            assert os.listdir(ext) == []
            ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output
    assert {name: sha(lib / name) for name in blurry} == blurry


def test_undo_list_says_the_files_an_undo_left_for_their_drive_to_retry(tmp_path, monkeypatch):
    """``undo --list`` after an undo that could not put the photos back, their ``--to`` on a drive (mounted at
    ``srv/ext``) not mounted now: the 2 photos are to retry, on that drive, which mounted there lets the undo put
    them back; once it is mounted, still to retry (the last undo could not), and once undone, nothing to retry.
    Until 2026-12-07 it said ``partial: 2 moved, 0 failed, 0 undone of 2 files`` as if no undo had been tried."""
    lib, blurry = _library(tmp_path)
    ext = _drive(tmp_path, monkeypatch)
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib).exit_code == 0
    listed = run("undo", "--list", lib).stdout
    assert " move -> " in listed and " done: 2 moved, 0 failed, 0 undone of 2 files (" in listed, listed
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    assert run("undo", lib).exit_code == 1
    listed = run("undo", "--list", lib)
    assert listed.exit_code == 0, listed.output
    assert (f" partial: 2 moved, 0 failed, 0 undone, 2 to retry (on the drive at {ext}, not mounted now: mount it "
            f"there and `blurscan undo --batch 1 {lib}` puts them back) of 2 files (") in listed.stdout, listed.stdout
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    listed = run("undo", "--list", lib).stdout
    assert (f" partial: 2 moved, 0 failed, 0 undone, 2 to retry (the last undo could not put them back; `blurscan "
            f"undo --batch 1 {lib}` tries again) of 2 files (") in listed, listed
    assert run("undo", lib).exit_code == 0
    listed = run("undo", "--list", lib).stdout
    assert " undone: 0 moved, 0 failed, 2 undone of 2 files (" in listed and "retry" not in listed, listed
    assert {name: sha(lib / name) for name in blurry} == blurry


def test_a_to_emptied_by_hand_while_its_drive_is_mounted_is_gone(tmp_path, monkeypatch):
    """The photos deleted by hand from the ``--to`` on a drive still mounted (at ``srv/ext``), or from a ``--to`` on
    the root's file system (nothing recorded): gone, the batch closed, as before."""
    for on_a_drive in (True, False):
        lib, _ = _library(tmp_path / str(on_a_drive))
        ext = tmp_path.resolve() / str(on_a_drive) / "srv" / "ext"
        ext.mkdir(parents=True)
        _mountinfo(tmp_path, monkeypatch, *([ext] if on_a_drive else []))
        assert run("move", "--all-blurry", "--to", ext, "--yes", lib).exit_code == 0
        with Store(lib / ".blurscan.db", readonly=True) as store:
            assert batch_drives.recorded(store, 1) == ([str(ext)] if on_a_drive else [])
        for name in ("b1.jpg", "b2.jpg"):
            (ext / name).unlink()
        res = run("undo", lib)
        assert res.exit_code == 1, res.output
        assert f"failed: {lib / 'b1.jpg'}: missing, and not found at {ext / 'b1.jpg'} either\n" in res.stderr
        assert "batch 1 is closed" in res.stdout, res.output
        with Store(lib / ".blurscan.db", readonly=True) as store:
            assert journal.batch(store, 1).state == "closed"


_MOUNTED = ('mount --bind "$1" "$2" && "$3" -m blurscan move --all-blurry --to "$2" --yes "$4" && umount "$2" && '
            '"$3" -m blurscan undo "$4"; echo "undo: $?"; "$3" -m blurscan undo --list "$4" && rmdir "$2" && '
            '"$3" -m blurscan undo "$4"; '
            'echo "undo: $?"; mkdir "$2" && mount --bind "$1" "$2" && exec "$3" -m blurscan undo "$4"')


@pytest.mark.slow
def test_undo_with_a_real_to_drive_not_mounted(tmp_path):
    """The same with a real mount (a bind mount of the folder ``drive`` at ``srv/ext``, in a mount namespace of its
    own, ``unshare -rm``): moved while mounted, undone once unmounted (refused; ``undo --list`` says the photos wait
    for that drive), once its mount point is removed (refused), and once mounted again (put back)."""
    lib, blurry = _library(tmp_path)
    drive, ext = tmp_path.resolve() / "drive", tmp_path.resolve() / "srv" / "ext"
    drive.mkdir()
    ext.mkdir(parents=True)
    skip_unless_in_a_mount_namespace('mount --bind "$1" "$2" && umount "$2"', drive, ext,
                                     reason="no bind mount in a mount namespace here (unshare -rm)")
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _MOUNTED, "sh", drive, ext, sys.executable, lib],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    refusal = (f"failed: {lib / 'b1.jpg'}: not put back: {ext / 'b1.jpg'} cannot be reached: {ext}, where its drive "
               "was mounted when the batch moved it, is not mounted now (is the drive unplugged?)")
    assert ran.stderr.count(refusal) == 2, ran.stderr
    assert ran.stdout.count("undo: 1\n") == 2 and "closed" not in ran.stdout, ran.stdout
    assert (f" partial: 2 moved, 0 failed, 0 undone, 2 to retry (on the drive at {ext}, not mounted now: mount it "
            f"there and `{child_program()} undo --batch 1 {lib}` puts them back) of 2 files (") in ran.stdout, ran.stdout
    assert ran.stdout.endswith("batch 1: restored 2 files.\n"), ran.stdout
    assert {name: sha(lib / name) for name in blurry} == blurry
    assert os.listdir(drive) == []


def _on_a_drive(tmp_path, monkeypatch):
    """``srv/ext/lib`` (as :func:`_library`'s), scanned into ``lib.db`` beside ``srv``, with a drive mounted at
    ``srv/ext`` (the mount table played by a file) whose photos the trash puts in its own ``.Trash-UID``, as on a
    real drive: ``(ext, lib, db, SHA-256 of the blurry by name)``."""
    ext = tmp_path.resolve() / "srv" / "ext"
    lib, db = ext / "lib", tmp_path.resolve() / "lib.db"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", lib, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    device_of = trash.device_of  # (the home trash on another device than the drive's photos)
    monkeypatch.setattr(trash, "device_of", lambda path: -1 if path == trash.home_trash() else device_of(path))
    mount_point = trash._mount_point  # (the drive's top for its photos; the home trash's own elsewhere)
    monkeypatch.setattr(trash, "_mount_point", lambda path: str(ext) if os.path.realpath(path).startswith(
        str(ext) + os.sep) else mount_point(path))
    _mountinfo(tmp_path, monkeypatch, ext)
    return ext, lib, db, {name: sha(lib / name) for name in ("b1.jpg", "b2.jpg")}


def test_undo_while_the_trash_drive_mounted_elsewhere_is_not_mounted_fails_to_be_retried(tmp_path, monkeypatch):
    """``trash`` of photos on a drive mounted at ``srv/ext`` (into its ``.Trash-UID``), then undo once it is not
    mounted, its mount point made again (an empty folder, new) and removed: the rows fail, the batch stays
    ``partial``; mounted again, the next plain undo puts the photos back. Until 2026-12-07 undo said them "no longer
    in the trash" and closed the batch."""
    ext, lib, db, blurry = _on_a_drive(tmp_path, monkeypatch)
    res = run("trash", "--all-blurry", "--yes", "--db", db, lib)
    assert res.exit_code == 0 and "trashed 2 photos" in res.stdout, res.output
    assert sorted(os.listdir(ext / f".Trash-{os.getuid()}" / "files")) == ["b1.jpg", "b2.jpg"]
    with Store(db, readonly=True) as store:
        assert batch_drives.recorded(store, 1) == [str(ext)]
    _unplug(tmp_path, monkeypatch, ext)  # unplugged
    for point_there in (True, False):
        if point_there:
            ext.mkdir()
        res = run("undo", "--db", db)
        assert res.exit_code == 1, res.output
        for name in ("b1.jpg", "b2.jpg"):
            assert (f"failed: {lib / name}: not put back: {ext / f'.Trash-{os.getuid()}' / 'files' / name} cannot "
                    f"be reached: {ext}, where its drive was mounted when the batch moved it, is not mounted now (is "
                    "the drive unplugged?); mount it there and run undo again\n") in res.stderr, res.stderr
        assert "closed" not in res.output and "no longer in the trash" not in res.output
        with Store(db, readonly=True) as store:
            assert journal.batch(store, 1).state == "partial"
        if point_there:
            assert os.listdir(ext) == []
            ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    res = run("undo", "--db", db)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output
    assert {name: sha(lib / name) for name in blurry} == blurry


def test_a_drives_trash_deleted_by_hand_while_the_drive_is_mounted_is_gone(tmp_path, monkeypatch):
    """The drive's trash folder deleted by hand (the person emptied it) while the drive is mounted: the photos are
    gone, the batch closed, as before."""
    ext, lib, db, _ = _on_a_drive(tmp_path, monkeypatch)
    assert run("trash", "--all-blurry", "--yes", "--db", db, lib).exit_code == 0
    shutil.rmtree(ext / f".Trash-{os.getuid()}")
    res = run("undo", "--db", db)
    assert res.exit_code == 1, res.output
    assert f"failed: {lib / 'b1.jpg'}: no longer in the trash at " in res.stderr, res.stderr
    assert "batch 1 is closed" in res.stdout, res.output


def test_a_photo_a_later_batch_holds_on_a_drive_not_mounted_is_not_gone(tmp_path, monkeypatch):
    """``move --to rejA``, the photos put back by hand, then ``move --to srv/ext/rejects`` (a drive mounted at
    ``srv/ext``), unplugged (its mount point left empty): ``undo --batch 1`` says batch 2 took them again (its undo
    brings them back). Until 2026-12-07 it said them "missing, and not found at .../rejA/b1.jpg either" and closed
    batch 1 (:func:`blurscan.actions.undo._still_there` looked at the drives where drives are mounted only)."""
    lib, blurry = _library(tmp_path)
    ext, rej = tmp_path.resolve() / "srv" / "ext", tmp_path.resolve() / "rejA"
    ext.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    for name in blurry:
        shutil.move(rej / name, lib / name)  # put back by hand
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib).exit_code == 0
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    res = run("undo", "--batch", "1", lib)
    assert res.exit_code == 0, res.output
    assert "2 taken again by batch 2" in res.stdout and "missing" not in res.output, res.output
    with Store(lib / ".blurscan.db", readonly=True) as store:
        assert journal.batch(store, 1).state == "undone"
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again: batch 2's undo brings them back
    _mountinfo(tmp_path, monkeypatch, ext)
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 2: restored 2 files"), res.output
    assert {name: sha(lib / name) for name in blurry} == blurry


_TRASHED = ('mount -t tmpfs tmpfs "$1" && mkdir "$1/lib" && cp "$5"/*.jpg "$1/lib" && mount --bind "$1" "$2" && '
            '"$3" -m blurscan scan "$2/lib" --db "$4" --model none --workers 1 >/dev/null && '
            '"$3" -m blurscan trash --all-blurry --yes --db "$4" "$2/lib" && umount "$2" && rmdir "$2" && mkdir "$2" && '
            '"$3" -m blurscan undo --db "$4"; echo "undo: $?"; rmdir "$2" && "$3" -m blurscan undo --db "$4"; '
            'echo "undo: $?"; mkdir "$2" && mount --bind "$1" "$2" && "$3" -m blurscan undo --db "$4" && '
            'ls -A "$2/.Trash-0/files" && cd "$2/lib" && exec sha256sum b1.jpg b2.jpg')


@pytest.mark.slow
def test_undo_with_a_real_trash_drive_not_mounted(tmp_path):
    """The same with a real drive (a tmpfs, in a mount namespace of its own, ``unshare -rm``, shown at ``srv/ext``
    by a bind mount, so that its files outlive the unmount there): trashed into ``srv/ext/.Trash-0``, undone once
    unmounted, its mount point made again (refused: one left as it was is an empty mount point not modified since the
    batch, refused already), once its mount point is removed (refused), and once mounted again (put back)."""
    photos, _ = _library(tmp_path)
    drive, ext = tmp_path.resolve() / "drive", tmp_path.resolve() / "srv" / "ext"
    drive.mkdir()
    ext.mkdir(parents=True)
    skip_unless_in_a_mount_namespace('mount -t tmpfs tmpfs "$1" && mount --bind "$1" "$2" && umount "$2"', drive, ext,
                                     reason="no tmpfs nor bind mount in a mount namespace here (unshare -rm)")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _TRASHED, "sh", drive, ext, sys.executable,
                          tmp_path / "lib.db", photos], capture_output=True, text=True, timeout=120, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lib = ext / "lib"
    refusal = (f"failed: {lib / 'b1.jpg'}: not put back: {ext / '.Trash-0' / 'files' / 'b1.jpg'} cannot be reached: "
               f"{ext}, where its drive was mounted when the batch moved it, is not mounted now (is the drive "
               "unplugged?)")
    assert ran.stderr.count(refusal) == 2, ran.stderr
    assert ran.stdout.count("undo: 1\n") == 2 and "closed" not in ran.stdout, ran.stdout
    assert "batch 1: restored 2 files.\n" in ran.stdout, ran.stdout
    assert ran.stdout.endswith(f"{sha(photos / 'b1.jpg')}  b1.jpg\n{sha(photos / 'b2.jpg')}  b2.jpg\n"), ran.stdout


def test_the_home_trash_reached_through_a_linked_home_waits_for_its_drive(tmp_path, monkeypatch):
    """``HOME`` through a link (``home -> var/home``, as on Fedora Silverblue: the mount table names ``var/home``):
    photos trashed into the home trash (recorded as ``~`` names it), then that drive not mounted: ``report`` and
    ``undo --list`` say them on the drive at ``var/home``, undo fails them to be retried, naming the trash as ``~``
    names it; mounted again, the next plain undo puts them back. Until 2026-12-07 the trash's path matched no
    recorded mount point: report said them "no longer in the trash", and undo said them gone and closed the batch."""
    lib, blurry = _library(tmp_path)
    drive = tmp_path.resolve() / "var" / "home"
    (drive / "me").mkdir(parents=True)
    (tmp_path / "home").symlink_to(os.path.join("var", "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path.resolve() / "home" / "me"))
    _mountinfo(tmp_path, monkeypatch, drive)
    assert run("trash", "--all-blurry", "--yes", lib).exit_code == 0
    files = tmp_path.resolve() / "home" / "me" / ".local" / "share" / "Trash" / "files"
    assert sorted(os.listdir(files)) == ["b1.jpg", "b2.jpg"]
    with Store(lib / ".blurscan.db", readonly=True) as store:
        assert batch_drives.recorded(store, 1) == [str(drive)]
    shutil.move(drive, tmp_path / "away")  # not mounted: its mount point left empty
    drive.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    res = run("report", lib)
    assert res.exit_code == 0, res.output
    assert res.stderr == (f"note: 2 photos moved or trashed by blurscan are not listed: they are on the drive at "
                          f"{drive}, not mounted now; mount it there and `blurscan undo {lib}` puts them back\n")
    res = run("undo", lib)
    assert res.exit_code == 1 and "closed" not in res.output and "no longer in the trash" not in res.output, res.output
    for name in blurry:
        assert (f"failed: {lib / name}: not put back: {files / name} cannot be reached: {drive}, where its drive was "
                "mounted when the batch moved it, is not mounted now (is the drive unplugged?)") in res.stderr
    assert f"2 to retry (on the drive at {drive}, not mounted now: " in run("undo", "--list", lib).stdout
    drive.rmdir()
    shutil.move(tmp_path / "away", drive)  # mounted again
    _mountinfo(tmp_path, monkeypatch, drive)
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output
    assert {name: sha(lib / name) for name in blurry} == blurry


_LINKED_HOME = ('mount -t tmpfs tmpfs "$1" && mkdir -p "$1/me/lib" && cp "$5"/*.jpg "$1/me/lib" && '
                'mount --bind "$1" "$2" && "$3" -m blurscan scan "$HOME/lib" --db "$4" --model none --workers 1 '
                '>/dev/null && "$3" -m blurscan trash --all-blurry --yes --db "$4" "$HOME/lib" && umount "$2" && '
                '"$3" -m blurscan report --db "$4" >/dev/null; "$3" -m blurscan undo --db "$4"; echo "undo: $?"; '
                'mount --bind "$1" "$2" && "$3" -m blurscan undo --db "$4" && cd "$2/me/lib" && '
                'exec sha256sum b1.jpg b2.jpg')


@pytest.mark.slow
def test_the_home_trash_of_a_real_drive_reached_through_a_linked_home(tmp_path):
    """The same with a real drive (a tmpfs shown at ``var/home`` by a bind mount, in a mount namespace of its own,
    ``unshare -rm``), ``HOME`` at ``home/me``, ``home`` a link to ``var/home``, the library on that drive too:
    trashed into the home trash, then not mounted: report says the photos on the drive at ``var/home``, and undo
    refuses them (the trash's drive not mounted, or their own folder, on it, not there: which it says first
    depends on whether that mount point was made within the batch's second), the batch not closed; mounted again,
    undo puts them back. Until 2026-12-07 report said them "no longer in the trash", and undo closed the batch."""
    photos, _ = _library(tmp_path)
    drive, point = tmp_path.resolve() / "drive", tmp_path.resolve() / "var" / "home"
    drive.mkdir()
    point.mkdir(parents=True)
    (tmp_path / "home").symlink_to(os.path.join("var", "home"))
    skip_unless_in_a_mount_namespace('mount -t tmpfs tmpfs "$1" && mount --bind "$1" "$2" && umount "$2"', drive,
                                     point, reason="no tmpfs nor bind mount in a mount namespace here (unshare -rm)")
    home = tmp_path.resolve() / "home" / "me"
    env = {**{k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}, "HOME": str(home)}
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _LINKED_HOME, "sh", drive, point, sys.executable,
                          tmp_path / "lib.db", photos], capture_output=True, text=True, timeout=120, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lib = point / "me" / "lib"
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: they are on the drive at {point}, not "
            f"mounted now; mount it there and `{child_program()} undo --db ") in ran.stderr, ran.stderr
    for name in ("b1.jpg", "b2.jpg"):  # (the trash's drive not mounted, or the photo's folder, on it, not there)
        assert f"failed: {lib / name}: not put back: " in ran.stderr, ran.stderr
    assert "no longer in the trash" not in ran.stderr, ran.stderr
    assert "undo: 1\n" in ran.stdout and "closed" not in ran.stdout, ran.stdout
    assert "batch 1: restored 2 files.\n" in ran.stdout, ran.stdout
    assert ran.stdout.endswith(f"{sha(photos / 'b1.jpg')}  b1.jpg\n{sha(photos / 'b2.jpg')}  b2.jpg\n"), ran.stdout


def test_report_says_photos_on_a_drive_mounted_elsewhere_not_mounted_are_there_not_lost(tmp_path, monkeypatch):
    """``report`` of photos a move took to ``srv/ext/rejects`` (a drive mounted at ``srv/ext``), the drive unplugged
    (its mount point left empty, then removed): they are on the drive at ``srv/ext``, not mounted now, and undo puts
    them back once it is. Until 2026-12-07 report said them "no longer in the trash or the --to folder ...: `blurscan
    undo` cannot bring them back" (`blurscan.actions.afterwards.lost_for_good` counted a drive not mounted as
    lost). Mounted again and the photos deleted from it by hand: lost, as before."""
    lib, _ = _library(tmp_path)
    ext = _drive(tmp_path, monkeypatch)
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib).exit_code == 0
    _unplug(tmp_path, monkeypatch, ext)  # unplugged: its mount point left empty, then removed
    for point_there in (True, False):
        if point_there:
            ext.mkdir()
        res = run("report", lib)
        assert res.exit_code == 0, res.output
        assert res.stderr == (f"note: 2 photos moved or trashed by blurscan are not listed: they are on the drive at "
                              f"{ext}, not mounted now; mount it there and `blurscan undo {lib}` puts them back\n")
        if point_there:
            ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run("report", lib).stderr == (f"note: 2 photos moved or trashed by blurscan are not listed (`blurscan undo "
                                         f"{lib}` puts them back)\n")
    (ext / "rejects" / "b1.jpg").unlink()  # deleted by hand from the drive, mounted
    res = run("report", lib)
    assert f"note: 1 photo moved or trashed by blurscan is not listed (`blurscan undo {lib}` puts it back)\n" \
        in res.stderr and "not mounted" not in res.stderr, res.stderr
    assert ("note: 1 photo moved or trashed by blurscan, no longer in the trash or the --to folder, is not listed: "
            "`blurscan undo` cannot bring it back unless it is there again") in res.stderr, res.stderr


def test_report_says_photos_in_the_trash_of_a_drive_not_mounted_are_there_not_lost(tmp_path, monkeypatch):
    """The same for photos trashed into the own trash of a drive mounted at ``srv/ext`` (their library on it too,
    its database beside ``srv``): the drive unplugged, report names it rather than the photos lost."""
    ext, lib, db, _ = _on_a_drive(tmp_path, monkeypatch)
    assert run("trash", "--all-blurry", "--yes", "--db", db, lib).exit_code == 0
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    res = run("report", "--db", db)
    assert res.exit_code == 0, res.output
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: they are on the drive at {ext}, not mounted "
            f"now; mount it there and `blurscan undo --db {db}` puts them back\n") in res.stderr, res.stderr
    assert "no longer in the trash" not in res.stderr, res.stderr


def test_the_review_page_says_a_discarded_photo_is_on_a_drive_not_mounted(tmp_path, monkeypatch):
    """u in the review page on a discard whose photo a move took since to ``srv/ext/rejects``, the drive mounted at
    ``srv/ext`` unplugged since: the note names the drive, not mounted now, and the undo that brings the photo back
    once it is (``moved.drive``). Until 2026-12-07: "where it is no longer found"."""
    from blurscan.errors import shell_path
    from helpers_review import _post

    db, recs, c, item, change, ext = _discarded_in_the_page_and_moved_to_a_drive(tmp_path, monkeypatch)
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"]["found"] is False and data["moved"]["drive"] == str(ext), data
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan move` already moved the photo (batch 1, "
                            f"to {ext / 'rejects' / 'a' / 'blurry.jpg'}), on the drive at {ext}, not mounted now: "
                            f"mount it there and run `{command}` to bring it back")
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again: the command brings it back
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_undo_list_counts_to_retry_a_file_an_undo_was_killed_putting_back(tmp_path):
    """A file whose undo was killed as it put it back (its row ``undoing``, as the journal records it), then not
    put back by the next undo (another photo at its place since): ``undo --list`` counts it to retry."""
    import sqlite3

    lib, _ = _library(tmp_path)
    rej = tmp_path.resolve() / "rej"
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    with sqlite3.connect(lib / ".blurscan.db") as conn:
        conn.execute("UPDATE journal SET state = 'undoing' WHERE src LIKE '%b1.jpg'")
    conn.close()
    save_jpeg(lib / "b1.jpg", textured(40))  # another photo at its place
    res = run("undo", lib)
    assert res.exit_code == 1 and f"failed: {lib / 'b1.jpg'}: both it and " in res.stderr, res.output
    listed = run("undo", "--list", lib).stdout
    assert (", 1 to retry (the last undo could not put it back; `blurscan undo --batch 1 "
            f"{lib}` tries again) of 2 files (") in listed, listed
