"""Which file system is mounted at a folder, by an identity that stays when the drive is mounted again elsewhere: a
USB drive plugged in again is often mounted at another place (``/media/me/DISK`` taken, so ``/media/me/DISK1``;
another desktop; ``/mnt/x`` by hand). What undo needs to find a batch's drive there (:mod:`.batch_drives`), and
to tell it from another file system that merely sits where the batch's drive was.

An identity (:func:`identity`) is one or more words, any one of which, shared, is the same file system:

* ``uuid:<UUID>``: the file system's UUID (a FAT or exFAT drive's serial, ``1A2B-3C4D``), where
  ``/dev/disk/by-uuid`` names its device (udev; not in most containers). Readable without root.
* ``uuid:<SERIAL>`` too for an NTFS drive (ntfs-3g's ``fuseblk``, ``ntfs3``): its volume serial, read from the
  boot sector of its device where that can be read (root, the ``disk`` group), in the form udev names it
  (``019B2B941AD450E9``): ntfs-3g's ``f_fsid`` is 0, and without udev (a container, a minimal system) nothing else
  tells the drive. Until 2026-12-07 such a drive mounted again at another place was not found: undo said to mount
  it where it was.
* ``uuid:<SERIAL>`` too for a FAT or exFAT drive (a camera's card: ``vfat``, ``msdos``, ``exfat``, exfat-fuse's
  ``fuseblk``), read the same way (:func:`boot_serial`): ``1A2B-3C4D``, as its ``/dev/disk/by-uuid`` link names it.
  Until 2026-12-07 (the night) such a card had no identity without udev. ``fusefat``'s mount names no device: none.
* ``fsid:<type>:<hex>``: ``statvfs``'s ``f_fsid``, only for the types whose Linux driver derives it from the
  UUID or serial on the disk: ext2/3/4 (checked: the same across unmounts, loop devices and mount points), btrfs,
  ntfs3. vfat, exfat, xfs and f2fs derive it from the device number (``/dev/sdb1``), which another drive plugged in
  there later shares: never used.

A file system none of these name has no identity: a batch onto it is undone as before (its drive looked for where
it was mounted only).

A ``/dev/disk/by-uuid`` link is udev's word, not the disk's: one left naming a device that now holds another file
system, or one naming only one of a drive and its ``dd`` copy (both of one UUID), would have the wrong file system
taken for the drive. Where the kernel tells a file system's own UUID (``FS_IOC_GETFSUUID``, Linux 6.10 on: ext4,
xfs, btrfs; not FAT), a link it contradicts is not believed, and the block devices mounted now are asked theirs, so
that a copy no link names is seen (:class:`Twins`); an ext file system's ``f_fsid``, made from its UUID, checks the
link on any kernel. Where ``/dev/disk/by-uuid`` cannot be read (no udev, no permission) and nothing else tells the
file system mounted where the drive was, it is taken for the drive, as for a batch with no identity (until
2026-12-07 it was taken for another file system: undo refused the drive mounted right where it was).
"""
from __future__ import annotations

import os

from . import drives

#: ``ioctl`` asking the file system of an open file for its own UUID: ``_IOR(0x15, 0, struct fsuuid2)``, the struct
#: a length byte and 16 bytes (Linux 6.10 on; ENOTTY before, and where a file system keeps none).
FS_IOC_GETFSUUID = 0x80111500
#: Types whose ``f_fsid`` comes from the file system's own UUID or serial, each with the name it is recorded by
#: (ext2 and ext3 are mounted by the ext4 driver, by either name).
FSID_TYPES = {"ext2": "ext", "ext3": "ext", "ext4": "ext", "btrfs": "btrfs", "ntfs3": "ntfs3"}
#: Types whose volume serial is read from the boot sector of their device (:func:`_serial`): an NTFS drive's
#: (ntfs-3g's FUSE ``fuseblk``, the kernel's ``ntfs3`` and older ``ntfs``), an exFAT one's (``exfat``, exfat-fuse's
#: ``fuseblk``), a FAT one's (:data:`FAT_TYPES`): told apart by the boot sector.
SERIAL_TYPES = ("fuseblk", "ntfs", "ntfs3", "exfat", "vfat", "msdos")
#: Types a FAT drive (a camera's card) is mounted as: the kernel's ``vfat`` and ``msdos``, or a FUSE driver's
#: ``fuseblk`` of its block device (fusefat's ``fuse.fusefat`` is of no device: no serial told).
FAT_TYPES = ("vfat", "msdos", "fuseblk")
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
    return _identity(here[-1], _uuids() or {}) if here and here[-1].root == "/" else None


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
    is mounted nowhere. ``preferred`` also where ``ident`` is told by UUID only, ``/dev/disk/by-uuid`` cannot be
    read, and nothing tells the file system mounted there (see the module)."""
    found, untold = _devices(ident)
    preferred = None if preferred is None else os.path.realpath(preferred)
    if any(preferred in points for points in found.values()):
        return preferred
    if len(found) > 1:
        return Twins(points[0] for points in found.values())
    if found:
        return next(iter(found.values()))[0]
    return preferred if preferred in untold else None


def copies(ident: str, point: str) -> Twins | None:
    """Where a file system of identity ``ident`` is mounted at ``point`` (where the drive was) and another device of
    it elsewhere (a ``dd`` copy of the drive and the drive, one of them at ``point``): :class:`Twins`, ``point``
    first, then the first place of each other device; else None. A file the drive held, not found at ``point``,
    may be on the drive mounted elsewhere, the one at ``point`` its copy: not gone (:mod:`.undo`)."""
    point = os.path.realpath(point)
    found, _untold = _devices(ident)
    if len(found) < 2 or not any(point in points for points in found.values()):
        return None
    return Twins([point] + [points[0] for points in found.values() if point not in points])


def _devices(ident: str) -> tuple[dict[int, list[str]], set[str]]:
    """Device -> its mount points, of the file systems of identity ``ident`` mounted whole now; and, where ``ident``
    is told by UUID only and ``/dev/disk/by-uuid`` cannot be read, the mount points whose file system nothing tells
    (else none)."""
    words = set(ident.split())
    if not words:
        return {}, set()
    types = {w.split(":")[1] for w in words if w.startswith("fsid:") and w.count(":") == 2}
    by_uuid = any(w.startswith("uuid:") for w in words)
    uuids = _uuids() if by_uuid else {}
    found: dict[int, list[str]] = {}  # device -> its mount points
    untold: set[str] = set()  # mount points whose file system nothing tells
    for mount in mounts():
        probe = by_uuid and _block(mount)  # (its own UUID: a copy no link names)
        if mount.root != "/" or not (mount.device in (uuids or {}) or FSID_TYPES.get(mount.fstype) in types or probe):
            continue  # (statvfs only of the types recorded, ioctl only of block devices: never of a share that may hang)
        here = _identity(mount, uuids or {}, probe)
        if here is None:
            untold.add(mount.point)
        elif words & set(here.split()):
            found.setdefault(mount.device, []).append(mount.point)
    return found, (untold if uuids is None and not types else set())


def _identity(mount: drives.Mount, uuids: dict[int, str], probe: bool = False) -> str | None:
    """The words of ``mount``'s identity: its ``/dev/disk/by-uuid`` name (``uuids``) unless its file system's own
    UUID or ext ``f_fsid`` contradicts it, or with ``probe`` its own UUID where no link names it; its ``f_fsid``."""
    own = _own_uuid(mount.point) if (probe or mount.device in uuids) and not _daemon_answered(mount) else None
    linked = uuids.get(mount.device)
    kind = FSID_TYPES.get(mount.fstype)
    fsid = 0
    if kind is not None:
        try:
            fsid = os.statvfs(mount.point).f_fsid
        except (OSError, AttributeError):
            fsid = 0
    if linked is not None and not _agrees(linked, own, fsid if kind == "ext" else 0):
        linked = None  # (a link left naming this device while another file system is on it: not believed)
    serial = _serial(mount) if mount.fstype in SERIAL_TYPES else None
    if serial is not None:
        linked = serial  # (the volume's own serial, as udev names it: over a link, or where none names it)
    if linked is None and probe and own is not None:
        linked = "-".join((own[:8], own[8:12], own[12:16], own[16:20], own[20:]))
    words = [f"uuid:{linked}"] if linked is not None else []
    if fsid:
        words.append(f"fsid:{kind}:{fsid:x}")
    return " ".join(words) or None


def _agrees(name: str, own: str | None, ext_fsid: int) -> bool:
    """Whether ``name``, a ``/dev/disk/by-uuid`` name, is the UUID of the file system whose own UUID is ``own``
    (32 hex digits, None where not told) and whose ext ``f_fsid`` is ``ext_fsid`` (0: not ext, or not told); a
    name not of 32 hex digits (FAT's ``1A2B-3C4D``) is not checked."""
    digits = name.replace("-", "").lower()
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        return True
    if len(raw) != 16:
        return True
    if own is not None and own != digits:
        return False
    # (ext4_statfs: the UUID's two halves, little-endian, XORed)
    return not ext_fsid or ext_fsid == int.from_bytes(raw[:8], "little") ^ int.from_bytes(raw[8:], "little")


def _block(mount: drives.Mount) -> bool:
    """Whether ``mount`` is of a block device (a disk, a partition, a loop device): not a share, tmpfs, overlay or
    FUSE file system, whose device numbers are anonymous (major 0), nor a btrfs subvolume's."""
    return mount.device is not None and os.major(mount.device) != 0


def _serial(mount: drives.Mount) -> str | None:
    """The volume serial the boot sector of ``mount``'s block device keeps (:func:`boot_serial`), in the form blkid
    and udev's ``/dev/disk/by-uuid`` name it; None where it is no block device, its device cannot be read (no
    permission: the ``disk`` group or root only), or its boot sector is none of NTFS, exFAT or FAT."""
    if not _block(mount) or mount.device is None:
        return None
    dev = f"{os.major(mount.device)}:{os.minor(mount.device)}"
    try:
        with open(f"/sys/dev/block/{dev}/uevent", encoding="utf-8") as fh:
            name = next((line.strip()[8:] for line in fh if line.startswith("DEVNAME=")), "")
        path = os.path.join("/dev", name)
        if not name or os.stat(path).st_rdev != mount.device:
            return None
        with open(path, "rb") as fh:
            boot = fh.read(512)
    except (OSError, UnicodeDecodeError):
        return None
    return boot_serial(boot, fat=mount.fstype in FAT_TYPES)


def boot_serial(boot: bytes, fat: bool = True) -> str | None:
    """The volume serial a boot sector (its first 512 bytes) keeps, as blkid and udev name it: an NTFS one's (8 bytes
    at 0x48: ``019B2B941AD450E9``), an exFAT one's (VolumeSerialNumber, 4 bytes at 0x64: ``1A2B-3C4D``), and with
    ``fat`` (a type a FAT drive is mounted as: :data:`FAT_TYPES`) a FAT one's (its volume ID, 4 bytes at 0x27 of a
    FAT12/16 boot sector, at 0x43 of a FAT32 one: told by the BPB, FAT32's sectors per FAT at 0x16 being 0, never by
    the ``FAT16``/``FAT32`` label, which is informative only); None where it keeps none (0, or no extended boot
    signature) or is none of these."""
    if len(boot) < 512:
        return None
    if boot[3:11] == b"NTFS    ":
        serial = int.from_bytes(boot[0x48:0x50], "little")
        return f"{serial:016X}" if serial else None
    if boot[3:11] == b"EXFAT   ":
        return _dos_serial(boot[0x64:0x68])
    if not fat or not _fat_bpb(boot):
        return None
    at = 0x27 if int.from_bytes(boot[0x16:0x18], "little") else 0x43  # (FAT12/16 | FAT32: sectors per FAT)
    return _dos_serial(boot[at:at + 4]) if boot[at - 1] in (0x28, 0x29) else None  # (its extended boot signature)


def _fat_bpb(boot: bytes) -> bool:
    """Whether ``boot`` holds a FAT BIOS parameter block, as the kernel's and blkid's FAT drivers check it: bytes per
    sector a power of two 512 to 4096, sectors per cluster a power of two, reserved sectors and FATs not 0, sectors
    per FAT (FAT12/16's, else FAT32's) not 0, and the boot sector's 0x55AA."""
    size, cluster = int.from_bytes(boot[0x0B:0x0D], "little"), boot[0x0D]
    fat16, fat32 = int.from_bytes(boot[0x16:0x18], "little"), int.from_bytes(boot[0x24:0x28], "little")
    return (size in (512, 1024, 2048, 4096) and cluster and not cluster & (cluster - 1)
            and int.from_bytes(boot[0x0E:0x10], "little") and boot[0x10] and (fat16 or fat32)
            and boot[510:512] == b"\x55\xaa")


def _dos_serial(raw: bytes) -> str | None:
    """A FAT or exFAT volume serial (4 bytes, little-endian) as blkid prints it, ``1A2B-3C4D``; None for 0."""
    serial = int.from_bytes(raw, "little")
    return f"{serial >> 16:04X}-{serial & 0xFFFF:04X}" if serial else None


def _daemon_answered(mount: drives.Mount) -> bool:
    """Whether ``mount`` is a FUSE file system (``fuse``, ``fuse.sshfs``; ``fuseblk``: ntfs-3g's or exfat-fuse's, of
    a block device, so a :func:`_block` one): a program answers its opening, and one hung (a NAS gone, a drive pulled
    out from under ntfs-3g) hangs whoever opens its root. Its own UUID is never told anyway (the kernel answers
    ``FS_IOC_GETFSUUID`` only for a file system that gave it one, which FUSE does not), so it is never opened: a
    batch's drive looked for no longer waits on a hung one mounted elsewhere (until 2026-12-07 undo and report
    waited there as long as it hung)."""
    return mount.fstype.split(".")[0] in ("fuse", "fuseblk")


def _own_uuid(point: str) -> str | None:
    """The UUID the file system mounted at ``point`` keeps (``FS_IOC_GETFSUUID``), 32 hex digits; None where it is
    not told (a kernel before 6.10, a file system that keeps none or a 16-byte one of zeros, ``point`` unreadable)."""
    try:
        import fcntl

        fd = os.open(point, os.O_RDONLY | os.O_DIRECTORY | os.O_NONBLOCK)
    except (ImportError, OSError):
        return None
    try:
        answer = fcntl.ioctl(fd, FS_IOC_GETFSUUID, bytes(17))
    except (OSError, OverflowError):
        return None
    finally:
        os.close(fd)
    told = answer[1:1 + answer[0]]
    return told.hex() if len(told) == 16 and any(told) else None


def _uuids() -> dict[int, str] | None:
    """Device -> its file system's UUID, as ``/dev/disk/by-uuid`` links them; None where it cannot be read (no udev,
    no permission)."""
    try:
        names = os.listdir(BY_UUID)
    except OSError:
        return None
    found = {}
    for name in names:
        try:
            found[os.stat(os.path.join(BY_UUID, name)).st_rdev] = name
        except OSError:
            continue
    return found
