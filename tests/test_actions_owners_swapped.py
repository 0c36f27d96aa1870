"""Run as root in someone's tree (``sudo blurscan move --to ~/rejects``, a ``sudo`` keeping ``HOME``, ``-o ~/x``),
blurscan gives what it has just made to the owner of the folder it was made in. That person may change their
tree meanwhile: until 2026-12-06 each chown went by path, so a symbolic link swapped in for a folder blurscan had
just made (or a hard link for its new file) steered it to a folder or file blurscan never made, which became
theirs or another user's (a root-owned folder in a folder of bob's given to bob; on a system without protected
hard links, any root file on that drive). The folders are now given through descriptors opened one in the other
without following a link, the new files through the descriptor they were made with. Each test makes the
person's change where it would land between blurscan's making a thing and its giving it away."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main
from helpers_images import make_library
from helpers_library import build_library, decide
from helpers_os import give_all, owner_of

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can give a file another owner (os.chown)")

ALICE, BOB = (1234, 1235), (2345, 2346)


def _alices_home_with_a_discard(tmp_path, monkeypatch):
    """``tmp_path/home``, alice's, whose ``Pictures`` library has one photo marked discard; the trash in it (no
    ``XDG_DATA_HOME``)."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    give_all(home, ALICE)
    return home


def _bobs_folder_with_roots(tmp_path, name: str):
    """``bobs/NAME``: a root-owned ``0700`` folder in a folder of bob's (what must stay root's)."""
    bobs = tmp_path / "bobs"
    (bobs / name).mkdir(parents=True)
    os.chown(bobs, *BOB)
    os.chmod(bobs / name, 0o700)
    return bobs


def test_a_link_swapped_in_for_the_folder_move_made_steers_no_chown(tmp_path, monkeypatch):
    """``sudo blurscan move ~/Pictures --to ~/rejects``: once ``~/rejects/b/c`` is made, alice puts a link to
    bob's folder where ``~/rejects`` was. The folders were looked at and given away by path, through the link:
    bob's root-owned ``b`` became bob's."""
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(home, ALICE)
    bobs = _bobs_folder_with_roots(tmp_path, "b")
    rejects = home / "rejects"
    real_make = moves.make_folders_down  # (the folders made, each in the one above it)

    def made_then_swap(made, *args, **kwargs):
        real_make(made, *args, **kwargs)
        if made and made[-1] == str(rejects) and not rejects.is_symlink():  # alice, just then
            os.rename(rejects, home / "rejects.made")
            os.symlink(bobs, rejects)

    monkeypatch.setattr(moves, "make_folders_down", made_then_swap)
    CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(rejects), "--yes"])
    monkeypatch.undo()
    assert rejects.is_symlink()  # (the swap happened)
    assert owner_of(bobs / "b") == (0, 0)  # root's still, as before the move
    assert owner_of(bobs) == BOB


def test_a_link_swapped_in_for_a_trash_folder_made_steers_no_chown(tmp_path, monkeypatch):
    """A ``sudo`` keeping alice's ``HOME``: ``sudo blurscan trash`` makes ``~/.local``, gives it to her, then makes
    ``~/.local/share``; alice puts a link to bob's folder where ``~/.local`` was just then. ``share`` was given
    by path, through the link: bob's root-owned ``share`` became bob's."""
    home = _alices_home_with_a_discard(tmp_path, monkeypatch)
    bobs = _bobs_folder_with_roots(tmp_path, "share")
    monkeypatch.setenv("HOME", str(home))
    local = home / ".local"
    real_mkdir = os.mkdir

    def mkdir_then_swap(name, *args, **kwargs):
        real_mkdir(name, *args, **kwargs)
        if os.path.basename(os.fsdecode(name)) == "share" and not local.is_symlink():  # alice, just then
            os.rename(local, home / ".local.made")
            os.symlink(bobs, local)

    monkeypatch.setattr(os, "mkdir", mkdir_then_swap)
    CliRunner().invoke(main, ["trash", str(home / "Pictures"), "--yes"])
    monkeypatch.undo()
    assert local.is_symlink()  # (the swap happened)
    assert owner_of(bobs / "share") == (0, 0)
    assert owner_of(bobs) == BOB


def test_a_hard_link_swapped_in_for_a_new_trash_entry_is_not_given_away(tmp_path, monkeypatch):
    """The ``.trashinfo`` root made in alice's trash was given to her by its name: a hard link put there in its
    place (a root file on the same drive, where hard links to others' files are allowed) became hers."""
    home = _alices_home_with_a_discard(tmp_path, monkeypatch)
    secret = tmp_path / "root-secret"
    secret.write_text("root's\n")
    os.chmod(secret, 0o600)
    monkeypatch.setenv("HOME", str(home))
    real_open = os.open

    def open_then_swap(name, flags, *args, **kwargs):
        fd = real_open(name, flags, *args, **kwargs)
        if str(name).endswith(".trashinfo") and flags & os.O_EXCL:  # alice, just then
            os.unlink(name)
            os.link(secret, name)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    CliRunner().invoke(main, ["trash", str(home / "Pictures"), "--yes"])
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened)
    assert owner_of(secret) == (0, 0) and secret.read_text() == "root's\n"


def test_a_hard_link_swapped_in_for_a_new_output_file_is_not_given_away(tmp_path, monkeypatch):
    """``sudo blurscan report LIB -o ~/list.csv``: the new list's temporary file was given to alice by its name,
    and a hard link put there in its place became hers."""
    from blurscan.cli import output

    lib = tmp_path / "lib"
    make_library(lib)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, *ALICE)
    secret = tmp_path / "root-secret"
    secret.write_text("root's\n")
    os.chmod(secret, 0o600)
    real_create = output._create_beside

    def create_then_swap(folder):
        fd, temp = real_create(folder)
        os.unlink(temp)  # alice, just then
        os.link(secret, temp)
        return fd, temp

    monkeypatch.setattr(output, "_create_beside", create_then_swap)
    CliRunner().invoke(main, ["report", str(lib), "-o", str(home / "list.csv")])
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened)
    assert owner_of(secret) == (0, 0)


def test_a_folder_another_user_made_meanwhile_keeps_its_owner(tmp_path, monkeypatch):
    """A folder ``move`` was about to make that bob's own process made just before it (``~/rejects/b``, bob's) is
    left bob's: only what is root's is given away."""
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(home, ALICE)
    rejects = home / "rejects"
    real_make = moves.make_folders_down

    def bob_first(made, *args, **kwargs):
        if made and made[-1] == str(rejects) and not rejects.exists():  # bob, just then
            (rejects / "b").mkdir(parents=True)
            os.chown(rejects / "b", *BOB)
        real_make(made, *args, **kwargs)

    monkeypatch.setattr(moves, "make_folders_down", bob_first)
    out = CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(rejects), "--yes"])
    monkeypatch.undo()
    assert out.exit_code == 0, out.output
    assert owner_of(rejects / "b") == BOB
    assert owner_of(rejects) == ALICE and owner_of(rejects / "b" / "c") == BOB  # (made in bob's: his)


@pytest.mark.parametrize("swapped", ["b", "b/c"])
def test_a_link_swapped_in_for_a_folder_undo_made_again_steers_no_chown(tmp_path, monkeypatch, swapped):
    """``sudo blurscan undo ~/Pictures`` makes ``b/c`` again (deleted since the move) and gives ``b``, then ``c``,
    the photo's owner and ``b``'s parent's mode; alice puts a link to bob's folder where ``b`` was once ``b`` is
    hers. ``c`` was given, and its mode set, by path through the link: bob's root-owned ``c`` became alice's. A
    link in place of ``c`` itself is not followed either."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(root, ALICE)
    runner = CliRunner()
    assert runner.invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    import shutil

    shutil.rmtree(root / "b")  # deleted by hand since
    bobs = _bobs_folder_with_roots(tmp_path, "c")
    b = root / "b"
    real_chown, real_fchown = os.chown, os.fchown

    given_b = []

    def swap_once(given: str) -> None:  # alice, once b is hers (given by the move back's folders, then undo's)
        given_b.extend([given] if given == str(b) else [])
        if len(given_b) == 2 and not (root / swapped).is_symlink():
            os.rename(root / swapped, root / "b.made")
            os.symlink(bobs / "c" if swapped == "b/c" else bobs, root / swapped)

    def chown(path, *args, **kwargs):
        real_chown(path, *args, **kwargs)
        swap_once(str(path))

    def fchown(fd, *args, **kwargs):
        real_fchown(fd, *args, **kwargs)
        swap_once(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "chown", chown)
    monkeypatch.setattr(os, "fchown", fchown)
    runner.invoke(main, ["undo", str(root)])
    monkeypatch.undo()
    assert (root / swapped).is_symlink()  # (the swap happened)
    assert owner_of(bobs / "c") == (0, 0) and stat.S_IMODE(os.stat(bobs / "c").st_mode) == 0o700
    assert owner_of(bobs) == BOB
