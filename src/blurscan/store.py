"""SQLite store: one database per library (``.blurscan.db`` at the scanned root by default).

The schema is versioned with ``PRAGMA user_version`` and upgraded by the ordered migrations of :mod:`blurscan.schema`.
A database written by a newer blurscan (higher version than we know) is refused with a clear
:class:`~blurscan.errors.StoreError`, never modified.

Tables and who writes them (other modules read freely):

==================  =====================================================
``images``          scan: one row per file, keyed by absolute path
``decisions``       review: the person's keep / discard per photo
``decision_log``    review: history of decisions, for ``u`` (undo last)
``replaced_keeps``  scan: keeps whose file was replaced under their path (replaced.py), still protecting it
``batches``         actions: one row per move / trash batch
``journal``         actions: one row per file operation, written *before* it happens
``batch_folders``   actions: folders a move batch created (journaled before), for undo to remove
``burst_groups``    bursts: groups of near-identical shots and their ranks
==================  =====================================================
"""
from __future__ import annotations

import contextlib
import errno
import os
import random
import sqlite3
import sys
import time
import urllib.parse
from collections.abc import Iterator

from .dbfile import (check_ours, database_not_found, disk_full, hold, in_a_folder_link_not_there, locked_error,
                     not_scanned_yet, read_only_error, release, settled, sqlite_file, sqlite_words, sync_failed)
from .dbleftovers import remove_side_files, remove_unmade, side_files
from .errors import StoreError, printable_path
from .fs_owner import as_owner_of
from .shm_size import shared_memory_failed
from .permissions import (database_of_one_name, linked_side_file, may_write, new_database_file, read_only_for_root,
                          why_not_readable)
from .image_rows import ImageRows
from .schema import MIGRATIONS, READABLE_FROM, SCHEMA_VERSION, _split_sql  # (also read from here)
from .stored_paths import db_path, in_any, path_from_db  # noqa: F401 (their home was here, still read from here)
from .stored_records import _chunk_records, stored_record  # noqa: F401 (also read from here)
from .utf8_mode import require as require_utf8_names

#: The connections leave transactions to the store's own SQL (``BEGIN IMMEDIATE`` ... ``COMMIT``, the WAL pragma
#: outside any): ``autocommit=True`` from Python 3.12, whose documentation says that ``sqlite3.connect``'s default
#: (the legacy transaction control, which ``isolation_level=None`` turns to autocommit and which it alone reads)
#: will become ``autocommit=False``: the module then opens a transaction itself and every command failed, "cannot
#: start a transaction within a transaction" (until 2026-12-07)
_AUTOCOMMIT: dict = {"autocommit": True} if sys.version_info >= (3, 12) else {"isolation_level": None}



class Store(ImageRows):
    """A blurscan database. Use as a context manager or call :meth:`close`.

    Parameters
    ----------
    path : str or Path
        Database file (``":memory:"`` for tests). Created when missing unless ``create=False``.

    Refused (:class:`~blurscan.errors.UsageError`, before anything is opened) in a process whose file names are not
    UTF-8: outside Python's UTF-8 mode under a Latin-1 locale, say (:mod:`blurscan.utf8_mode`).
    """

    def __init__(self, path: str | os.PathLike, *, create: bool = True, timeout: float = 30.0,
                 readonly: bool = False) -> None:
        require_utf8_names()  # (a process whose file names are not UTF-8 would take one file for another)
        self.path = str(path)
        self.conn = None
        if self.path != ":memory:" and (readonly or not create) and not os.path.exists(self.path):
            raise database_not_found(self.path)  # (a link whose target is not there said so)
        # a folder, a file that is not SQLite: said so (not SQLite's words); then counted as held by this process,
        # so that nothing opens the file outside SQLite while this connection is open (dbfile.hold)
        self._held = hold(self.path)
        self._create = create
        new = create and not readonly and self.path != ":memory:" and not os.path.lexists(self.path)
        self._sides = side_files(self.path)  # (those a full disk makes SQLite leave are removed: remove_side_files)
        try:
            self._connect(create=create, timeout=timeout, readonly=readonly)
        except BaseException as exc:
            release(self._held)
            self._held = None
            if new and remove_unmade(self.path):  # a database it failed to make (a full disk): not left behind
                if isinstance(exc, StoreError) and "full" in str(exc):
                    raise StoreError(f"{exc}; no database was kept: make room, or keep the database on "
                                     "another disk with --db FILE") from exc.__cause__
            elif not new:
                remove_side_files(self.path, self._sides)
            raise
        self._held = settled(self._held, self.path)  # (a file SQLite has just created: counted by its inode)

    def _connect(self, *, create: bool, timeout: float, readonly: bool) -> None:
        if readonly:
            self._open_readonly(timeout)
            return
        real = sqlite_file(self.path)  # (a link: SQLite writes beside the file it names)
        folder = os.path.dirname(os.path.abspath(real))
        if self.path != ":memory:" and not os.path.isdir(folder) and \
                (dangling := in_a_folder_link_not_there(self.path)):  # (`--db ~/dbs/lib.db`, ~/dbs a link to a
            raise dangling  # drive not mounted: as the reading commands say; "its folder ... does not exist" before)
        if self.path != ":memory:" and not os.path.isdir(folder):  # (a link's: until 2026-12-07 SQLite's words,
            link = f"a symbolic link to {printable_path(real)}, whose folder" if real != self.path else "its folder"
            raise StoreError(f"{printable_path(self.path)}: cannot create the database: {link} "  # "unable to
                             f"{printable_path(folder)} does not exist")  # open database file")
        if self.path != ":memory:" and os.path.islink(real):  # (realpath stops in a loop: lib.db -> lib.db)
            raise StoreError(f"{printable_path(self.path)}: cannot use the database: it is a symbolic link that "
                             "loops (a link to itself, or to a link back to it)")
        if self.path != ":memory:" and (read_only_for_root(os.path.dirname(os.path.abspath(real)))
                                        or read_only_for_root(real)):
            # root may write anything: a file or folder with no write bit is refused as it is to everyone else
            raise self._write_error(sqlite3.OperationalError("attempt to write a readonly database"))
        # Processes opening a new database at the same moment (two scans started together) can each hold a
        # read lock while wanting the write lock that switching to WAL needs; SQLite then answers "database is
        # locked" at once instead of waiting (its busy handler would deadlock), so opening is retried here.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._open(timeout)
                return
            except sqlite3.OperationalError as exc:
                if getattr(self, "conn", None) is not None:
                    self.conn.close()
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise self._open_error(exc) from exc
                time.sleep(0.02 + 0.08 * random.random())
            except sqlite3.DatabaseError as exc:
                self._drop_connection()
                raise self._open_error(exc) from exc
            except BaseException:  # another program's database (check_ours): its -wal / -shm not left behind
                self._drop_connection()
                raise

    def _drop_connection(self) -> None:
        """Close a connection an open gave up on (SQLite removes the ``-wal`` / ``-shm`` files it made)."""
        if getattr(self, "conn", None) is not None:
            self.conn.close()
            self.conn = None

    def _open_readonly(self, timeout: float) -> None:
        """Open for reading only (``query_only``; ``blurscan report``). A database this user may write, in a
        folder it may write, is opened read-write (``mode=ro`` left its ``-wal`` / ``-shm`` files beside it: it may
        not delete them); else ``mode=ro``, writing nothing, so a read-only share can be listed. A WAL database
        whose folder is read-only and has no ``-shm`` file can only be opened as immutable (what was last
        checkpointed), as is one this user cannot write (another user's library) while its ``-wal`` or ``-shm``
        is missing: SQLite would create them, this user's, and its owner could no longer write the database."""
        last, queries, folder = None, ["mode=ro", "immutable=1"], os.path.dirname(os.path.abspath(self.path))
        if may_write(self.path) and may_write(folder):  # (root: a file or folder with no write bit is read-only)
            queries.insert(0, "mode=rw")
        elif (not may_write(self.path) or read_only_for_root(folder)) and not all(
                os.path.exists(self.path + suffix) for suffix in ("-wal", "-shm")):
            queries.remove("mode=ro")
        seen = database_of_one_name(self.path)
        for query in queries:
            uri = f"file:{urllib.parse.quote(os.fsencode(os.path.abspath(self.path)))}?{query}"  # (bytes: any name)
            try:
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False, **_AUTOCOMMIT)
                database_of_one_name(self.path, seen)
                with as_owner_of(self.path):  # (as root: the -wal / -shm, opened now, with its owner's rights)
                    version = check_ours(self.conn, self.path)  # another program's database: refused
                self.conn.execute("PRAGMA query_only = ON")
            except sqlite3.Error as exc:
                self._drop_connection()
                last = exc
                continue
            except BaseException:
                self._drop_connection()
                raise
            self.conn.row_factory = sqlite3.Row
            try:
                if version > SCHEMA_VERSION:
                    self._migrate()  # the "newer than this blurscan understands" error
                if version == 0:  # (no table at all: check_ours refuses one with another program's tables)
                    raise not_scanned_yet(self.path)
                if version < READABLE_FROM:
                    raise StoreError(f"{printable_path(self.path)}: written by an older blurscan; a scan "
                                     "(`blurscan scan`) upgrades it")
            except BaseException:  # (refused: closed now, not when collected, before the side files are looked at)
                self._drop_connection()
                raise
            return
        unread = why_not_readable(self.path)  # (another user's 0600 file: SQLite's "unable to open database file")
        raise StoreError(f"{printable_path(self.path)}: cannot read the database: "
                         f"{f'it {unread}' if unread else last}") from last

    def _open(self, timeout: float) -> None:
        self.conn = None
        if self.path != ":memory:" and not os.path.lexists(self.path):  # (0666 less the umask; as root, its folder's)
            new_database_file(self.path)
        seen = database_of_one_name(self.path)  # (as root: a hard link someone put in its place, never written)
        self.conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, **_AUTOCOMMIT)
        database_of_one_name(self.path, seen)  # (before SQLite writes a byte)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = %d" % int(timeout * 1000))
        with as_owner_of(self.path):  # (as root: the -wal / -shm, opened now, with its owner's rights)
            version = check_ours(self.conn, self.path)  # before anything is written: another program's is refused
            if version == 0 and not self._create and self.path != ":memory:":  # an empty file: nothing scanned
                raise not_scanned_yet(self.path)  # (review, bursts and the actions set it up, an empty library)
            if self.path != ":memory:" and self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    # -- schema -----------------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{printable_path(self.path)}: database schema version {version} is newer than this "
                             f"blurscan understands ({SCHEMA_VERSION}); upgrade blurscan or use another --db")
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            # re-read inside the write lock: a concurrent process may have migrated meanwhile
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in _split_sql(MIGRATIONS[number]):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def durable_commits(self) -> Iterator[None]:
        """Every commit made meanwhile on disk when it returns (``PRAGMA synchronous = FULL``), then ``NORMAL``
        again: the actions' journal rows must be on disk before their files change (a power cut otherwise kept a
        move, fsynced, without its row); the scan's results, which a rescan makes again, need not
        (:func:`blurscan.actions.journal.exclusive`)."""
        if self.path == ":memory:":
            yield
            return
        self.conn.execute("PRAGMA synchronous = FULL")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA synchronous = NORMAL")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rollback on error). Not re-entrant.

        A database that cannot be written (read-only file, folder or ``-wal``/``-shm`` file; a lock held too
        long) raises :class:`~blurscan.errors.StoreError` with one line, not SQLite's exception.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._write_error(exc) from exc
        try:
            yield self.conn
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
                raise self._write_error(exc) from exc
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise self._write_error(exc) from exc

    def _write_error(self, exc: sqlite3.OperationalError) -> StoreError:
        if "readonly" in str(exc) and self.path != ":memory:":
            return read_only_error(self.path, exc)  # why (a read-only mount, another user's folder), what to do
        if "locked" in str(exc):  # another connection's write lock, held past the busy timeout: whose, and when
            return locked_error(self.path, exc)
        return StoreError(f"{printable_path(self.path)}: cannot write: {sqlite_words(exc)}{self._cause(exc)}")

    def _open_error(self, exc: sqlite3.Error) -> StoreError:
        """One line for a database that cannot be opened; a read-only one (a command that writes, on a read-only
        share or another user's library: SQLite's "unable to open database file") says why and what to do."""
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc) and (
                out := _no_descriptor_left()) is not None:
            raise out from exc  # (the command line says it as the limit: ``ulimit -n``; not a read-only database)
        if isinstance(exc, sqlite3.OperationalError) and self.path != ":memory:" and (
                "readonly" in str(exc) or "unable to open" in str(exc)):
            return linked_side_file(self.path) or read_only_error(self.path, exc)
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return locked_error(self.path, exc)
        return StoreError(f"{printable_path(self.path)}: cannot use database: {sqlite_words(exc)}{self._cause(exc)}")

    def _cause(self, exc: sqlite3.Error) -> str:
        """What SQLite's "disk I/O error" (``exc``) came from, where it can be told: a sync that failed
        (:func:`~blurscan.dbfile.sync_failed`), a drive that cannot hold the ``-shm`` file
        (:func:`~blurscan.shm_size.shared_memory_failed`), else a full disk (:meth:`_disk_full`)."""
        return sync_failed(exc) or shared_memory_failed(exc, self.path) or self._disk_full()

    def _disk_full(self) -> str:
        """``"; its disk is full (N kB free)"`` when the database's disk has (almost) no room left: SQLite says
        "disk I/O error" when it cannot make its ``-wal`` / ``-shm`` file there, which names no cause."""
        return disk_full(self.path)

    def close(self) -> None:
        try:
            if self.conn is not None:
                self.conn.close()
        finally:
            release(self._held)
            self._held = None
        if self.conn is not None:  # (a full disk: those SQLite made and could not remove; see __init__)
            remove_side_files(self.path, self._sides)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

def _no_descriptor_left() -> OSError | None:
    """The error an open gets now (EMFILE, ENFILE) where the process or the system has too few file descriptors
    left for a database (its file and its journal, or its -wal and -shm: three), else None: SQLite says only
    "unable to open database file" then, having closed what it had opened. Under ``ulimit -n 16`` a scan of a
    folder five levels down holds 12 descriptors for its database locks (two lock folders since 2026-12-07), and
    said ``cannot use database: unable to open database file``; the command line names the limit instead."""
    fds: list[int] = []
    try:
        for _ in range(3):
            fds.append(os.open(os.devnull, os.O_RDONLY))
    except OSError as err:
        if err.errno in (errno.EMFILE, errno.ENFILE):
            return err
    finally:
        for fd in fds:
            os.close(fd)
    return None
