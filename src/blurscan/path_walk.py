"""A path read name by name, as the system reads it (:func:`reach`): where it leads, and what on the way is no
folder (a file, a symbolic link that leads nowhere or loops, a link to a file), named in words.

A ``..`` after a symbolic link is the parent of the folder the link leads to, not the folder above the link: the
system takes ``rej/../x``, ``rej -> /media/usb/rej``, from ``/media/usb``, and, the drive not mounted, goes
nowhere at all (``mkdir -p rej/../x`` fails: ``rej`` leads nowhere). ``os.path.abspath`` and ``os.path.normpath``
drop a ``..`` with the name before it, by text (``x``, beside the link), and ``os.path.realpath`` follows a link
to nothing by its text (``/media/usb/x``, on the system disk): until 2026-12-07 ``move --to rej/../x --yes`` moved
the photos into ``/media/usb/x``, made on the system disk, and ``trash`` with ``XDG_DATA_HOME=~/good/../share``
made the trash where the link leads, then looked for it beside the link, and ``--db good/../x.db`` was written
there by ``scan`` and looked for beside the link by ``report``.

A name not there yet is one a ``mkdir -p`` makes (``to_make``), a ``..`` after it its folder again; for a path to
be opened (``--db``), nothing below a name not there can be reached, and a ``..`` after one is refused.
A ``..`` taken from a folder this user may not enter (or reached through one) is refused, as the system refuses
it, naming that folder (:func:`_not_entered`). Paths without ``..`` are read as before: the words name each folder by the path as given (``~/rej``, not where
a link above it leads).
"""
from __future__ import annotations

import errno
import os
import stat
from typing import NamedTuple

from .errors import printable_path


class Reached(NamedTuple):
    """Where a path leads (absolute, its symbolic links to folders resolved, no ``..``; the names not there yet, or
    not to be looked at, as given), and why the system cannot go there, in words naming the name that stops it
    (None when it can)."""

    path: str
    why: str | None


#: what :func:`_look` finds a name to be
_FOLDER, _LINK, _MISSING, _UNSEEN, _NONE = "folder", "link to a folder", "missing", "unseen", "no folder"


def reach(path: str | os.PathLike, *, to_make: bool = True) -> Reached:
    """``path`` (relative to the current folder) read name by name as the system reads it (see the module).

    Parameters
    ----------
    path : path
        A folder to make or reach (``--to``, ``$XDG_DATA_HOME``), or the folder of a file to open.
    to_make : bool
        Names not there are made (``mkdir -p``), and a ``..`` after one is their folder; False: a ``..`` after a
        name not there is refused (``/a/missing does not exist``), as the system refuses it.

    Returns
    -------
    Reached
    """
    given = os.fsdecode(os.fspath(path))
    here = given if os.path.isabs(given) else os.path.join(os.getcwd(), given)
    names = here.split(os.sep)
    here = shown = os.sep  # where the system is (real), and how the words name it (as given until a `..`)
    unseen = None  # the first name on the way not there, or not to be looked at (where, as named, which):
    # nothing below it is looked at
    for name in names:
        if name in ("", os.curdir):
            continue
        if name == os.pardir:
            if unseen is not None and unseen[2] == _MISSING and not to_make:
                return Reached(here, f"{printable_path(unseen[1])} does not exist")
            shut = _not_entered(here, shown, unseen)
            if shut is not None:
                return Reached(here, shut)
            here = shown = os.path.dirname(here)
            if unseen is not None and not _within(here, unseen[0]):
                unseen = None  # (back above it: looked at again)
            continue
        here, shown = os.path.join(here, name), os.path.join(shown, name)
        if unseen is not None:
            continue
        kind, seen = _look(here, shown)
        if kind in (_MISSING, _UNSEEN):
            unseen = (here, shown, kind)
        elif kind == _LINK:
            here = seen  # a link to a folder: a `..` below it is taken from where it leads
        elif kind == _NONE:
            return Reached(here, seen)
    return Reached(here, None)


def _not_entered(here: str, shown: str, unseen: tuple[str, str, str] | None) -> str | None:
    """Why the system cannot take a ``..`` from ``here`` (real, named ``shown``; ``unseen``: the first name on the
    way not looked at), in words naming the folder this user may not enter: a ``..`` is looked up in the folder it
    is taken from, which needs leave to enter it (``ls hop/..``: ``Permission denied``, ``hop`` a link to a folder
    this user may not enter, or into one), and so does every folder on the way to it. None when it can, or when
    what stops it is no folder shut (a name not there). Until 2026-12-07 the ``..`` was taken all the same: ``report
    --db hop/../x.db`` read ``x.db`` beside the link (``hop``'s target in a folder not entered: the ``..`` read by
    text) or beside ``hop``'s target (the target not entered), where the system opens nothing."""
    if unseen is None:
        try:
            os.lstat(os.path.join(here, os.pardir))
            return None
        except PermissionError:
            folder = here
        except OSError:
            return None
    elif unseen[2] == _UNSEEN:
        try:  # (a link whose target is in a folder not entered; a name in one)
            os.lstat(unseen[0])
            link = os.path.islink(unseen[0])
        except OSError:
            link = False
        folder = _first_shut(os.path.realpath(unseen[0]) if link else os.path.dirname(unseen[0]))
        if folder is None:
            return f"{printable_path(unseen[1])} cannot be looked at"
        if link:
            return f"{printable_path(unseen[1])} leads into {printable_path(folder)}, which this user may not enter"
        shown = folder  # (named where it is)
    else:
        return None
    if os.path.normpath(shown) != folder:
        return f"{printable_path(shown)} leads to {printable_path(folder)}, which this user may not enter"
    return f"{printable_path(folder)} may not be entered by this user"


def _first_shut(path: str) -> str | None:
    """The first folder from the top on the way to ``path``, and ``path``, that this user may not enter, or None."""
    chain = [path]
    while os.path.dirname(chain[-1]) != chain[-1]:
        chain.append(os.path.dirname(chain[-1]))
    for folder in reversed(chain):
        if not os.access(folder, os.X_OK, effective_ids=os.access in os.supports_effective_ids):
            return folder
    return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _look(path: str, shown: str) -> tuple[str, str | None]:
    """What the name ``path`` (its folder real) is: :data:`_FOLDER`, :data:`_MISSING`, :data:`_UNSEEN` (not to be
    looked at), :data:`_LINK` with the folder it leads to (absolute, real), or :data:`_NONE` with the words saying
    why it is no folder, naming it as ``shown``."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return _MISSING, None
    except OSError:
        return _UNSEEN, None
    if stat.S_ISDIR(st.st_mode):
        return _FOLDER, None
    name = printable_path(shown)
    if not stat.S_ISLNK(st.st_mode):
        return _NONE, f"{name} is a file, not a folder"
    try:
        target = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _NONE, (f"{name} is a symbolic-link loop (the link leads back to itself, directly or through other "
                           "links)")
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return _UNSEEN, None
        try:
            to = f" to {printable_path(os.readlink(path))}"
        except OSError:
            to = ""
        return _NONE, f"{name} is a symbolic link{to}, which leads nowhere"
    if stat.S_ISDIR(target.st_mode):
        return _LINK, os.path.realpath(path)
    return _NONE, f"{name} is a symbolic link to a file, not a folder"
