"""Thumbnail cache of the review page: each thumbnail is made once and kept on disk next to the database.

Layout: ``<folder of the database>/.blurscan-thumbs/ab/abcdef....jpg``, the name being a hash of the file's
path, size, modification time, the thumbnail size and :data:`THUMB_VERSION`. A changed file therefore gets a
new thumbnail and the old one is never read again: ``blurscan review`` removes such files when it starts
(:mod:`blurscan.review.prune`, which keeps the thumbnails of every photo of the database at every size in
:data:`CACHED_SIDES`), and while it runs a thumbnail made for a photo's new version removes the one this cache
last served or made for its old version (:meth:`ThumbCache.get`).
The folder name starts with a dot, so the scan's walk skips it. Writes are atomic (temporary file, then
``os.replace``), so two requests for the same thumbnail at once are harmless.

A ``.blurscan-thumbs`` folder that may not be written (:func:`blurscan.permissions.may_write`: for root too,
one with no write bit, ``chmod a-w``) is left as it is: the page keeps its thumbnails in the user's cache
folder instead (:func:`cache_dir_for`), as the scan keeps its database there for a library it may not write,
and a cache sub-folder made read-only later is not written either (the thumbnail is served, not kept).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import stat
import tempfile
import threading
from pathlib import Path

from ..config import THUMBS_DIR_NAME
from ..dbfile import sqlite_file
from ..errors import os_reason, printable_path
from ..permissions import may_write, owned_like_folder, read_only_for_root, umask, why_not_writable
from ..xdg import cache_home, missing_home

log = logging.getLogger(__name__)

#: Long side (px) of grid thumbnails: sharp on a 2x (HiDPI) screen at the grid's ~190 px cells.
THUMB_LONG_SIDE = 384

#: Every long side the page keeps in this cache (the grid's; the detail view's full-size conversions are not
#: cached). A size the page caches must be listed here, or ``blurscan review`` removes its thumbnails as unused.
CACHED_SIDES = (THUMB_LONG_SIDE,)

#: Bump when the way thumbnails are made changes (old files are then never read again, and the next
#: ``blurscan review`` removes them).
THUMB_VERSION = "4"  # 2: an embedded ICC profile applied, sRGB (blurscan.srgb; until 2026-12-06 dropped); 3: turned
# by the orientation the scan reads (an ASCII "6" was left sideways by Pillow's exif_transpose, until 2026-12-06);
# 4: grey TIFFs of signed 16- and 8-bit integers read as their picture (decode's tiffkind.signed_16 / signed_8:
# until 2026-12-07 half as bright, their thumbnails dark, and kept so in the cache by version 3's names)

CACHE_DIR_NAME = THUMBS_DIR_NAME


def url_version() -> str:
    """How the thumbnails are made (:data:`THUMB_VERSION`, :data:`THUMB_LONG_SIDE`), in the page's thumbnail URLs
    (``/thumb/ID?v=SIZE-MTIME&t=...``): the browser keeps a thumbnail a day (``max-age``), by its URL, and the
    same photo's URL on the same port (``--port 8765``) was the same across an upgrade that made its thumbnail
    anew: the page showed the old one, made the old way (without its ICC profile, washed out: until 2026-12-06)."""
    return f"{THUMB_VERSION}-{THUMB_LONG_SIDE}"


def beside(db_path: str | os.PathLike) -> Path:
    """``.blurscan-thumbs`` in the database's folder: where the thumbnails go when it may be written. A database
    named by a symbolic link (``--db LINK``): the folder of the file it names, where SQLite keeps its ``-wal``
    (:func:`blurscan.dbfile.sqlite_file`), one cache whatever name the database is given. Until 2026-12-07 the
    link's folder: a link kept in a read-only folder sent them to the user's cache folder, with a note
    (:func:`blurscan.review.prune.left_by_link` prunes what was kept there)."""
    return _beside_name(sqlite_file(os.fspath(db_path)))


def _beside_name(db_path: str | os.PathLike) -> Path:
    """``.blurscan-thumbs`` in the folder of the name ``db_path`` (a link not followed)."""
    return Path(os.path.abspath(db_path)).parent / CACHE_DIR_NAME


def cache_dir_for(db_path: str | os.PathLike) -> Path:
    """The cache folder for a database: :func:`beside` it when that folder (before it exists, the database's
    folder) may be written, else ``$XDG_CACHE_HOME/blurscan/thumbs/NAME-HASH`` (default ``~/.cache``), one
    folder per database folder; a temporary folder for ``":memory:"``. When the home folder cannot hold that
    cache folder (:func:`no_cache_folder`), the read-only one beside the database: nothing is kept, each
    thumbnail is made again when shown."""
    if str(db_path) == ":memory:":
        return Path(tempfile.gettempdir()) / f"blurscan-thumbs-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder = beside(db_path)
    if not _read_only(folder) or no_cache_folder(db_path) is not None:
        return folder
    return _elsewhere(folder)


def no_cache_folder(db_path: str | os.PathLike) -> str | None:
    """Why the user's cache folder cannot take the thumbnails of a database whose ``.blurscan-thumbs`` may not be
    written: a home folder that does not exist, or an empty ``HOME`` (:func:`blurscan.xdg.missing_home`), or a
    cache folder that cannot be made (a file in its way, a read-only ``XDG_CACHE_HOME``); None when it can, or is
    not needed. Until 2026-12-06 the page made ``/.cache/blurscan/thumbs`` with ``HOME=`` (set
    but empty) as root, and ``/nonexistent/.cache`` with a service user's ``HOME=/nonexistent``."""
    folder = beside(db_path)
    if str(db_path) == ":memory:" or not _read_only(folder):
        return None
    elsewhere = _elsewhere(folder)
    refused = missing_home(str(elsewhere), "XDG_CACHE_HOME")
    if refused is None and _read_only(elsewhere):  # (a file in the way, a read-only XDG_CACHE_HOME: until
        # 2026-12-06 the note said the thumbnails were kept there, then that they could not be)
        existing = _nearest(elsewhere)
        why = "is not a folder" if not os.path.isdir(existing) else why_not_writable(existing) or "cannot be written"
        named = " (XDG_CACHE_HOME)" if os.path.isabs(os.environ.get("XDG_CACHE_HOME", "")) else ""
        return f"{printable_path(existing)} {why}{named}"
    return refused


def link_cache_dir(db_path: str | os.PathLike) -> Path | None:
    """Where the page kept the thumbnails of a database named by a symbolic link until 2026-12-07: beside the
    link's name, else (that folder read-only) in the user's cache folder; None when ``db_path`` is not a link,
    or that is where they are kept now (:func:`cache_dir_for`)."""
    if str(db_path) == ":memory:" or not os.path.islink(db_path):
        return None
    folder = _beside_name(db_path)
    if _read_only(folder):
        if missing_home(str(_elsewhere(folder)), "XDG_CACHE_HOME") is not None:
            return None
        folder = _elsewhere(folder)
    # (the same folder by another name: a link beside its file, named through a folder link, ``dl/l.db``; until
    # 2026-12-07 pruned as an old one, the page's own thumbnails removed while a request held its database)
    return None if os.path.realpath(folder) == os.path.realpath(cache_dir_for(db_path)) else folder


def _elsewhere(folder: Path) -> Path:
    """``$XDG_CACHE_HOME/blurscan/thumbs/NAME-HASH``: where the thumbnails of a ``folder`` that may not be
    written go."""
    cache = Path(cache_home())
    digest = hashlib.sha256(os.fsencode(str(folder.parent))).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in (folder.parent.name or "root"))[:40]
    return cache / "blurscan" / "thumbs" / f"{name}-{digest}"


def _nearest(folder: Path) -> Path:
    """``folder``, or its nearest parent that exists (where it would be made)."""
    while not os.path.lexists(folder) and folder.parent != folder:
        folder = folder.parent
    return folder


def _read_only(folder: Path) -> bool:
    """Whether files may not be made in ``folder`` (or, before it exists, in the folder it would be made in)."""
    existing = _nearest(folder)
    return not (os.path.isdir(existing) and may_write(existing, os.W_OK | os.X_OK))


def cache_key(path: str, size: int | None, mtime_ns: int | None, long_side: int) -> str:
    """Hex name of the cached thumbnail for this version of the file."""
    blob = "\x00".join([path, str(size), str(mtime_ns), str(long_side), THUMB_VERSION])
    return hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def rekey(db_path: str, changes) -> int:
    """Give the cached thumbnails of photos the scan recognised by their bytes after a clock shift
    (:mod:`blurscan.shifted`) their new time: each ``(path, size, old time, new time)`` whose thumbnail is kept
    under the old time is renamed to the new one's name, at every size in :data:`CACHED_SIDES`. Until 2026-12-06
    every thumbnail of a camera card read in another time zone (or after the clocks changed) was made again, and
    the old ones removed as unused. Only what the scan recognised is renamed, so a photo whose bytes changed keeps
    no thumbnail of its old content; a cache folder that may not be written is left as it is (the thumbnails are
    then made again). Returns how many were renamed."""
    if str(db_path) == ":memory:" or not changes:
        return 0
    cache = ThumbCache(cache_dir_for(db_path))
    if not cache.folder.is_dir() or read_only_for_root(cache.folder):
        return 0
    renamed = 0
    for path, size, old, new in changes:
        for side in CACHED_SIDES:
            src, dst = cache.file_for(path, size, old, side), cache.file_for(path, size, new, side)
            if not os.path.isfile(src) or os.path.lexists(dst):
                continue
            try:
                if not dst.parent.is_dir():
                    dst.parent.mkdir()
                    owned_like_folder(dst.parent, cache.folder.parent)
                os.rename(src, dst)
                renamed += 1
                with contextlib.suppress(OSError):  # (its sub-folder, when now empty)
                    src.parent.rmdir()
            except OSError as exc:  # (a sub-folder made read-only: made again when shown)
                log.debug("thumbnail of %s not renamed: %s", printable_path(path), os_reason(exc))
    return renamed


#: A cached thumbnail larger than this is not one this cache wrote (they are some 20-80 kB): made again.
MAX_CACHED_BYTES = 8 * 1024 * 1024


def _read_cached(target: Path) -> bytes | None:
    """The thumbnail cached at ``target``, or None when there is none to serve: missing, or not what this cache
    writes there -- a symbolic link (to any file the user may read: whoever may write the cache folder, a shared
    library's, would have the page serve it), not a plain file, too large, or no JPEG. It is then made again,
    replacing it."""
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # missing, a link (ELOOP), not readable: made again
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHED_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_CACHED_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if data.startswith(b"\xff\xd8\xff") and len(data) <= MAX_CACHED_BYTES else None


def _remove(file: str) -> None:
    """Remove a thumbnail of this cache's, through its sub-folder opened without following a link (one swapped in
    leads nowhere else), never from a sub-folder with no write bit (root too), as :mod:`.prune` does; one removed
    already, or that cannot be, is left to it."""
    folder, name = os.path.split(file)
    with contextlib.suppress(OSError):
        if read_only_for_root(Path(folder)):
            return
        if os.unlink not in os.supports_dir_fd:  # pragma: no cover - Windows
            os.unlink(file)
            return
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.unlink(name, dir_fd=fd)
        finally:
            os.close(fd)


class ThumbCache:
    """Thumbnails on disk.

    Parameters
    ----------
    folder : str or Path
        Cache folder (created on first write).
    make : callable, optional
        ``make(path, long_side) -> bytes`` (JPEG), which reads the file itself (tests); default
        :func:`blurscan.decode.thumbnail` of the bytes :meth:`get` and :meth:`make` are given to read.
    """

    def __init__(self, folder: str | os.PathLike, make=None) -> None:
        self.folder = Path(folder)
        self._make = make
        self._said: set[str] = set()  # (the reasons thumbnails could not be kept for: each said once)
        # "SIDE:path" -> the file of the version last served or made (as a str: some 200 bytes a photo shown);
        # file -> how many requests are serving it now
        self._last: dict[str, str] = {}
        self._serving: dict[str, int] = {}
        self._lock = threading.Lock()

    def file_for(self, path: str, size: int | None, mtime_ns: int | None, long_side: int = THUMB_LONG_SIDE
                 ) -> Path:
        key = cache_key(path, size, mtime_ns, long_side)
        return self.folder / key[:2] / f"{key}.jpg"

    def get(self, path: str, size: int | None, mtime_ns: int | None, long_side: int = THUMB_LONG_SIDE,
            read=None) -> bytes:
        """The JPEG thumbnail of ``path``, made and stored on the first request. ``read``: called (no arguments)
        for the file's bytes when it must be made (the review server reads them through the descriptor it
        checked); None: the decoder opens ``path`` itself.

        Raises whatever the decoder (or ``read``) raises (:class:`~blurscan.errors.DecodeError`) when it cannot
        be made.

        A thumbnail made and kept for another version of ``path`` than the one last served or made (the photo
        edited and scanned again while the page is open) removes that one's file, unless a request is serving it
        now: it is never read again (the page asks for the version the database holds, and the server refuses
        an older one, :func:`.security.check_known_file`). Until 2026-12-06 they were removed at the next
        ``blurscan review`` only: one more file (20-80 kB) for each version shown during one run.
        """
        target = self.file_for(path, size, mtime_ns, long_side)
        with self._lock:
            self._serving[str(target)] = self._serving.get(str(target), 0) + 1
        where = None  # (the thumbnail's file: None when none is kept, "made" when made now)
        try:
            data, where = self._get(path, long_side, read, target)
            return data
        finally:
            self._served(f"{long_side}:{path}", str(target), where)

    def _served(self, photo: str, target: str, where: str | None) -> None:
        """``target`` served (``where``: "cached", "made" now, None: not kept, or refused); when made, the file
        of the version before it removed (:meth:`get`)."""
        with self._lock:
            left = self._serving.pop(target) - 1
            if left:
                self._serving[target] = left
            if where is None:
                return
            before = self._last.get(photo)
            self._last[photo] = target
            if where != "made" or before in (None, target) or self._serving.get(before):
                return
            _remove(before)

    def _get(self, path: str, long_side: int, read, target: Path) -> tuple[bytes, str | None]:
        cached = _read_cached(target)
        if cached is not None:
            return cached, "cached"
        data = self.make(path, long_side, read)
        tmp, made = None, []
        try:
            if read_only_for_root(_nearest(target.parent)):  # as the system refuses every other user
                raise PermissionError(errno.EACCES, "no write bit (honoured as root too)", str(_nearest(target.parent)))
            made = [f for f in (target.parent, *target.parent.parents) if not f.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".jpg")
            # the mode any new file gets, not mkstemp's 0600: in a library shared by a group under umask 002 each
            # member's page could not read the others' thumbnails, made each again and replaced it with its own
            # 0600 one (until 2026-12-06)
            os.fchmod(fd, 0o666 & ~umask())
            # run as root in someone's library: the cache and its thumbnails are the library owner's, as its
            # database is (permissions.owned_like_folder; they were root's until 2026-12-04); the thumbnail
            # through its descriptor (by name, a hard link put in its place was given away: until 2026-12-06)
            owned_like_folder(tmp, self.folder.parent, fd=fd)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            for new in made:
                owned_like_folder(new, self.folder.parent)
            os.replace(tmp, target)
            return data, "made"
        except OSError as exc:  # a read-only library still gets thumbnails, just not cached
            self._say_not_kept(exc)
            if tmp is not None:  # (a full disk: the partial file was left behind, until 2026-12-04)
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            for new in made:  # the folders made for it, when still empty (left behind until 2026-12-06)
                with contextlib.suppress(OSError):
                    os.rmdir(new)
        return data, None

    def _say_not_kept(self, exc: OSError) -> None:
        """Log that thumbnails cannot be kept, once for each reason; later ones at debug level. On a full disk
        every thumbnail of the page fails alike: until 2026-12-06 each said so, in Python's words (``[Errno 28]
        No space left on device``), a line per photo shown."""
        reason = os_reason(exc)
        if reason in self._said:
            log.debug("thumbnail not cached in %s: %s", printable_path(self.folder), reason)
            return
        self._said.add(reason)
        log.warning("cannot cache thumbnails in %s: %s; each is made again when shown (said once)",
                    printable_path(self.folder), reason)

    def make(self, path: str, long_side: int, read=None) -> bytes:
        """A thumbnail of ``path`` (not cached); ``read`` as :meth:`get` takes it."""
        if self._make is not None:
            return self._make(path, long_side)
        from ..decode import thumbnail

        return thumbnail(path, long_side, data=None if read is None else read())
