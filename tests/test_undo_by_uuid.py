"""Undo of a move whose ``--to`` drive is told by its ``/dev/disk/by-uuid`` link (:mod:`blurscan.actions.drive_ids`),
end to end: real file systems on loop devices, as root, in a mount namespace of its own whose ``/dev/disk`` is a
tmpfs holding the links udev would make. An xfs drive has no ``f_fsid`` identity (xfs derives it from the device
number, as FAT does; FAT cannot be mounted on every kernel), so only its link tells it; an ext4 drive's ``f_fsid``,
made from its UUID, checks its link. (``_library`` is ``test_undo_to_unmounted.py``'s, ``_drives`` the folders of
``test_undo_remounted.py``'s.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from blurscan.actions import drive_ids, drives
from helpers_library import sha
from test_undo_to_unmounted import _library

_SBIN = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])

# sh -c ... sh MODE IMAGE OTHER DISK DISK1 DISK2 PYTHON LIB: as root, in a mount namespace of its own. Each block
# device gets the link udev would give it (`link DEV`: /dev/disk/by-uuid/<its UUID> -> it), then MODE plays its case.
# `blkid -p` reads the device itself: blkid's cache (/run/blkid) keeps a loop device's UUID from an earlier image,
# and tests reuse loop numbers (a stale UUID there made a link of another drive's, an identity never recorded).
_BY_UUID = r'''
set -e; mount --make-rprivate /; mkdir -p /dev/disk; mount -t tmpfs udev /dev/disk; mkdir /dev/disk/by-uuid
link() { ln -sfn "$1" "/dev/disk/by-uuid/$(blkid -p -s UUID -o value "$1")"; }
opts=; [ "$(blkid -p -s TYPE -o value "$2")" = xfs ] && opts="-o nouuid"
dev=$(losetup -f --show "$2"); [ "$1" = unlinked ] || link "$dev"; mount "$dev" "$4"
"$7" -m blurscan move "$8" --all-blurry --to "$4/rejects" --yes >/dev/null; cp -a "$4/rejects" "$4.rejects"
umount "$4"; set +e
case "$1" in
  elsewhere) mount "$dev" "$5";;
  unlinked) link "$dev"; mount "$dev" "$5";;
  stale) other=$(losetup -f --show "$3"); mount "$other" "$4"; cp -a "$4.rejects" "$4/rejects"; mount "$dev" "$5"
         ln -sfn "$other" "/dev/disk/by-uuid/$(blkid -p -s UUID -o value "$dev")"; rm "/dev/disk/by-uuid/$(blkid -p -s UUID -o value "$other")";;
  away) other=$(losetup -f --show "$3"); mount "$other" "$4"; cp -a "$4.rejects" "$4/rejects"
        ln -sfn "$other" "/dev/disk/by-uuid/$(blkid -p -s UUID -o value "$dev")"; rm "/dev/disk/by-uuid/$(blkid -p -s UUID -o value "$other")";;
  twins) cp "$2" "$3"; copy=$(losetup -f --show "$3"); mount $opts "$copy" "$6"; mount "$dev" "$5"; link "$copy"
         "$7" -c 'import fcntl, os, sys; fcntl.ioctl(os.open(sys.argv[1], os.O_RDONLY), 0x80111500, bytes(17))' "$5" \
           2>/dev/null || echo "own UUID not told";;
  unreadable) mount "$dev" "$4"; chmod 000 /dev/disk/by-uuid;;
  hung) mount "$dev" "$5"; other=$(losetup -f --show "$3"); mkfifo "$4.up"
        "$7" -c "$HUNG_FUSE" "$other" "$6" > "$4.up" & hung=$!; read up < "$4.up"; echo "$up"
        [ "$up" = hung ] || { kill $hung; losetup -d "$dev" "$other"; exit 0; }
        echo "== report"; timeout -k 5 60 "$7" -m blurscan report "$8" >/dev/null; echo "report: $?";;
esac
old_kernel='import runpy, sys; from blurscan.actions import drive_ids; drive_ids.FS_IOC_GETFSUUID = 0; sys.argv[0] = "blurscan"; runpy.run_module("blurscan", run_name="__main__")'
drop="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
[ "$1" = unreadable ] && { $drop ls /dev/disk/by-uuid >/dev/null 2>&1 && echo "by-uuid still readable"; }
[ "$1" = unreadable ] || drop=
echo "== undo"
bounded=; [ "$1" = hung ] && bounded="timeout -k 5 60"
if [ "$1" = stale ]; then "$7" -c "$old_kernel" undo "$8"; else $drop $bounded "$7" -m blurscan undo "$8"; fi; echo "undo: $?"
[ "$1" = hung ] && { kill $hung; wait $hung; umount "$6"; }
if [ "$1" = unreadable ]; then  # (a kernel before 6.10: FS_IOC_GETFSUUID answers no file system)
  $drop "$7" -m blurscan move "$8" --all-blurry --to "$4/again" --yes >/dev/null; umount "$4"; mount "$dev" "$4"
  echo "== old kernel"
  $drop "$7" -c "$old_kernel" undo "$8"
  echo "undo: $?"
fi
losetup -d "$dev" ${other:-} ${copy:-}  # (those still mounted go when this namespace's mounts do)
exit 0
'''

# python -c HUNG_FUSE DEVICE POINT: a FUSE file system of a block device (``fuseblk``, as ntfs-3g mounts a drive; DEVICE
# ``none``: a plain ``fuse`` one, as sshfs's) whose program never answers, as one hangs on a drive pulled out or a NAS
# gone: whatever opens or stats its root waits until this process ends (the connection then aborted). Needs no FUSE
# library: ``/dev/fuse`` and mount(2). Prints ``hung`` once mounted, else why not.
HUNG_FUSE = r'''
import ctypes, os, signal, sys
try:
    fd = os.open("/dev/fuse", os.O_RDWR)
except OSError as e:
    sys.exit(print(f"no /dev/fuse: {e}", flush=True))
libc = ctypes.CDLL(None, use_errno=True)
kind = b"fuse" if sys.argv[1] == "none" else b"fuseblk"
options = f"fd={fd},rootmode=40000,user_id=0,group_id=0{',blksize=4096' if kind == b'fuseblk' else ''}".encode()
if libc.mount(sys.argv[1].encode(), sys.argv[2].encode(), kind, 0, options) != 0:
    sys.exit(print(f"no {kind.decode()} mount: {os.strerror(ctypes.get_errno())}", flush=True))
print("hung", flush=True)
signal.pause()
'''


def _run(tmp_path, mode: str, fs: str):
    """``move --to DISK/rejects`` of ``_library``'s blurry photos onto a real ``fs`` drive linked in
    ``/dev/disk/by-uuid``, unmounted, then ``mode`` played (``_BY_UUID``) and undo run: ``(completed process, lib,
    SHA-256 of the blurry by name, DISK, DISK1, DISK2)``; skipped where that cannot be done here."""
    mkfs = shutil.which(f"mkfs.{fs}", path=_SBIN)
    if os.geteuid() != 0 or mkfs is None or any(shutil.which(t, path=_SBIN) is None
                                                for t in ("unshare", "losetup", "blkid", "setpriv")):
        pytest.skip(f"needs root, mkfs.{fs}, unshare, losetup, blkid and setpriv")
    lib, blurry = _library(tmp_path)
    media = tmp_path.resolve() / "media"
    disk, disk1, disk2 = media / "DISK", media / "DISK1", media / "DISK2"
    for folder in (disk, disk1, disk2):
        folder.mkdir(parents=True)
    images = [tmp_path / "drive.img", tmp_path / "other.img"]
    for image in images:
        with open(image, "wb") as fh:
            fh.truncate((300 if fs == "xfs" else 16) << 20)  # (sparse; xfs refuses less than 300 MiB)
        subprocess.run([mkfs, "-q", *(["-F"] if fs == "ext4" else []), str(image)], check=True, capture_output=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --make-rprivate / && mount -t tmpfs udev /dev/disk && '
                            'mount -o loop "$1" "$2" && umount "$2"', "sh", images[0], disk], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs on /dev/disk and an {fs} loop device in a mount namespace here")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _BY_UUID, "sh", mode, *images, disk, disk1, disk2,
                          sys.executable, lib], capture_output=True, text=True, timeout=240,
                         env={**os.environ, "HUNG_FUSE": HUNG_FUSE})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran, lib, blurry, disk, disk1, disk2


@pytest.mark.slow
def test_a_drive_with_no_fsid_identity_is_followed_by_its_by_uuid_link(tmp_path):
    """An xfs ``--to`` drive, linked in ``/dev/disk/by-uuid`` (its only identity), mounted again at ``DISK1``:
    undo takes the photos back from there, saying so."""
    ran, lib, blurry, disk, disk1, _ = _run(tmp_path, "elsewhere", "xfs")
    assert ran.stdout == (f"== undo\nthe drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos "
                          "back from there\nbatch 1: restored 2 files, removed 1 empty folder the move had created.\n"
                          "undo: 0\n"), ran.stdout + ran.stderr
    assert {name: sha(lib / name) for name in blurry} == blurry


@pytest.mark.slow
def test_without_its_link_a_drive_with_no_fsid_identity_is_waited_for_where_it_was(tmp_path):
    """The same xfs drive with no link when the photos were moved onto it (no udev: nothing recorded of it but
    where it was mounted), linked when it is mounted again at ``DISK1``: undo waits for it at ``DISK``, as
    before."""
    ran, lib, _, disk, _, _ = _run(tmp_path, "unlinked", "xfs")
    assert (f"cannot be reached: {disk}, where its drive was mounted when the batch moved it, is not mounted now (is "
            "the drive unplugged?); mount it there and run undo again") in ran.stderr, ran.stderr
    assert "undo: 1\n" in ran.stdout and not (lib / "b1.jpg").exists(), ran.stdout


@pytest.mark.slow
def test_a_by_uuid_link_left_naming_another_file_system_is_not_believed(tmp_path):
    """The ext4 ``--to`` drive mounted at ``DISK1``, and another ext4 file system mounted at ``DISK`` (holding copies
    of the moved files at their paths) on the device its stale ``/dev/disk/by-uuid`` link names: its ``f_fsid``,
    made from its own UUID, says it is not the drive (undo run as on a kernel before 6.10, which tells no file
    system's own UUID: the ``f_fsid`` alone tells it; kills the mutant of :func:`blurscan.actions.drive_ids._agrees`
    that drops that check), and undo takes the photos back from ``DISK1``. Until
    2026-12-07 (later that day) the link was believed: undo took the other file system for the drive, found the
    files missing there, and closed the batch."""
    ran, lib, blurry, disk, disk1, _ = _run(tmp_path, "stale", "ext4")
    assert (f"the drive of batch 1 is now mounted at {disk1} (not {disk}); taking the photos back from there\n"
            "batch 1: restored 2 files, removed 1 empty folder the move had created.\nundo: 0\n") in ran.stdout, \
        ran.stdout + ran.stderr
    assert {name: sha(lib / name) for name in blurry} == blurry
    assert sorted(os.listdir(disk.parent / "DISK.rejects")) == ["b1.jpg", "b2.jpg"]


@pytest.mark.slow
def test_a_copy_no_link_names_beside_its_drive_is_seen(tmp_path):
    """The xfs ``--to`` drive mounted at ``DISK1`` and a ``cp`` copy of its image (one UUID) at ``DISK2``, the link
    naming the copy only (udev links one device of a UUID): the kernel tells the drive's own UUID
    (``FS_IOC_GETFSUUID``), so both are seen and undo takes from neither, naming both. Until 2026-12-07 (later that
    day) undo took the photos from the copy, the one the link named."""
    ran, lib, _, disk, disk1, disk2 = _run(tmp_path, "twins", "xfs")
    if "own UUID not told" in ran.stdout:
        pytest.skip("this kernel does not tell a file system's own UUID (FS_IOC_GETFSUUID: Linux 6.10 on)")
    assert (f"is not where it is mounted now, and drives of its identity are mounted at {disk2} and {disk1}, one "
            "most likely a copy of it") in ran.stderr, ran.stderr
    assert "undo: 1\n" in ran.stdout and "now mounted at" not in ran.stdout, ran.stdout
    assert not (lib / "b1.jpg").exists()


@pytest.mark.slow
def test_an_unreadable_by_uuid_does_not_make_the_drive_where_it_was_another(tmp_path):
    """The xfs ``--to`` drive mounted at ``DISK`` again, ``/dev/disk/by-uuid`` unreadable to undo (no
    ``CAP_DAC_OVERRIDE``, mode 000): undo takes the photos back, told by the drive's own UUID; and on a kernel that
    does not tell it (``FS_IOC_GETFSUUID`` answering nothing, as before Linux 6.10), the next batch's are taken back
    too, the drive where it was being taken for itself, as for a batch with no identity (that batch made with
    ``/dev/disk/by-uuid`` unreadable too: kills the mutant of :func:`blurscan.actions.drive_ids.identity` that passes
    its None on, the move then failing). Until 2026-12-07 (later that day) undo said ``DISK`` "holds another file
    system now" and put nothing back."""
    ran, lib, blurry, disk, _, _ = _run(tmp_path, "unreadable", "xfs")
    assert "by-uuid still readable" not in ran.stdout, ran.stdout
    assert ran.stdout.startswith("== undo\nbatch 1: restored 2 files, removed 1 empty folder the move had created.\n"
                                 "undo: 0\n== old kernel\nbatch 2: restored 2 files, removed 1 empty folder the move "
                                 "had created.\nundo: 0\n"), ran.stdout + ran.stderr
    assert {name: sha(lib / name) for name in blurry} == blurry


@pytest.mark.slow
def test_a_by_uuid_link_left_naming_another_file_system_with_no_fsid_is_not_taken_for_the_drive(tmp_path):
    """The xfs ``--to`` drive unplugged, another xfs file system mounted at ``DISK`` (holding copies of the moved
    files at their paths) on the device the drive's stale ``/dev/disk/by-uuid`` link names: its own UUID says it is
    not the drive, and undo takes nothing from it, saying ``DISK`` holds another file system. Kills the mutant of
    :func:`blurscan.actions.drive_ids._agrees` that drops its check of the file system's own UUID (xfs has no
    ``f_fsid`` identity): the link then believed, and the copies there taken."""
    ran, lib, _, disk, _, _ = _run(tmp_path, "away", "xfs")
    assert (f"cannot be reached: {disk}, where its drive was mounted when the batch moved it, holds another file "
            "system now (is the drive unplugged?); mount the drive there and run undo again") in ran.stderr, \
        ran.stdout + ran.stderr
    assert "undo: 1\n" in ran.stdout and not (lib / "b1.jpg").exists(), ran.stdout


@pytest.mark.slow
def test_a_hung_fuse_drive_mounted_elsewhere_is_not_waited_on(tmp_path):
    """The ext4 ``--to`` drive mounted again at ``DISK1``, and at ``DISK2`` a FUSE file system of a block device
    (``fuseblk``: ntfs-3g's kind) whose program hangs: report and undo look for the batch's drive among the block
    devices mounted (its identity has a UUID) without opening the hung one, and undo takes the photos back from
    ``DISK1``. Until 2026-12-07 each opened its root to ask its own UUID and waited as long as it hung."""
    ran, lib, blurry, disk, disk1, _ = _run(tmp_path, "hung", "ext4")
    if not ran.stdout.startswith("hung\n"):
        pytest.skip(f"cannot mount a FUSE file system here: {ran.stdout.splitlines()[0] if ran.stdout else ran.stderr}")
    assert ran.stdout == (f"hung\n== report\nreport: 0\n== undo\nthe drive of batch 1 is now mounted at {disk1} (not "
                          f"{disk}); taking the photos back from there\nbatch 1: restored 2 files, removed 1 empty folder "
                          "the move had created.\nundo: 0\n"), ran.stdout + ran.stderr
    assert {name: sha(lib / name) for name in blurry} == blurry


def test_a_fuse_file_system_is_never_opened_to_ask_its_own_uuid(tmp_path, monkeypatch):
    """Looking for a drive told by its UUID, each block device mounted is asked its own (a copy no link names), but
    never a FUSE one's (``fuseblk``, ``fuse.sshfs``): a program answers it, which may hang; the kernel tells no FUSE
    file system's own UUID anyway. Until 2026-12-07 ``fuseblk`` drives were opened."""
    table = tmp_path / "mountinfo"
    table.write_text("27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                     "40 27 8:1 / /media/me/DISK rw - ext4 /dev/sdb1 rw\n"
                     "41 27 8:17 / /media/me/NTFS rw - fuseblk /dev/sdc1 rw,user_id=0,group_id=0\n"
                     "42 27 0:52 / /home/me/nas rw - fuse.sshfs me@nas:/ rw,user_id=0,group_id=0\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(table))
    monkeypatch.setattr(drive_ids, "BY_UUID", str(tmp_path / "by-uuid"))  # (none: every block device asked)
    asked = []
    monkeypatch.setattr(drive_ids, "_own_uuid", lambda point: asked.append(point))
    assert drive_ids.mounted_at("uuid:1A2B-3C4D") is None
    assert asked == ["/", "/media/me/DISK"]
