"""What one walk (:func:`blurscan.walk.walk`) has seen and put off: the paths and folders it reported, each
file once by device and inode (links to files put off until every file found under its own name is known), the
named files it passed over and counted, the links to folders it did not follow, and the database's own files
(its SQLite companions, a link to one) that are no photos.

This was :mod:`blurscan.walk`'s; a module of its own since the walk neared 500 lines."""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator
from itertools import islice

from .records import ImageRef

log = logging.getLogger("blurscan.walk")  # (the walk's messages, as before the move)


class WalkCut(Exception):
    """Raised by a walk given ``most_entries`` (:func:`blurscan.walk.walk`) once its folders hold more directory
    entries than that: what lies further is not looked at (``blurscan report PATH``'s note, which asks only whether
    a scan would find a photo there, walked a tree of 200,000 documents in full until 2026-12-07)."""


class WalkState:
    """What one walk has seen: paths, folders and files (by device and inode), and what it put off."""

    def __init__(self) -> None:
        self.seen_files: set[str] = set()                  # paths reported (or put off)
        self.seen_dirs: set[tuple[int, int]] = set()       # folders visited
        self.file_ids: dict[int, str] = {}                 # files reported: device and inode -> path
        self.links: list[tuple[ImageRef, int]] = []        # symbolic links to files, put off
        self.linked_dirs: deque[tuple[str, os.stat_result]] = deque()   # folders reached through a link
        self.own_files: dict[str, set[str]] = {}           # the database's files: name -> real folders
        self.own_real: frozenset[str] = frozenset()        # ... and their real paths (for links to them)
        self.counted: set[str] = set()                      # files named explicitly, passed over and counted
        self.library: str | None = None                     # the database's real folder
        self.unfollowed_links: list[tuple[str, tuple[int, int]]] = []  # links to folders not followed
        self.entries_left: int | None = None               # directory entries still to list (None: no limit)
        self.empty_folders: list[str] | None = None         # folders listed with nothing in them (when asked)

    def listing(self, it: Iterator[os.DirEntry]) -> list[os.DirEntry]:
        """A folder's entries (``it``: its ``os.scandir``) in name order; :class:`WalkCut` raised, no more read
        than one past the limit, where they pass the directory entries the walk may still list."""
        if self.entries_left is None:
            return sorted(it, key=lambda e: e.name)
        entries = list(islice(it, self.entries_left + 1))
        if len(entries) > self.entries_left:
            raise WalkCut(f"more than {len(entries) - 1} more directory entries")
        self.entries_left -= len(entries)
        return sorted(entries, key=lambda e: e.name)

    def unfollowed(self, entry: os.DirEntry) -> None:
        """Note a symbolic link to a folder that the walk does not follow, with its folder's device and inode."""
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError:
            return
        self.unfollowed_links.append((entry.path, (st.st_dev, st.st_ino)))

    def named_over(self, path: str, folder: str, key: str, passed_over: dict[str, int] | None,
                   walk_counts: bool) -> None:
        """Count a file named explicitly and passed over under ``key`` (its suffix as written, or
        ``"AppleDouble"``), unless a walk of its folder counted it already (``walk_counts``: the walk counts such
        a file); a walk after this does not count it again."""
        if passed_over is None or path in self.counted:
            return
        try:
            st = os.stat(folder)
            if walk_counts and (st.st_dev, st.st_ino) in self.seen_dirs:
                return
        except OSError:
            pass
        self.counted.add(path)
        passed_over[key] = passed_over.get(key, 0) + 1

    def count(self, path: str, key: str, passed_over: dict[str, int] | None) -> None:
        """Count a file a folder walk passed over under ``key``, unless it was named explicitly too (counted)."""
        if passed_over is not None and (not self.counted or path not in self.counted):
            passed_over[key] = passed_over.get(key, 0) + 1

    def own_file(self, folder: str, name: str, is_link: bool = False) -> bool:
        """Whether ``folder``/``name`` is one of the database's files, or a symbolic link to one (a
        ``realpath`` for a name of one, or for a link, only)."""
        folders = self.own_files.get(name)
        if folders and os.path.realpath(folder) in folders:
            return True
        return is_link and bool(self.own_real) and os.path.realpath(os.path.join(folder, name)) in self.own_real

    def take(self, ref: ImageRef, st: os.stat_result, is_link: bool) -> bool:
        """Whether to yield ``ref`` now: not when its file (``st``, links followed) was reported under another
        name, nor when ``ref`` is a symbolic link: links are put off until every file found under its own
        name is known (:meth:`links_left`)."""
        # device and inode as one int (a tuple per file costs more); 0 where the file system has no inodes
        key = st.st_ino | st.st_dev << 64 if st.st_ino else 0
        if is_link:
            self.links.append((ref, key))
            return False
        if key:
            first = self.file_ids.setdefault(key, ref.path)
            if first != ref.path:
                log.debug("%r: the same file as %r (a hard link), reported once", ref.path, first)
                return False
        return True

    def links_left(self) -> Iterator[ImageRef]:
        """The links put off whose file was not reported under another name (each file once)."""
        dropped = 0
        for ref, key in self.links:
            if key:
                first = self.file_ids.setdefault(key, ref.path)
                if first != ref.path:
                    log.debug("%r: a symbolic link to %r, reported once, under that name", ref.path, first)
                    dropped += 1
                    continue
            yield ref
        if dropped:
            log.info("%d symbolic link(s) to files found under another name: each file reported once", dropped)


#: The files SQLite keeps beside a database (its name and one of these).
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


#: The file ``move``, ``trash``, ``tag`` and ``undo`` lock beside a database (:func:`blurscan.actions.journal.exclusive`),
#: and the folder where ``tag`` keeps the sidecars' bytes from before (:func:`blurscan.actions.journal.backups_root`).
ACTIONS_LOCK, TAG_BACKUPS = ".actions.lock", ".tag-backups"


def database_files(database: str | os.PathLike) -> dict[str, set[str]]:
    """Name -> real folders of a database's file, its SQLite companions, its actions lock and its tag backups'
    folder (beside the name given, and beside the file a symbolic link to it names, where SQLite keeps them, and
    the lock since 2026-12-07). Until 2026-12-07 the lock and the folder were not among them: ``scan lib --db
    lib/card.db`` after a ``move`` said it passed over ``1 .lock``, after a ``tag`` ``2 .xmp`` more (the sidecars'
    copies), and ``scan lib/* --db lib/card.db`` stored the lock's error, ``file is empty``."""
    from .name_room import beside

    given = os.path.abspath(os.path.expanduser(os.fsdecode(database)))
    out: dict[str, set[str]] = {}
    for path in dict.fromkeys((given, os.path.realpath(given))):
        folder, name = os.path.split(path)
        for own in [name + suffix for suffix in ("",) + SQLITE_COMPANIONS] + \
                [os.path.basename(beside(path, own)) for own in (ACTIONS_LOCK, TAG_BACKUPS)]:  # (a long name cut)
            out.setdefault(own, set()).add(os.path.realpath(folder))
    return out
