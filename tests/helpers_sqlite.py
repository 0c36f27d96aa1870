"""SQLite connections the tests open on a library's database, closed when done. ``with sqlite3.connect(db) as
conn:`` commits (or rolls back) but leaves the connection open, and ``sqlite3.connect(db).execute(...)`` leaves it
to the collector: from Python 3.13 either warns (``ResourceWarning``), which this suite's pytest settings make an
error."""
from __future__ import annotations

import contextlib
import sqlite3


@contextlib.contextmanager
def connected(path, **kwargs):
    """``with connected(db) as conn:``: what ``with sqlite3.connect(db) as conn:`` does (committed when the block
    ends, rolled back when it raises), and the connection closed after."""
    with contextlib.closing(sqlite3.connect(path, **kwargs)) as conn:
        with conn:
            yield conn


def query(path, sql: str, params=()) -> list:
    """The rows ``sql`` gives on the database at ``path``, read by a connection closed at once."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


_LEFT_OPEN: list = []


def closed_after_the_test(store):
    """``store`` (a :class:`blurscan.store.Store` a helper opened and hands to the test) closed when the test
    ends, by conftest's ``_close_stores_helpers_opened``, however the test ends."""
    _LEFT_OPEN.append(store)
    return store


def close_stores_left_open() -> None:
    """Close those of the stores given to :func:`closed_after_the_test` that the test left open (one it closed is
    not closed again)."""
    while _LEFT_OPEN:
        store = _LEFT_OPEN.pop()
        try:
            store.conn.total_changes  # (a closed connection refuses it)
        except (AttributeError, sqlite3.ProgrammingError):
            continue
        store.close()
