"""Undo of a move to a drive whose file system keeps no permissions or owners (FAT, exFAT: every file shows ``0777``,
owned by who mounted it) gave the photos copied back the drive's ``0777`` and owner: a private ``0640`` photo came
back world-writable. The journal now keeps each file's mode, owner and group as the batch took it (schema 5), and
the copy back gets them; a row journaled before (none kept) comes back at most as open as a new file.

The drive is played without a mount: the move is made to copy (as across devices), and the moved copies' modes
set to ``0777`` by hand, as such a drive shows them (``tests/test_fat_drives.py`` has a real exFAT drive, as root)."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from blurscan.actions import journal
from blurscan.cli import main
from blurscan.schema import MIGRATIONS, SCHEMA_VERSION, _split_sql
from blurscan.store import Store
from helpers_library import build_library, decide, force_cross_device, sha


def _moved_as_a_fat_drive_shows(tmp_path, monkeypatch, *, journaled: bool = True):
    """The library's ``IMG_2.jpg`` (and its ``.AAE``) made ``0640``, moved across devices to ``rej`` and shown
    ``0777`` there; ``journaled``: False to take the batch's modes out of its rows, as a blurscan before schema 5
    journaled them. Returns the photo's and its companion's paths and their bytes."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_2"], "discard")
    store.close()
    taken = [f["IMG_2"], os.path.splitext(f["IMG_2"])[0] + ".AAE"]
    for path in taken:
        os.chmod(path, 0o640)
    before = {path: sha(path) for path in taken}
    force_cross_device(monkeypatch)
    runner = CliRunner()
    moved = runner.invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"])
    assert moved.exit_code == 0, moved.output
    copies = [os.path.join(folder, name) for folder, _, names in os.walk(tmp_path / "rej") for name in names]
    assert len(copies) == 2
    for copy in copies:
        assert stat.S_IMODE(os.stat(copy).st_mode) == 0o640  # (a drive with permissions: kept, as before)
        os.chmod(copy, 0o777)
    if not journaled:
        with Store(root / ".blurscan.db") as store, store.transaction() as conn:
            conn.execute("UPDATE journal SET mode = NULL, uid = NULL, gid = NULL")
    return root, before


def test_undo_from_a_drive_without_permissions_gives_the_photos_their_mode_back(tmp_path, monkeypatch):
    root, before = _moved_as_a_fat_drive_shows(tmp_path, monkeypatch)
    mine = os.getuid(), os.getgid()
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert "restored 2 files" in out.output, out.output
    for path, digest in before.items():
        st = os.stat(path)
        assert (sha(path), stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid)) == (digest, 0o640, mine)


def test_undo_of_a_batch_journaled_without_modes_never_brings_a_photo_back_world_writable(tmp_path, monkeypatch):
    """A batch journaled before schema 5 (no mode kept): the drive's ``0777`` comes back as what the umask leaves of a
    new file's ``0666`` (``0644`` under ``022``): the photo's own ``0640`` is not known, and world-writable it never
    was meant to be."""
    root, before = _moved_as_a_fat_drive_shows(tmp_path, monkeypatch, journaled=False)
    old = os.umask(0o022)
    try:
        out = CliRunner().invoke(main, ["undo", str(root)])
    finally:
        os.umask(old)
    assert out.exit_code == 0, out.output
    for path, digest in before.items():
        assert (sha(path), stat.S_IMODE(os.stat(path).st_mode)) == (digest, 0o644)


def test_migration_5_keeps_a_schema_4_journal_its_rows_with_no_mode(tmp_path):
    """A database journaled by a blurscan before schema 5 is upgraded when opened for writing (three columns added,
    empty for its rows), its rows read as before."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for script in MIGRATIONS[:4]:
        for statement in _split_sql(script):
            conn.execute(statement)
    conn.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES ('move', '/x', 1.0, 'done')")
    conn.execute("INSERT INTO journal (batch_id, src, dst, size, state, updated_at, mtime_ns) "
                 "VALUES (1, '/p/a.jpg', '/x/a.jpg', 3, 'done', 1.0, 7)")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Store(db, create=False) as store:
        assert store.schema_version == SCHEMA_VERSION >= 5
        [row] = journal.rows(store, 1)
        assert (row.src, row.mtime_ns, row.mode, row.uid, row.gid) == ("/p/a.jpg", 7, None, None, None)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_journal_row_saying_set_user_id_never_gives_a_photo_copied_back_that_bit(tmp_path, monkeypatch):
    """Whoever may write the database may write its journal: a row saying the photo was root's, ``04755``, makes
    root's undo give the copy back root as its owner and ``0755``, never the set-user-ID bit it never had."""
    root, before = _moved_as_a_fat_drive_shows(tmp_path, monkeypatch)
    with Store(root / ".blurscan.db") as store, store.transaction() as conn:
        conn.execute("UPDATE journal SET mode = ?, uid = 0, gid = 0", (0o4755,))
    for copy in (os.path.join(folder, name) for folder, _, names in os.walk(tmp_path / "rej") for name in names):
        os.chown(copy, 4321, 4322)
        os.chmod(copy, 0o4777)
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    for path in before:
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o755, 0, 0)


def test_a_journal_row_saying_set_user_id_never_adds_it_to_a_copy_that_keeps_its_owner(tmp_path, monkeypatch):
    """The row says ``04755`` and the owner and group the copy at ``--to`` has (no change of owner to clear the bit):
    the copy, ``0755`` there, comes back ``0755``: a set-ID or sticky bit is kept only where the copy has it."""
    root, before = _moved_as_a_fat_drive_shows(tmp_path, monkeypatch)
    with Store(root / ".blurscan.db") as store, store.transaction() as conn:
        conn.execute("UPDATE journal SET mode = ?, uid = ?, gid = ?", (0o4755, os.getuid(), os.getgid()))
    for copy in (os.path.join(folder, name) for folder, _, names in os.walk(tmp_path / "rej") for name in names):
        os.chmod(copy, 0o755)
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    for path in before:
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o755, os.getuid(), os.getgid())
