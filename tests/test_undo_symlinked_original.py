"""A symbolic link put at a moved photo's path (or at a folder on its way) that leads to the photo where the move
put it: undo took both names for the same file, a second name left by an interrupted move, and removed the one at
the destination -- the photo's only copy -- leaving a link that leads nowhere, and said "restored 1 file". Now
it names the link, touches neither, and once the link is removed puts the photo back."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, plan_trash, undo
from blurscan.cli import main
from helpers_library import build_library, decide, moved_img4, sha


@pytest.mark.parametrize("where", ["the photo's path", "its folder"])
def test_a_link_at_the_photos_path_to_the_moved_photo_is_named_and_nothing_removed(tmp_path, where):
    root, db, f = moved_img4(tmp_path)
    moved = tmp_path / "rej" / "b" / "c" / "IMG_4.jpg"
    before = sha(moved)
    if where == "the photo's path":
        link = root / "b" / "c" / "IMG_4.jpg"
        os.symlink(moved, link)
    else:
        link = root / "b" / "c"
        shutil.rmtree(link)
        os.symlink(tmp_path / "rej" / "b" / "c", link)
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1, out.output
    assert out.stderr == (f"failed: {f['IMG_4']}: leads to {moved}, where the photo is now, through a symbolic link "
                          "(at its path or at a folder on its way); neither was touched: remove the link, then undo "
                          "again\n"), out.stderr
    assert "restored 0 files, 1 could not be restored" in out.stdout and "second name" not in out.output
    assert os.path.isfile(moved) and not os.path.islink(moved) and sha(moved) == before  # still there, whole
    assert os.path.islink(link)  # left as it is
    os.unlink(link)
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert not os.path.islink(f["IMG_4"]) and sha(f["IMG_4"]) == before and not os.path.lexists(moved)


def test_a_link_to_the_trashed_photo_is_named_and_the_trash_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    execute(store, plan_trash(store))
    trashed = tmp_path / "data" / "Trash" / "files" / "IMG_4.jpg"
    before = sha(trashed)
    os.symlink(trashed, f["IMG_4"])
    back = undo(store)
    assert not back.complete and [p for p, _ in back.failed] == [f["IMG_4"]] and back.leftovers == []
    assert "through a symbolic link" in back.failed[0][1]
    assert sha(trashed) == before and os.listdir(tmp_path / "data" / "Trash" / "info") == ["IMG_4.jpg.trashinfo"]
    os.unlink(f["IMG_4"])
    assert undo(store).complete
    assert sha(f["IMG_4"]) == before and not os.path.lexists(trashed)
    store.close()


def test_something_else_than_a_plain_file_at_the_photos_path_is_left_alone(tmp_path):
    """A link to another copy of the photo (same bytes), or a folder: the moved photo is not removed as a copy."""
    root, db, f = moved_img4(tmp_path)
    moved = tmp_path / "rej" / "b" / "c" / "IMG_4.jpg"
    other = tmp_path / "copy.jpg"
    shutil.copy2(moved, other)
    os.symlink(other, f["IMG_4"])
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1 and "not a plain file (a symbolic link?)" in out.stderr, out.output
    assert os.path.isfile(moved) and os.path.islink(f["IMG_4"])
