"""The XDG base folders (``$XDG_CACHE_HOME``, ``$XDG_DATA_HOME``), read as the XDG Base Directory specification
says: a value that is not an absolute path is invalid and ignored, and the default (``~/.cache``,
``~/.local/share``) is used.

https://specifications.freedesktop.org/basedir-spec/latest/ -- "All paths set in these environment variables
must be absolute. If an implementation encounters a relative path in any of these variables it should consider
the path invalid and ignore it." Until 2026-12-05 a relative value was taken as given, relative to the current
folder: ``XDG_DATA_HOME=share blurscan trash`` stopped with a traceback after journaling its batch, and
``XDG_CACHE_HOME=cache blurscan scan`` of a read-only library kept its database where a later command run from
another folder never looked.
"""
from __future__ import annotations

import os


def cache_home() -> str:
    """``$XDG_CACHE_HOME``, else ``~/.cache`` (read at each call, so tests can point it elsewhere)."""
    return _base("XDG_CACHE_HOME", ".cache")


def data_home() -> str:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (read at each call)."""
    return _base("XDG_DATA_HOME", os.path.join(".local", "share"))


def _base(variable: str, default: str) -> str:
    given = os.environ.get(variable, "")
    if os.path.isabs(given):
        return given
    return os.path.join(os.path.expanduser("~"), default)
