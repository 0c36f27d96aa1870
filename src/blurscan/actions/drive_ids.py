"""Which file system is mounted at a folder, by an identity that stays when the drive is mounted again elsewhere: a
USB drive plugged in again is often mounted at another place (``/media/me/DISK`` taken, so ``/media/me/DISK1``;
another desktop; ``/mnt/x`` by hand). What undo needs to find a batch's drive there (:mod:`.batch_drives`), and
to tell it from another file system that merely sits where the batch's drive was.

An identity (:func:`identity`) is one or more words, any one of which, shared, is the same file system:

* ``uuid:<UUID>``: the file system's UUID (a FAT or exFAT drive's serial, ``1A2B-3C4D``), where
  ``/dev/disk/by-uuid`` names its device (udev; not in most containers). Readable without root.
* ``fsid:<type>:<hex>``: ``statvfs``'s ``f_fsid``, only for the types whose Linux driver derives it from the
  UUID or serial on the disk: ext2/3/4 (checked: the same across unmounts, loop devices and mount points), btrfs,
  ntfs3. vfat, exfat, xfs and f2fs derive it from the device number (``/dev/sdb1``), which another drive plugged in
  there later shares: never used.

A file system none of these name has no identity: a batch onto it is undone as before (its drive looked for where
it was mounted only).
"""
from __future__ import annotations

import os

from . import drives

#: Types whose ``f_fsid`` comes from the file system's own UUID or serial, each with the name it is recorded by
#: (ext2 and ext3 are mounted by the ext4 driver, by either name).
FSID_TYPES = {"ext2": "ext", "ext3": "ext", "ext4": "ext", "btrfs": "btrfs", "ntfs3": "ntfs3"}
BY_UUID = "/dev/disk/by-uuid"


def mounts() -> list[drives.Mount]:
    """:func:`.drives.mounts`; none where /proc/self/mountinfo cannot be read (not Linux)."""
    try:
        return drives.mounts()
    except (OSError, ValueError):
        return []


def identity(point: str) -> str | None:
    """The identity of the file system mounted whole at ``point`` (a mount point, as :func:`.drives.mount_point`
    gives it), or None where none can be told (see the module), or where a folder of one is mounted there (a bind
    mount, ``-v /srv/x:/media/me/DISK``: that file system mounted whole elsewhere is no drive mounted again)."""
    here = [m for m in mounts() if m.point == os.path.realpath(point)]
    return _identity(here[-1], _uuids()) if here and here[-1].root == "/" else None


class Twins(tuple):
    """The mount points (in the mount table's order, one a device) of more than one device of one identity, none
    where the drive was asked for (:func:`mounted_at`): a drive and a ``dd`` copy of it, mounted at once (two loop
    devices, the same ext4 UUID, so the same ``f_fsid``). Which is the drive cannot be told: its files are taken
    from neither (the copy's may differ), and what is said of it names them all, to unmount the copy or to mount the
    drive where it was (:func:`.batch_drives.not_there`, :func:`.batch_drives.mounted_elsewhere`). Until 2026-12-07
    the first in the mount table was taken for the drive."""


def mounted_at(ident: str, preferred: str | None = None) -> str | Twins | None:
    """Where a file system of identity ``ident`` (:func:`identity`) is mounted whole now: ``preferred`` (where it
    was) when it is there, else the first such mount point; :class:`Twins` where they are of more than one device
    (the same file system mounted at two places, a bind mount of it, is one device: its first place); None when it
    is mounted nowhere."""
    found = _devices(ident)
    preferred = None if preferred is None else os.path.realpath(preferred)
    if any(preferred in points for points in found.values()):
        return preferred
    if len(found) > 1:
        return Twins(points[0] for points in found.values())
    return next(iter(found.values()))[0] if found else None


def copies(ident: str, point: str) -> Twins | None:
    """Where a file system of identity ``ident`` is mounted at ``point`` (where the drive was) and another device of
    it elsewhere (a ``dd`` copy of the drive and the drive, one of them at ``point``): :class:`Twins`, ``point``
    first, then the first place of each other device; else None. A file the drive held, not found at ``point``,
    may be on the drive mounted elsewhere, the one at ``point`` its copy: not gone (:mod:`.undo`)."""
    point = os.path.realpath(point)
    found = _devices(ident)
    if len(found) < 2 or not any(point in points for points in found.values()):
        return None
    return Twins([point] + [points[0] for points in found.values() if point not in points])


def _devices(ident: str) -> dict[int, list[str]]:
    """Device -> its mount points, of the file systems of identity ``ident`` mounted whole now."""
    words = set(ident.split())
    if not words:
        return {}
    types = {w.split(":")[1] for w in words if w.startswith("fsid:") and w.count(":") == 2}
    uuids = _uuids() if any(w.startswith("uuid:") for w in words) else {}
    found: dict[int, list[str]] = {}  # device -> its mount points
    for mount in mounts():
        if mount.root != "/" or not (mount.device in uuids or FSID_TYPES.get(mount.fstype) in types):
            continue  # (statvfs only of the types recorded: never of a share that may hang)
        here = _identity(mount, uuids)
        if here is not None and words & set(here.split()):
            found.setdefault(mount.device, []).append(mount.point)
    return found


def _identity(mount: drives.Mount, uuids: dict[int, str]) -> str | None:
    words = [f"uuid:{uuids[mount.device]}"] if mount.device in uuids else []
    kind = FSID_TYPES.get(mount.fstype)
    if kind is not None:
        try:
            fsid = os.statvfs(mount.point).f_fsid
        except (OSError, AttributeError):
            fsid = 0
        if fsid:
            words.append(f"fsid:{kind}:{fsid:x}")
    return " ".join(words) or None


def _uuids() -> dict[int, str]:
    """Device -> its file system's UUID, as ``/dev/disk/by-uuid`` links them; empty without it."""
    try:
        names = os.listdir(BY_UUID)
    except OSError:
        return {}
    found = {}
    for name in names:
        try:
            found[os.stat(os.path.join(BY_UUID, name)).st_rdev] = name
        except OSError:
            continue
    return found
