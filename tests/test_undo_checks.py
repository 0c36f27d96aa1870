"""Undo's checks that no other test held (found by changing them one by one, 2026-12-05): each test here fails
when the check it names is dropped."""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, plan_move, plan_trash, trash
from blurscan.cli import main
from helpers_library import build_library, decide
from helpers_sqlite import connected


def test_undo_leaves_the_trash_entry_another_file_is_being_trashed_under(tmp_path, monkeypatch):
    """The desktop's Restore put the trashed photo back, and the desktop is now trashing another file of that name:
    it writes the entry (``.trashinfo``, naming that file) before it moves the file, as the trash specification
    says. Undo, meeting the entry without its file, removes it only when it names the photo (a kill of blurscan's
    own trash after the entry was written): this one is the desktop's, and stays."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_trash(store))
    photo = f["IMG_4"]
    trashed = dict(result.moved)[photo]
    info = trash.info_path_for(trashed)
    os.rename(trashed, photo)  # the desktop's Restore
    os.unlink(info)
    other = tmp_path / "docs" / os.path.basename(trashed)
    with open(info, "w") as fh:  # another file of that name being trashed: its entry first
        fh.write(f"[Trash Info]\nPath={other}\nDeletionDate=2026-12-05T00:00:00\n")
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert "1 already back in place (put back by hand)" in out.stdout, out.output
    assert os.path.exists(info) and str(other) in Path(info).read_text()
    assert os.path.exists(photo)


def test_a_photo_whose_to_folder_is_now_a_file_is_gone_and_the_batch_closes(tmp_path):
    """The moved photo was deleted from --to, and a file now has its folder's name there (``rejects/b/c``): the
    photo is at neither place, gone, and the batch closes, as for its folder deleted (a file in a folder's way
    could be taken for a place undo cannot look at, to try again forever)."""
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    [(src, dst)] = result.moved
    store.close()
    os.unlink(dst)
    os.rmdir(os.path.dirname(dst))
    with open(os.path.dirname(dst), "wb") as fh:
        fh.write(b"a file where the folder was")
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert f"failed: {src}: missing, and not found at {dst} either" in out.stderr, out.output
    assert f"batch {result.batch_id} is closed" in out.stdout, out.output
    assert not os.path.lexists(src)


def test_a_file_moved_unread_is_told_from_another_by_its_time(tmp_path):
    """A photo this user could rename but not read when it was moved has no sample in the journal: undo tells
    it from another file of its size by its modification time. A file of that size put at its destination since,
    with another time, is not taken into the library. (The journal row is set as such a move writes it: as root
    every file can be read.)"""

    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    [(src, dst)] = result.moved
    store.close()
    with connected(tmp_path / "lib" / ".blurscan.db") as conn:
        conn.execute("UPDATE journal SET sample_sha256 = NULL")
    size = os.path.getsize(dst)
    os.unlink(dst)
    with open(dst, "wb") as fh:  # another file of that size, written since
        fh.write(b"x" * size)
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert "is not the file this batch moved there (same size, but another modification time" in out.stderr, out.output
    assert not os.path.lexists(src) and Path(dst).read_bytes() == b"x" * size


def test_a_symbolic_link_at_the_destination_is_not_taken_back_even_of_the_files_size(tmp_path):
    """A symbolic link put where the moved IMG_2.AAE was, leading to a copy of it, and whose own size (the length
    of the path it holds) is the file's: it is not the file the batch moved, and is not put into the library."""
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_2"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    dst = dict(result.moved)[f["IMG_2.AAE"]]
    store.close()
    size = os.path.getsize(dst)
    folder = str(tmp_path / "copies")
    while len(os.fsencode(folder)) + 1 + 200 < size - 20:  # a path of exactly the file's size (in bytes: é is 2)
        folder = os.path.join(folder, "d" * 200)
    target = os.path.join(folder, "c" * (size - len(os.fsencode(folder)) - 1))
    os.makedirs(folder)
    os.rename(dst, target)
    os.symlink(target, dst)
    assert os.lstat(dst).st_size == size
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert "another kind of file" in out.stderr, out.output
    assert not os.path.lexists(f["IMG_2.AAE"]) and os.path.islink(dst)


def test_undo_of_a_batch_that_skipped_every_file_is_not_said_to_be_undone_already(tmp_path):
    """Every photo of the batch changed between planning and moving, so it skipped them all: ``undo --batch``
    says so (nothing had been moved, and why), not ``was already undone``, which it never was."""
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    plan = plan_move(store, tmp_path / "rejects")
    os.utime(f["IMG_4"], ns=(0, 10**9))  # changed since planning
    result = execute(store, plan)
    assert result.moved == [] and [p for p, _ in result.skipped] == [f["IMG_4"]]
    store.close()
    out = CliRunner().invoke(main, ["undo", "--batch", str(result.batch_id), str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(f"batch {result.batch_id}: restored 0 files, 1 had not been moved (all skipped by "
                                 "the batch)"), out.output


def test_the_files_a_recreated_folder_got_back_are_counted_apart_from_a_folder_of_a_longer_name(tmp_path):
    """``a`` was removed since the batch, ``a-2`` beside it was not: the note on ``a`` counts the files put back in
    ``a`` alone, not those of ``a-2``, whose name begins with ``a``'s."""
    from blurscan.records import ScanRecord

    root = tmp_path / "lib"
    store, f = build_library(root)
    other = root / "a-2" / "IMG_6.jpg"
    other.parent.mkdir()
    other.write_bytes(Path(f["IMG_3"]).read_bytes())
    st = os.stat(other)
    store.put([ScanRecord(path=str(other), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                          format="JPEG")], "test")
    for path in (f["IMG_2"], str(other)):  # a/IMG_2.jpg (with IMG_2.AAE), a-2/IMG_6.jpg
        decide(store, path, "discard")
    store.close()
    moved = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rej"), str(root), "--yes"])
    assert moved.exit_code == 0, moved.output
    for name in os.listdir(root / "a"):  # the person empties and removes a
        os.unlink(root / "a" / name)
    os.rmdir(root / "a")
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("batch 1: restored 3 files"), out.output
    assert out.stderr == (f"note: {root / 'a'} was no longer there (renamed, moved or deleted since batch 1?); undo "
                          "made it again to put 2 files back in it\n"), out.output


def test_a_takeout_json_named_after_the_photos_full_name_goes_with_it_and_a_lone_sidecar_takes_nothing():
    """``IMG_1.jpg(1).json``, Takeout's JSON of ``IMG_1(1).jpg``, does not begin with that photo's stem: it is the
    photo's for being a ``.json`` after it. A sidecar alone in a batch (``IMG_2.xmp``, its photo not taken) is no
    photo: the file after it (``IMG_2.AAE``) is not held back with it. Nor is ``IMG_10.AAE`` (its photo not taken)
    the file of ``IMG_1.JPG`` before it, though its name begins with that photo's stem."""
    from blurscan.actions import journal, photo_rows

    names = ["c/IMG_1(1).jpg", "c/IMG_1.jpg(1).json", "c/IMG_2.xmp", "c/IMG_2.AAE", "d/IMG_1.JPG", "d/IMG_10.AAE"]
    rows = [journal.JournalRow(n, 1, "/lib/" + name, "/rej/" + name, 10, None, "done", None)
            for n, name in enumerate(names)]
    assert [[r.src for r in g] for g in photo_rows.by_photo(rows)] == [
        ["/lib/c/IMG_1(1).jpg", "/lib/c/IMG_1.jpg(1).json"], ["/lib/c/IMG_2.xmp"], ["/lib/c/IMG_2.AAE"],
        ["/lib/d/IMG_1.JPG"], ["/lib/d/IMG_10.AAE"]]


def test_a_sidecar_copied_back_by_hand_is_not_held_with_a_photo_that_cannot_come_back(tmp_path):
    """IMG_1.JPG cannot be put back (another file under its name since), so the files that moved with it stay in
    --to; but its ``IMG_1.JPG.xmp`` was copied back by hand (the same bytes at both places): it is at its place
    already, nothing to hold back, and the copy left in --to is removed and said, as for any copy put back by hand."""
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_1"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    moved = dict(result.moved)
    store.close()
    with open(f["IMG_1"], "wb") as fh:
        fh.write(b"another photo under its name")
    sidecar, copy = f["IMG_1.JPG.xmp"], moved[f["IMG_1.JPG.xmp"]]
    with open(sidecar, "wb") as fh:
        fh.write(Path(copy).read_bytes())
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 1, out.output
    assert f"{sidecar}: not put back" not in out.stderr, out.output
    assert f"note: removed {copy}, a copy of {sidecar}" in out.stderr, out.output
    assert os.path.exists(sidecar) and not os.path.lexists(copy)
    assert os.path.exists(moved[f["IMG_1.CR2"]]) and not os.path.lexists(f["IMG_1.CR2"])  # held with the photo


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the raising point runs."""


@contextlib.contextmanager
def _killed_before_done(monkeypatch):
    """The process killed as the journal would mark a row done (its file moved or written, not yet recorded)."""
    from blurscan.actions import journal

    real_mark = journal.mark

    def killed_before_done(store, row_id, state, **kw):
        if state == "done":
            raise Killed()
        return real_mark(store, row_id, state, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(journal, "mark", killed_before_done)
        yield


def test_an_older_tag_batch_waits_for_a_later_one_killed_once_it_had_written_a_sidecar(lib, monkeypatch):
    """Tag batch 2 was killed right after it wrote its first sidecar (its row still ``writing``): that sidecar holds
    batch 2's bytes, so ``undo --batch 1`` names batch 2, to be undone first, rather than blame the person."""
    from test_xmp import _tag_library

    root, store, f = _tag_library(lib)
    store.close()
    runner = CliRunner()
    assert "as batch 1" in runner.invoke(main, ["tag", "--xmp", "--label", "Purple", str(root)]).output
    with _killed_before_done(monkeypatch):
        with pytest.raises(Killed):
            runner.invoke(main, ["tag", "--xmp", "--label", "Green", "--replace-label", str(root)],
                          catch_exceptions=False)
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0, out.output
    assert ": changed by tag batch 2 since; undo batch 2 first" in out.stderr, out.output
    assert "by you or a photo app" not in out.output


def test_undo_list_counts_the_files_that_failed(tmp_path):
    """IMG_4's move failed (a file at its destination already), IMG_2 and its IMG_2.AAE went: ``--list`` says 1
    failed (the files skipped are not those)."""
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_2"], "discard")
    decide(store, f["IMG_4"], "discard")
    plan = plan_move(store, tmp_path / "rejects")
    [op] = [op for op in plan.files if op.src == f["IMG_4"]]
    os.makedirs(os.path.dirname(op.dst))
    shutil.copy2(op.src, op.dst)
    execute(store, plan)
    store.close()
    out = CliRunner().invoke(main, ["undo", "--list", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert " partial: 2 moved, 1 failed, 0 undone of 3 files " in out.stdout, out.output


def test_undo_of_a_batch_killed_before_a_photo_that_a_later_killed_batch_was_moving_leaves_it(tmp_path, monkeypatch):
    """Batch 1 was killed right after journaling (IMG_4 never moved by it); batch 2 then moved IMG_4 and was
    killed before it recorded the move done (its row still ``moving``). ``undo --batch 1`` leaves IMG_4 where batch
    2 put it, for batch 2's undo: it is no file batch 1 moved."""
    from blurscan.actions import journal

    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    plan = plan_move(store, tmp_path / "rejects")
    first, _ids = journal.create_batch(store, plan.kind, plan.destination,
                                       [(op.src, op.dst, op.size) for op in plan.files])  # then killed
    with _killed_before_done(monkeypatch):
        with pytest.raises(Killed):
            execute(store, plan_move(store, tmp_path / "rejects"))
    store.close()
    [op] = plan.files
    assert os.path.exists(op.dst) and not os.path.lexists(op.src)
    out = CliRunner().invoke(main, ["undo", "--batch", str(first), str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(f"batch {first}: restored 0 files, 1 had not been moved"), out.output
    assert os.path.exists(op.dst) and not os.path.lexists(op.src)
    back = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])  # batch 2
    assert back.exit_code == 0 and back.stdout.startswith("batch 2: restored 1 file"), back.output
    assert os.path.exists(op.src)


def test_undo_list_gives_the_size_of_a_batch_undone_or_gone(tmp_path):
    """``--list`` gives a batch's size as what it moved, also once it is undone (its rows ``undone``) or a file is
    gone (``gone``): not 0 B."""
    from blurscan.cli.actions import human_size

    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_2"], "discard")  # with IMG_2.AAE
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    store.close()
    size = human_size(sum(os.path.getsize(dst) for _src, dst in result.moved))
    os.unlink(dict(result.moved)[f["IMG_2.AAE"]])  # gone from --to
    assert CliRunner().invoke(main, ["undo", str(tmp_path / "lib")]).exit_code == 1  # (IMG_2.AAE gone)
    out = CliRunner().invoke(main, ["undo", "--list", str(tmp_path / "lib")])
    assert f" closed: 0 moved, 0 failed, 1 undone, 1 gone (not found by undo) of 2 files ({size})" in out.stdout, \
        out.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file another owner (os.chown)")
def test_a_photo_moved_across_drives_as_root_and_back_keeps_its_owner(tmp_path, monkeypatch):
    """Run as root, a photo copied to another drive (and copied back by undo) keeps its owner and group: the copy
    is root's when made, and was given the photo's (the person could no longer delete their own photo). Its mode
    is given after the owner, as a change of owner clears the set-user-ID bit: a photo's odd bits kept too."""
    from helpers_library import force_cross_device

    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    store.close()
    os.chown(f["IMG_4"], 4321, 4322)
    os.chmod(f["IMG_4"], 0o4644)
    force_cross_device(monkeypatch)
    moved = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(tmp_path / "lib"), "--yes"])
    assert moved.exit_code == 0, moved.output
    copy = tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg"
    assert (os.stat(copy).st_uid, os.stat(copy).st_gid, oct(os.stat(copy).st_mode)) == (4321, 4322, "0o104644")
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    back = os.stat(f["IMG_4"])
    assert (back.st_uid, back.st_gid, oct(back.st_mode)) == (4321, 4322, "0o104644")


def test_a_trash_entry_is_never_written_over(tmp_path):
    """The name of a trash entry taken in the instant between choosing it and writing it (by the desktop, or
    another blurscan) is refused, ``FileExistsError``, for the batch to choose another: its entry stays as it is."""
    info = tmp_path / "info" / "IMG_1.jpg.trashinfo"
    info.parent.mkdir()
    info.write_text("[Trash Info]\nPath=/home/me/other/IMG_1.jpg\nDeletionDate=2026-12-05T00:00:00\n")
    with pytest.raises(FileExistsError):
        trash.write_info(str(info), "[Trash Info]\nPath=/home/me/Pictures/IMG_1.jpg\n"
                         "DeletionDate=2026-12-05T00:00:01\n")
    assert "/home/me/other/IMG_1.jpg" in info.read_text()


def test_a_photo_on_a_drive_whose_trash_can_be_used_is_trashed_there_when_the_home_trash_cannot_be_made(
        tmp_path, monkeypatch):
    """The home trash cannot be made (its folder may not be written: no write bit for anyone, which holds for root
    too), but the photo's drive has a trash of its own: the photo goes there, not skipped for the home trash."""
    from helpers_library import tmpfs

    (tmp_path / "data").mkdir(mode=0o555)
    os.chmod(tmp_path / "data", 0o555)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        store.close()
        out = CliRunner().invoke(main, ["trash", "--db", str(tmp_path / "lib.db"), str(drive / "lib"), "--yes"])
        assert out.exit_code == 0, out.output
        assert "trashed 1 photo" in out.output and "skip" not in out.output, out.output
        assert os.listdir(drive / f".Trash-{os.getuid()}" / "files") == ["IMG_4.jpg"]
        assert CliRunner().invoke(main, ["undo", "--db", str(tmp_path / "lib.db")]).exit_code == 0
        assert os.path.exists(f["IMG_4"])
