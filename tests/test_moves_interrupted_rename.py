"""A rename interrupted (``renameat2`` failing with EINTR: a signal arriving, or a network or FUSE file system) is
tried again, as Python's own system calls are since PEP 475: found by system-call fault injection
(``strace -e inject=renameat2:error=EINTR``, 2026-12-06), where ``move`` failed the photo with "cannot move to
...: interrupted system call" (exit 1) and ``tag`` its sidecar. Simulated here at the module's ``renameat2``."""
from __future__ import annotations

import ctypes
import errno
import os
import sys

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main

pytestmark = pytest.mark.skipif(moves._renameat2 is None or not sys.platform.startswith("linux"),
                                reason="renameat2 is Linux's")


@pytest.fixture
def interrupt_once(monkeypatch):
    """A function that makes the next ``renameat2`` fail with EINTR, once; it returns the calls made from then."""
    def arm() -> list:
        real, calls = moves._renameat2, []

        def once(*args):
            calls.append(args)
            if len(calls) == 1:
                ctypes.set_errno(errno.EINTR)
                return -1
            return real(*args)

        monkeypatch.setattr(moves, "_renameat2", once)
        return calls
    return arm


def test_a_move_whose_rename_is_interrupted_tries_it_again(scanned_none, tmp_path, interrupt_once):
    rej, interrupted_once = tmp_path / "rej", interrupt_once()
    blurry = sorted(p.read_bytes() for p in scanned_none.glob("blurry_*"))
    moved = CliRunner().invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    assert moved.exit_code == 0, moved.output
    assert "interrupted" not in moved.output and "failed" not in moved.output, moved.output
    assert "moved 2 photos" in moved.stdout
    assert sorted(p.read_bytes() for p in rej.rglob("blurry_*")) == blurry and not list(scanned_none.glob("blurry_*"))
    assert len(interrupted_once) == 3  # the first tried twice


def test_an_undo_whose_rename_is_interrupted_tries_it_again(scanned_none, tmp_path, interrupt_once):
    rej = tmp_path / "rej"
    runner = CliRunner()
    assert runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"]).exit_code == 0
    calls = interrupt_once()
    undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 0, undone.output
    assert "batch 1: restored 2 files" in undone.stdout and "interrupted" not in undone.output, undone.output
    assert len(list(scanned_none.glob("blurry_*"))) == 2 and not list(rej.rglob("blurry_*"))
    assert len(calls) == 3  # the first tried twice


@pytest.fixture
def renamed_then_interrupted(monkeypatch):
    """A function that makes the next ``renameat2`` rename the file and then report EINTR, once (a network or FUSE
    file system whose server did the rename before the interruption was said): the retry finds no source."""
    def arm() -> list:
        real, calls = moves._renameat2, []

        def done_then_eintr(*args):
            calls.append(args)
            result = real(*args)
            if len(calls) == 1 and result == 0:
                ctypes.set_errno(errno.EINTR)
                return -1
            return result

        monkeypatch.setattr(moves, "_renameat2", done_then_eintr)
        return calls
    return arm


def test_a_rename_done_before_its_interruption_is_a_move(scanned_none, tmp_path, renamed_then_interrupted):
    """The retry failed with ENOENT and the photo, at DST all the same, was said "gone from its folder ... nothing
    of it left at DST", its row failed, and undo left it there (until 2026-12-06)."""
    rej, runner = tmp_path / "rej", CliRunner()
    blurry = sorted(p.read_bytes() for p in scanned_none.glob("blurry_*"))
    calls = renamed_then_interrupted()
    moved = runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    assert moved.exit_code == 0, moved.output
    assert "gone from its folder" not in moved.output and "failed" not in moved.output, moved.output
    assert "moved 2 photos" in moved.stdout
    assert sorted(p.read_bytes() for p in rej.rglob("blurry_*")) == blurry and not list(scanned_none.glob("blurry_*"))
    assert len(calls) == 3  # the first tried twice
    undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 0, undone.output
    assert "batch 1: restored 2 files" in undone.stdout, undone.output
    assert sorted(p.read_bytes() for p in scanned_none.glob("blurry_*")) == blurry and not list(rej.rglob("blurry_*"))


def test_an_undo_whose_rename_was_done_before_its_interruption_restores(scanned_none, tmp_path,
                                                                        renamed_then_interrupted):
    rej, runner = tmp_path / "rej", CliRunner()
    blurry = sorted(p.read_bytes() for p in scanned_none.glob("blurry_*"))
    assert runner.invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"]).exit_code == 0
    renamed_then_interrupted()
    undone = runner.invoke(main, ["undo", str(scanned_none)])
    assert undone.exit_code == 0, undone.output
    assert "batch 1: restored 2 files" in undone.stdout and "gone" not in undone.output, undone.output
    assert sorted(p.read_bytes() for p in scanned_none.glob("blurry_*")) == blurry and not list(rej.rglob("blurry_*"))


def test_an_interrupted_retry_finding_another_file_at_dst_still_fails(tmp_path, monkeypatch):
    """ENOENT after EINTR with another file at DST (not the source's inode) is no success: it is raised."""
    src, dst, other = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"
    src.write_bytes(b"photo")
    other.write_bytes(b"other")
    real, calls = moves._renameat2, []

    def removed_then_eintr(*args):
        calls.append(args)
        if len(calls) == 1:  # (the photo taken away by another program, another file put at DST, then EINTR)
            src.unlink()
            other.rename(dst)
            ctypes.set_errno(errno.EINTR)
            return -1
        return real(*args)

    monkeypatch.setattr(moves, "_renameat2", removed_then_eintr)
    with pytest.raises(OSError) as raised:
        moves._rename_noreplace(str(src), str(dst))
    assert raised.value.errno == errno.ENOENT and dst.read_bytes() == b"other"


def test_a_name_linked_to_the_photo_while_its_rename_was_interrupted_is_no_move(scanned_none, tmp_path,
                                                                                 monkeypatch):
    """The try interrupted did not rename, but meanwhile another program gave the photo a second name at the
    destination (a hard link: a backup tool's ``cp -al``): the retry finds the destination taken, holding the
    photo's file, while the photo is still in the library. That is no move: the photo fails and stays. Only a
    destination holding the photo's file *and* a source no longer holding it is a rename done by the try
    interrupted (:func:`blurscan.actions.renamed_already.renamed_already`: without the look at the source every
    test passed, found by mutation testing, and the photo was said moved while it stayed in the library)."""
    real, calls = moves._renameat2, []

    def linked_then_eintr(old_fd, old, new_fd, new, flags):
        calls.append(old)
        if len(calls) == 1:  # (another program, meanwhile; then the interruption)
            os.link(old, new, src_dir_fd=None if old_fd == moves._AT_FDCWD else old_fd,
                    dst_dir_fd=None if new_fd == moves._AT_FDCWD else new_fd)
            ctypes.set_errno(errno.EINTR)
            return -1
        return real(old_fd, old, new_fd, new, flags)

    monkeypatch.setattr(moves, "_renameat2", linked_then_eintr)
    rej = tmp_path / "rej"
    moved = CliRunner().invoke(main, ["move", "--to", str(rej), str(scanned_none), "--all-blurry", "--yes"])
    monkeypatch.undo()
    first = os.fsdecode(os.path.basename(calls[0]))
    assert len(list(scanned_none.glob("blurry_*"))) == 1, moved.output  # the first photo stays, the other moved
    assert moved.exit_code == 1, moved.output
    assert "moved 1 photo " in moved.stdout, moved.output
    assert f"{first}" in moved.output and "exists" in moved.output, moved.output
