"""A database's ``-shm`` file on a drive that cannot size files: SQLite's "disk I/O error" told apart from a full disk.

A WAL database keeps its shared-memory index in a ``-shm`` file beside it, which SQLite sizes with ``ftruncate``;
``fusefat`` (the FUSE FAT driver a camera card may be mounted with) and some network shares cannot, and SQLite
fails at the first read. Kept out of :mod:`blurscan.dbfile` (the database file's other errors) for its length.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile

#: SQLite's extended codes for a ``-shm`` file it could not open, size, lock or map (SQLITE_IOERR_SHMOPEN, _SHMSIZE,
#: _SHMLOCK, _SHMMAP): a WAL database's shared-memory index.
_SHARED_MEMORY_FAILED = (4618, 4874, 5130, 5386)


def shared_memory_failed(exc, path: str) -> str:
    """What SQLite's "disk I/O error" ``exc`` means when it is about the database ``path``'s ``-shm`` file (the
    index a WAL database keeps in memory shared by its connections) and the drive cannot size files at all, as the
    end of its error line; ``""`` for any other error. A drive whose file system has no ``ftruncate``
    (``fusefat``, the FUSE FAT driver; some network shares) gives it at the first read, and a FAT card's database
    could not be made there: until 2026-12-07 the error said "its disk is full (0 kB free)", a drive that reports
    no size taken for a full one. Told by an empty file made beside the database and sized to one byte, then
    removed: a full disk or a file-size limit, which give SQLite the same error, size it (sparse)."""
    if getattr(exc, "sqlite_errorcode", None) not in _SHARED_MEMORY_FAILED:
        return ""
    try:
        fd, probe = tempfile.mkstemp(prefix=".blurscan-size-", dir=os.path.dirname(os.path.abspath(path)))
    except OSError:
        return ""
    try:
        os.ftruncate(fd, 1)
    except OSError as refused:
        if refused.errno not in (errno.EPERM, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
            return ""
    else:
        return ""
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return (" (its drive cannot size the shared-memory file SQLite keeps beside the database, -shm, as some FUSE "
            "and network drives cannot: keep the database on another disk with --db FILE)")
