"""Which folder is "the library" of a database: the folder whose photos the database holds, that ``move``,
``trash`` and ``tag`` keep relative paths under, limit themselves within and warn about (a ``--to`` inside it is
found again by a later scan).

The library is the folder scanned into the database: every scan records the folders it was given
(:mod:`blurscan.scanned_roots`), and the outermost of them that holds every stored photo is the library, wherever
the database is (``--db LIB/my.db`` inside it, ``--db ~/blurscan.db`` beside it, the cache folder's for a
library that could not be written), and whatever sub-folder its photos happen to lie in. The library's
``.blurscan.db`` (at the scanned root, see :mod:`blurscan.cli.locate`) stands in its folder too.

A database written before the roots were recorded, or whose photos no one recorded root holds (folders
scanned one at a time, ``scan ~/a`` then ``scan ~/b``), is read as before: a ``.blurscan.db`` holding every
photo below its folder stands for that folder; otherwise the library is the common folder of the photos it
holds. Unless that is the file system's root: the photos of a scan of unrelated folders (``blurscan scan
/tmp/a ~/b``, whose database the cache folder keeps as the root's) have no library folder, and
:func:`library_root` says None: a ``--to`` is "inside the library" only under one of the folders scanned, and
``move`` puts each photo under a folder named for the scanned folder holding it (:mod:`blurscan.actions.root_layout`),
not its whole path below ``/``.

Rows naming files outside the library (:mod:`blurscan.library_bounds`: added by hand, not by a scan) are left
out: one naming another user's photo made the file system's root the library, and ``move`` then kept the
library's own folder in the paths under ``--to`` (until 2026-12-05).
"""
from __future__ import annotations

import os

from .config import DEFAULT_DB_NAME
from .scanned_roots import scanned_roots

# The first and last stored path of each kind (paths are TEXT, or a BLOB for a name that is not UTF-8, and SQLite
# sorts every TEXT before every BLOB; X'' is the smallest BLOB): each found through the primary key's index.
_ENDS = ("SELECT MIN(path) FROM images", "SELECT MAX(path) FROM images WHERE path < X''",
         "SELECT MIN(path) FROM images WHERE path >= X''", "SELECT MAX(path) FROM images")


def photos_folder(store) -> str | None:
    """The deepest folder that holds every photo of ``store`` (None for a database without photos).

    Paths are compared byte by byte in SQLite, so every path between the first and the last of a kind starts
    with the bytes those two share: the common folder of the (up to four) ends is that of all the paths."""
    from .store import path_from_db  # (imported here: `blurscan --help` imports this module, not sqlite3)

    ends = []
    for sql in _ENDS:
        value = store.conn.execute(sql).fetchone()[0]
        if value is not None:
            ends.append(path_from_db(value))
    if not ends:
        return None
    return os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in ends])


def library_root(store) -> str | None:
    """The library folder of ``store`` (absolute): the outermost folder scanned into it (or the folder of a
    ``.blurscan.db``) that holds all its photos; else (no such root recorded: a database of an older blurscan,
    folders scanned one at a time) the folder of a ``.blurscan.db`` that holds all its photos (what it always
    was), else the common folder of the photos (a database kept outside its library, under another name or in
    the cache folder); a database with no photos: its own folder. None when the folder found is the file
    system's root (folders scanned together that share no other): no folder stands for the library."""
    own = os.path.dirname(os.path.abspath(store.path)) if store.path != ":memory:" else None
    photos = photos_folder(store)
    if photos is None:
        return own if own is not None else os.getcwd()
    # every candidate holding the photos' common folder holds the others' or is held by them: the shortest is
    # the outermost (a root that no longer exists holds no photo of this database unless its records are
    # still there, and then it is still the folder a scan of it went through)
    candidates = root_folders(store)
    holding = [root for root in candidates if _within(photos, root)]
    if not holding and candidates:  # rows added by hand outside the library do not move it (library_bounds)
        photos = _photos_inside(store) or photos
        holding = [root for root in candidates if _within(photos, root)]
    found = min(holding, key=len) if holding else photos
    return None if os.path.dirname(found) == found else found


def as_stored(path: str, library: str) -> str:
    """``path`` (absolute, links resolved) as ``library``'s database names it: the same folder reached at another
    place, a drive mounted at two (``mount --bind DISK DISK1``, or one file system mounted twice), is told by its
    device and inode: ``DISK1/lib/2024`` is ``DISK/lib/2024`` for a library scanned at ``DISK/lib``. ``path``
    itself otherwise (one in the library, or outside it). ``move DISK1/lib`` found no photo under ``DISK1/lib``,
    "nothing selected", its photos stored at ``DISK/lib`` (until 2026-12-07). A library whose names go through a
    symbolic link (an older blurscan's, :mod:`blurscan.cli.linked_folders`) is left to the scan that converts them:
    its photos are not taken under those names meanwhile. A library on a network share reached through another
    mount point of the share (two mounts of one share have devices and inode numbers of their own) is told by the
    share and the place in it (:func:`blurscan.share_ids.share_twin`): ``report /media/me/nas/photos`` of a library
    scanned at ``/mnt/nas/photos`` found no photo there (until 2026-12-07)."""
    if path == library or _within(path, library) or _through_link(library):
        return path
    try:
        st = os.stat(library)
    except OSError:
        return path
    rest, folder = [], path
    while True:
        try:
            here = os.stat(folder)
        except OSError:
            break
        if (here.st_dev, here.st_ino) == (st.st_dev, st.st_ino):
            return os.path.join(library, *reversed(rest))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        rest.append(os.path.basename(folder))
        folder = parent
    from .share_ids import share_twin

    return share_twin(path, library) or path


def library_names(store, paths, folders: dict[str, str] | None = None, library: str | None = None) -> list:
    """A scan's ``paths`` (:class:`~blurscan.walk.NamedPath`) as the library of ``store`` names them
    (:func:`as_stored`): ``scan DISK1/lib`` of a library scanned at ``DISK/lib``, its drive mounted at both, walks,
    stores and prunes ``DISK/lib``; each other path as it is (a folder outside the library, a database without a
    library folder). Until 2026-12-07 the scan stored each photo a second time, under ``DISK1/lib``, scored
    again, and the library became the folder holding both mount points. ``library``: the library folder, when
    not :func:`library_root` (a database that scan doubled, read before the scan mends it:
    :func:`blurscan.mount_twins.library_after`)."""
    from .walk import canonical, named_path

    library = library if library is not None or not paths else library_root(store)
    if library is None or _through_link(library):  # (names through a link: the scan converts them, as before)
        return list(paths)
    try:
        st = os.stat(library)
    except OSError:  # (the library not there: nothing reaches it elsewhere)
        return list(paths)
    reached: dict[str, str | None] = {}  # folder -> the library's name for it (None: not the library's)
    named = []
    for path in paths:
        real = canonical(path)
        stored = None if not os.path.isabs(real) or _within(real, library) else _reached(real, library, st, reached)
        named.append(path if stored is None else named_path(stored, folders))
    return named


def _through_link(library: str) -> bool:
    """Whether the library's stored name goes through a symbolic link (its real path another)."""
    try:
        return os.path.realpath(library) != library
    except OSError:
        return False


def _reached(path: str, library: str, st, reached: dict[str, str | None]) -> str | None:
    """:func:`as_stored` of ``path`` when it is the library's folder (``st``: its stat) or one in it reached at
    another place, else None; each folder above it looked at once for all a scan's paths (``reached``): a list of
    100,000 photos outside the library stats each once, not each of their folders again."""
    try:
        here = os.stat(path)
    except OSError:
        return None
    if (here.st_dev, here.st_ino) == (st.st_dev, st.st_ino):
        return library
    parent = os.path.dirname(path)
    if parent == path:
        return None
    if parent not in reached:
        reached[parent] = _reached(parent, library, st, reached)
    return None if reached[parent] is None else os.path.join(reached[parent], os.path.basename(path))


def root_folders(store) -> list[str]:
    """The folders that may stand for the library of ``store``: those scanned into it
    (:func:`~blurscan.scanned_roots.scanned_roots`), and the folder of a library's ``.blurscan.db``."""
    own = os.path.dirname(os.path.abspath(store.path)) if store.path != ":memory:" else None
    default_own = own is not None and os.path.basename(store.path) == DEFAULT_DB_NAME
    return scanned_roots(store) + ([own] if default_own else [])


def _photos_inside(store) -> str | None:
    """:func:`photos_folder` of the photos in the library (:mod:`blurscan.library_bounds`), when some are not
    (a row naming another user's photo made the whole file system's root the library: until 2026-12-05); None
    when all are, or none."""
    from .library_bounds import outside_paths
    from .store import path_from_db

    outside = outside_paths(store)
    if not outside:
        return None
    folders = [os.path.dirname(p) for p in (path_from_db(v) for (v,) in store.conn.execute("SELECT path FROM images"))
               if p not in outside]
    return os.path.commonpath(folders) if folders else None


def _within(path: str, folder: str) -> bool:
    return (path + os.sep).startswith(folder.rstrip(os.sep) + os.sep)


def stored_name(store, path: str | None) -> str | None:
    """``path`` (absolute, links resolved; a folder a command is limited to) as ``store``'s library names it
    (:func:`as_stored`); ``path`` itself where it is None or the database has no library folder."""
    library = library_root(store) if path is not None else None
    return path if library is None else as_stored(path, library)
