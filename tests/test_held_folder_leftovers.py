"""Three leftovers of root's moves through folders held open (:mod:`blurscan.actions.held_folder`): a folder's
fsync after a rename never opens a FIFO put in its place (it hung root's command), a copy across drives copies only
the file planned (the source opened is checked, not only its path), and undo of a tag batch removes its emptied
folder of copies in the library, never one a link put there leads to."""
from __future__ import annotations

import os
import threading

import pytest

from blurscan.actions import moves
from helpers_cli import run
from helpers_library import build_library, decide, force_cross_device, sha
from helpers_os import give_all

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="only root's moves go through folders held open")
ALICE = (1234, 1235)


@AS_ROOT
def test_a_fifo_put_in_place_of_the_photos_folder_after_the_rename_never_holds_up_the_move(tmp_path, monkeypatch):
    """Run as root: once the photo is renamed out of ``b/c``, a FIFO is put in place of ``b/c`` (its owner's
    doing). The folder fsync that follows went by path with a plain ``O_RDONLY`` and waited on the FIFO for a
    writer, for ever (here a writer stands by, and tells whether it was let in before the test opened the FIFO)."""
    lib = tmp_path / "lib"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    real, fifo, waiting, let_in, released = moves._rename_noreplace, lib / "b" / "c", [], [], []

    def writer():
        fd = os.open(fifo, os.O_WRONLY)  # (blocks until someone opens the FIFO to read)
        let_in.append(bool(released))
        os.close(fd)

    def renamed_then_fifo(src, dst):
        gone = real(src, dst)
        if not waiting:
            os.rename(fifo, f"{fifo}.away")
            os.mkfifo(fifo)
            waiting.append(threading.Thread(target=writer, daemon=True))
            waiting[0].start()
        return gone

    monkeypatch.setattr(moves, "_rename_noreplace", renamed_then_fifo)
    result = run("move", lib, "--to", tmp_path / "rejects", "--yes")
    released.append(True)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # (lets a writer still waiting in)
    try:
        waiting[0].join()
    finally:
        os.close(fd)
    assert let_in == [True], result.output
    assert (tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg").is_file(), result.output


def test_a_copy_across_drives_never_copies_another_file_than_the_one_planned(tmp_path, monkeypatch):
    """A sync tool puts its new version at the photo's name just as the photo is opened to be copied, then puts the
    photo back (its own conflict copy undone). Only the path was compared with the file planned, before and after:
    the new version's bytes went to ``--to`` as the photo, and the photo itself was removed."""
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")
    store.close()
    photo, digest = f["IMG_4"], sha(f["IMG_4"])
    force_cross_device(monkeypatch)
    swapped = []

    def open_the_other(path, *args, **kw):
        if os.fspath(path) != photo or swapped:
            return open(path, *args, **kw)
        os.rename(photo, f"{photo}.aside")
        with open(f"{photo}.new", "wb") as new:
            new.write(b"the sync tool's new version")
        os.rename(f"{photo}.new", photo)
        try:
            return open(path, *args, **kw)
        finally:
            os.rename(f"{photo}.aside", photo)
            swapped.append(True)

    monkeypatch.setattr(moves, "open", open_the_other, raising=False)
    result = run("move", lib, "--to", to, "--yes")
    assert swapped
    assert sha(photo) == digest, result.output
    assert "changed while it was being copied; source kept" in result.output
    assert not to.exists() or not any(p.is_file() for p in to.rglob("*")), result.output


@AS_ROOT
def test_undo_of_a_tag_batch_removes_no_folder_a_link_in_the_library_leads_to(tmp_path):
    """Run as root: in alice's library, ``.blurscan.db.tag-backups`` replaced by her link to a folder of root's holding an empty
    ``batch-1`` (``/srv/keep/batch-1``, say) before root's undo of tag batch 1. The emptied folders of copies were
    removed by path, through the link: root's empty folder went."""
    from helpers_images import blurred, save_png, textured

    lib, elsewhere = tmp_path / "lib", tmp_path / "srv"
    save_png(lib / "img_0.png", blurred(textured(0), 4.0))
    assert run("scan", lib, "--workers", "1").exit_code == 0
    assert run("tag", "--xmp", "--min-p-blurry", "0", lib).exit_code == 0
    assert (lib / "img_0.png.xmp").is_file()
    (elsewhere / "batch-1").mkdir(parents=True)
    backups = lib / ".blurscan.db.tag-backups"
    if backups.exists():
        backups.rename(tmp_path / "aside")
    backups.symlink_to(elsewhere)
    give_all(lib, ALICE)  # (alice's library, her link: one to a folder of root's is never followed)
    undone = run("undo", lib)
    assert undone.exit_code == 0, undone.output
    assert not (lib / "img_0.png.xmp").exists()
    assert (elsewhere / "batch-1").is_dir(), undone.output
