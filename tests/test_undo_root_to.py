"""A ``--to`` folder right under ``/`` (``/rejects``) deleted since the move: its files are gone with it. Undo took
the missing folder for a drive not mounted (the drive guard's rule for making a folder right under ``/``), so
every undo failed with "cannot be reached ...; run undo again once it is" and the batch was never closed. A
drive's mount point stays while its drive is not mounted, so the folder was deleted or renamed: the files are
said to be gone, each named, and the batch is closed, as for a ``--to`` deleted anywhere else; nothing is
deleted, and ``--batch`` looks for them again (the folder put back). ``tmp_path`` plays ``/``
(``drives.ROOT``, ``drives.MOUNT_PARENTS``): the real one cannot be written by the tests."""
from __future__ import annotations

import os
import shutil

from click.testing import CliRunner

from blurscan.actions import drives
from blurscan.cli import main
from blurscan.errors import shell_path
from helpers_library import build_library, decide, sha, snapshot


def test_a_to_folder_deleted_right_under_the_root_closes_the_batch_naming_the_files(tmp_path, monkeypatch):
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path), 1),))
    monkeypatch.setattr(drives, "ROOT", str(tmp_path))
    monkeypatch.setattr(drives, "mounted", lambda folder: True)  # the root is
    monkeypatch.chdir(tmp_path)
    root, db, rejects = tmp_path / "lib", tmp_path / "elsewhere.db", tmp_path / "rejects"
    store, f = build_library(root, db=db)
    before = {key: sha(path) for key, path in f.items()}
    decide(store, f["IMG_1"], "discard")  # with its RAW twin and two sidecars
    store.close()
    moved = CliRunner().invoke(main, ["move", str(root), "--db", str(db), "--to", str(rejects), "--yes"])
    assert moved.exit_code == 0, moved.output
    left = snapshot(root)
    shutil.copytree(rejects, tmp_path / "kept-copy")
    shutil.rmtree(rejects)  # deleted, with the four files

    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1, out.output
    gone = [f[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp")]
    assert sorted(out.stderr.splitlines()) == sorted(
        f"failed: {path}: missing, and not found at {rejects / os.path.relpath(path, root)} either: {rejects} is "
        "not there (deleted or renamed since the batch?)" for path in gone), out.stderr
    assert out.stdout == ("batch 1: restored 0 files, 4 could not be restored (listed above: no longer where the "
                          "move put them nor at their place, so undo cannot bring them back).\n"
                          "batch 1 is closed: no other batch is left for a plain `blurscan undo`; "
                          f"`blurscan undo --batch 1 --db {shell_path(db)}` looks for the missing files again.\n")
    again = CliRunner().invoke(main, ["undo", "--db", str(db)])  # was the same failure, for ever
    assert again.exit_code == 0 and again.stdout.startswith("Nothing to undo: 1 batch closed"), again.output
    assert snapshot(root) == left and not rejects.exists()  # nothing made, nothing deleted

    os.rename(tmp_path / "kept-copy", rejects)  # the folder back (it had been renamed, say)
    out = CliRunner().invoke(main, ["undo", "--batch", "1", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("batch 1: restored 4 files"), out.stdout
    assert {key: sha(path) for key, path in f.items()} == before


def test_a_to_drive_mounted_right_under_the_root_and_unmounted_is_still_waited_for(tmp_path, monkeypatch):
    """The line the test above draws: ``/rejects`` a drive's mount point, the drive not mounted (the folder
    there, empty): its files may come back, so the batch is not closed, and undo puts them back once it is
    mounted again."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path), 1),))
    monkeypatch.setattr(drives, "ROOT", str(tmp_path))
    monkeypatch.setattr(drives, "FSTAB", str(tmp_path / "no-fstab"))
    monkeypatch.setattr(drives, "mounted", lambda folder: os.path.normpath(folder) == str(tmp_path))  # (the root)
    root, db, rejects = tmp_path / "lib", tmp_path / "elsewhere.db", tmp_path / "rejects"
    store, f = build_library(root, db=db)
    before = sha(f["IMG_4"])
    decide(store, f["IMG_4"], "discard")
    store.close()
    rejects.mkdir()  # the drive's mount point, made before the move
    moved = CliRunner().invoke(main, ["move", str(root), "--db", str(db), "--to", str(rejects), "--yes"])
    assert moved.exit_code == 0, moved.output
    os.rename(rejects, tmp_path / "unmounted")
    rejects.mkdir()  # the mount point stays, empty
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1 and "closed" not in out.stdout, out.output
    assert f"cannot be reached: {rejects / 'b'} is not there (is the drive unplugged?); run undo again" in out.stderr
    rejects.rmdir()
    os.rename(tmp_path / "unmounted", rejects)
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 0 and sha(f["IMG_4"]) == before, out.output


def test_report_and_close_say_a_to_deleted_right_under_the_root_is_no_drive(tmp_path, monkeypatch):
    """The ``/rejects`` of the first test deleted with its photos: ``report`` says they are no longer there (undo
    cannot bring them back), not that they are on a drive at ``/rejects`` not mounted now, and ``undo --close``
    refuses the batch as one within reach (the folder deleted, the root mounted: no drive waited for)."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path), 1),))
    monkeypatch.setattr(drives, "ROOT", str(tmp_path))
    monkeypatch.setattr(drives, "mounted", lambda folder: True)  # the root is
    root, db, rejects = tmp_path / "lib", tmp_path / "elsewhere.db", tmp_path / "rejects"
    store, f = build_library(root, db=db)
    decide(store, f["IMG_4"], "discard")
    store.close()
    moved = CliRunner().invoke(main, ["move", str(root), "--db", str(db), "--to", str(rejects), "--yes"])
    assert moved.exit_code == 0, moved.output
    shutil.rmtree(rejects)  # deleted, with the photo
    out = CliRunner().invoke(main, ["report", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "note: 1 photo moved or trashed by blurscan, no longer " in out.stderr, out.stderr
    assert "not mounted" not in out.output, out.output
    out = CliRunner().invoke(main, ["undo", "--close", "--batch", "1", "--db", str(db)])
    assert out.exit_code == 1, out.output  # (no drive waited for: refused, an undo finds the photo gone)
    assert out.output.startswith(f"Error: batch 1: 1 file it moved is within reach at {rejects} "), out.output
