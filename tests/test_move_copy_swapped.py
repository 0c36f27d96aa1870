"""Run as root, ``move`` of a photo to a ``--to`` on another drive copies it to a temporary name there
(``.NAME.blurscan-N.part``), checks the copy, then gives it the photo's owner, times, extended attributes and
mode. Until 2026-12-06 those went by the name: the owner of the ``--to`` folder could rename a symbolic link over
it once checked, and the chmod and the times followed it (``sudo blurscan move --all-blurry --to`` a folder of
alice's on a tmpfs: a root ``0600`` file anywhere became ``0666``, the photo's mode, reproduced with the real
command and a loop of hers). Now they go through a descriptor of the copy opened again without following a link,
and only while the name is still the copy."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main
from helpers_library import build_library, decide, force_cross_device
from helpers_os import give_all

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root gives a file another owner, and follows anyone's link")

ALICE = (1234, 1235)


def test_a_link_swapped_in_for_a_checked_copy_is_not_followed(tmp_path, monkeypatch):
    secret = tmp_path / "root-secret"  # a root 0600 file (what must stay as it is)
    secret.write_text("root's\n")
    os.chmod(secret, 0o600)
    os.utime(secret, ns=(10**18, 10**18))
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    (home / "rejects").mkdir()
    give_all(home, ALICE)
    os.chmod(f["IMG_4"], 0o666)  # (her photo's mode: what the chmod gives)
    force_cross_device(monkeypatch)
    real_sha = moves.sha256_file
    swapped = []

    def checked_then_swapped(path):
        digest = real_sha(path)
        if os.fsdecode(path).endswith(".part"):  # alice, once the copy is checked
            os.symlink(secret, f"{path}.alice")
            os.rename(f"{path}.alice", path)
            swapped.append(path)
        return digest

    monkeypatch.setattr(moves, "sha256_file", checked_then_swapped)
    result = CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(home / "rejects"), "--yes"])
    monkeypatch.undo()
    assert swapped  # (the swap happened)
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert os.stat(secret).st_mtime_ns == 10**18 and os.stat(secret).st_uid == 0
    assert os.path.isfile(f["IMG_4"]) and not os.path.islink(f["IMG_4"])  # left in place, the copy refused
    assert "temporary name was taken" in result.output
    assert not any(p.name.endswith(".part") for p in (home / "rejects").rglob("*"))  # (the link removed)
