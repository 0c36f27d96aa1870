"""A shared library: the actions lock of the library's database above a sub-folder's is another user's, which
this user may not write (:mod:`blurscan.actions.library_locks`, 2026-12-06). Opened read only (``flock`` needs
no more), it still keeps this user's batch of the sub-folder's database from running while the other user's
batch of the library's runs over the same photos. The test runs the sub-folder's batch as ``nobody`` when the
tests run as root."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.config import DEFAULT_DB_NAME
from helpers_cli import run
from helpers_images import make_library
from helpers_library import batch_held
from helpers_os import run_unprivileged, usual_umask

SCAN = ("--model", "none", "--workers", "1")

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="needs root, to run the other user's batch as nobody")


@pytest.fixture
def base():
    """A folder ``nobody`` can reach (pytest's own is root's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="blurscan-locks-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _shared_library(base: Path) -> Path:
    """``lib`` (root's) with ``a`` scanned first, then ``lib``; ``lib/a``, its database and ``base/rejects`` open
    to every user."""
    lib = base / "lib"
    with usual_umask():
        make_library(lib / "a", n_sharp=1, n_blurry=2)
        for folder in (lib / "a", lib):
            assert run("scan", folder, *SCAN).exit_code == 0
    for sub, dirs, files in os.walk(lib / "a"):  # the sub-folder and its database: this user's to write
        os.chmod(sub, 0o777)
        for name in files:
            os.chmod(os.path.join(sub, name), 0o666)
    (base / "rejects").mkdir(mode=0o777)
    (base / "rejects").chmod(0o777)
    return lib


def _move(lib: Path, rejects: Path):
    def move():
        out = CliRunner().invoke(main, ["move", str(lib / "a"), "--all-blurry", "--to", str(rejects), "--yes"])
        return [out.exit_code, out.output]

    return run_unprivileged(move)


def test_a_batch_waits_for_the_librarys_batch_whose_lock_it_may_not_write(base):
    lib = _shared_library(base)
    photos = sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith("."))
    # (the other user's batch of the library's database, running; under the usual umask, whatever the test run's:
    # under 077 its lock was 0600, which nobody may not even open to wait on)
    with usual_umask(), batch_held(lib / DEFAULT_DB_NAME):
        lock = lib / f"{DEFAULT_DB_NAME}.actions.lock"
        assert lock.stat().st_uid == 0 and lock.stat().st_mode & 0o777 == 0o644  # (root's: nobody may not write it)
        code, output = _move(lib, base / "rejects")
    assert code == 1 and "another blurscan move, trash, tag or undo is running on" in output, output
    assert str(lib / DEFAULT_DB_NAME) in output, output
    assert sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith(".")) == photos
    assert list((base / "rejects").iterdir()) == []


def test_a_librarys_lock_that_cannot_be_made_is_passed_over(base):
    """No batch of the library's database has run: its lock file is not there, and this user may not make it in
    the library's folder (nor could a batch of that database move anything there): the batch runs."""
    lib = _shared_library(base)
    assert not (lib / f"{DEFAULT_DB_NAME}.actions.lock").exists()
    code, output = _move(lib, base / "rejects")
    assert code == 0 and "moved 2 photos" in output, output
    assert not (lib / f"{DEFAULT_DB_NAME}.actions.lock").exists()


def test_the_librarys_lock_made_by_root_is_the_library_owners(base):
    """``sudo blurscan move lib/a`` in a library another user owns: the lock it makes beside the library's
    database is that user's, which their own ``move lib`` then opens (root's, it would be refused: "cannot open the
    actions lock")."""
    lib = _shared_library(base)
    os.chown(lib, 65534, 65534)
    assert run("move", lib / "a", "--all-blurry", "--to", base / "rejects", "--yes").exit_code == 0
    lock = lib / f"{DEFAULT_DB_NAME}.actions.lock"
    assert (lock.stat().st_uid, lock.stat().st_gid) == (65534, 65534)


def test_a_folder_above_the_library_that_this_user_may_not_list_is_passed_over(base):
    """A library in a folder this user may enter but not list (another user's home, 0711): that folder's lock
    (:func:`blurscan.actions.library_locks.held_folders`) cannot be taken, and is passed over, not a refusal."""
    home = base / "home"
    home.mkdir()
    lib = home / "shared"
    with usual_umask():
        make_library(lib, n_sharp=1, n_blurry=2)
        assert run("scan", lib, *SCAN).exit_code == 0
    for sub, dirs, files in os.walk(lib):  # (the library: this user's to change; the folder above: not to list)
        os.chmod(sub, 0o777)
        for name in files:
            os.chmod(os.path.join(sub, name), 0o666)
    home.chmod(0o711)
    (base / "rejects").mkdir(mode=0o777)
    (base / "rejects").chmod(0o777)

    def move():
        out = CliRunner().invoke(main, ["move", str(lib), "--all-blurry", "--to", str(base / "rejects"), "--yes"])
        return [out.exit_code, out.output]

    code, output = run_unprivileged(move)
    assert code == 0 and "moved 2 photos" in output, output
