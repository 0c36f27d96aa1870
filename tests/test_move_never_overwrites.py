"""The file-move primitive's refusals that the system alone would not make: on a file system with neither
``renameat2(RENAME_NOREPLACE)`` nor hard links (FAT, exFAT cards, some network shares) an existing destination is
never overwritten, nor is a second name left where the old one cannot be removed, and undo puts nothing back
into a folder made read-only since (even run as root)."""
from __future__ import annotations

import errno
import os

import pytest

from blurscan.actions import execute, moves, plan_move, undo
from blurscan.errors import ActionError
from helpers_library import build_library, decide


def test_without_renameat2_nor_links_an_existing_destination_is_not_overwritten(tmp_path, monkeypatch):
    def no_links(*_args, **_kw):  # what a FAT card answers
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(moves, "_renameat2", None)
    monkeypatch.setattr(os, "link", no_links)
    src, dst = tmp_path / "IMG_1.JPG", tmp_path / "rejects" / "IMG_1.JPG"
    dst.parent.mkdir()
    src.write_bytes(b"the photo")
    dst.write_bytes(b"another file")
    with pytest.raises(ActionError, match="destination exists.*never overwritten"):
        moves.move_file(str(src), str(dst))
    assert src.read_bytes() == b"the photo" and dst.read_bytes() == b"another file"
    os.unlink(dst)
    assert moves.move_file(str(src), str(dst)).method == "rename"  # the fallback itself moves
    assert dst.read_bytes() == b"the photo" and not src.exists()


def test_without_renameat2_a_photo_whose_old_name_cannot_be_removed_gets_no_second_name(tmp_path, monkeypatch):
    """Linked to its destination, the photo's old name cannot be removed (another user's file in a sticky folder):
    the new name is removed again, so the photo is not left at both places, as the same file."""
    real_unlink = os.unlink
    src, dst = tmp_path / "IMG_1.JPG", tmp_path / "rejects" / "IMG_1.JPG"

    def refusing_unlink(path, *args, **kw):
        if os.fspath(path) == str(src):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), os.fspath(path))
        return real_unlink(path, *args, **kw)

    monkeypatch.setattr(moves, "_renameat2", None)
    monkeypatch.setattr(os, "unlink", refusing_unlink)
    src.write_bytes(b"the photo")
    with pytest.raises(ActionError):
        moves.move_file(str(src), str(dst))
    assert src.read_bytes() == b"the photo" and os.stat(src).st_nlink == 1
    assert not dst.exists()


def test_undo_puts_nothing_back_into_a_folder_made_read_only_since(tmp_path):
    store, f = build_library(tmp_path / "lib")
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    [(src, dst)] = result.moved
    folder = os.path.dirname(src)
    os.chmod(folder, 0o555)  # no write bit for anyone: root too is refused (blurscan.permissions)
    try:
        back = undo(store)
    finally:
        os.chmod(folder, 0o755)
    assert [p for p, _ in back.failed] == [src] and back.restored == []
    assert os.path.exists(dst) and not os.path.lexists(src)
    assert undo(store).restored == [(dst, src)]  # once it can be written, the next undo puts it back
    store.close()
