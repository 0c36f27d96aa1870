"""Run as root in someone's library (``sudo blurscan tag --xmp``, then ``sudo blurscan undo``), tag writes each
sidecar at a temporary name beside it (``.NAME.xmp.blurscan-tagN.part``; undo's ``...-untagN.part``) and gives it
the owner and mode of the sidecar it replaces. Until 2026-12-06 both were set by that name once the file was
written: the person whose folder it is could put a symbolic link there just then, and the chmod followed it (a
root ``0600`` file anywhere became ``0666``, the mode of their sidecar; reproduced with the real command and the
person's loop renaming a link over each ``.part`` name). Now the owner and mode go through the descriptor the
file was made with. Each test makes the person's change as soon as the temporary file is made."""
from __future__ import annotations

import os
import stat

import pytest

from blurscan.actions import undo, xmp
from helpers_os import give_all
from test_xmp import _tag_library

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root gives a file another owner, and follows anyone's link")

ALICE = (1234, 1235)


@pytest.fixture
def secret(tmp_path):
    """A root ``0600`` file outside alice's library (what must stay as it is)."""
    path = tmp_path / "root-secret"
    path.write_text("root's\n")
    os.chmod(path, 0o600)
    return path


def _link_on_open(monkeypatch, secret, part: str) -> list[str]:
    """Alice renames a symbolic link to ``secret`` over each new temporary file whose name holds ``part`` as soon
    as it is made; the names swapped are listed."""
    real_open = os.open
    swapped: list[str] = []

    def open_then_swap(name, flags, *args, **kwargs):
        made = flags & os.O_CREAT and "dir_fd" not in kwargs and not os.path.lexists(name)
        fd = real_open(name, flags, *args, **kwargs)
        path = os.fsdecode(name)
        if made and part in os.path.basename(path) and path.endswith(".part"):  # alice, just then
            link = path + ".alice"
            os.symlink(secret, link)
            os.rename(link, path)
            swapped.append(path)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)
    return swapped


def _alices_tagged_library(lib):
    """``_tag_library`` given to alice, its sidecars ``0666`` (her choice: the mode the chmod would give)."""
    root, store, f = _tag_library(lib)
    give_all(root, ALICE)
    for name in ("IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5.xmp"):
        os.chmod(f[name], 0o666)
    return root, store, f


def test_a_link_swapped_in_for_tags_temporary_file_is_not_followed(lib, monkeypatch, secret):
    root, store, f = _alices_tagged_library(lib)
    swapped = _link_on_open(monkeypatch, secret, ".blurscan-tag")
    xmp.tag_photos(store)
    monkeypatch.undo()
    assert swapped  # (the swaps happened)
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert os.stat(secret).st_uid == 0


def test_a_link_swapped_in_for_undos_temporary_sidecar_is_not_followed(lib, monkeypatch, secret):
    root, store, f = _alices_tagged_library(lib)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    swapped = _link_on_open(monkeypatch, secret, ".blurscan-untag")
    undo(store)
    monkeypatch.undo()
    assert swapped  # (the swaps happened)
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert os.stat(secret).st_uid == 0
