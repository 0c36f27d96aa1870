"""How a file path is stored in the database's ``path`` columns (text, or the raw bytes of a name that is not
UTF-8) and read back, and the SQL of "at or under a folder" on them; :func:`in_any` the same test on paths read.

These were :mod:`blurscan.store`'s (which still gives :func:`db_path`, :func:`path_from_db` and :func:`in_any`);
a module of their own since the store neared 500 lines."""
from __future__ import annotations

import os


def in_any(path: str, folders: set[str]) -> bool:
    """Whether ``path`` or one of its parent folders is in ``folders``."""
    while path not in folders:
        path, up = os.path.dirname(path), path
        if path == up:
            return False
    return True


def under_clause(under: str, args: list, column: str = "path") -> str:
    """SQL for "``column`` (a stored path: ``path``, the journal's ``src`` or ``dst``) is ``under`` or below it",
    its parameters appended to ``args``: an exact, case-sensitive prefix test (LIKE is case-insensitive and treats
    _ and % specially)."""
    if column not in ("path", "src", "dst"):
        raise ValueError(f"not a column of stored paths: {column!r}")
    under = os.path.abspath(os.fsdecode(under))
    prefix = under.rstrip(os.sep) + os.sep
    args += [db_path(under), os.fsencode(under), len(os.fsencode(prefix)), os.fsencode(prefix)]
    return f"({column} = ? OR {column} = ? OR substr(CAST({column} AS BLOB), 1, ?) = ?)"


def db_path(path: str | os.PathLike) -> str | bytes:
    """How a file path is stored in a ``path`` column: text, or the raw bytes (a BLOB) for a name that is not
    valid UTF-8 (SQLite text must be UTF-8; such names are surrogate-escaped ``str`` in Python).

    TEXT and BLOB values never compare equal in SQLite, so the mapping is exact both ways; use
    :func:`path_from_db` to read a value back.
    """
    text = os.fsdecode(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def path_from_db(value: str | bytes) -> str:
    """Inverse of :func:`db_path`: the path as Python text (surrogate-escaped for non-UTF-8 bytes)."""
    return os.fsdecode(value) if isinstance(value, (bytes, memoryview)) else value
