"""Which network share, and which place in it, a folder is: the same wherever the share is mounted
(:func:`share_identity`), by which a library on a share keeps one database in this computer's cache folder
(:func:`blurscan.cli.locate.find_db`) and its photos one name each (:func:`share_twin`), whichever of the share's
mount points a command is given (``/mnt/nas`` from fstab, ``/media/me/nas`` from the file manager, GNOME's
``/run/user/1000/gvfs/smb-share:server=nas,share=photos``, autofs's ``/net/nas``). Two mounts of one share have
devices and inode numbers of their own (sshfs invents them): :func:`blurscan.library_root.as_stored` cannot tell
them apart by those, as it does a drive mounted at two places. Why a database is kept off a share:
:mod:`blurscan.cli.network_share`."""
from __future__ import annotations

import os
import posixpath
import re

from .mount_table import read

#: File system types (the mount table's, /proc/self/mountinfo) of network shares and of FUSE drives that reach
#: another computer: their locks and shared memory do not reach the other computers using the same files.
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "gpfs", "davfs",
    "fuse.sshfs", "fuse.rclone", "fuse.gvfsd-fuse", "fuse.glusterfs", "fuse.ceph", "fuse.cephfs", "fuse.s3fs",
    "fuse.davfs2", "fuse.smbnetfs", "fuse.gcsfuse", "fuse.juicefs",
})

#: Share types whose source is ``//server/share`` (its server's and share's names in any case).
_SMB_TYPES = frozenset({"cifs", "smb3", "smbfs"})


def _mount_of(path: str | os.PathLike, table=None):
    """``(mount, folder)``: the mount (:class:`~blurscan.mount_table.Mount`) holding ``path`` (there or to be
    made: its deepest folder that is there decides), links followed, and that folder; ``(None, folder)`` where the
    mount table cannot be read (not Linux). ``table``: the mount table, read already."""
    there = os.path.abspath(path)
    while not os.path.isdir(there) and os.path.dirname(there) != there:
        there = os.path.dirname(there)
    there = os.path.realpath(there)
    if table is None:
        try:
            table = read()
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
    ``table``: the mount table, read already (:func:`blurscan.mount_table.read`)."""
    mount, there = _mount_of(folder, table)
    if mount is None or mount.fstype not in NETWORK_TYPES:
        return None
    return _identity_at(mount, [part for part in there[len(mount.point):].split(os.sep) if part])


def _identity_at(mount, below: list[str]) -> str | None:
    """:func:`share_identity` of the folder ``below`` (its names) the network share ``mount``'s mount point, told
    from the mount table alone (nothing on the share looked at)."""
    if mount.fstype == "fuse.gvfsd-fuse":
        if not below:
            return None  # (GNOME's folder of mounts itself: no share)
        where, path = _gvfs_source(below[0])
        below = below[1:]
    else:
        where, path = _source(mount.source, mount.fstype)
    parts = [part for part in (path, *(mount.root.split("/") if mount.root != "/" else ()), *below) if part]
    if not parts:
        return where
    path = posixpath.normpath("/".join(parts))
    return where + (path[1:] if path.startswith("//") else path)  # (normpath keeps two leading slashes)


def mounted_at(identity: str) -> str | None:
    """Where the folder of share identity ``identity`` (:func:`share_identity`) is reached now: below the first
    mount point in the mount table of that share (or of a folder of it above that folder); None where none is
    mounted, or the mount table cannot be read. Told from the mount table alone: a share that does not answer is
    never asked. (GNOME's mounts, one folder each under ``gvfsd-fuse``'s, are not looked for.)"""
    try:
        table = read()
    except (OSError, ValueError):
        return None
    for mount in table:
        if mount.fstype not in NETWORK_TYPES or mount.fstype == "fuse.gvfsd-fuse":
            continue
        own = _identity_at(mount, [])
        if own is not None and (identity == own or identity.startswith(own.rstrip("/") + "/")):
            return os.path.join(mount.point, *[part for part in identity[len(own):].split("/") if part])
    return None


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


def share_twin(path: str, library: str, table=None) -> str | None:
    """``path`` (absolute, links resolved) as ``library`` names it when both are on mounts of one network share and
    ``path`` is the library's folder or one in it reached through another mount point (:func:`share_identity`):
    ``/media/me/nas/photos/2024`` is ``/mnt/nas/photos/2024`` for a library scanned at ``/mnt/nas/photos``; None
    otherwise (``library`` not there or not on a share, ``path`` on another share or outside the library).
    ``table``: the mount table, read already."""
    if table is None:
        try:
            table = read()
        except (OSError, ValueError):
            return None
    own = share_identity(library, table) if os.path.isdir(library) else None
    there = path
    while not os.path.isdir(there) and os.path.dirname(there) != there:  # (a photo, or a folder gone)
        there = os.path.dirname(there)
    found = share_identity(there, table) if own is not None else None
    if found is None or not (found == own or found.startswith(own.rstrip("/") + "/")):
        return None
    rest = [part for part in found[len(own):].split("/") if part]
    below = os.path.relpath(path, there)
    return os.path.join(library, *rest, *([] if below == os.curdir else [below]))
