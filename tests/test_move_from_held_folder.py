"""Run as root in someone's tree (``sudo blurscan move --all-blurry --to /srv/rejects ~alice/Pictures``, ``trash``,
and ``undo``, whose photos come out of ``--to``), the photo is taken out of its folder opened from the library (from
``--to``, or the trash's folder, for undo) down, never through a symbolic link (:func:`blurscan.actions.held_folder.
taken`). Until 2026-12-06 the source went by path: alice put a link to a root folder (here ``sys``, standing for
``/usr/share/pixmaps``) in place of a folder of her library, holding her copy of a root file there (the same bytes
and time: ``cp -p``), and root's move (or trash) took root's file, found through the link with the size and time
planned, out of its place; a link put in ``--to`` before root's undo had root's file put into her library."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main
from helpers_library import build_library, decide, force_cross_device
from helpers_os import give_all

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root takes anyone's file through a link")

ALICE = (1234, 1235)


@pytest.fixture
def tree(tmp_path):
    """Alice's ``home`` with ``Pictures/b/c/IMG_4.jpg`` marked discard, and ``sys/c/IMG_4.jpg``, root's file of the
    same bytes and time (``cp -p``: alice copied it into her library)."""
    home, sysdir = tmp_path / "home", tmp_path / "sys"
    (sysdir / "c").mkdir(parents=True)
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    shutil.copy2(f["IMG_4"], sysdir / "c" / "IMG_4.jpg")
    give_all(home, ALICE)
    return home, sysdir, f["IMG_4"]


def _swap(folder, to) -> None:
    """Alice: ``folder`` moved aside, a link to ``to`` in its place."""
    os.rename(folder, f"{folder}.made")
    os.symlink(to, folder)


def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


@pytest.mark.parametrize("across_drives", [False, True], ids=["rename", "copy"])
def test_move_takes_nothing_through_a_link_put_in_the_library(tree, tmp_path, monkeypatch, across_drives):
    """The link in place of ``Pictures/b`` before root's move (the real command, no race): root's file stays,
    the photo fails naming the link."""
    home, sysdir, photo = tree
    _swap(home / "Pictures" / "b", sysdir)
    if across_drives:
        force_cross_device(monkeypatch)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    monkeypatch.undo()
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"], result.output  # root's file stays
    assert not os.path.lexists(tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'Pictures' / 'b'} is a symbolic link where a folder is (never followed)" in result.output
    assert f"failed: {photo}" in result.output


def test_trash_takes_nothing_through_a_link_put_in_the_library(tree, monkeypatch):
    home, sysdir, photo = tree
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    _swap(home / "Pictures" / "b", sysdir)
    result = _run("trash", home / "Pictures", "--yes")
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"], result.output
    assert f"{home / 'Pictures' / 'b'} is a symbolic link where a folder is (never followed)" in result.output
    assert f"failed: {photo}" in result.output


def test_a_link_swapped_in_once_the_folder_is_held_takes_the_photo_from_the_folder_held(tree, tmp_path,
                                                                                        monkeypatch):
    """Swapped as the rename begins (the folder held open already): the photo goes, root's file stays."""
    home, sysdir, _photo = tree
    real, swapped = moves._rename_noreplace, []

    def swapped_then_renamed(src, dst):
        if not swapped and os.path.basename(src) == "IMG_4.jpg":
            _swap(home / "Pictures" / "b", sysdir)
            swapped.append(True)
        return real(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", swapped_then_renamed)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    monkeypatch.undo()
    assert swapped
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"], result.output
    assert os.listdir(home / "Pictures" / "b.made" / "c") == [], result.output
    assert os.path.isfile(tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg"), result.output


def test_undo_takes_nothing_through_a_link_put_in_to(tree):
    """``sudo blurscan undo`` once alice put a link in place of ``rejects/b`` (her ``--to``): root's file is not
    put into her library; the photo stays in ``--to``, the link named."""
    home, sysdir, photo = tree
    assert "moved 1 photo" in _run("move", home / "Pictures", "--to", home / "rejects", "--yes").output
    _swap(home / "rejects" / "b", sysdir)
    result = _run("undo", home / "Pictures")
    assert result.exit_code == 1, result.output
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"], result.output
    assert not os.path.lexists(photo), result.output
    assert os.path.isfile(home / "rejects" / "b.made" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'rejects' / 'b'} is a symbolic link where a folder is (never followed)" in result.output


def test_undo_removes_no_file_through_a_link_put_in_to(tree):
    """The photo copied back by hand (``cp -p``, so undo takes the one in ``--to`` for a copy to remove), and a
    link in place of ``rejects/b`` to root's folder holding a file of the same bytes: ``sudo blurscan undo``
    removed root's file as the photo's copy. It stays now; the link is named."""
    home, sysdir, photo = tree
    assert "moved 1 photo" in _run("move", home / "Pictures", "--to", home / "rejects", "--yes").output
    shutil.copy2(home / "rejects" / "b" / "c" / "IMG_4.jpg", photo)
    _swap(home / "rejects" / "b", sysdir)
    result = _run("undo", home / "Pictures")
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"], result.output
    assert os.path.isfile(photo) and os.path.isfile(home / "rejects" / "b.made" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'rejects' / 'b'} is a symbolic link where a folder is (never followed)" in result.output


def test_undo_removes_no_folder_through_a_link_put_in_to(tree):
    """The photo deleted from ``--to`` and a link in place of ``rejects/b`` to root's folder holding an empty
    ``c``: ``sudo blurscan undo`` removed root's empty folder as the one its move made (``rejects/b/c``). It
    stays now."""
    home, sysdir, photo = tree
    os.unlink(sysdir / "c" / "IMG_4.jpg")
    assert "moved 1 photo" in _run("move", home / "Pictures", "--to", home / "rejects", "--yes").output
    os.unlink(home / "rejects" / "b" / "c" / "IMG_4.jpg")
    _swap(home / "rejects" / "b", sysdir)
    result = _run("undo", home / "Pictures")
    assert os.path.isdir(sysdir / "c"), result.output


def test_a_file_other_than_the_one_its_path_named_as_the_move_began_is_not_taken(tree, tmp_path, monkeypatch):
    """The link there as the move begins (its checks look at root's file through it) and the folder put back just
    before it is held: the file held (her photo) is not the one the checks saw, so nothing moves."""
    from blurscan.actions import held_folder

    home, sysdir, photo = tree
    _swap(home / "Pictures" / "b", sysdir)
    real, back = held_folder.open_folder_down, []

    def put_back_then_opened(top, folder):
        if not back and folder == os.path.dirname(photo):
            os.unlink(home / "Pictures" / "b")
            os.rename(home / "Pictures" / "b.made", home / "Pictures" / "b")
            back.append(True)
        return real(top, folder)

    monkeypatch.setattr(held_folder, "open_folder_down", put_back_then_opened)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    monkeypatch.undo()
    assert back
    assert os.listdir(sysdir / "c") == ["IMG_4.jpg"] and os.path.isfile(photo), result.output
    assert f"failed: {photo}: another file than the one at its path as the move began" in result.output


def test_a_library_scanned_through_a_link_given_is_moved_as_before(tmp_path):
    """The folder given to the scan is a link (``~/Pictures`` -> ``/data/pics``), its database kept beside it
    (``--db ~/lib.db``): a link there is the one given, so root's move takes the photos as before."""
    real, home = tmp_path / "data" / "pics", tmp_path / "home"
    home.mkdir()
    store, f = build_library(real)
    store.close()
    os.symlink(real, home / "Pictures")
    db = home / "lib.db"
    assert _run("scan", home / "Pictures", "--db", db, "--model", "none").exit_code == 0
    result = _run("move", home / "Pictures", "--db", db, "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0 and "failed" not in result.output, result.output
    assert os.path.isfile(tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg"), result.output


def test_a_link_to_a_folder_of_the_librarys_owner_is_followed(tree, tmp_path):
    """Her own link (``Pictures/b`` -> a folder of hers elsewhere, as a library scanned with
    ``--follow-symlinks`` has) leads where only she could have put it and to what is hers: root's move takes the
    photo through it, as before the descriptors (:func:`blurscan.folders_down._link_of_the_owner`)."""
    home, _sysdir, photo = tree
    elsewhere = home / "elsewhere"
    os.rename(home / "Pictures" / "b", elsewhere)
    os.symlink(elsewhere, home / "Pictures" / "b")
    give_all(home, ALICE)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0, result.output
    assert not (elsewhere / "c" / "IMG_4.jpg").exists()
    assert (tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg").is_file()


def test_a_link_in_a_folder_others_may_write_in_is_not_followed(tree, tmp_path):
    """``Pictures`` writable by its group: someone of the group may have put the link, so it is not followed even
    to a folder of the library's owner."""
    home, _sysdir, photo = tree
    elsewhere = home / "elsewhere"
    os.rename(home / "Pictures" / "b", elsewhere)
    os.symlink(elsewhere, home / "Pictures" / "b")
    give_all(home, ALICE)
    os.chmod(home / "Pictures", 0o775)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 1
    assert "Pictures/b is a symbolic link where a folder is (never followed)" in result.output
    assert (elsewhere / "c" / "IMG_4.jpg").is_file()


def test_a_link_not_followed_leaves_no_folder_open(tree, tmp_path):
    """The link to root's folder is opened to see whose folder it leads to, and closed again when it is not
    followed: a long ``move`` over many such links would hold one for each, up to ``EMFILE``."""
    home, sysdir, _photo = tree
    _swap(home / "Pictures" / "b", sysdir)
    before = set(os.listdir("/proc/self/fd"))
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    assert "is a symbolic link where a folder is (never followed)" in result.output
    left = {fd for fd in set(os.listdir("/proc/self/fd")) - before if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not {os.readlink(f"/proc/self/fd/{fd}") for fd in left}, left


def test_a_link_swapped_in_as_the_copy_across_drives_begins_copies_and_removes_the_photo_held(tree, tmp_path,
                                                                                              monkeypatch):
    """Across drives, the link swapped in as the rename is refused (the folder held open already): the copy reads,
    checks and removes the photo of the folder held, never root's file through the link (here of other bytes,
    same size and time: read by path, its bytes went into her ``--to``; removed by path, it was gone)."""
    import errno

    home, sysdir, photo = tree
    theirs = sysdir / "c" / "IMG_4.jpg"
    data, st = bytearray(theirs.read_bytes()), os.stat(theirs)
    data[len(data) // 2] ^= 0xFF
    theirs.write_bytes(bytes(data))
    os.utime(theirs, ns=(st.st_atime_ns, st.st_mtime_ns))
    with open(photo, "rb") as fh:
        mine = fh.read()
    swapped = []

    def swapped_then_refused(src, dst):
        if os.path.dirname(src) != os.path.dirname(dst):
            if not swapped and os.path.basename(src) == "IMG_4.jpg":
                _swap(home / "Pictures" / "b", sysdir)
                swapped.append(True)
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), src, None, dst)
        return real(src, dst)

    real = moves._rename_noreplace
    monkeypatch.setattr(moves, "_rename_noreplace", swapped_then_refused)
    result = _run("move", home / "Pictures", "--to", tmp_path / "rejects", "--yes")
    monkeypatch.undo()
    assert swapped
    assert theirs.read_bytes() == bytes(data), result.output  # root's file stays, as it was
    assert os.listdir(home / "Pictures" / "b.made" / "c") == [], result.output
    assert (tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg").read_bytes() == mine, result.output


def test_undo_removes_the_copy_of_the_folder_held_when_a_link_is_swapped_in_meanwhile(tree, monkeypatch):
    """The photo copied back by hand (``cp -p``), and the link to root's folder (a file there of the photo's size
    and time, other bytes) swapped in place of ``rejects/b`` once undo holds ``rejects/b/c``: the copy in the folder
    held is compared and removed, root's file neither read nor removed through the link."""
    from blurscan.actions import held_folder

    home, sysdir, photo = tree
    theirs = sysdir / "c" / "IMG_4.jpg"
    data, st = bytearray(theirs.read_bytes()), os.stat(theirs)
    data[len(data) // 2] ^= 0xFF
    theirs.write_bytes(bytes(data))
    os.utime(theirs, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "moved 1 photo" in _run("move", home / "Pictures", "--to", home / "rejects", "--yes").output
    shutil.copy2(home / "rejects" / "b" / "c" / "IMG_4.jpg", photo)
    real, swapped = held_folder.open_folder_down, []

    def opened_then_swapped(top, folder):
        fd = real(top, folder)
        if not swapped and folder == str(home / "rejects" / "b" / "c"):
            _swap(home / "rejects" / "b", sysdir)
            swapped.append(True)
        return fd

    monkeypatch.setattr(held_folder, "open_folder_down", opened_then_swapped)
    result = _run("undo", home / "Pictures")
    monkeypatch.undo()
    assert swapped, result.output
    assert theirs.read_bytes() == bytes(data), result.output  # root's file stays, as it was
    assert os.path.isfile(photo), result.output
    assert os.listdir(home / "rejects" / "b.made" / "c") == [], result.output  # the copy removed
