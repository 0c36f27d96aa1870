"""Rows an older blurscan stored twice: a library's drive reached through a second mount point.

Until 2026-12-07 a scan through a second mount point of a library's drive (``mount --bind /media/me/DISK
/mnt/other``, or one file system mounted twice; ``scan /mnt/other/lib`` after ``scan /media/me/DISK/lib``) stored
every photo a second time, under ``/mnt/other/lib``, scored again; it recorded that folder as a second scanned root,
so the library became the folder above both places, and a keep or discard could be made on either name. Since then
such a scan keeps the library's name (:func:`blurscan.library_root.library_names`), but a database already doubled
stayed so: the next scan, through either place, still found two roots and two rows a photo.

:func:`mend`, run by every scan before the library's names are worked out, finds such doubled roots: a scanned root
that is, by device and inode, the folder of another root recorded before it (or a folder in it), reached at another
name. Scanned roots are canonical (no symbolic link in them) and a folder has one name on a mount (no hard link to
a folder), so two names of one folder are two mount points of its file system. The later root is dropped from the
scanned roots (the first one recorded is the library's name, the one the scan of the other place keeps since the
fix), and each row under it goes to the same relative name under the kept one: the photo's record (where the kept
name has one, that stays: same bytes, nothing scored again), its keep or discard (a keep on either name survives:
where the two names disagree, a keep wins over a discard, as blurscan never takes a kept photo; among those made on
the file now there first), the history of decisions, its burst group rows and replaced keeps, and the journal rows
that took it (their source), so that undo puts it back where the library is.

Only names of one place are merged: a row is paired with the row of the same relative name under the other mount
point, the same directory entry, never by the file's inode: two names of one file in a library (a hard link,
``s.jpg`` and ``h.jpg``: one inode) are not a doubling, and are never merged into one another: each name's rows
stay its own (a scan stores one of them, as before), only moved from the doubled root to the library's. A database
whose first root is not there (its drive not mounted) is left as it is.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass


#: The tables (and columns) naming a photo by its path: each name under a doubled root is moved.
_NAMED = (("images", "path"), ("decisions", "path"), ("decision_log", "path"), ("burst_groups", "path"),
          ("replaced_keeps", "path"), ("journal", "src"))


@dataclass(frozen=True)
class Doubled:
    """A root stored a second time: ``root``, the later name, is ``kept`` (the first root's name for it)."""

    root: str
    kept: str


def doubled_roots(store) -> list[Doubled]:
    """The scanned roots of ``store`` that are another name of a root recorded before them (or of a folder in it),
    told by device and inode; reads only. A database with one root (most) stats nothing."""
    from .scanned_roots import scanned_roots

    roots = scanned_roots(store)
    if len(roots) < 2:
        return []
    first: dict[tuple[int, int], str] = {}  # (device, inode) of a root -> its name, the first recorded
    stats: dict[str, tuple[int, int] | None] = {}
    for root in roots:
        key = _identity(root, stats)
        if key is not None:
            first.setdefault(key, root)
    found = []
    for root in roots:
        kept = _named_at(root, first, stats)
        if kept is not None:
            found.append(Doubled(root, kept))
    return found


def library_after(store, doubled: list[Doubled]) -> str | None:
    """The library folder of ``store`` once :func:`mend` has dropped ``doubled`` (reads only): the common folder of
    the roots left (the library's root, for a library doubled by a second mount point of its drive); None when
    that is the file system's root."""
    from .scanned_roots import scanned_roots

    dropped = {d.root for d in doubled}
    left = [root for root in scanned_roots(store) if root not in dropped]
    if not left:
        return None
    common = os.path.commonpath(left)
    return None if os.path.dirname(common) == common else common


def mend(store) -> list[tuple[Doubled, int]]:
    """Merge the rows stored under each doubled root of ``store`` (:func:`doubled_roots`) into those of the kept
    name, and drop the doubled roots. Returns each doubled root with how many records (``images`` rows) of it
    were merged or renamed; nothing is written when there is none (every scan calls this)."""
    from .scanned_roots import ROOTS_KEY, scanned_roots

    doubled = doubled_roots(store)
    if not doubled:
        return []
    merged = []
    with store.transaction() as conn:
        for twin in doubled:
            merged.append((twin, move_under(conn, twin.root, twin.kept)))
        dropped = {twin.root for twin in doubled}
        roots = [root for root in scanned_roots(store) if root not in dropped]
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ROOTS_KEY, json.dumps(roots)))
    return merged


def move_under(conn, root: str, kept: str) -> int:
    """Move every row naming a photo under the folder ``root`` (:data:`_NAMED`, the journal's sources too) to the
    same relative name under ``kept``, merged with a row that name has already (:func:`_merge`), in the open
    transaction of ``conn``; returns how many records (``images`` rows) were moved or merged. Also
    :func:`blurscan.share_roots.follow`: a library on a network share reached now at another mount point."""
    from .store import db_path, path_from_db

    inside = root.rstrip(os.sep) + os.sep
    below = (inside, inside[:-1] + chr(ord(os.sep) + 1))  # (an indexed range: root/ up to root0)
    paths: dict[str, None] = {}
    for table, column in _NAMED:
        for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} >= ? "
                                     f"AND {column} < ?", below):
            path = path_from_db(value)
            if path.startswith(inside):
                paths[path] = None
    records = 0
    for path in paths:
        new = os.path.join(kept, path[len(inside):])
        records += conn.execute("SELECT 1 FROM images WHERE path = ?", (db_path(path),)).fetchone() is not None
        _merge(conn, db_path(path), db_path(new), new)
    return records


def _merge(conn, old, new, new_text: str) -> None:
    """Move the rows of ``old`` to ``new`` (both as stored), the keep or discard chosen first: the one made on the
    file now at ``new_text`` (its size and modification time), then a keep over a discard, then the later."""
    from .linked_names import rename_rows

    try:
        st = os.stat(new_text)
        identity = (st.st_size, st.st_mtime_ns)
    except OSError:
        identity = None

    def ranked(path):
        row = conn.execute("SELECT size, mtime_ns, decision, decided_at FROM decisions WHERE path = ?",
                           (path,)).fetchone()
        return None if row is None else ((row[0], row[1]) == identity, row[2] == "keep", row[3])

    mine, theirs = ranked(old), ranked(new)
    if mine is not None and theirs is not None:  # (the loser goes: rename_rows then carries the winner)
        conn.execute("DELETE FROM decisions WHERE path = ?", (new if mine > theirs else old,))
    rename_rows(conn, old, new, new_text, identity)
    conn.execute("UPDATE journal SET src = ? WHERE src = ?", (new, old))


def _identity(path: str, stats: dict[str, tuple[int, int] | None]) -> tuple[int, int] | None:
    """(device, inode) of the folder ``path``; None where it is not there. Kept in ``stats``."""
    if path not in stats:
        try:
            st = os.stat(path)
        except OSError:
            stats[path] = None
        else:
            stats[path] = (st.st_dev, st.st_ino) if os.path.isdir(path) else None
    return stats[path]


def _named_at(root: str, first: dict[tuple[int, int], str], stats) -> str | None:
    """The name, under a root recorded before ``root``, of ``root`` (the root itself or a folder in it reached at
    another name); None when it is no such folder."""
    rest, folder = [], root
    while True:
        key = _identity(folder, stats)
        other = first.get(key) if key is not None else None
        if other is not None and other != folder:
            named = os.path.join(other, *reversed(rest))
            return named if named != root else None
        if other is not None:  # (a root itself: the first of its name)
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        rest.append(os.path.basename(folder))
        folder = parent
