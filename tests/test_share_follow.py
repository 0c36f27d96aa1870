"""A library on a network share reached now through another mount point of the share, the first gone
(:mod:`blurscan.share_roots`, :mod:`blurscan.cli.share_moved`): every command names its photos there first. The
quick tests fake the mount table (:mod:`helpers_share`); the slow ones mount real sshfs shares over localhost."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest

from helpers_cli import run
from helpers_images import make_library
from helpers_share import _blurscan, _first_mount_gone, _sshfs, _two_mounts


def test_commands_through_the_second_mount_point_once_the_first_is_gone(tmp_path, monkeypatch):
    """The library scanned through one mount point of its share, that mount gone: report, move and a scan through
    the other take its photos there, under that place's names, its keeps kept and nothing scored again; a photo
    deleted on the share is gone. Until 2026-12-08 report said the database held no photo there, move selected
    nothing, and the scan took every photo for moved or renamed (``0 unchanged``)."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@SERVER:/srv/photos/")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO decisions (path, decision, decided_at) VALUES (?, 'keep', 1)",
                     (str(one / "sharp_1.jpg"),))
    _first_mount_gone(tmp_path, one)
    (two / "sharp_2.jpg").unlink()  # (deleted on the share meanwhile)
    reported = run("report", two, "--format", "jsonl")
    assert reported.exit_code == 0 and "holds no photo" not in reported.stderr, reported.stderr
    assert sorted(json.loads(line)["path"] for line in reported.stdout.splitlines()) == sorted(
        str(two / name) for name in ("blurry_0.png", "blurry_1.jpg", "sharp_1.jpg", "sub/sharp_0.jpg"))
    assert (f"note: {one}, where the library was scanned, is not mounted now; its network share is mounted at {two}: "
            "its 5 photos are named there now\n") in reported.stderr
    assert "1 stored photo no longer on disk" in reported.stderr, reported.stderr
    moved = run("move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", two)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
    assert not (two / "blurry_0.png").exists() and (tmp_path / "rejects" / "blurry_1.jpg").exists()
    assert run("undo", two).exit_code == 0 and (two / "blurry_0.png").exists()
    again = run("scan", two, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "(4 unchanged, reused)" in again.stderr, again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT path, decision FROM decisions").fetchall() == [(str(two / "sharp_1.jpg"), "keep")]
        assert conn.execute("SELECT COUNT(*) FROM images WHERE path LIKE ?", (f"{one}%",)).fetchone() == (0,)


@pytest.mark.slow
def test_a_real_sshfs_library_through_its_second_mount_point_alone(tmp_path):
    """One share mounted twice by sshfs, the library scanned and a move made through the first, then that mount
    gone: report, tag and a scan through the second take the library's photos there (nothing scored again), and
    the move made through the first is undone through the second. Until 2026-12-08 report said the database held
    no photo there, tag had nothing to tag, and the scan took every photo for moved or renamed."""
    served, one, two = tmp_path / "served", tmp_path / "a", tmp_path / "b"
    make_library(served / "photos", n_blurry=2)
    with _sshfs(tmp_path, served, one, two):
        assert _blurscan(tmp_path, "scan", one / "photos", "--model", "none", "--workers", "1").returncode == 0
        moved = _blurscan(tmp_path, "move", "--yes", "--all-blurry", "--to", tmp_path / "rejects", one / "photos")
        assert moved.returncode == 0 and "moved 2 photos" in moved.stdout, moved.stdout + moved.stderr
        subprocess.run(["fusermount", "-u", one], check=True)
        report = _blurscan(tmp_path, "report", two / "photos", "--format", "jsonl")
        assert report.returncode == 0 and "holds no photo" not in report.stderr, report.stderr
        assert sorted(json.loads(line)["path"] for line in report.stdout.splitlines()) == sorted(
            str(two / "photos" / name) for name in ("sharp_1.jpg", "sharp_2.jpg", "sub/sharp_0.jpg"))
        undone = _blurscan(tmp_path, "undo", two / "photos")
        assert undone.returncode == 0 and "restored 2 files" in undone.stdout, undone.stdout + undone.stderr
        assert (served / "photos" / "blurry_0.png").exists() and (served / "photos" / "blurry_1.jpg").exists()
        tagged = _blurscan(tmp_path, "tag", "--xmp", "--all-blurry", two / "photos")
        assert tagged.returncode == 0 and "tagged 2 photos" in tagged.stdout, tagged.stdout + tagged.stderr
        assert (served / "photos" / "blurry_0.png.xmp").exists()
        again = _blurscan(tmp_path, "scan", two / "photos", "--model", "none", "--workers", "1")
        assert again.returncode == 0 and "(5 unchanged, reused)" in again.stderr, again.stderr


def test_a_local_drive_scanned_where_the_share_was_is_not_followed_to_the_share(tmp_path, monkeypatch):
    """The share scanned at one place (``--db`` kept), then gone, a local drive mounted there and scanned into the
    same database; the share mounted at another place later: the local drive's photos keep their names. Until
    2026-12-08 the scan left the share recorded for that folder, and the next report renamed the local drive's 4
    photos to the share's new place (``its 4 photos are named there now``, then ``holds no photo``)."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@server:/srv/photos")
    mountinfo = tmp_path / "mountinfo"
    lines = mountinfo.read_text().splitlines(True)
    mountinfo.write_text(lines[0] + lines[1])  # (the share at the first place only)
    db = tmp_path / "library.db"
    assert run("scan", "--db", db, one, "--model", "none", "--workers", "1").exit_code == 0
    mountinfo.write_text(lines[0])  # (the share mounted nowhere; a local drive at its place, other photos)
    shutil.rmtree(one)
    make_library(one, n_blurry=1)
    local = run("scan", "--db", db, one, "--model", "none", "--workers", "1")
    assert local.exit_code == 0, local.stderr
    mountinfo.write_text(lines[0] + lines[2])  # (the share mounted at the second place)
    reported = run("report", "--db", db, one, "--format", "jsonl")
    assert reported.exit_code == 0 and "named there now" not in reported.stderr, reported.stderr
    assert sorted(json.loads(line)["path"] for line in reported.stdout.splitlines()) == sorted(
        str(one / name) for name in ("blurry_0.png", "sharp_1.jpg", "sharp_2.jpg", "sub/sharp_0.jpg"))


def test_a_read_only_database_of_a_share_mounted_elsewhere_says_why_its_photos_keep_their_names(tmp_path, monkeypatch):
    """The library's share mounted now only at its second place, its database read-only: report names the
    database and why its photos could not be named there (they keep the first place's names). Until 2026-12-08
    it said only that the database held no photo there."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@server:/srv/photos")
    assert run("scan", one, "--model", "none", "--workers", "1").exit_code == 0
    (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
    _first_mount_gone(tmp_path, one)
    db.chmod(0o444)
    reported = run("report", two, "--format", "jsonl")
    assert reported.exit_code == 0, reported.stderr
    assert (f"note: {one}, where the library was scanned, is not mounted now; its network share is mounted at {two}, "
            f"but the photos stay named under {one}: {db}: cannot write: ") in reported.stderr, reported.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM images WHERE path LIKE ?", (f"{one}%",)).fetchone() == (5,)


@pytest.mark.parametrize("left", ["gone", "empty", "another drive's", "gone, the library at the mount point"])
def test_a_library_scanned_before_its_shares_were_recorded_is_followed_by_its_databases_name(tmp_path, monkeypatch,
                                                                                               left):
    """A database scanned before 2026-12-08 records no share for its roots: the cache folder's database named for
    the share tells it. The first mount gone (its folder gone, or left empty), report through the second lists the
    library's photos there, said once, and a scan there reuses them, its keep kept and the share recorded now. A
    folder with files at the first place (another drive mounted there) is never taken for the share: nothing
    renamed. Until 2026-12-08 report said the database held no photo there and the scan stored every photo again
    (``0 unchanged and 5 moved or renamed``), the keep left under the old name."""
    one, two = _two_mounts(tmp_path, monkeypatch, "root@server:/srv/photos", "root@SERVER:/srv/photos/")
    top = left.endswith("mount point")  # (the library is the share's top folder: the database named for the share)
    lib_one, lib_two = (one.parent, two.parent) if top else (one, two)
    assert run("scan", lib_one, "--model", "none", "--workers", "1").exit_code == 0
    (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'scanned_root_shares'")  # (as a scan of before 2026-12-08)
        conn.execute("INSERT INTO decisions (path, decision, decided_at) VALUES (?, 'keep', 1)",
                     (str(one / "sharp_1.jpg"),))
    _first_mount_gone(tmp_path, one)
    if not left.startswith("gone"):
        one.mkdir(parents=True)
    if left == "another drive's":
        (one / "notes.txt").write_text("another drive's folder")
    reported = run("report", lib_two, "--format", "jsonl")
    assert reported.exit_code == 0, reported.stderr
    if left == "another drive's":
        assert "holds no photo under" in reported.stderr and "named there now" not in reported.stderr
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM images WHERE path LIKE ?", (f"{one}%",)).fetchone() == (5,)
        return
    assert sorted(json.loads(line)["path"] for line in reported.stdout.splitlines()) == sorted(
        str(two / name) for name in ("blurry_0.png", "blurry_1.jpg", "sharp_1.jpg", "sharp_2.jpg", "sub/sharp_0.jpg"))
    assert (f"note: {lib_one}, where the library was scanned, is not mounted now; its network share is mounted at "
            f"{lib_two}: its 5 photos are named there now\n") in reported.stderr
    again = run("scan", lib_two, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "(5 unchanged, reused)" in again.stderr, again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT path, decision FROM decisions").fetchall() == [(str(two / "sharp_1.jpg"), "keep")]
        assert json.loads(conn.execute("SELECT value FROM meta WHERE key = 'scanned_root_shares'").fetchone()[0]) == {
            str(lib_two): "root@server:/srv/photos" + ("" if top else "/photos")}


@pytest.mark.slow
def test_a_real_sshfs_library_scanned_before_its_shares_were_recorded_through_its_second_mount_point(tmp_path):
    """One share mounted twice by sshfs, the library scanned through the first by a blurscan of before 2026-12-08
    (no share recorded), then that mount gone: report and bursts through the second take the library's photos
    there (told by the cache database's name), and a scan there reuses them, its keep kept. Until 2026-12-08
    report said the database held no photo there and the scan stored every photo again (``0 unchanged and 5 moved
    or renamed``)."""
    served, one, two = tmp_path / "served", tmp_path / "a", tmp_path / "b"
    make_library(served / "photos", n_blurry=2)
    with _sshfs(tmp_path, served, one, two):
        assert _blurscan(tmp_path, "scan", one / "photos", "--model", "none", "--workers", "1").returncode == 0
        (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM meta WHERE key = 'scanned_root_shares'")  # (as a scan of before 2026-12-08)
            conn.execute("INSERT INTO decisions (path, decision, decided_at) VALUES (?, 'keep', 1)",
                         (str(one / "photos" / "sharp_1.jpg"),))
        subprocess.run(["fusermount", "-u", one], check=True)
        report = _blurscan(tmp_path, "report", two / "photos", "--format", "jsonl")
        assert report.returncode == 0 and "holds no photo" not in report.stderr, report.stderr
        assert report.stdout.count(f'"path": "{two / "photos"}/') == 5, report.stdout
        assert (f"note: {one / 'photos'}, where the library was scanned, is not mounted now; its network share is "
                f"mounted at {two / 'photos'}: its 5 photos are named there now") in report.stderr
        bursts = _blurscan(tmp_path, "bursts", two / "photos")
        assert bursts.returncode == 0 and "holds no photo" not in bursts.stderr, bursts.stderr
        again = _blurscan(tmp_path, "scan", two / "photos", "--model", "none", "--workers", "1")
        assert again.returncode == 0 and "(5 unchanged, reused)" in again.stderr, again.stderr
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT path FROM decisions").fetchall() == [(str(two / "photos" / "sharp_1.jpg"),)]
