"""Who owns what the actions write into someone's library when blurscan runs as root.

Root (``sudo blurscan``, a NAS's scheduled task, a container over a user's photos) makes every file and folder
it creates its own: a sidecar ``tag`` rewrote or created, one ``undo`` of a tag put back, a folder ``undo``
made again to put photos back in it, all went to root (``0:0``), and the person whose library it is could no
longer edit or remove them. What the actions write takes the owner and group of what it replaces, else of the
photo it belongs to, else of its folder, as :func:`.moves.move_file` keeps a moved photo's (a folder undo makes
again: of the photo put back in it).

Only root may give a file away, so nothing is tried otherwise; a refusal (a file system without owners: FAT,
exFAT, some network shares) is ignored, as the file is written all the same. A photo copied to another drive
(:func:`keep`) is the exception: any user may give a copy a group it belongs to.
"""
from __future__ import annotations

import errno
import logging
import os
import shutil
import stat

from ..folders_down import made_folders_down
from ..owner_names import group_name, user_name
from ..permissions import folders_owned_like_parents, umask
from . import held_folder

log = logging.getLogger(__name__)

#: What ``chmod`` gives on a file system that keeps no permissions at all (``fusefat``, the FUSE FAT driver: ENOSYS;
#: some FUSE and network drives: EOPNOTSUPP): a copy made there keeps the drive's mode.
_NO_MODES = {errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


def as_root() -> bool:
    """Whether this process runs as root (effective uid 0)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def give(path: str, like: os.stat_result) -> None:
    """As root, give ``path`` (not followed if a link) the owner and group of ``like``; a refusal is ignored.
    Call it before setting the permissions: a change of owner can clear the set-ID bits."""
    if not as_root():
        return
    try:
        os.chown(path, like.st_uid, like.st_gid, follow_symlinks=False)
    except OSError as exc:
        log.debug("%s: owner not changed: %s", path, exc)


def give_fd(fd: int, path: str, like: os.stat_result) -> None:
    """:func:`give` of ``path``, open as ``fd``: through its descriptor."""
    if not as_root():
        return
    try:
        os.fchown(fd, like.st_uid, like.st_gid)
    except OSError as exc:
        log.debug("%s: owner not changed: %s", path, exc)


def set_mode(fd: int, path: str, mode: int) -> None:
    """Give ``path``, open as ``fd``, the permissions ``mode``, through its descriptor (by its name where there
    is no ``fchmod``: Windows before Python 3.13)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows
        os.chmod(path, mode)


def give_like(path: str, *sources: str, fd: int | None = None) -> None:
    """As root, give ``path`` the owner and group of the first of ``sources`` that can be looked at (the photo a
    new sidecar belongs to, then its folder); through ``fd``, ``path`` open, where given (:func:`give_fd`)."""
    if not as_root():
        return
    for source in sources:
        try:
            like = os.stat(source)
        except OSError:
            continue
        if fd is not None:
            give_fd(fd, path, like)
        else:
            give(path, like)
        return


def like_folders_above(made: list[str]) -> None:
    """As root, give the folders ``move`` (or ``trash``) has just made (``made``, deepest first, as
    :func:`.folder_path.missing_folders` lists them) the owner and group of the folder each was made in, from the
    top down (:func:`~blurscan.permissions.owned_like_folder`: none where that folder is root's). ``sudo blurscan
    move --to ~/rejects`` made ``~/rejects`` and its sub-folders root's (until 2026-12-06): their owner could then
    neither empty them nor ``undo`` the batch (``its folder ~/rejects/trip is not writable by this user: owner
    root``). Only a folder that is root's now is changed (one another process made meanwhile is left as it is),
    each opened in the one above it, never through a link (:func:`~blurscan.permissions.folders_owned_like_parents`:
    a link the person put in place of ``~/rejects`` just then steered the chowns elsewhere, until 2026-12-06)."""
    folders_owned_like_parents(made)


def like_parents(top: str, deepest: str, inside: str | None = None) -> None:
    """Give the folders from ``top`` down to ``deepest`` (made just now: undo made them again to put ``inside``
    back, a file in ``deepest``) a mode and, as root, an owner and group, in turn: they were root's, with the
    umask's mode. The owner and group are the file's (:func:`.moves.move_file` keeps a moved photo's), else,
    when it is not there (it could not be put back), the parent folder's. The mode is the parent folder's
    without its sticky and world-write bits (its set-group-ID bit kept, as ``mkdir`` keeps it): until 2026-12-04
    the parent's owner and whole mode were copied, and a person's ``0700`` folders inside a root-owned shared
    ``1777`` folder (``/srv/shared``) came back root's, ``drwxrwxrwt``, open to everyone."""
    folders = [deepest]
    while folders[-1] != top and os.path.dirname(folders[-1]) != folders[-1]:
        folders.append(os.path.dirname(folders[-1]))
    if folders[-1] != top:  # (``deepest`` not under ``top``: nothing of ours)
        return
    try:
        owner = os.lstat(inside) if inside is not None else None
    except OSError:
        owner = None
    # each opened in the one above it, never through a link: one put in place of a folder just given (its owner
    # may: it is theirs now) steered the chown and chmod by path elsewhere (until 2026-12-06); O_PATH for the one
    # above the top: a folder this user may enter but not list is no reason to leave its folders' modes unset
    for folder, fd, parent in made_folders_down(folders, getattr(os, "O_PATH", os.O_RDONLY)):
        try:
            give_fd(fd, folder, owner or parent)
            os.fchmod(fd, stat.S_IMODE(parent.st_mode) & ~(stat.S_ISVTX | stat.S_IWOTH))
        except OSError as exc:
            log.debug("%s: owner and permissions not set: %s", folder, exc)


def as_taken(st: os.stat_result, taken: tuple[int | None, int | None, int | None]) -> os.stat_result:
    """``st``, the ``lstat`` of a file undo copies back from the drive a batch moved it to, with the permissions,
    owner and group it had when the batch took it (``taken``: ``(mode, uid, gid)`` as journaled, schema 5), for
    :func:`keep_for_copy` to give the copy back: a drive that keeps none (FAT, exFAT) shows every file ``0777``,
    owned by who mounted it (root), and until 2026-12-07 a private ``0640`` photo came back ``0777``, world-writable,
    and root's. Its set-ID and sticky bits are kept only where the copy has them and keeps the owner and group it
    came with (a drive that keeps modes and owners): never added, as a change of owner clears them (a journal row
    can be written by whoever may write the database: one saying ``root``, ``04755`` made root give a person's file
    root's set-user-ID bit). A row journaled before (no mode): the copy keeps the drive's mode, as before, but never
    world-writable: one that is has the bits the umask takes from a new file's ``0666`` taken away (``0777`` comes
    back ``0644`` under umask ``022``), as the drive's ``0777`` says nothing of the photo's."""
    mode, uid, gid = taken
    had = stat.S_IMODE(st.st_mode)
    if mode is None:
        mode = had & 0o666 & ~umask() if had & stat.S_IWOTH else had
    uid, gid = st.st_uid if uid is None else uid, st.st_gid if gid is None else gid
    special = mode & had & 0o7000 if (uid, gid) == (st.st_uid, st.st_gid) else 0
    fields = list(st)
    fields[0] = stat.S_IFMT(st.st_mode) | (mode & 0o777) | special
    fields[4], fields[5] = uid, gid
    return os.stat_result(fields, {name: getattr(st, name) for name in ("st_atime_ns", "st_mtime_ns", "st_ctime_ns")})


def keep_for_copy(src: str, path: str, like: os.stat_result, made: os.stat_result, *,
                  dir_fd: int | None = None) -> str | None:
    """Give ``path``, the copy of ``src`` (``like``, its ``lstat``) just made on another drive (``made``: its
    ``fstat`` as it was created), the original's owner and group as far as this user may (:func:`keep`), then its
    times, extended attributes and permissions (as ``shutil.copystat``), all through a descriptor of the copy
    opened again without following a link, and only when it is still that file. Until 2026-12-06 these went by
    the name: run as root, a symbolic link the ``--to`` folder's owner renamed over the copy's temporary name
    just then was followed (``sudo blurscan move --to`` a folder of theirs on another drive made a root ``0600``
    file anywhere the photo's mode, ``0666``, and gave it the photo's times). OSError when the name is another
    file now (the copy is then removed, the photo left in place). ``dir_fd``: a descriptor of the copy's folder,
    ``path`` opened in it by its name (run as root, :mod:`.held_folder`). Returns what :func:`keep` returns."""
    if not hasattr(os, "O_NOFOLLOW") or os.utime not in os.supports_fd:  # pragma: no cover - Windows
        not_kept = keep(path, like)  # (before the mode: a change of owner clears the set-ID bits)
        shutil.copystat(src, path, follow_symlinks=False)
        return not_kept
    try:
        fd = os.open(path if dir_fd is None else os.path.basename(path), os.O_RDONLY | os.O_NOFOLLOW
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0), dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENXIO, errno.EMLINK):
            raise
        fd = None
    try:
        if fd is None or (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != (made.st_dev, made.st_ino):
            raise OSError(errno.EEXIST, "its copy's temporary name was taken by another file meanwhile (a link "
                          "is never followed)", path)
        not_kept = keep(path, like, fd=fd)  # (before the mode: a change of owner clears the set-ID bits)
        os.utime(fd, ns=(like.st_atime_ns, like.st_mtime_ns))
        _copy_xattrs(src, fd)
        try:
            os.chmod(fd, stat.S_IMODE(like.st_mode))
        except OSError as exc:  # (a drive that keeps no permissions and says so: fusefat's "function not
            if exc.errno not in _NO_MODES:  # implemented"; until 2026-12-07 nothing could be moved to such a card;
                raise                       # the journal keeps the mode for undo: :func:`as_taken`)
            log.debug("%s: permissions not set: %s", path, exc)
        return not_kept
    finally:
        if fd is not None:
            os.close(fd)


def _copy_xattrs(src: str, fd: int) -> None:
    """The extended attributes of ``src`` onto the file open as ``fd``, as ``shutil.copystat`` copies them (what
    the system refuses to list or set is left out). ``src`` reached through its folder's descriptor (run as root,
    :func:`.held_folder.taken`) is read through a descriptor of it opened there, never through a link."""
    if not hasattr(os, "listxattr"):  # pragma: no cover - macOS, Windows
        return
    name, folder = held_folder.args(src)
    source = src if folder is None else os.open(name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
                                                 | getattr(os, "O_CLOEXEC", 0), dir_fd=folder)
    try:
        try:
            names = os.listxattr(source)
        except OSError as exc:
            if exc.errno not in (errno.ENOTSUP, errno.ENODATA, errno.EINVAL):
                raise
            return
        for attr in names:
            try:
                os.setxattr(fd, attr, os.getxattr(source, attr))
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.ENODATA, errno.EINVAL):
                    raise
    finally:
        if folder is not None:
            os.close(source)


def keep(path: str, like: os.stat_result, *, fd: int | None = None) -> str | None:
    """Give ``path`` (a photo's copy on another drive, not yet given its mode) the owner and group of the original
    (``like``) as far as this user may: root both (a refusal, on a file system without owners, is ignored), another
    user the group when it belongs to it (a shared library's group: until 2026-12-06 a copy, and a photo put back
    by undo, got the user's own group, and the others in the library's group could no longer open it). Returns
    what could not be kept, as words (``owner, ann (only root may give a file away), nor its group, staff (not one
    of this user's)``; a user or group of no name as ``user 1002``, ``group 50``: :mod:`blurscan.owner_names`), or
    None."""
    if as_root():
        if fd is None:
            give(path, like)
        else:
            give_fd(fd, path, like)
        return None
    now = os.lstat(path) if fd is None else os.fstat(fd)
    lost = []
    if now.st_uid != like.st_uid:  # (only root may give a file away)
        lost.append(f"owner, {user_name(like.st_uid)} (only root may give a file away)")
    if now.st_gid != like.st_gid:
        try:
            if fd is None:
                os.chown(path, -1, like.st_gid, follow_symlinks=False)
            else:
                os.fchown(fd, -1, like.st_gid)
        except OSError as exc:
            log.debug("%s: group not changed: %s", path, exc)
            lost.append(f"group, {group_name(like.st_gid)} (not one of this user's)")
    return ", nor its ".join(lost) or None  # (the note says "but not its " first)
