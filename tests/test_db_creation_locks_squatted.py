"""The shared locks folder made first by another user (:mod:`blurscan.cli.db_creation`): its owner may delete any
lock file in it, and until 2026-12-07 it held the only locks. Another user who made ``/tmp/blurscan-locks`` first
(``mkdir -m 1777``) could delete this user's lock files while held, so that two of this user's scans each made a
database; made 0755, every other user's scan took no lock at all. Each user's scans now also lock in a folder of
their own (``/tmp/blurscan-locks-UID``, 0700), used only when it is theirs and no one else's to open."""
from __future__ import annotations

import os

import pytest

from blurscan.cli import db_creation
from blurscan.cli.db_creation import choosing_database
from helpers_cli import run
from helpers_images import make_library
from test_db_creation_locks import SCAN, shared  # noqa: F401 (the fixture)

ALICE = 1001
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="gives the locks folder to another user (the tests run as root)")


def _quick(monkeypatch):
    monkeypatch.setattr(db_creation, "WAIT", 0.2)
    monkeypatch.setattr(db_creation, "SAY_AFTER", 0.0, raising=False)


@as_root
@pytest.mark.parametrize("mode", [0o1777, 0o755])
def test_a_locks_folder_another_user_made_first_does_not_undo_this_users_locks(shared, monkeypatch, mode):  # noqa: F811
    """Alice made the shared locks folder; this user's scan chooses its database (its locks held) and alice empties
    the folder (hers: sticky, she may): another scan of this user's still waits (it went straight on, to make a
    second database). Made 0755, this user's scans took no lock at all: they wait for each other too."""
    _quick(monkeypatch)
    os.chown(db_creation.LOCKS, ALICE, ALICE)
    os.chmod(db_creation.LOCKS, mode)
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    with choosing_database([lib]):
        for name in os.listdir(db_creation.LOCKS):  # (alice, just then)
            os.unlink(os.path.join(db_creation.LOCKS, name))
        result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    assert f"note: waiting for another blurscan scan of {lib} or a folder in it" in result.output, result.output


@as_root
@pytest.mark.parametrize("owner,mode", [(ALICE, 0o777), (ALICE, 0o700), (0, 0o777)])
def test_an_own_locks_folder_another_user_made_first_is_not_used(shared, monkeypatch, owner, mode):  # noqa: F811
    """Alice made this user's own locks folder first (``/tmp/blurscan-locks-0``, hers, 0777): it is not used (she
    could empty it, or keep the scans waiting); the shared one still is, and the scan goes on. Hers at 0700 is not
    used either (root may open it, and she may empty it), nor this user's own opened to everyone (0777)."""
    _quick(monkeypatch)
    own = db_creation.PRIVATE.format(uid=os.geteuid())
    os.mkdir(own)
    os.chown(own, owner, owner)
    os.chmod(own, mode)
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    with choosing_database([lib]):
        assert os.listdir(own) == []
        result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    assert f"note: waiting for another blurscan scan of {lib} or a folder in it" in result.output, result.output


def test_the_own_locks_folder_is_this_users_alone(shared):  # noqa: F811
    """Made by the scan, mode 0700, whatever the umask."""
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    old = os.umask(0)
    try:
        with choosing_database([lib]):
            pass
    finally:
        os.umask(old)
    st = os.lstat(db_creation.PRIVATE.format(uid=os.geteuid()))
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o700
    assert os.listdir(db_creation.PRIVATE.format(uid=os.geteuid()))
