"""Whether a missing folder undo would make is a drive's: undo does not make it, since the drive is most likely
not mounted and the photos would land on the system disk, hidden under the drive once it is mounted again.

A missing folder is taken for a drive's (:func:`unplugged`) when, once the links leading to it are followed
(``os.path.realpath``: a library reached through ``~/photos -> /media/me/Drive/photos`` is on the drive):

* it is, or lies above, a folder where drives are mounted (:data:`MOUNT_PARENTS`; ``/run/media``, on tmpfs,
  is not there after a reboot until a drive is mounted);
* it is at a drive's level below such a folder (``/media/me/Drive``, ``/mnt/usb``), unless it lies right in a
  folder where a whole file system is mounted (``/media/usb0/trip`` with a drive mounted at ``/media/usb0``:
  the drive is there, and the folder was renamed or deleted on it). A bind mount of a folder (a container
  run with ``-v /media/me:/media/me``) is no proof: that folder is most likely on the system disk
  (:func:`drive_mounted`);
* it lies right in a drive's folder that is there but empty and not mounted (an fstab or NAS mount point,
  ``/mnt/usb``, which stays while its drive is not mounted);
* it lies in a mount point listed in /etc/fstab (:data:`FSTAB`) that is not mounted, wherever that is
  (``/home/me/nas``): the deepest one holding it decides;
* given ``since`` (undo: when its batch began), the deepest folder of its path that is there looks like a mount
  point not mounted, wherever that is (``~/Pictures/phone``, a drive mounted inside the library): empty, not
  mounted, and not modified since then (the rule of :func:`blurscan.pruning.not_mounted`, by which a scan keeps
  the photos under it). The batch took its photos from the drive, which left that folder as it was; one emptied by
  hand since (or whose folder was deleted) was modified, and the missing folder is made again. Until 2026-12-07
  undo made ``~/Pictures/phone/2024`` again inside the empty mount point, on the system disk, and put the photos
  there, hidden once the phone was mounted again (its own ``2024`` without them). So is the folder itself, there,
  when it looks so (a photo taken from the drive's top, ``~/Pictures/phone/IMG_1.jpg``): the batch took the photo
  from it, which modified it; put back there until 2026-12-07.
  The refusal says how to tell undo that such a folder is no drive's (:attr:`Unplugged.refusal`): one on a share
  whose server's clock runs behind this machine's, or emptied by a tool that keeps folder times (``rsync
  --times``), or a batch begun before the clock was set back, left undo refusing it again and again, with no way
  out said, until 2026-12-07. ``touch -d`` with the batch's time dates the folder to the batch: a plain ``touch``
  would date it by a clock behind (the share's server; the machine's, set back) and change nothing.

A missing folder right under ``/`` (where ``/`` is a folder of :data:`MOUNT_PARENTS`) is refused too, with its
own reason: ``/`` is always mounted, so whether ``/backup`` was a drive's mount point (made by hand, removed
since) or an ordinary folder cannot be told, and making it needs root: the person mounts the drive or makes
the folder, and runs undo again. Where undo only looks for a file (a ``--to`` folder right under ``/``, missing),
:attr:`Unplugged.at_root` tells it that no drive is waited for there: a drive's mount point stays while the
drive is not mounted, so the folder was deleted or renamed and its files are gone (:mod:`.undo`).
"""
from __future__ import annotations

import datetime
import math
import os
from dataclasses import dataclass

from ..errors import printable_path, shell_path
from ..mount_table import Mount, read, unescape
from ..pruning import not_mounted

#: Where drives are mounted, each with the depth of a drive's folder below it (``/media/USER/DRIVE``).
MOUNT_PARENTS = (("/media", 2), ("/run/media", 2), ("/mnt", 1), ("/Volumes", 1), ("/", 1))
#: The file system's root: a missing folder right under it may be an ordinary folder as well as a drive's.
ROOT = os.sep
MOUNTINFO = "/proc/self/mountinfo"
#: The mount points the system knows of, mounted or not (``noauto`` drives, NAS shares).
FSTAB = "/etc/fstab"


@dataclass(frozen=True)
class Unplugged:
    """A missing folder undo does not make: ``folder`` (links followed), reached from ``shown`` (the path as
    recorded, its topmost missing folder); ``at_root`` when it is right under the file system's root; ``empty``:
    the folder it would be made in, when that looks like a mount point not mounted (:func:`unplugged`'s ``since``),
    or ``folder`` itself, there, when it is the one that looks so (nothing missing: the file put back in it);
    ``since``: with ``empty``, when the batch began."""

    folder: str
    shown: str
    at_root: bool = False
    empty: str | None = None
    since: float = 0.0

    def __str__(self) -> str:
        via = f" (where {printable_path(self.shown)} leads)" if self.shown != self.folder else ""
        if self.empty == self.folder:  # (the file's own folder)
            return f"{printable_path(self.folder)}{via} is empty and not modified since the batch"
        if self.empty is not None:
            return (f"{printable_path(self.folder)}{via} is not there, and {printable_path(self.empty)} is empty and "
                    "not modified since the batch")
        why = "a drive not mounted, or a folder renamed or deleted?" if self.at_root else "is the drive unplugged?"
        return f"{printable_path(self.folder)}{via} is not there ({why})"

    @property
    def refusal(self) -> str:
        """Why undo does not make the folder, and what to do."""
        if self.empty is not None:
            return ("it looks like a drive not mounted: mount it and run undo again (not a drive? "
                    f"`{dated_to(self.empty, self.since)}`, the batch's time, tells undo it is not)")
        if self.at_root:
            return ("undo does not make a folder right under /: mount the drive, or make the photo's folder if it "
                    "belongs there, and run undo again")
        return "undo does not make a drive's folder"


def dated_to(folder: str, since: float) -> str:
    """The command that sets ``folder``'s modification time to ``since`` (a time of ``time.time()``, the next whole
    second), pasteable: ``touch -d 2026-12-07T10:00:01Z /home/me/Pictures/phone``. The time in UTC,
    in the form both GNU and BSD (macOS) ``touch -d`` read; explicit, so that a share's server does not put its own
    clock's time instead (NFS does for a plain ``touch``). Undo then takes the folder for one modified since the
    batch (:func:`_left_empty`)."""
    moment = datetime.datetime.fromtimestamp(math.ceil(since), datetime.timezone.utc)
    return f"touch -d {moment:%Y-%m-%dT%H:%M:%SZ} {shell_path(folder)}"


def missing_top(folder: str) -> str | None:
    """The topmost folder of ``folder`` (``folder`` itself included) that does not exist: the one putting a file
    back into ``folder`` makes first. None when ``folder`` exists."""
    top = None
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder, top = os.path.dirname(folder), folder
    return top


def unplugged(folder: str, since: float | None = None) -> Unplugged | None:
    """For the folder a file goes back into (or is looked for in): an :class:`Unplugged` when undo must not make
    it (see the module), None when it is there or may be made. ``since``: when the batch began (a time of
    ``time.time()``), for a folder there that looks like a mount point not mounted."""
    shown = missing_top(folder)
    if shown is None:  # there: but the drive's own top, left empty while it is not mounted (`~/Pictures/phone`)?
        if not _left_empty(folder, since):  # (a listing's first entry for a folder with files: no realpath)
            return None
        real = os.path.realpath(folder)
        return Unplugged(real, folder, empty=real, since=since)
    top = missing_top(os.path.realpath(folder))
    if top is None:  # there after all (made meanwhile)
        return None
    point = _fstab_point(os.path.realpath(folder))
    if point is not None and not mounted(point):
        return Unplugged(top, shown)
    for parent, depth in MOUNT_PARENTS:
        try:
            rel = os.path.relpath(top, parent)
        except ValueError:  # (Windows: on another drive than parent)
            continue
        if rel == os.curdir or parent.startswith(top.rstrip(os.sep) + os.sep):
            return Unplugged(top, shown)  # where drives are mounted is not there itself
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            continue
        parts = len(rel.split(os.sep))
        base = os.path.dirname(top)  # there
        if parts <= depth and not (base != os.path.normpath(parent) and drive_mounted(base)):
            return Unplugged(top, shown, at_root=os.path.normpath(parent) == os.path.normpath(ROOT))
        if parts == depth + 1 and _unmounted(base):
            return Unplugged(top, shown)
    base = os.path.dirname(top)  # (there: the deepest folder of the path that is)
    return Unplugged(top, shown, empty=base, since=since) if _left_empty(base, since) else None


def _left_empty(folder: str, since: float | None) -> bool:
    """Whether ``folder`` (there) looks like the mount point a drive not mounted leaves: empty, not mounted, and not
    modified since ``since`` (:func:`blurscan.pruning.not_mounted`); False where ``since`` is None."""
    # (empty and old first: a folder with files in it, as most are, costs one listing's first entry, not the
    # `ismount` and /proc/self/mountinfo reading of `mounted`)
    return since is not None and not_mounted(None, folder, lambda _: since) and not mounted(folder)


def mounts() -> list[Mount]:
    """The mounts of /proc/self/mountinfo (:data:`MOUNTINFO`), in its order (a mount over another at the same place
    after it), read by :func:`blurscan.mount_table.read` (:mod:`.drive_ids` reads it here too). Raises
    FileNotFoundError where there is none (not Linux: the callers then ask ``os.path.ismount``), OSError or
    ValueError where it cannot be read."""
    return read(MOUNTINFO)


def mounted(folder: str) -> bool:
    """Whether a file system is mounted on ``folder`` (``os.path.ismount``, or listed in /proc/self/mountinfo:
    a bind mount from the same file system)."""
    try:
        if os.path.ismount(folder):
            return True
        points = {m.point for m in mounts()}
    except (OSError, ValueError):
        return False
    return os.path.realpath(folder) in points


def mount_point(folder: str) -> str | None:
    """The folder where the file system holding ``folder`` is mounted (the deepest mount point at or above it, links
    followed; ``folder`` missing: its deepest folder there), when that is not the file system's root: what a move
    records of its ``--to`` (:func:`.journal.create_batch`), by which undo tells a drive not mounted since from a
    folder emptied or deleted by hand, wherever the drive was mounted (``/srv/rejects``, ``/home/me/ext``: not
    where drives are mounted, nor in /etc/fstab; :func:`.restore.restore`). None on the root's file system, or
    where it cannot be told. Without /proc/self/mountinfo (macOS) ``os.path.ismount`` decides."""
    there = folder
    while not os.path.isdir(there) and os.path.dirname(there) != there:
        there = os.path.dirname(there)
    at = os.path.realpath(there)
    try:
        points = {m.point for m in mounts()}
    except FileNotFoundError:
        points = None
    except (OSError, ValueError):
        return None
    while os.path.dirname(at) != at and not (at in points if points is not None else os.path.ismount(at)):
        at = os.path.dirname(at)
    return None if os.path.dirname(at) == at else at


def drive_mounted(folder: str) -> bool:
    """Whether a whole file system (a drive) is mounted on ``folder``: its topmost entry in /proc/self/mountinfo
    has ``/`` as its root (the 4th field). A bind mount of a folder has the folder's path there
    (``-v /media/me:/media/me`` gives ``/media/me``), and its folder is most likely on the system disk, not a
    drive's. Where there is no mountinfo (macOS), ``os.path.ismount``."""
    point = os.path.realpath(folder)
    try:
        roots = [m.root for m in mounts() if m.point == point]
    except FileNotFoundError:
        return os.path.ismount(folder)
    except (OSError, ValueError):
        return False
    return bool(roots) and roots[-1] == "/"  # (a mount over another at the same place is listed after it)


def _fstab_point(folder: str) -> str | None:
    """The deepest mount point listed in /etc/fstab that holds ``folder`` (or is it), links followed; None when
    there is none (no fstab: not Linux, or a container)."""
    try:
        with open(FSTAB, "rb") as fh:
            lines = fh.read().splitlines()
    except (OSError, ValueError):
        return None
    found = None
    for line in lines:
        fields = line.split()  # (spaces or tabs; a space in a path is written \040)
        if len(fields) < 2 or fields[0].startswith(b"#") or fields[2:3] == [b"swap"]:
            continue
        point = unescape(fields[1])
        if not os.path.isabs(point):  # none, swap
            continue
        point = os.path.realpath(point)
        inside = folder == point or folder.startswith(point.rstrip(os.sep) + os.sep)
        if inside and (found is None or len(point) > len(found)):
            found = point
    return found


def _unmounted(mount_point: str) -> bool:
    """Whether ``mount_point`` (a folder where a drive is mounted) is empty and not mounted: the drive's folder
    left while it is not mounted."""
    try:
        with os.scandir(mount_point) as entries:
            empty = next(entries, None) is None
    except OSError:
        return False
    return empty and not mounted(mount_point)
