"""The copy of a sidecar's previous bytes that ``tag --xmp`` keeps for undo (:func:`keep_copy`), written through
its folders opened without following links.

The copies go in ``<database>.tag-backups/batch-N`` beside the library's database, a folder whoever may write the
library may replace by a symbolic link to a folder anywhere. Until 2026-12-06 the folders were checked
(:func:`.folder_path.no_link`) before and after they were made, and the copy then written by its path: a link put
there between the check and the write was followed (the copy written, and run as root its owner set, wherever it
led; a failed copy removed there). Now each folder is opened without following a link (``O_NOFOLLOW``), and the
copy is written, owned, fsynced and on failure removed through the folder's descriptor (``dir_fd``), so whatever
is put at those names meanwhile is never followed. A system without these calls keeps the checks by path.
"""
from __future__ import annotations

import errno
import os
from typing import Callable

from ..permissions import owned_like_folder
from .folder_path import NOT_FOLLOWED, no_link
from .moves import _fsync_dir, fsync_made

_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _safe() -> bool:
    """Whether this system opens folders without links and makes, opens and removes files relative to them."""
    return bool(_NOFOLLOW) and all(f in os.supports_dir_fd for f in (os.open, os.mkdir, os.unlink))


def keep_copy(backup: str, data: bytes, mode: int) -> None:
    """Write ``data`` at ``backup`` (``<library>/<database>.tag-backups/batch-N/NAME``), replacing a copy a killed
    run left there, with ``mode`` (under the umask), fsynced with its folder; the two folders made when missing
    (as any folder: under the umask), their names fsynced, and run as root each new one and the copy given the
    library folder's owner. OSError when a folder is a link or a file (never followed), or the write fails (the
    copy then removed)."""
    folder = os.path.dirname(backup)
    top = os.path.dirname(folder)
    library = os.path.dirname(top)
    if not _safe():
        _by_path(backup, data, mode, (top, folder), library)
        return
    opened: list[int] = []
    try:
        at = os.open(library, _DIR)
        opened.append(at)
        parent = library
        for name, path in ((os.path.basename(top), top), (os.path.basename(folder), folder)):
            made = _make(name, at)
            try:
                fd = os.open(name, _DIR | _NOFOLLOW, dir_fd=at)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise OSError(errno.ELOOP, NOT_FOLLOWED) from None
                raise
            opened.append(fd)
            if made:
                _own(fd, library)
                _fsync_at(at, parent)  # (a power cut kept the sidecar changed and lost a new folder, the copy in it)
            at, parent = fd, path
        _write(os.path.basename(backup), data, mode, at, library)
        _fsync_at(at, folder)
    finally:
        for fd in opened:
            os.close(fd)


def _make(name: str, at: int) -> bool:
    try:
        os.mkdir(name, dir_fd=at)
    except FileExistsError:
        return False
    return True


def _write(name: str, data: bytes, mode: int, at: int, library: str) -> None:
    try:
        os.unlink(name, dir_fd=at)  # left by a killed run (its row never got further)
    except FileNotFoundError:
        pass
    fd = os.open(name, _FILE | _NOFOLLOW, mode, dir_fd=at)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            _own(f.fileno(), library)
    except BaseException:
        try:
            os.unlink(name, dir_fd=at)
        except OSError:
            pass
        raise


def _fsync_at(fd: int, folder: str) -> None:
    """Make the names in ``folder`` (open as ``fd``) durable."""
    os.fsync(fd)


def _own(fd: int, library: str) -> None:
    """:func:`~blurscan.permissions.owned_like_folder` of the file or folder open as ``fd``."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    try:
        st = os.stat(library)
        if (st.st_uid, st.st_gid) != (0, 0):
            os.fchown(fd, st.st_uid, st.st_gid)
    except OSError:
        pass


def _by_path(backup: str, data: bytes, mode: int, folders: tuple[str, str], library: str) -> None:
    """:func:`keep_copy` by path, checked before and after making the folders (a system without ``dir_fd``)."""
    made = [f for f in folders if not os.path.lexists(f)]
    no_link(*folders)
    os.makedirs(folders[1], exist_ok=True)
    no_link(*folders)
    for new in made:
        owned_like_folder(new, library)
    fsync_made(made)
    try:
        os.unlink(backup)
    except FileNotFoundError:
        pass
    write_synced(backup, data, mode)
    owned_like_folder(backup, library)
    _fsync_dir(folders[1])


def write_synced(path: str, data: bytes, mode: int, *, then: Callable[[int], None] | None = None) -> None:
    """Create ``path`` (never replacing a file) with ``data``, flushed to disk; removed again when that fails.
    ``then`` is called with the file's descriptor once written, before it is flushed and closed: what is to be done
    to the new file (its owner, its mode) is done through it, never by its name, at which the person whose folder
    it is may have put a symbolic link meanwhile (:func:`.sidecar_write._write_new`)."""
    fd = os.open(path, _FILE, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if then is not None:
                then(f.fileno())
            os.fsync(f.fileno())
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
