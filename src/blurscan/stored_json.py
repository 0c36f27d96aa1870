"""The JSON text of a stored row's column (a scan record, a burst shot's figures, a ``meta`` value) parsed
(:func:`parsed`), or a damaged-record error that every reader of a database already answers.

A library's database is a file that whoever may write it can change (another member of a group sharing the
library; the person whose archive it came from), and a column it holds may be any text: not JSON, not text at all,
or JSON nested deeper than Python's stack (``[[[[...]]]]``, which :func:`json.loads` refuses with a
RecursionError). :class:`DamagedColumn` is both a :class:`ValueError`, so a reader that treats a damaged column as
none (a sample unknown, a burst shot without figures, a row skipped) goes on doing so, and a
:class:`sqlite3.DatabaseError`, so one that cannot do without it says so as a damaged database: one ``Error:``
line naming it (:func:`blurscan.dbfile.damaged_error`), in the review page the same line in its JSON reply. Until
2026-12-06 a record nested that deep stopped ``move``, ``bursts`` and a rescan after a rename with a traceback and
the review page's detail of the photo with ``internal error ... (RecursionError)``.
"""
from __future__ import annotations

import functools
import json
from typing import Any


def parsed(text, what: str = "a stored scan record") -> Any:
    """``text`` (a stored column's value) as JSON; :class:`DamagedColumn` naming ``what`` when it is not JSON
    Python can read: not text, not JSON, or nested past Python's stack."""
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise _damaged_column()(f"{what} is damaged ({exc})") from None


@functools.cache
def _damaged_column() -> type:
    """The class ``DamagedColumn``, made on first need: sqlite3 is imported only then (a TAB completion imports
    this module, through :mod:`blurscan.scanned_roots`, and loads no such library: tests/test_shell_completion.py)."""
    import sqlite3

    class DamagedColumn(sqlite3.DatabaseError, ValueError):
        """A stored column that is not the JSON blurscan writes there (:func:`parsed`)."""

    DamagedColumn.__module__ = __name__
    return DamagedColumn


def __getattr__(name: str):  # ``stored_json.DamagedColumn``
    if name == "DamagedColumn":
        return _damaged_column()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
