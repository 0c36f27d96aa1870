"""A library folder copied with its ``.blurscan.db`` (``cp -a lib lib-copy``): the copy's database still holds
the original's rows, under the original's paths. :func:`check_copy`, run by every open of a database
(:class:`blurscan.store.Store`), finds them and takes them out of the copy.

Until 2026-12-05 the copy's database was read as one library of both folders: a scan of the copy added its
photos beside the original's, every photo made a burst with its twin in the other folder, the common parent
was "the library", and ``move/trash --from-bursts`` from the copy proposed the original's photos as duplicates
to take; ``report`` and ``review`` of the copy listed both folders.

A ``.blurscan.db`` in folder F is a copy of the database of a folder R that a scan recorded in it
(:mod:`blurscan.scanned_roots`) when R is neither F nor inside F, R still has a ``.blurscan.db`` of its own
(another file, not the same one through a link) and F mirrors R: a photo stored under R is still there
unchanged (its size and modification time) and a file of its size is at the same place under F. A library
renamed or moved with its database (``mv lib lib2``) leaves no database at R (and no photo there): it is not a
copy, and the scan carries its rows to the new paths (:mod:`blurscan.renamed`) as before.

The copy's rows under R (and not under F) are the original library's, whose own database keeps them: a copy
that can be written forgets them, once, with a ``note:`` on stderr: the records, decisions, decision history,
burst groups (a group with a shot there: it is grouped again) and replaced keeps under R, the batches of the
journal that the original's database holds too (the same id, kind and time: undone from the original), and R
from the scanned folders. A batch made in the copy stays, with its undo. The original's database is opened
read-only to compare batches, never written. A copy that cannot be written (``report`` opens read-only; a
read-only medium) is read without those rows, with the note at each use: R is not one of its scanned folders
(so ``review``, ``move``, ``trash`` and ``tag`` take nothing under it, :mod:`blurscan.library_bounds`), and
:meth:`~blurscan.store.Store.records` leaves out what is under R.
"""
from __future__ import annotations

import json
import os

from .config import DEFAULT_DB_NAME

#: The stored photos of a folder R looked at to tell that F mirrors it (at random: a copy from which some
#: photos were deleted is still found).
_SAMPLE = 64

#: Databases this process has said are copies (said once per process: a command opens one several times).
_SAID: set[tuple[str, str]] = set()


def foreign_roots(store) -> tuple[str, ...]:
    """The scanned folders of ``store`` that belong to the library it was copied from (module docstring);
    empty for a database that is no copy (or not a library's ``.blurscan.db``)."""
    from .scanned_roots import recorded_roots

    if store.path == ":memory:" or os.path.basename(store.path) != DEFAULT_DB_NAME:
        return ()
    own = os.path.dirname(os.path.abspath(store.path))
    owns = {own, os.path.realpath(own)}
    found = []
    for root in recorded_roots(store):
        if any(_within(root, folder) for folder in owns):
            continue  # the library's own folder or one inside it
        original = os.path.join(root, DEFAULT_DB_NAME)
        try:
            if not os.path.isfile(original) or os.path.samefile(original, store.path):
                continue  # no database there (a library moved away), or this very file through a link
        except OSError:
            continue
        if _mirrors(store, root, own):
            found.append(root)
    return tuple(found)


def _mirrors(store, root: str, own: str) -> bool:
    """Whether a photo ``store`` holds under ``root`` (not under ``own``) is still there unchanged, and a file of
    its size is at the same place under ``own``."""
    from .store import _under_clause, path_from_db

    args: list = []
    inside = _under_clause(root, args)
    rows = store.conn.execute(f"SELECT path, size, mtime_ns FROM images WHERE {inside} ORDER BY random() LIMIT ?",
                              (*args, _SAMPLE)).fetchall()
    for value, size, mtime_ns in rows:
        path = path_from_db(value)
        if _within(path, own):
            continue
        try:
            here, there = os.stat(path), os.stat(os.path.join(own, os.path.relpath(path, root)))
        except (OSError, ValueError):
            continue
        if (here.st_size, here.st_mtime_ns) == (size, mtime_ns) and there.st_size == size:
            return True
    return False


def check_copy(store, *, readonly: bool) -> tuple[str, ...]:
    """Find whether ``store`` is a copied library's database and take the original's rows out of it (forgotten
    when it may be written, else ignored: module docstring), with one ``note:`` on stderr. Returns the folders
    whose rows are still in it and must be ignored (:attr:`blurscan.store.Store.foreign`); empty once forgotten."""
    roots = foreign_roots(store)
    if not roots:
        return ()
    own = os.path.dirname(os.path.abspath(store.path))
    forgotten = False
    if not readonly:
        from .errors import StoreError

        try:
            _forget(store, roots, own)
            forgotten = True
        except StoreError:  # (opened to write, but the file or its folder is read-only): left out, as by report
            pass
    _say(store.path, roots, own, forgotten)
    return () if forgotten else roots


def _forget(store, roots: tuple[str, ...], own: str) -> None:
    """Delete from ``store`` (the copy) its rows under ``roots`` and not under ``own``, and the batches the
    original databases hold too; drop ``roots`` from the scanned folders. One transaction."""
    from .scanned_roots import ROOTS_KEY, recorded_roots
    from .store import _under_clause

    inherited = {root: _original_batches(root) for root in roots}
    with store.transaction() as conn:
        for root in roots:
            theirs: list = []
            where = f"{_under_clause(root, theirs)} AND NOT {_under_clause(own, theirs)}"
            for table in ("images", "decisions", "decision_log", "replaced_keeps"):
                conn.execute(f"DELETE FROM {table} WHERE {where}", theirs)
            conn.execute(f"DELETE FROM burst_groups WHERE group_id IN (SELECT group_id FROM burst_groups WHERE "
                         f"{where})", theirs)
            for batch_id, kind, created_at in inherited[root]:
                if conn.execute("SELECT 1 FROM batches WHERE id = ? AND kind = ? AND created_at = ?",
                                (batch_id, kind, created_at)).fetchone() is None:
                    continue  # another batch under that number: made in the copy, kept with its undo
                for table in ("journal", "batch_folders"):
                    conn.execute(f"DELETE FROM {table} WHERE batch_id = ?", (batch_id,))
                conn.execute("DELETE FROM batches WHERE id = ?", (batch_id,))
        kept = [root for root in recorded_roots(store) if root not in roots]
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ROOTS_KEY, json.dumps(kept)))


def _original_batches(root: str) -> list[tuple[int, str, float]]:
    """The batches of the database in ``root`` (opened read-only; none when it cannot be read)."""
    import sqlite3

    from .errors import StoreError
    from .store import Store

    try:
        with Store(os.path.join(root, DEFAULT_DB_NAME), readonly=True) as original:
            return [tuple(row) for row in original.conn.execute("SELECT id, kind, created_at FROM batches")]
    except (StoreError, sqlite3.Error):
        return []


def _say(path: str, roots: tuple[str, ...], own: str, forgotten: bool) -> None:
    import shlex

    import click

    from .errors import printable_path

    key = (os.path.abspath(path), "forgotten" if forgotten else "ignored")
    if key in _SAID:
        return
    _SAID.add(key)
    names = ", ".join(printable_path(root) for root in roots)
    what = "forgotten" if forgotten else f"left out (forgotten by the next command that writes it: `blurscan scan " \
        f"{shlex.quote(printable_path(own))}`)"
    click.echo(f"note: {printable_path(path)} is a copy of the database of {names}, which keeps its own: its "
               f"photos there are not this library's, and are {what}; the library is {printable_path(own)}",
               err=True)


def ignored(store, path: str) -> bool:
    """Whether ``path`` is a row of the original library that a read-only copy leaves out."""
    foreign = getattr(store, "foreign", ())
    if not foreign:
        return False
    own = os.path.dirname(os.path.abspath(store.path))
    return not _within(path, own) and any(_within(path, root) for root in foreign)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
