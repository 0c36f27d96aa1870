"""A file's path reached through a descriptor of its folder: how :mod:`.moves`, run as root, renames a photo into
someone's tree (``sudo blurscan move --to ~alice/rejects ~alice/Pictures``) and makes its copy across drives.

The destination's folder is opened from the top the caller names (the ``--to`` folder, the trash's, the library
for undo) down, each folder in the one above and never through a symbolic link
(:func:`blurscan.folders_down.open_folder_down`), and the rename, the copy's temporary file, its removal and the
looks at the destination go through that descriptor. By path, a link the tree's owner put in place of a folder
of it (``~/rejects/etc`` -> ``/etc``, just after blurscan made or found it) was followed, as root, and a photo
named ``Pictures/etc/cron.d/x`` went into ``/etc/cron.d`` (until 2026-12-06). The source's folder is held so too,
from the library down (from ``--to``, the trash's folder, for undo: :func:`taken`), and the folders undo removes
(:func:`rmdir`): by path, a link put in place of ``Pictures/b`` had root's file named like the photo taken out of
its place (until 2026-12-06).

:class:`At` is a ``str`` (the path, for messages and for whatever looks at it by name) that carries the
descriptor: the moves' seams take and give paths, and those reached through a descriptor stay so."""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from ..errors import ActionError, os_reason, printable_path
from ..folders_down import open_folder_down


class At(str):
    """A path whose file is reached through ``dir_fd``, a descriptor of its folder, by its base name."""

    dir_fd: int


def at(path: str, dir_fd: int) -> At:
    """``path`` reached through ``dir_fd`` (a descriptor of its folder)."""
    held = At(path)
    held.dir_fd = dir_fd
    return held


def beside(path: str, other: str) -> str:
    """``other`` (a name in the same folder as ``path``) reached as ``path`` is."""
    return at(other, path.dir_fd) if isinstance(path, At) else other


class Held(str):
    """A folder's path carrying ``fd``, a descriptor of that folder itself (:func:`folder`)."""

    fd: int


def folder(path: str) -> str:
    """The folder of ``path``, to fsync (:func:`fsync`): for an :class:`At`, its path carrying the descriptor of the
    folder it is reached through; its path otherwise."""
    if not isinstance(path, At):
        return os.path.dirname(path)
    held = Held(os.path.dirname(path))
    held.fd = path.dir_fd
    return held


def fsync(folder: str) -> None:
    """Make a rename in ``folder`` durable (POSIX: fsync the folder). Best effort. A folder held (:func:`folder`)
    is fsynced through its descriptor; one by path is opened as a folder only (``O_DIRECTORY``), so a FIFO (or a
    link to one) put in its place after the rename fails at once: opened with a plain ``O_RDONLY`` it hung root's
    command (until 2026-12-06). A link to a folder is followed (``O_NOFOLLOW`` would skip the fsync of every
    library reached through a link, ``~/Pictures`` -> ``/data/Pictures``, and fsyncing a folder changes nothing)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    if isinstance(folder, Held):
        with contextlib.suppress(OSError):
            os.fsync(folder.fd)
        return
    try:
        fd = os.open(folder or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def args(path: str) -> tuple[str, int | None]:
    """What an ``os`` call with ``dir_fd`` takes: ``(name, folder's descriptor)``, or ``(path, None)``."""
    return (os.path.basename(path), path.dir_fd) if isinstance(path, At) else (path, None)


def lexists(path: str) -> bool:
    """``os.path.lexists``, through the folder's descriptor where ``path`` has one."""
    name, fd = args(path)
    try:
        os.lstat(name, dir_fd=fd)
    except (OSError, ValueError):
        return False
    return True


def lstat(path: str) -> os.stat_result:
    name, fd = args(path)
    return os.lstat(name, dir_fd=fd)


def unlink(path: str) -> None:
    name, fd = args(path)
    os.unlink(name, dir_fd=fd)


def opener(path: str):
    """An ``opener`` for :func:`open` of ``path``: through its folder's descriptor, never through a link, where
    it has one; None (the default) otherwise."""
    name, fd = args(path)
    if fd is None:
        return None
    return lambda _path, flags: os.open(name, flags | os.O_NOFOLLOW, dir_fd=fd)


def _as_root(top: str | None) -> bool:
    """Whether folders are to be held: a ``top`` given, and this process run as root."""
    return top is not None and hasattr(os, "geteuid") and os.geteuid() == 0


def _folder_held(top: str, folder: str, doing: str) -> int | None:
    """:func:`blurscan.folders_down.open_folder_down` of ``folder`` from ``top``; its failure as
    :class:`ActionError`, ``doing`` (the photo and what was being done) then the words naming the folder in the
    way (``open_folder_down``'s own, or ``top``'s with its reason)."""
    try:
        return open_folder_down(top, folder)
    except OSError as exc:
        words = exc.strerror if exc.filename != os.path.abspath(top) else f"{printable_path(top)}: {os_reason(exc)}"
        raise ActionError(f"{doing}: {words}") from exc


@contextlib.contextmanager
def reached(src: str, dst: str, top: str | None) -> Iterator[str]:
    """``dst`` reached through its folder opened from ``top`` down (:func:`blurscan.folders_down.open_folder_down`)
    when this process runs as root and ``top`` is given; ``dst`` as it is otherwise (or where ``dst`` is not under
    ``top``, or the system opens no folder in a descriptor). Raises :class:`ActionError` naming ``src`` and the
    link, file or missing folder in the way: nothing has moved then."""
    if not _as_root(top):
        yield dst
        return
    fd = _folder_held(top, os.path.dirname(dst), f"{printable_path(src)}: cannot move to {printable_path(dst)}")
    if fd is None:
        yield dst
        return
    try:
        yield at(dst, fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def taken(src: str, top: str | None) -> Iterator[str]:
    """``src`` reached through its folder opened from ``top`` down (the library for ``move`` and ``trash``, the
    ``--to`` folder or the trash's for ``undo``), as :func:`reached` reaches a destination: run as root, the file
    is taken out of the folder of that name in ``top``, never out of one a symbolic link put in place of a folder
    leads to. By path, a link the tree's owner put in place of ``Pictures/b`` (to a root folder holding a root
    file named like her photo, of its size and time: her ``cp -p`` of it) had root's file moved out of its place
    (until 2026-12-06). The file found there must be the one ``src`` names as the folder is opened (its device and
    inode), else :class:`ActionError` (``expect``'s words, the file left); so is a link in the way, named."""
    if not _as_root(top):
        yield src
        return
    try:
        before = os.lstat(src)
    except OSError:
        before = None  # (gone, or cannot be looked at: the move itself says so)
    fd = _folder_held(top, os.path.dirname(src), f"{printable_path(src)}: cannot take it out of its folder")
    if fd is None:
        yield src
        return
    try:
        held = at(src, fd)
        try:
            now = lstat(held)
        except OSError:
            now = None
        if before is not None and now is not None and (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise ActionError(f"{printable_path(src)}: another file than the one at its path as the move began "
                              "(a folder on its way replaced meanwhile?); not moved")
        yield held
    finally:
        os.close(fd)


def rmdir(folder: str, top: str | None) -> None:
    """``os.rmdir(folder)``; run as root with ``top`` given (the ``--to`` folder, for undo), in its parent opened
    from ``top`` down, never through a symbolic link: by path, a link put in place of a folder under ``--to`` had
    undo remove an empty folder of root's where it led, as one its move made (until 2026-12-06). OSError when it
    cannot (not empty, gone, a link in the way)."""
    fd = None
    if _as_root(top):
        fd = open_folder_down(top, os.path.dirname(folder))
    if fd is None:
        os.rmdir(folder)
        return
    try:
        os.rmdir(os.path.basename(folder), dir_fd=fd)
    finally:
        os.close(fd)
