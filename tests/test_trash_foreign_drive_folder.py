"""A drive's trash folder under this user's name that is not theirs (another user's, or root's ``0777``
``.Trash-UID``; ``.Trash/UID`` in the drive's shared sticky ``.Trash``): ``trash --yes`` passes over it, for the
home trash. Until 2026-12-06 the plan counted it as usable, so the dry run promised the photos when the home
trash could not take them, and ``--yes`` then made the home trash where it must not (in a folder with no write bit,
as root; in ``/`` for ``HOME=``). Now the dry run says what ``--yes`` does: the photos stay, with the home trash's
reason. Root makes the folders another user's; the drive is a small tmpfs."""
from __future__ import annotations

import contextlib
import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import build_library, decide, snapshot, tmpfs

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
pytestmark = pytest.mark.skipif(not AS_ROOT, reason="root makes another user's folder on a drive it mounts")
SOMEONE = 1000


def _foreign(drive, where: str) -> None:
    """Another user's folder under this user's name, where :func:`blurscan.actions.trash.trash_dir_for` looks: the
    drive's top folder (``.Trash-UID``), or the shared ``.Trash`` (``.Trash/UID``) of a drive whose top folder no
    one may write (so no ``.Trash-UID`` can be made there either)."""
    uid = str(os.getuid())
    if where == "top":
        folder = drive / f".Trash-{uid}"
    else:
        (drive / ".Trash").mkdir()
        os.chmod(drive / ".Trash", 0o1777)
        folder = drive / ".Trash" / uid
    folder.mkdir()
    os.chown(folder, SOMEONE, SOMEONE)
    os.chmod(folder, 0o777)
    if where == "shared":
        drive.chmod(0o555)


@contextlib.contextmanager
def _library_on_a_drive(tmp_path, arrange):
    """A library on a small tmpfs drive (IMG_4 marked discard; its database beside the drive), the drive's trash
    folders laid out by ``arrange(drive)``, and a home trash that cannot be made (its parent has no write bit,
    which root honours): (drive, the photos, the trash command's arguments, its environment, the home trash's
    data folder, the folder before it); the modes put back after."""
    closed = tmp_path / "closed"
    closed.mkdir()
    data = closed / "data"
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        store.close()
        arrange(drive)
        closed.chmod(0o555)
        try:
            yield drive, f, ["trash", "--db", str(tmp_path / "lib.db")], {"XDG_DATA_HOME": str(data)}, data, closed
        finally:
            closed.chmod(0o755)
            drive.chmod(0o755)


@pytest.mark.parametrize("where", ["top", "shared"])
def test_a_drive_trash_folder_of_another_user_is_not_promised_by_the_dry_run(tmp_path, where):
    with _library_on_a_drive(tmp_path, lambda drive: _foreign(drive, where)) as (drive, f, args, env, data, closed):
        before = snapshot(drive / "lib")
        dry = CliRunner().invoke(main, args, env=env)
        why = (f"cannot make the trash folder {data / 'Trash'}: {closed} is read-only (mode 0555: no one may "
               "write it; blurscan honours that when run as root too)")
        assert dry.exit_code == 0, dry.output
        assert f"skip b/c/IMG_4.jpg: {why}; left in place" in dry.stdout, dry.output
        assert "would trash" not in dry.stdout, dry.output
        assert f"warning: the photo selected cannot be taken: {why}" in dry.stderr, dry.output
        yes = CliRunner().invoke(main, [*args, "--yes"], env=env)
        assert yes.exit_code == 1, yes.output
        assert f"Error: the photo selected cannot be taken: {why}; nothing was trashed" in yes.stderr, yes.output
        assert snapshot(drive / "lib") == before and not data.exists()


def _shared(drive, how: str) -> None:
    """A drive's ``.Trash`` holding a folder of this user's own, that :func:`trash_dir_for` passes over: without
    the sticky bit (anyone may rename what others put there), or a link to a sticky folder; the drive's top
    folder no one may write, so no ``.Trash-UID`` can be made either."""
    real = drive / ("Trash" if how == "link" else ".Trash")
    real.mkdir()
    os.chmod(real, 0o1777 if how == "link" else 0o777)
    (real / str(os.getuid())).mkdir(mode=0o700)
    if how == "link":
        (drive / ".Trash").symlink_to(real)
    drive.chmod(0o555)


@pytest.mark.parametrize("how", ["not sticky", "link"])
def test_a_shared_trash_that_is_not_sticky_or_is_a_link_is_not_promised_by_the_dry_run(tmp_path, how):
    """``.Trash/UID`` is ours, but ``.Trash`` is not sticky or is a link: ``--yes`` passes over it for the home
    trash, which cannot be made here; the dry run says so (mutation testing, 2026-12-06: the sticky bit or the
    link unchecked in the plan's judgement passed every test)."""
    with _library_on_a_drive(tmp_path, lambda drive: _shared(drive, how)) as (drive, f, args, env, data, _):
        before = snapshot(drive / "lib")
        dry = CliRunner().invoke(main, args, env=env)
        assert dry.exit_code == 0, dry.output
        assert "skip b/c/IMG_4.jpg: cannot make the trash folder" in dry.stdout, dry.output
        assert "would trash" not in dry.stdout, dry.output
        yes = CliRunner().invoke(main, [*args, "--yes"], env=env)
        assert yes.exit_code == 1, yes.output
        assert snapshot(drive / "lib") == before and not data.exists()


@pytest.mark.parametrize("where", ["shared", "top"])
def test_a_drive_trash_folder_that_is_ours_is_promised_when_the_home_trash_cannot_be_made(tmp_path, where):
    """The drive's trash takes the photo though the home trash cannot be made: a sticky ``.Trash`` with no
    ``.Trash/UID`` yet (made by ``--yes``) on a drive whose top folder no one may write, or this user's own
    ``.Trash-UID`` there already. The dry run promises the photo and ``--yes`` trashes it there (mutation
    testing, 2026-12-06: either judged unusable in the plan passed every test)."""
    uid = str(os.getuid())

    def arrange(drive):
        if where == "shared":
            (drive / ".Trash").mkdir()
            os.chmod(drive / ".Trash", 0o1777)
            drive.chmod(0o555)
        else:
            (drive / f".Trash-{uid}").mkdir(mode=0o700)

    with _library_on_a_drive(tmp_path, arrange) as (drive, f, args, env, data, _):
        trash = drive / ".Trash" / uid if where == "shared" else drive / f".Trash-{uid}"
        dry = CliRunner().invoke(main, args, env=env)
        assert dry.exit_code == 0, dry.output
        assert "would trash" in dry.stdout and "skip" not in dry.stdout, dry.output
        yes = CliRunner().invoke(main, [*args, "--yes"], env=env)
        assert yes.exit_code == 0, yes.output
        assert os.listdir(trash / "files") == ["IMG_4.jpg"] and not os.path.exists(f["IMG_4"])
        assert not data.exists()
