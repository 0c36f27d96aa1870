"""Whether blurscan may write a file or folder: what the system allows and, when run as root, what the
permission bits say.

Root passes every permission check, so a library someone made read-only on purpose (``chmod -R a-w``: an
archive, a share, a container running as root over a user's photos) would get a ``.blurscan.db``, its
``-wal`` / ``-shm`` files, moved-out photos and new sidecars. As root, blurscan therefore treats a file or
folder whose mode has **no write bit at all** (``0555``, ``0444``) as read-only, as the system treats it for
every other user, owner included: the database goes to the cache folder, ``move`` / ``trash`` / ``tag`` leave
its photos where they are, ``undo`` puts nothing back into it. Only the bits with no write permission for
anyone count, not the owner / group / other class root would fall in as an ordinary user: a ``0755`` folder of
another user is merely someone else's, and judging root as "other" would keep root from ever writing the
library it was asked to work on. ACLs and other access rules are left to the system. For other users nothing
changes: ``os.access`` (the system's answer) decides, as before.
"""
from __future__ import annotations

import errno
import os
import stat

from .errors import printable_path
from .folders_down import made_folders_down
from .owner_names import user_name

_ANY_WRITE = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _read_only_mode(path: str | os.PathLike) -> int | None:
    """The permission bits of ``path`` (followed if a link) when this process runs as root (effective uid 0)
    and they hold no write bit; None otherwise, and for a path that cannot be examined."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return None if mode & _ANY_WRITE else mode


def read_only_for_root(path: str | os.PathLike) -> bool:
    """Whether this process runs as root and ``path`` has no write bit for anyone. Always False for other
    users (the system refuses them itself) and for a path that cannot be examined."""
    return _read_only_mode(path) is not None


def may_write(path: str | os.PathLike, mode: int = os.W_OK) -> bool:
    """``os.access(path, mode)`` (``mode`` includes ``os.W_OK``), and for root not :func:`read_only_for_root`."""
    return os.access(path, mode) and not read_only_for_root(path)


def read_only_reason(folder: str | os.PathLike) -> str | None:
    """For root, why ``folder`` is left as it is (it names the folder and its mode); else None."""
    mode = _read_only_mode(folder)
    if mode is None:
        return None
    return (f"{printable_path(folder)} is read-only (mode {mode:04o}: no one may write it; blurscan honours that "
            "when run as root too)")


def on_read_only_file_system(path: str | os.PathLike) -> bool:
    """Whether ``path`` (a file or folder) lies on a file system mounted read-only (a read-only share, a
    snapshot, a disc), which refuses root too. False where it cannot be told (no ``statvfs``: Windows)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def why_not_writable(path: str | os.PathLike) -> str | None:
    """Why this process may not write ``path`` (a file or folder that exists), as words to follow its name ("is on
    a read-only file system"): a read-only mount, root honouring a mode with no write bit (see the module
    docstring), or the system's refusal (with its owner and mode); None when it may, or when it cannot be told."""
    if on_read_only_file_system(path):
        return "is on a read-only file system"
    mode = _read_only_mode(path)
    if mode is not None:
        return f"is read-only (mode {mode:04o}: no one may write it; blurscan honours that when run as root too)"
    if os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids):  # (the ids that write)
        return None
    if _read_only_snapshot(path):
        return "is in a read-only snapshot (the file system refuses writing it, root too)"
    return _refused_by_owner_and_mode(path, "writable")


def _read_only_snapshot(path: str | os.PathLike) -> bool:
    """Whether writing ``path`` is refused as on a read-only file system (``EROFS``) while its mount is not
    read-only: a read-only btrfs snapshot (``btrfs subvolume snapshot -r``), which refuses root too. Until
    2026-12-07 move and trash said such a library ``is not writable by this user: owner root, mode 0755`` (to
    root). False where it cannot be told (no C library: not Linux or BSD)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        refused = libc.access(os.fsencode(path), os.W_OK) != 0
    except (AttributeError, OSError, TypeError):
        return False
    return refused and ctypes.get_errno() == errno.EROFS


def why_not_readable(path: str | os.PathLike) -> str | None:
    """``is not readable by this user: owner OWNER, mode MODE`` when this process may not read ``path`` (another
    user's ``0600`` file; root may read any); None when it may, or when it cannot be told."""
    if os.access(path, os.R_OK, effective_ids=os.access in os.supports_effective_ids):
        return None
    return _refused_by_owner_and_mode(path, "readable")


def _refused_by_owner_and_mode(path: str | os.PathLike, what: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"is not {what} by this user: owner {user_name(st.st_uid)}, mode {stat.S_IMODE(st.st_mode):04o}"


def owned_like_folder(path: str | os.PathLike, folder: str | os.PathLike | None = None, *,
                      fd: int | None = None) -> None:
    """Run as root, give ``path`` (a file or folder blurscan has just made in someone's library: its database,
    the actions lock, the tag backups) the owner and group of ``folder`` (default: the folder it is in). Root's
    files there (``sudo blurscan scan ~/Pictures``) left the person's own later runs a database they could not
    write (until 2026-12-04). SQLite gives the ``-wal`` and ``-shm`` files it makes the database file's owner
    itself. Nothing is tried when not root; a refusal (a file system without owners) is ignored. A file just made
    is given through ``fd``, the descriptor it was made with, where there is one: by its name, in a folder of the
    person's, the chown went to whatever they had put under that name meanwhile (a hard link to a root file: a
    ``.trashinfo``, a new ``-o`` file, until 2026-12-06). By name, only a folder or a regular file of root's with
    one link is given (:func:`_give_by_name`)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    try:
        st = os.stat(folder if folder is not None else os.path.dirname(os.path.abspath(path)))
        if (st.st_uid, st.st_gid) != (0, 0):
            if fd is not None:
                os.fchown(fd, st.st_uid, st.st_gid)
            else:
                _give_by_name(path, st.st_uid, st.st_gid)
    except OSError:
        pass


def _give_by_name(path: str | os.PathLike, uid: int, gid: int) -> None:
    """Give ``path`` to ``uid``:``gid`` when it is what blurscan has just made there: a folder or a regular file,
    root's, not a link, a file with no other name; opened without following a link and given through that
    descriptor, so that what was looked at is what is given. A hard link to a root file put in place of the name
    (where hard links to others' files are allowed: ``fs.protected_hardlinks=0``, macOS) has two names: until
    2026-12-06 the chown by name gave that root file away (the database, the actions and library locks, a
    thumbnail, a tag backup made by name)."""
    before = os.lstat(path)
    if not (stat.S_ISDIR(before.st_mode) or stat.S_ISREG(before.st_mode)):  # (never opened: a device, a FIFO)
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                 | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if (st.st_ino, st.st_dev) != (before.st_ino, before.st_dev) or st.st_uid != 0:
            return
        if stat.S_ISDIR(st.st_mode) or (stat.S_ISREG(st.st_mode) and st.st_nlink == 1):
            os.fchown(fd, uid, gid)
    finally:
        os.close(fd)


def folders_owned_like_parents(made: list[str]) -> None:
    """Run as root, give the folders blurscan has just made in someone's tree (``made``: deepest first, each in the
    next, as :func:`~blurscan.actions.folder_path.missing_folders` lists them) the owner and group of the folder
    each was made in, from the top down, none where that folder is root's (:func:`owned_like_folder`). Only a
    folder that is root's now is changed (one another user's process made meanwhile is left as it is). Each is
    opened in the one above it, by descriptor and never through a symbolic link, and given through its
    descriptor: the person whose tree it is may change it meanwhile, and until 2026-12-06 a link they put where a
    folder had just been made (``~/rejects`` -> a folder of bob's) steered the chowns, made by path, to a
    root-owned folder blurscan never made, given to bob. The first one that is no such folder (a link, a file,
    gone) ends it: nothing below it is blurscan's. Nothing is tried when not root; a refusal is ignored."""
    if not made or not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    for _folder, fd, parent in made_folders_down([os.path.abspath(f) for f in made]):
        try:
            if os.fstat(fd).st_uid == 0 and (parent.st_uid, parent.st_gid) != (0, 0):
                os.fchown(fd, parent.st_uid, parent.st_gid)
        except OSError:
            pass


def may_exist(path: str | os.PathLike) -> bool:
    """Whether ``path`` names something, or may: ``os.path.lexists``, except that a name this user may not look
    up (in a folder it may list but not enter, such as another user's ``0744`` folder or one of a ``chmod -R
    644``) is not said to be absent. ``lexists`` is False there, so until 2026-12-05 such a photo named to `scan`
    was "no such file" (exit 1, no database), its walk error was never stored (`report` left it out), and
    `report` or `bursts` given its name said "no such file or directory"."""
    try:
        os.lstat(path)
    except PermissionError:  # (it may well be there)
        return True
    except (OSError, ValueError):  # (absent, a name too long, a NUL byte: as lexists says)
        return False
    return True


def unwritable_above(path: str | os.PathLike) -> str | None:
    """The nearest of ``path`` and its parents that exists, when this process may not make or write files in it
    (:func:`may_write` with search: root too, a folder with no write bit); None when it may. What ``synth``'s OUT
    and ``demo``'s FOLDER check before any work (until 2026-12-06 root wrote a dataset or the demo photos into a
    folder with no write bit, and a user was told only once the writing failed)."""
    existing = os.path.abspath(path)
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    return None if may_write(existing, os.W_OK | os.X_OK) else existing


def new_database_file(path: str | os.PathLike) -> None:
    """Make the empty file of a new SQLite database at ``path`` (SQLite takes an empty file for an empty database)
    with the mode any new file gets, 0666 less the umask, and, run as root, the owner of its folder
    (:func:`owned_like_folder`). SQLite itself makes a database ``0644`` less the umask whatever the umask says,
    so a library shared by a group (a family NAS's setgid folder, everyone's umask 002) got a database only its
    first scanner could write: the others' scans kept a database of their own in their cache folder, and their
    decisions and batches went there (until 2026-12-06). SQLite gives the ``-wal`` and ``-shm`` files the
    database's mode. Nothing is made when the name is taken meanwhile (another scan made it) or cannot be made
    (SQLite then says why)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        return
    try:
        owned_like_folder(path, fd=fd)  # (through the descriptor: the name may be another file's by now)
    finally:
        os.close(fd)


def umask() -> int:
    """The process's umask, read without setting it where the system tells it (Linux: ``/proc/self/status``);
    else set and set back at once (another thread creating a file in that instant would get 0666)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def linked_side_file(path: str):
    """A :class:`~blurscan.errors.StoreError` naming the database ``path``'s ``-wal`` or ``-shm`` file when it is a
    symbolic link, else None. SQLite opens neither through a link, as root or not, and said only "unable to open
    database file" (until 2026-12-06 every ``scan``, ``move`` ... of the library failed so, naming the database,
    not the link). Its target is left alone: it is not the database's, and may be someone else's file."""
    from .errors import StoreError

    for side in (path + "-wal", path + "-shm"):
        if os.path.islink(side):
            try:
                target = f" (to {printable_path(os.readlink(side))})"
            except OSError:
                target = ""
            return StoreError(f"{printable_path(side)}: cannot use database {printable_path(path)}: its "
                              f"{side[len(path):]} file is a symbolic link{target}, which SQLite does not open; "
                              "remove the link, and run the command again")
    return None


def database_of_one_name(path: str, seen: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Run as root, raise :class:`~blurscan.errors.StoreError` for the database ``path`` (or its ``-wal`` or ``-shm``
    file) when it is a file with another name, owned by someone other than its folder's owner, or, given ``seen``
    (what this returned just before SQLite opened it), when its name now names another file. Returns the file's
    device and inode (None when there is none yet, and when not root). The folder is someone's library (``sudo
    blurscan scan ~/Pictures``): where hard links to others' files are allowed (``fs.protected_hardlinks=0``,
    macOS) they could put a hard link to an empty root file under that name, before the scan or just after
    blurscan made the new database's file, and SQLite, opening the name as root, made that file a database (until
    2026-12-06). Looked at by name (``lstat``), never opened: closing a descriptor of a file SQLite holds drops its
    locks (:data:`blurscan.dbfile._HELD`). Checked just before and just after SQLite opens the name, which narrows
    the moment a swap could slip through to that of SQLite's open itself; by the read-only open too (``report``,
    and the first open of every ``scan``): until 2026-12-06 only the read-write one looked, and SQLite, run as
    root, gave a ``-wal`` or ``-shm`` that was a hard link to a root file the database's owner and a ``0644``
    mode, and wrote the ``-shm``, before the read-write open looked (it then found the file the owner's)."""
    if path == ":memory:" or not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return None
    from .errors import StoreError

    try:
        folder = os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError:
        return None
    here = None
    for name in (path, path + "-wal", path + "-shm"):
        try:
            st = os.lstat(name)
        except OSError:
            continue
        if name == path:
            here = (st.st_dev, st.st_ino)
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1 and st.st_uid != folder.st_uid:
            raise StoreError(f"{printable_path(name)}: cannot use database: it is a file with another name "
                             f"({st.st_nlink} names), owned by {user_name(st.st_uid)} in a folder of "
                             f"{user_name(folder.st_uid)}'s, which blurscan run as root does not write (a hard link "
                             "to someone else's file?); remove it, or choose another file with --db")
    if seen is not None and here != seen:
        raise StoreError(f"{printable_path(path)}: cannot use database: it was replaced by another file as it was "
                         "opened, which blurscan run as root does not write; run the command again")
    return here
