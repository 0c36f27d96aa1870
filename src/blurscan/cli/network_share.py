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

That database is named for the share and the library's place in it (:func:`share_identity`: the mount table's
source, ``server:/export``, ``//server/share``, ``user@host:/path``, and the path below the mount point), not for
the path it is reached at: the same share mounted at two places (``/mnt/nas`` from fstab, ``/media/me/nas`` from
the file manager, GNOME's ``/run/user/1000/gvfs/smb-share:server=nas,share=photos``, autofs's ``/net/nas``) finds
one database, whose photos a scan through either place finds unchanged. Until 2026-12-07 the name was a hash of the
path, and each mount point had a database of its own: every photo scored again, keeps and discards split.
"""
from __future__ import annotations

import os
import posixpath
import re
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


#: Share types whose source is ``//server/share`` (its server's and share's names in any case).
_SMB_TYPES = frozenset({"cifs", "smb3", "smbfs"})


def _mount_of(path: str | os.PathLike, table=None):
    """``(mount, folder)``: the mount (:class:`~blurscan.actions.drives.Mount`) holding ``path`` (there or to be
    made: its deepest folder that is there decides), links followed, and that folder; ``(None, folder)`` where the
    mount table cannot be read (not Linux). ``table``: the mount table, read already."""
    from ..actions.drives import mounts

    there = os.path.abspath(path)
    while not os.path.isdir(there) and os.path.dirname(there) != there:
        there = os.path.dirname(there)
    there = os.path.realpath(there)
    if table is None:
        try:
            table = mounts()
        except (OSError, ValueError):
            return None, there
    found, depth = None, -1
    for mount in table:  # the deepest mount point holding it; of two at one place, the later (mounted over)
        point = mount.point
        inside = there == point or there.startswith(point.rstrip(os.sep) + os.sep)
        if inside and len(point) >= depth:
            found, depth = mount, len(point)
    return found, there


def share_type(path: str | os.PathLike) -> str | None:
    """The type of the network share (:data:`NETWORK_TYPES`) holding ``path`` (a database file, there or to be
    made: its deepest folder that is there decides), links followed; None on any other file system, or where the
    mount table cannot be read (not Linux)."""
    mount, _ = _mount_of(path)
    return mount.fstype if mount is not None and mount.fstype in NETWORK_TYPES else None


def share_identity(folder: str | os.PathLike, table=None) -> str | None:
    """The share and place of ``folder`` (there, links followed) on a network share, whatever its mount point:
    the mount table's source, its server's name in lower case (and an SMB share's), the path in it without
    doubled or trailing slashes, then the folder's path below the mount point: ``root@nas:/srv/photos/2024`` for
    ``/mnt/nas/2024`` and ``/media/me/nas/2024`` both, sshfs mounts of ``root@NAS:/srv/photos/``. GNOME's mounts
    (all under one ``gvfsd-fuse`` mount) are told by their folder's name: ``smb-share:server=nas,share=photos`` is
    ``//nas/photos``, as a cifs mount of it. None off a share, or where the mount table cannot be read.
    ``table``: the mount table, read already (:func:`blurscan.actions.drives.mounts`)."""
    mount, there = _mount_of(folder, table)
    if mount is None or mount.fstype not in NETWORK_TYPES:
        return None
    below = [part for part in there[len(mount.point):].split(os.sep) if part]
    if mount.fstype == "fuse.gvfsd-fuse":
        if not below:
            return None  # (GNOME's folder of mounts itself: no share)
        where, path = _gvfs_source(below.pop(0))
    else:
        where, path = _source(mount.source, mount.fstype)
    parts = [part for part in (path, *(mount.root.split("/") if mount.root != "/" else ()), *below) if part]
    if not parts:
        return where
    path = posixpath.normpath("/".join(parts))
    return where + (path[1:] if path.startswith("//") else path)  # (normpath keeps two leading slashes)


def _source(source: str, fstype: str) -> tuple[str, str]:
    """A share's mount source as ``(server, path in it)``: ``//nas/photos`` and ``sub`` for ``//NAS/Photos/sub``,
    ``me@nas:`` and ``/srv/photos`` for ``me@NAS:/srv/photos/``; any other source whole, as ``(source, "")``."""
    if fstype in _SMB_TYPES or source.startswith("//"):
        text = source.replace("\\", "/")
        if text.startswith("//"):
            server, _, rest = text[2:].partition("/")
            share, _, path = rest.partition("/")
            return f"//{server.lower()}/{share.lower()}", "/" + path
    found = re.fullmatch(r"(?:([^@/]+)@)?(\[[^\]]*\]|[^:/\[]+):(.*)", source)  # [user@]host:path (nfs, sshfs)
    if found is None:
        return source.rstrip("/"), ""
    user, host, path = found.groups()
    return f"{user + '@' if user else ''}{host.lower()}:", (("/" if path.startswith("/") else "") + path.strip("/"))


def _gvfs_source(name: str) -> tuple[str, str]:
    """A GNOME mount's folder name as ``(server, path in it)``: ``smb-share:server=nas,share=photos`` is
    ``//nas/photos``; ``sftp:host=nas,user=me`` is ``me@nas:`` (its folders below are from the server's ``/``)."""
    kind, _, given = name.partition(":")
    fields = dict(field.partition("=")[::2] for field in given.split(","))
    if kind == "smb-share" and "server" in fields and "share" in fields:
        return f"//{fields['server'].lower()}/{fields['share'].lower()}", ""
    if kind == "sftp" and "host" in fields:
        user = fields.get("user")
        return f"{user + '@' if user else ''}{fields['host'].lower()}:", "/"
    return name, ""


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
    from ..actions.drives import mounts
    from ..walk import canonical, named_path

    try:
        table = mounts()
    except (OSError, ValueError):
        return list(paths)
    own = share_identity(library, table) if os.path.isdir(library) else None
    if own is None:
        return list(paths)
    named = []
    for path in paths:
        real = canonical(path)
        there = real if os.path.isdir(real) else os.path.dirname(real)
        found = None if (real + os.sep).startswith(library.rstrip(os.sep) + os.sep) else share_identity(there, table)
        if found is not None and (found == own or found.startswith(own.rstrip("/") + "/")):
            rest = [part for part in found[len(own):].split("/") if part]
            rest += [os.path.basename(real)] if there != real else []
            named.append(named_path(os.path.join(library, *rest), folders))
        else:
            named.append(path)
    return named
