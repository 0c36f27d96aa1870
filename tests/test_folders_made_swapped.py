"""Run as root in someone's tree (``sudo blurscan move --to ~/rejects``, a ``sudo`` keeping ``HOME`` for the trash),
blurscan makes the missing folders one in the other. The person whose tree it is may change it meanwhile: until
2026-12-06 each was made by its path (``os.makedirs``), so a symbolic link they put where blurscan had just made
``~/rejects`` steered the making of the next ones, as root, into the folder it led to (a folder of bob's got a
root-owned ``b``, and the photo was moved into it). Each is now made in the descriptor of the one above it, opened
without following a link. Each test makes the person's change where it would land: just after a folder is made."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import build_library, decide
from helpers_os import give_all

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can give a file another owner (os.chown)")

ALICE, BOB = (1234, 1235), (2345, 2346)


def _swap_after_mkdir(monkeypatch, made, home, elsewhere) -> list:
    """Alice puts a link to ``elsewhere`` in place of ``made`` (in ``home``) as soon as blurscan has made it."""
    real_mkdir, swapped = os.mkdir, []

    def mkdir_then_swap(name, *args, **kwargs):
        real_mkdir(name, *args, **kwargs)
        if os.path.basename(os.fsdecode(name)) == made.name and not swapped:  # alice, just then
            os.rename(made, home / f"{made.name}.made")
            os.symlink(elsewhere, made)
            swapped.append(name)

    monkeypatch.setattr(os, "mkdir", mkdir_then_swap)
    return swapped


def test_a_link_swapped_in_for_the_folder_move_made_steers_no_folder_made(tmp_path, monkeypatch):
    """``sudo blurscan move ~/Pictures --to ~/rejects`` with IMG_4 in ``b/c``: ``rejects/b`` was made in bob's
    folder, through the link, and the photo moved there."""
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(home, ALICE)
    bobs = tmp_path / "bobs"
    bobs.mkdir()
    os.chown(bobs, *BOB)
    swapped = _swap_after_mkdir(monkeypatch, home / "rejects", home, bobs)
    result = CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(home / "rejects"), "--yes"])
    monkeypatch.undo()
    assert swapped
    assert os.listdir(bobs) == [], result.output  # nothing made, nothing moved into bob's folder
    assert os.path.exists(f["IMG_4"]), result.output  # (the photo stays, and the link is named)
    assert f"{home / 'rejects'} is a symbolic link" in result.output


def test_a_link_swapped_in_for_a_trash_folder_made_steers_no_folder_made(tmp_path, monkeypatch):
    """A ``sudo`` keeping alice's ``HOME``: ``sudo blurscan trash`` makes ``~/.local``, then ``share`` in it."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    give_all(home, ALICE)
    bobs = tmp_path / "bobs"
    bobs.mkdir()
    os.chown(bobs, *BOB)
    swapped = _swap_after_mkdir(monkeypatch, home / ".local", home, bobs)
    result = CliRunner().invoke(main, ["trash", str(home / "Pictures"), "--yes"])
    monkeypatch.undo()
    assert swapped
    assert os.listdir(bobs) == [], result.output
