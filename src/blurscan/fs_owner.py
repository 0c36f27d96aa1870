"""Run as root, the files SQLite opens beside a database in someone's folder opened with its owner's rights.

SQLite opens a database's ``-wal`` and ``-shm`` files lazily, at the first read of each connection (measured with
``strace``: once a connection, never again until it closes), by name, ``O_CREAT`` without ``O_EXCL``; run as root
it gives them the database's owner (``fchown``) and cuts the ``-shm`` to 3 bytes. blurscan looks at their names
just before and after the open of the database (:func:`blurscan.permissions.database_of_one_name`), but the
folder's owner could put a hard link to a root file at ``-wal`` or ``-shm`` between that look and the first read
(where hard links to others' files are allowed: ``fs.protected_hardlinks=0``, macOS), and root's SQLite gave that
file to them and wrote it (until 2026-12-07). :func:`as_owner_of` sets this thread's file-system user and group
(Linux ``setfsuid``, per thread) to the database's owner meanwhile: the system then lets SQLite open only what
that person may, and a root file refuses it."""
from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator


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
    yet, ``:memory:``, a folder its owner cannot reach: a path root alone may go through)."""
    owner = _owner(path)
    calls = _setfs() if owner is not None else None
    if calls is None:
        yield
        return
    setfsuid, setfsgid = calls
    setfsgid(owner[1])
    setfsuid(owner[0])
    try:
        os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError:  # (its owner cannot reach the folder, a path root alone may go through: nor put a link there)
        setfsuid(0)
        setfsgid(0)
        yield
        return
    try:
        yield
    finally:
        setfsuid(0)
        setfsgid(0)


def _owner(path: str) -> tuple[int, int] | None:
    """``path``'s owner and group when root should act as them (:func:`as_owner_of`), else None."""
    if path == ":memory:" or not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return None
    try:
        st, folder = os.lstat(path), os.stat(os.path.dirname(os.path.abspath(path)))
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_uid == 0 or folder.st_uid == 0:
        return None
    return st.st_uid, st.st_gid
