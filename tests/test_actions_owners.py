"""Run as root over someone's library, ``tag`` gave the sidecars it rewrote or created to root (``0:0``), the undo
of a tag put them back as root's, and the folders undo made again were root's with the umask's mode: the person
could no longer edit their own sidecars. A rewritten sidecar now keeps its owner and group, a created one gets its
photo's, a restored one keeps the sidecar's, and a folder undo makes again gets the owner and group of the photo
put back in it and its parent's mode less the sticky and world-write bits (:mod:`blurscan.actions.owners`), as a
moved photo keeps its owner."""
from __future__ import annotations

import os
import shutil
import stat

import pytest
from click.testing import CliRunner

from blurscan.actions import undo, xmp
from blurscan.cli import main
from helpers_library import build_library, decide
from test_xmp import _tag_library

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can give a file another owner (os.chown)")


def _give_all(root, uid: int, gid: int) -> None:
    for folder, dirs, files in os.walk(root):
        os.chown(folder, uid, gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, gid)


def _owner(path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def test_tag_and_its_undo_keep_the_owners_of_the_sidecars(lib):
    root, store, f = _tag_library(lib)
    _give_all(root, 1234, 1234)
    os.chown(f["IMG_5.xmp"], 1235, 1236)  # a sidecar of another owner than its folder
    os.chown(f["IMG_4"], 1237, 1238)  # a photo without a sidecar, of another owner than its folder
    merged = [f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"]]
    before = {p: _owner(p) for p in merged}
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    created = f["IMG_4"] + ".xmp"
    assert {p: _owner(p) for p in merged} == before
    assert _owner(created) == (1237, 1238)  # its photo's
    back = undo(store)
    assert back.complete and back.removed == [created]
    assert {p: _owner(p) for p in merged} == before


def test_folders_undo_makes_again_get_their_parents_owner_and_mode(tmp_path):
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    _give_all(root, 1234, 1235)
    os.chmod(root, 0o2750)
    runner = CliRunner()
    assert runner.invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    shutil.rmtree(root / "b")  # deleted by hand since
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert os.path.exists(f["IMG_4"]) and _owner(f["IMG_4"]) == (1234, 1235)
    for folder in (root / "b", root / "b" / "c"):
        assert (*_owner(folder), stat.S_IMODE(os.stat(folder).st_mode)) == (1234, 1235, 0o2750)


def test_folders_undo_makes_again_in_a_shared_sticky_folder_are_the_photos_owners(tmp_path):
    """Alice's folders in a root-owned shared ``1777`` folder (``/srv/shared``), deleted since the move: undo made
    them again as root's, ``drwxrwxrwt`` (its parent's owner and whole mode), open to everyone. They get the owner
    and group of the photo put back in them now, and the parent's mode without its sticky and world-write bits."""
    shared = tmp_path / "shared"
    alice = shared / "alice"
    store, f = build_library(alice, db=tmp_path / "lib.db")
    decide(store, f["IMG_4"], "discard")  # alice/b/c/IMG_4.jpg
    store.close()
    _give_all(alice, 1000, 1001)
    for folder, _dirs, _files in os.walk(alice):
        os.chmod(folder, 0o700)
    os.chmod(shared, 0o1777)
    os.chown(shared, 0, 0)
    runner = CliRunner()
    db = ["--db", str(tmp_path / "lib.db")]
    assert runner.invoke(main, ["move", *db, str(alice), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    shutil.rmtree(alice)  # alice removed her folder
    out = runner.invoke(main, ["undo", *db, str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert os.path.exists(f["IMG_4"]) and _owner(f["IMG_4"]) == (1000, 1001)
    for folder in (alice, alice / "b", alice / "b" / "c"):
        assert (*_owner(folder), stat.S_IMODE(os.stat(folder).st_mode)) == (1000, 1001, 0o775), folder


def test_the_database_the_lock_and_the_tag_backups_are_the_library_owners(tmp_path):
    """``sudo blurscan scan ~/Pictures``: the database was root's (its -wal and -shm too, which SQLite gives the
    database file's owner), and so were the actions lock and the tag backups: the person's own later runs met a
    read-only database. What blurscan makes in a library now takes the library folder's owner and group."""
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib)
    sidecar = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>')
    for name in os.listdir(lib):
        if name.endswith((".jpg", ".png")):
            (lib / (name + ".xmp")).write_text(sidecar)
    _give_all(lib, 1234, 1235)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    assert _owner(lib / ".blurscan.db") == (1234, 1235)
    result = runner.invoke(main, ["tag", "--xmp", str(lib)])
    assert result.exit_code == 0 and "merged" in result.output, result.output
    backups = lib / ".blurscan.db.tag-backups"
    made = [backups, *backups.rglob("*")]
    assert len(made) >= 3 and all(_owner(p) == (1234, 1235) for p in made)
    assert _owner(lib / ".blurscan.db.actions.lock") == (1234, 1235)
    for suffix in ("-wal", "-shm"):
        if (lib / f".blurscan.db{suffix}").exists():
            assert _owner(lib / f".blurscan.db{suffix}") == (1234, 1235)


def test_the_review_pages_thumbnails_are_the_library_owners(tmp_path):
    """The review page's ``.blurscan-thumbs`` folder and its thumbnails were root's, 0600: the person's own page
    could not read nor prune them."""
    from blurscan.review.thumbs import ThumbCache, beside
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib)
    _give_all(lib, 1234, 1235)
    photo = next(p for p in lib.iterdir() if p.suffix == ".jpg")
    cache = ThumbCache(beside(lib / ".blurscan.db"))
    st = photo.stat()
    assert cache.get(str(photo), st.st_size, st.st_mtime_ns)[:2] == b"\xff\xd8"
    made = [lib / ".blurscan-thumbs", *(lib / ".blurscan-thumbs").rglob("*")]
    assert len(made) >= 2 and all(_owner(p) == (1234, 1235) for p in made)


def test_folders_move_makes_in_someones_tree_are_that_folders_owners(tmp_path):
    """``sudo blurscan move ~/Pictures --to ~/rejects --yes``: ``~/rejects`` and the folders in it were root's,
    so their owner could neither empty them (``rm: Permission denied``) nor undo the batch (``its folder
    ~/rejects/b is not writable by this user: owner root``). Each folder move makes takes the owner and group of
    the folder it is made in; one made in a root-owned folder stays root's."""
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    decide(store, f["IMG_1"], "discard")
    store.close()
    _give_all(home, 1234, 1235)
    runner = CliRunner()
    out = runner.invoke(main, ["move", str(home / "Pictures"), "--to", str(home / "rejects" / "2024"), "--yes"])
    assert out.exit_code == 0, out.output
    moved = home / "rejects" / "2024" / "b" / "c" / "IMG_4.jpg"
    assert moved.exists() and _owner(moved) == (1234, 1235)
    made = [home / "rejects", home / "rejects" / "2024", home / "rejects" / "2024" / "b", moved.parent]
    assert {str(p): _owner(p) for p in made} == {str(p): (1234, 1235) for p in made}
    out = runner.invoke(main, ["undo", str(home / "Pictures")])
    assert out.exit_code == 0, out.output
    (tmp_path / "Pictures2").mkdir()
    store, f = build_library(tmp_path / "Pictures2")
    decide(store, f["IMG_4"], "discard")
    store.close()
    _give_all(tmp_path / "Pictures2", 1234, 1235)
    out = runner.invoke(main, ["move", str(tmp_path / "Pictures2"), "--to", str(tmp_path / "rej"), "--yes"])
    assert out.exit_code == 0, out.output
    assert _owner(tmp_path / "rej") == (0, 0) and _owner(tmp_path / "rej" / "b" / "c") == (0, 0)  # root's folder


def test_a_trash_made_as_root_in_the_persons_home_is_theirs(tmp_path, monkeypatch):
    """A ``sudo`` that keeps the user's ``HOME`` (macOS's, older Ubuntu's, ``sudo -E``): ``sudo blurscan trash
    --yes`` made ``~/.local`` (and ``share``, ``Trash``, ``files``, ``info``) root's, ``0700``: the person was shut
    out of everything under ``~/.local``, and the root-owned ``0600`` entries hid where each photo came from from
    their desktop's trash and undo. The folders take the owner of the folder each is made in, the entries their
    ``info`` folder's; with root's own ``HOME`` (a root-owned folder) they stay root's."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    _give_all(home, 1234, 1235)
    monkeypatch.setenv("HOME", str(home))
    out = CliRunner().invoke(main, ["trash", str(home / "Pictures"), "--yes"])
    assert out.exit_code == 0, out.output
    trash = home / ".local" / "share" / "Trash"
    made = [home / ".local", trash.parent, trash, trash / "files", trash / "info", trash / "info" / "IMG_4.jpg.trashinfo"]
    assert {str(p): _owner(p) for p in made} == {str(p): (1234, 1235) for p in made}
    assert all(stat.S_IMODE(os.stat(p).st_mode) in (0o700, 0o600) for p in made)
    assert _owner(trash / "files" / "IMG_4.jpg") == (1234, 1235)
    monkeypatch.setenv("HOME", str(tmp_path / "root"))
    (tmp_path / "root").mkdir()
    undone = CliRunner().invoke(main, ["undo", str(home / "Pictures")])
    assert undone.exit_code == 0, undone.output
    store, f = build_library(tmp_path / "lib2")
    decide(store, f["IMG_4"], "discard")
    store.close()
    _give_all(tmp_path / "lib2", 1234, 1235)
    out = CliRunner().invoke(main, ["trash", str(tmp_path / "lib2"), "--yes"])
    assert out.exit_code == 0, out.output
    root_trash = tmp_path / "root" / ".local" / "share" / "Trash"
    assert _owner(root_trash) == (0, 0) and _owner(root_trash / "info" / "IMG_4.jpg.trashinfo") == (0, 0)
