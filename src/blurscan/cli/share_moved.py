"""A library on a network share reached now only through another mount point of the share: its photos named there
before a command reads them (:func:`blurscan.share_roots.follow`), said in one line."""
from __future__ import annotations

import os

import click

from ..errors import StoreError, printable_path


def follow_share(db_path) -> None:
    """Name the photos of the database at ``db_path`` where their network share is mounted now, when it is no
    longer mounted where they were scanned (:func:`blurscan.share_roots.moved_shares`), and say so once. A
    database that cannot be read is left as it is (its command says why); one that cannot be written keeps the old
    names, said with why; one of a library on no share is read for its record and scanned roots (and the mount
    table), nothing on disk. A database scanned before its shares were recorded (2026-12-08) is followed by its own
    name, the cache folder's named for the share (:func:`blurscan.share_roots.unrecorded_shares`)."""
    from ..share_roots import follow, moved_shares
    from ..store import Store
    from .cache_db import share_db_name

    if db_path is None or not os.path.isfile(db_path) or not _share_mounted():
        return
    from ..dbfile import cache_folder

    name = os.path.basename(db_path)

    def named(identity: str) -> bool:  # (a database scanned before its shares were recorded: its name tells)
        return name == share_db_name(identity)

    if os.path.dirname(os.path.abspath(db_path)) != os.path.abspath(cache_folder()):
        named = None  # (only the cache folder's databases are named for a share: no mount table read for the rest)

    try:
        with Store(db_path, readonly=True) as store:
            moved = moved_shares(store, named)
    except (StoreError, OSError):
        return
    if not moved:
        return
    try:
        with Store(db_path, create=False) as store:
            done = follow(store, named=named)
    except (StoreError, OSError) as exc:  # (read-only: its photos keep the names it has; said, with why)
        for root, now in moved:
            click.echo(f"note: {printable_path(root)}, where the library was scanned, is not mounted now; its network "
                       f"share is mounted at {printable_path(now)}, but the photos stay named under "
                       f"{printable_path(root)}: {exc}", err=True)
        return
    for root, now, records in done:
        click.echo(f"note: {printable_path(root)}, where the library was scanned, is not mounted now; its "
                   f"network share is mounted at {printable_path(now)}: its {records} "
                   f"photo{'s are' if records != 1 else ' is'} named there now", err=True)


def _share_mounted() -> bool:
    """Whether any network share is mounted (the mount table alone): where none is, no library can be reached
    through another mount point of one, and the database is not opened a second time (the command's own open stays
    the first: a file swapped in as it is opened, an I/O error, are met there, as before 2026-12-08)."""
    from ..mount_table import read
    from ..share_ids import NETWORK_TYPES

    try:
        return any(mount.fstype in NETWORK_TYPES for mount in read())
    except (OSError, ValueError):
        return False
