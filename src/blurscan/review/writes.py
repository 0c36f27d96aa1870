"""The review page's database, per request, and the answer to a write it cannot store.

``blurscan review`` refuses at start a database it may not write (:func:`blurscan.dbfile.check_writable`). One
that stops being writable while the page is open (its folder remounted read-only, ``chmod a-w``, a full disk)
failed every request the same way, reads too (the database is opened for writing), and a refused keep or
discard named the database but not the photo, after the selection had moved on. Here the database is opened
read only when it can no longer be opened for writing, so the page still shows the photos; and a write that
cannot be stored is answered ``503`` with one line the page shows: which photo, what was not done, and why,
in the words of the other commands (:func:`blurscan.dbfile.read_only_error`: the database, the reason, what
to do). Nothing is recorded.
"""
from __future__ import annotations

import contextlib
import logging
import os

from flask import abort, g, jsonify

from ..errors import StoreError, printable_path
from ..schema import SCHEMA_VERSION
from ..store import Store, path_from_db

log = logging.getLogger(__name__)

#: The status of a write the database could not store (the server cannot do it now; the page shows the reason).
NOT_STORED = 503


def open_store(path: str, *, current: bool = False) -> tuple[Store, StoreError | None]:
    """The database for one request, and None; or, when it can no longer be opened for writing, the database
    opened read only, and the error opening it for writing gave (what a write is then refused with). Raises
    that error when it cannot be read either, or, with ``current`` (the page starting), when read only it is not
    at this blurscan's schema version (its upgrade is what could not be written)."""
    try:
        store = Store(path, create=False)
    except StoreError as exc:
        cannot_write = exc
    else:  # (a keep on disk once the page says so: a power cut lost the last clicks, and with a keep lost, a later
        store.conn.execute("PRAGMA synchronous = FULL")  # move --all-blurry took the photo; until 2026-12-06)
        return store, None
    try:
        store = Store(path, readonly=True)
    except StoreError:
        raise cannot_write from None
    if current and (version := store.schema_version) != SCHEMA_VERSION:
        store.close()
        raise _upgrade_error(path, version, cannot_write) from None
    # the page's own temporary tables (header_figures.summary): the database itself is not written, every write
    # refused first (:func:`stored`), and opened as a file that cannot be written it could not be anyway
    store.conn.execute("PRAGMA query_only = OFF")
    return store, cannot_write


def _upgrade_error(path: str, version: int, cannot_write: StoreError) -> StoreError:
    """The error of a database the page cannot start on: read only it is at schema ``version``, older than this
    blurscan's, and the upgrade the page needs cannot be written (``cannot_write``, e.g. SQLite's "disk I/O error"
    on a full disk). Until 2026-12-06 the page said only ``DB: cannot use database: disk I/O error``."""
    name = printable_path(path)
    why = str(cannot_write).removeprefix(f"{name}: ")
    return StoreError(f"{name}: cannot use database: it needs an upgrade (schema version {version} to "
                      f"{SCHEMA_VERSION}) before the review page can use it, and the upgrade cannot be written "
                      f"({why}); free some room on its disk, or make it writable, and start the page again")


@contextlib.contextmanager
def stored(name: str, refused: str):
    """The block writes to the request's database (``g.store``); when it cannot (opened read only:
    :func:`open_store`; or a write that fails), the request is answered :data:`NOT_STORED` with
    ``NAME: REFUSED: REASON`` (``IMG_1.jpg: keep not recorded: /lib/.blurscan.db: cannot write: ...``)."""
    try:
        if g.get("cannot_write") is not None:
            raise g.cannot_write
        yield
    except StoreError as exc:
        line = f"{name}: {refused}: {exc}"
        log.warning("%s", line)  # (on the terminal too: the page shows it for a while)
        response = jsonify(error=line)
        response.status_code = NOT_STORED
        abort(response)


def photo_name(path: str) -> str:
    """How a refusal names a photo: its file name."""
    return printable_path(os.path.basename(path))


def undo_subject(store, change: int | None) -> tuple[str, str]:
    """``(name, refused)`` of an undo of ``change`` (None: the database's last change not undone): the photo's
    name and ``keep not undone`` (its decision), read from the decision log (readable when it cannot be written)."""
    sql = ("SELECT path, decision FROM decision_log WHERE id = ?" if change is not None else
           "SELECT path, decision FROM decision_log WHERE undone = 0 ORDER BY id DESC LIMIT 1")
    row = store.conn.execute(sql, () if change is None else (change,)).fetchone()
    if row is None:
        return "undo", "nothing undone"
    return photo_name(path_from_db(row["path"])), f"{row['decision'] or 'clearing of the decision'} not undone"


def failure(exc: Exception, db: str) -> tuple[str, str]:
    """What the terminal says of a request that failed unexpectedly, and the one line the page shows: for a
    damaged database, the commands' line naming it both times (until 2026-12-05 "internal error ... no such table:
    journal", naming no database); else the error's first line, and ``internal error of the review server
    (TYPE): ...``."""
    import sqlite3

    from ..dbfile import damaged_error

    if isinstance(exc, sqlite3.DatabaseError):
        said = str(damaged_error(exc, db))
        return said, said
    reason = (str(exc).splitlines() or [""])[0] or type(exc).__name__
    return reason, f"internal error of the review server ({type(exc).__name__}): {reason}"
