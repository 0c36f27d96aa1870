"""Run as root, the database owner's rights that SQLite's first read is made with (:mod:`blurscan.fs_owner`) are
all of theirs: their groups too, and given back to root after, whatever happened meanwhile."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from blurscan import fs_owner
from helpers_cli import run
from helpers_library import build_library
from helpers_os import give_all, users_known, users_unknown

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not os.path.exists("/proc/self/task"),
                             reason="only root's runs take the database owner's rights (Linux)")
ALICE, BOB, PHOTOS = (64531, 64541), 64532, 64540  # (alice, of her own group; bob; the group both belong to)


def _thread_ids() -> tuple[str, str, str]:
    """This thread's file-system user and group (the Uid and Gid lines' 4th fields) and its groups, as Linux
    has them."""
    lines = dict(line.split(":", 1) for line in Path(f"/proc/self/task/{fs_owner_tid()}/status").read_text()
                 .splitlines() if ":" in line)
    return lines["Uid"].split()[3], lines["Gid"].split()[3], lines["Groups"].strip()


def fs_owner_tid() -> int:
    import threading

    return threading.get_native_id()


@pytest.fixture
def shared_by_group():
    """``base/photos``: a folder of bob's of the group ``photos``, mode 0775 (not set-group-ID), its photos bob's;
    the database in it alice's, of her own group, as her own scan made it (she writes there as a member of
    ``photos``). ``base`` is open to every user (pytest's own folder is root's 0700 when run as root)."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-group-"))
    os.chmod(base, 0o755)
    lib = base / "photos"
    store, _files = build_library(lib)
    store.close()
    give_all(lib, (BOB, PHOTOS))
    for folder, _dirs, names in os.walk(lib):
        os.chmod(folder, 0o775)
        for name in names:
            os.chmod(os.path.join(folder, name), 0o664)
    os.chown(lib / ".blurscan.db", *ALICE)
    try:
        yield lib
    finally:
        shutil.rmtree(base, ignore_errors=True)


@AS_ROOT
def test_root_scans_a_library_its_database_owner_writes_through_a_group(shared_by_group, monkeypatch):
    """``sudo blurscan scan /srv/photos``, a folder of bob's that alice writes as a member of its group: SQLite's
    first read, made with alice's user and her database's group alone, could not make the ``-wal`` there, and the
    scan failed ('SQLite could open the database for reading only'). Her groups are hers too now."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)  # (the owner's rights taken at all)
    # (the system's list of alice's groups: these numbers have no entry in /etc/passwd and /etc/group)
    monkeypatch.setattr(fs_owner, "_groups_of", lambda uid, gid: [ALICE[1], PHOTOS] if uid == ALICE[0] else [gid],
                        raising=False)
    before = _thread_ids()
    out = run("scan", shared_by_group, "--model", "none")
    assert out.exit_code == 0, out.output
    assert "reading only" not in out.output
    assert _thread_ids() == before  # (root's own again)
    assert not os.path.exists(str(shared_by_group / ".blurscan.db-wal"))  # (closed: checkpointed and removed)
    reported = run("report", shared_by_group, "--format", "jsonl")
    assert reported.exit_code == 0, reported.output
    assert reported.output.count("\n") == 6, reported.output


@AS_ROOT
def test_root_is_itself_again_after_an_interrupt_inside_the_owners_rights(tmp_path, monkeypatch):
    """A Ctrl-C (``KeyboardInterrupt``) raised while the thread has the owner's rights, before the block's own
    ``try``: the thread stayed alice's for the rest of the run (its cleanup, its messages). Given back now."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)  # (the owner's rights taken at all)
    base = Path(tempfile.mkdtemp(prefix="blurscan-int-"))
    try:
        os.chmod(base, 0o755)
        db = base / "lib" / ".blurscan.db"
        db.parent.mkdir()
        db.write_bytes(b"")
        give_all(base / "lib", ALICE)
        before = _thread_ids()
        real = os.stat

        def interrupted(path, *args, **kwargs):
            if os.fspath(path) == str(db.parent) and _thread_ids()[0] != "0":  # (alice's rights: in the block)
                raise KeyboardInterrupt
            return real(path, *args, **kwargs)

        monkeypatch.setattr(fs_owner.os, "stat", interrupted)
        try:
            with pytest.raises(KeyboardInterrupt):
                with fs_owner.as_owner_of(str(db)):
                    pass
        finally:
            monkeypatch.undo()
            after = _thread_ids()
            calls = fs_owner._setfs()
            calls[0](0)  # (this test's process root's again, whatever happened)
            calls[1](0)
        assert after == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_users_groups_are_looked_up_by_the_system():
    """Root's groups hold root's own; a user the system does not know has the database's group alone."""
    assert 0 in fs_owner._groups_of(0, 0)
    assert fs_owner._groups_of(64999, 64998) == [64998]


def _alices_library(base: Path) -> Path:
    """A scanned library of alice's, ``base / "lib"`` (``base`` made a path alice may go through: not pytest's 0700
    folders), its database hers."""
    os.chmod(base, 0o755)
    lib = base / "lib"
    store, _f = build_library(lib)
    store.close()
    give_all(lib, ALICE)
    return lib


@AS_ROOT
def test_where_the_kernel_refuses_links_to_others_files_root_scans_with_its_own_rights(tmp_path, monkeypatch):
    """With ``fs.protected_hardlinks=1`` (the major distributions' default) no one can link a root file at a
    ``-wal``: root's first read keeps root's rights, so a ``-wal`` left root's beside alice's database (by an
    earlier program) is used as before, where alice's rights made the scan fail ('reading only'). Where such
    links are allowed, the owner's rights are taken: the scan refuses that file rather than write it."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-own-"))
    try:
        lib = _alices_library(base)
        left = (lib / ".blurscan.db-wal", lib / ".blurscan.db-shm")
        for side in left:
            side.write_bytes(b"")  # (root's, 0644: left by an earlier program)
            assert os.stat(side).st_uid == 0
        monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: False)
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_6.jpg")  # (a new photo: the scan writes)
        out = run("scan", lib, "--model", "none")
        assert out.exit_code == 0, out.output
        assert "reading only" not in out.output and "IMG_6.jpg" in out.output
        for side in left:
            side.write_bytes(b"")
            os.chown(side, 0, 0)
        monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_7.jpg")
        refused = run("scan", lib, "--model", "none")
        assert refused.exit_code != 0, refused.output
        assert "-wal file" in refused.output and "may not be written by" in refused.output  # (not 'reading only')
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_kernels_hard_link_rule_is_read_from_proc(monkeypatch):
    """``fs.protected_hardlinks`` as /proc says it: 0 lets a user link others' files, anything else does not;
    unreadable (not Linux) is taken as 'may'."""
    import builtins

    real = builtins.open
    for text, expected in (("0\n", True), ("1\n", False), (None, True)):
        def fake(path, *args, _text=text, **kwargs):
            if path == "/proc/sys/fs/protected_hardlinks":
                if _text is None:
                    raise FileNotFoundError(path)
                import io
                return io.StringIO(_text)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake)
        try:
            assert fs_owner.others_files_linkable() is expected
        finally:
            monkeypatch.setattr(builtins, "open", real)


@AS_ROOT
def test_roots_scan_names_the_wal_and_folder_its_database_owner_may_not_write(monkeypatch):
    """Where users may link others' files (``fs.protected_hardlinks=0``), root's first read has the database
    owner's rights: a ``-wal`` left root's beside alice's database, or bob's database in alice's folder (where bob
    may not make files), made ``sudo blurscan scan LIB`` fail 'SQLite could open the database for reading only
    ... an I/O error of the drive ...', which sent the person to their drive. The file or folder is named now,
    whose it is, and what to do. Alice and bob have no name here (helpers_os.users_unknown): they are ``user N``
    (until 2026-12-07 a bare number: 'may not be written by 64531, ...', 'owner 64531, mode 0755')."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)
    users_unknown(monkeypatch, (ALICE[0], BOB))
    base = Path(tempfile.mkdtemp(prefix="blurscan-why-"))
    try:
        lib = _alices_library(base)
        wal = lib / ".blurscan.db-wal"
        wal.write_bytes(b"")  # (root's, 0644: left by an earlier program; the -shm SQLite makes, alice's)
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_6.jpg")  # (a new photo: the scan writes)
        out = run("scan", lib, "--model", "none")
        assert out.exit_code != 0, out.output
        line = " ".join(out.output.split())  # (the message as one line, whatever the terminal's width)
        assert "reading only" not in line and "I/O error" not in line
        alice, bob = f"user {ALICE[0]}", f"user {BOB}"
        assert f"its -wal file {wal} (owner root, mode 0644) may not be written by {alice}, the database's owner" \
            in line, line
        assert "its -shm file" not in line  # (the -shm, alice's, is not blamed)
        assert f"give it to {alice} (chown)" in line and f"run blurscan as {alice}" in line
        assert wal.stat().st_uid == 0 and wal.stat().st_size == 0  # (left as it was)

        wal.unlink()
        for side in (lib / ".blurscan.db-shm",):
            side.unlink(missing_ok=True)
        os.chown(lib / ".blurscan.db", BOB, BOB)  # (bob's database in alice's folder, 0755)
        out = run("scan", lib, "--model", "none")
        assert out.exit_code != 0, out.output
        line = " ".join(out.output.split())
        assert "reading only" not in line and "I/O error" not in line
        assert f"its folder {lib} (owner {alice}, mode 0755) may not be written by {bob}, the database's owner" \
            in line, line
        assert f"give the database to one who may write the folder ({alice}: chown)" in line
        assert not wal.exists()

        os.chown(lib / ".blurscan.db", *ALICE)  # (the owner may write them all: the scan goes on)
        again = run("scan", lib, "--model", "none")
        assert again.exit_code == 0, again.output
        assert "IMG_6.jpg" in again.output
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_no_owners_refusal_is_told_where_no_rights_are_taken(tmp_path, monkeypatch):
    """Not root, or where the kernel refuses links to others' files: root's SQLite uses root's rights, and the
    reason stays the one the permissions show (None here)."""
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: False)
    assert fs_owner.owners_refusal(str(db)) is None


def _named_alice(monkeypatch) -> tuple[int, int]:
    """``ALICE`` known to the system by her name, alice (this test's user database: helpers_os.users_known): her
    number and group. Until 2026-12-07 the tests took the machine's own user alice, and skipped where there was
    none (a fresh machine, CI: they never ran there)."""
    users_known(monkeypatch, {ALICE[0]: ("alice", ALICE[1], [])}, {ALICE[1]: "alice"})
    return ALICE


@AS_ROOT
def test_root_scans_with_its_own_rights_a_database_of_alices_in_a_root_folder(monkeypatch):
    """``sudo blurscan scan /srv/photos``, a folder of root's (0755) holding a database the administrator gave
    to alice: no one but root can put a link there, so root's SQLite keeps root's rights (with alice's, it could
    make no ``-wal`` in root's folder: 'reading only', her name blamed). A mutant taking her rights there lived."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)  # (the owner's rights taken elsewhere)
    alice = _named_alice(monkeypatch)
    base = Path(tempfile.mkdtemp(prefix="blurscan-rootdir-"))
    try:
        os.chmod(base, 0o755)
        lib = base / "photos"
        store, _files = build_library(lib)
        store.close()
        os.chmod(lib, 0o755)
        os.chown(lib / ".blurscan.db", *alice)
        assert fs_owner.owners_refusal(str(lib / ".blurscan.db")) is None
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_6.jpg")  # (a new photo: the scan writes)
        out = run("scan", lib, "--model", "none")
        assert out.exit_code == 0, out.output
        assert "IMG_6.jpg" in out.output and "alice" not in out.output and "reading only" not in out.output
        assert (lib / ".blurscan.db").stat().st_uid == alice[0]  # (still hers)
        reported = run("report", lib, "--format", "jsonl")
        assert reported.exit_code == 0, reported.output
        assert reported.output.count("\n") == 7, reported.output
    finally:
        shutil.rmtree(base, ignore_errors=True)


@AS_ROOT
def test_roots_scan_names_alice_whose_database_has_a_wal_and_shm_of_roots_beside_it(monkeypatch):
    """As :func:`test_roots_scan_names_the_wal_and_folder_its_database_owner_may_not_write`, with the system's
    own user alice and both side files root's: the message names her by her name, not her number, and both files
    ("give them") (mutants naming the owner by number, the tests' users having no name, or saying "give it" of
    two files lived)."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)
    alice = _named_alice(monkeypatch)
    base = Path(tempfile.mkdtemp(prefix="blurscan-name-"))
    try:
        os.chmod(base, 0o755)
        lib = base / "lib"
        store, _f = build_library(lib)
        store.close()
        give_all(lib, alice)
        wal, shm = lib / ".blurscan.db-wal", lib / ".blurscan.db-shm"
        for side in (wal, shm):
            side.write_bytes(b"")  # (root's, 0644: left by an earlier program)
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_6.jpg")
        out = run("scan", lib, "--model", "none")
        assert out.exit_code != 0, out.output
        line = " ".join(out.output.split())
        assert (f"its -wal file {wal} (owner root, mode 0644) and its -shm file {shm} (owner root, mode 0644) may not "
                "be written by alice, the database's owner") in line, line
        assert "give them to alice (chown)" in line and "run blurscan as alice" in line and str(alice[0]) not in line
        assert wal.stat().st_uid == shm.stat().st_uid == 0 and shm.stat().st_size == 0  # (left as they were)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@AS_ROOT
def test_root_scans_with_its_own_rights_a_database_of_alices_in_a_folder_she_cannot_reach(monkeypatch):
    """Alice's library inside a folder of root's she may not go through (``0700``): she cannot put a link there,
    so root's SQLite keeps root's rights (with hers it could open nothing there). A mutant keeping her rights
    there lived."""
    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)
    alice = _named_alice(monkeypatch)
    base = Path(tempfile.mkdtemp(prefix="blurscan-shut-"))
    try:
        os.chmod(base, 0o700)
        lib = base / "photos"
        store, _files = build_library(lib)
        store.close()
        give_all(lib, alice)
        shutil.copy(lib / "a" / "IMG_3.jpg", lib / "a" / "IMG_6.jpg")  # (a new photo: the scan writes)
        before = _thread_ids()
        out = run("scan", lib, "--model", "none")
        assert out.exit_code == 0, out.output
        assert "IMG_6.jpg" in out.output and "reading only" not in out.output
        assert _thread_ids() == before
        assert (lib / ".blurscan.db").stat().st_uid == alice[0]
    finally:
        shutil.rmtree(base, ignore_errors=True)
