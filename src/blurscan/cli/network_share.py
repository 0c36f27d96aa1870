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

That database is named for the share and the library's place in it (:func:`blurscan.share_ids.share_identity`: the mount table's
source, ``server:/export``, ``//server/share``, ``user@host:/path``, and the path below the mount point), not for
the path it is reached at: the same share mounted at two places (``/mnt/nas`` from fstab, ``/media/me/nas`` from
the file manager, GNOME's ``/run/user/1000/gvfs/smb-share:server=nas,share=photos``, autofs's ``/net/nas``) finds
one database, whose photos a scan through either place finds unchanged. Until 2026-12-07 the name was a hash of the
path, and each mount point had a database of its own: every photo scored again, keeps and discards split.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import printable_path, shell_path
from ..share_ids import NETWORK_TYPES, share_identity, share_type  # noqa: F401 (the CLI's names of them)
from ..typed_commands import as_run

#: Why a database is not kept there, said in each line that names the share.
WHY = ("where SQLite cannot keep a database safe (its locks and write-ahead log do not reach the other computers "
       "using the share)")


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


def share_names(paths, library: str, folders: dict[str, str]) -> list:
    """``paths`` (:class:`~blurscan.walk.NamedPath`) as the library ``library``, on a network share, names them
    when they are its folders reached through another mount point of the share (:func:`share_identity`): ``scan
    /media/me/nas/photos`` of a library scanned at ``/mnt/nas/photos`` walks, stores and prunes ``/mnt/nas/photos``,
    whose photos it finds unchanged, keeps and discards with them. Each other path as it is; all of them where
    ``library`` is not on a share or not there (two mounts of one share have two devices and inode numbers of
    their own, sshfs's: :func:`blurscan.library_root.library_names` cannot tell them). Until 2026-12-07 such a
    scan stored every photo a second time, scored again, and the library became the folder above both places."""
    from ..mount_table import read
    from ..share_ids import share_twin
    from ..walk import canonical, named_path

    try:
        table = read()
    except (OSError, ValueError):
        return list(paths)
    if share_identity(library, table) is None:
        return list(paths)
    named = []
    for path in paths:
        real = canonical(path)
        inside = (real + os.sep).startswith(library.rstrip(os.sep) + os.sep)
        found = None if inside else share_twin(real, library, table)
        named.append(path if found is None else named_path(found, folders))
    return named
