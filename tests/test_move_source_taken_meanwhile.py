"""A move to another drive whose photo another program (a sync tool, a file manager) removes or moves away once
the verified copy is in place, before blurscan removes it (2026-12-06): the photo is at the destination and gone
from the library, so it is moved: journaled, counted, said in a note, and put back by ``undo``. It said "cannot
copy", its copy stayed at the destination unjournaled, and undo left it there."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import moves
from blurscan.errors import ActionError
from helpers_cli import run
from helpers_images import make_library
from helpers_library import force_cross_device

SCAN = ("--model", "none", "--workers", "1")


def _taken_once_placed(monkeypatch, lib, to) -> list[str]:
    """Across drives (every rename between folders says EXDEV), the first photo whose copy is in place in ``to``
    is removed from ``lib`` by "another program" at the fsync of ``to`` that follows (just before blurscan would
    remove it). Returns the names taken, filled in as it happens."""
    force_cross_device(monkeypatch)
    real, taken = moves._fsync_dir, []

    def fsync_dir(folder):
        real(folder)
        if os.path.abspath(folder) == str(to) and not taken:
            for name in sorted(os.listdir(to)):
                if not name.startswith(".") and (lib / name).exists():
                    (lib / name).unlink()
                    taken.append(name)
                    return

    monkeypatch.setattr(moves, "_fsync_dir", fsync_dir)
    return taken


def test_a_photo_taken_away_once_its_copy_is_in_place_is_moved_and_undo_puts_it_back(tmp_path, monkeypatch):
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    blurry = {p.name: p.read_bytes() for p in lib.iterdir() if p.name.startswith("blurry_")}
    taken = _taken_once_placed(monkeypatch, lib, to)
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    (name,) = taken
    assert result.exit_code == 0, result.output
    assert "cannot copy" not in result.output and "failed" not in result.output, result.output
    assert "moved 2 photos (2 files," in result.output, result.output  # (the photo taken away is one of them)
    assert (f"note: {lib / name}: gone from its folder as it was being moved (another program removed or moved "
            f"it); the photo is at {to / name}, counted as moved") in result.output, result.output
    assert {p.name: p.read_bytes() for p in to.iterdir()} == blurry
    listed = run("undo", lib, "--list")  # (journaled as moved, as the other: done, the batch too)
    assert listed.exit_code == 0 and "done: 2 moved, 0 failed" in listed.output, listed.output
    monkeypatch.undo()  # (the same drive again: undo renames them back)
    result = run("undo", lib)
    assert result.exit_code == 0 and "restored 2 files" in result.output, result.output
    assert {p.name: p.read_bytes() for p in lib.iterdir() if p.name.startswith("blurry_")} == blurry
    assert not to.exists()


def test_the_copy_is_kept_when_the_source_is_gone_and_removed_when_it_stays(tmp_path, monkeypatch):
    """``move_file`` itself: the source gone at the last step gives a copy outcome saying so, the copy kept (the
    only one blurscan knows of); a plain copy says nothing of the kind."""
    lib, to = tmp_path / "lib", tmp_path / "to"
    lib.mkdir()
    for name in ("a.jpg", "b.jpg"):
        (lib / name).write_bytes(name.encode() * 1000)
    taken = _taken_once_placed(monkeypatch, lib, to)
    outcome = moves.move_file(str(lib / "a.jpg"), str(to / "a.jpg"), tag=1)
    assert taken == ["a.jpg"] and outcome.method == "copy" and outcome.source_gone
    assert (to / "a.jpg").read_bytes() == b"a.jpg" * 1000
    outcome = moves.move_file(str(lib / "b.jpg"), str(to / "b.jpg"), tag=2)
    assert not outcome.source_gone and not (lib / "b.jpg").exists()
    assert sorted(os.listdir(to)) == ["a.jpg", "b.jpg"] and os.listdir(lib) == []


def test_a_photo_taken_away_between_its_link_and_its_unlink_stays_at_its_new_name(tmp_path, monkeypatch):
    """One drive without ``renameat2`` (a network share): the photo is hard-linked to its destination, then its old
    name removed. Another program that deleted it in between left the new name the last one, and blurscan removed
    that too ("cannot move ... no such file or directory"): the photo was gone from both places."""
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    blurry = {p.name: p.read_bytes() for p in lib.iterdir() if p.name.startswith("blurry_")}
    monkeypatch.setattr(moves, "_renameat2", None)
    real_link = os.link

    def link(src, dst, **kw):  # (and "another program" deletes the photo at once)
        real_link(src, dst, **kw)
        os.remove(src, dir_fd=kw.get("src_dir_fd"))  # (run as root: in the photo's folder held open)

    monkeypatch.setattr(os, "link", link)
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
    assert f"note: {lib / 'blurry_0.png'}: gone from its folder as it was being moved" in result.output
    assert {p.name: p.read_bytes() for p in to.iterdir()} == blurry
    monkeypatch.undo()
    result = run("undo", lib)
    assert result.exit_code == 0 and "restored 2 files" in result.output, result.output
    assert {p.name: p.read_bytes() for p in lib.iterdir() if p.name.startswith("blurry_")} == blurry


def test_a_photo_taken_away_as_it_goes_to_the_trash_is_trashed(tmp_path, monkeypatch):
    """The same for ``trash`` (its trash folder on another drive here): the note says it is counted as trashed."""
    lib, trash = tmp_path / "lib", tmp_path / "data" / "Trash" / "files"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    make_library(lib, n_sharp=1, n_blurry=1)
    assert run("scan", lib, *SCAN).exit_code == 0
    (name,) = [p.name for p in lib.iterdir() if p.name.startswith("blurry_")]
    taken = _taken_once_placed(monkeypatch, lib, trash)
    result = run("trash", lib, "--all-blurry", "--yes")
    assert taken == [name] and result.exit_code == 0, result.output
    assert (f"note: {lib / name}: gone from its folder as it was being moved (another program removed or moved "
            f"it); the photo is at {trash / name}, counted as trashed (undo puts it back)") in result.output
    assert os.listdir(trash) == [name]


def test_a_photo_taken_away_while_it_is_copied_is_said_gone_and_nothing_is_left(tmp_path, monkeypatch):
    """Across drives, another program removes the photo while its bytes are copied (blurscan reads them through the
    file it opened, so the copy completes): until 2026-12-06 it said ``cannot copy to DST: no such file or
    directory``, as if the destination were missing. It says the photo was gone, and no partial copy is left."""
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    force_cross_device(monkeypatch)
    real, taken = moves.sha256_file, []

    def sha256_file(path):  # (the copy is written; "another program" deletes the first photo now)
        if not taken:
            victim = lib / os.path.basename(path).split(".blurscan-")[0].lstrip(".")
            victim.unlink()
            taken.append(victim)
        return real(path)

    monkeypatch.setattr(moves, "sha256_file", sha256_file)
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    (victim,) = taken
    assert result.exit_code == 1 and "moved 1 photo (1 file," in result.output, result.output
    assert (f"failed: {victim}: gone from its folder as it was being moved (another program removed or moved it); "
            f"not moved, nothing of it left at {to / victim.name}") in result.output, result.output
    assert "cannot copy" not in result.output
    assert [p.name for p in to.iterdir()] == [n for n in ("blurry_0.png", "blurry_1.jpg") if n != victim.name]


def test_a_photo_gone_before_its_rename_on_one_drive_is_said_gone(tmp_path):
    """``move_file`` of a photo removed just before its rename (one drive): it said ``cannot move to DST: no such
    file or directory`` until 2026-12-06."""
    (tmp_path / "lib").mkdir()
    src, dst = tmp_path / "lib" / "a.jpg", tmp_path / "to" / "a.jpg"
    with pytest.raises(ActionError) as refused:
        moves.move_file(str(src), str(dst), tag=1)
    assert str(refused.value) == (f"{src}: gone from its folder as it was being moved (another program removed or moved it); "
                    f"not moved, nothing of it left at {dst}")
    assert not dst.exists()


@pytest.mark.parametrize("across_drives", [False, True])
def test_a_destination_folder_gone_is_not_a_photo_gone(tmp_path, monkeypatch, across_drives):
    """"No such file or directory" from the destination, its folder removed by another program once blurscan made
    it, the photo still in its place: not said gone from its folder (mutation testing of moves._vanished's call
    sites: the photo's own absence is what says it)."""
    if across_drives:  # (then the copy is made in the folder that is gone)
        force_cross_device(monkeypatch)
    real = moves._rename_noreplace

    def folder_removed_first(src, dst):
        if os.path.isdir(os.path.dirname(dst)) and os.path.dirname(dst) != os.path.dirname(src):
            os.rmdir(os.path.dirname(dst))  # ("another program", just before the rename)
        return real(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", folder_removed_first)
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=0)
    src = str(next((tmp_path / "lib").rglob("*.jpg")))
    with pytest.raises(ActionError) as caught:
        moves.move_file(src, str(tmp_path / "removed" / "x.jpg"))
    assert "gone from its folder" not in str(caught.value) and "no such file or directory" in str(caught.value)
    assert os.path.exists(src) and not (tmp_path / "removed").exists()
