"""Folders reached from the top down, each opened in the descriptor of the one above it and never through a
symbolic link: the folders ``move`` / ``trash`` / ``undo`` and the cache make (:func:`make_folders_down`), those
just made walked again to give them their owner (:func:`made_folders_down`), and a ``--to`` folder, library or
trash opened from ``/`` down (:func:`open_folder_down`). Run as root in someone's tree, the person may put a link
in place of a folder at any moment; what is done through these descriptors goes where the folders are.
"""
from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator

from .errors import printable_path

#: Whether this system makes a folder in a folder's descriptor and opens one there (not Windows).
_MADE_IN_DESCRIPTORS = os.mkdir in os.supports_dir_fd and os.open in os.supports_dir_fd


def made_folders_down(folders: list[str], top: int = os.O_RDONLY) -> Iterator[tuple[str, int, os.stat_result]]:
    """The folders blurscan has just made (``folders``: deepest first, each in the next), from the top down, each
    opened in the one above it, never through a symbolic link (``O_NOFOLLOW``): ``(folder, its descriptor, the
    folder above it as it is now)``. The folder above the top one is opened with ``top``'s flags. The first that
    cannot be opened so (a link, a file, gone) ends them: nothing below it is blurscan's. Each descriptor is closed
    once the next is open (iterate to the end). What is done to them goes through the descriptors: by path, a link
    the tree's owner put in place of one just made steered root's chown elsewhere (until 2026-12-06)."""
    directory = getattr(os, "O_DIRECTORY", 0)
    try:
        above = os.open(os.path.dirname(folders[-1]), top | directory)
    except OSError:
        return
    try:
        for folder in reversed(folders):
            try:
                fd = os.open(os.path.basename(folder), os.O_RDONLY | directory | getattr(os, "O_NOFOLLOW", 0),
                             dir_fd=above)
            except OSError:
                return
            try:
                parent = os.fstat(above)
            finally:
                os.close(above)
                above = fd
            yield folder, fd, parent
    finally:
        os.close(above)


def make_folders_down(folders: list[str], mode: int = 0o777, top: str | None = None) -> None:
    """Make ``folders`` (those missing: deepest first, each in the next, as
    :func:`~blurscan.actions.folder_path.missing_folders` lists them) from the top down, each in the descriptor of
    the one above it, opened without following a symbolic link; one made meanwhile by another process is kept. The
    folder above the top one is opened by its path, or as root ``top`` given, from ``top`` (``--to``) down (a link
    put in place of ``~/rejects/b`` had them made where it led, until 2026-12-07). Raises OSError when one cannot
    be made or opened so (a link or a file put in its place: ELOOP, ENOTDIR). Run as root in someone's tree, the
    person may change it meanwhile: until 2026-12-06 each was made by path, and a link put where ``~/rejects`` had
    just been made had the next ones made, as root, where it led. Windows: ``os.makedirs``."""
    if not folders:
        return
    if not _MADE_IN_DESCRIPTORS:  # pragma: no cover - Windows
        os.makedirs(folders[0], mode, exist_ok=True)
        return
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    above = _top_of_made(os.path.dirname(folders[-1]), top, flags)
    try:
        for folder in reversed(folders):
            name = os.path.basename(folder)
            try:
                try:
                    os.mkdir(name, mode, dir_fd=above)
                except FileExistsError:  # (made meanwhile: kept when a folder; a link or a file fails the open)
                    pass
                fd = os.open(name, flags | getattr(os, "O_NOFOLLOW", 0), dir_fd=above)
            except OSError as exc:  # (named by its whole path, as os.makedirs names it)
                words = exc.strerror
                with contextlib.suppress(OSError):
                    if stat.S_ISLNK(os.lstat(name, dir_fd=above).st_mode):  # (ENOTDIR: O_DIRECTORY is checked first)
                        words = f"{printable_path(folder)} is a symbolic link where a folder is made (never followed)"
                raise OSError(exc.errno, words, folder) from None
            os.close(above)
            above = fd
    finally:
        os.close(above)


def _top_of_made(folder: str, top: str | None, flags: int) -> int:
    """``folder`` opened by path, or as root with ``top`` from ``top`` down (from ``/`` down when above ``top``)."""
    if top is None or not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return os.open(folder, flags)
    fd = open_folder_down(top, folder)
    return fd if fd is not None else _open_from_root(os.path.abspath(folder), flags)


def open_folder_down(top: str, folder: str) -> int | None:
    """A descriptor of ``folder``, opened from ``top`` down: ``top`` (the ``--to`` folder, the library, the trash's
    folder) itself from ``/`` down (:func:`_open_from_root`: a link on its way followed only where its folder's
    owner alone may have put it, to a folder of theirs, or root's own link), each folder below it in the one above,
    never through a symbolic link (``O_NOFOLLOW``). None when ``folder`` is not under ``top``, or where the system
    opens no folder in a descriptor (Windows): the caller goes by path then. Raises OSError whose words name the
    first that is a link, a file or gone (``top`` itself: the system's OSError). Run as root in someone's tree,
    the person may put a link in place of a folder of it at any moment: a rename by path followed it
    (``~/rejects/etc`` -> ``/etc``, until 2026-12-06; ``~/rejects`` -> ``/`` itself, until 2026-12-06); one into
    this descriptor goes where the folders are."""
    top, folder = os.path.abspath(top), os.path.abspath(folder)
    rel = os.path.relpath(folder, top) if os.path.splitdrive(top)[0] == os.path.splitdrive(folder)[0] else os.pardir
    if not _MADE_IN_DESCRIPTORS or not hasattr(os, "O_NOFOLLOW") or rel.split(os.sep)[0] == os.pardir:
        return None
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    names = [] if rel == os.curdir else rel.split(os.sep)
    return _down(_open_from_root(top, flags), top, names, flags, _owners_link_or_refusal)


def _owners_link_or_refusal(name: str, above: int, here: str, exc: OSError) -> int:
    """For :func:`open_folder_down`, ``name`` (``here``) in the folder open as ``above`` not opened so (``exc``): the
    folder a link of its folder's owner leads to (:func:`_link_of_the_owner`), else OSError in words naming the
    folder (``/a/b: no such file or directory``; ``/a/b is a symbolic link where a folder is (never followed)``)."""
    fd = _link_of_the_owner(name, above)
    if fd is None:
        words = f"{printable_path(here)}: {str(exc.strerror or exc).lower()}"
        with contextlib.suppress(OSError):
            if stat.S_ISLNK(os.lstat(name, dir_fd=above).st_mode):  # (ENOTDIR: O_DIRECTORY first)
                words = f"{printable_path(here)} is a symbolic link where a folder is (never followed)"
        raise OSError(exc.errno, words, here) from None
    return fd


def _down(above: int, here: str, names: list[str], flags: int, refused) -> int:
    """From the folder open as ``above`` (the path ``here``) down through ``names``, each opened with ``flags`` in the
    one above it, never through a symbolic link (``O_NOFOLLOW``): the descriptor of the last (``above`` when there
    are no names). ``refused(name, above, here, exc)``, for one that cannot be opened so (``exc``), returns the
    descriptor to go on from (a link let through) or raises. Each descriptor is closed once the next is open, and
    on an error (of :func:`open_folder_down` and :func:`_open_from_root`, the one walk both are)."""
    try:
        for name in names:
            here = os.path.join(here, name)
            try:
                fd = os.open(name, flags | os.O_NOFOLLOW, dir_fd=above)
            except OSError as exc:
                fd = refused(name, above, here, exc)
            os.close(above)
            above = fd
    except BaseException:
        os.close(above)
        raise
    return above


def _open_from_root(path: str, flags: int, depth: int = 0) -> int:
    """A descriptor of the folder ``path`` (absolute, normalized) opened from ``/`` down, each folder in the one
    above, never through a symbolic link (``O_NOFOLLOW``) but one that only its folder's owner may have put there
    (no group or other write) and that leads, reached so too, to a folder of that owner, or to anything when that
    owner is root (root's own links: ``--to /srv/rejects`` -> ``/home/alice/rejects``). The top of
    :func:`open_folder_down` (the ``--to`` folder, the library, the trash's folder) is opened so, as each folder
    below it is: opened by its path, a link alice put in place of ``~alice/rejects`` itself during root's move
    (``rejects`` -> ``/``) had the photos of ``Pictures/etc/cron.d`` renamed into ``/etc/cron.d`` (until
    2026-12-06). OSError naming the link, or the folder that is a file or gone (``path`` itself: the system's)."""
    def refused(name: str, above: int, here: str, exc: OSError) -> int:
        fd = _trusted_link(name, above, here, flags, depth)
        if fd is None and _is_link(name, above):  # (ENOTDIR: O_DIRECTORY is checked first)
            raise OSError(exc.errno, f"{printable_path(here)} is a symbolic link where a folder is (never "
                          "followed)") from None  # (no file name: the words name it, top or not)
        if fd is None:
            reason = str(exc.strerror or exc).lower()
            words = exc.strerror if here == path else f"{printable_path(here)}: {reason}"
            raise OSError(exc.errno, words, here) from None
        return fd

    return _down(os.open(os.sep, flags), os.sep, [part for part in path.split(os.sep) if part], flags, refused)


def _trusted_link(name: str, above: int, here: str, flags: int, depth: int) -> int | None:
    """For :func:`_open_from_root`: a descriptor of the folder the symbolic link ``name`` (``here``) in the folder
    open as ``above`` leads to, reached from ``/`` down itself, when only that folder's owner may have put the link
    there and it leads to a folder of that owner's (of anyone's, the owner being root); else None."""
    try:
        folder, link = os.fstat(above), os.lstat(name, dir_fd=above)
        target = os.readlink(name, dir_fd=above)
    except OSError:
        return None
    if not stat.S_ISLNK(link.st_mode) or folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or depth >= 40:
        return None
    try:
        fd = _open_from_root(os.path.normpath(os.path.join(os.path.dirname(here), target)), flags, depth + 1)
    except OSError:
        return None
    try:
        if folder.st_uid == 0 or os.fstat(fd).st_uid == folder.st_uid:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _is_link(name: str, above: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=above).st_mode)
    except OSError:
        return False


def _link_of_the_owner(name: str, above: int) -> int | None:
    """A descriptor of the folder the symbolic link ``name`` in the folder open as ``above`` leads to, when only that
    folder's owner can have put the link there (no one else may write in it) and what it leads to is theirs too;
    else None. A library scanned with ``--follow-symlinks`` links its own folders in (``lib/trip`` ->
    ``~/elsewhere/trip``), which root's move and undo then reach as before; a link put in someone's folder to a
    folder of root's or of another user's is not followed (the protection of :func:`open_folder_down`). Both
    owners are read from descriptors, so a link changed meanwhile changes nothing."""
    try:
        here = os.fstat(above)
    except OSError:
        return None
    if here.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, dir_fd=above)
    except OSError:
        return None
    try:
        if os.fstat(fd).st_uid == here.st_uid:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None
