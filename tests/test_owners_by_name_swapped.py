"""Run as root in someone's library (``sudo blurscan scan ~/Pictures``, ``sudo blurscan move``, the review page),
blurscan gives the files it makes there to the library's owner: the database, the actions and library locks,
thumbnails, tag backups. Until 2026-12-06 these were given by their name: the person whose folder it is could put
a hard link to a root file in place of the name just then (where hard links to others' files are allowed:
``fs.protected_hardlinks=0``, macOS), and the chown gave that root file to them. Each is now given through the
descriptor it was made with or, by name, only when the name is a root file with no other link. Each test makes
the person's change where it would land between blurscan's making a file and giving it away."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import make_library
from helpers_library import build_library, decide
from helpers_os import give_all, owner_of

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can give a file another owner (os.chown)")

ALICE = (1234, 1235)


@pytest.fixture
def secret(tmp_path):
    """A root file on the same drive as alice's library (what must stay root's)."""
    path = tmp_path / "root-secret"
    path.write_text("root's\n")
    os.chmod(path, 0o600)
    return path


def _swap_on_open(monkeypatch, secret, ends: str) -> None:
    """Alice puts a hard link to ``secret`` in place of the file named ``...ends`` as soon as it is made."""
    real_open = os.open

    def open_then_swap(name, flags, *args, **kwargs):
        made = flags & os.O_CREAT and not os.path.lexists(name)
        fd = real_open(name, flags, *args, **kwargs)
        if made and os.fsdecode(name).endswith(ends) and os.stat(secret).st_nlink == 1:  # alice, just then
            os.unlink(name)
            os.link(secret, name)
        return fd

    monkeypatch.setattr(os, "open", open_then_swap)


def test_a_hard_link_swapped_in_for_the_new_database_is_not_given_away(tmp_path, monkeypatch, secret):
    """``sudo blurscan scan ~/Pictures``: the new database's empty file was given to alice by its name."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    give_all(lib, ALICE)
    _swap_on_open(monkeypatch, secret, ".blurscan.db")
    CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened)
    assert owner_of(secret) == (0, 0)


def test_a_hard_link_swapped_in_for_the_new_actions_lock_is_not_given_away(tmp_path, monkeypatch, secret):
    """``sudo blurscan move ~/Pictures --to ~/rejects``: the actions lock made beside alice's database was given
    to her by its name."""
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    give_all(home, ALICE)
    _swap_on_open(monkeypatch, secret, ".actions.lock")
    CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(home / "rejects"), "--yes"])
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened)
    assert owner_of(secret) == (0, 0)


def test_a_hard_link_swapped_in_for_a_new_thumbnail_is_not_given_away(tmp_path, monkeypatch, secret):
    """The review page run as root: a thumbnail's temporary file in alice's library's cache was given to her by
    its name."""
    import tempfile

    from blurscan.review.thumbs import ThumbCache, beside

    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=0)
    give_all(lib, ALICE)
    photo = next(p for p in lib.rglob("*") if p.is_file())
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_swap(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        os.unlink(name)  # alice, just then
        os.link(secret, name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_swap)
    cache = beside(lib / ".blurscan.db")
    ThumbCache(cache).get(str(photo), None, None)
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened: the thumbnail's name now)
    assert owner_of(secret) == (0, 0)
    assert owner_of(cache) == ALICE  # (the folders it made are still hers)
    assert all(owner_of(f) == ALICE for f in cache.iterdir())


def test_a_hard_link_swapped_in_for_a_tag_backup_made_by_name_is_not_given_away(tmp_path, monkeypatch, secret):
    """A system without ``dir_fd`` makes a tag backup by its name (backup_copy._by_path): a hard link put in
    its place once written was given to the library's owner by name."""
    from blurscan.actions import backup_copy

    lib = tmp_path / "lib"
    lib.mkdir()
    os.chown(lib, *ALICE)
    top, folder = str(lib / ".blurscan-backup"), str(lib / ".blurscan-backup" / "tags")
    backup = os.path.join(folder, "IMG_1.xmp")
    real_write = backup_copy.write_synced

    def write_then_swap(path, data, mode):
        real_write(path, data, mode)
        os.unlink(path)  # alice, just then
        os.link(secret, path)

    monkeypatch.setattr(backup_copy, "write_synced", write_then_swap)
    backup_copy._by_path(backup, b"<x/>", 0o644, (top, folder), str(lib))
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2
    assert owner_of(secret) == (0, 0)
    assert owner_of(top) == ALICE and owner_of(folder) == ALICE


def test_a_hard_link_swapped_in_for_a_new_lock_of_a_library_above_is_not_given_away(tmp_path, monkeypatch, secret):
    """``sudo blurscan move ~/Pictures/trip`` (a library with its own database in ``~/Pictures``'s): the actions
    lock made beside the database above, held while the batch runs, was given to alice by its name."""
    pictures = tmp_path / "home" / "Pictures"
    build_library(pictures)[0].close()
    store, f = build_library(pictures / "trip")
    decide(store, f["IMG_4"], "discard")
    store.close()
    give_all(tmp_path / "home", ALICE)
    _swap_on_open(monkeypatch, secret, str(pictures / ".blurscan.db.actions.lock"))
    CliRunner().invoke(main, ["move", str(pictures / "trip"), "--to", str(tmp_path / "home" / "rejects"), "--yes"])
    monkeypatch.undo()
    assert os.stat(secret).st_nlink == 2  # (the swap happened)
    assert owner_of(secret) == (0, 0)
