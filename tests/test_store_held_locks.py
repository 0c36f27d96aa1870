"""A database this process has connections to is never opened outside SQLite.

On POSIX, closing any descriptor of a file drops every lock the process holds on it, SQLite's too. The review
server opens a connection per request in many threads, and each ``Store`` read the file's header with
``open()``/``close()`` first: the connections of the other threads lost their locks, so another process
closing its connection (a second review page, ``blurscan bursts``) took itself for the last user, checkpointed
and deleted the ``-wal`` and ``-shm`` files, and the server went on writing into deleted ones: decisions
answered as stored were lost, and the database could be corrupted (2026-12-04).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from blurscan import dbfile
from blurscan.errors import StoreError
from blurscan.review import prune
from blurscan.store import Store


def _other_process_reads_and_closes(db) -> None:
    code = (f"import sqlite3; c = sqlite3.connect({str(db)!r}); "
            "c.execute('SELECT count(*) FROM images').fetchone(); c.close()")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _write_after(store: Store, db) -> int:
    """Write a row with ``store``, then count the rows another process sees."""
    store.conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'stored')")
    code = (f"import sqlite3; c = sqlite3.connect({str(db)!r}); "
            "print(c.execute(\"SELECT count(*) FROM meta WHERE key = 'probe'\").fetchone()[0])")
    return int(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                              timeout=120).stdout)


def test_a_second_connection_leaves_the_first_ones_locks_and_another_process_its_wal(tmp_path):
    db = tmp_path / ".blurscan.db"
    Store(db).close()
    first = Store(db)
    try:
        first.conn.execute("SELECT count(*) FROM images").fetchone()
        Store(db).close()  # another request's connection, opened and closed meanwhile
        _other_process_reads_and_closes(db)
        # this process still uses the database: the other one was not the last, so it left the WAL alone
        assert (tmp_path / ".blurscan.db-wal").exists() and (tmp_path / ".blurscan.db-shm").exists()
        assert _write_after(first, db) == 1  # what this process writes is there for others to read
    finally:
        first.close()
    assert not dbfile.held_here(str(db))


def test_held_is_counted_per_connection_and_a_failed_open_is_not_held(tmp_path):
    db = str(tmp_path / "lib.db")
    link = str(tmp_path / "link.db")
    a = Store(db)
    os.symlink(db, link)
    b = Store(link)  # another name of the same file
    assert dbfile.held_here(db) and dbfile.held_here(link)
    a.close()
    assert dbfile.held_here(db)
    b.close()
    b.close()  # closing twice does not count twice
    assert not dbfile.held_here(db)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 200)
    with pytest.raises(StoreError, match="not an SQLite database"):  # still told while nothing holds it
        Store(str(photo))
    assert not dbfile.held_here(str(photo))


def test_the_thumbnail_prune_never_opens_the_pages_database_under_another_name(tmp_path, monkeypatch):
    """``lib/blurscan.db -> card.db`` beside it: looking for other databases that use the thumbnails, the prune
    read card.db's header while the page had connections to it."""
    card = tmp_path / "card.db"
    Store(card).close()
    own = tmp_path / "blurscan.db"
    os.symlink(card, own)
    opened = []
    real_open = open

    def watching_open(file, *args, **kwargs):
        opened.append(os.path.realpath(file) if isinstance(file, (str, bytes, os.PathLike)) else file)
        return real_open(file, *args, **kwargs)

    with Store(own):
        monkeypatch.setattr("builtins.open", watching_open)
        keys = prune.keys_in_use(own)
        monkeypatch.undo()
    assert keys == set()
    assert str(card) not in opened


@pytest.mark.parametrize("new", [False, True])
def test_a_hard_link_to_a_held_database_is_never_opened_either(tmp_path, new):
    """Counted by real path, a hard link beside the database (a backup made with ``ln``) was another file to the
    thumbnail prune, which read its header and closed it: the process's locks were gone mid-transaction."""
    db = tmp_path / ".blurscan.db"
    if not new:
        Store(db).close()
    with Store(db) as store:  # new: SQLite creates the file as this store opens
        os.link(db, tmp_path / "backup.db")
        assert dbfile.held_here(str(tmp_path / "backup.db"))
        with store.transaction():
            store.conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'x')")
            assert prune._databases_beside(str(db)) == []
            code = (f"import sqlite3; c = sqlite3.connect({str(db)!r}, timeout=0); "
                    "print(c.execute('PRAGMA journal_mode = DELETE').fetchone()[0])")
            other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
            assert "locked" in other.stderr, other  # this process still holds the database
    assert not dbfile.held_here(str(db))
