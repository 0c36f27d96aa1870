"""One name per file, for paths that name one file several times (links, hard links): the name a walk keeps.

:func:`one_name_per_file` was :mod:`blurscan.walk`'s (which still gives it); a module of its own since the walk
passed 500 lines."""
from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Iterable, Iterator


def one_name_per_file(paths: Iterable[str], looked: dict | None = None) -> dict[str, str]:
    """Other name -> the name kept, for ``paths`` that name one file: a symbolic link to the file of another of
    ``paths``, hard links (device and inode; the real path where the file system has no inodes).

    The name kept is the one a walk of their common folder keeps: the file's own rather than a link's, else the
    first met (a folder's files before its sub-folders, by name). For what a database holds from scans of
    overlapping folders (a link's folder scanned alone stores the link as a photo of its own), so that
    ``report`` lists each file once, and ``bursts`` (a file is one shot) and ``move`` / ``trash`` / ``tag`` (a
    file is taken once) keep the same name: the one definition of it. One ``lstat`` per path, and a ``stat``
    per link (``looked``: path -> an ``lstat`` the caller took of it just before, not taken again). A path that
    cannot be read is nobody's other name."""
    return one_name_per_stated_file(_stated(paths, looked or {}))


def _stated(paths: Iterable[str], looked: dict) -> Iterator[tuple[str, bool, os.stat_result]]:
    """``(path, is_link, stat)`` of each of ``paths`` that can be read (``stat`` of the file a link names)."""
    for path in paths:
        try:
            st = looked.get(path) or os.lstat(path)
            is_link = stat_module.S_ISLNK(st.st_mode)
            if is_link:
                st = os.stat(path)
        except OSError:
            continue
        yield path, is_link, st


def one_name_per_stated_file(stated: Iterable[tuple[str, bool, os.stat_result]]) -> dict[str, str]:
    """:func:`one_name_per_file` of paths their caller has looked at already (``report`` does, to tell those gone
    from disk: :func:`blurscan.listing.survey`): ``(path, is_link, stat)`` each, ``stat`` that of the file (a
    link's followed), as :func:`one_name_per_file` reads them; nothing is looked at again (on a NAS each look at
    a file costs milliseconds)."""
    first: dict[object, str | tuple[bool, str]] = {}  # the file -> its one name met (a link's: with True)
    more: dict[object, list[tuple[bool, str]]] = {}    # the file -> its names, when it has several
    for path, is_link, st in stated:  # (small per file: report reads a library's paths through this)
        key = st.st_dev << 64 | st.st_ino if st.st_ino else os.path.realpath(path)
        seen = first.get(key)
        if seen is None:
            first[key] = (True, path) if is_link else path
        else:
            more.setdefault(key, [(False, seen) if isinstance(seen, str) else seen]).append((is_link, path))
    out = {}
    for same in more.values():
        same.sort(key=_walk_order)
        out.update((other, same[0][1]) for _, other in same[1:])
    return out


def _walk_order(name: tuple[bool, str]) -> tuple:
    """Sort key of ``(is_link, path)``: a file before a link, then in the order a walk meets them (a folder's
    files before its sub-folders, by name)."""
    is_link, path = name
    folders, base = os.path.split(path)
    return is_link, [(1, part) for part in folders.split(os.sep)] + [(0, base)]
