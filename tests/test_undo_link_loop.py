"""A symbolic-link loop where undo must make a folder again, or look for a file: the photo's folder deleted since
the batch and a link leading back to itself left at its path (or two links leading to each other). Undo failed
with "cannot create the folder: file exists" (or "too many levels of symbolic links"), naming the photo's folder,
not the link, nor saying it loops. It now names the link and says it is a symbolic-link loop; the photo stays
where the move put it, and once the link is removed, undo puts it back."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.errors import ActionError
from helpers_library import moved_img4, sha

LOOP = "is a symbolic-link loop (the link leads back to itself, directly or through other links)"


@pytest.mark.parametrize("loop", ["the photo's folder, to itself", "a folder above it, through two links"])
def test_a_link_looping_where_undo_makes_a_folder_is_named_as_a_loop(tmp_path, loop):
    root, db, f = moved_img4(tmp_path)
    before = sha(tmp_path / "rej" / "b" / "c" / "IMG_4.jpg")
    if loop == "the photo's folder, to itself":
        shutil.rmtree(root / "b" / "c")
        os.symlink("c", root / "b" / "c")
        link = root / "b" / "c"
    else:
        shutil.rmtree(root / "b")
        os.symlink(root / "x", root / "b")
        os.symlink(root / "b", root / "x")
        link = root / "b"
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1, out.output
    assert out.stderr == f"failed: {root / 'b' / 'c'}: cannot create the folder: {link} {LOOP}\n", out.stderr
    assert sha(tmp_path / "rej" / "b" / "c" / "IMG_4.jpg") == before  # where the move put it
    assert os.path.islink(link)  # left as it is
    os.unlink(link)
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert sha(f["IMG_4"]) == before


def test_a_link_looping_in_the_to_folder_is_named_as_a_loop_and_does_not_close_the_batch(tmp_path):
    root, db, f = moved_img4(tmp_path)
    os.rename(tmp_path / "rej" / "b", tmp_path / "rej-b")
    os.symlink("b", tmp_path / "rej" / "b")
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1 and "closed" not in out.stdout, out.output
    assert out.stderr == (f"failed: {f['IMG_4']}: not put back: {tmp_path / 'rej' / 'b' / 'c' / 'IMG_4.jpg'} cannot "
                          f"be looked at: {tmp_path / 'rej' / 'b'} {LOOP}; run undo again once it can\n"), out.stderr
    os.unlink(tmp_path / "rej" / "b")
    os.rename(tmp_path / "rej-b", tmp_path / "rej" / "b")
    out = CliRunner().invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 0 and os.path.isfile(f["IMG_4"]), out.output


def test_what_else_is_in_the_way_of_a_folder_is_named(tmp_path):
    """A file, or a link leading nowhere, where a folder must be made: named, with what it is (it was "file
    exists", or "no such file or directory" for the folder below the link)."""
    from blurscan.actions.moves import move_file

    photo = tmp_path / "IMG_1.jpg"
    photo.write_bytes(b"photo")
    (tmp_path / "a").write_bytes(b"a file")
    os.symlink(tmp_path / "nowhere", tmp_path / "b")
    for folder, said in ((tmp_path / "a", f"{tmp_path / 'a'} is a file, not a folder"),
                         (tmp_path / "b", f"{tmp_path / 'b'} is a symbolic link to {tmp_path / 'nowhere'}, which "
                                          "leads nowhere")):
        with pytest.raises(ActionError) as raised:
            move_file(str(photo), str(folder / "c" / "IMG_1.jpg"))
        assert str(raised.value) == f"{folder / 'c'}: cannot create the folder: {said}"
    assert photo.read_bytes() == b"photo" and not os.path.exists(tmp_path / "nowhere")
