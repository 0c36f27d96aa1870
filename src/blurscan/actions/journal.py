"""The journal of moves: tables ``batches`` and ``journal`` (written by the actions only).

Protocol (what makes a kill at any moment recoverable):

1. :func:`create_batch` writes the batch and one ``planned`` row per file in **one transaction**, before any
   file is touched.
2. For each file, the row is set to ``moving`` (committed), the file is moved, and the row is set to ``done``
   with how it was moved (and the SHA-256 when the bytes were copied). A failure sets ``failed`` with the
   reason; files not attempted are set to ``skipped`` with the reason.
3. The batch ends ``done`` (every file moved), ``partial`` (some failed or were skipped) or stays ``running``
   when the process was killed.

:mod:`.undo` never trusts a row's state alone: for ``moving`` rows (and any other) it looks at the file system
(is the file at its source, at its destination, at both as the same inode, as a verified copy?), so a kill
between any two steps is undone correctly.

Row states: ``planned``, ``moving``, ``done``, ``failed``, ``skipped``, ``undone`` (restored by undo).
Batch states: ``running``, ``done``, ``partial``, ``undone``.
"""
from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from typing import Iterator

from ..errors import ActionError, UsageError, printable_path
from ..store import db_path, path_from_db


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


def create_batch(store, kind: str, destination: str | None,
                 files: list[tuple[str, str | None, int]]) -> tuple[int, list[int]]:
    """Write a batch and its planned rows in one transaction.

    Parameters
    ----------
    store : blurscan.store.Store
    kind : {"move", "trash"}
    destination : str or None
        The destination folder (None for the trash).
    files : list of (src, dst, size)
        In the order they will be moved (``dst`` None when only known at move time).

    Returns
    -------
    (batch id, row ids in the order of ``files``)
    """
    now = time.time()
    with store.transaction() as conn:
        cur = conn.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES (?,?,?,'running')",
                           (kind, None if destination is None else db_path(destination), now))
        batch_id = cur.lastrowid
        ids = []
        for src, dst, size in files:
            cur = conn.execute(
                "INSERT INTO journal (batch_id, src, dst, size, state, updated_at) VALUES (?,?,?,?,'planned',?)",
                (batch_id, db_path(src), None if dst is None else db_path(dst), size, now))
            ids.append(cur.lastrowid)
    return batch_id, ids


def mark(store, row_id: int, state: str, *, dst: str | None = None, sha256: str | None = None,
         error: str | None = None) -> None:
    """Set a row's state (and its destination / digest / error when given); committed at once."""
    sets, args = ["state = ?", "updated_at = ?"], [state, time.time()]
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
    cur = store.conn.execute(
        "SELECT id, batch_id, src, dst, size, sha256, state, error FROM journal WHERE batch_id = ? ORDER BY id",
        (batch_id,))
    return [JournalRow(r[0], r[1], path_from_db(r[2]), None if r[3] is None else path_from_db(r[3]), *r[4:])
            for r in cur]


def batch(store, batch_id: int) -> BatchInfo:
    for info in list_batches(store, batch_id=batch_id):
        return info
    raise UsageError(f"no batch {batch_id} in {printable_path(store.path)} (see `blurscan undo --list`)")


def list_batches(store, *, batch_id: int | None = None) -> list[BatchInfo]:
    """Every batch, newest first, with counts of its rows."""
    sql = ("SELECT b.id, b.kind, b.destination, b.created_at, b.state, COUNT(j.id), "
           "SUM(j.state = 'done'), SUM(j.state = 'failed'), SUM(j.state = 'undone'), "
           "COALESCE(SUM(CASE WHEN j.state IN ('done', 'undone') THEN j.size END), 0) "
           "FROM batches b LEFT JOIN journal j ON j.batch_id = b.id")
    args: tuple = ()
    if batch_id is not None:
        sql += " WHERE b.id = ?"
        args = (batch_id,)
    sql += " GROUP BY b.id ORDER BY b.id DESC"
    return [BatchInfo(r[0], r[1], None if r[2] is None else path_from_db(r[2]), r[3], r[4], r[5], r[6] or 0,
                      r[7] or 0, r[8] or 0, r[9] or 0)
            for r in store.conn.execute(sql, args)]


def latest_undoable(store) -> int | None:
    """The newest batch not yet undone, or None."""
    row = store.conn.execute("SELECT id FROM batches WHERE state != 'undone' ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]


def moved_paths(store) -> frozenset[str]:
    """Paths whose file a move or trash batch took away and that are still absent.

    The review page and the report use this to stop showing a moved photo as present. A file that is back
    at its path (restored by undo or from the desktop trash, or a new file of the same name) is not in the
    set; a row killed mid-move (``moving``) counts when its source is gone.
    """
    out = set()
    for (src,) in store.conn.execute("SELECT DISTINCT src FROM journal WHERE state IN ('done', 'moving')"):
        src = path_from_db(src)
        if not os.path.lexists(src):
            out.add(src)
    return frozenset(out)


@contextlib.contextmanager
def exclusive(store) -> Iterator[None]:
    """Hold the actions lock of this database: one move / trash / undo at a time.

    A lock file ``<db>.actions.lock`` with ``flock`` (released by the kernel when a process dies, so a killed
    batch never leaves a stale lock). In-memory databases need no lock.
    """
    if store.path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no cross-process lock
        yield
        return
    lock_path = store.path + ".actions.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ActionError(f"{printable_path(lock_path)}: cannot open the actions lock: "
                          f"{(exc.strerror or str(exc)).lower()}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise ActionError(f"{printable_path(store.path)}: another blurscan move, trash or undo is running on "
                              "this database; wait for it to finish") from exc
        yield
    finally:
        os.close(fd)
