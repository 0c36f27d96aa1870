"""Run as root, the files SQLite opens beside a database in someone's folder opened with its owner's rights.

SQLite opens a database's ``-wal`` and ``-shm`` files lazily, at the first read of each connection (measured with
``strace``: once a connection, never again until it closes), by name, ``O_CREAT`` without ``O_EXCL``; run as root
it gives them the database's owner (``fchown``) and cuts the ``-shm`` to 3 bytes. blurscan looks at their names
just before and after the open of the database (:func:`blurscan.permissions.database_of_one_name`), but the
folder's owner could put a hard link to a root file at ``-wal`` or ``-shm`` between that look and the first read
(where hard links to others' files are allowed: ``fs.protected_hardlinks=0``, macOS), and root's SQLite gave that
file to them and wrote it (until 2026-12-07). :func:`as_owner_of` sets this thread's file-system user and group
(Linux ``setfsuid``, per thread) to the database's owner meanwhile: the system then lets SQLite open only what
that person may, and a root file refuses it. Only where the kernel lets a user link others' files
(:func:`others_files_linkable`): elsewhere no such link can be put there."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator

from .errors import printable_path
from .owner_names import user_name


def _setfs():
    """libc's ``setfsuid`` and ``setfsgid`` (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.setfsuid, libc.setfsgid
    except (OSError, AttributeError):  # pragma: no cover - no libc with them
        return None


@contextlib.contextmanager
def as_owner_of(path: str) -> Iterator[None]:
    """This thread's file accesses made with the rights of the owner of the database ``path`` meanwhile, when
    this process runs as root, the database is someone else's and its folder is not root's (a folder root alone
    may write needs nothing: no one can swap a name there). As it is otherwise (not root, not Linux, no database
    yet, ``:memory:``, a folder its owner cannot reach: a path root alone may go through). The owner's rights
    are their user, the database's group and the groups they belong to (the thread's supplementary groups, where
    the system's call for them is known: :data:`_SETGROUPS`): a library shared by a group (``/srv/photos``, a
    folder of bob's of the group ``photos``, mode ``0775``) is one its database's owner writes through that group,
    and with the database's group alone SQLite could not make the ``-wal`` there (until 2026-12-07: ``sudo
    blurscan scan /srv/photos`` failed, 'SQLite could open the database for reading only'). Always given back,
    whatever is raised meanwhile (a ``KeyboardInterrupt`` included)."""
    owner = _owner(path)
    calls = _setfs() if owner is not None else None
    if calls is None:
        yield
        return
    setfsuid, setfsgid = calls
    groups, uid, gid = os.getgroups(), os.geteuid(), os.getegid()
    try:
        _set_groups(_groups_of(*owner))
        setfsgid(owner[1])
        setfsuid(owner[0])
        try:
            os.stat(os.path.dirname(os.path.abspath(path)))
            reached = True
        except OSError:  # (its owner cannot reach the folder, a path root alone may go through: nor put a link there)
            reached = False
        if not reached:
            _give_back(setfsuid, setfsgid, uid, gid, groups)
        yield
    finally:
        _give_back(setfsuid, setfsgid, uid, gid, groups)


def _give_back(setfsuid, setfsgid, uid: int, gid: int, groups: list[int]) -> None:
    """This thread's own file-system user, group and supplementary groups again (each call idempotent)."""
    setfsuid(uid)
    setfsgid(gid)
    _set_groups(groups)


#: Linux's system call number of ``setgroups`` (32-bit group numbers) by machine: the C library's ``setgroups``
#: sets every thread's groups, the system call only the calling thread's. Elsewhere the groups stay root's.
_SETGROUPS = {"x86_64": 116, "aarch64": 159, "riscv64": 159, "ppc64le": 81, "ppc64": 81, "s390x": 206}


def _set_groups(groups: list[int]) -> None:
    """Set this thread's supplementary groups (Linux, a machine of :data:`_SETGROUPS`; else nothing)."""
    import ctypes
    import platform

    number = _SETGROUPS.get(platform.machine())
    if number is None:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        array = (ctypes.c_uint32 * max(len(groups), 1))(*groups)
        libc.syscall(ctypes.c_long(number), ctypes.c_size_t(len(groups)), array)
    except (OSError, AttributeError):  # pragma: no cover - no libc with syscall
        return


def _groups_of(uid: int, gid: int) -> list[int]:
    """The groups the user ``uid`` belongs to (their own and the database's group ``gid``): that group alone when
    the system does not know them."""
    try:
        import pwd

        entry = pwd.getpwuid(uid)
        found = os.getgrouplist(entry.pw_name, entry.pw_gid)
    except (ImportError, KeyError, OSError):
        return [gid]
    return sorted({*found, gid})


def _owner(path: str) -> tuple[int, int] | None:
    """``path``'s owner and group when root should act as them (:func:`as_owner_of`), else None."""
    if path == ":memory:" or not (hasattr(os, "geteuid") and os.geteuid() == 0) or not others_files_linkable():
        return None
    try:
        st, folder = os.lstat(path), os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_uid == 0 or folder.st_uid == 0:
        return None
    return st.st_uid, st.st_gid


def others_files_linkable() -> bool:
    """Whether a user may put a hard link to another's file they may not write (Linux's ``fs.protected_hardlinks``
    is 0; unknown elsewhere: taken as yes). Where the kernel refuses such links (1, the default of the major
    distributions), no one can put a root file at a ``-wal`` or ``-shm``, and root's SQLite opens them with root's
    rights as before 2026-12-07: the owner's rights broke what they could not guard, a ``-wal`` left root's by an
    earlier program or a database of bob's in alice's folder ('SQLite could open the database for reading
    only')."""
    try:
        with open("/proc/sys/fs/protected_hardlinks", encoding="ascii") as fh:
            return fh.read().strip() == "0"
    except (OSError, ValueError):
        return True


def owners_refusal(path: str) -> str | None:
    """Why root's SQLite could open the database ``path`` for reading only when it opened the ``-wal`` and ``-shm``
    with its owner's rights (:func:`as_owner_of`): a ``-wal`` / ``-shm`` its owner may not write (root's, left
    by an earlier program), or, where one is missing, a folder its owner may not write (bob's database in
    alice's folder), named with whose it is and what to do; None when it is not that (not root, rights not taken,
    the owner may write them all). The system itself is asked, with the owner's rights: their groups and the
    files' ACLs count. The message had blamed the drive ('an I/O error of the drive', until 2026-12-07)."""
    owner = _owner(path)
    if owner is None or _setfs() is None:
        return None
    folder, sides = os.path.dirname(os.path.abspath(path)), [path + suffix for suffix in ("-wal", "-shm")]
    with as_owner_of(path):
        refused = [side for side in sides if os.path.lexists(side) and not _may_write(side)]
        folder_refused = not all(os.path.lexists(side) for side in sides) and not _may_write(folder, os.X_OK)
    who = user_name(owner[0])
    because = (f"may not be written by {who}, the database's owner: run as root, blurscan has SQLite open and make "
               "the -wal and -shm files with the owner's rights (this system lets users hard-link others' files: "
               "fs.protected_hardlinks is 0)")
    if refused:
        files = " and ".join(f"its {side[-4:]} file {printable_path(side)} ({_owned(side)})" for side in refused)
        them = "them" if len(refused) > 1 else "it"
        return (f"{files} {because}: give {them} to {who} (chown) while no program uses the database, or run "
                f"blurscan as {who}")
    if folder_refused:
        try:
            keeper = user_name(os.stat(folder).st_uid)
        except OSError:  # pragma: no cover - the folder gone meanwhile
            return None
        return (f"its folder {printable_path(folder)} ({_owned(folder)}) {because}: give the database to one who "
                f"may write the folder ({keeper}: chown), or keep the database elsewhere with --db FILE")
    return None


def _may_write(path: str, also: int = 0) -> bool:
    """Whether this thread's file-system user and groups may write ``path`` (and ``also``: search a folder)."""
    try:
        return os.access(path, os.W_OK | also, effective_ids=True)
    except (OSError, NotImplementedError):  # pragma: no cover - not told: taken as may
        return True


def _owned(path: str) -> str:
    """``owner NAME, mode 0644`` of ``path``."""
    try:
        st = os.stat(path)
    except OSError:  # pragma: no cover - gone meanwhile
        return "gone meanwhile"
    return f"owner {user_name(st.st_uid)}, mode {stat.S_IMODE(st.st_mode):04o}"
