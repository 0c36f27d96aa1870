"""A file this user may not read cannot be moved to another drive, where it must be copied.

On one drive a move is a rename, which needs only the folder's write permission, so another user's ``0600`` file
in the user's own folder (a sidecar or a photo left by a tool run with ``sudo``: root's) moves with its photo.
Across drives each file is copied, and such a file cannot be opened. Until 2026-12-06 the dry run listed the photo
as one that would move, and ``--yes`` moved the photo, then failed its sidecar with ``cannot copy to DST:
permission denied`` (the destination had refused nothing) and left the two apart until an undo; a photo that could
not be read itself failed with the same words. Now the plan leaves such a photo, with its files, where it is,
naming the file that cannot be read, its owner and mode (:func:`leave`); so does ``trash`` where the photo goes to
the home trash on another drive (its own drive has no trash this user may use: :func:`in_home_trash`). A file
made unreadable after the plan keeps its photo in place too (:mod:`.run`, ``move``), and a copy that still meets
one says that it could not be read (:func:`copy_error`)."""
from __future__ import annotations

import os

from ..errors import ActionError, os_reason, printable_path
from ..permissions import why_not_readable
from . import trash
from .destinations import device_of


def first(files, dev: int, devices: dict | None = None) -> tuple[str, str] | None:
    """The first of ``files`` (a photo's :class:`.plan.FileOp`) on another device than ``dev`` (the
    destination's, where it must be copied) that this user may not read, and why (``is not readable by this user:
    owner OWNER, mode MODE``); None when each may. ``devices``: file -> its device, filled as files are looked at
    (:func:`leave`'s, so that each file is looked at once)."""
    devices = {} if devices is None else devices
    for op in files:
        if op.src not in devices:
            devices[op.src] = device_of(op.src)
        if devices[op.src] != dev:
            words = why_not_readable(op.src)
            if words:
                return op.src, words
    return None


def reason(path: str, words: str, destination: str) -> str:
    """A photo's reason for staying: ``NAME WORDS, and it must be copied to reach DEST (another drive); left in
    place``."""
    return (f"{printable_path(os.path.basename(path))} {words}, and it must be copied to reach "
            f"{printable_path(destination)} (another drive); left in place")


def leave(plan, skip) -> bool:
    """Leave each of ``plan``'s photos with a file this user may not read and must copy (another drive) where it
    is, listed in ``plan.skipped`` as ``skip(photo, reason)``; return whether any file left in the plan is copied
    across drives (``plan.cross_device``)."""
    dev = device_of(plan.destination)
    taken, devices = [], {}
    for photo in plan.photos:
        refused = first(photo.files, dev, devices)
        if refused:
            plan.skipped.append(skip(photo.photo, reason(*refused, plan.destination)))
        else:
            taken.append(photo)
    plan.photos[:] = taken
    return any(devices[f.src] != dev for f in plan.files)


def in_home_trash(group, seen: dict) -> str | None:
    """For ``trash``: the reason a photo stays when its files (``group``: ``(path, stat, role)``) go to the home
    trash on another drive, their own drive having no trash this user may use (``seen``, filled by
    :func:`.trash.unusable` for the photo's folder), and one of them cannot be read; None otherwise."""
    home = trash.home_trash()
    for path, st, _role in group:
        if seen.get(os.path.dirname(path)) is False and st.st_dev != device_of(home):
            words = why_not_readable(path)
            if words:
                return reason(path, words, home)
    return None


def copy_error(src: str, dst: str, exc: OSError) -> ActionError:
    """The error for a file whose copy to another drive could not open it: ``SRC: cannot be read to be copied to
    DST (another drive): permission denied (owner OWNER, mode MODE)``. It said ``cannot copy to DST: permission
    denied``, as if the destination had refused (until 2026-12-06)."""
    words = why_not_readable(src)
    said = f" ({words.split(': ', 1)[1]})" if words else ""
    return ActionError(f"{printable_path(src)}: cannot be read to be copied to {printable_path(dst)} (another "
                       f"drive): {os_reason(exc)}{said}; not moved")
