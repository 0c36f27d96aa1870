"""Which folder is "the library" of a database: the folder whose photos the database holds, that ``move``,
``trash`` and ``tag`` keep relative paths under, limit themselves within and warn about (a ``--to`` inside it is
found again by a later scan).

The library's ``.blurscan.db`` (at the scanned root, see :mod:`blurscan.cli.locate`) stands in its folder. A
database kept elsewhere (``--db ~/blurscan.db`` for ``~/Pictures``, or the cache folder's for a library that
could not be written) does not: its folder is not the library, and the library is the common folder of the
photos it holds. Unless that is the file system's root: the photos of a scan of unrelated folders
(``blurscan scan /tmp/a ~/b``, whose database the cache folder keeps as the root's) have no library folder, and
:func:`library_root` says None: a ``--to`` anywhere is not "inside the library", and ``move`` keeps the paths of
the photos it takes relative to their own common folder, not to ``/``.
"""
from __future__ import annotations

import os

from .config import DEFAULT_DB_NAME
from .store import path_from_db

# The first and last stored path of each kind (paths are TEXT, or a BLOB for a name that is not UTF-8, and SQLite
# sorts every TEXT before every BLOB; X'' is the smallest BLOB): each found through the primary key's index.
_ENDS = ("SELECT MIN(path) FROM images", "SELECT MAX(path) FROM images WHERE path < X''",
         "SELECT MIN(path) FROM images WHERE path >= X''", "SELECT MAX(path) FROM images")


def photos_folder(store) -> str | None:
    """The deepest folder that holds every photo of ``store`` (None for a database without photos).

    Paths are compared byte by byte in SQLite, so every path between the first and the last of a kind starts
    with the bytes those two share: the common folder of the (up to four) ends is that of all the paths."""
    ends = []
    for sql in _ENDS:
        value = store.conn.execute(sql).fetchone()[0]
        if value is not None:
            ends.append(path_from_db(value))
    if not ends:
        return None
    return os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in ends])


def library_root(store) -> str | None:
    """The library folder of ``store`` (absolute): the folder of a ``.blurscan.db`` that holds all its photos
    (what it always was), else the common folder of the photos (a database kept outside its library, under
    another name or in the cache folder); a database with no photos: its own folder. None when the photos'
    only common folder is the file system's root (folders scanned together that share no other): no folder
    stands for the library."""
    own = os.path.dirname(os.path.abspath(store.path)) if store.path != ":memory:" else None
    photos = photos_folder(store)
    if photos is None:
        return own if own is not None else os.getcwd()
    if own is not None and os.path.basename(store.path) == DEFAULT_DB_NAME and \
            (photos + os.sep).startswith(own.rstrip(os.sep) + os.sep):
        return own
    return None if os.path.dirname(photos) == photos else photos
