"""A database on a network share (NFS, SMB/CIFS, sshfs, ...): where SQLite cannot keep it safe.

SQLite's own documentation: "All processes using a database must be on the same host computer; WAL does not work
over a network filesystem" (https://sqlite.org/wal.html), as the ``-shm`` index is memory shared through the file
by the connections of one computer; and its locks, which keep two writers apart in any journal mode, are "broken
on many network file systems" (https://sqlite.org/howtocorrupt.html, 2.1; https://sqlite.org/useovernet.html).
Found over sshfs on 2026-12-07: a lock taken through one mount of a share was granted through a second mount of
it (another computer, as the share sees it) while held, and a ``blurscan scan`` through the second mount, run
while ``blurscan review`` on the first recorded decisions, ended ``database disk image is malformed``, the
library's ``.blurscan.db`` damaged for good (``PRAGMA integrity_check`` itself failed). A rollback journal would
not have helped there: sshfs passes no lock to the server at all.

So a library on a network share keeps its database in this computer's cache folder, as a library that cannot be
written does (:func:`blurscan.cli.locate.scan_db_location`, :func:`~blurscan.cli.locate.find_db`): each computer
has its own, and two of them scanning or reviewing the share at once cannot damage anything. An explicit ``--db``
on a share is used as given, with one warning (:func:`warn_if_shared`).
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import printable_path, shell_path
from ..typed_commands import as_run

#: File system types (the mount table's, /proc/self/mountinfo) of network shares and of FUSE drives that reach
#: another computer: their locks and shared memory do not reach the other computers using the same files.
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "gpfs", "davfs",
    "fuse.sshfs", "fuse.rclone", "fuse.gvfsd-fuse", "fuse.glusterfs", "fuse.ceph", "fuse.cephfs", "fuse.s3fs",
    "fuse.davfs2", "fuse.smbnetfs", "fuse.gcsfuse", "fuse.juicefs",
})

#: Why a database is not kept there, said in each line that names the share.
WHY = ("where SQLite cannot keep a database safe (its locks and write-ahead log do not reach the other computers "
       "using the share)")


def share_type(path: str | os.PathLike) -> str | None:
    """The type of the network share (:data:`NETWORK_TYPES`) holding ``path`` (a database file, there or to be
    made: its deepest folder that is there decides), links followed; None on any other file system, or where the
    mount table cannot be read (not Linux)."""
    from ..actions.drives import mounts

    there = os.path.abspath(path)
    while not os.path.isdir(there) and os.path.dirname(there) != there:
        there = os.path.dirname(there)
    there = os.path.realpath(there)
    try:
        table = mounts()
    except (OSError, ValueError):
        return None
    found, depth = None, -1
    for mount in table:  # the deepest mount point holding it; of two at one place, the later (mounted over)
        point = mount.point
        inside = there == point or there.startswith(point.rstrip(os.sep) + os.sep)
        if inside and len(point) >= depth:
            found, depth = mount.fstype, len(point)
    return found if found in NETWORK_TYPES else None


def on_share(path: str | os.PathLike, kind: str) -> str:
    """``PATH is on a network share (TYPE), where SQLite cannot keep a database safe (...)``."""
    return f"{printable_path(path)} is on a network share ({kind}), {WHY}"


def say_kept_off_share(path: Path, seed: Path | None, fallback: Path, shared: str) -> None:
    """The note of a scan whose database would be ``path``, on a network share (``shared``: its type), kept in
    ``fallback`` in the cache folder instead; ``seed``: a library database found on the share, whose results,
    keeps and discards the new one starts from (its undo history stays in it)."""
    if seed is None:
        click.echo(f"note: {on_share(path.parent, shared)}; keeping the database in {printable_path(fallback)}, "
                   "this computer's own (choose with --db)", err=True)
        return
    click.echo(f"note: {on_share(seed, shared)}; keeping the database in {printable_path(fallback)}, this "
               "computer's own, which starts from its results, keeps and discards (its undo history stays in it: "
               f"`{as_run('blurscan undo --db')} {shell_path(seed)}`) (choose with --db)", err=True)


def warn_if_shared(db: str) -> None:
    """One warning on stderr for a ``--db`` on a network share: used as given, from one computer at a time."""
    kind = share_type(db)
    if kind is not None:
        click.echo(f"warning: {on_share(db, kind)}: using it as --db asks; use it from one computer at a time (a "
                   "database on this computer's own disk is safe)", err=True)
