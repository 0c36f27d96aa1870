"""Whether a path can be a blurscan database at all, told before SQLite opens it.

SQLite's own words for a folder where the database should be (``mkdir .blurscan.db``, a backup tool's folder
of that name) are "unable to open database file", which names no reason. :func:`check_database_file` says
what the path is instead.
"""
from __future__ import annotations

import os
import stat

from .errors import StoreError, printable_path


def check_database_file(path: str) -> None:
    """Raise :class:`~blurscan.errors.StoreError` when ``path`` is a folder. Anything else is left to SQLite:
    ``":memory:"``, a path that does not exist yet, a file."""
    if path == ":memory:":
        return
    try:
        st = os.stat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{printable_path(path)}: cannot use database: it is a folder, not a database file "
                         "(rename or remove the folder, or choose another file with --db)")
