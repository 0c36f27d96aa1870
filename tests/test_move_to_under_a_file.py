"""A ``--to`` under a regular file (``notadir/rejects``, ``notadir`` a file): ``move --yes`` said
``cannot be written (notadir is read-only or not yours)`` and the dry run warned the same, when the folder cannot
be made at all. Both now stop with the reason; a file put there after planning is said so by the run. The
trash's equivalent, a file where the home trash must be: the dry run skips each photo naming the file in the way,
and ``--yes`` refuses at once with that line (it was ``.../Trash: cannot create the trash folder: not a
directory``, no photo named; then a warning, and each photo failing in turn)."""
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
    """``XDG_DATA_HOME=/some/file``: the dry run and ``--yes`` agree, as for a read-only XDG_DATA_HOME. Until
    2026-12-06 the dry run said "1 photo would go" with a warning, and ``--yes`` failed each photo in turn and
    recorded an empty batch; now the dry run skips the photo naming the file and the variable, and ``--yes``
    refuses at once with that one line, recording no batch."""
    if sys.platform in ("darwin", "win32"):
        pytest.skip("the freedesktop.org trash only")
    root, f, notadir = _library(lib, tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(notadir))  # the home trash: notadir/Trash
    before = snapshot(root)
    why = f"cannot make the trash folder {notadir / 'Trash'}: {notadir} is a file, not a folder (XDG_DATA_HOME)"
    dry = CliRunner().invoke(main, ["trash", str(root)])
    assert dry.exit_code == 0, dry.output
    assert f"IMG_1.JPG: {why}; left in place" in dry.stdout
    assert "Dry run: 0 photos" in dry.stdout
    assert f"warning: the photo selected cannot be taken: {why}" in dry.stderr
    out = CliRunner().invoke(main, ["trash", "--yes", str(root)])
    assert out.exit_code == 1, out.output
    assert f"Error: the photo selected cannot be taken: {why}; nothing was trashed" in out.stderr, out.stderr
    assert "failed: " not in out.stderr and "trashed 0 photos" not in out.stdout
    assert snapshot(root) == before and notadir.read_text() == "hi"
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert "warning" not in CliRunner().invoke(main, ["trash", str(root)]).stderr
    nested = tmp_path / "data" / "Trash"  # a file where Trash itself must be: named, no variable blamed
    nested.parent.mkdir()
    nested.write_text("hi")
    dry = CliRunner().invoke(main, ["trash", str(root)])
    assert f"cannot make the trash folder {nested}: {nested} is a file, not a folder; left in place" in dry.stdout


def test_move_to_a_folder_in_a_link_whose_target_is_not_there_is_refused_and_makes_nothing(lib, tmp_path):
    """``move --to rej/2024``, ``rej`` a link to a drive's folder not there (``/media/usb/rej``, the drive not
    mounted): until 2026-12-07 the link was resolved first, and ``--yes`` made the drive's folders on the system
    disk and moved the photo there, hidden once the drive is mounted (``--to rej`` itself was refused). Refused now as
    ``--to rej`` is, dry run and ``--yes``, nothing made or moved; a loop the same."""
    root, f, _notadir = _library(lib, tmp_path)
    gone = tmp_path / "drive" / "rej"
    os.symlink(gone, tmp_path / "rej")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    before = snapshot(root)
    for dest in (tmp_path / "rej", tmp_path / "rej" / "2024", tmp_path / "rej" / "a" / "b"):
        for yes in ([], ["--yes"]):
            out = CliRunner().invoke(main, ["move", "--to", str(dest), "--all-blurry", *yes, str(root)])
            assert out.exit_code == 2, out.output
            assert out.stderr == (f"Error: {dest}: cannot be made: {tmp_path / 'rej'} is a symbolic link to {gone}, "
                                  "which leads nowhere\n"), out.stderr
    out = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "loop" / "x"), "--yes", str(root)])
    assert out.exit_code == 2 and f"{tmp_path / 'loop'} is a symbolic-link loop" in out.stderr, out.output
    assert not (tmp_path / "drive").exists() and snapshot(root) == before
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."
    (tmp_path / "drive").mkdir()  # (the drive mounted: the move goes there)
    gone.mkdir()
    out = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rej" / "2024"), "--yes", str(root)])
    assert out.exit_code == 0 and os.listdir(gone / "2024"), out.output


def test_a_relative_to_in_a_link_whose_target_is_not_there_is_named_from_the_root(lib, tmp_path, monkeypatch):
    """``move --to rej/2024`` typed in the folder of ``rej``, a link to a drive's folder not there: refused, the
    line naming the folders from the root as the other refusals of a ``--to`` do, not as typed."""
    root, f, _notadir = _library(lib, tmp_path)
    gone = tmp_path / "drive" / "rej"
    os.symlink(gone, tmp_path / "rej")
    monkeypatch.chdir(tmp_path)
    before = snapshot(root)
    for yes in ([], ["--yes"]):
        out = CliRunner().invoke(main, ["move", "--to", os.path.join("rej", "2024"), "--all-blurry", *yes, str(root)])
        assert out.exit_code == 2, out.output
        assert out.stderr == (f"Error: {tmp_path / 'rej' / '2024'}: cannot be made: {tmp_path / 'rej'} is a symbolic "
                              f"link to {gone}, which leads nowhere\n"), out.stderr
    assert not (tmp_path / "drive").exists() and snapshot(root) == before


def test_a_to_with_dotdot_after_a_link_is_read_as_the_system_reads_it(lib, tmp_path):
    """``move --to hop/../rej``, ``hop`` a link to ``far/sub``: the system reads ``hop/..`` as ``far``, so the
    photos go to ``far/rej``; the ``rej`` beside ``hop`` (a link to a drive not there) is not in the way, and
    nothing is made on the drive's side."""
    root, f, _notadir = _library(lib, tmp_path)
    (tmp_path / "far" / "sub").mkdir(parents=True)
    os.symlink(tmp_path / "far" / "sub", tmp_path / "hop")
    os.symlink(tmp_path / "drive" / "rej", tmp_path / "rej")
    out = CliRunner().invoke(main, ["move", "--to", f"{tmp_path / 'hop'}/../rej", "--all-blurry", "--yes", str(root)])
    assert out.exit_code == 0, out.output
    assert f"to {tmp_path / 'far' / 'rej'}" in out.stdout, out.output
    assert not os.path.exists(f["IMG_1"]) and os.listdir(tmp_path / "far" / "rej")
    assert not (tmp_path / "drive").exists() and os.path.islink(tmp_path / "rej")


def test_plan_move_reads_a_leading_tilde_as_home_before_it_looks_for_a_link_whose_target_is_not_there(
        lib, tmp_path, monkeypatch):
    """The library's ``plan_move(store, "~/rej/2024")`` (as its documentation writes a ``--to``), ``~/rej`` a link to
    a drive's folder not there: refused as ``move --to ~/rej/2024`` is, naming the link; the plan is not made for
    the drive's folder on the system disk."""
    from blurscan.actions import plan_move
    from blurscan.errors import UsageError
    from blurscan.store import Store

    root, f, _notadir = _library(lib, tmp_path)
    home, gone = tmp_path / "home", tmp_path / "drive" / "rej"
    home.mkdir()
    os.symlink(gone, home / "rej")
    monkeypatch.setenv("HOME", str(home))
    with Store(root / ".blurscan.db") as store, pytest.raises(UsageError) as refused:
        plan_move(store, "~/rej/2024", all_flagged=True)
    assert str(refused.value) == (f"{home / 'rej' / '2024'}: cannot be made: {home / 'rej'} is a symbolic link to "
                                  f"{gone}, which leads nowhere")
    assert not (tmp_path / "drive").exists()


def test_move_to_a_dot_dot_after_a_link_whose_target_is_not_there_is_refused_as_mkdir_p_refuses_it(lib, tmp_path,
                                                                                                   monkeypatch):
    """``move --to rej/../x``, ``rej -> media/usb/rej`` (relative; the drive not mounted): the system cannot walk
    the ``..`` out of a link to nothing (``mkdir -p rej/../x`` fails). Until 2026-12-07 the ``..`` was read by text
    after following the link's text, and the dry run and ``--yes`` moved the photo to ``media/usb/x``, made on the
    system disk. Refused now, naming the link, as ``--to rej/2024`` is; a ``..`` after a file, a link to a file, a
    loop or a name below the link the same. Nothing made or moved."""
    root, f, notadir = _library(lib, tmp_path)
    monkeypatch.chdir(tmp_path)
    os.symlink(os.path.join("media", "usb", "rej"), tmp_path / "rej")
    os.symlink("loop", tmp_path / "loop")
    os.symlink("notadir", tmp_path / "flink")
    before = snapshot(root)
    cases = {"rej/../x": f"{tmp_path / 'rej'} is a symbolic link to media/usb/rej, which leads nowhere",
             "rej/2024/../../x": f"{tmp_path / 'rej'} is a symbolic link to media/usb/rej, which leads nowhere",
             "new/../rej/../x": f"{tmp_path / 'rej'} is a symbolic link to media/usb/rej, which leads nowhere",
             "notadir/../x": f"{notadir} is a file, not a folder",
             "flink/../x": f"{tmp_path / 'flink'} is a symbolic link to a file, not a folder",
             "loop/../x": f"{tmp_path / 'loop'} is a symbolic-link loop (the link leads back to itself, directly or "
                          "through other links)"}
    for dest, why in cases.items():
        for yes in ([], ["--yes"]):
            out = CliRunner().invoke(main, ["move", "--to", dest, "--all-blurry", *yes, str(root)])
            assert out.exit_code == 2, (dest, out.output)
            assert out.stderr == f"Error: {tmp_path / dest}: cannot be made: {why}\n", out.stderr
            assert out.stdout == ""
    assert not (tmp_path / "media").exists() and not (tmp_path / "x").exists() and snapshot(root) == before
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."


def test_move_to_a_dot_dot_goes_where_mkdir_p_puts_it(lib, tmp_path, monkeypatch):
    """A ``..`` the system can walk is taken where it leads: after a link to a folder (``good -> drive/a``), from
    the link's target (``drive/x``, as ``ls good/..`` shows); after a name not there yet (``lib/new/..``), that
    name's folder, as ``mkdir -p`` makes it: the library itself, refused as ``--to lib`` is (until 2026-12-07 the
    dry run promised a move to ``lib/new/..``, and ``--yes`` made ``lib/new`` and failed each photo)."""
    root, f, _notadir = _library(lib, tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drive" / "a").mkdir(parents=True)
    os.symlink(os.path.join("drive", "a"), tmp_path / "good")
    for dest in (root / "new" / "..", "lib/new/../"):
        out = CliRunner().invoke(main, ["move", "--to", str(dest), "--all-blurry", "--yes", str(root)])
        assert out.exit_code == 2 and out.stderr == f"Error: {root}: destination is the photos' own folder\n", \
            out.output
    assert not (root / "new").exists()
    for batch, dest in enumerate(("good/../x", "good/./../x"), 1):  # (a `.` on the way is no folder of its own)
        out = CliRunner().invoke(main, ["move", "--to", dest, "--all-blurry", "--yes", str(root)])
        assert out.exit_code == 0, out.output
        moved = tmp_path / "drive" / "x" / "a" / "IMG_1.JPG"
        assert moved.is_file() and not os.path.exists(f["IMG_1"]) and not (tmp_path / "x").exists(), dest
        assert f"to {tmp_path / 'drive' / 'x'} as batch {batch}" in out.stdout, out.stdout
        assert CliRunner().invoke(main, ["undo", str(root)]).exit_code == 0
        assert os.path.isfile(f["IMG_1"]) and not moved.exists()


def test_trash_in_an_xdg_data_home_with_a_dot_dot_after_a_link(lib, tmp_path, monkeypatch):
    """``XDG_DATA_HOME=~/rej/../share``, ``rej`` a link whose target is not there: the system cannot make the trash
    there; until 2026-12-07 the dry run said the photo would go, and ``--yes`` failed each photo in turn (``rej is a
    symbolic link where a folder is made``). Now the dry run skips it naming the link and the variable, and ``--yes``
    refuses at once, as for a file in the way. ``~/good/../share``, ``good`` a link to ``drive/a``: the trash is
    ``drive/share/Trash``, where the system makes it; until 2026-12-07 the trash was made there and then looked for
    beside the link (``~/share: no such file or directory``), each photo failed."""
    if sys.platform in ("darwin", "win32"):
        pytest.skip("the freedesktop.org trash only")
    root, f, _notadir = _library(lib, tmp_path)
    os.symlink(tmp_path / "drive" / "rej", tmp_path / "rej")
    monkeypatch.setenv("XDG_DATA_HOME", f"{tmp_path}/rej/../share")
    before = snapshot(root)
    why = (f"cannot make the trash folder {tmp_path}/rej/../share/Trash: {tmp_path / 'rej'} is a symbolic link to "
           f"{tmp_path / 'drive' / 'rej'}, which leads nowhere (XDG_DATA_HOME)")
    dry = CliRunner().invoke(main, ["trash", str(root)])
    assert dry.exit_code == 0 and f"IMG_1.JPG: {why}; left in place" in dry.stdout, dry.output
    out = CliRunner().invoke(main, ["trash", "--yes", str(root)])
    assert out.exit_code == 1, out.output
    assert out.stderr == f"Error: the photo selected cannot be taken: {why}; nothing was trashed\n", out.stderr
    assert snapshot(root) == before and not (tmp_path / "drive").exists() and not (tmp_path / "share").exists()
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."
    (tmp_path / "drive" / "a").mkdir(parents=True)
    os.symlink(tmp_path / "drive" / "a", tmp_path / "good")
    monkeypatch.setenv("XDG_DATA_HOME", f"{tmp_path}/good/../share")
    out = CliRunner().invoke(main, ["trash", "--yes", str(root)])
    assert out.exit_code == 0 and "trashed 1 photo " in out.stdout, out.output
    assert (tmp_path / "drive" / "share" / "Trash" / "files" / "IMG_1.JPG").is_file()
    assert not os.path.exists(f["IMG_1"]) and not (tmp_path / "share").exists()
    assert CliRunner().invoke(main, ["undo", str(root)]).exit_code == 0
    assert snapshot(root) == before
