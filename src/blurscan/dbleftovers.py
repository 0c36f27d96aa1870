"""The files a failed open of a database leaves behind, removed as SQLite itself would: the ``-wal`` and ``-shm``
files a full disk makes SQLite keep (:func:`side_files`, :func:`remove_side_files`), and a new database file it
created but could not set up (:func:`remove_unmade`). Only while no connection of this process
(:func:`blurscan.dbfile.hold`) nor of another (SQLite's own locks, taken here) uses the database.
"""
from __future__ import annotations

import contextlib
import os

from .dbfile import _HELD_LOCK, SQLITE_HEADER, _is_held, sqlite_file  # (the count of this process's connections: see _HELD)

#: Where SQLite's unix VFS locks a database file (https://sqlite.org/lockingv3.html; os_unix.c): the pending byte,
#: the reserved byte and the 510 bytes of shared locks. A connection holds a lock there while it reads or writes,
#: and one in WAL mode for as long as it is open; a write lock on them all is what SQLite itself takes to know
#: that no other connection uses the file (before it deletes a ``-wal`` file on close).
_LOCK_BYTES, _LOCK_SIZE = 0x40000000, 512


#: The suffixes of the side files SQLite makes beside a database in WAL mode.
SIDE_SUFFIXES = ("-wal", "-shm")


def side_files(path: str) -> tuple[bool, ...]:
    """Which of the ``-wal`` and ``-shm`` files of the database ``path`` are there (for :func:`remove_side_files`):
    beside the file a symbolic link names, where SQLite makes them (:func:`blurscan.dbfile.sqlite_file`)."""
    path = sqlite_file(path)
    return tuple(path != ":memory:" and os.path.lexists(path + suffix) for suffix in SIDE_SUFFIXES)


def remove_side_files(path: str, before: tuple[bool, ...]) -> bool:
    """Remove the ``-wal`` and ``-shm`` files of the database ``path`` that a connection of this process made and
    left when it closed: on a full disk SQLite makes them, cannot size the ``-shm``, and its close, unable to
    checkpoint, keeps both (the open failed, or, for ``blurscan report``, fell back to ``mode=ro``, which never
    removes them). Until 2026-12-06 they stayed until a later command had room to open the database. Only as
    SQLite itself would: those not there before (``before``: :func:`side_files` then), the ``-wal`` empty (none
    of the database's changes in it), no connection of this process to the database, and SQLite's exclusive
    lock on the database file taken (no connection of another process open; none starts meanwhile). Returns
    whether they were removed. A ``path`` that is a symbolic link (``--db LINK``): those beside the file it names,
    where SQLite made them (until 2026-12-07 looked for beside the link's name, and left for good)."""
    path = sqlite_file(path)
    made = [path + suffix for suffix, was in zip(SIDE_SUFFIXES, before) if not was]
    if path == ":memory:" or not any(os.path.lexists(side) for side in made):
        return False
    try:
        import fcntl
    except ImportError:  # pragma: no cover (not POSIX: SQLite's locks are other)
        return False
    with _HELD_LOCK:  # (no connection of this process starts meanwhile: opening the file would drop its locks)
        if _is_held(path):
            return False
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, _LOCK_SIZE, _LOCK_BYTES, os.SEEK_SET)
            wal = path + SIDE_SUFFIXES[0]
            if os.path.lexists(wal) and os.lstat(wal).st_size > 0:  # (changes of the database: never removed)
                return False
            for side in made:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(side)
        except OSError:  # (the lock refused: a connection is open)
            return False
        finally:
            os.close(fd)  # (the lock with it)
    return True


def remove_unmade(path: str) -> bool:
    """Remove the database file ``path`` that an open which then failed has just created (a full disk: SQLite made
    the file, then could not write its first page, its ``-wal`` or ``-shm`` file), with the ``-wal`` and ``-shm``
    files left beside it, when it holds no table and no other connection uses it: no connection of this process
    (:data:`blurscan.dbfile._HELD`) or of another (SQLite's locks on the file, held here while it is checked and
    removed), its ``-wal`` empty or absent, no rollback ``-journal`` there, and the file itself listing no table.
    Returns whether it was removed. Left behind, it was a database every later command took for one "written by an older
    blurscan", or set up and showed as an empty library (until 2026-12-05). Until 2026-12-06 another process
    setting the same new database up meanwhile (a second scan of the library, started at the same moment) was
    not asked: its schema was not committed yet, the file was removed under it, and that scan then wrote its
    results and decisions into a deleted file."""
    import fcntl

    wal = f"{path}-wal"
    with _HELD_LOCK:  # (no connection of this process starts meanwhile: POSIX locks never conflict within it)
        if _is_held(path):
            return False
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            return False  # (gone already, a link, or not ours to write: left as it is)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, _LOCK_SIZE, _LOCK_BYTES, os.SEEK_SET)
            # (read through this descriptor, never another: closing one would drop the lock)
            if os.path.lexists(f"{path}-journal") or (os.path.lexists(wal) and os.lstat(wal).st_size > 0) \
                    or _lists_a_table(fd):
                return False
            for leftover in (path, wal, f"{path}-shm"):  # (the lock held: no connection can start meanwhile)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        except OSError:
            return False  # (another connection holds a lock: it is setting the database up; or not readable now)
        finally:
            os.close(fd)
    return True


def _lists_a_table(fd: int) -> bool:
    """Whether the database file open as ``fd`` lists a table (or is not an SQLite database at all): read from its
    first page (https://sqlite.org/fileformat.html: the schema table's b-tree page header follows the 100-byte
    file header; a leaf table page, type 13, whose cell count is 0 lists nothing). An empty file lists none."""
    first = os.pread(fd, 108, 0)
    if not first:
        return False
    if len(first) < 108 or first[:len(SQLITE_HEADER)] != SQLITE_HEADER:
        return True  # (not a database this open made: left as it is)
    return first[100] != 13 or int.from_bytes(first[103:105], "big") > 0
