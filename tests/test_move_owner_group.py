"""A photo moved to another drive by a user who is not root, and put back by undo: its copy is the user's (only
root may give a file away), but it keeps its group when the user belongs to it. Until 2026-12-06 the copy got the
user's own group: the photos of a library shared through a group (``chgrp -R family``, mode 0660) moved out and
back could no longer be opened by the others in it. A group or owner that cannot be kept is said, on a note line.

Made by root and run as ``nobody`` (root needed, as in test_actions_file_refusals.py)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers_library import force_cross_device, other_device_dir
from helpers_os import NOBODY, run_unprivileged, users_known, users_unknown
from test_actions_source_folder import _invoke, _library, base  # noqa: F401  (base: a fixture)

FAMILY, OTHERS = 4242, 4343  # two groups: nobody is made a member of the first alone
OWNER, STAFF = 4141, 4545  # another user, and a group nobody is not in (known by name: users_known)

pytestmark = pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0),
                                reason="files of another user and group: root makes them")


def _shared_library(base: Path):
    """The helpers' library (``_library``), its photos nobody's, group FAMILY, mode 0660 (IMG_4's group OTHERS),
    and a destination on another drive anyone may write; ``(db, files, lib, rejects, away)``."""
    db, f = _library(base)
    for path in f.values():
        os.chown(path, NOBODY, FAMILY)
        os.chmod(path, 0o660)
    os.chown(f["IMG_4"], NOBODY, OTHERS)
    other = other_device_dir()
    away = Path(tempfile.mkdtemp(prefix="blurscan-group-", dir=other)) if other else base / "away"
    away.mkdir(exist_ok=True)
    away.chmod(0o777)
    return db, f, base / "lib", away / "rejects", away if other else None


def test_a_photo_moved_to_another_drive_and_back_keeps_its_group(base, monkeypatch):
    users_unknown(monkeypatch, gids=(OTHERS,))  # (a group of no name: said ``group N``, whatever this machine holds)
    db, f, lib, rejects, away = _shared_library(base)
    if away is None:
        force_cross_device(monkeypatch)  # (no other drive here: every rename between folders says EXDEV)
    owners = lambda *paths: [list(os.stat(p)[4:6]) + [oct(os.stat(p).st_mode)] for p in paths]  # noqa: E731
    try:
        moved, there, undone = run_unprivileged(lambda: [
            _invoke("move", "--all-blurry", "--to", rejects, "--db", db, lib, "--yes"),
            owners(rejects / "a" / "IMG_1.JPG", rejects / "a" / "IMG_1.JPG.xmp", rejects / "b" / "c" / "IMG_4.jpg"),
            _invoke("undo", "--db", db, lib)], groups=[FAMILY])
    finally:
        if away is not None:
            shutil.rmtree(away, ignore_errors=True)
    assert moved[0] == 0 and undone[0] == 0, (moved, undone)
    assert there[:2] == [[NOBODY, FAMILY, "0o100660"]] * 2, there
    assert there[2] == [NOBODY, NOBODY, "0o100660"], there  # OTHERS: not one of nobody's groups
    assert (f"note: {f['IMG_4']}: its copy {rejects / 'b' / 'c' / 'IMG_4.jpg'} keeps its permissions, times and "
            f"extended attributes, but not its group, group {OTHERS} (not one of this user's)\n") in moved[2], moved[2]
    assert moved[2].count("note: ") == 1, moved[2]
    back = owners(f["IMG_1"], f["IMG_1.JPG.xmp"], f["IMG_2"], f["IMG_5"])
    assert back == [[NOBODY, FAMILY, "0o100660"]] * 4, back


@pytest.mark.parametrize("named", [True, False], ids=["named", "of-no-name"])
def test_an_owner_and_a_group_not_kept_are_named(base, monkeypatch, named):
    """Another user's photo in a folder this user may write (a library shared through its folders) moved to
    another drive: the copy is this user's, and the note names the owner and the group it could not keep, by
    name (``carol``, ``staff``), both on one line. Without the owner on the line the user was not told that
    the photo is now theirs. The user and the group are this test's (helpers_os.users_known): until 2026-12-07 it
    took the machine's user 1 and group 50, and skipped where either had no name. An owner and a group of no
    name are ``user 4141`` and ``group 4545`` (until 2026-12-07 bare numbers: 'its owner 4141 (...), group
    4545')."""
    if named:
        owner, group = "carol", "staff"
        users_known(monkeypatch, {OWNER: (owner, OWNER, [])}, {STAFF: group})
    else:
        owner, group = f"user {OWNER}", f"group {STAFF}"
        users_unknown(monkeypatch, (OWNER,), (STAFF,))
    db, f, lib, rejects, away = _shared_library(base)
    if away is None:
        force_cross_device(monkeypatch)
    os.chown(f["IMG_2"], OWNER, STAFF)
    os.chmod(f["IMG_2"], 0o664)  # (readable by nobody, who is neither its owner nor in its group)
    try:
        moved, there = run_unprivileged(lambda: [
            _invoke("move", "--all-blurry", "--to", rejects, "--db", db, lib, "--yes"),
            list(os.stat(rejects / "a" / "IMG_2.jpg")[4:6])], groups=[FAMILY])
    finally:
        if away is not None:
            shutil.rmtree(away, ignore_errors=True)
    assert moved[0] == 0, moved
    assert there == [NOBODY, NOBODY], there
    assert (f"note: {f['IMG_2']}: its copy {rejects / 'a' / 'IMG_2.jpg'} keeps its permissions, times and "
            f"extended attributes, but not its owner, {owner} (only root may give a file away), nor its group, "
            f"{group} (not one of this user's)\n") in moved[2], moved[2]
    assert moved[2].count("note: ") == 2, moved[2]  # (and IMG_4's group, as above)
