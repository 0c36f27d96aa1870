"""The network shares the scanned folders are on, recorded by every scan with their share identity
(:func:`remember_shares`), by which :func:`follow` finds a library on a share that is reached now only through
another mount point of the share (the first one gone), and names its photos there.

A real case: a NAS mounted at ``/mnt/nas`` (fstab) when the library was scanned, mounted now only at
``/media/me/nas`` (the desktop) or ``/net/nas/photos`` (autofs). While both are mounted, a command given the second
takes the library's photos under the first one's names (:func:`blurscan.library_root.as_stored`,
:func:`blurscan.share_ids.share_twin`), which reach the files. With the first gone, those names reach nothing:
until 2026-12-08 ``report``, ``review``, ``move``, ``trash`` and ``tag`` of ``/media/me/nas/photos`` said the
database held no photo there (``nothing selected``), ``bursts`` found no burst, and a ``scan`` stored every photo
again under the new names (``0 unchanged and 5 moved or renamed``). Only ``undo`` followed the share, by its
batch's record (:func:`blurscan.actions.batch_drives.share_moved`).

So each command, before it reads the library (:func:`blurscan.cli.share_moved.follow_share`, the scan in
:func:`blurscan.pipeline.scan_paths`), moves the rows of a recorded root whose share is no longer mounted there but
is mounted at another place (:func:`blurscan.share_ids.mounted_at`, told from the mount table alone) to that place:
the photos' records, keeps and discards, burst groups and the journal's sources
(:func:`blurscan.mount_twins.move_under`), and the root recorded there. Renaming is the one way every command then
reads, shows and moves the files where they are (each reads the stored names); nothing is pruned or scored again,
and a photo deleted from the share is gone as any other. The library mounted again at the first place and not at
the second is followed back the same way. A share mounted nowhere changes nothing (its photos are said to be on a
share not mounted, as before).

Kept in the ``meta`` table under :data:`SHARES_KEY` (a JSON object, root -> share identity, as
:data:`blurscan.root_drives.DRIVES_KEY` keeps the drives): a library on no share records nothing (its commands read
this key and the scanned roots, and the mount table where roots have none recorded; nothing on disk). A database scanned before (2026-12-08) records none until its next scan through a
mount point that is there; until then its roots' share is told by the database's own name, where it is the cache
folder's database named for a share (:func:`unrecorded_shares`): a root that is not there, or an empty folder (the
mount point left), whose path ends as that share's place does, mounted now elsewhere. Until 2026-12-08 such a
library was not followed: with the first mount point gone, ``report`` listed nothing through the second and a
``scan`` there stored every photo again, its keeps left under the old names.
"""
from __future__ import annotations

import json
import os

from . import stored_json

#: The ``meta`` key under which a database keeps the share identity of each scanned root on a network share.
SHARES_KEY = "scanned_root_shares"


def remember_shares(store, roots) -> None:
    """Record the share identity (:func:`blurscan.share_ids.share_identity`) of each of ``roots`` (scanned folders,
    absolute) on a network share, and forget that of one on none now; the mount table read once; written only when
    something changes."""
    from .mount_table import read
    from .share_ids import share_identity

    try:
        table = read()
    except (OSError, ValueError):
        return
    # (a root scanned now on no share forgets the share it was on: a local drive mounted where the share was, its
    # photos scanned there, never followed to the share mounted elsewhere later)
    found = {root: share_identity(root, table) for root in roots}
    known = recorded_shares(store)
    if all(known.get(root) == ident for root, ident in found.items()):
        return
    with store.transaction() as conn:  # (read again under the write lock)
        known = {root: ident for root, ident in {**recorded_shares(store), **found}.items() if ident is not None}
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SHARES_KEY, json.dumps(known)))


def recorded_shares(store) -> dict[str, str]:
    """Root -> share identity, of those :func:`remember_shares` recorded; empty for a library on no share."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (SHARES_KEY,)).fetchone()
    try:
        found = stored_json.parsed(row[0], "a stored value") if row is not None else {}
    except (TypeError, ValueError):
        return {}
    return {r: i for r, i in found.items() if isinstance(r, str) and os.path.isabs(r) and isinstance(i, str)} \
        if isinstance(found, dict) else {}


def unrecorded_shares(store, named) -> dict[str, str]:
    """Root -> share identity of the scanned roots with none recorded (:func:`recorded_shares`: a database scanned
    before 2026-12-08) whose share the database's name tells: ``named(identity)`` is whether the database is the
    one named for that share and place (the cache folder's, :func:`blurscan.cli.cache_db.share_db_name`), asked of
    the place each network share mounted now would give the roots' folder and each folder above it (by their last
    names below the mount point: ``/media/me/nas`` of ``root@nas:/srv`` gives ``/mnt/nas/photos``
    ``root@nas:/srv/photos``). Only a root that is not there or is an empty folder (the mount point left behind; a
    folder with files in it, another drive's, is never taken for the share), and not on a drive the scan recorded
    (:data:`blurscan.root_drives.DRIVES_KEY`). Told from the mount table alone (nothing on a share looked at);
    empty where it cannot be read."""
    from .mount_table import read
    from .root_drives import recorded_drives
    from .scanned_roots import scanned_roots
    from .share_ids import NETWORK_TYPES, _identity_at

    recorded = recorded_shares(store)
    roots = [root for root in scanned_roots(store) if root not in recorded]
    try:
        shares = [m for m in read() if m.fstype in NETWORK_TYPES and m.fstype != "fuse.gvfsd-fuse"] if roots else []
    except (OSError, ValueError):
        return {}
    common = [part for part in os.path.commonpath(roots).split(os.sep) if part] if shares else []
    # (the deepest folder first: a database named for a share's top folder is that of the library's own folder)
    told = next(((mount, k) for j in range(len(common), -1, -1) for k in range(j + 1) for mount in shares
                 if (ident := _identity_at(mount, common[k:j])) is not None and named(ident)), None)
    if told is None:
        return {}
    mount, k = told
    drives = recorded_drives(store)
    found = {}
    for root in roots:
        if not any(root == p or root.startswith(p.rstrip(os.sep) + os.sep) for p in drives) and _left_behind(root):
            ident = _identity_at(mount, [part for part in root.split(os.sep) if part][k:])
            if ident is not None:
                found[root] = ident
    return found


def _left_behind(root: str) -> bool:
    """Whether ``root`` is not there, or is an empty folder (a mount point left when its share was unmounted)."""
    try:
        return not os.listdir(root)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _shares(store, named=None) -> dict[str, str]:
    """Root -> share identity: those recorded (:func:`recorded_shares`), and where ``named`` is given, those the
    database's name tells (:func:`unrecorded_shares`)."""
    recorded = recorded_shares(store)
    return recorded if named is None else {**unrecorded_shares(store, named), **recorded}


def moved_shares(store, named=None) -> list[tuple[str, str]]:
    """``(root, now)`` for each recorded root (:func:`recorded_shares`; with ``named``, those of
    :func:`unrecorded_shares` too) whose share is not mounted there now (the folder not there, or not that place of
    that share) and is mounted at ``now``, another place; reads only. The mount table read only for a library with
    a root on a share (with ``named``, for one with a root not there or empty)."""
    from .scanned_roots import scanned_roots
    from .share_ids import mounted_at, share_identity

    recorded = _shares(store, named)
    if not recorded:
        return []
    roots = set(scanned_roots(store))
    moved = []
    for root, ident in recorded.items():
        if root not in roots or (os.path.isdir(root) and share_identity(root) == ident):
            continue
        now = mounted_at(ident)
        if now is not None and now != root and os.path.isdir(now) and share_identity(now) == ident:
            moved.append((root, now))
    return moved


def follow(store, moved: list[tuple[str, str]] | None = None, named=None) -> list[tuple[str, str, int]]:
    """Move the rows of each root of ``moved`` (default :func:`moved_shares`, given ``named``) to where its share
    is mounted now (:func:`blurscan.mount_twins.move_under`), the scanned roots and this record with them (a share
    told by the database's name recorded now), in one transaction; returns ``(root, now, records moved)`` each.
    Nothing written when there is none."""
    from .mount_twins import move_under
    from .scanned_roots import ROOTS_KEY, outermost, scanned_roots

    moved = moved_shares(store, named) if moved is None else moved
    if not moved:
        return []
    told = unrecorded_shares(store, named) if named is not None else {}
    done = []
    with store.transaction() as conn:
        for root, now in moved:
            done.append((root, now, move_under(conn, root, now)))
        places = dict(moved)
        roots = outermost([places.get(root, root) for root in scanned_roots(store)])
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ROOTS_KEY, json.dumps(roots)))
        known = {**{root: ident for root, ident in told.items() if root in places}, **recorded_shares(store)}
        shares = {places.get(root, root): ident for root, ident in known.items()}
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SHARES_KEY, json.dumps(shares)))
    return done
