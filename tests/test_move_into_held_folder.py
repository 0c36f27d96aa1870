"""Run as root in someone's tree (``sudo blurscan move --all-blurry --to ~alice/rejects ~alice/Pictures``, and its
undo), the photo's last step, the rename (or across drives its copy's temporary file and rename), goes into its
folder opened from the ``--to`` folder (the library, for undo) down, never through a symbolic link
(:mod:`blurscan.actions.held_folder`). Until 2026-12-06 it went by path: a link alice put in place of a folder of
``--to`` (one the move made or found) once it was made, or of her library's before root's undo, was followed, and
``Pictures/etc/cron.d/x`` went into ``/etc/cron.d`` (here ``sys``, a root folder standing for it)."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.actions import moves
from blurscan.cli import main
from helpers_library import build_library, decide, force_cross_device
from helpers_os import give_all

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root follows anyone's link into a folder of root's")

ALICE = (1234, 1235)


@pytest.fixture
def tree(tmp_path):
    """Alice's ``home`` with ``Pictures/b/c/IMG_4.jpg`` marked discard, and ``sys``, a folder of root's with a
    ``c`` in it (where a link in place of ``b`` leads)."""
    home, sysdir = tmp_path / "home", tmp_path / "sys"
    (sysdir / "c").mkdir(parents=True)
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    return home, sysdir, f["IMG_4"]


def _swap(folder, to) -> None:
    """Alice: ``folder`` moved aside, a link to ``to`` in its place."""
    os.rename(folder, f"{folder}.made")
    os.symlink(to, folder)


def _fresh(folder) -> None:
    """``folder`` (root's, where the link leads) modified now: an empty folder older than the batch behind the
    link is refused as the empty mount point of a drive not mounted (``drives.unplugged``: "it looks like a drive
    not mounted"), before the link is looked at. Both refuse, and nothing goes through the link; these tests are
    about the link's refusal, which a loaded machine (over 2 s from the tree made to the undo) turned into the
    other one."""
    os.utime(folder)


def _move(home):
    return CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(home / "rejects"), "--yes"])


@pytest.mark.parametrize("found", [False, True], ids=["made", "found"])
@pytest.mark.parametrize("across_drives", [False, True], ids=["rename", "copy"])
def test_a_link_swapped_in_for_a_folder_of_to_before_the_rename_is_not_followed(tree, monkeypatch, found,
                                                                                across_drives):
    """The link put in place of ``rejects/b`` once the folders are made (or found: an earlier move's), before
    the rename: the photo fails, naming the link, and stays; nothing goes where the link leads."""
    home, sysdir, photo = tree
    if found:
        (home / "rejects" / "b" / "c").mkdir(parents=True)
    give_all(home, ALICE)
    if across_drives:
        force_cross_device(monkeypatch)
    real, swapped = moves.fsync_made, []

    def made_then_swapped(made):  # (just after the folders are made, the seam before the rename)
        real(made)
        if not swapped:
            _swap(home / "rejects" / "b", sysdir)
            swapped.append(True)

    monkeypatch.setattr(moves, "fsync_made", made_then_swapped)
    result = _move(home)
    monkeypatch.undo()
    assert swapped
    assert os.listdir(sysdir / "c") == [], result.output  # nothing moved (nor copied) into root's folder
    assert os.path.isfile(home / "Pictures" / "b" / "c" / "IMG_4.jpg"), result.output  # (the photo stays)
    assert f"{home / 'rejects' / 'b'} is a symbolic link where a folder is (never followed)" in result.output
    assert f"failed: {photo}" in result.output


def test_a_link_swapped_in_as_the_rename_begins_leaves_the_photo_in_the_folder_held(tree, monkeypatch):
    """Swapped once the folder is held open, just as the rename begins: the photo goes into the folder that was
    made (now aside), never where the link leads."""
    home, sysdir, _photo = tree
    give_all(home, ALICE)
    real, swapped = moves._rename_noreplace, []

    def swapped_then_renamed(src, dst):
        if not swapped and os.path.basename(src) == "IMG_4.jpg":
            _swap(home / "rejects" / "b", sysdir)
            swapped.append(True)
        return real(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", swapped_then_renamed)
    result = _move(home)
    monkeypatch.undo()
    assert swapped
    assert os.listdir(sysdir / "c") == [], result.output
    assert os.path.isfile(home / "rejects" / "b.made" / "c" / "IMG_4.jpg"), result.output


def test_undo_puts_nothing_back_through_a_link_put_in_the_library(tree):
    """``sudo blurscan undo ~alice/Pictures`` once alice put a link in place of ``Pictures/b``: the real command,
    no seam. The photo stays in ``--to``, the link named."""
    home, sysdir, _photo = tree
    give_all(home, ALICE)
    assert "moved 1 photo" in _move(home).output
    _swap(home / "Pictures" / "b", sysdir)
    _fresh(sysdir / "c")
    result = CliRunner().invoke(main, ["undo", str(home / "Pictures")])
    assert result.exit_code == 1, result.output
    assert os.listdir(sysdir / "c") == [], result.output
    assert os.path.isfile(home / "rejects" / "b" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'Pictures' / 'b'} is a symbolic link where a folder is (never followed)" in result.output


@pytest.mark.parametrize("across_drives", [False, True], ids=["rename", "copy"])
def test_a_link_swapped_in_for_the_to_folder_itself_is_not_followed(tree, monkeypatch, across_drives):
    """Alice puts a link in place of ``rejects`` itself (``rejects`` -> ``/``) once the folders are made: the
    ``--to`` folder is reached from ``/`` down as the folders below it are, and her link, in her folder, leading to
    a folder of root's, is not followed. Until 2026-12-06 the ``--to`` folder was opened by its path, and the photo
    went into root's ``b/c`` (``/etc/cron.d`` in her ``Pictures/etc/cron.d``'s case)."""
    home, _sysdir, photo = tree
    rootdir = home.parent / "root"
    (rootdir / "b" / "c").mkdir(parents=True)  # (root's, where her link leads: ``/`` and its ``etc/cron.d``)
    give_all(home, ALICE)
    if across_drives:
        force_cross_device(monkeypatch)
    real, swapped = moves.fsync_made, []

    def made_then_swapped(made):
        real(made)
        if not swapped:
            _swap(home / "rejects", rootdir)
            swapped.append(True)

    monkeypatch.setattr(moves, "fsync_made", made_then_swapped)
    result = _move(home)
    monkeypatch.undo()
    assert swapped
    assert os.listdir(rootdir / "b" / "c") == [], result.output  # nothing moved (nor copied) into root's folder
    assert os.path.isfile(home / "Pictures" / "b" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'rejects'} is a symbolic link where a folder is (never followed)" in result.output
    assert f"failed: {photo}" in result.output


def test_a_link_of_roots_own_as_the_to_folder_is_followed(tree):
    """``--to`` given as root's own link (in a folder only root writes) to a folder of alice's: followed, as the
    folder named (the photo goes there)."""
    home, _sysdir, _photo = tree
    (home / "elsewhere").mkdir()
    give_all(home, ALICE)
    link = home.parent / "rejects-link"
    os.symlink(home / "elsewhere", link)
    result = CliRunner().invoke(main, ["move", str(home / "Pictures"), "--to", str(link), "--yes"])
    assert result.exit_code == 0, result.output
    assert os.path.isfile(home / "elsewhere" / "b" / "c" / "IMG_4.jpg"), result.output


@pytest.fixture()
def other_tree(tmp_path):
    """A folder that shares no folder but ``/`` with ``tmp_path`` (in /dev/shm), removed after the test."""
    import shutil
    import tempfile

    if not os.path.isdir("/dev/shm") or str(tmp_path).split(os.sep)[1] == "dev":
        pytest.skip("needs /dev/shm, apart from the temporary folder")
    try:
        folder = tempfile.mkdtemp(prefix="blurscan-test-", dir="/dev/shm")
    except OSError as exc:
        pytest.skip(f"cannot make a folder in /dev/shm: {exc}")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_undo_of_photos_sharing_no_folder_but_root_puts_nothing_back_through_a_link(tree, other_tree):
    """The library's database also holds a folder scanned elsewhere (``sudo blurscan scan ~alice/Pictures
    /srv/b --db x.db``): its photos share no folder but ``/``, so there is no library folder, and until 2026-12-06
    root's ``undo`` put the photo back by its path, through the link alice put in place of ``Pictures/b`` (into
    root's ``c``: ``/etc/cron.d``). The photo is put back from its scanned folder down, as ``move`` takes it."""
    import shutil

    home, sysdir, _photo = tree
    db = str(home / "Pictures" / ".blurscan.db")
    shutil.copy(home / "Pictures" / "a" / "IMG_3.jpg", os.path.join(other_tree, "x.jpg"))
    assert CliRunner().invoke(main, ["scan", other_tree, "--db", db]).exit_code == 0
    give_all(home, ALICE)
    moved = CliRunner().invoke(main, ["move", "--to", str(home / "rejects"), "--yes", "--db", db])
    assert "moved 1 photo" in moved.output, moved.output
    _swap(home / "Pictures" / "b", sysdir)
    _fresh(sysdir / "c")
    result = CliRunner().invoke(main, ["undo", "--db", db])
    assert os.listdir(sysdir / "c") == [], result.output  # nothing put into root's folder
    # (the photo stays in --to, under the name of its library's folder: actions.root_layout)
    assert os.path.isfile(home / "rejects" / "Pictures" / "b" / "c" / "IMG_4.jpg"), result.output
    assert f"{home / 'Pictures' / 'b'} is a symbolic link where a folder is (never followed)" in result.output
    assert result.exit_code == 1, result.output
