"""One scan at a time chooses and makes a new library database: :func:`choosing_database`.

A scan without ``--db`` looks for a ``.blurscan.db`` in the scanned root and the folders above it, and makes one at
the root when it finds none (:func:`blurscan.cli.locate.scan_db_location`). Two scans started together, one of a
library and one of a folder in it (``blurscan scan lib`` and ``blurscan scan lib/2024``), each looked before the
other had made its database, and each made one (until 2026-12-06): ``lib/2024/.blurscan.db`` beside a library
database that neither started from its results nor remembered it (no note said so). Now the look-up and the making
of the database happen under one lock that every scan takes, so the second scan finds the first one's database,
as it would have had the two been run one after the other: the library's database, or the sub-folder's, which
the library's then starts from, with its note.

The lock is ``flock`` on the file system's root folder, which every user may open: the scans of one library may be
run by different users (a shared library), and nothing has to be made for it. It is held for the look-up and
the making of the database alone (a fraction of a second; a new library's walk for its sub-folders' databases),
never for the scan. A scan that cannot take it in :data:`WAIT` seconds (another one stopped with Ctrl-Z while
making its database) goes on without it, as before.
"""
from __future__ import annotations

import contextlib
import os
import time
from typing import Iterator

#: How long a scan waits for another one to make its database, in seconds.
WAIT = 30.0


@contextlib.contextmanager
def choosing_database() -> Iterator[None]:
    """Hold the lock under which a scan chooses its database and makes it when new (see the module)."""
    try:
        import fcntl

        fd = os.open(os.sep, os.O_RDONLY)
    except (ImportError, OSError):  # (no flock, or a root folder this process may not open: as before)
        yield
        return
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.01)
            except OSError:  # (a file system without flock: as before)
                break
        yield
    finally:
        os.close(fd)
