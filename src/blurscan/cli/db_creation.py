"""Scans that could make one library's database choose and make it one at a time: :func:`choosing_database`.

A scan without ``--db`` looks for a ``.blurscan.db`` in the scanned root and the folders above it, and makes one at
the root when it finds none (:func:`blurscan.cli.locate.scan_db_location`). Two scans started together, one of a
library and one of a folder in it (``blurscan scan lib`` and ``blurscan scan lib/2024``), each looked before the
other had made its database, and each made one (until 2026-12-06): ``lib/2024/.blurscan.db`` beside a library
database that neither started from its results nor remembered it (no note said so). So the look-up and the making
of the database happen under locks that the second scan waits for, and it finds the first one's database, as it
would have had the two been run one after the other: the library's database, or the sub-folder's, which the
library's then starts from, with its note.

The locks are those of the folders that could hold the database either scan looks for: the scanned root,
exclusive, and each folder above it but the file system's root, shared (``scan lib`` and ``scan lib/2024`` exclude
each other on ``lib``; ``scan lib/2024`` and ``scan lib/2025`` do not), taken root-most first. Until 2026-12-06
every scan took one lock, on the file system's root, that any user may take: one user's big first scan, or a
``flock /``, kept every other user's scans waiting 30 s, and then they went on without a word.

Each lock is taken twice: in this user's own folder, :data:`PRIVATE` (``/tmp/blurscan-locks-UID``, made 0700,
used only when it is a folder of this user's that no one else may open, not a link), so that this user's scans
exclude each other whatever other users do; and in :data:`LOCKS`, a sticky folder every user may make files in
(``/tmp/blurscan-locks``), so that the scans of a shared library by two users exclude each other too. The owner
of that shared folder (whoever made it first) may delete any lock file in it: until 2026-12-07 it was the only
one, and another user who made it first could delete this user's lock files while they were held, so that two of
this user's scans made a database each (and, were it made 0755, every scan took no lock at all). A lock file there
now counts only when the folder's owner may write the locked folder (root, its owner, a member of its group when
that group may write it: who could make a database there anyway). Lock files are named after the folder's device
and inode (the same for every name of the folder and every user), and in the shared folder its owner, group and
write bits too (:func:`shared_name`), so nothing is made in the library (a read-only folder, a drive without
locks, another user's folder above the library: all the same). The folder itself is not locked: ``move``,
``trash``, ``tag`` and ``undo`` lock it, for as long as they run (:mod:`blurscan.actions.library_locks`). Only
the users who may write a folder (who could make a database there) may open its shared lock file, and a lock file
counts only when its owner may write the folder (or is root): another user can keep no scan waiting. A scan
makes the shared lock files of the folders it may write; of the others (``/home``, another user's home above a
shared library) it takes those it may open, and goes on without the rest, which no scan of its own could make a
database in.

Both folders are in ``/tmp``, or in ``$BLURSCAN_LOCKS_DIR`` where that is set (:data:`BASE`; the tests set it to
a folder of their own, which they empty at their end). A scan that cannot use its own folder (another user's, a
link, a file, open to others, not to be made in a read-only or full ``/tmp``) says so, once a run, naming it and
the reason, and goes on (until 2026-12-07 without a word). A lock file is left once made, empty, until ``/tmp`` is
emptied: one per folder ever scanned. It is not removed when no longer held: another scan may have opened it
just then, to lock it once this one closes it, while a third makes a new file of that name and locks that (both
going on, each to make a database), unless every scan checked, once it holds a lock, that the name still names
the file it locked; older blurscans, which may run beside this one, do not; and a shared lock file made anew is
its maker's alone until it is shared (:func:`_share`), when another user's scan takes no lock on it.

The locks are held for the look-up and the making of the database alone (a fraction of a second; a new
library's walk for its sub-folders' databases), never for the scan. A scan that waits longer than :data:`SAY_AFTER`
seconds says so, once, naming the folder; one that cannot take a lock in :data:`WAIT` seconds (another one stopped
with Ctrl-Z while making its database) says that it goes on without it, and does.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from typing import Iterator

import click

from ..errors import printable_path
from ..owner_names import user_name

#: How long a scan waits for another one to make its database, in seconds.
WAIT = 30.0
#: How long a scan waits before it says that it waits, in seconds.
SAY_AFTER = 1.5
#: The folder of the two locks folders: ``/tmp``, or ``$BLURSCAN_LOCKS_DIR`` where set (only scans that use the
#: same one exclude each other). The tests set it to a folder of their own: until 2026-12-07 every run of the suite
#: left tens of thousands of empty lock files in ``/tmp``, one per test folder ever scanned, until the next boot.
BASE = os.path.abspath(os.environ.get("BLURSCAN_LOCKS_DIR") or "/tmp")
#: The folder of the lock files every user shares (see the module).
LOCKS = os.path.join(BASE, "blurscan-locks")
#: The folder of this user's own lock files, ``{uid}`` their effective user id (see the module).
PRIVATE = os.path.join(BASE.replace("{", "{{").replace("}", "}}"), "blurscan-locks-{uid}")
#: The own locks folders this run has said it does not use (each said once a run).
_TOLD: set[str] = set()


@contextlib.contextmanager
def choosing_database(paths) -> Iterator[None]:
    """Hold the locks under which a scan of ``paths`` chooses its database and makes it when new (see the module)."""
    try:
        import fcntl
    except ImportError:  # (no flock: as before)
        yield
        return
    fds: list[int] = []
    try:
        dirs = [d for d in (_private_dir(), _locks_dir()) if d is not None]
        fds.extend(fd for fd, _shared in dirs)
        root = _scanned_root(paths) if dirs else None
        if root is not None:
            _take(fcntl, dirs, root, fds)
        yield
    finally:
        for fd in fds:
            os.close(fd)


def _take(fcntl, dirs: list[tuple[int, bool]], root: str, fds: list[int]) -> None:
    """Take the locks of ``root`` (exclusive) and the folders above it (shared), root-most first, in each of the
    locks folders ``dirs`` (each with whether every user shares it) in turn, each opened into ``fds``; within
    :data:`WAIT` seconds in all, saying so after :data:`SAY_AFTER` seconds and at the end."""
    started = time.monotonic()
    said = False
    for (locks_dir, shared), (folder, exclusive) in ((d, f) for d in dirs for f in _folders(root)):
        fd = _open_lock(locks_dir, folder) if shared else _open_own_lock(locks_dir, folder)
        if fd is None:
            continue
        fds.append(fd)
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= WAIT:
                    click.echo(f"note: another blurscan scan of {printable_path(folder)} or a folder in it has "
                               f"been choosing its database for {WAIT:.0f} s (stopped?); going on without waiting "
                               "for it", err=True)
                    return
                if not said and waited >= SAY_AFTER:
                    said = True
                    click.echo(f"note: waiting for another blurscan scan of {printable_path(folder)} or a folder "
                               f"in it to choose its database (up to {WAIT:.0f} s)", err=True)
                time.sleep(0.01)
            except OSError:  # (a file system without flock: as before)
                break


def _scanned_root(paths) -> str | None:
    """The folder where a scan of ``paths`` would make its database (their common folder, link-free); None when
    none of them exists (no database is made). A path inside the common folder of the paths before it is not looked
    up (it cannot change it): one lookup a folder of a library's ``--files-from`` list, not two a photo."""
    from ..permissions import may_exist
    from ..walk import canonical

    common = None
    for p in paths:
        p = os.path.abspath(os.path.expanduser(os.fsdecode(p)))
        if common is not None and _inside(os.path.dirname(p), common):
            continue  # (a path in the common folder changes it in no way, there or not: not looked up)
        if may_exist(p):
            folder = p if os.path.isdir(p) else os.path.dirname(p)
            try:
                common = os.path.commonpath([folder] if common is None else [common, folder])
            except ValueError:  # (different drives)
                return None
    return canonical(common) if common is not None else None


def _inside(folder: str, common: str) -> bool:
    """Whether ``folder`` (absolute, normal) is ``common`` or a folder in it, by their text alone. A ``--files-from``
    list of 100,000 photos of one library was looked up twice a photo for the common folder alone (some 2-5 s
    before the scan's first photo, until 2026-12-06): now only the paths outside the common folder so far are."""
    return folder == common or folder.startswith(common if common.endswith(os.sep) else common + os.sep)


def _folders(root: str) -> list[tuple[str, bool]]:
    """The folders whose locks a scan of ``root`` takes, root-most first, each with whether exclusive: ``root``
    itself, and those above it but the file system's root (where no database is made)."""
    above, parent = [], os.path.dirname(root)
    while os.path.dirname(parent) != parent:
        above.append((parent, False))
        parent = os.path.dirname(parent)
    return [*reversed(above), (root, True)]


def _private_dir() -> tuple[int, bool] | None:
    """:data:`PRIVATE`, opened (made when missing, 0700), with False (not shared); None when it cannot be, or is a
    link, not a folder, not this user's or open to others (another user made it first): its locks are not taken,
    and the scan says so (:func:`_not_used`; until 2026-12-07 it went on without a word, and two of this user's
    scans of one library no longer waited for each other where no shared lock was taken)."""
    path = PRIVATE.format(uid=os.geteuid())
    made = None
    try:
        os.mkdir(path, 0o700)
    except OSError as e:
        made = e
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        if e.errno not in (errno.EMFILE, errno.ENFILE):  # (too many open files: the scan says so itself, next)
            _not_used(path, _why(path, made if made is not None and e.errno == errno.ENOENT else e))
        return None
    st = os.fstat(fd)
    why = ("it is not a folder" if not stat.S_ISDIR(st.st_mode) else
           f"it is {user_name(st.st_uid)}'s, not this user's" if st.st_uid != os.geteuid() else
           f"other users may open it (mode {stat.S_IMODE(st.st_mode):o})" if st.st_mode & 0o077 else None)
    if why:
        os.close(fd)
        _not_used(path, why)
        return None
    return fd, False


def _why(path: str, e: OSError) -> str:
    """Why :data:`PRIVATE` (``path``) could not be opened (``e``): a link, not a folder, another user's, the
    reason it could not be made (a read-only or full ``/tmp``)."""
    if os.path.islink(path):
        return "it is a link"
    if os.path.lexists(path) and not os.path.isdir(path):
        return "it is not a folder"
    if e.errno in (errno.EACCES, errno.EPERM):
        with contextlib.suppress(OSError):
            return f"it is {user_name(os.lstat(path).st_uid)}'s, not this user's"
    return f"it cannot be made ({e.strerror or e})"


def _not_used(path: str, why: str) -> None:
    """Say, once a run, that this user's own locks folder (``path``) is not used, and why: one line on stderr."""
    if path in _TOLD:
        return
    _TOLD.add(path)
    click.echo(f"note: {printable_path(path)} is not used for this user's scan locks: {why}; two scans of one "
               "library started together may each make a database", err=True)


def _open_own_lock(locks_dir: int, folder: str) -> int | None:
    """The lock file of ``folder`` in this user's own locks folder, opened read-only (made when missing); None when
    it cannot be, or is not a plain file."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    flags = os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(f"{st.st_dev:x}-{st.st_ino:x}", flags | getattr(os, "O_NONBLOCK", 0), 0o600, dir_fd=locks_dir)
    except OSError as e:  # (a full or read-only /tmp: said, as a folder not used is; too many open files: the scan
        if e.errno not in (errno.EMFILE, errno.ENFILE):  # says so itself, in its own words, when it opens the next)
            _not_used(PRIVATE.format(uid=os.geteuid()), f"its lock files cannot be made ({e.strerror or e})")
        return None
    if stat.S_ISREG(os.fstat(fd).st_mode):
        return fd
    os.close(fd)
    return None


def _locks_dir() -> tuple[int, bool] | None:
    """:data:`LOCKS`, opened (made when missing, sticky and open to every user), with True (shared); None when it
    cannot be, or is not a sticky folder every user may write (then no shared lock is taken)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.mkdir(LOCKS, 0o700)
        try:
            os.chmod(LOCKS, 0o1777)
        except OSError:
            pass
    except OSError:
        pass
    try:
        fd = os.open(LOCKS, flags)
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode) or stat.S_IMODE(st.st_mode) != 0o1777:
        os.close(fd)
        return None
    return fd, True


def _open_lock(locks_dir: int, folder: str) -> int | None:
    """The lock file of ``folder`` in the shared locks folder, opened read-only (``flock`` needs no more); made when
    missing and this user may write ``folder``, readable by those who may write it alone. None when it cannot be
    opened, its owner may not write ``folder``, or the locks folder's owner may not write ``folder`` either (they
    could delete it while held, and make a database there no more than any other user)."""
    from ..permissions import may_write

    try:
        st = os.stat(folder)
    except OSError:
        return None
    name = shared_name(st)
    # (O_NONBLOCK: a FIFO another user made there under that name, opened without it, hung the scan for good)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = None
    if may_write(folder):
        try:
            fd = os.open(name, flags | os.O_CREAT | os.O_EXCL, 0o400, dir_fd=locks_dir)
        except OSError:
            fd = None
        else:
            _share(fd, st)
    try:
        if fd is None:
            fd = os.open(name, flags, dir_fd=locks_dir)
    except OSError:
        return None
    own = os.fstat(fd)
    if stat.S_ISREG(own.st_mode) and _counts(own, st) and _may_write(os.fstat(locks_dir).st_uid, st):
        return fd
    os.close(fd)
    return None


def shared_name(st: os.stat_result) -> str:
    """The name of a folder's (``st``) lock file in the shared locks folder: its device and inode, and what decides
    who may open the file and whose it counts, the folder's owner, group and write bits (the same for every user,
    each name of the folder). A library made a group's after a scan had made its lock file (``0400``, its owner's
    alone) kept that file until ``/tmp`` was emptied, which no other member of the group could open: their scans
    took no lock on it, and one of ``lib/2024`` made a database beside the owner's of ``lib`` (until 2026-12-07)."""
    return f"{st.st_dev:x}-{st.st_ino:x}-{st.st_uid}-{st.st_gid}-{stat.S_IMODE(st.st_mode) & 0o022:o}"


def _share(fd: int, st: os.stat_result) -> None:
    """Let a new lock file be opened by the users who may write its folder (``st``) and by no one else: its
    owner's (made by root), its group's (when the group may write it), everyone (when everyone may). Whatever the
    umask; a refusal (a group this user is not in) leaves it to fewer users, who take it, the others going on
    without it."""
    with contextlib.suppress(OSError):
        if os.geteuid() == 0:
            os.fchown(fd, st.st_uid, st.st_gid)
        elif st.st_mode & 0o020:
            os.fchown(fd, -1, st.st_gid)
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o400 | (0o040 if st.st_mode & 0o020 else 0) | (0o004 if st.st_mode & 0o002 else 0))


def _may_write(uid: int, folder: os.stat_result) -> bool:
    """Whether user ``uid`` may write a folder (``folder``), by its mode: root, its owner, a member of its group
    when that group may write it (looked up in the user database: not this process's groups), everyone when
    everyone may. The shared locks folder's owner is asked (until 2026-12-07 only root and the folder's owner
    counted: a group library's scans by two of its users took no shared lock when another member of the group
    had made the locks folder first, and each made a database)."""
    if uid in (0, folder.st_uid) or folder.st_mode & 0o002:
        return True
    if not folder.st_mode & 0o020:
        return False
    try:
        import pwd

        user = pwd.getpwuid(uid)
        return folder.st_gid == user.pw_gid or folder.st_gid in os.getgrouplist(user.pw_name, user.pw_gid)
    except (KeyError, OSError, ImportError):  # (a user of no name: not known to be a member)
        return False


def _counts(lock: os.stat_result, folder: os.stat_result) -> bool:
    """Whether a lock file (``lock``) was made by a user who may write its folder (``folder``): its owner is
    root or the folder's, or its group is the folder's and that group may write it (only a member of a group
    gives a file that group), or everyone may write the folder."""
    return (lock.st_uid in (0, folder.st_uid) or bool(folder.st_mode & 0o002)
            or (bool(folder.st_mode & 0o020) and lock.st_gid == folder.st_gid))
