"""A move across devices is a verified copy: a copy whose bytes read back differ from the source's (a failing
disk, a flaky card reader), or a source written to while it was being copied (a photo app saving an edit), stops
the move with the source kept and nothing left at the destination."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import moves
from blurscan.errors import ActionError
from helpers_library import force_cross_device


def _on_part_fsync(monkeypatch, fault) -> None:
    """Call ``fault(fd)`` when the temporary copy (``.NAME.blurscan-TAG.part``) is flushed to disk, just before
    it is read back: what a disk that stores other bytes, or another program, would do then."""
    real = os.fsync

    def fsync(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".part"):
            fault(fd)
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.fixture
def photo(tmp_path, monkeypatch):
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to tell the temporary copy")
    force_cross_device(monkeypatch)
    src = tmp_path / "lib" / "IMG_1.JPG"
    src.parent.mkdir()
    src.write_bytes(os.urandom(200_000))
    return src, tmp_path / "rejects" / "IMG_1.JPG"


def _left(dst) -> list[str]:
    return os.listdir(dst.parent) if dst.parent.exists() else []


def test_a_copy_that_reads_back_other_bytes_is_not_kept_and_the_source_stays(photo, monkeypatch):
    src, dst = photo
    before = src.read_bytes()
    _on_part_fsync(monkeypatch, lambda fd: os.pwrite(fd, bytes([before[0] ^ 0xFF]), 0))
    with pytest.raises(ActionError, match="does not match the original"):
        moves.move_file(str(src), str(dst), tag=7)
    assert src.read_bytes() == before and _left(dst) == []


def test_a_source_written_to_while_it_is_copied_is_kept_and_nothing_is_left(photo, monkeypatch):
    src, dst = photo

    def edit(_fd):
        with open(src, "ab") as fh:
            fh.write(b"an edit saved meanwhile")

    _on_part_fsync(monkeypatch, edit)
    with pytest.raises(ActionError, match="changed while it was being copied; source kept"):
        moves.move_file(str(src), str(dst), tag=7)
    assert src.read_bytes().endswith(b"an edit saved meanwhile") and _left(dst) == []
