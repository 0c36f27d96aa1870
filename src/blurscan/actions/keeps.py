"""Keeps recorded in other library databases than the one a ``move`` / ``trash`` / ``tag`` uses.

A library scanned first by sub-folder (``scan lib/2024``, then ``scan lib``) has two databases: the new one
reuses the sub-folder's results, but the person's decisions stay where they were made. The same holds for the
library's own ``.blurscan.db`` when ``--db`` names another file. A photo kept in any of them must never be taken.
"""
from __future__ import annotations

import os

from ..config import DEFAULT_DB_NAME
from ..errors import StoreError, printable_path
from ..store import Store, path_from_db


def kept_in_other_databases(store, chosen: dict) -> dict[str, str]:
    """Those of the ``chosen`` photos (path -> :class:`~blurscan.actions.plan.Candidate`, its ``size`` and
    ``mtime_ns`` used) marked keep in another library database in a folder above them (path ->
    the reason to skip). Such a database is that of an earlier scan of a sub-folder (``lib/2024/.blurscan.db``
    from ``scan lib/2024`` before ``scan lib``), whose decisions stay in it, or the library's own when ``--db``
    names a file elsewhere: ``move --all-blurry`` took a photo the person had kept there. A keep counts for the
    photo under its path, its real path (a folder reached through a link), or, when that path is gone, for a
    photo of the same suffix, size and time (renamed by hand since). A database that cannot be read protects
    every photo below its folder: its keeps cannot be checked."""
    own = os.path.realpath(store.path) if store.path != ":memory:" else None
    if not chosen:
        return {}
    seen: set[str] = set()
    found: dict[str, str] = {}  # real path of a database -> the path it was found under
    real_of = {path: os.path.realpath(path) for path in chosen}
    for path in chosen:
        for start in dict.fromkeys((os.path.dirname(path), os.path.dirname(real_of[path]))):
            folder = start
            while folder not in seen:
                seen.add(folder)
                candidate = os.path.join(folder, DEFAULT_DB_NAME)
                if os.path.isfile(candidate):
                    real = os.path.realpath(candidate)
                    if real != own:
                        found.setdefault(real, candidate)
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
    out: dict[str, str] = {}
    for real, db in sorted(found.items()):
        top = os.path.dirname(real) + os.sep
        try:
            with Store(db, readonly=True) as other:
                rows = other.conn.execute(
                    "SELECT path, size, mtime_ns FROM decisions WHERE decision = 'keep'").fetchall()
        except StoreError as exc:
            for path in chosen:
                below = path.startswith(os.path.dirname(db) + os.sep) or real_of[path].startswith(top)
                if path not in out and below:
                    out[path] = f"its keep or discard cannot be checked in {printable_path(db)}: {exc}"
            continue
        kept = {path_from_db(r[0]) for r in rows}
        gone = {(os.path.splitext(p)[1].lower(), size, mtime) for p, size, mtime in
                ((path_from_db(r[0]), r[1], r[2]) for r in rows) if not os.path.lexists(p)}
        reason = f"marked keep in {printable_path(db)}"
        for path, cand in chosen.items():
            if path in out:
                continue
            if path in kept or real_of[path] in kept:
                out[path] = reason
            elif gone and (os.path.splitext(path)[1].lower(), cand.size, cand.mtime_ns) in gone:
                out[path] = reason + " (before it was renamed)"
    return out
