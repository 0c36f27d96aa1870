"""The database of a library kept in this computer's cache folder (``~/.cache/blurscan/NAME-HASH.db``): a library
that cannot be written, scanned paths with no common folder, a library on a network share
(:mod:`blurscan.cli.locate` decides when): its name (:func:`_fallback_db`), for a folder on a network share that of
the share and the place in it, and the cache folder made for it (:func:`_make_cache_folder`)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import click

from ..errors import StoreError, os_reason, printable_path
from ..permissions import read_only_for_root, why_not_writable
from ..share_ids import share_identity
from ..xdg import make_private, missing_home


def _make_cache_folder(db: Path, why: str) -> None:
    """Make the cache folder that is to hold ``db``, or say in one line why it cannot be made (``why``: why the
    database goes there) and what to do: ``--db FILE``. A home folder that does not exist or cannot be written
    (``HOME=/nonexistent``, a service's user; ``~/.cache`` root's, after ``sudo``) ended the scan in a
    PermissionError traceback until 2026-12-05."""
    folder = db.parent
    home = missing_home(str(folder), "XDG_CACHE_HOME")
    if home is not None:
        raise StoreError(f"{printable_path(folder)}: cannot make the cache folder for the database: {home} "
                         f"({why}; choose a database file in a folder you can write with --db FILE)")
    existing = str(folder)
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    refusal = why_not_writable(existing) if existing != str(folder) and read_only_for_root(existing) else None
    if refusal is not None:  # (root: a home folder with no write bit, honoured as for a library: until
        # 2026-12-05 root made ~/.cache in it)
        raise StoreError(f"{printable_path(folder)}: cannot make the cache folder for the database: "
                         f"{printable_path(existing)} {refusal} ({why}; choose a database file in a folder you can "
                         "write with --db FILE)")
    try:
        make_private(str(folder))  # (0700, as the XDG specification asks: until 2026-12-05 0777 less the umask)
    except OSError as exc:
        where = "" if exc.filename in (None, str(folder)) else f"{printable_path(exc.filename)}: "
        raise StoreError(f"{printable_path(folder)}: cannot make the cache folder for the database: {where}"
                         f"{os_reason(exc)} ({why}; choose a database file in a folder you can write with "
                         "--db FILE)") from None


def _fallback_db(root: Path) -> Path:
    """The cache folder's database of the folder ``root``: ``NAME-HASH.db``, the hash of its path; of a folder on a
    network share, of the share and its place in it (:func:`~blurscan.share_ids.share_identity`), so that
    every mount point of the share finds the same one. One named for such a folder's path by an older blurscan is
    renamed so (:func:`_carried_over`)."""
    from ..dbfile import cache_folder

    cache = Path(cache_folder())
    by_path = cache / _cache_name(root.name, str(root))
    shared = share_identity(root)
    if shared is None:
        return by_path
    return _carried_over(by_path, cache / share_db_name(shared), root, shared)


def share_db_name(shared: str) -> str:
    """The name of the cache folder's database of the folder of share identity ``shared`` (:func:`_fallback_db`),
    by which :func:`blurscan.cli.share_moved.follow_share` tells the share of a database that records none."""
    return _cache_name(shared.rstrip("/:").rsplit("/", 1)[-1], "share:" + shared)


def _cache_name(name: str, key: str) -> str:
    digest = hashlib.sha256(os.fsencode(key)).hexdigest()[:16]
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in (name or "root"))[:40] + f"-{digest}.db"


def _carried_over(old: Path, new: Path, root: Path, shared: str) -> Path:
    """``new``, the database of a folder on a network share named for the share, once ``old`` (the one named for
    the folder's path, until 2026-12-07) is renamed to it with its ``-wal`` and ``-shm``, said in a note: this
    computer's scans of the library, its decisions and undo history, kept. ``old`` where it cannot be renamed (used
    as it is); ``new`` where it is there already, or ``old`` is not."""
    if os.path.lexists(new) or not os.path.isfile(old):
        return new
    try:
        for suffix in ("-wal", "-shm", "-journal"):  # (the write-ahead log first: the database never without it)
            if os.path.lexists(f"{old}{suffix}"):
                os.replace(f"{old}{suffix}", f"{new}{suffix}")
        os.replace(old, new)
    except OSError:
        return old
    click.echo(f"note: renamed {printable_path(old)}, this computer's database of {printable_path(root)}, to "
               f"{printable_path(new)}, named for the network share ({shared}) so that every place it is mounted "
               "at finds it", err=True)
    return new
