"""Where a move puts each file, checked before anything moves: a destination that exists already, or something
that is no folder (a file, a link that leads nowhere or loops) where a folder the move must make would go.

:func:`.plan.plan_move` refuses a ``--to`` that cannot be made (:func:`in_the_way`: a file above it), and skips a
photo whose own destination is blocked, with the reason (:func:`blocked`), so the dry run says what ``--yes``
would meet, as for a destination already there; :mod:`.run` names the photo too when one appears after planning.
The trash's folder is checked the same way (``blurscan trash``'s dry run, :func:`.trash.choose`).
"""
from __future__ import annotations

import os

from ..errors import printable_path
from .moves import not_a_folder


def blocked(dst: str, folders: dict[str, str | None]) -> str | None:
    """Why a file cannot be moved to ``dst``, or None: ``dst`` exists (never overwritten), or its folder cannot be
    made (:func:`folder_reason`). ``folders``: the answers for folders looked at already (filled in)."""
    if os.path.lexists(dst):
        return f"destination exists: {printable_path(dst)} (never overwritten)"
    folder = os.path.dirname(dst)
    if folder not in folders:
        folders[folder] = folder_reason(folder)
    return folders[folder]


def folder_reason(folder: str) -> str | None:
    """``cannot make the folder FOLDER: X is a file, not a folder`` (or a link that leads nowhere, or loops:
    :func:`.moves.not_a_folder`) when something that is no folder stands at ``folder`` or above it; None when
    each part of its path is a folder or not there yet."""
    in_the_way = not_a_folder(folder)
    return f"cannot make the folder {printable_path(folder)}: {in_the_way}" if in_the_way else None


def in_the_way(folder: str) -> str | None:
    """``cannot be made: X is a file, not a folder`` (or a link that leads nowhere, or loops:
    :func:`.moves.not_a_folder`) for a folder files are to be moved into (``--to``, the trash's) when something
    that is no folder stands at its place or above it; None when each part of its path is a folder or not there.
    (The nearest folder that exists is then a file's folder: "cannot be written" said nothing of the file.)"""
    reason = not_a_folder(folder)
    return f"cannot be made: {reason}" if reason else None


def existing_ancestor(path: str) -> str:
    """``path``, or its nearest parent that exists."""
    return nearest(path, os.path.exists)


def nearest(path: str, wanted) -> str:
    """``path``, or its nearest parent for which ``wanted(parent)`` is true (the root at last)."""
    while not wanted(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def device_of(path: str | None) -> int:
    """The device of ``path`` (of its nearest existing parent); -1 for None."""
    return os.stat(existing_ancestor(path)).st_dev if path else -1
