"""The actions locks of the library databases above a database's library: one ``move``, ``trash``, ``tag`` or
``undo`` at a time on the photos of a library, whichever of its databases each was given.

Each database has its own actions lock (``<db>.actions.lock``, :func:`blurscan.actions.journal.exclusive`). A
library can hold a sub-folder's database of its own (``lib/2024/.blurscan.db``, from ``scan lib/2024`` before
``scan lib``), and a photo of ``lib/2024`` is in both: ``move lib`` and ``move lib/2024`` took different locks and
ran at once over the same photos (until 2026-12-06): the second failed on the photos the first had taken, and
across drives a photo could be copied to both destinations, one of them said to have failed. So a batch also
takes the lock of every library database (``.blurscan.db``) in its library's folder and the folders above it
(``move lib/2024`` takes ``lib``'s; ``move --db ~/lib.db lib`` takes ``lib/.blurscan.db``'s), without waiting:
exclusive for the one in the library's folder itself, shared for those above it, as the folders are locked below
(``move lib/2024`` and ``move lib/2025``, each with its own database, run at once; the second was refused, said
to wait for a batch of ``lib``'s database that was not running, until 2026-12-06).
A lock file that cannot be made there (a read-only folder: no batch of that database can move anything there
either) is passed over, as is one that is a symbolic link: never followed (a batch run as root in another user's
library made the link's target, anywhere, until 2026-12-06), and refused by every batch of that database.

Those lock files stand for databases. Two databases of one library kept elsewhere (``move --db ~/e1.db lib`` and
``move --db ~/e2.db lib/a``, no ``.blurscan.db`` in the library) have no lock in common, and ran at once over the
same photos too (until 2026-12-06). So a batch also locks the library's folder itself (:func:`held_folders`),
whichever database it was given: ``flock`` on the folder, opened read-only (any folder one may list can be, on
a read-only drive too, by any user, and nothing is made for it), exclusive on the library's folder and shared on
each folder above it (not the file system's root): a batch of ``lib`` and one of ``lib/a`` exclude each other,
batches of ``lib/a`` and ``lib/b`` do not. The folders are those the link-free path names, so a library reached
through a symbolic link is the same. A folder that cannot be opened or locked (one that may not be listed, a
network share without locks) is passed over, as before.
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from ..dbfile import sqlite_file
from ..errors import ActionError, printable_path
from ..name_room import beside
from ..permissions import owned_like_folder
from ..scanned_roots import scanned_roots

#: Added to the flags of every open of an actions lock: a lock file that is a symbolic link is not opened.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def held_above(store) -> Iterator[None]:
    """Hold the actions locks of the library databases above ``store``'s library (:mod:`this module
    <blurscan.actions.library_locks>`), other than ``store``'s own: exclusive for the one in the library's folder
    itself (another database of this library), shared for those of the folders above it (batches of two folders
    of one library, each with its own database, run at once, as their folders' locks do: the second was refused,
    said to wait for a batch of the library's database that was not running, until 2026-12-06); raise
    :class:`~blurscan.errors.ActionError` when a batch of one of them is running."""
    import fcntl

    fds: list[int] = []
    try:
        for db, same_library in _databases_above(store):
            # (the name journal.exclusive takes: beside the file a link names; until 2026-12-07 beside the link,
            # a lock no batch of that database held once journal.exclusive followed links)
            fd = _open_lock(beside(sqlite_file(db), ".actions.lock"))
            if fd is None:
                continue
            fds.append(fd)
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if same_library else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except OSError as exc:
                raise ActionError(f"{printable_path(store.path)}: another blurscan move, trash, tag or undo is "
                                  f"running on {printable_path(db)}, the database of the library these photos "
                                  "are in too; wait for it to finish") from exc
        yield
    finally:
        for fd in fds:
            os.close(fd)


@contextlib.contextmanager
def held_folders(store) -> Iterator[None]:
    """Hold the locks of ``store``'s library folder (exclusive) and the folders above it (shared), see :mod:`this
    module <blurscan.actions.library_locks>`; raise :class:`~blurscan.errors.ActionError`, naming the library,
    when a batch of it, of a folder in it or of a folder above it is running. A database without a library
    folder (folders scanned together that share none but the file system's root) locks each folder scanned."""
    import fcntl

    from ..library_root import library_root

    root = library_root(store)
    libraries = {os.path.realpath(folder) for folder in ([root] if root else scanned_roots(store))}
    above = {folder for library in libraries for folder in _folders_above(library)} - libraries
    fds: list[int] = []
    try:
        for folder in sorted(libraries) + sorted(above):
            try:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:
                continue
            fds.append(fd)
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if folder in libraries else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise ActionError(_busy(store, folder, fd, folder in libraries)) from exc
            except OSError:  # (a file system without locks: as before)
                continue
        yield
    finally:
        for fd in fds:
            os.close(fd)


def _folders_above(folder: str) -> list[str]:
    """The folders above ``folder``, not the file system's root (which :mod:`blurscan.cli.db_creation` locks)."""
    out, parent = [], os.path.dirname(folder)
    while os.path.dirname(parent) != parent:
        out.append(parent)
        parent = os.path.dirname(parent)
    return out


def _busy(store, folder: str, fd: int, own: bool) -> str:
    """The error for ``folder``'s lock held by another batch: one of this library (held exclusive, as this one
    asked), of a folder in it (shared: it takes this one's exclusive lock when it is not), or of a library
    ``folder`` above this one's."""
    import fcntl

    head = f"{printable_path(store.path)}: another blurscan move, trash, tag or undo is running on "
    if not own:
        return f"{head}the library {printable_path(folder)}, which these photos are in too; wait for it to finish"
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        which = f"a folder in {printable_path(folder)}, this database's library"
    except OSError:
        which = f"{printable_path(folder)}, this database's library"
    return f"{head}{which} (given another database); wait for it to finish"


def holder(fd: int) -> str:
    """Who holds the actions lock ``fd`` of a database, which this batch could not take: a batch of this
    database or of another database of its library (``--db``), holding it exclusive; or one of a folder in its
    library with that folder's own database (shared, :func:`held_above`). Both were said to be "this database"
    (until 2026-12-06)."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return "this database or another database of its library"
    fcntl.flock(fd, fcntl.LOCK_UN)
    return "a folder of this database's library, with the folder's own database"


def _databases_above(store) -> list[tuple[str, bool]]:
    """The library databases in ``store``'s library folder and the folders above it, other than ``store``, each
    with whether it is in the library folder itself (another database of this library).

    ``store`` is told by its file's device and inode, not its path: a drive mounted at two places (``mount
    --bind DISK DISK1``, or one file system mounted twice) holds the library's database at both, and the
    library's folder is the one its scan recorded (``DISK/lib``): ``undo DISK1/lib`` took ``DISK/lib``'s
    database, its own, for another database of its library, and refused, saying a batch of it was running,
    while none was (until 2026-12-07). Each database is taken once, by whatever path it is met."""
    from ..library_root import library_root
    from .keeps import databases_above

    root = library_root(store)
    if not root:
        return []
    own = os.path.realpath(store.path)
    seen = {_identity(sqlite_file(os.fsdecode(store.path))) or own}
    folder, out = os.path.realpath(root), []
    for db in databases_above(root):
        identity = _identity(sqlite_file(db)) or os.path.realpath(db)  # (one that cannot be looked at: its path)
        if identity in seen or os.path.realpath(db) == own:
            continue
        seen.add(identity)
        out.append((db, os.path.dirname(os.path.realpath(db)) == folder))
    return out


def _identity(path: str) -> tuple[int, int] | None:
    """The device and inode of the file ``path``, None when it cannot be looked at."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _open_lock(lock_path: str) -> int | None:
    """The lock file ``lock_path``, opened (made when missing, its folder's owner's; read only when it may not be
    written: ``flock`` needs no more); None when it cannot be, or is a symbolic link."""
    made = not os.path.lexists(lock_path)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
    except OSError:
        try:
            return os.open(lock_path, os.O_RDONLY | NOFOLLOW) if not made else None
        except OSError:
            return None
    if made:
        owned_like_folder(lock_path, fd=fd)
    return fd
