"""The XDG base folders (``$XDG_CACHE_HOME``, ``$XDG_DATA_HOME``), read as the XDG Base Directory specification
says: a value that is not an absolute path is invalid and ignored, and the default (``~/.cache``,
``~/.local/share``) is used.

https://specifications.freedesktop.org/basedir-spec/latest/ -- "All paths set in these environment variables
must be absolute. If an implementation encounters a relative path in any of these variables it should consider
the path invalid and ignore it." Until 2026-12-05 a relative value was taken as given, relative to the current
folder: ``XDG_DATA_HOME=share blurscan trash`` stopped with a traceback after journaling its batch, and
``XDG_CACHE_HOME=cache blurscan scan`` of a read-only library kept its database where a later command run from
another folder never looked. The folders made there are private (:func:`make_private`).
"""
from __future__ import annotations

import os

from .errors import printable_path
from .folders_down import make_folders_down
from .path_walk import reach
from .permissions import folders_owned_like_parents


def cache_home() -> str:
    """``$XDG_CACHE_HOME``, else ``~/.cache`` (read at each call, so tests can point it elsewhere)."""
    return _base("XDG_CACHE_HOME", ".cache")


def data_home() -> str:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (read at each call)."""
    return _base("XDG_DATA_HOME", os.path.join(".local", "share"))


def _base(variable: str, default: str) -> str:
    """The absolute folder ``$variable`` names, else ``default`` in the home folder, made absolute: a relative
    ``HOME`` (``HOME=nohome``) is taken from the current folder, as :func:`missing_home` takes it. Until
    2026-12-06 the default was relative then, and ``HOME=nohome blurscan trash --yes`` (a home that does not
    exist) ended in a FileNotFoundError traceback after its dry run had said nothing of it."""
    given = os.environ.get(variable, "")
    if os.path.isabs(given):
        # a `..` as the system reads it (path_walk.reach: after a symbolic link, from where it leads): the trash made
        # at `~/good/../share`, where the system put it, was then looked for beside the link by the moves, which
        # failed each photo, until 2026-12-07. One the system cannot read (a link to nothing before the `..`) is
        # kept as given: the trash's refusal names the link (`trash`'s dry run skips each photo, saying so)
        reached = reach(given) if os.pardir in given.split(os.sep) else None
        return reached.path if reached is not None and reached.why is None else given
    home = os.path.expanduser("~")
    if home == "~":  # (no home at all: HOME unset, a user not in the password database; named as `~`, never made
        return os.path.join(home, default)  # -- :func:`missing_home` says why -- and not taken from the current folder)
    return os.path.join(_home_folder(home)[0], default)


def _home_folder(home: str) -> tuple[str, str | None]:
    """The home folder ``home`` (``~`` expanded) absolute, a ``..`` in it read as the system reads it
    (:func:`~blurscan.path_walk.reach`: after a symbolic link, from where it leads), and why the system cannot reach
    it (None when it can; a home that does not exist is :func:`missing_home`'s to say). Until 2026-12-07 the
    ``..`` was dropped with the name before it, by text: with ``HOME=/home/me/rej/../me2``, ``rej`` a link to
    ``/data/x``, ``trash --yes`` trashed the photos into ``/home/me/me2/.local/share/Trash``, not the ``~`` of the
    shell and the desktop (``/data/me2``), and said the home did not exist when ``/home/me/me2`` did not."""
    if os.pardir not in home.split(os.sep):
        return os.path.abspath(home), None
    reached = reach(home, to_make=False)
    if reached.why is None:
        return reached.path, None
    return (home if os.path.isabs(home) else os.path.join(os.getcwd(), home)), reached.why


def make_private(folder: str) -> None:
    """Make ``folder`` and every missing folder above it with mode 0700 (what ``os.makedirs`` gives only the
    last one; the others got 0777 less the umask), as the XDG specification asks of the base folders: the home
    trash (:mod:`blurscan.actions.trash`) and the cache folder where a scan keeps the database of a library it
    cannot write (:mod:`blurscan.cli.locate`). Until 2026-12-05 a home trash made under umask 000 was
    ``drwxrwxrwx``, where any user could swap its ``files`` folder for one of theirs, and under the usual umask
    022 anyone could list it, or read such a database (its photos' paths). A folder that exists is left as it
    is. Run as root, each folder made takes the owner and group of the folder it is made in
    (:func:`~blurscan.permissions.folders_owned_like_parents`; none in a root-owned one): a ``sudo`` that keeps
    the user's ``HOME`` (macOS, ``sudo -E``, older Ubuntu) made their ``~/.local`` root's and ``0700``, shutting
    them out of everything in it (until 2026-12-06)."""
    missing = []
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        missing.append(folder)
        folder = os.path.dirname(folder)
    make_folders_down(missing, 0o700)  # (made meanwhile: kept; a file or link in the way: said by the caller)
    folders_owned_like_parents(missing)  # (as root with another user's HOME, sudo -E: theirs, not root's; by
    # descriptor, never through a link they put in place of one meanwhile)


def missing_home(folder: str, variable: str) -> str | None:
    """Why the home folder cannot hold ``folder``, a default base folder inside it: ``/nonexistent does not
    exist`` (a service user's usual ``HOME``), ``... is not a folder``; None when it exists, when ``folder`` is
    elsewhere or when ``variable`` (``XDG_DATA_HOME``, ``XDG_CACHE_HOME``) names the base folder: one set on
    purpose is made wherever it is.
    Root may make any folder, so until 2026-12-05 ``HOME=/nonexistent blurscan trash`` as root made
    ``/nonexistent/.local/share/Trash`` (and a read-only library's scan ``/nonexistent/.cache``), where other
    users were refused for the write bits of ``/``. An empty ``HOME`` (set, but to nothing) is refused whatever
    ``folder`` is (every folder is inside ``/``): until 2026-12-06 ``HOME= blurscan trash --yes`` as root trashed
    the photos to ``/.local/share/Trash``, and a read-only library's scan kept its database in ``/.cache``."""
    if os.path.isabs(os.environ.get(variable, "")):
        return None
    if os.environ.get("HOME") == "":  # set but empty: Python's expanduser gives "/", and the folder was made there
        return "the home folder is not set (HOME is empty)"
    if os.path.expanduser("~") == "~":  # HOME unset, and this user is not in the password database (a container
        # run as an arbitrary user, docker run --user 12345): Python leaves "~" as it is, which was taken from the
        # current folder: `the home folder /srv/~ does not exist (HOME)` until 2026-12-06
        return f"the home folder is not set (HOME is not set, and user {os.getuid()} has no entry in the password " \
               "database)"
    home, unreached = _home_folder(os.path.expanduser("~"))
    if unreached is not None:
        return f"the home folder {printable_path(home)} cannot be reached: {unreached} (HOME)"
    if os.path.isdir(home) or os.path.dirname(home) == home or home == os.path.abspath(folder):
        return None
    if os.path.commonpath([home, os.path.abspath(folder)]) != home:
        return None
    what = "is not a folder" if os.path.lexists(home) else "does not exist"
    if "HOME" not in os.environ:  # the password database's (a build farm's or a service's nobody: /nonexistent);
        # until 2026-12-06 said "(HOME)" as if the variable were set to it
        return f"the home folder {printable_path(home)} {what} (HOME is not set: user {os.getuid()}'s home in " \
               "the password database)"
    return f"the home folder {printable_path(home)} {what} (HOME)"
