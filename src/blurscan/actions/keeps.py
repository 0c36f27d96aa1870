"""Keeps recorded in other library databases than the one a ``move`` / ``trash`` / ``tag`` uses.

A library scanned first by sub-folder (``scan lib/2024``, then ``scan lib``) has two databases: the new one
reuses the sub-folder's results, but the person's decisions stay where they were made. The same holds for the
library's own ``.blurscan.db`` when ``--db`` names another file. A photo kept in any of them must never be taken.
"""
from __future__ import annotations

import os
import sqlite3

from ..config import DEFAULT_DB_NAME
from ..errors import StoreError, printable_path
from ..store import Store, path_from_db


def kept_in_other_databases(store, chosen: dict) -> dict[str, str]:
    """Those of the ``chosen`` photos (path -> :class:`~blurscan.actions.plan.Candidate`, its ``size`` and
    ``mtime_ns`` used) that a keep protects beyond this database's keeps by path (path -> the reason to skip).

    * A keep in another library database in a folder above the photo: that of an earlier scan of a sub-folder
      (``lib/2024/.blurscan.db`` from ``scan lib/2024`` before ``scan lib``), whose decisions stay in it, or the
      library's own when ``--db`` names a file elsewhere (``move --all-blurry`` took a photo kept there). It
      counts for the photo under its path or its real path (a folder reached through a link).
    * A keep, in this database or such another one, on a path where no file is any more: it protects a photo
      of the same suffix, size and modification time, which may be the kept photo renamed or moved by hand
      (the scan carries a keep over only when the match is unambiguous; a kept photo renamed *and* copied
      left both copies unprotected).
    * A database above the photo that cannot be read (damaged, or from a newer blurscan) protects every photo
      below its folder: its keeps cannot be checked.
    """
    if not chosen:
        return {}
    own = os.path.realpath(store.path) if store.path != ":memory:" else None
    real_of = {path: os.path.realpath(path) for path in chosen}
    identity = {path: (os.path.splitext(path)[1].lower(), cand.size, cand.mtime_ns) for path, cand in chosen.items()}
    wanted = set(identity.values())
    kept_by_path: dict[str, str] = {}      # kept path -> reason
    kept_by_identity: dict[tuple, str] = {}
    unreadable: dict[str, str] = {}        # folder + os.sep -> reason
    if own is not None:
        _gone_keeps(store.conn, wanted, "marked keep", kept_by_identity)
    for db in _databases_above(chosen, real_of, own):
        name = printable_path(db)
        try:
            with Store(db, readonly=True) as other:
                rows = other.conn.execute("SELECT path FROM decisions WHERE decision = 'keep'").fetchall()
                for (key,) in rows:
                    kept_by_path.setdefault(path_from_db(key), f"marked keep in {name}")
                _gone_keeps(other.conn, wanted, f"marked keep in {name}", kept_by_identity)
        except (StoreError, sqlite3.Error) as exc:
            reason = (f"its keep or discard cannot be checked in {name}: {exc} (if that file is no library's "
                      "database, move it away)")
            for top in {os.path.dirname(db), os.path.dirname(os.path.realpath(db))}:
                unreadable.setdefault(top + os.sep, reason)
    out: dict[str, str] = {}
    for path in chosen:
        reason = kept_by_path.get(path) or kept_by_path.get(real_of[path])
        if reason is None:
            reason = kept_by_identity.get(identity[path])
        if reason is None:
            reason = next((r for top, r in unreadable.items() if path.startswith(top) or real_of[path].startswith(top)),
                          None)
        if reason is not None:
            out[path] = reason
    return out


def _databases_above(chosen, real_of: dict[str, str], own: str | None) -> list[str]:
    """The library databases in the folders above each chosen photo (by its path and its real path), other
    than ``own``: each once, under the first path it was found by."""
    seen: set[str] = set()
    found: dict[str, str] = {}  # real path of a database -> the path it was found under
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
    return [found[real] for real in sorted(found)]


def _gone_keeps(conn, wanted: set, reason: str, out: dict) -> None:
    """Add to ``out`` the identities (suffix, size, time) among ``wanted`` of keeps whose file is gone, each
    with ``reason`` and the kept photo's name. Only keeps of a wanted size are looked at on disk."""
    sizes = {size for _, size, _ in wanted if size is not None}
    if not sizes:
        return
    rows = []
    sized = sorted(sizes)
    for start in range(0, len(sized), 500):
        chunk = sized[start:start + 500]
        rows += conn.execute(f"SELECT path, size, mtime_ns FROM decisions WHERE decision = 'keep' AND size IN "
                             f"({','.join('?' * len(chunk))})", chunk).fetchall()
    for key, size, mtime in rows:
        path = path_from_db(key)
        ident = (os.path.splitext(path)[1].lower(), size, mtime)
        if ident in wanted and ident not in out and not os.path.lexists(path):
            out[ident] = (f"{reason} as {printable_path(os.path.basename(path))}, a photo of the same size and time "
                          "no longer there (this one, renamed or moved by hand?)")
