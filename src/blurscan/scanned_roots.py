"""The folders a database was scanned from, recorded by every scan: :func:`remember_roots`, :func:`scanned_roots`.

A database does not otherwise know which folders were scanned into it: its photos' common folder can be a
sub-folder of the one scanned (``blurscan scan LIB --db LIB/my.db`` with every photo in ``LIB/2024``), and
:mod:`blurscan.library_root` then took that sub-folder for the library. The roots are kept in the ``meta``
table under :data:`ROOTS_KEY` (a JSON list of absolute paths, as :data:`blurscan.seeded.SEEDS_KEY` is): no new
table, so a database written by an older blurscan is read as before (no roots recorded) and one written here
is read by an older blurscan, which ignores the key.
"""
from __future__ import annotations

import json
import os

from .walk import canonical
from . import stored_json

#: The ``meta`` key under which a database lists the folders scanned into it.
ROOTS_KEY = "scanned_roots"


def roots_of(paths) -> list[str]:
    """The folders a scan of ``paths`` (command-line paths) covers: each existing folder, and a file's folder
    (the folder a scan of the file alone keeps its ``.blurscan.db`` in, :func:`blurscan.cli.locate.default_db_path`),
    absolute with links among the folders resolved, as the store's paths are (:func:`blurscan.walk.canonical`:
    a library scanned through a link, ``~/Pictures -> /data/photos``, is recorded as ``/data/photos``). A path
    that does not exist is not scanned and not recorded."""
    roots: dict[str, None] = {}  # (in their order, each once: a list looked through took the square of their number)
    for raw in paths:
        path = canonical(raw)
        if os.path.isdir(path):
            root = path
        elif os.path.lexists(path):
            root = os.path.dirname(path)  # (canonical: its folder is resolved, the file's own name kept)
        else:
            continue
        roots[root] = None
    return list(roots)


def outermost(roots: list[str]) -> list[str]:
    """``roots`` without those inside another of them (a root scanned later that holds an earlier one stands for
    both: its scan goes through the earlier one too), in their order."""
    written: dict[str, set[str]] = {}  # a root without its trailing separators -> the roots written so
    for root in roots:
        written.setdefault(root.rstrip(os.sep), set()).add(root)
    kept: dict[str, None] = {}
    for root in roots:
        # each folder above it looked up, not each other root looked at (8,000 folders of a --files-from list
        # took 72 s, the square of their number, until 2026-12-06); as _within reads a root: by its text
        if root not in kept and not any(written.get(root[:i], {root}) - {root}
                                        for i, ch in enumerate(root) if ch == os.sep):
            kept[root] = None
    return list(kept)


def remember_roots(store, paths) -> None:
    """Add the folders a scan of ``paths`` covers (:func:`roots_of`) to those ``store`` records
    (:func:`scanned_roots`), keeping only the outermost ones. Written only when something changes (a re-scan
    of the same library writes nothing)."""
    roots = roots_of(paths)
    known = scanned_roots(store)
    if outermost(known + roots) == known:
        return
    with store.transaction() as conn:  # read again under the write lock: a scan of another folder meanwhile
        known = scanned_roots(store)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (ROOTS_KEY, json.dumps(outermost(known + roots))))


def scanned_roots(store) -> list[str]:
    """The folders scanned into ``store`` (absolute, none inside another), whether or not they are still there;
    empty for a database written before blurscan recorded them (or one only ever given records by code)."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (ROOTS_KEY,)).fetchone()
    try:
        roots = stored_json.parsed(row[0], "a stored value") if row is not None else []
    except (TypeError, ValueError):
        return []
    return [r for r in roots if isinstance(r, str) and os.path.isabs(r)] if isinstance(roots, list) else []


def _within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it (compared as text: both absolute and resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
