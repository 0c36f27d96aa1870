"""A file the user may not read (root's ``0600`` sidecar or photo in the user's own folder) cannot be copied to
another drive. Until 2026-12-06 the dry run listed its photo as one that would move; ``--yes`` moved the photo and
failed its sidecar with "cannot copy to DST: permission denied" (the destination had refused nothing), the two
apart, and a photo that could not be read failed with the same words. Now the photo and its files stay, with the
file, its owner and mode named, in the dry run and with ``--yes``; planned by root and run by the user, the copy
says that the file could not be read. Root makes the files and the command runs as ``nobody``. On one drive such a
file moves with its photo (a rename), and a file the user may read but not write is copied across as any other."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from blurscan.actions import execute, plan_move
from blurscan.store import Store

from helpers_library import other_device_dir, snapshot, tmpfs
from helpers_os import run_unprivileged
from test_actions_source_folder import _invoke, _library, base  # noqa: F401  (base: a fixture)

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
pytestmark = pytest.mark.skipif(not AS_ROOT or other_device_dir() is None,
                                reason="root makes another user's files; /dev/shm is the other drive")
ROOTS = "is not readable by this user: owner root, mode 0600"


@pytest.fixture
def rejects():
    """A folder anyone may write on another drive than the library (/dev/shm)."""
    folder = Path(tempfile.mkdtemp(prefix="blurscan-rejects-", dir=other_device_dir()))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_photo_with_a_file_the_user_cannot_read_stays_with_it_named(base, rejects):
    """Root's 0600 sidecar beside the user's photo, and root's 0600 photo: each photo stays with its files, the
    unreadable file named with its owner and mode, in the dry run and with --yes; the others are moved."""
    db, f = _library(base)
    lib = base / "lib"
    os.chmod(f["IMG_2.AAE"], 0o600)  # a sidecar (root's) the user may not read
    os.chmod(f["IMG_4"], 0o600)  # a photo
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, lib]
    dry, yes = run_unprivileged(lambda: [_invoke(*args), _invoke(*args, "--yes")])
    aae = f"skip a/IMG_2.jpg: IMG_2.AAE {ROOTS}, and it must be copied to reach {rejects} (another drive); " \
          "left in place"
    assert aae in dry[1] and f"skip b/c/IMG_4.jpg: IMG_4.jpg {ROOTS}, and it must" in dry[1], dry
    assert "Dry run: 2 photos" in dry[1] and "IMG_2.jpg (with" not in dry[1], dry
    assert yes[0] == 0 and "failed" not in yes[1] + yes[2], yes
    assert f"skipped: a/IMG_2.jpg: IMG_2.AAE {ROOTS}" in yes[2], yes
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"]) and os.path.exists(f["IMG_4"])
    assert not any(os.path.exists(f[k]) for k in ("IMG_1", "IMG_1.CR2", "IMG_5"))
    assert sorted(snapshot(rejects)) == sorted(str(rejects / os.path.relpath(f[k], lib)) for k in (
        "IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5"))


def test_a_file_made_unreadable_after_the_plan_is_named_as_unread(base, rejects):
    """Planned by root (who may read anything), run as nobody: the photo that cannot be read fails saying so, not
    "cannot copy to DST"; the photo whose sidecar cannot be read stays with it."""
    db, f = _library(base)
    os.chmod(f["IMG_2.AAE"], 0o600)
    os.chmod(f["IMG_4"], 0o600)
    with Store(db) as store:
        plan = plan_move(store, rejects, all_flagged=True)
    assert len(plan.photos) == 4

    def attempt():
        with Store(db) as store:
            result = execute(store, plan)
        return [result.failed, result.skipped]

    failed, skipped = run_unprivileged(attempt)
    dst = rejects / "b" / "c" / "IMG_4.jpg"
    assert [f["IMG_4"], f"{f['IMG_4']}: cannot be read to be copied to {dst} (another drive): permission denied "
                        "(owner root, mode 0600); not moved"] in failed, failed
    assert [f["IMG_2"], f"{f['IMG_2']}: not moved without IMG_2.AAE: IMG_2.AAE {ROOTS}, and it must be copied to "
                        f"reach {rejects} (another drive); left in place"] in failed, failed
    assert len(failed) == 2 and skipped == [[f["IMG_2.AAE"], "its photo was not moved"]], (failed, skipped)
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"]) and os.path.exists(f["IMG_4"])


def test_trash_to_the_home_trash_on_another_drive_leaves_a_photo_with_a_file_the_user_cannot_read(base, rejects):
    """The library's drive has no trash the user may make (its top folder is root's, 0755), the home trash is on
    another drive (/dev/shm): each file is copied there, so a photo whose sidecar cannot be read stays with it,
    named; the others go to the home trash. The drive is a small tmpfs of the test's own: until 2026-12-07 it was
    the temporary folder's, whose top was taken to be ``/``; where ``/tmp`` is a tmpfs (Debian 13, Fedora, Arch), the
    user made ``/tmp/.Trash-65534`` and the photos went there (the test failed, and left them in ``/tmp``)."""
    with tmpfs(base / "drive", "4m") as drive:
        db, f = _library(drive)
        drive.chmod(0o755)  # (a tmpfs's top is 1777: the user could make its trash there)
        os.chmod(f["IMG_2.AAE"], 0o600)
        env = {"XDG_DATA_HOME": str(rejects)}
        args = ["trash", "--all-blurry", "--db", db, drive / "lib"]
        dry, yes = run_unprivileged(lambda: [_invoke(*args, env=env), _invoke(*args, "--yes", env=env)])
        why = f"IMG_2.AAE {ROOTS}, and it must be copied to reach {rejects / 'Trash'} (another drive); left in place"
        assert f"skip a/IMG_2.jpg: {why}" in dry[1] and "Dry run: 3 photos" in dry[1], dry
        assert yes[0] == 0 and f"skipped: a/IMG_2.jpg: {why}" in yes[2] and "failed" not in yes[1] + yes[2], yes
        assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"]) and not os.path.exists(f["IMG_1"])
        assert os.path.exists(rejects / "Trash" / "files" / "IMG_1.JPG")
        assert sorted(os.listdir(drive)) == ["db", "lib"]  # (no trash made on the library's drive)


def test_on_one_drive_a_file_the_user_cannot_read_moves_with_its_photo(base):
    """On the library's own drive a move is a rename, which needs the folder's permission only: root's 0600 sidecar
    and root's 0600 photo move with the rest, in the dry run and with --yes, and undo puts them back."""
    db, f = _library(base)
    lib, rejects = base / "lib", base / "rejects"
    rejects.mkdir(mode=0o777)
    rejects.chmod(0o777)
    os.chmod(f["IMG_2.AAE"], 0o600)
    os.chmod(f["IMG_4"], 0o600)
    before = snapshot(lib)
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, lib]
    dry, yes, undo = run_unprivileged(lambda: [_invoke(*args), _invoke(*args, "--yes"),
                                               _invoke("undo", "--db", db, lib)])
    assert "Dry run: 4 photos" in dry[1] and "not readable" not in dry[1] + dry[2], dry
    assert yes[0] == 0 and "skipped" not in yes[1] + yes[2] and "failed" not in yes[1] + yes[2], yes
    assert yes[1].startswith("moved 4 photos"), yes
    assert undo[0] == 0, undo
    assert snapshot(lib) == before


def test_a_file_the_user_may_read_but_not_write_is_copied_to_another_drive(base, rejects):
    """Root's 0644 sidecar and photo (readable by anyone, writable by root alone) are copied across as any other:
    only reading them is needed, and the user's folder lets the originals be removed."""
    db, f = _library(base)
    os.chmod(f["IMG_2.AAE"], 0o644)
    os.chmod(f["IMG_4"], 0o644)
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, base / "lib"]
    dry, yes = run_unprivileged(lambda: [_invoke(*args), _invoke(*args, "--yes")])
    assert "Dry run: 4 photos" in dry[1] and "not readable" not in dry[1] + dry[2], dry
    assert yes[0] == 0 and "skipped" not in yes[1] + yes[2] and "failed" not in yes[1] + yes[2], yes
    assert not os.path.exists(f["IMG_2.AAE"]) and not os.path.exists(f["IMG_4"])
    assert os.path.exists(rejects / os.path.relpath(f["IMG_2.AAE"], base / "lib"))
