"""Undo of a batch whose photos' folder was renamed since (``a`` renamed ``a-2024-trip`` by hand) put the
photos back at their paths, making ``a`` again beside the renamed folder, and said only ``restored N files``:
the person found an old folder back without a word. The files still come back at their paths (undo cannot
tell where they are wanted now), and a note on stderr names each folder undo made again, with its count."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import decide, sha, snapshot


def test_undo_names_the_folder_it_made_again(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.chdir(root)
    before = {k: sha(p) for k, p in f.items()}
    decide(store, f["IMG_1"], "discard")   # a/IMG_1.JPG with its RAW and two sidecars
    decide(store, f["IMG_4"], "discard")   # b/c/IMG_4.jpg
    store.close()
    runner = CliRunner()
    assert runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    os.rename(root / "a", root / "a-2024-trip")
    os.rename(root / "b", root / "b-renamed")
    renamed = snapshot(root / "a-2024-trip", root / "b-renamed")
    out = runner.invoke(main, ["undo"])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("batch 1: restored 5 files")
    assert out.stderr == (f"note: {root / 'a'} was no longer there (renamed, moved or deleted since batch 1?); undo "
                          "made it again to put 4 files back in it\n"
                          f"note: {root / 'b'} was no longer there (renamed, moved or deleted since batch 1?); undo "
                          "made it again to put 1 file back in it\n")
    assert sha(f["IMG_1"]) == before["IMG_1"] and sha(f["IMG_4"]) == before["IMG_4"]
    assert snapshot(root / "a-2024-trip", root / "b-renamed") == renamed  # the renamed folders untouched


def test_undo_into_folders_still_there_says_nothing_more(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.chdir(root)
    decide(store, f["IMG_4"], "discard")
    store.close()
    runner = CliRunner()
    assert runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    assert os.path.isdir(root / "b" / "c")
    out = runner.invoke(main, ["undo"])
    assert out.exit_code == 0 and out.stderr == "", out.output
    assert os.path.exists(f["IMG_4"])


def test_undo_does_not_make_an_unplugged_drives_folder(lib, tmp_path, monkeypatch):
    """The library on a drive (here ``tmp_path`` plays ``/media/me``, ``lib`` the drive), moved from with a
    database kept elsewhere, the drive then unplugged: undo put the photos into a new ``/media/me/lib`` on the
    system disk. Now it puts nothing back, says why, and puts them back once the drive is there again."""
    from blurscan.actions import drives

    root, store, f = lib
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path), 1),))
    before = sha(f["IMG_4"])
    decide(store, f["IMG_4"], "discard")
    store.close()
    db = tmp_path / "elsewhere.db"  # the database kept off the drive (--db)
    os.rename(root / ".blurscan.db", db)
    runner = CliRunner()
    moved = runner.invoke(main, ["move", str(root), "--db", str(db), "--to", str(tmp_path / "rej"), "--yes"])
    assert moved.exit_code == 0, moved.output
    os.rename(root, tmp_path / "unplugged")
    out = runner.invoke(main, ["undo", "--db", str(db)])
    assert out.exit_code == 1, out.output
    assert not os.path.exists(root)  # no folder made where the drive belongs
    assert f"{root} is not there (is the drive unplugged?)" in out.output
    os.rename(tmp_path / "unplugged", root)
    out = runner.invoke(main, ["undo", "--db", str(db)])  # a plain undo: the batch is still its target
    assert out.exit_code == 0, out.output
    assert sha(f["IMG_4"]) == before
