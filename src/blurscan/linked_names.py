"""Rows an older blurscan stored under a name that runs through a symbolic link to a folder.

Until 2026-12-03 a scan stored each photo under the path as it was given, its folders' links unresolved: a
library scanned as ``~/Pictures``, a link to ``/data/photos``, has its records, keeps and discards, burst groups
and journal under ``~/Pictures/...``. Since then a scan stores the canonical name (:func:`blurscan.walk.canonical`:
``/data/photos/...``), so after an upgrade the first scan stored every photo a second time and scored it again;
the report listed the old rows, with the old version's scores; the keeps and discards and a person's burst keepers
stayed with the old names, so that ``move`` given the library found nothing to take ("photos elsewhere in the
library would be"), and took the library to be the folder above both names.

:func:`adopt` gives such rows the canonical name of the photo, once the walk of a scan has found it under that
name: a stored path whose folder is not one the walk went through and resolves (``realpath``) to one that it
did, or, with only the links above it resolved, is one (a folder the walk went through by a link's name,
``--follow-symlinks``: an older ``~/lib/trip``, ``~`` a link, is the walk's ``/data/home/lib/trip``; until
2026-12-05 those rows were left and their photos scored again). The two names are then one place, so the
photo's record (reused when the cache key allows), its keep or discard, the history of its decisions, its
burst group rows and its journal rows move to the canonical name.
Where both names hold a row, the one under the canonical name stays (a scan by this version made it), except for
decisions, where the one made on the file now there (its size and modification time) stays, else the later one:
the link may have named another folder then (``current -> 2020``, now ``-> 2021``), and another photo's discard
replaced this one's keep (until 2026-12-05). A folder linked into a library that the walk goes through under the
link's name (``--follow-symlinks``) is one the walk went through: its rows are left as they are; so are the rows of a
folder inside one scanned into the database (:func:`blurscan.scanned_roots.scanned_roots`, recorded since
2026-12-03): a link below a scanned folder is the name that folder's ``--follow-symlinks`` scan gives its photos,
this version's name, not an older one's (a scan of the linked folder alone took them, with the person's decisions,
and the next scan of the library stored and scored them again, undecided: 2026-12-05). A photo ``move`` took
away is renamed too (its folder is walked): its journal rows name the canonical place, the same one, where ``undo``
puts it back. The cost, paid by every scan: one read of the stored paths outside the folders scanned into the
database (none in a database this version scanned whole; until 2026-12-05 every stored path, 0.16 s for 100,000
photos), which the scan's pruning (:func:`gone_below`) looks through too (until 2026-12-05 it read them a second
time), and a ``realpath`` of each stored folder the walk did not go through.

:func:`leftovers` finds, reading only, the rows no scan has converted yet, for the commands that read the database
(``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag``) to say that a scan converts them: before it they
listed those photos under the link's name, and found nothing under the real one, without a word (until
2026-12-05). Only rows outside the folders scanned into the database are read (an indexed range of the paths:
none at all in a database this version scanned whole).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .records import ImageRef
from . import stored_json

#: The tables keyed by a photo's path, looked in for linked names.
_KEYED = ("images", "decisions", "burst_groups")


def adopt(store, items: Iterable, outside: dict[str, list[str]] | None = None) -> int:
    """Give rows stored under a linked name of a folder among ``items`` (a walk's output) that folder's name.

    Returns the number of names changed. Nothing is written when there is none (every scan calls this). Only
    the rows outside the folders scanned into the database are read (those below one are left, see above);
    ``outside``, when given, is filled with the records (``images`` rows) among them that keep their name, by
    folder: the scan's :func:`gone_below` looks through those, not the table a second time (until 2026-12-05 it
    read them again: a re-scan of 2,000 photos with 100,000 rows of another library, gone, took 0.29 s, now 0.16).
    """
    from .scanned_roots import scanned_roots
    from .store import db_path, path_from_db

    roots = [root.rstrip(os.sep) + os.sep for root in scanned_roots(store)]
    where, args = _outside(roots)
    found = {item.path: (item.size, item.mtime_ns) for item in items if isinstance(item, ImageRef)}
    walked = {os.path.dirname(path) for path in found}
    real_of: dict[str, str | None] = {}
    resolved: dict[str, str] = {}
    renames: dict[str, str] = {}
    for table in _KEYED:
        for (value,) in store.conn.execute(f"SELECT DISTINCT path FROM {table} WHERE {where}", args):
            path = path_from_db(value)
            folder, name = os.path.split(path)
            if table == "images" and outside is not None:
                outside.setdefault(folder, []).append(path)
            if folder in walked or path in renames:
                continue
            if folder not in real_of:  # (a folder below a scanned one: the name its scan gives, left)
                below = any((folder + os.sep).startswith(root) for root in roots)
                real_of[folder] = _walked_name(folder, walked, resolved) if not below and os.path.isdir(folder) \
                    else None
            real = real_of[folder]
            if real is not None and real != folder and real in walked:
                renames[path] = os.path.join(real, name)
    for folder in {os.path.dirname(path) for path in renames} if outside is not None else ():
        if folder in outside:  # (a record renamed: under the walked name now, not outside)
            outside[folder] = [path for path in outside[folder] if path not in renames]
    if not renames:
        return 0
    with store.transaction() as conn:
        for old, new in renames.items():
            _rename(conn, db_path(old), db_path(new), new, found.get(new))
    return len(renames)


def _walked_name(folder: str, walked: set[str], resolved: dict[str, str]) -> str:
    """The name a walk gave ``folder`` (one folder, through links): its canonical name, or, where the walk went
    through a link by the link's name (``--follow-symlinks``), the name with the links above it resolved: an
    older blurscan's ``home/lib/trip`` (``home -> data``, ``trip`` a link to a folder outside the library) is the
    walk's ``data/lib/trip``, not the folder outside (until 2026-12-05 its rows were left, its photos scored
    again). The canonical name when no such name was walked; ``resolved`` caches ``realpath``."""
    canonical = _real(folder, resolved)
    if canonical in walked:
        return canonical
    return next((name for name, _head in _partly_resolved(folder, resolved) if name in walked), canonical)


def _real(path: str, resolved: dict[str, str]) -> str:
    """``os.path.realpath(path)``, kept in ``resolved``."""
    if path not in resolved:
        resolved[path] = os.path.realpath(path)
    return resolved[path]


def _partly_resolved(folder: str, resolved: dict[str, str]):
    """``folder``'s names with the links above a part of it resolved, with that part (``head``): the parent's
    links first, then the grandparent's, up to the root (``realpath(head)`` joined with the rest of the name)."""
    head, rest = folder, []
    while True:
        head, tail = os.path.split(head)
        if not tail:
            return
        rest.insert(0, tail)
        yield os.path.join(_real(head, resolved), *rest), head


def _rename(conn, old, new, new_text: str, identity: tuple[int, int] | None) -> None:
    """Move the rows of ``old`` to ``new`` (both as stored: :func:`blurscan.store.db_path`), its journal rows
    too; ``identity``: the size and modification time of the file the walk found as ``new`` (None: not found,
    moved away)."""
    rename_rows(conn, old, new, new_text, identity)
    conn.execute("UPDATE journal SET src = ? WHERE src = ?", (new, old))


def rename_rows(conn, old, new, new_text: str, identity: tuple[int, int] | None) -> None:
    """Move the photo rows of ``old`` to ``new`` (both as stored: :func:`blurscan.store.db_path`): its record,
    keep or discard and their history, burst group rows and replaced keeps, not its journal rows (also
    :func:`blurscan.actions.carried_records.mark_put_back`: a photo undo put back into its library carried with
    its drive to another place); ``identity``: the size and modification time of the file at ``new`` (None:
    not there)."""
    row = conn.execute("SELECT record FROM images WHERE path = ?", (old,)).fetchone()
    if row is not None:
        if conn.execute("SELECT 1 FROM images WHERE path = ?", (new,)).fetchone() is None:
            try:
                record = stored_json.parsed(row[0])
                record["path"] = new_text
            except (ValueError, TypeError):  # a damaged record (a shared library's database): scored afresh
                conn.execute("DELETE FROM images WHERE path = ?", (old,))
            else:
                conn.execute("UPDATE images SET path = ?, record = ? WHERE path = ?", (new, json.dumps(record), old))
        else:
            conn.execute("DELETE FROM images WHERE path = ?", (old,))
    def ranked(path):  # (made on the file found there, when): the greater stays
        row = conn.execute("SELECT size, mtime_ns, decided_at FROM decisions WHERE path = ?", (path,)).fetchone()
        return None if row is None else (identity is not None and (row[0], row[1]) == identity, row[2])

    mine, theirs = ranked(old), ranked(new)
    if mine is not None and (theirs is None or mine > theirs):
        conn.execute("DELETE FROM decisions WHERE path = ?", (new,))
        conn.execute("UPDATE decisions SET path = ? WHERE path = ?", (new, old))
    else:
        conn.execute("DELETE FROM decisions WHERE path = ?", (old,))
    conn.execute("UPDATE decision_log SET path = ? WHERE path = ?", (new, old))
    for table in ("burst_groups", "replaced_keeps"):  # (a row the other name has already: the other name's stays)
        conn.execute(f"UPDATE OR IGNORE {table} SET path = ? WHERE path = ?", (new, old))
        conn.execute(f"DELETE FROM {table} WHERE path = ?", (old,))


def gone_below(store, roots: list[str], seen: set[str], unlisted: tuple[str, ...],
               outside: dict[str, list[str]]) -> list[str]:
    """The stored records (``images`` rows) of photos gone from under a linked name whose folder, with its links
    resolved, is in ``roots`` (canonical folders a complete scan walked): the rows :func:`adopt` would have
    converted had the photo still been there, and the scan then forgotten. Such rows are outside the scanned
    folders' names, so the scan's pruning (:func:`blurscan.pruning.prune`) did not reach them: ``report`` said a
    scan updates the database, and no scan did (until 2026-12-05). As :func:`adopt` does, rows below a folder
    scanned into the database are left (a ``--follow-symlinks`` scan's name), and so are those of ``seen``
    (found, or taken away by ``move``), those whose file is there under the stored name, and those whose
    resolved name is below a folder the walk could not list (``unlisted``, each ending in a separator). Only
    rows outside the folders scanned into the database are looked at: ``outside``, as the scan's :func:`adopt`
    read them, by folder (until 2026-12-05 read here a second time), a ``realpath`` or so for each folder; the
    decisions and journal rows stay, as pruning leaves those of the photos deleted under their real name."""
    from .scanned_roots import scanned_roots

    inside = tuple(root.rstrip(os.sep) + os.sep for root in roots)
    if not inside:
        return []
    known = [root.rstrip(os.sep) + os.sep for root in scanned_roots(store)]
    resolved: dict[str, str] = {}
    gone = []
    for folder, paths in outside.items():
        if any((folder + os.sep).startswith(root) for root in known):  # (a BLOB name; a folder scanned since)
            continue
        real = _resolved_below(folder, inside, resolved)
        if real is not None and not (real + os.sep).startswith(unlisted):
            gone += [path for path in paths if path not in seen and not os.path.lexists(path)]
    return gone


def _resolved_below(folder: str, inside: tuple[str, ...], resolved: dict[str, str]) -> str | None:
    """``folder``'s name with its links resolved (all of them, else only those above a part of it, as
    :func:`_walked_name` tries) where that is another name, below one of ``inside``; None if none is. The folder
    may be gone: ``realpath`` resolves the part of the name that is still there."""
    names = [_real(folder, resolved)] + [name for name, _head in _partly_resolved(folder, resolved)]
    for name in names:
        if name != folder and (name + os.sep).startswith(inside):
            return name
    return None


@dataclass(frozen=True)
class Leftover:
    """Photos stored under one linked folder's name that a scan has not converted yet: ``folder``, the folder
    their stored names have in common (through the link), ``real``, its canonical name, ``photos``, how many.
    ``scan``: where the name a scan gives them is not the canonical one but the walk's, through a link inside a
    scanned folder (``home/lib/trip``, ``home -> data/home``, ``trip`` a link to a folder outside the library:
    ``data/home/lib/trip``), the folder whose ``--follow-symlinks`` scan converts them (``home/lib``), and
    ``real`` that name; a scan of ``folder`` alone would store them under the folder outside (until 2026-12-05
    the note advised it, and the person's decisions stayed there)."""

    folder: str
    real: str
    photos: int
    scan: str | None = None  # (the folder whose --follow-symlinks scan converts them, when not ``folder`` itself)


def leftovers(store, under: str | None = None) -> list[Leftover]:
    """The photos of ``store`` (a row in any table :func:`adopt` converts) stored under a linked folder's name
    that a scan of that folder would convert, grouped by the link, most photos first; with ``under`` (a
    canonical folder) only those whose stored or canonical name is under it. Rows under a scanned folder are
    not counted, as :func:`adopt` leaves them; nor those of a folder none of whose stored photos is still there
    (deleted since: the walk finds nothing there, so adopt converts nothing; the note stayed after the scan it
    advised until 2026-12-05); nor those under a link inside the folder of a ``.blurscan.db`` to
    a folder outside it (``lib/trip -> /data/trip``): the name a ``--follow-symlinks`` scan of the library gives
    and keeps (in an older database, which recorded no scanned folder, too); of a database named otherwise
    (``--db ~/photos.db``) the library is :func:`blurscan.library_root.library_root` (until 2026-12-05 there was
    none, and the note advised a scan of the linked folder). Nothing is written."""
    from .scanned_roots import scanned_roots
    from .store import path_from_db

    roots = [root.rstrip(os.sep) + os.sep for root in scanned_roots(store)]
    where, args = _outside(roots)
    real_of: dict[str, str | None] = {}
    walk_of: dict[str, tuple[str, str] | None] = {}  # a folder -> (the walk's name, the folder to scan): _walk_below
    resolved: dict[str, str] = {}
    paths: dict[str, tuple[str, str]] = {}  # stored path -> (its folder, that folder's canonical name)
    for table in _KEYED:
        for (value,) in store.conn.execute(f"SELECT DISTINCT path FROM {table} WHERE {where}", args):
            path = path_from_db(value)
            folder, name = os.path.split(path)
            if path in paths or any((folder + os.sep).startswith(root) for root in roots):  # (a BLOB name)
                continue
            if folder not in real_of:
                real = os.path.realpath(folder) if os.path.isdir(folder) else None
                real_of[folder] = real if real != folder else None
                if real_of[folder] is not None:
                    walk_of[folder] = _walk_below(folder, roots, resolved)
            real = real_of[folder]
            walk = walk_of.get(folder)
            shown = real if walk is None else walk[0]
            if real is not None and (_within(path, under) or _within(os.path.join(shown, name), under)):
                paths[path] = (folder, real)
    found_in: dict[str, bool] = {}  # a folder a scan finds a stored photo in: adopt converts every row of it
    for path, (folder, _real) in paths.items():
        if not found_in.get(folder):
            found_in[folder] = os.path.isfile(path)  # (a stat or so a folder: the first photo still there)
    groups: dict[tuple[str, str | None], list[str]] = {}  # (the link, the folder to scan through it) -> folders
    for folder, _real in paths.values():
        if found_in[folder]:
            walk = walk_of.get(folder)
            groups.setdefault((_link_of(folder, real_of), walk and walk[1]), []).append(folder)
    home = _library_of(store) if groups else None
    if groups and home is None:  # (a database named otherwise: its photos' library, by their common folder)
        from .library_root import library_root

        home = library_root(store)
    found = []
    for (link, scan), folders in groups.items():
        if home is not None and _within(link, home) and link != home and not _within(real_of[link] or link, home):
            continue  # a link in the library to a folder outside it: the name a --follow-symlinks scan keeps
        common = os.path.commonpath(folders)
        if scan is None:
            found.append(Leftover(common, os.path.realpath(common), len(folders)))
        else:  # (the walk's name: the scanned folder's canonical name and the rest as stored)
            walked = os.path.join(os.path.realpath(scan), os.path.relpath(common, scan))
            found.append(Leftover(common, os.path.normpath(walked), len(folders), scan))
    return sorted(found, key=lambda leftover: (-leftover.photos, leftover.folder))


def _walk_below(folder: str, roots: list[str], resolved: dict[str, str]) -> tuple[str, str] | None:
    """Where ``folder`` (a linked name, not below ``roots``, the scanned folders ending in a separator) has its
    canonical name outside them but another, its links above a part of it resolved (as :func:`_walked_name`
    tries), below one of them: that name, the one a ``--follow-symlinks`` scan gives it, and the folder whose
    scan gives it (the part resolved, as stored: ``home/lib`` of ``home/lib/trip``). None otherwise."""
    inside = tuple(roots)
    if not inside or (_real(folder, resolved) + os.sep).startswith(inside):
        return None
    return next(((name, head) for name, head in _partly_resolved(folder, resolved)
                 if name != folder and (name + os.sep).startswith(inside)), None)


def _outside(roots: list[str]) -> tuple[str, list[str]]:
    """An SQL condition on ``path`` (with its arguments) that leaves out the text paths below ``roots`` (folders
    ending in a separator, none inside another), as ranges of the path's index: ``root/`` up to ``root0``
    (``0`` follows ``/``). A BLOB sorts after every text, so a name stored as bytes is always read; a root that
    is not UTF-8 is left out of the condition (it cannot be given as SQL text; its rows are BLOBs, read anyway,
    and the callers leave them out by name)."""
    from .store import db_path

    roots = [root for root in roots if isinstance(db_path(root), str)]
    if not roots:
        return "1", []
    clauses, args, low = [], [], None
    for start in sorted(roots):
        end = start[:-1] + chr(ord(start[-1]) + 1)
        clauses.append("path < ?" if low is None else "(path >= ? AND path < ?)")
        args += [start] if low is None else [low, start]
        low = end
    clauses.append("path >= ?")
    args.append(low)
    return " OR ".join(clauses), args


def _link_of(folder: str, real_of: dict[str, str | None]) -> str:
    """The outermost folder of ``folder``'s name that is a link (or runs through one): where its name and the
    canonical one part. Photos under one link are named together (their common folder)."""
    link = folder
    parent = os.path.dirname(link)
    while parent != link:
        if parent not in real_of:
            real_of[parent] = os.path.realpath(parent) if os.path.realpath(parent) != parent else None
        if real_of[parent] is None:
            break
        link, parent = parent, os.path.dirname(parent)
    return link


def _library_of(store) -> str | None:
    """The library folder a ``.blurscan.db`` sits in, its links resolved (None: a database named otherwise)."""
    from .config import DEFAULT_DB_NAME

    path = os.fspath(store.path)
    return os.path.realpath(os.path.dirname(os.path.abspath(path))) if os.path.basename(path) == DEFAULT_DB_NAME \
        else None


def _within(path: str, folder: str | None) -> bool:
    """``path`` is ``folder`` or below it (always, when ``folder`` is None)."""
    return folder is None or path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
