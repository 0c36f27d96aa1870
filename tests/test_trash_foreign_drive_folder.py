"""A drive's trash folder under this user's name that is not theirs (another user's, or root's ``0777``
``.Trash-UID``; ``.Trash/UID`` in the drive's shared sticky ``.Trash``): ``trash --yes`` passes over it, for the
home trash. Until 2026-12-06 the plan counted it as usable, so the dry run promised the photos when the home
trash could not take them, and ``--yes`` then made the home trash where it must not (in a folder with no write bit,
as root; in ``/`` for ``HOME=``). Now the dry run says what ``--yes`` does: the photos stay, with the home trash's
reason. Root makes the folders another user's; the drive is a small tmpfs."""
from __future__ import annotations

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


@pytest.mark.parametrize("where", ["top", "shared"])
def test_a_drive_trash_folder_of_another_user_is_not_promised_by_the_dry_run(tmp_path, where):
    closed = tmp_path / "closed"  # the home trash's parent: no write bit for anyone, which root honours
    closed.mkdir()
    data = closed / "data"
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        store.close()
        _foreign(drive, where)
        closed.chmod(0o555)
        before = snapshot(drive / "lib")
        args = ["trash", "--db", str(tmp_path / "lib.db")]
        env = {"XDG_DATA_HOME": str(data)}
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
        closed.chmod(0o755)
        drive.chmod(0o755)
