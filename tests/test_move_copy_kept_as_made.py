"""``move`` to a ``--to`` on another drive copies each photo to a temporary name there, checks the copy, then gives
it the photo's owner, times, extended attributes and mode through a descriptor of the copy opened again
(:func:`blurscan.actions.owners.keep_for_copy`). Two things a user relies on there that no test held (found by
mutation testing): the extended attributes go with the photo (a Finder tag, a ``user.xdg.origin.url``, a digiKam
rating kept in ``user.*``), and a file another program renames over the checked copy's name (a sync tool, the
``--to`` folder's owner) is never put in the photo's place while the photo is deleted: that photo is left where
it was."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main
from helpers_library import build_library, decide, force_cross_device


def _library_with_one_discard(tmp_path):
    store, f = build_library(tmp_path / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    (tmp_path / "rejects").mkdir()
    return f["IMG_4"], tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg"


def _move(tmp_path):
    return CliRunner().invoke(main, ["move", str(tmp_path / "Pictures"), "--to", str(tmp_path / "rejects"), "--yes"])


def test_a_photos_extended_attributes_go_with_it_to_another_drive(tmp_path, monkeypatch):
    photo, moved = _library_with_one_discard(tmp_path)
    try:
        os.setxattr(photo, "user.xdg.origin.url", b"https://example.org/IMG_4.jpg")
        os.setxattr(photo, "user.rating", b"1")
    except (AttributeError, OSError):
        pytest.skip("no user extended attributes on this system's temporary folder")
    force_cross_device(monkeypatch)
    result = _move(tmp_path)
    assert result.exit_code == 0, result.output
    assert not os.path.lexists(photo) and moved.is_file()
    assert os.getxattr(moved, "user.xdg.origin.url") == b"https://example.org/IMG_4.jpg"
    assert os.getxattr(moved, "user.rating") == b"1"


def test_a_file_renamed_over_the_checked_copy_never_takes_the_photos_place(tmp_path, monkeypatch):
    photo, moved = _library_with_one_discard(tmp_path)
    original = Path(photo).read_bytes()
    force_cross_device(monkeypatch)
    real_sha, swapped = moves.sha256_file, []

    def checked_then_replaced(path):
        digest = real_sha(path)
        if os.fsdecode(path).endswith(".part"):  # another program, once the copy is checked
            with open(f"{path}.other", "wb") as f:
                f.write(b"someone else's bytes")
            os.rename(f"{path}.other", path)
            swapped.append(path)
        return digest

    monkeypatch.setattr(moves, "sha256_file", checked_then_replaced)
    result = _move(tmp_path)
    monkeypatch.undo()
    assert swapped  # (the swap happened)
    assert Path(photo).read_bytes() == original  # the photo left in place, whole
    assert not moved.exists()  # and the other file not put in its place
    assert "temporary name was taken" in result.output
