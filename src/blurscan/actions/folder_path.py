"""What in a folder's path is there but is no folder (a file, a symbolic link that leads nowhere or loops), named in
words: why a move cannot make the folder it moves a photo into (:mod:`.moves`, :mod:`.destinations`, :mod:`.trash`,
:mod:`.restore`). Taken out of :mod:`.moves` on 2026-12-06 (for room); found name by name by
:func:`blurscan.path_walk.reach` since 2026-12-07, a ``..`` read as the system reads it. And which folders making
one will make (:func:`missing_folders`)."""
from __future__ import annotations

import errno
import os
import stat

from ..path_walk import reach


def not_a_folder(folder: str) -> str | None:
    """What in ``folder``'s path is there but is no folder, in words naming it (``/a/b is a symbolic-link loop
    ...``), or None when each part of it is a folder or not there. A symbolic link that leads back to itself
    (directly or through other links) made ``makedirs`` fail with "file exists" or "too many levels of symbolic
    links", naming neither the link nor the loop. A ``..`` is read as the system reads it
    (:func:`blurscan.path_walk.reach`: after a link, from where it leads; a link that leads nowhere before it
    named): until 2026-12-07 it was dropped with the name before it, by text, and ``rej/../x``, ``rej`` a link to a
    drive not mounted, was said to be makeable."""
    return reach(folder).why


def missing_folders(folder: str) -> list[str]:
    """``folder`` and those of its parents that do not exist (what creating it will make), deepest first."""
    out = []
    while not os.path.lexists(folder):
        out.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return out


#: Why blurscan's own folder in a library is not used (:func:`no_link`, :mod:`.backup_copy`).
NOT_FOLLOWED = "a symbolic link or a file where its folder should be (never followed)"


def no_link(*folders: str) -> None:
    """Raise OSError when one of ``folders`` is there but is no folder of its own (a symbolic link, whatever it
    leads to, or a file): blurscan's own hidden folders in a library (tag's ``.tag-backups``), which another user of
    a shared library may replace by a link, are never followed."""
    if any(os.path.lexists(f) and not stat.S_ISDIR(os.lstat(f).st_mode) for f in folders):
        raise OSError(errno.ELOOP, NOT_FOLLOWED)
