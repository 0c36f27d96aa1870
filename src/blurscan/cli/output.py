"""The ``--output`` file of ``scan`` and ``report``: checked before any work.

:func:`check_output` refuses (a usage error, exit code 2, one ``Error:`` line naming the file and the reason) a
file whose overwriting would destroy something: the database the command uses and its SQLite side files
(``-wal``, ``-shm``, ``-journal``), any other SQLite database (``-o`` and ``--db`` mixed up: ``blurscan scan
/mnt/card -o ~/card.db``), an image file (originals are never modified) and a file the scan reads (named on the
command line). Files are compared by identity (device and inode) where they exist, so a symbolic link or another
spelling of the path is caught too; a file not there yet is compared by its resolved path (the database a scan is
about to create). Nothing is opened for writing before the check: the file is left as it was.
"""
from __future__ import annotations

import os
import stat

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..errors import UsageError, printable_path

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"

#: The files SQLite keeps beside a database while it is used.
_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_output(output: str | None, *, db_path: str | os.PathLike | None = None, paths=()) -> None:
    """Raise :class:`~blurscan.errors.UsageError` when writing the list to ``output`` would destroy the database
    ``db_path`` (or one of its side files), another SQLite database, an image file or one of the ``paths`` the
    scan was given; None (standard output) and files that are not regular files (``/dev/stdout``, a FIFO) pass."""
    if output is None:
        return
    try:
        st = os.stat(output)
    except OSError:
        st = None  # not there (or not to be looked at: opening it then says why)
    refused = f"{printable_path(output)}: cannot write output: it is"
    left = "; it was left as it is (choose another --output file"
    if db_path is not None:
        if _same(output, st, db_path):
            raise UsageError(f"{refused} the database this command uses, which the list would replace with its "
                             f"results, decisions and undo history{left}; --db names the database)")
        for suffix in _SIDE_FILES:
            if _same(output, st, f"{db_path}{suffix}"):
                raise UsageError(f"{refused} SQLite's {suffix} file of the database this command uses, "
                                 f"{printable_path(db_path)}, which needs it to stay whole{left})")
    if st is None or not stat.S_ISREG(st.st_mode):
        return  # a new file, or /dev/stdout, /dev/null, a FIFO: nothing there to lose
    if any(_same(output, st, p) for p in paths):
        raise UsageError(f"{refused} a file this scan reads (named on the command line), and blurscan never "
                         f"modifies the files it scans{left})")
    for name in (output, os.path.realpath(output)):  # (a link named .csv to a photo too)
        suffix = os.path.splitext(name)[1]
        if suffix.casefold() in IMAGE_SUFFIXES | RAW_SUFFIXES:
            raise UsageError(f"{refused} an image file ({printable_path(suffix)}), and blurscan never modifies "
                             f"photos{left})")
    if _is_sqlite(output):
        raise UsageError(f"{refused} an SQLite database, which the list would replace{left}; --db names the "
                         "database)")


def _same(output: str, st: os.stat_result | None, other: str | os.PathLike) -> bool:
    """Whether ``output`` (``st``: its ``stat``, None when it is not there) and ``other`` are one file: the same
    device and inode when both exist, the same resolved path when neither does."""
    try:
        other_st = os.stat(other)
    except OSError:
        other_st = None
    if st is not None or other_st is not None:
        return st is not None and other_st is not None and (st.st_dev, st.st_ino) == (other_st.st_dev,
                                                                                       other_st.st_ino)
    return os.path.realpath(output) == os.path.realpath(other)


def _is_sqlite(path: str) -> bool:
    """Whether the regular file ``path`` starts with SQLite's header (False when it cannot be read)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
