"""Which database a command's damaged-database error names (:func:`blurscan.dbfile.damaged_error`): the databases
this process holds open (:func:`blurscan.dbfile.hold`), numbered in the order opened.

The one named is the one opened last of those still open, else the one closed last (an error ends the use of
its database before the command's line is written), of those opened since the command began
(:func:`opened_so_far`, taken as it starts). Until 2026-12-06 it was the one opened last, closed or not:
``report`` of ``cp -r lib2 lib3`` opened ``lib2``'s database for its keeps and closed it, and a damaged record of
``lib3``'s database was said of ``lib2``'s; then a store a host program (or an earlier test) had left open was
named for a later command's damaged database."""
from __future__ import annotations

import threading

_LOCK = threading.Lock()
_OPEN: list[list] = []  # [key, path, number] of the databases held and still open, in the order opened
_LAST: list = [None, 0]  # [path, number] of the database held last
_CLOSED: list = [None, 0]  # [path, number] of the database closed last
_OPENED = [0]  # how many databases this process has held: the number of each


def opened(key, path: str) -> None:
    """``path`` held (``key``: its file's identity, None when it has none yet)."""
    with _LOCK:
        _OPENED[0] += 1
        if key is not None:
            _OPEN.append([key, path, _OPENED[0]])
        _LAST[:] = [path, _OPENED[0]]


def rekeyed(key, new) -> None:
    """The database held as ``key`` is known as ``new`` now (its file was made)."""
    with _LOCK:
        for entry in reversed(_OPEN):
            if entry[0] == key:
                entry[0] = new
                return


def closed(key) -> None:
    """The database held as ``key`` (the one opened last of that key) is closed."""
    with _LOCK:
        for i in range(len(_OPEN) - 1, -1, -1):
            if _OPEN[i][0] == key:
                _CLOSED[:] = _OPEN.pop(i)[1:]
                return


def opened_so_far() -> int:
    """A mark for :func:`named`: the databases held from now on are the command's."""
    return _OPENED[0]


def named(since: int) -> str | None:
    """The database an error of the command begun at the mark ``since`` names (None when it held none)."""
    with _LOCK:
        for _key, path, number in reversed(_OPEN):
            if number > since:
                return path
        for path, number in (_CLOSED, _LAST):
            if number > since:
                return path
        return None
