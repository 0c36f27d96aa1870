"""A library on a network share (NFS, SMB/CIFS, sshfs): its database is kept in this computer's cache folder,
where SQLite can keep it safe, and every command finds it there (:mod:`blurscan.cli.network_share`). The quick
tests give the mount table a file of their own (``drives.MOUNTINFO``) in which the library's folder is an sshfs
mount; the slow one mounts a real sshfs share over localhost (root, ``sshd`` and ``sshfs`` needed)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan.actions import drives
from blurscan.config import DEFAULT_DB_NAME

from helpers_cli import run
from helpers_images import make_library


def _share(tmp_path, monkeypatch, kind="fuse.sshfs") -> Path:
    """``tmp_path / "nas"``, a folder the mount table says is a network share of type ``kind``; the cache folder
    in ``tmp_path / "cache"``."""
    nas = tmp_path / "nas"
    nas.mkdir()
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                         f"591 27 0:50 / {nas} rw,nosuid,nodev,relatime - {kind} root@server:/srv/photos rw\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return nas


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_real_sshfs_share_keeps_its_database_off_the_share(tmp_path):
    """A real ``sshfs root@localhost:DIR`` mount: the scan keeps the database in the cache folder, nothing of
    SQLite's on the share, and report finds it. Needs root (sshd's login), ``sshd``, ``sshfs`` and /dev/fuse."""
    missing = [name for name in ("sshfs", "fusermount") if shutil.which(name) is None]
    missing += [] if os.path.exists("/usr/sbin/sshd") else ["/usr/sbin/sshd (openssh-server)"]
    missing += [] if os.path.exists("/dev/fuse") else ["/dev/fuse"]
    if os.geteuid() != 0 or missing:
        pytest.skip("needs root and " + (", ".join(missing) if missing else "root") + " for a real sshfs share")
    keys, served, point = tmp_path / "keys", tmp_path / "served", tmp_path / "mnt"
    keys.mkdir()
    point.mkdir()
    make_library(served / "photos")
    for name in ("id", "host"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys / name], check=True)
    (keys / "authorized").write_text((keys / "id.pub").read_text())
    port = _free_port()
    (keys / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\nPermitRootLogin prohibit-password\n"
        f"PasswordAuthentication no\nAuthorizedKeysFile {keys / 'authorized'}\nStrictModes no\n"
        "Subsystem sftp internal-sftp\n")
    os.makedirs("/run/sshd", exist_ok=True)
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", keys / "sshd_config"], stderr=subprocess.DEVNULL)
    mounted = False
    try:
        options = (f"IdentityFile={keys / 'id'},StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,"
                   "ConnectTimeout=10,reconnect")
        for _ in range(50):  # sshd listening: a connection it takes (no sleep: each try is the sign)
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
        mount = subprocess.run(["sshfs", "-p", str(port), "-o", options, f"root@127.0.0.1:{served}", point],
                               capture_output=True, text=True, timeout=60)
        assert mount.returncode == 0, mount.stderr
        mounted = True
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
        lib = point / "photos"
        scan = subprocess.run([sys.executable, "-m", "blurscan", "scan", lib, "--model", "none", "--workers", "1"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert scan.returncode == 0, scan.stderr
        (db,) = (tmp_path / "cache" / "blurscan").glob("photos-*.db")
        assert f"note: {lib} is on a network share (fuse.sshfs), " in scan.stderr and str(db) in scan.stderr
        assert not any(p.name.startswith(DEFAULT_DB_NAME) for p in (served / "photos").iterdir())
        report = subprocess.run([sys.executable, "-m", "blurscan", "report", lib, "--format", "jsonl"],
                                capture_output=True, text=True, env=env, timeout=120)
        assert report.returncode == 0 and report.stdout.count("\n") == 5, report.stderr
        assert f"using {db}, this computer's database of it" in report.stderr
    finally:
        if mounted:
            subprocess.run(["fusermount", "-u", point], check=False)
        sshd.send_signal(signal.SIGTERM)
        sshd.wait(timeout=10)


def test_the_file_system_mounted_last_at_a_place_decides_whether_it_is_a_share(tmp_path, monkeypatch):
    """:func:`blurscan.cli.network_share.share_type` reads the mount table: of two file systems mounted at one
    place, the later (mounted over the other) holds the files; a folder whose name merely begins with the share's
    (``nas2``) is not on it; a database file not made yet is on the share of its folder."""
    from blurscan.cli.network_share import share_type

    nas, local = tmp_path / "nas", tmp_path / "nas2"
    nas.mkdir()
    local.mkdir()
    mountinfo = tmp_path / "mountinfo"
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
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
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
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
