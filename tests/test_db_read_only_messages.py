"""A database that cannot be written: `move`, `trash`, `tag` and `undo` before any scan of this user's, and `scan
--db FILE`, said SQLite's "cannot use database: unable to open database file" (a read-only mount, a folder another
user owns: no reason, nothing to do) or a reason-less "the database is read-only". They now name the database, why
(its folder on a read-only file system, or not writable, with its owner and mode), and what to do: a scan without
--db keeps a database of its own in the cache folder, which the other commands then use. Real scans of generated
photos; the folder made read-only with its mode (honoured by blurscan as root, refused by the system otherwise),
and as an ordinary user in a folder root owns."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from blurscan.dbfile import read_only_hint
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")
WRITERS = (("move", "--to", "{rejects}"), ("trash",), ("tag", "--xmp"), ("undo",))


def _library(base: Path) -> Path:
    """A library scanned by this user, its photos in a sub-folder (``2024``: left writable below a read-only top)."""
    lib = base / "lib"
    save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / "2024" / "IMG_2.jpg", textured(2))
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    return lib


def _attempts(lib: Path, rejects: Path) -> list:
    """``[(exit code, output)]`` of each writing command on ``lib`` before this user scanned it, then of `scan
    --db` with a new file in its folder."""
    out = []
    for args in WRITERS:
        result = run(*(a.format(rejects=rejects) for a in args), lib, env={"COLUMNS": "300"})
        out.append((result.exit_code, result.output))
    result = run("scan", lib, *SCAN, "--db", lib / "mine.db")
    out.append((result.exit_code, result.output))
    return out


def _check(attempts, lib: Path, refusal: str) -> None:
    db, folder = lib / ".blurscan.db", str(lib)
    for exit_code, output in attempts[:-1]:
        assert exit_code == 1 and "Traceback" not in output and "unable to open" not in output, output
        assert output.startswith(f"Error: {db}: cannot write: the database is read-only: ") and refusal in output
        assert "scan the library without --db" in output and output.count("\n") == 1, output
    exit_code, output = attempts[-1]
    assert exit_code == 1 and output.startswith(f"Error: {lib / 'mine.db'}: cannot create the database: its "
                                                f"folder {folder} ") and refusal in output, output
    assert "unable to open" not in output and "scan the library without --db" in output, output


def test_a_library_in_a_folder_of_mode_0555(tmp_path, monkeypatch):
    """As root blurscan honours the mode (it said "the database is read-only (check the permissions ...)", no
    reason); as another user the system refuses (SQLite's "unable to open database file" for `scan --db`)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = _library(tmp_path)
    lib.chmod(0o555)
    try:
        attempts = _attempts(lib, tmp_path / "rejects")
        refusal = "is read-only (mode 0555" if os.geteuid() == 0 else "is not writable by this user"
        _check(attempts, lib, refusal)
        # as the message says: a scan without --db keeps a database in the cache folder, and move then uses it
        scanned = run("scan", lib, *SCAN)
        assert scanned.exit_code == 0 and str(tmp_path / "cache") in scanned.output, scanned.output
        moved = run("move", "--to", tmp_path / "rejects", "--all-blurry", lib, env={"COLUMNS": "300"})
        assert moved.exit_code == 0 and "would move 2024/IMG_1.jpg" in moved.output, moved.output
    finally:
        lib.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to become another user")
def test_another_users_library():
    """As an ordinary user, a library in root's folder (mode 0755): SQLite said "unable to open database file"
    for `scan --db`, and "the database is read-only" with no reason for the others."""
    from helpers_os import run_unprivileged, usual_umask

    import blurscan.actions  # noqa: F401  (the unprivileged child may not read modules imported lazily)

    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        with usual_umask():
            lib = _library(base)
        home = base / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        old = {key: os.environ.get(key) for key in ("HOME", "XDG_CACHE_HOME")}
        os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))
        try:
            attempts = run_unprivileged(lambda: _attempts(lib, home / "rejects"))
        finally:
            for key, value in old.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        _check(attempts, lib, "is not writable by this user: owner root, mode 0")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _read_only_mount(source: Path, target: Path, *command) -> subprocess.CompletedProcess | None:
    """``command`` run with ``source`` mounted read-only at ``target`` (a bind mount in a mount namespace of its own,
    as a user namespace's root: ``unshare -rm``); None where this system does not allow that."""
    script = 'mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && shift 2 && exec "$@"'
    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", source, target, "true"],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if probe.returncode != 0:
        return None
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", source, target, *map(str, command)],
                          capture_output=True, text=True, timeout=120)


def test_a_library_on_a_read_only_mount(tmp_path, monkeypatch):
    """The reported case: the library's database on a read-only mount (scanned before, or a share, a snapshot),
    `move` before any scan of this user's: "cannot use database: unable to open database file"."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # (no cache-folder database of this user's)
    source, target = tmp_path / "disk", tmp_path / "mnt"
    target.mkdir()
    lib = _library(source)
    ran = _read_only_mount(source, target, sys.executable, "-m", "blurscan", "move", "--to", tmp_path / "rejects",
                           target / lib.name)
    if ran is None:
        pytest.skip("no read-only bind mount here (unshare -rm)")
    db = target / lib.name / ".blurscan.db"
    assert ran.returncode == 1 and ran.stderr == (
        f"Error: {db}: cannot write: the database is read-only: its folder {db.parent} is on a read-only file "
        f"system ({read_only_hint(True)})\n"), ran.stderr
    ran = _read_only_mount(source, target, sys.executable, "-m", "blurscan", "scan", *SCAN, "--db",
                           target / lib.name / "mine.db", target / lib.name)
    assert ran.returncode == 1 and ran.stderr == (
        f"Error: {target / lib.name / 'mine.db'}: cannot create the database: its folder {db.parent} is on a "
        f"read-only file system ({read_only_hint(True)})\n"), ran.stderr


def test_a_read_only_folder_is_named_when_the_wal_and_shm_files_are_there(tmp_path):
    """The review page's refusal said "check the permissions of the file, its folder and its -wal and -shm files"
    for a library folder made read-only (mode 0555) whenever another connection had left the database's -wal and
    -shm files in place (the folder was looked at only when one of them was missing), and named the folder
    otherwise: which one a user got was a matter of timing. Now the folder is named either way."""
    import sqlite3

    from blurscan.dbfile import read_only_error

    lib = tmp_path / "lib"
    lib.mkdir()
    db = lib / ".blurscan.db"
    held = sqlite3.connect(db)  # (a WAL database with a connection open: its -wal and -shm files stay)
    try:
        held.execute("PRAGMA journal_mode = WAL")
        held.execute("CREATE TABLE t (x)")
        held.execute("INSERT INTO t VALUES (1)")
        held.commit()
        assert (lib / ".blurscan.db-wal").exists() and (lib / ".blurscan.db-shm").exists()
        lib.chmod(0o555)
        try:
            message = str(read_only_error(str(db), sqlite3.OperationalError("attempt to write a readonly database")))
        finally:
            lib.chmod(0o755)
    finally:
        held.close()
    assert message.startswith(f"{db}: cannot write: the database is read-only: its folder {lib} "), message
    assert "check the permissions" not in message and message.endswith(f"({read_only_hint()})"), message



@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to become another user")
def test_the_batches_of_another_users_library_database_are_named_by_undo():
    """A library its owner (root here) moved photos from, with its database; another user, who may not write it,
    scans it (a database of their own in the cache folder, reusing its results): `undo --list` said "No batches."
    and `undo` "Nothing to undo: no ... batch in ~/.cache/... yet", and nothing said that the library's own
    database held a batch, nor how to undo it. Both now name it, its owner, its batches, and the commands."""
    from helpers_os import run_unprivileged, usual_umask

    import blurscan.actions  # noqa: F401  (the unprivileged child may not read modules imported lazily)
    import blurscan.cli.library_batches  # noqa: F401

    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        with usual_umask():
            lib = _library(base)
            moved = run("move", "--all-blurry", "--to", base / "rejects", "--yes", lib)
        assert moved.exit_code == 0 and "as batch 1" in moved.output, moved.output
        home = base / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        old = {key: os.environ.get(key) for key in ("HOME", "XDG_CACHE_HOME")}
        os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))

        def attempts():
            out = []
            for args in (("scan", lib, *SCAN), ("undo", "--list", lib), ("undo", lib)):
                result = run(*args)
                out.append((result.exit_code, result.stdout, result.stderr))
            return out

        try:
            scanned, listed, undone = run_unprivileged(attempts)
        finally:
            for key, value in old.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        assert scanned[0] == 0 and str(home / "cache") in scanned[2], scanned
        db = lib / ".blurscan.db"
        said = (f"note: the library's own database {db} (read-only to this user, owned by root) holds 1 batch (1 not "
                f"undone) that {home / 'cache'}")
        commands = (f"--list --db {db}` lists it; to undo it, run `", f"undo --db {db}` as root\n")
        assert listed[0] == 0 and listed[1] == "No batches.\n", listed
        assert said in listed[2] and all(c in listed[2] for c in commands), listed
        assert undone[0] == 0 and undone[1].startswith("Nothing to undo: no move, trash or tag batch in "), undone
        assert said in undone[2] and all(c in undone[2] for c in commands), undone
        # as it says: its owner's undo of that database puts the photos back
        back = run("undo", "--db", db)
        assert back.exit_code == 0 and "batch 1: restored" in back.output, back.output
        assert (lib / "2024" / "IMG_1.jpg").is_file()
    finally:
        shutil.rmtree(base, ignore_errors=True)


_EXT4_READ_ONLY = (  # sh -c ... sh IMAGE DISK PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$4" "$2/lib"; '
    '"$3" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; '
    '"$3" -m blurscan move "$2/lib" --all-blurry --to "$2/rejects" --yes >/dev/null; umount "$2"; '
    'mount -o loop,ro "$1" "$2"; set +e; "$3" -m blurscan undo "$2/lib"; echo "undo: $?"; '
    '"$3" -m blurscan scan "$2/lib" --db "$2/lib/mine.db" --model none --workers 1; echo "scan --db: $?"; '
    '"$3" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; echo "scan: $?"')


@pytest.mark.slow
def test_a_database_on_a_drive_mounted_read_only_is_offered_the_cache_folder_for_scan_and_review_only(tmp_path,
                                                                                                      monkeypatch):
    """A library on a real ext4 drive, its database there, a batch moved; the drive then mounted read-only (``-o
    ro``): ``undo`` and ``scan --db DISK/lib/mine.db`` refuse in one line that says to mount the drive read-write,
    which move, trash, tag and undo need, and offers the cache folder's database (or another ``--db``) only to scan
    and review it as it is, which the scan without ``--db`` then does. Until 2026-12-07 (the night) the line said
    ``... and review, move, trash, tag and undo then use that one``, which cannot write the drive."""
    mkfs = shutil.which("mkfs.ext4", path=os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"]))
    if os.geteuid() != 0 or mkfs is None or shutil.which("unshare") is None:
        pytest.skip("needs root (a loop mount), mkfs.ext4 and unshare")
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    image, disk = tmp_path / "drive.img", tmp_path.resolve() / "DISK"
    disk.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(16 << 20)
    subprocess.run([mkfs, "-q", "-F", str(image)], check=True, capture_output=True)
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b.jpg", blurred(textured(3), 4))
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _EXT4_READ_ONLY, "sh", image, disk, sys.executable, photos],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    hint = ("mount its drive read-write and run the command again, a Windows drive once Windows is shut down fully, "
            "not hibernated nor with Fast Startup, which leave it read-only: move, trash, tag and undo need that; only "
            f"to scan and review it as it is, scan the library without --db, which keeps its database in {cache}/"
            "blurscan/ when the library cannot be written, or choose a database in a folder you can write with --db")
    lib = disk / "lib"
    assert ran.stderr == (
        f"Error: {lib / '.blurscan.db'}: cannot write: the database is read-only: its folder {lib} is on a read-only "
        f"file system ({hint})\nError: {lib / 'mine.db'}: cannot create the database: its folder {lib} is on a "
        f"read-only file system ({hint})\n"), ran.stderr
    assert ran.stdout == "undo: 1\nscan --db: 1\nscan: 0\n", ran.stdout
    assert len(list((cache / "blurscan").glob("lib-*.db"))) == 1
