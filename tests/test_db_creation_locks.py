"""Which scans wait for each other while they choose their databases (:mod:`blurscan.cli.db_creation`).

Until 2026-12-06 every scan without ``--db`` took one lock, ``flock`` on the file system's root, which any user may
take: another user's ``flock /`` (or big first scan) kept every scan of the machine waiting 30 s, and then it went
on without a word. Now the locks are those of the scanned root and the folders above it, in a folder of lock
files only the users who may write each folder may open. No timed assertions: the other lock is held until this
scan has returned (or for good, where the scan is to wait and say so)."""
from __future__ import annotations

import contextlib
import os
import select
import shutil
import tempfile
from pathlib import Path

import pytest

from blurscan.cli import db_creation
from blurscan.cli.db_creation import choosing_database
from blurscan.config import DEFAULT_DB_NAME
from blurscan.store import Store
from helpers_cli import run
from helpers_images import make_library
from helpers_os import NOBODY, load_blurscan, users_known, usual_umask

SCAN = ("--model", "none", "--workers", "1")
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="runs another user's process (the tests run as root)")


@pytest.fixture
def shared(monkeypatch):
    """A folder every user may reach (``tmp_path`` is private to root), and a locks folder of the tests' own."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-dblock-", dir="/tmp"))
    os.chmod(base, 0o755)
    locks = base / "locks"
    locks.mkdir()
    os.chmod(locks, 0o1777)
    monkeypatch.setattr(db_creation, "LOCKS", str(locks), raising=False)  # (none until 2026-12-06)
    (base / "own").mkdir()
    os.chmod(base / "own", 0o1777)  # (where each user makes their own locks folder)
    monkeypatch.setattr(db_creation, "PRIVATE", str(base / "own" / "locks-{uid}"), raising=False)
    monkeypatch.setattr(db_creation, "WAIT", 600.0)  # (a scan that waited would wait past the other lock's end)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _as_user(body, uid: int, gid: int, groups=(), umask: int = 0o022, *, holds: bool = False):
    """Fork a child that becomes ``uid`` (group ``gid``, in ``groups``) and runs ``body(told)``: ``told(s)`` waits
    until the parent tells it to go on (:func:`_result`) or ``s`` seconds pass, returning whether it was told.
    Returns the child's pid and the parent's ends of the pipes (to it, from it); when the child ``holds`` a lock,
    once it does (its first line)."""
    load_blurscan()
    from_parent, to_child = os.pipe()
    from_child, to_parent = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(to_child)
            os.close(from_child)
            os.setgroups(list(groups))
            os.setgid(gid)
            os.setuid(uid)
            os.umask(umask)

            def told(seconds):
                return bool(select.select([from_parent], [], [], seconds)[0])

            told.held = lambda: os.write(to_parent, b"held\n")

            try:
                out = body(told)
            except BaseException:  # (said to the test, which fails on it)
                import traceback

                out = traceback.format_exc()
            os.write(to_parent, (out + "\n").encode())
            code = 0
        finally:
            os._exit(code)
    os.close(from_parent)
    os.close(to_parent)
    if holds:
        assert os.read(from_child, 5) == b"held\n", "the other user's lock was not taken"
    return pid, to_child, from_child


def _result(child) -> str:
    """Tell the child to go on, and what it wrote."""
    pid, to_child, from_child = child
    with contextlib.suppress(BrokenPipeError):  # (a child that did not wait to be told)
        os.write(to_child, b"go\n")
    os.close(to_child)
    with os.fdopen(from_child, "rb") as f:
        out = f.read().decode()
    os.waitpid(pid, 0)
    return out.removeprefix("held\n").strip()


def _holding(path: str):
    """A body that holds ``flock`` on ``path`` (exclusive) until told (or 60 s)."""
    def body(told):
        import fcntl

        fd = os.open(path, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        told.held()
        return "held until told" if told(60) else "gave up"
    return body


@as_root
def test_another_user_holding_the_root_folder_keeps_no_scan_waiting(shared):
    """``flock /`` by another user: the scan went on after 30 s (here it would have waited until that user gave
    up). Now it does not wait."""
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    child = _as_user(_holding(os.sep), NOBODY, NOBODY, holds=True)
    result = run("scan", lib, *SCAN)
    assert _result(child) == "held until told", "the scan waited for another user's lock on /"
    assert result.exit_code == 0 and "waiting" not in result.output, result.output
    assert (lib / DEFAULT_DB_NAME).exists()


@as_root
def test_a_lock_file_made_by_a_user_who_may_not_write_the_folder_keeps_no_scan_waiting(shared):
    """Another user makes the lock file of a library it may not write and holds it: that file does not count."""
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    st = os.stat(lib)
    lock = os.path.join(db_creation.LOCKS, db_creation.shared_name(st))

    def body(told):
        import fcntl

        fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o444)
        fcntl.flock(fd, fcntl.LOCK_EX)
        told.held()
        return "held until told" if told(60) else "gave up"

    child = _as_user(body, NOBODY, NOBODY, holds=True)
    result = run("scan", lib, *SCAN)
    assert _result(child) == "held until told", "the scan waited for another user's lock file"
    assert result.exit_code == 0 and "waiting" not in result.output, result.output


def test_scans_of_two_folders_of_a_library_do_not_wait_for_each_other(shared):
    """``scan lib/a`` choosing its database (its locks held here) and ``scan lib/b``: neither database can be the
    other's, so neither waits."""
    lib = shared / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=1)
    make_library(lib / "b", n_sharp=1, n_blurry=1)
    with choosing_database([lib / "a"]):
        result = run("scan", lib / "b", *SCAN)
    assert result.exit_code == 0 and "waiting" not in result.output, result.output
    assert f"database: {lib / 'b' / DEFAULT_DB_NAME}" in result.output, result.output


def test_a_scan_of_the_file_systems_root_keeps_no_other_scan_waiting(shared, monkeypatch):
    """``scan /`` choosing its database (a walk of the whole machine for the databases in it; its lock held here)
    and ``scan lib``: the root folder's lock is taken by a scan of ``/`` alone, never shared by every scan, so the
    scan of ``lib`` does not wait (it would have said so at once here)."""
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    import fcntl

    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    st = os.stat(os.sep)
    fd = os.open(os.path.join(db_creation.LOCKS, db_creation.shared_name(st)), os.O_RDONLY | os.O_CREAT, 0o400)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # (the lock a scan of / holds while it chooses its database)
        result = run("scan", lib, *SCAN)
    finally:
        os.close(fd)
    assert result.exit_code == 0 and "waiting" not in result.output, result.output
    assert (lib / DEFAULT_DB_NAME).exists()


def test_a_locks_folder_any_user_may_empty_is_not_used(shared, monkeypatch):
    """A locks folder that is not sticky (another user made it first, mode 777: each user may delete and remake
    the others' lock files): its lock files are not used, a lock held there keeps no scan waiting."""
    import fcntl

    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    os.chmod(db_creation.LOCKS, 0o777)
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    st = os.stat(lib)
    fd = os.open(os.path.join(db_creation.LOCKS, db_creation.shared_name(st)), os.O_RDONLY | os.O_CREAT, 0o400)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run("scan", lib, *SCAN)
    finally:
        os.close(fd)
    assert result.exit_code == 0 and "waiting" not in result.output, result.output
    assert (lib / DEFAULT_DB_NAME).exists()


def test_a_scan_that_waits_says_so_and_goes_on_at_the_limit(shared, monkeypatch):
    """``scan lib`` while a scan of ``lib/a`` chooses its database (stopped with Ctrl-Z): it says once, naming the
    folder, that it waits, and at the limit that it goes on without waiting; it went on without a word."""
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    lib = shared / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=1)
    with choosing_database([lib / "a"]):
        result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    assert result.output.count(f"note: waiting for another blurscan scan of {lib} or a folder in it to choose "
                               "its database") == 1, result.output
    assert (f"note: another blurscan scan of {lib} or a folder in it has been choosing its database for 0 s "
            "(stopped?); going on without waiting for it") in result.output, result.output


@pytest.mark.slow
@as_root
@pytest.mark.parametrize("locks_owner", [0, 1002])
def test_two_users_scanning_a_shared_library_and_a_folder_in_it_make_one_database_after_the_other(shared,
                                                                                                    locks_owner,
                                                                                                    monkeypatch):
    """A library shared by two users through a group that may write it: ``scan lib/a`` by one (its locks held,
    no database yet) and ``scan lib`` by the other. The library's scan waits, then starts from the sub-folder's
    database, with the note, as if the two had been run one after the other. Whoever made the shared locks
    folder, root or bob (a member of the group, not the library's owner: the first of them to scan anything since
    the machine started); in bob's, until 2026-12-07, the scans took no shared lock and each made a database."""
    from blurscan.seeded import seeded_from

    alice, bob, photos = 1001, 1002, 1001
    users_known(monkeypatch, {alice: ("alice", alice, []), bob: ("bob", bob, [photos])})
    os.chown(db_creation.LOCKS, locks_owner, -1)
    lib = shared / "lib"
    with usual_umask():
        make_library(lib / "a", n_sharp=1, n_blurry=1)
        make_library(lib / "b", n_sharp=1, n_blurry=1)
    for folder, dirs, files in os.walk(lib):
        os.chown(folder, alice, photos)
        os.chmod(folder, 0o2775)
        for name in files:
            os.chown(os.path.join(folder, name), alice, photos)

    def library_scan(told):  # (alice: started when bob's scan holds its locks)
        if not told(60):
            return "not started"
        result = run("scan", lib, *SCAN, "--format", "jsonl")  # (rich, for a table, is root's to read)
        return "\n".join([str(result.exit_code), result.output])

    alices = _as_user(library_scan, alice, alice, [photos], umask=0o002)

    def sub_folder_scan(told):  # (bob)
        import blurscan.cli.scan as scan_command

        real = scan_command.scan_db_location

        def located(paths):  # (the locks held: alice's scan starts, and has to wait)
            os.write(alices[1], b"go\n")
            select.select([alices[2]], [], [], 2)  # (a moment for it to run, into the lock: without it, to its end)
            return real(paths)

        scan_command.scan_db_location = located
        result = run("scan", lib / "a", *SCAN, "--format", "jsonl")
        return "\n".join([str(result.exit_code), result.output])

    mine = _result(_as_user(sub_folder_scan, bob, bob, [photos], umask=0o002))
    assert mine.startswith("0\n") and f"database: {lib / 'a' / DEFAULT_DB_NAME}" in mine, mine
    theirs = _result(alices)
    assert theirs.startswith("0\n"), theirs
    assert f"{lib / 'a' / DEFAULT_DB_NAME} holds an earlier scan of {lib / 'a'}" in theirs, theirs
    with Store(lib / DEFAULT_DB_NAME) as store:
        assert seeded_from(store) == [str(lib / "a" / DEFAULT_DB_NAME)]


def test_a_long_files_from_list_is_not_looked_up_photo_by_photo_for_its_common_folder(tmp_path, monkeypatch):
    """The scanned root of a ``--files-from`` list of a library's photos: each path inside the common folder of the
    ones before it is not looked up (it cannot change that folder); until 2026-12-06 every photo was, twice (some
    2-5 s of 100,000 photos before the scan's first). The folder found is the same: missing paths count for
    nothing, a folder or a photo elsewhere widens it."""
    from blurscan import permissions

    lib = tmp_path / "lib"
    for folder in ("2024", "2025"):
        (lib / folder).mkdir(parents=True)
        for i in range(300):
            (lib / folder / f"IMG_{i:04d}.jpg").write_bytes(b"\xff\xd8\xff")
    paths = [str(p) for p in sorted(lib.rglob("*.jpg"))]
    looked_up = []
    real = permissions.may_exist
    monkeypatch.setattr(permissions, "may_exist", lambda p: looked_up.append(p) or real(p))

    assert db_creation._scanned_root([str(tmp_path / "gone" / "x.jpg"), *paths, str(lib / "2025" / "gone.jpg")]) \
        == str(lib)
    assert len(looked_up) < 10  # (the missing one, the first photo, the first of 2025: every one of the 602 before)
    assert db_creation._scanned_root(paths[:3]) == str(lib / "2024")
    assert db_creation._scanned_root([*paths[:3], str(tmp_path)]) == str(tmp_path)
    assert db_creation._scanned_root([*paths[:3], str(lib / "2024" / "sub" / "gone.jpg"),
                                      str(tmp_path / "gone.jpg")]) == str(lib / "2024")
    assert db_creation._scanned_root([str(tmp_path / "gone.jpg")]) is None


@as_root
def test_a_lock_file_is_opened_by_the_folders_owner_alone(shared, monkeypatch):
    """Root's scan of a library of one user's (``0755``): the lock file it makes is that user's, who may take it
    (their scan and root's exclude each other), and no other user may open it (who could keep both waiting)."""
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    alice = 1001
    lib = shared / "lib"
    with usual_umask():
        make_library(lib, n_sharp=1, n_blurry=1)
    os.chown(lib, alice, alice)
    os.chmod(lib, 0o755)
    with choosing_database([lib]):  # (root's: the lock file made)
        pass
    st = os.stat(lib)
    lock = os.path.join(db_creation.LOCKS, db_creation.shared_name(st))

    def other(told):
        try:
            os.open(lock, os.O_RDONLY)
        except PermissionError:
            return "refused"
        return "opened"

    assert _result(_as_user(other, NOBODY, NOBODY)) == "refused"

    def owner(told):
        with choosing_database([lib]):
            told.held()
            return "held until told" if told(60) else "gave up"

    child = _as_user(owner, alice, alice, holds=True)
    result = run("scan", lib, *SCAN)
    assert _result(child) == "held until told"
    assert f"note: waiting for another blurscan scan of {lib}" in result.output, result.output


def test_a_scan_through_a_link_waits_for_a_scan_of_the_folder_above_the_real_one(shared, monkeypatch):
    """``scan y`` choosing its database (its locks held here), and ``scan x/link/a`` where ``x/link`` leads to
    ``y/lib``: the folders above are the real ones (``y``'s database could be the one to start from), so it waits."""
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    make_library(shared / "y" / "lib" / "a", n_sharp=1, n_blurry=1)
    (shared / "x").mkdir()
    (shared / "x" / "link").symlink_to(shared / "y" / "lib")
    with choosing_database([shared / "y"]):
        result = run("scan", shared / "x" / "link" / "a", *SCAN)
    assert result.exit_code == 0, result.output
    assert f"note: waiting for another blurscan scan of {shared / 'y'} or a folder in it" in result.output, \
        result.output


def test_a_fifo_in_place_of_a_lock_file_keeps_no_scan_waiting(shared):
    """Another user makes a FIFO under the library's lock file name in the locks folder (any user may make files
    there): the scan opened it and waited for a writer, for good (not even the 30 s limit). It goes on."""
    import subprocess
    import sys

    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    st = os.stat(lib)
    os.mkfifo(os.path.join(db_creation.LOCKS, db_creation.shared_name(st)), 0o666)
    code = (f"from blurscan.cli import db_creation, main; db_creation.LOCKS = {db_creation.LOCKS!r}; "
            f"db_creation.PRIVATE = {getattr(db_creation, 'PRIVATE', '')!r}; "
            f"main(['scan', {str(lib)!r}, '--model', 'none', '--workers', '1'])")
    try:  # (a generous limit: the scan takes a second or two; it never ended)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the scan waited for good on a FIFO in the locks folder")
    assert done.returncode == 0, done.stderr
    assert (lib / DEFAULT_DB_NAME).exists()


@as_root
def test_a_library_made_a_groups_after_its_lock_file_was_made_is_locked_by_the_group(shared, monkeypatch):
    """Alice's library, hers alone (``0755``) when a scan made its lock file (hers, ``0400``), then given to the
    photos group (``2775``): bob's scan of ``lib/2024`` waits for hers of ``lib`` (here up to 0.2 s: hers holds its
    locks until his has returned). Until 2026-12-07 the old lock file stayed (until ``/tmp`` was emptied), bob could
    not open it, and his scan went straight on, to make a database beside hers."""
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)
    alice, bob, photos = 1001, 1002, 1001
    lib = shared / "lib"
    with usual_umask():
        make_library(lib / "2024", n_sharp=1, n_blurry=1)
    for folder in (lib, lib / "2024"):
        os.chown(folder, alice, alice)
        os.chmod(folder, 0o755)
    with choosing_database([lib / "2024"]):  # (the lock file of lib made: alice's alone)
        pass
    for folder, _dirs, files in os.walk(lib):
        os.chown(folder, alice, photos)
        os.chmod(folder, 0o2775)
        for name in files:
            os.chown(os.path.join(folder, name), alice, photos)

    def library_scan(told):  # (alice's, choosing its database)
        with choosing_database([lib]):
            told.held()
            return "held until told" if told(60) else "gave up"

    alices = _as_user(library_scan, alice, alice, [photos], umask=0o002, holds=True)

    def sub_folder_scan(told):  # (bob's: alice's holds its locks until it has returned)
        result = run("scan", lib / "2024", *SCAN, "--format", "jsonl")
        os.write(alices[1], b"go\n")
        return "\n".join([str(result.exit_code), result.output])

    bobs = _result(_as_user(sub_folder_scan, bob, bob, [photos], umask=0o002))
    assert _result(alices) == "held until told"
    assert bobs.startswith("0\n"), bobs
    assert f"note: waiting for another blurscan scan of {lib} or a folder in it" in bobs, bobs
