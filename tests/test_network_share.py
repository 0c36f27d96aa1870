"""A library on a network share (NFS, SMB/CIFS, sshfs): its database is kept in this computer's cache folder,
where SQLite can keep it safe, and every command finds it there (:mod:`blurscan.cli.network_share`). The quick
tests give the mount table a file of their own (``drives.MOUNTINFO``) in which the library's folder is an sshfs
mount; the slow one mounts a real sshfs share over localhost (root, ``sshd`` and ``sshfs`` needed)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from blurscan.config import DEFAULT_DB_NAME

from helpers_cli import run
from helpers_images import make_library
from helpers_share import _blurscan, _mount_table, _share, _sshfs, _two_mounts


def test_a_library_on_a_network_share_keeps_its_database_in_the_cache_folder(tmp_path, monkeypatch):
    """Until 2026-12-07 the scan kept ``.blurscan.db`` (WAL) on the share, which two computers using the library
    at once damaged for good (``database disk image is malformed``, seen over sshfs). Now the cache folder's, said
    in one line naming the share and why; report, move and undo find that same database."""
    nas = _share(tmp_path, monkeypatch)
    lib = nas / "photos"
    make_library(lib, n_blurry=2)
    scanned = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert scanned.exit_code == 0, scanned.stderr
    assert not (lib / DEFAULT_DB_NAME).exists() and sorted(p.name for p in lib.iterdir()) == [
        "blurry_0.png", "blurry_1.jpg", "sharp_1.jpg", "sharp_2.jpg", "sub"]
    (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
    assert (f"note: {lib} is on a network share (fuse.sshfs), where SQLite cannot keep a database safe (its locks "
            "and write-ahead log do not reach the other computers using the share); keeping the database in "
            f"{db}, this computer's own (choose with --db)\n") in scanned.stderr
    reported = run("report", lib, "--format", "jsonl")
    assert reported.exit_code == 0 and reported.stdout.count("\n") == 5, reported.stderr
    assert f"; using {db}, this computer's database of it (choose with --db)" in reported.stderr
    moved = run("move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout + moved.stderr, moved.stderr
    assert not (lib / "blurry_1.jpg").exists() and (tmp_path / "rejects" / "blurry_1.jpg").exists()
    undone = run("undo", lib)
    assert undone.exit_code == 0, undone.stderr
    assert (lib / "blurry_1.jpg").exists() and (lib / "blurry_0.png").exists()
    assert not (lib / DEFAULT_DB_NAME).exists()


def test_a_library_database_left_on_the_share_seeds_this_computers_own(tmp_path, monkeypatch):
    """A ``.blurscan.db`` an older blurscan left on the share: report uses it as it is (saying so); the next scan
    starts this computer's database from its results (nothing scored again) and names where its undo history
    stays, and is used even where the share's was written later. ``--db`` on the share is used as given, with one
    warning."""
    nas = _share(tmp_path, monkeypatch, kind="nfs4")
    lib = nas / "photos"
    make_library(lib)
    old = lib / DEFAULT_DB_NAME
    made = run("scan", "--db", old, lib, "--model", "none", "--workers", "1")
    assert made.exit_code == 0 and old.exists(), made.stderr
    assert made.stderr.count(f"warning: {old} is on a network share (nfs4), where SQLite cannot keep a database "
                             "safe") == 1, made.stderr
    reported = run("report", lib, "--format", "jsonl")
    assert reported.exit_code == 0 and reported.stdout.count("\n") == 5, reported.stderr
    assert f"note: {old} is on a network share (nfs4), " in reported.stderr and "using it as it is" in reported.stderr
    again = run("scan", lib, "--model", "none", "--workers", "1")
    assert again.exit_code == 0, again.stderr
    (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
    assert f"keeping the database in {db}, this computer's own, which starts from its results" in again.stderr
    assert "(5 unchanged, reused)" in again.stderr and f"undo --db {old}`" in again.stderr, again.stderr
    assert f"; using {db}, this computer's database of it" in run("report", lib).stderr
    later = os.stat(db).st_mtime + 60  # (written since by an older blurscan on another computer: this one's still)
    os.utime(old, (later, later))
    assert f"; using {db}, this computer's database of it" in run("report", lib).stderr


def test_a_library_on_a_local_disk_keeps_its_database_beside_it(tmp_path, monkeypatch):
    """The same mount table, a library outside the share: its ``.blurscan.db`` beside it, as ever."""
    _share(tmp_path, monkeypatch)
    lib = tmp_path / "local"
    make_library(lib)
    scanned = run("scan", lib, "--model", "none", "--workers", "1")
    assert scanned.exit_code == 0 and (lib / DEFAULT_DB_NAME).exists(), scanned.stderr
    assert "network share" not in scanned.stderr


@pytest.mark.parametrize(("kind", "first", "second"), [
    ("fuse.sshfs", "root@server:/srv/photos", "root@SERVER:/srv//photos/"),
    ("nfs4", "nas:/export", "NAS:/export/"),
    ("cifs", "//nas/Photos", "//NAS/photos"),
])
def test_one_share_mounted_at_two_places_keeps_one_database(tmp_path, monkeypatch, kind, first, second):
    """The cache folder's database is named for the share and the library's place in it, not for its path: a scan
    through the second mount point finds the first one's database and its photos unchanged, stored under the
    library's name (said once), and a discard made through the first mount is still there. Until 2026-12-07
    each mount point had a database of its own: every photo scored again, keeps and discards split."""
    one, two = _two_mounts(tmp_path, monkeypatch, first, second, kind)
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO decisions (path, decision, decided_at) SELECT path, 'discard', 1 FROM images "
                     "WHERE path LIKE '%blurry_1.jpg'")
    again = run("scan", two, "--model", "none", "--workers", "1")
    assert again.exit_code == 0, again.stderr
    assert list((tmp_path / "cache" / "blurscan").glob("*.db")) == [db]
    assert "(5 unchanged, reused)" in again.stderr and f"database: {db}" in again.stderr, again.stderr
    assert (f"note: {two} is {one} of the library, reached through another mount point of its network share: its "
            "photos are kept under the library's name\n") in again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM images").fetchone() == (5,)
        assert conn.execute("SELECT path FROM decisions").fetchall() == [(str(one / "blurry_1.jpg"),)]


def test_two_shares_keep_two_databases(tmp_path, monkeypatch):
    """Two shares (two sources) at two places: a database each, nothing of one reused by the other."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@server:/srv/other")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    again = run("scan", two, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "(0 unchanged, reused)" in again.stderr, again.stderr
    assert len(list((tmp_path / "cache" / "blurscan").glob("photos-*.db"))) == 2


def test_a_database_named_for_the_path_is_renamed_for_the_share(tmp_path, monkeypatch):
    """A cache-folder database an older blurscan named for the library's path (its decisions and undo history)
    is renamed to the share's name, said once, and used: nothing scored again, a second mount point finds it."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@server:/srv/photos")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
    digest = hashlib.sha256(os.fsencode(str(one))).hexdigest()[:16]
    old = db.with_name(f"photos-{digest}.db")
    db.rename(old)  # (as the blurscan of before 2026-12-07 named it)
    again = run("scan", one, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "(5 unchanged, reused)" in again.stderr, again.stderr
    assert db.exists() and not old.exists()
    assert (f"note: renamed {old}, this computer's database of {one}, to {db}, named for the network share "
            "(root@server:/srv/photos/photos) so that every place it is mounted at finds it\n") in again.stderr
    other = run("scan", two, "--model", "none", "--workers", "1")
    assert other.exit_code == 0 and "(5 unchanged, reused)" in other.stderr and "renamed" not in other.stderr


def test_report_through_a_second_mount_point_lists_the_librarys_photos(tmp_path, monkeypatch):
    """``report`` given the library through another mount point of its share lists its photos, stored under the
    first one's names. Until 2026-12-07 it found the shared database and said it held no photo there."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@SERVER:/srv/photos/")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    reported = run("report", two, "--format", "jsonl")
    assert reported.exit_code == 0 and "holds no photo" not in reported.stderr, reported.stderr
    assert sorted(json.loads(line)["path"] for line in reported.stdout.splitlines()) == sorted(
        str(one / name) for name in ("blurry_0.png", "blurry_1.jpg", "sharp_1.jpg", "sharp_2.jpg", "sub/sharp_0.jpg"))
    inside = run("report", two / "sub", "--format", "jsonl")  # (a folder in it: that folder's photos alone)
    assert [json.loads(line)["path"] for line in inside.stdout.splitlines()] == [str(one / "sub" / "sharp_0.jpg")]


def test_move_through_a_second_mount_point_takes_the_librarys_photos(tmp_path, monkeypatch):
    """``move`` given the library through another mount point of its share takes its photos (under the library's
    names: the same files on the share). Until 2026-12-07: "nothing selected under" the path given."""
    one, two = _two_mounts(tmp_path, monkeypatch, "//nas/Photos", "//NAS/photos", kind="cifs")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    moved = run("move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", two)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == ["blurry_0.png", "blurry_1.jpg"]
    assert not (one / "blurry_0.png").exists() and not (one / "blurry_1.jpg").exists()


def test_undo_through_a_second_mount_point_when_the_first_is_gone(tmp_path, monkeypatch):
    """A move made through one mount point of the share, that mount gone, undone through another: the photos go
    back on the share there, said in one line. Until 2026-12-07 undo took the first mount point's empty folder
    for a drive not mounted and put nothing back."""
    one, two = _two_mounts(tmp_path, monkeypatch, "nas:/export", "NAS:/export/", kind="nfs4")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    moved = run("move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", one)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
    for name in ("blurry_0.png", "blurry_1.jpg"):  # (moved from the share: gone through the second mount too)
        (two / name).unlink()
    shutil.rmtree(one.parent)  # (the first mount gone, its folder with it)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("".join(line for line in mountinfo.read_text().splitlines(True) if str(one.parent) not in line))
    undone = run("undo", two)
    assert undone.exit_code == 0, undone.stdout + undone.stderr
    assert (f"the library's network share is now reached at {two} (not {one}, where batch 1 took the photos from); "
            "putting them back there") in undone.stdout, undone.stdout
    assert (two / "blurry_0.png").exists() and (two / "blurry_1.jpg").exists()
    assert not one.parent.exists()  # (not put in a folder made again where the first mount was)
    assert not (tmp_path / "rejects").exists() or not any((tmp_path / "rejects").iterdir())


@pytest.mark.slow
def test_a_real_sshfs_share_keeps_its_database_off_the_share(tmp_path):
    """A real ``sshfs root@localhost:DIR`` mount: the scan keeps the database in the cache folder, nothing of
    SQLite's on the share, and report finds it. Needs root (sshd's login), ``sshd``, ``sshfs`` and /dev/fuse."""
    served, point = tmp_path / "served", tmp_path / "mnt"
    make_library(served / "photos")
    with _sshfs(tmp_path, served, point):
        lib = point / "photos"
        scan = _blurscan(tmp_path, "scan", lib, "--model", "none", "--workers", "1")
        assert scan.returncode == 0, scan.stderr
        (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
        assert f"note: {lib} is on a network share (fuse.sshfs), " in scan.stderr and str(db) in scan.stderr
        assert not any(p.name.startswith(DEFAULT_DB_NAME) for p in (served / "photos").iterdir())
        report = _blurscan(tmp_path, "report", lib, "--format", "jsonl")
        assert report.returncode == 0 and report.stdout.count("\n") == 5, report.stderr
        assert f"using {db}, this computer's database of it" in report.stderr


@pytest.mark.slow
def test_two_real_sshfs_mounts_of_one_share_keep_one_library(tmp_path):
    """One share mounted twice by sshfs (which makes up inode numbers: the two cannot be told one by them): report
    and move through the second mount point take the photos scanned through the first, the files moving on the
    share; a move through the first, that mount gone, is undone through the second. Until 2026-12-07 report said
    the database held no photo there, and undo put nothing back."""
    served, one, two = tmp_path / "served", tmp_path / "a", tmp_path / "b"
    make_library(served / "photos", n_blurry=2)
    with _sshfs(tmp_path, served, one, two):
        assert _blurscan(tmp_path, "scan", one / "photos", "--model", "none", "--workers", "1").returncode == 0
        report = _blurscan(tmp_path, "report", two / "photos", "--format", "jsonl")
        assert report.returncode == 0 and report.stdout.count("\n") == 5, report.stderr
        moved = _blurscan(tmp_path, "move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", two / "photos")
        assert moved.returncode == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
        assert not (served / "photos" / "blurry_0.png").exists() and (tmp_path / "rejects" / "blurry_0.png").exists()
        assert _blurscan(tmp_path, "undo", two / "photos").returncode == 0
        assert (served / "photos" / "blurry_0.png").exists()
        moved = _blurscan(tmp_path, "move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", one / "photos")
        assert moved.returncode == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
        subprocess.run(["fusermount", "-u", one], check=True)
        undone = _blurscan(tmp_path, "undo", two / "photos")
        assert undone.returncode == 0, undone.stdout + undone.stderr
        assert f"the library's network share is now reached at {two / 'photos'} (not {one / 'photos'}, " \
            in undone.stdout, undone.stdout
        assert (served / "photos" / "blurry_0.png").exists() and (served / "photos" / "blurry_1.jpg").exists()


def test_the_file_system_mounted_last_at_a_place_decides_whether_it_is_a_share(tmp_path, monkeypatch):
    """:func:`blurscan.cli.network_share.share_type` reads the mount table: of two file systems mounted at one
    place, the later (mounted over the other) holds the files; a folder whose name merely begins with the share's
    (``nas2``) is not on it; a database file not made yet is on the share of its folder."""
    from blurscan.cli.network_share import share_type

    nas, local = tmp_path / "nas", tmp_path / "nas2"
    nas.mkdir()
    local.mkdir()
    mountinfo = tmp_path / "mountinfo"
    _mount_table(monkeypatch, mountinfo)
    share = f"591 27 0:50 / {nas} rw,relatime - cifs //server/photos rw\n"
    disk = f"592 591 8:17 / {nas} rw,relatime - ext4 /dev/sdb1 rw\n"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" + share + disk)
    assert share_type(nas / "lib.db") is None
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" + disk + share)
    assert share_type(nas / "lib.db") == share_type(nas / "new" / "lib.db") == "cifs"
    assert share_type(local / "lib.db") is None


def test_a_share_mounted_inside_a_read_only_library_is_seeded_from_it_as_a_read_only_folder_is(tmp_path, monkeypatch):
    """A share mounted at ``ro/nas`` inside a library whose ``.blurscan.db`` cannot be written (off the share):
    a scan of ``ro/nas/photos`` keeps its database in the cache folder, seeded from that library's, said as for any
    read-only library (its undo history is on this computer: no ``undo --db`` of a share to name)."""
    ro = tmp_path / "ro"
    nas = ro / "nas"
    nas.mkdir(parents=True)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                         f"591 27 0:50 / {nas} rw,relatime - nfs4 server:/srv/photos rw\n")
    _mount_table(monkeypatch, mountinfo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    make_library(nas / "photos")
    seed = ro / DEFAULT_DB_NAME
    made = run("scan", "--db", seed, ro, "--model", "none", "--workers", "1")
    assert made.exit_code == 0, made.stderr
    os.chmod(seed, 0o444)
    scanned = run("scan", nas / "photos", "--model", "none", "--workers", "1")
    assert scanned.exit_code == 0, scanned.stderr
    (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
    assert (f"note: {seed} is read-only: its results are reused for unchanged photos; keeping the database in {db} "
            "(choose with --db)\n") in scanned.stderr, scanned.stderr
    assert "(5 unchanged, reused)" in scanned.stderr and "undo --db" not in scanned.stderr, scanned.stderr
