"""A ``--to`` under a regular file (``notadir/rejects``, ``notadir`` a file): ``move --yes`` said
``cannot be written (notadir is read-only or not yours)`` and the dry run warned the same, when the folder cannot
be made at all. Both now stop with the reason; a file put there after planning is said so by the run. The
trash's equivalent, a file where the home trash must be: the dry run warns, and each photo's failure names it
and the file in the way (it was ``.../Trash: cannot create the trash folder: not a directory``, no photo named)."""
from __future__ import annotations

import os
import sys

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import decide, snapshot


def _library(lib, tmp_path):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    notadir = tmp_path / "notadir"
    notadir.write_text("hi")
    return root, f, notadir


def test_move_to_a_folder_under_a_file_is_refused_with_the_reason_dry_run_and_yes(lib, tmp_path):
    root, f, notadir = _library(lib, tmp_path)
    dest = notadir / "rejects"
    before = snapshot(root)
    for yes in ([], ["--yes"]):
        out = CliRunner().invoke(main, ["move", "--to", str(dest), "--all-blurry", *yes, str(root)])
        assert out.exit_code == 2, out.output
        assert out.stderr == f"Error: {dest}: cannot be made: {notadir} is a file, not a folder\n", out.stderr
        assert out.stdout == ""
    deeper = CliRunner().invoke(main, ["move", "--to", str(dest / "2024"), str(root)])
    assert deeper.stderr == f"Error: {dest / '2024'}: cannot be made: {notadir} is a file, not a folder\n"
    assert snapshot(root) == before and notadir.read_text() == "hi"
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."


def test_a_file_put_above_the_destination_after_planning_is_named_by_the_run(lib, tmp_path):
    from blurscan.actions import execute, plan_move
    from blurscan.errors import ActionError
    from blurscan.store import Store

    root, f, _notadir = _library(lib, tmp_path)
    dest = tmp_path / "later" / "rejects"
    with Store(root / ".blurscan.db") as store:
        plan = plan_move(store, dest)
        assert plan.photos
        (tmp_path / "later").write_text("a file now")
        with pytest.raises(ActionError) as raised:
            execute(store, plan)
        assert str(raised.value) == (f"{dest}: cannot be made: {tmp_path / 'later'} is a file, not a folder; "
                                     "nothing was moved")
        assert store.conn.execute("SELECT COUNT(*) FROM batches").fetchone()[0] == 0
    assert os.path.isfile(f["IMG_1"])


def test_trash_with_a_file_where_the_home_trash_must_be(lib, tmp_path, monkeypatch):
    if sys.platform in ("darwin", "win32"):
        pytest.skip("the freedesktop.org trash only")
    root, f, notadir = _library(lib, tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(notadir))  # the home trash: notadir/Trash
    before = snapshot(root)
    dry = CliRunner().invoke(main, ["trash", str(root)])
    assert dry.exit_code == 0, dry.output
    assert (f"warning: {notadir / 'Trash' / 'files'}: cannot be made: {notadir} is a file, not a folder: "
            "`--yes` would trash nothing there") in dry.stderr
    out = CliRunner().invoke(main, ["trash", "--yes", str(root)])
    assert out.exit_code == 1, out.output
    failed = [line for line in out.stderr.splitlines() if line.startswith("failed: ")]
    assert failed == [f"failed: {f['IMG_1']}: cannot make the trash folder {notadir / 'Trash'}: {notadir} is a "
                      "file, not a folder"]
    assert "trashed 0 photos" in out.stdout and "; 1 failed (listed above); nothing to undo." in out.stdout
    assert snapshot(root) == before and notadir.read_text() == "hi"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert "warning" not in CliRunner().invoke(main, ["trash", str(root)]).stderr
