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
