"""Removing the cached thumbnails no photo uses any more (``blurscan review`` does it when it starts).

A thumbnail's name is a hash of the photo's path, size, modification time, the thumbnail size and
:data:`~blurscan.review.thumbs.THUMB_VERSION` (:func:`~blurscan.review.thumbs.cache_key`), so a photo edited,
renamed, moved or deleted leaves its old thumbnail behind, never read again. :func:`prune` deletes those, and
nothing else:

* the keys kept are those of every photo (every row of ``images``) of the database **and of every other
  blurscan database in its folder**, but the photos moved or trashed that undo can no longer bring back
  (:func:`gone_for_good`), at every size the page caches (:data:`~blurscan.review.thumbs.CACHED_SIDES`):
  such databases share one cache folder (:func:`~blurscan.review.thumbs.cache_dir_for` is per folder: the folder
  of the file a ``--db`` symbolic link names, :func:`left_by_link` pruning where such a link's were kept), as the
  cache-folder databases of read-only libraries (``~/.cache/blurscan/NAME-HASH.db``) all do. When one of them
  cannot be read (locked, unreadable, written by a newer blurscan), nothing is deleted;
* only files blurscan writes are candidates: ``??/<32 hex digits>.jpg`` (the two digits of its folder first,
  a regular file starting as a JPEG does) and the temporary files of an interrupted write,
  ``??/.tmp-XXXXXXXX.jpg``, once :data:`TMP_AGE_S` old. Any other file or folder, a symbolic link (to a file
  or a folder), a folder whose name is not two hex digits, is never touched, nor read; folders are not removed;
* a file written since the keys were read (a photo scanned meanwhile, its thumbnail made) is kept;
* the folders are opened without following links (``O_NOFOLLOW``) and files removed through them
  (``dir_fd``), so a sub-folder swapped for a link while this runs leads nowhere else; a folder with no write
  bit is left alone by root too (:mod:`blurscan.permissions`), as is a cache folder this user may not write.

It runs in a daemon thread (:func:`start`): the page serves meanwhile, a missing thumbnail is simply made
again, and a failure is logged, never shown; a database beside that cannot be read is named on stderr.
"""
from __future__ import annotations

import dataclasses
import errno
import logging
import os
import re
import sqlite3
import stat
import threading
import time
import urllib.parse

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..dbfile import held_here, sqlite_file
from ..errors import StoreError, os_reason, printable_path
from ..permissions import may_write, read_only_for_root
from ..store import Store, path_from_db
from .thumbs import CACHED_SIDES, cache_key

log = logging.getLogger(__name__)

#: A temporary file (a thumbnail being written) older than this (seconds) was left by an interrupted write.
TMP_AGE_S = 15 * 60
#: Files modified less than this (seconds) before the keys were read are kept (coarse file-system clocks).
_SLACK_S = 2.0

_SUB = re.compile(r"[0-9a-f]{2}\Z")
_THUMB = re.compile(r"[0-9a-f]{32}\.jpg\Z")
_TMP = re.compile(r"\.tmp-[a-z0-9_]{8}\.jpg\Z")  # tempfile.mkstemp(prefix=".tmp-", suffix=".jpg") in thumbs.py
_SQLITE = b"SQLite format 3\x00"
_JPEG = b"\xff\xd8\xff"
_NOT_OURS = IMAGE_SUFFIXES | RAW_SUFFIXES
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclasses.dataclass
class Pruned:
    """What :func:`prune` did."""

    removed: int = 0  #: files deleted (stale thumbnails and old temporary files)
    freed: int = 0  #: their bytes
    kept: int = 0  #: thumbnails of a photo of a database
    skipped: str | None = None  #: why the folder was not gone through at all (None: it was)
    unsure: bool = False  #: skipped because a database beside could not be read: the person can fix that


class _Unsure(Exception):
    """A database that may share the cache folder could not be read: which thumbnails it uses is unknown."""


def _safe() -> bool:
    """Whether this system lets folders be read and files removed relative to a folder opened without links."""
    return bool(_NOFOLLOW) and os.scandir in os.supports_fd and all(
        f in os.supports_dir_fd for f in (os.open, os.stat, os.unlink))


def start(db_path: str | os.PathLike, folder: str | os.PathLike, say=None) -> threading.Thread:
    """:func:`prune` in a daemon thread (started; returned for tests). ``say(line)``, when given, is told why
    nothing was removed when the person can do something about it (a file beside the database that cannot be
    read keeps the cleanup off for good otherwise, unseen)."""
    def run() -> None:
        try:
            done = prune(db_path, folder)
        except Exception:  # a cache cleanup must never disturb the page: logged, not raised
            log.debug("thumbnail cleanup of %s failed", printable_path(folder), exc_info=True)
            return
        told(folder, done)
        try:
            left = left_by_link(db_path)  # (a --db link's thumbnails, kept beside its name until 2026-12-07)
        except Exception:
            log.debug("thumbnail cleanup of the cache beside %s failed", printable_path(db_path), exc_info=True)
            return
        if left is not None:
            told(*left)

    def told(folder, done: Pruned) -> None:
        if done.skipped:
            log.info("thumbnail cache %s left as it is: %s", printable_path(folder), done.skipped)
            if done.unsure and say is not None:
                say(f"note: old thumbnails in {printable_path(folder)} are not removed: {done.skipped}")
        else:
            log.info("thumbnail cache %s: %d old files removed (%d bytes), %d thumbnails kept",
                     printable_path(folder), done.removed, done.freed, done.kept)

    thread = threading.Thread(target=run, name="blurscan-thumbs-prune", daemon=True)
    thread.start()
    return thread


def prune(db_path: str | os.PathLike, folder: str | os.PathLike) -> Pruned:
    """Delete the thumbnails in ``folder`` (the page's cache folder for ``db_path``) that no photo of the
    database, or of another blurscan database in its folder, uses, and temporary files left by interrupted
    writes; see the module's docstring for what is never touched."""
    if str(db_path) == ":memory:":
        return Pruned(skipped="an in-memory database")
    if not _safe():
        return Pruned(skipped="this system cannot remove files without following links")
    started = time.time()
    try:
        keys = keys_in_use(db_path)
    except _Unsure as exc:
        return Pruned(skipped=str(exc), unsure=True)
    return _prune_folder(folder, keys, started)


def left_by_link(db_path: str | os.PathLike) -> tuple[str, Pruned] | None:
    """Prune the folder where the page kept the thumbnails of ``db_path``, a database named by a symbolic link,
    until 2026-12-07 (:func:`~blurscan.review.thumbs.link_cache_dir`: beside the link's name, or the user's cache
    folder for it), now kept beside the file it names: that folder is the cache of the databases in the link's
    folder only (a link there to a file there among them), whose thumbnails are kept; every other one is removed
    (what the link's database left there no longer read), with :func:`prune`'s care. That folder and what was
    done, or None when there is none."""
    from .thumbs import link_cache_dir

    folder = link_cache_dir(db_path)
    if folder is None or not os.path.isdir(folder) or not _safe():
        return None
    started = time.time()
    link = os.path.abspath(db_path)
    here = os.path.realpath(os.path.dirname(link))
    try:
        keys: set[str] = set()
        for other in _databases_beside(link):
            if os.path.dirname(os.path.realpath(other)) == here and _has_images(other):
                keys |= _keys_of(other)
    except _Unsure as exc:
        return str(folder), Pruned(skipped=str(exc), unsure=True)
    return str(folder), _prune_folder(folder, keys, started)


def _prune_folder(folder: str | os.PathLike, keys: set[str], started: float) -> Pruned:
    """Delete the thumbnails in ``folder`` whose key is not in ``keys`` (and old temporary files)."""
    try:
        top = os.open(folder, _DIR)  # (a .blurscan-thumbs that is a link is followed, as the page writes there)
    except OSError as exc:
        return Pruned(skipped=f"{printable_path(folder)}: {exc.strerror or exc}")
    out = Pruned()
    try:
        if not may_write(folder, os.W_OK | os.X_OK):  # (for root too: no write bit for anyone)
            return Pruned(skipped=f"{printable_path(folder)} may not be written")
        with os.scandir(top) as entries:
            subs = [e.name for e in entries if _SUB.match(e.name) and e.is_dir(follow_symlinks=False)]
        for name in subs:
            _prune_sub(top, name, keys, started, out)
    finally:
        os.close(top)
    return out


def _prune_sub(top: int, name: str, keys: set[str], started: float, out: Pruned) -> None:
    try:
        fd = os.open(name, _DIR | _NOFOLLOW, dir_fd=top)
    except OSError:  # replaced by a link or a file since it was listed, or not ours to read
        return
    try:
        if read_only_for_root(fd):  # (the folder opened: os.stat takes its descriptor)
            return
        with os.scandir(fd) as entries:
            files = [e.name for e in entries]
        for file in files:
            thumb = bool(_THUMB.match(file)) and file.startswith(name)
            if not (thumb or _TMP.match(file)):
                continue
            if thumb and file[:32] in keys:
                out.kept += 1
                continue
            try:
                st = os.stat(file, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or st.st_mtime >= started - _SLACK_S:
                continue  # a link, a folder, ...; or written since the keys were read
            if not thumb and st.st_mtime > started - TMP_AGE_S:
                continue  # a thumbnail being written
            if thumb and not _starts_as_jpeg(file, fd):
                continue
            try:
                os.unlink(file, dir_fd=fd)
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.debug("cannot remove %s/%s: %s", name, file, exc)
                if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                    return  # the folder may not be written: the rest of it neither
                continue
            out.removed += 1
            out.freed += st.st_size
    finally:
        os.close(fd)


def _starts_as_jpeg(file: str, folder_fd: int) -> bool:
    try:
        fd = os.open(file, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0),
                     dir_fd=folder_fd)
    except OSError:
        return False
    try:
        return os.read(fd, 3) == _JPEG
    except OSError:
        return False
    finally:
        os.close(fd)


def keys_in_use(db_path: str | os.PathLike) -> set[str]:
    """The cache keys of every photo of ``db_path`` and of the other blurscan databases in its folder, at every
    size the page caches. Raises :class:`_Unsure` when one of them cannot be read."""
    own = os.path.abspath(sqlite_file(os.fspath(db_path)))  # (a link: the databases beside the file it names share
    keys = _keys_of(own)                                     # its cache, thumbs.beside; until 2026-12-07 the link's)
    for other in _databases_beside(own):
        if _has_images(other):
            keys |= _keys_of(other)
    return keys


def _keys_of(path: str) -> set[str]:
    try:
        with Store(path, readonly=True) as store:
            rows = store.conn.execute("SELECT path, size, mtime_ns FROM images").fetchall()
            gone = gone_for_good(store)
    except (StoreError, sqlite3.Error) as exc:
        raise _Unsure(f"{printable_path(path)}: cannot read its photos ({exc}); it may use this folder's "
                      "thumbnails") from exc
    return {cache_key(name, size, mtime_ns, side) for name, size, mtime_ns in
            ((path_from_db(p), size, mtime_ns) for p, size, mtime_ns in rows) if name not in gone
            for side in CACHED_SIDES}


def gone_for_good(store) -> frozenset[str]:
    """The photos a move or trash batch took away (:meth:`~blurscan.store.Store.moved_away`) that no journaled
    destination holds any more: the rejects folder or the trash emptied, so undo cannot bring them back and the
    page never shows them again. Their records stay (the journal's history), their thumbnails need not: until
    2026-12-06 every photo ever moved or trashed kept its thumbnail for good, and the cache grew with each
    discard of the library's history. A destination that cannot be looked at (a drive unplugged) counts as
    gone: the thumbnail is made again if undo brings the photo back later. One ``lstat`` per destination of a
    photo away."""
    away = store.moved_away()
    if not away:
        return frozenset()
    held = set()
    rows = store.conn.execute("SELECT j.src, j.dst FROM journal j JOIN batches b ON b.id = j.batch_id "
                              "WHERE j.state IN ('done', 'moving', 'gone', 'undoing') AND b.kind != 'tag'")
    for src, dst in rows:
        src = path_from_db(src)
        if src in away and src not in held and (dst is None or os.path.lexists(path_from_db(dst))):
            held.add(src)  # (no destination journaled: not known to be gone)
    return away - held


def _databases_beside(own: str) -> list[str]:
    """The SQLite files in the folder of ``own`` other than ``own`` (photos and SQLite's own files skipped)."""
    folder = os.path.dirname(own)
    out = []
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as exc:
        raise _Unsure(f"{printable_path(folder)}: cannot list it ({os_reason(exc)}), so other databases "
                      "there that may use the same thumbnails are unknown") from exc
    for entry in listed:
        name = entry.name
        if (entry.path == own or name.endswith(("-wal", "-shm", "-journal"))
                or os.path.splitext(name)[1].lower() in _NOT_OURS):
            continue
        if held_here(entry.path):  # the page's own database under another name (a link to it beside it): never
            continue               # opened outside SQLite while the page has connections to it (dbfile.hold)
        try:
            if not entry.is_file():  # (a link is followed: its thumbnails kept, on the safe side)
                continue
            if entry.stat().st_size % 512:  # an SQLite file is whole pages (512 bytes and up): not read, so a
                continue                    # video on a mount that fetches on demand is not fetched for this
            with open(entry.path, "rb") as fh:
                head = fh.read(len(_SQLITE))
        except OSError as exc:
            raise _Unsure(f"{printable_path(entry.path)}: cannot read it ({os_reason(exc)}); it may be "
                          "a database using the same thumbnails") from exc
        if head == _SQLITE:
            out.append(entry.path)
    return out


def _has_images(path: str) -> bool:
    """Whether the SQLite file ``path`` has blurscan's ``images`` table (another program's database is not
    opened further). Read as ``immutable``: nothing is written, no lock taken, nothing of another program's
    changed."""
    uri = f"file:{urllib.parse.quote(os.fsencode(path))}?immutable=1"  # (bytes: a name that is not UTF-8 too)
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(images)")}
            empty = not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _Unsure(f"{printable_path(path)}: cannot read it ({exc}); it may be a database using the same "
                      "thumbnails") from exc
    if {"path", "size", "mtime_ns"} <= columns:
        return True
    try:  # a database just made: its tables may still be in its write-ahead log only
        pending = empty and os.path.getsize(path + "-wal") > 0
    except OSError:
        pending = False
    if pending:
        raise _Unsure(f"{printable_path(path)}: its tables are not all written yet; it may be a database using "
                      "the same thumbnails")
    return False
