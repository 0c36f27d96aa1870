"""The folders ``move`` and the trash make are made each in the descriptor of the one above it, never through a
symbolic link put in place of one just made (:func:`blurscan.folders_down.make_folders_down`). The folder that is
there already, above the first one made, is the person's own choice and is followed when it is a link: a ``--to``
below a linked folder (``~/external -> /media/disk``), a ``~/.local/share`` a dotfiles manager links elsewhere.
No test held that (found by mutation testing: opening that folder without following a link passed every test;
the trash would then have failed with "is a symbolic link"; ``move`` resolves its ``--to`` first)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import build_library, decide


def _one_discard(root):
    store, f = build_library(root)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    return f["IMG_4"]


def test_move_to_a_new_folder_below_a_linked_folder(tmp_path):
    photo = _one_discard(tmp_path / "Pictures")
    (tmp_path / "disk").mkdir()
    os.symlink(tmp_path / "disk", tmp_path / "external")
    result = CliRunner().invoke(main, ["move", str(tmp_path / "Pictures"), "--to",
                                       str(tmp_path / "external" / "rejects" / "2024"), "--yes"])
    assert result.exit_code == 0, result.output
    assert not os.path.lexists(photo)
    assert (tmp_path / "disk" / "rejects" / "2024" / "b" / "c" / "IMG_4.jpg").is_file()


def test_trash_makes_its_folders_in_a_linked_data_folder(tmp_path, monkeypatch):
    home = tmp_path / "home"
    photo = _one_discard(home / "Pictures")
    (tmp_path / "dotfiles" / "share").mkdir(parents=True)
    (home / ".local").mkdir()
    os.symlink(tmp_path / "dotfiles" / "share", home / ".local" / "share")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    result = CliRunner().invoke(main, ["trash", str(home / "Pictures"), "--yes"])
    assert result.exit_code == 0, result.output
    assert not os.path.lexists(photo)
    assert (tmp_path / "dotfiles" / "share" / "Trash" / "files" / "IMG_4.jpg").is_file()
    assert (tmp_path / "dotfiles" / "share" / "Trash" / "info" / "IMG_4.jpg.trashinfo").is_file()
