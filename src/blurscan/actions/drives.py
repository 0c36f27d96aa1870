"""Whether a missing folder undo would make is a drive's: undo does not make it, since the drive is most likely
not mounted and the photos would land on the system disk, hidden under the drive once it is mounted again.

A missing folder is taken for a drive's (:func:`unplugged`) when it is at a drive's level below a folder where
drives are mounted (:data:`MOUNT_PARENTS`: ``/media/me/Drive``, ``/mnt/usb``) or right under ``/``, or lies
right in a drive's folder that is there but empty and not a mount point (an fstab or NAS mount point,
``/mnt/usb``, which stays while its drive is not mounted).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import printable_path

#: Where drives are mounted, each with the depth of a drive's folder below it (``/media/USER/DRIVE``).
MOUNT_PARENTS = (("/media", 2), ("/run/media", 2), ("/mnt", 1), ("/Volumes", 1), ("/", 1))


@dataclass(frozen=True)
class Unplugged:
    """A missing folder undo does not make."""

    folder: str

    def __str__(self) -> str:
        return f"{printable_path(self.folder)} is not there (is the drive unplugged?)"

    @property
    def refusal(self) -> str:
        """Why undo does not make the folder."""
        return "undo does not make a drive's folder"


def missing_top(folder: str) -> str | None:
    """The topmost folder of ``folder`` (``folder`` itself included) that does not exist: the one putting a file
    back into ``folder`` makes first. None when ``folder`` exists."""
    top = None
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder, top = os.path.dirname(folder), folder
    return top


def unplugged(folder: str) -> Unplugged | None:
    """For the folder a file goes back into (or is looked for in): an :class:`Unplugged` when undo must not make
    it (see the module), None when it is there or may be made."""
    top = missing_top(folder)
    if top is None:
        return None
    for parent, depth in MOUNT_PARENTS:
        try:
            rel = os.path.relpath(top, parent)
        except ValueError:  # (Windows: on another drive than parent)
            continue
        if rel.startswith(os.pardir) or rel == os.curdir:
            continue
        parts = len(rel.split(os.sep))
        if parts <= depth or (parts == depth + 1 and _unmounted(os.path.dirname(top))):
            return Unplugged(top)
    return None


def _unmounted(mount_point: str) -> bool:
    """Whether ``mount_point`` (a folder where a drive is mounted) is empty and not a mount point: the drive's
    folder left while it is not mounted."""
    try:
        return not os.path.ismount(mount_point) and not os.listdir(mount_point)
    except OSError:
        return False
