"""The journal of actions: tables ``batches`` and ``journal`` (written by the actions only).

Protocol of a move or trash batch (what makes a kill at any moment recoverable):

1. :func:`create_batch` writes the batch and one ``planned`` row per file in **one transaction**, before any
   file is touched.
2. For each file, the row is set to ``moving`` (committed) with the file's modification time, a SHA-256 of
   its size and ends (:func:`~blurscan.samples.sample_sha256`) and its permissions, owner and group (schema 5), the
   file is moved, and the row is set to ``done``
   with how it was moved (and the SHA-256 of every byte when the bytes were copied). A failure sets ``failed`` with the
   reason; files not attempted are set to ``skipped`` with the reason.
3. The batch ends ``done`` (every file moved), ``partial`` (some failed or were skipped) or stays ``running``
   when the process was killed.

A move also journals the folders it creates (table ``batch_folders``): before a file's row is set to
``moving``, the folders of its destination that do not exist yet are written (committed), then made. So the
journal lists every folder the batch made (and, after a kill, perhaps one it was about to make and did not),
and never one that existed before (one another program made in the instant between the check and the
making would count as the batch's: it too is removed only when empty); undo removes those that are empty once
the files are back.

Every commit of an action (within :func:`exclusive`) is on disk before it returns
(:meth:`~blurscan.store.Store.durable_commits`), so a power cut, which keeps only what was fsynced, never keeps a
file's move (fsynced) without the row before it.

:mod:`.undo` never trusts a row's state alone: for ``moving`` rows (and any other) it looks at the file system
(is the file at its source, at its destination, at both as the same inode, as a verified copy?), so a kill
between any two steps is undone correctly.

A **tag** batch (``blurscan tag --xmp``, kind ``tag``) has one row per sidecar it changes: ``src`` is the
sidecar, ``sha256`` and ``size`` describe the bytes tag writes into it, and ``dst`` is, for a sidecar that
existed (merged), the copy of its previous bytes kept in :func:`backup_dir`, named
``<row id>-<sha256 of those bytes>.xmp`` (:func:`backup_digest` reads the digest back from the name);
``dst`` is None for a sidecar tag created. The batch is created at the first sidecar that needs a change,
and each row is committed (``planned``) just before its sidecar is written, once the photo's sidecars
have been read (two photos can share ``NAME.xmp``: the second one is read after the first was written).
Per row: the copy is written and fsynced, the row is set to ``writing`` (committed), the new sidecar is
written to a temporary name, fsynced and renamed into place, and the row is set to ``done``. :mod:`.undo`
again decides by looking at the sidecar: is it still the bytes tag wrote (put the copy back, or remove a
sidecar tag created), the bytes from before (tag never got to write it), or something else (changed since
by the person or a photo app: ``kept``, left as it is and reported)?

Row states: ``planned``, ``moving`` / ``writing``, ``done``, ``failed``, ``skipped``, ``undoing`` (a row undo is
putting back: set, committed, just before its file moves back or its sidecar is put back or removed; a file at its
place, or a sidecar as it was before tag, with this state was put back by an undo stopped before it recorded it,
not by hand; still a file the batch took away for :func:`moved_paths` while it is not at its place; since
2026-12-06), ``undone`` (restored by undo; a row of a file the batch never moved keeps ``planned`` or ``failed``,
and one killed as it began, found as it was, is set back to ``planned``: :func:`.undo._resolved`), ``kept`` (a tag
row undo left alone; tried again by the next undo of its batch), ``gone`` (a moved or trashed file undo found at neither place: the trash emptied, deleted by hand;
looked for again by the next undo of its batch, and still a file the batch took away for :func:`moved_paths`).
Batch states: ``running``, ``done``, ``partial``, ``undone``, ``closed`` (undone as far as it can be: every
file it moved is back but those ``gone``; or closed by hand, ``undo --close``, its files on a drive gone for good,
:mod:`.close`, which stays so while that drive is away; a plain undo goes past it, as past an ``undone`` one; an undo of it by
``--batch`` that meets another failure sets it back to ``partial``, as does the undo of a tag batch some of whose
sidecars hold what a later tag batch wrote, :func:`later_tag_batch`, and any undo that leaves a file to retry: until
2026-12-07 a ``done`` or ``running`` batch stayed so).
"""
from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from typing import Iterator

from ..dbfile import sqlite_file
from ..errors import ActionError, os_reason, printable_path
from ..name_room import beside
from ..permissions import owned_like_folder
from ..store import db_path, path_from_db
from . import drive_ids, library_locks


@dataclass(frozen=True)
class JournalRow:
    """One file operation of a batch."""

    id: int
    batch_id: int
    src: str
    dst: str | None
    size: int | None
    sha256: str | None
    state: str
    error: str | None
    mtime_ns: int | None = None       # a move / trash row: the file as it was moved (None before schema 3)
    sample_sha256: str | None = None  # and :func:`~blurscan.samples.sample_sha256` of it
    mode: int | None = None           # its permissions, owner and group (None before schema 5): what undo gives a
    uid: int | None = None            # photo copied back from a drive that keeps none (FAT, exFAT: 0777, root's;
    gid: int | None = None            # :func:`.owners.as_taken`)


@dataclass(frozen=True)
class BatchInfo:
    """A batch with counts, for ``blurscan undo --list``."""

    id: int
    kind: str
    destination: str | None
    created_at: float
    state: str
    files: int
    moved: int
    failed: int
    undone: int
    bytes: int
    kept: int = 0
    gone: int = 0
    retry: int = 0  # files (sidecars) the batch moved (wrote) that the last undo to try them could not put back


#: The ``meta`` key holding where the file system of a move batch's ``--to`` was mounted when it was created
#: (:func:`.drives.mount_point`; none on the root's file system): ``batch_drive:<batch id>`` (since 2026-12-07).
DRIVE_KEY = "batch_drive:{}"
#: The ``meta`` key holding the identity of that file system (:func:`.drive_ids.identity`), by which undo finds it
#: mounted at another place: ``batch_drive_id:<batch id>``, a trash batch's with the ``:<n>`` of its
#: :data:`DRIVE_KEY` (since 2026-12-07, later that day: none for a batch before, nor where none can be told).
DRIVE_ID_KEY = "batch_drive_id:{}"


def create_batch(store, kind: str, destination: str | None,
                 files: list[tuple[str, str | None, int]], drive: str | None = None) -> tuple[int, list[int]]:
    """Write a batch and its planned rows in one transaction.

    Parameters
    ----------
    store : blurscan.store.Store
    kind : {"move", "trash"}
        (A tag batch is created by :func:`create_tag_batch`.)
    destination : str or None
        The destination folder (None for the trash).
    files : list of (src, dst, size)
        In the order they will be moved (``dst`` None when only known at move time).
    drive : str or None
        Where the file system of ``destination`` is mounted (:func:`.drives.mount_point`), kept for undo
        (:func:`.batch_drives.recorded`) with that file system's identity (:func:`.drive_ids.identity`).

    Returns
    -------
    (batch id, row ids in the order of ``files``)
    """
    now = time.time()
    ident = None if drive is None else drive_ids.identity(drive)
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO batches (kind, destination, created_at, state, folders_journaled) "
                           "VALUES (?,?,?,'running',?)",
                           (kind, None if destination is None else db_path(destination), now, int(kind == "move")))
        batch_id = cur.lastrowid
        ids = []
        for src, dst, size in files:
            cur = conn.execute(
                "INSERT INTO journal (batch_id, src, dst, size, state, updated_at) VALUES (?,?,?,?,'planned',?)",
                (batch_id, db_path(src), None if dst is None else db_path(dst), size, now))
            ids.append(cur.lastrowid)
        if drive is not None:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (DRIVE_KEY.format(batch_id), db_path(drive)))
            if ident is not None:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             (DRIVE_ID_KEY.format(batch_id), ident))
    return batch_id, ids


def add_created_folders(store, batch_id: int, folders: list[str]) -> None:
    """Journal the folders a move batch is about to create (committed before they are made; see the module
    docstring)."""
    with store.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO batch_folders (batch_id, path) VALUES (?, ?)",
                         [(batch_id, db_path(f)) for f in folders])


def created_folders(store, batch_id: int) -> list[str] | None:
    """The folders batch ``batch_id`` journaled as created by it, or None for a batch journaled before
    blurscan recorded them (schema 1)."""
    row = store.conn.execute("SELECT folders_journaled FROM batches WHERE id = ?", (batch_id,)).fetchone()
    if not row or not row[0]:
        return None
    return [path_from_db(p) for (p,) in store.conn.execute(
        "SELECT path FROM batch_folders WHERE batch_id = ?", (batch_id,))]


def create_tag_batch(store) -> int:
    """Start a tag batch (its rows are added by :func:`add_tag_row`, each before its sidecar changes)."""
    with store.transaction() as conn:
        return conn.execute("INSERT INTO batches (kind, destination, created_at, state) "
                            "VALUES ('tag', NULL, ?, 'running')", (time.time(),)).lastrowid


def add_tag_row(store, batch_id: int, sidecar: str, old_sha: str | None, new_sha: str,
                size: int) -> tuple[int, str | None]:
    """Journal one sidecar tag is about to write (committed; see the module docstring).

    Parameters
    ----------
    sidecar : str
    old_sha : str or None
        SHA-256 of the sidecar's bytes now; None when tag creates it.
    new_sha, size : str, int
        What tag will write.

    Returns
    -------
    (row id, path for the copy of the previous bytes, or None for a sidecar tag creates). Nothing is
    written to that path yet.
    """
    with store.transaction() as conn:
        row_id = conn.execute(
            "INSERT INTO journal (batch_id, src, size, sha256, state, updated_at) VALUES (?,?,?,?,'planned',?)",
            (batch_id, db_path(sidecar), size, new_sha, time.time())).lastrowid
        backup = None
        if old_sha is not None:
            backup = os.path.join(backup_dir(store, batch_id), f"{row_id}-{old_sha}.xmp")
            conn.execute("UPDATE journal SET dst = ? WHERE id = ?", (db_path(backup), row_id))
    return row_id, backup


def backups_root(store) -> str:
    """Where tag batches keep the previous bytes of the sidecars they change: ``<db>.tag-backups`` beside
    the database (a hidden folder inside the library, which scans skip); a folder in the temporary
    directory for an in-memory database, whose journal ends with the process anyway."""
    if store.path == ":memory:":
        return os.path.join(tempfile.gettempdir(), f"blurscan-tag-backups-{os.getpid()}-{id(store)}")
    return beside(os.fsdecode(store.path), ".tag-backups")  # (a long name cut: name_room.beside)


def backup_dir(store, batch_id: int) -> str:
    """The folder of tag batch ``batch_id``'s copies (created when the first copy is written)."""
    return os.path.join(backups_root(store), f"batch-{batch_id}")


def backup_digest(backup: str) -> str | None:
    """The SHA-256 of a sidecar's previous bytes, from its copy's name (None for a name we did not write)."""
    m = re.fullmatch(r"\d+-([0-9a-f]{64})\.xmp", os.path.basename(backup))
    return m.group(1) if m else None


def mark(store, row_id: int, state: str, *, dst: str | None = None, sha256: str | None = None,
         error: str | None = None, identity: tuple | None = None) -> None:
    """Set a row's state (and its destination / digest / error when given; ``identity``: the file's
    ``(mtime_ns, sample_sha256, mode, uid, gid)`` before it moves, the last three None where it could not be looked
    at); committed at once."""
    sets, args = ["state = ?", "updated_at = ?"], [state, time.time()]
    if identity is not None:
        sets += ["mtime_ns = ?", "sample_sha256 = ?", "mode = ?", "uid = ?", "gid = ?"][:len(identity)]
        args += list(identity)
    if dst is not None:
        sets.append("dst = ?")
        args.append(db_path(dst))
    if sha256 is not None:
        sets.append("sha256 = ?")
        args.append(sha256)
    if error is not None:
        sets.append("error = ?")
        args.append(error)
    with store.transaction() as conn:
        conn.execute(f"UPDATE journal SET {', '.join(sets)} WHERE id = ?", (*args, row_id))


def set_batch_state(store, batch_id: int, state: str) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE batches SET state = ? WHERE id = ?", (state, batch_id))


def rows(store, batch_id: int) -> list[JournalRow]:
    """The rows of a batch in the order they were planned."""
    return [_row(r) for r in store.conn.execute(f"SELECT {_COLUMNS} FROM journal j WHERE batch_id = ? ORDER BY id",
                                                 (batch_id,))]


_COLUMNS = ("j.id, j.batch_id, j.src, j.dst, j.size, j.sha256, j.state, j.error, j.mtime_ns, j.sample_sha256, j.mode, "
            "j.uid, j.gid")


def _row(r) -> JournalRow:
    """A :class:`JournalRow` of the values of :data:`_COLUMNS`, checked (:func:`_checked`)."""
    r = _checked(r, _ROW_KINDS, "journal")
    return JournalRow(r[0], r[1], path_from_db(r[2]), None if r[3] is None else path_from_db(r[3]), *r[4:])


_INT, _TEXT, _PATH, _TIME = (int,), (str,), (str, bytes), (int, float)
#: What each column read holds (None allowed where the column may be empty), in the order the queries read them.
_ROW_KINDS = (("id", _INT, False), ("batch_id", _INT, False), ("src", _PATH, False), ("dst", _PATH, True),
              ("size", _INT, True), ("sha256", _TEXT, True), ("state", _TEXT, False), ("error", _TEXT, True),
              ("mtime_ns", _INT, True), ("sample_sha256", _TEXT, True), ("mode", _INT, True), ("uid", _INT, True),
              ("gid", _INT, True))
_BATCH_KINDS = (("id", _INT, False), ("kind", _TEXT, False), ("destination", _PATH, True),
                ("created_at", _TIME, False), ("state", _TEXT, False))


def _checked(row, kinds, table: str):
    """``row`` when each of its first values is of the kind its column holds; else a
    :class:`sqlite3.DatabaseError` naming the row and the column, which the command line says as a damaged
    database (:func:`blurscan.dbfile.damaged_error`). Until 2026-12-05 a damaged row (a path with a NUL byte,
    a time that is text or beyond any date) stopped ``undo`` with a traceback, or made it look for another file."""
    for value, (name, types, empty) in zip(row, kinds):
        if value is None and empty:
            continue
        why = None
        if not isinstance(value, types) or isinstance(value, bool):
            why = _NOT[types]
        elif types is _PATH and not value:
            why = "an empty path"
        elif types is _PATH and (b"\0" if isinstance(value, bytes) else "\0") in value:
            why = "a path holding a NUL byte"
        elif types is _TIME and not 0 <= value < 253402300800:  # (a time in seconds, before the year 10000)
            why = "beyond any date"
        if why:
            raise sqlite3.DatabaseError(f"{table} row {row[0]!r} is damaged: its {name} is {_shown(value)}, {why}")
    return row


#: What a value of the wrong kind is not, by the kinds its column holds.
_NOT = {_INT: "not a whole number", _TEXT: "not text", _PATH: "not a path", _TIME: "not a time"}


def _shown(value) -> str:
    """A damaged value as a message shows it: text and bytes alike in quotes with control characters as ``\\xNN``
    (:func:`~blurscan.errors.printable_path`), a number as written, ``NULL`` for none; at most 80 characters. Until
    2026-12-06 it was Python's repr, a path stored as bytes ``b'\\x00/etc/'``."""
    if value is None:
        return "NULL"
    if isinstance(value, (str, bytes)):
        text = printable_path(value)
        return f"'{text[:78]}'" + ("..." if len(text) > 78 else "")
    return f"{value!r:.80}"


def batch(store, batch_id: int) -> BatchInfo:
    if -2**63 <= batch_id < 2**63:  # beyond SQLite's integers (a number typed wrong): no such batch either
        for info in list_batches(store, batch_id=batch_id):
            return info
    raise ActionError(f"no batch {batch_id} in {printable_path(store.path)} (see `{_listing(store)}`)")


def _listing(store) -> str:
    """``blurscan undo --list`` naming ``store``'s library or ``--db FILE``, typed in any folder
    (:func:`blurscan.typed_commands.naming`): until 2026-12-07 it was bare, and found no database typed outside the
    library or for a database given by ``--db``."""
    from ..typed_commands import naming

    return naming(store.path, "blurscan undo --list")


#: A row of a file the batch moved (a sidecar it wrote) that an undo tried and could not put back, not gone: left as
#: it was, with the undo's reason (:func:`.undo._undo_rows`), for the next undo to retry (a drive not mounted, a
#: folder read-only, another file at its place). Until 2026-12-07 ``undo --list`` counted them among the files moved
#: alone (``partial: 3 moved, 0 failed, 0 undone``), as if no undo had been tried.
TO_RETRY = ("j.state IN ('done', 'moving', 'writing', 'undoing') AND j.error IS NOT NULL "
            "AND substr(j.error, 1, 6) = 'undo: '")


def list_batches(store, *, batch_id: int | None = None) -> list[BatchInfo]:
    """Every batch, newest first, with counts of its rows."""
    # (a row ``undoing`` is still one the batch moved: an undo was stopped as it put it back; it counted nowhere)
    sql = ("SELECT b.id, b.kind, b.destination, b.created_at, b.state, COUNT(j.id), "
           "SUM(j.state IN ('done', 'undoing')), SUM(j.state = 'failed'), SUM(j.state = 'undone'), "
           "COALESCE(SUM(CASE WHEN j.state IN ('done', 'undone', 'gone', 'undoing') THEN j.size END), 0), "
           f"SUM(j.state = 'kept'), SUM(j.state = 'gone'), SUM({TO_RETRY}) "
           "FROM batches b LEFT JOIN journal j ON j.batch_id = b.id")
    args: tuple = ()
    if batch_id is not None:
        sql += " WHERE b.id = ?"
        args = (batch_id,)
    sql += " GROUP BY b.id ORDER BY b.id DESC"
    return [BatchInfo(r[0], r[1], None if r[2] is None else path_from_db(r[2]), r[3], r[4], r[5], r[6] or 0,
                      r[7] or 0, r[8] or 0, r[9] or 0, r[10] or 0, r[11] or 0, r[12] or 0)
            for r in (_checked(r, _BATCH_KINDS, "batches") for r in store.conn.execute(sql, args))]


def latest_undoable(store) -> int | None:
    """The newest batch not yet undone that changed something, or None. A batch whose every row failed or was
    skipped (a read-only destination) moved nothing, and a ``closed`` one has nothing left that undo can bring
    back (its other files are gone): a plain undo passes over both to the batch before (``--batch`` still
    names them). A batch an undo put back whose end it could not record (the database refused the write of its
    state: a disk I/O error) has only rows ``undone`` (but those it never moved): it is the one, so that the next
    undo finishes it ("already undone"); until 2026-12-06 it was passed over and counted among those that "moved
    or tagged nothing"."""
    row = store.conn.execute(
        "SELECT b.id FROM batches b WHERE b.state NOT IN ('undone', 'closed') AND EXISTS (SELECT 1 FROM journal j "
        "WHERE j.batch_id = b.id AND j.state NOT IN ('failed', 'skipped')) "
        "ORDER BY b.id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def nothing_to_undo(store) -> str:
    """Why :func:`latest_undoable` finds no batch, in words: none yet, or how many are undone already, how many
    closed and how many moved or tagged nothing."""
    batches = list_batches(store)
    if not batches:
        return f"no move, trash or tag batch in {printable_path(store.path)} yet"
    undone = sum(b.state == "undone" for b in batches)
    closed = sum(b.state == "closed" and not b.moved for b in batches)
    by_hand = sum(b.state == "closed" and b.moved > 0 for b in batches)  # (`undo --close`: files still away)
    empty = len(batches) - undone - closed - by_hand

    def count(n: int) -> str:
        return f"{n} batch{'es' if n != 1 else ''}"

    parts = ([f"{count(undone)} undone already"] if undone else []) + \
        ([f"{count(closed)} closed (undone but for {_gone_for_good(batches)}, which undo cannot bring back)"]
         if closed else []) + \
        ([f"{count(by_hand)} closed by `undo --close` (files left where {'it' if by_hand == 1 else 'each'} put them)"]
         if by_hand else []) + \
        ([f"{count(empty)} that moved or tagged nothing (every file failed or was skipped)"] if empty else [])
    listed = " and ".join(parts) if len(parts) < 3 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{listed} in {printable_path(store.path)} (`{_listing(store)}` lists them)"


def _gone_for_good(batches: list[BatchInfo]) -> str:
    """What the closed ones of ``batches`` could not put back, in words: files gone from the trash or ``--to`` (a
    move or trash batch), the copies of sidecars' previous bytes gone (a tag batch), or both."""
    kinds = {b.kind == "tag" for b in batches if b.state == "closed" and not b.moved}
    said = (["files gone from the trash or --to"] if False in kinds else []) + \
        (["sidecars' copies from before tagging gone"] if True in kinds else [])
    return ", or ".join(said)


@contextlib.contextmanager
def exclusive(store) -> Iterator[None]:
    """Hold the actions lock of this database: one move / trash / tag / undo at a time.

    A lock file ``<db>.actions.lock`` with ``flock`` (released by the kernel when a process dies, so a killed
    batch never leaves a stale lock), those of the library databases above this one's library, and the library's
    folder (:mod:`~blurscan.actions.library_locks`). In-memory databases need no lock.
    """
    if store.path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no cross-process lock
        yield
        return
    # (a long name cut: name_room.beside); beside the file a --db link names, as SQLite's files are: one lock per
    # database whatever name it is given, and none in the link's folder, which may be read-only (until 2026-12-07)
    lock_path = beside(sqlite_file(os.fsdecode(store.path)), ".actions.lock")
    try:
        made = not os.path.lexists(lock_path)
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | library_locks.NOFOLLOW, 0o644)
        except PermissionError:  # (another user's, root's 0644: flock needs no more than reading, as for the
            if made:             # folders' locks; until 2026-12-06 every batch of this database stopped here)
                raise
            fd = os.open(lock_path, os.O_RDONLY | library_locks.NOFOLLOW)
        if made:
            owned_like_folder(lock_path, fd=fd)
    except OSError as exc:
        # a link is never followed: root's batch in another user's library made its target, anywhere (until
        # 2026-12-06); with it there, no batch of this database runs
        why = "it is a symbolic link (remove it; the lock is made again)" if os.path.islink(lock_path) else \
            os_reason(exc)
        raise ActionError(f"{printable_path(lock_path)}: cannot open the actions lock: {why}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise ActionError(f"{printable_path(store.path)}: another blurscan move, trash, tag or undo is "
                              f"running on {library_locks.holder(fd)}; wait for it to finish") from exc
        # (a batch of the library's database above this one's; of another database of this library: 2026-12-06)
        # (each row on disk before its file moves: a power cut otherwise left a photo moved that no row named)
        with library_locks.held_above(store), library_locks.held_folders(store), store.durable_commits():
            yield
    finally:
        os.close(fd)
