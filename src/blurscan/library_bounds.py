"""Which stored paths lie in the library: the review page shows and serves, and ``move`` / ``trash`` / ``tag``
take, only those (:func:`in_library`, :func:`outside_paths`).

A database is a file that whoever may write it can change: a row naming a file outside the library (another
user's ``/home/ann/private.jpg``, added by hand to a shared library's ``.blurscan.db``) made the review page list
it, cache its thumbnail in the library (as root: handed to the library's owner) and serve it whole, and made a
discard of it move it (until 2026-12-05). A stored path is *in the library* when it is absolute and normalised
and lies at or below one of :func:`library_folders`: a folder a scan was given (:mod:`blurscan.scanned_roots`;
the photos of a folder linked into it and scanned with ``--follow-symlinks`` are stored through the link, under
it), or the database's own folder (as given, and with its links resolved: ``--db`` kept elsewhere, beside the
library, holds a folder above it); by its name or, failing that, by its real path (the links among its folders
resolved: a library scanned through a link to it by an older blurscan, which stored the link's name). A
database that records no scanned folder (written by an older blurscan) and is not a library's ``.blurscan.db``
(one named by ``--db``, the cache folder's) bounds nothing: every photo of it is in, as before.

The scanned folders are recorded in the database itself, so whoever may write it may add one too: this stops a
row added by hand, not a database forged whole.
"""
from __future__ import annotations

import os
import posixpath

from .config import DEFAULT_DB_NAME
from .scanned_roots import scanned_roots

#: A photo's skip reason (``move``, ``trash``, ``tag``), and the review server's refusal.
OUTSIDE_REASON = "outside the library (under no folder scanned into this database)"


def library_folders(store) -> tuple[str, ...] | None:
    """The folders the photos of ``store`` may lie under (see the module docstring); None: no bound."""
    roots = scanned_roots(store)
    if store.path == ":memory:":
        return Folders(roots) if roots else None
    if not roots and os.path.basename(store.path) != DEFAULT_DB_NAME:
        return None
    folder = os.path.dirname(os.path.abspath(store.path))
    return Folders(dict.fromkeys([*roots, folder, os.path.realpath(folder)]))


class Folders(tuple):
    """:func:`library_folders`' folders, a tuple holding also their set of names that :func:`under_any` looks a
    path's folders up in (made once: a scan of a ``--files-from`` list records each folder holding a listed
    file, hundreds, and ``move`` asks of each of tens of thousands of candidates)."""

    def __new__(cls, folders=()):
        self = super().__new__(cls, folders)
        self.names = _names(self)
        return self


def in_library(path: str, folders: tuple[str, ...] | None, reals: dict | None = None) -> bool:
    """Whether the stored ``path`` is absolute, normalised (no ``..``, ``.``, ``//``) and at or below one of
    ``folders`` (:func:`library_folders`; None: any clean absolute path), by its name or its :func:`real_path`
    (``reals``: folder -> its real path, filled as they are found, for many paths)."""
    if not path or "\x00" in path or not os.path.isabs(path) or os.path.normpath(path) != path:
        return False
    return folders is None or under_any(path, folders) or under_any(real_path(path, reals), folders)


def real_path(path: str, reals: dict | None = None) -> str:
    """``path`` with the links among its folders resolved (its own name kept); itself when that fails."""
    folder, name = os.path.split(path)
    real = None if reals is None else reals.get(folder)
    if real is None:
        try:
            real = os.path.realpath(folder)
        except (OSError, ValueError):
            real = folder
        if reals is not None:
            reals[folder] = real
    return os.path.join(real, name)


def under_any(path: str, folders) -> bool:
    """Whether ``path`` (absolute) is at or below one of ``folders`` (absolute), by name: ``os.path.commonpath([path,
    folder]) == folder`` for one of them, found by looking up the path and each folder above it (a few lookups,
    however many folders: one ``commonpath`` a folder took 54 s to plan a ``move`` of 80,000 photos against 401
    folders). A folder not written as ``commonpath`` writes it (a trailing ``/``, ``//``, ``/./``) holds nothing."""
    names = folders.names if isinstance(folders, Folders) else _names(folders)
    if names is None:
        return _under_any_by_commonpath(path, folders)
    absolute = path.startswith(os.sep)
    name = os.sep if absolute else ""
    if name in names:
        return True
    for part in path.split(os.sep):
        if part and part != os.curdir:
            name = (name + part) if name in ("", os.sep) else (name + os.sep + part)
            if name in names:
                return True
    return False


def _names(folders) -> frozenset[str] | None:
    """Those of ``folders`` that ``commonpath`` can give back (written as it writes a path: :func:`under_any`),
    as a set; None where ``os.path`` is not POSIX's (Windows: ``commonpath`` compares names case-folded)."""
    if os.path is not posixpath:
        return None
    names = set()
    for folder in folders:
        if isinstance(folder, str):
            parts = [part for part in folder.split(os.sep) if part and part != os.curdir]
            if folder == (os.sep if folder.startswith(os.sep) else "") + os.sep.join(parts):
                names.add(folder)
    return frozenset(names)


def _under_any_by_commonpath(path: str, folders) -> bool:
    """:func:`under_any` by one ``commonpath`` a folder."""
    for folder in folders:
        try:
            if os.path.commonpath([path, folder]) == folder:
                return True
        except ValueError:  # (a relative folder: none is recorded)
            pass
    return False


def outside_paths(store, folders: tuple[str, ...] | None = ()) -> frozenset[str]:
    """The photos of ``store`` (``images``) not in the library (:func:`in_library`; ``folders``: default
    :func:`library_folders`). One query, through the paths' index: only the paths outside every folder by their
    bytes, and those with ``/.`` or ``//`` in them, are looked at in Python (none, in a library scanned by
    blurscan). (A name with a NUL byte is not found here, but never served: :func:`in_library`.)"""
    from .store import path_from_db

    if folders == ():
        folders = library_folders(store)
    outside, args = _outside_ranges(folders or (os.sep,))
    conn = store.conn
    # (two queries: one OR of both is a pass over the table for each)
    rows = [*conn.execute(f"SELECT path FROM images WHERE {outside}", args),
            *conn.execute("SELECT path FROM images WHERE path GLOB '*/[./]*'")]
    reals: dict[str, str] = {}
    return frozenset(path for path in (path_from_db(value) for (value, *_) in rows)
                     if not in_library(path, folders, reals))


def outside_of(store, paths, folders: tuple[str, ...] | None = ()) -> frozenset[str]:
    """Those of ``paths`` (photos of ``store``) that :func:`outside_paths` finds, by the same rule, without a
    pass over the table: for the few photos a review decision changes."""
    if folders == ():
        folders = library_folders(store)
    prefixes = [os.fsencode(folder.rstrip(os.sep) + os.sep) for folder in folders or (os.sep,)]
    reals: dict[str, str] = {}
    return frozenset(path for path in paths
                     if (not os.fsencode(path).startswith(tuple(prefixes)) or "/." in path or "//" in path)
                     and not in_library(path, folders, reals))


def _outside_ranges(folders) -> tuple[str, list]:
    """SQL for the stored paths under none of ``folders`` by their bytes, as ranges of the primary key (found
    through its index, not by a pass over the table): each folder is the paths from ``FOLDER/`` up to
    ``FOLDER0`` (``0`` follows ``/``), as text (every UTF-8 name) and as a BLOB (the others; SQLite sorts
    every text before every BLOB)."""
    inside = []  # (kind, bytes) bounds: kind 0 text, 1 BLOB
    for folder in folders:
        prefix = os.fsencode(folder.rstrip(os.sep) + os.sep)
        end = prefix[:-1] + bytes([prefix[-1] + 1])
        inside.append(((1, prefix), (1, end)))
        try:
            prefix.decode("utf-8"), end.decode("utf-8")
            inside.append(((0, prefix), (0, end)))
        except UnicodeDecodeError:  # (no text path lies under a folder whose name is not UTF-8)
            pass
    merged: list[list] = []
    for lo, hi in sorted(inside):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])

    def value(bound):
        return bound[1].decode("utf-8") if bound[0] == 0 else bound[1]

    terms, args, last = [], [], None
    for lo, hi in merged:
        if last is None:
            terms.append("path < ?")
            args.append(value(lo))
        else:
            terms.append("(path >= ? AND path < ?)")
            args += [value(last), value(lo)]
        last = hi
    terms.append("path >= ?")
    args.append(value(last))
    return "(" + " OR ".join(terms) + ")", args
