"""The database of ``move``, ``trash``, ``tag`` and ``undo``: the one ``--db`` names, else the one found from PATH
(:mod:`blurscan.cli.locate`), opened for writing, for reading only (``undo --list``), or as a dry run needs it."""
from __future__ import annotations

from .linked_folders import library_path
from .share_moved import follow_share


def open_store(path: str | None, db: str | None, *, readonly: bool = False, dry_run: bool = False):
    """The database of ``--db``, else the one found from PATH; ``dry_run``: see :func:`_open_for_dry_run`."""
    if db:
        return _open(db, readonly=readonly, dry_run=dry_run)
    from .locate import find_db, no_database  # the same rule as `blurscan report`: PATH or its nearest parent

    root = library_path(path or ".")
    found = find_db(root)
    if found is None:
        raise no_database(root, path or ".")
    return _open(found, readonly=readonly, dry_run=dry_run)


def _open(db_path, *, readonly: bool, dry_run: bool):
    from ..store import Store

    follow_share(db_path)  # (the library's network share no longer mounted where it was scanned: named where it is)

    if dry_run and not readonly:
        return _open_for_dry_run(db_path)
    if not readonly:
        _check_writable(db_path)
    return Store(db_path, create=False, readonly=readonly)


def _check_writable(db_path) -> None:
    """A database the real run could not write (read-only: the file, its folder, its -wal / -shm file, a read-only
    mount; run as root, a -wal or folder its owner may not write) refused at once, before anything is read or
    done, as its dry run refuses it. SQLite opens such a database for reading only without a word, and only the
    first journal write said so: until 2026-12-07 ``undo`` printed "batch 1: restored 0 files." and ``tag --xmp``
    "tagged 0 photos; no sidecar was written" on stdout, then the refusal as "stopped: ..." (a success, then a
    failure); ``move`` and ``trash`` said one "Error:" line."""
    import os

    from ..dbfile import check_writable

    if os.path.exists(db_path):  # (one that is not there is said by Store, as before)
        check_writable(str(db_path))


def _open_for_dry_run(db_path):
    """The database for a dry run of ``move``, ``trash`` or ``tag``, which only reads it: opened as ``report``
    opens it, so a library whose disk is full is still planned (opened for writing, SQLite could not make its
    ``-wal`` and ``-shm`` files there: "disk I/O error", until 2026-12-05). A database ``--yes`` could not write
    (read-only: the file, its folder, its -wal / -shm file, a read-only mount) is still refused at once, as
    before; one of an older schema is opened for writing, as before, and upgraded."""
    from ..dbfile import check_writable
    from ..store import SCHEMA_VERSION, Store

    store = Store(db_path, readonly=True)
    try:
        if store.schema_version < SCHEMA_VERSION:
            store.close()
            return Store(db_path, create=False)
        check_writable(str(db_path))
    except BaseException:
        store.close()
        raise
    return store
