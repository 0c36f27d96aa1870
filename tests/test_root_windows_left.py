"""Windows left open in root's runs in someone's tree (``sudo blurscan undo ~alice/Pictures``), closed: what
the person may swap in meanwhile (a link in place of a folder) is never followed by a step that went by path."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from blurscan.actions import moves
from blurscan.actions.moves import temp_name
from helpers_cli import run
from helpers_library import build_library, decide
from helpers_os import give_all, users_known

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="only root's runs go through folders held open")
ALICE = (1234, 1235)


@AS_ROOT
def test_undo_never_removes_a_leftover_copy_through_a_link_put_in_place_of_a_to_folder(tmp_path):
    """Alice puts a link in place of ``rejects/b`` (to a root folder holding a root file named as the move's
    unfinished copy would be) before root's undo: undo removed that root file, by path, as the copy an interrupted
    move left. It is now looked for in the folder opened from ``--to`` down: the photo fails, naming the link."""
    lib, rejects, secret = tmp_path / "lib", tmp_path / "rejects", tmp_path / "root-folder"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(lib, ALICE)
    rejects.mkdir()
    os.chown(rejects, *ALICE)
    moved = run("move", lib, "--to", rejects, "--yes")
    assert moved.exit_code == 0, moved.output
    (secret / "c").mkdir(parents=True)
    roots = [secret / "c" / os.path.basename(temp_name(str(rejects / "b" / "c" / "IMG_4.jpg"), row))
             for row in range(1, 4)]
    for path in roots:
        path.write_bytes(b"root's own")
        os.chmod(path, 0o600)
    os.rename(rejects / "b", tmp_path / "b.away")  # (alice's doing: her folder)
    os.symlink(secret, rejects / "b")
    os.lchown(rejects / "b", *ALICE)

    out = run("undo", lib)
    assert all(path.read_bytes() == b"root's own" for path in roots), out.output
    assert out.exit_code == 1, out.output
    assert f"{rejects / 'b'} is a symbolic link where a folder is (never followed)" in out.stderr, out.stderr
    assert "unfinished copy" not in out.output


@AS_ROOT
def test_move_makes_no_folder_through_a_link_put_in_place_of_the_folder_above_those_it_makes(tmp_path, monkeypatch):
    """``rejects/b`` is there and ``rejects/b/c`` is to be made: alice puts a link to a root folder in place of
    ``rejects/b`` once the move has found which folders are missing. The folder above those to make was opened by
    its path, and root made ``c`` in the root folder (the photo itself then refused); it is now opened from
    ``--to`` down: nothing is made there, and the photo fails, naming the link."""
    lib, rejects, secret = tmp_path / "lib", tmp_path / "rejects", tmp_path / "root-folder"
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(lib, ALICE)
    (rejects / "b").mkdir(parents=True)
    give_all(rejects, ALICE)
    secret.mkdir()
    real, swapped = moves.missing_folders, []

    def missing_then_swapped(folder):
        made = real(folder)
        if made and not swapped:  # (alice's doing: her folder)
            os.rename(rejects / "b", tmp_path / "b.away")
            os.symlink(secret, rejects / "b")
            swapped.append(made)
        return made

    monkeypatch.setattr(moves, "missing_folders", missing_then_swapped)
    out = run("move", lib, "--to", rejects, "--yes")
    assert swapped, out.output
    assert os.listdir(secret) == [], out.output
    assert f"{rejects / 'b'} is a symbolic link where a folder is (never followed)" in out.stderr, out.stderr
    assert os.path.isfile(f["IMG_4"])


def _root_files(tmp_path, mode=0o644):
    """Two root files (``mode``, some bytes) on the library's drive: what a hard link alice put at ``-wal`` or
    ``-shm`` would name (the links are made by root here: the protection stops a user making them)."""
    secrets = [tmp_path / "root-a", tmp_path / "root-b"]
    for path in secrets:
        path.write_bytes(b"root's own bytes\n" * 4)
        os.chmod(path, mode)
    return secrets


@AS_ROOT
@pytest.mark.slow  # (SQLite, refused the -shm for writing, waits out the busy timeout before it gives up: 10 s)
@pytest.mark.parametrize("command", ["report", "scan"])
def test_a_hard_link_put_at_the_wal_and_shm_after_the_look_is_not_written(monkeypatch, command):
    """SQLite opens the ``-wal`` and ``-shm`` at the connection's first read, after blurscan looked at their names:
    alice puts hard links to root files there just then. Root's SQLite gave them to alice and cut the ``-shm``
    to 3 bytes; the first read now has the database owner's rights, which the root files refuse."""
    from blurscan import fs_owner
    from blurscan import store as store_module

    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)  # (as with fs.protected_hardlinks=0:
    # this machine's kernel refuses alice such links, so the test makes them as root, in her place)
    base = Path(tempfile.mkdtemp(prefix="blurscan-root-"))  # (a path alice may go through: not pytest's 0700)
    os.chmod(base, 0o755)
    try:
        _the_window(base, monkeypatch, command, store_module)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@AS_ROOT
def test_a_root_file_roots_group_may_write_is_not_written_either(monkeypatch):
    """Run with sudo, root's supplementary groups are ``[0]``, and the system checks them with the file-system
    ids: a root file its group may write (``root:root`` 0660) linked at ``-wal`` and ``-shm`` is refused too, the
    thread's groups alice's meanwhile (with root's kept, the ``-shm``'s root file was written), and root's after."""
    from blurscan import fs_owner
    from blurscan import store as store_module

    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)  # (as with fs.protected_hardlinks=0)
    base = Path(tempfile.mkdtemp(prefix="blurscan-root-"))
    os.chmod(base, 0o755)
    groups = os.getgroups()
    os.setgroups([0])  # (as sudo leaves them)
    try:
        _the_window(base, monkeypatch, "report", store_module, mode=0o660)
        assert os.getgroups() == [0]  # (given back)
    finally:
        os.setgroups(groups)
        shutil.rmtree(base, ignore_errors=True)


def _the_window(base, monkeypatch, command, store_module, mode=0o644):
    lib = base / "lib"
    store, _f = build_library(lib)
    store.close()
    give_all(lib, ALICE)
    secrets = _root_files(base, mode)
    db = str(lib / ".blurscan.db")
    real, swapped = store_module.check_ours, []

    asked, done = threading.Event(), threading.Event()

    def link():  # (a thread started as root: one started from the reading thread would share its rights)
        if not asked.wait(60):
            return
        for secret, side in zip(secrets, (db + "-wal", db + "-shm")):
            if os.path.lexists(side):
                os.unlink(side)
            os.link(secret, side)
        swapped.append(side)
        done.set()

    def linked_then_read(conn, path):
        if not asked.is_set():  # (alice's doing, in the moment between blurscan's look and SQLite's open)
            asked.set()
            done.wait(60)
        return real(conn, path)

    other = threading.Thread(target=link)
    other.start()
    monkeypatch.setattr(store_module, "check_ours", linked_then_read)
    try:
        out = run(command, lib, "--model", "none") if command == "scan" else run(command, lib)
    finally:
        monkeypatch.undo()
        asked.set()
        other.join()
    assert swapped, out.output
    for secret in secrets:
        st = os.stat(secret)
        assert (st.st_uid, st.st_gid, st.st_size) == (0, 0, 68), out.output
        assert secret.read_bytes() == b"root's own bytes\n" * 4
    assert out.exit_code == 1, out.output
    assert "another name" in out.output, out.output


def _alice(monkeypatch) -> tuple[int, int]:
    """``ALICE`` known to the system by her name, alice (this test's user database: helpers_os.users_known): her
    number and group. Until 2026-12-07 the tests took the machine's own user alice, and skipped where there was
    none (a fresh machine, CI: they never ran there)."""
    users_known(monkeypatch, {ALICE[0]: ("alice", ALICE[1], [])}, {ALICE[1]: "alice"})
    return ALICE


def _roots_own(folder: Path, names: list[str]) -> list[Path]:
    """Root's own ``0600`` files of these names in ``folder`` (made), what must stay as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"root's own")
        os.chmod(folder / name, 0o600)
    return [folder / name for name in names]


@AS_ROOT
def test_undo_never_removes_an_earlier_undos_leftover_through_a_link_put_in_place_of_a_library_folder(tmp_path,
                                                                                                      monkeypatch):
    """``sudo blurscan undo ~alice/Pictures`` after a move: alice puts a link in place of ``b`` in her library
    (to a root folder holding root files named as an earlier undo's unfinished copy of ``b/c/IMG_4.jpg`` would be).
    That copy is looked for in the folder opened from the library down: the photo fails, naming the link, and
    root's files stay (a mutant removing it by path lived)."""
    alice = _alice(monkeypatch)
    lib, rejects, secret = tmp_path / "lib", tmp_path / "rejects", tmp_path / "root-folder"
    os.chmod(tmp_path, 0o755)
    store, f = build_library(lib)
    decide(store, f["IMG_4"], "discard")  # b/c/IMG_4.jpg
    store.close()
    give_all(lib, alice)
    rejects.mkdir()
    os.chown(rejects, *alice)
    moved = run("move", lib, "--to", rejects, "--yes")
    assert moved.exit_code == 0, moved.output
    roots = _roots_own(secret / "c", [os.path.basename(temp_name(str(lib / "b" / "c" / "IMG_4.jpg"), f"undo{row}"))
                                       for row in range(1, 4)])
    os.rename(lib / "b", tmp_path / "b.away")  # (alice's doing: her folder)
    os.symlink(secret, lib / "b")
    os.lchown(lib / "b", *alice)

    out = run("undo", lib)
    assert all(path.read_bytes() == b"root's own" for path in roots), out.output
    assert out.exit_code == 1, out.output
    assert f"{lib / 'b'} is a symbolic link where a folder is (never followed)" in out.stderr, out.stderr
    assert "unfinished copy" not in out.output
    assert (rejects / "b" / "c" / "IMG_4.jpg").is_file()  # (the photo where the move put it)


@AS_ROOT
def test_undo_never_removes_a_trash_leftover_through_a_link_put_in_place_of_the_trash_folder(tmp_path, monkeypatch):
    """``sudo blurscan trash`` with alice's ``HOME`` kept (the batch in her trash), then alice puts a link in place
    of her trash's ``files`` folder (to a root folder holding root files named as the move's unfinished copy of
    the trashed photo would be) before ``sudo blurscan undo``: that copy is looked for in the trash's folder
    opened without following a link, the photo fails, naming the link, and root's files stay (a mutant removing
    it by path lived)."""
    alice = _alice(monkeypatch)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    os.chmod(tmp_path, 0o755)
    home = tmp_path / "home"
    store, f = build_library(home / "Pictures")
    decide(store, f["IMG_4"], "discard")
    store.close()
    give_all(home, alice)
    monkeypatch.setenv("HOME", str(home))
    trashed = run("trash", home / "Pictures", "--yes")
    assert trashed.exit_code == 0, trashed.output
    files = home / ".local" / "share" / "Trash" / "files"
    assert (files / "IMG_4.jpg").is_file(), trashed.output
    secret = tmp_path / "root-folder"
    roots = _roots_own(secret, [os.path.basename(temp_name(str(files / "IMG_4.jpg"), row)) for row in range(1, 4)])
    os.rename(files, files.with_name("files.away"))  # (alice's doing: her trash)
    os.symlink(secret, files)
    os.lchown(files, *alice)

    out = run("undo", home / "Pictures")
    assert all(path.read_bytes() == b"root's own" for path in roots), out.output
    assert out.exit_code == 1, out.output
    assert "unfinished copy" not in out.output
    assert not (home / "Pictures" / "b" / "c" / "IMG_4.jpg").exists()
