"""Undo's drive guard (:mod:`blurscan.actions.drives`): a missing folder where drives are mounted is not made, so
photos do not land on the system disk while their drive is unplugged. Each test plays the folders where drives
are mounted with ``tmp_path`` (``drives.MOUNT_PARENTS``), and the mount tables where they matter with files of
their own (``drives.MOUNTINFO``, ``drives.FSTAB``)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.actions import drives
from blurscan.cli import main
from helpers_library import build_library, decide, sha


def _move_img4(store, root, db, to):
    """Move ``b/c/IMG_4.jpg`` out of the library at ``root`` (database ``db``) to ``to``."""
    decide(store, os.path.join(root, "b", "c", "IMG_4.jpg"), "discard")
    store.close()
    moved = CliRunner().invoke(main, ["move", str(root), "--db", str(db), "--to", str(to), "--yes"])
    assert moved.exit_code == 0, moved.output


def _undo(db):
    return CliRunner().invoke(main, ["undo", "--db", str(db)])


def _mountinfo(tmp_path, monkeypatch, *mounts):
    """/proc/self/mountinfo with ``/`` and ``mounts``, each (root, mount point): root ``/`` for a whole file
    system mounted there, a folder's path for a bind mount of that folder."""
    lines = ["27 1 254:0 / / rw,relatime - ext4 /dev/vda rw"]
    for n, (root, point) in enumerate(mounts):
        escaped = str(point).replace("\\", "\\134").replace(" ", "\\040")
        lines.append(f"{40 + n} 27 8:{n + 1} {root} {escaped} rw,nosuid shared:{n + 1} - ext4 /dev/sd{'bc'[n]}1 rw")
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))


def test_a_folder_renamed_in_a_mounted_drives_root_is_made_again(tmp_path, monkeypatch):
    """``/media/usb0/trip`` renamed, ``/media/usb0`` a drive mounted there (usbmount, or a mount by hand): undo
    refused to make ``trip`` again, saying the drive was unplugged. Made again, with the note, when the drive's
    folder is mounted; still refused when it is not (the drive's folder left behind)."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 2),))
    usb0 = tmp_path / "media" / "usb0"
    trip = usb0 / "trip"
    store, f = build_library(trip, db=tmp_path / "elsewhere.db")
    before = sha(f["IMG_4"])
    _move_img4(store, trip, tmp_path / "elsewhere.db", tmp_path / "rej")
    os.rename(trip, usb0 / "trip-2024")
    _mountinfo(tmp_path, monkeypatch)  # usb0 not mounted
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1 and f"{trip} is not there (is the drive unplugged?)" in out.stderr, out.output
    assert not os.path.exists(trip)
    _mountinfo(tmp_path, monkeypatch, ("/", usb0))  # a drive mounted at usb0
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and out.stdout.startswith("batch 1: restored 1 file"), out.output
    assert out.stderr == (f"note: {trip} was no longer there (renamed, moved or deleted since batch 1?); undo made "
                          "it again to put 1 file back in it\n")
    assert sha(f["IMG_4"]) == before


def test_a_bind_mounted_folder_above_a_missing_drive_is_no_proof_the_drive_is_there(tmp_path, monkeypatch):
    """blurscan in a container run with ``-v /media/me:/media/me``: ``/media/me`` is a mount point there, but a
    bind mount of the host's folder (mountinfo's root field ``/media/me``, not ``/``), on the host's system disk.
    With the drive unplugged, undo took the mount for a drive mounted at ``/media/me`` and made
    ``/media/me/Drive/...`` on the host's system disk, hidden under the drive once it is mounted again."""
    media = tmp_path / "media"
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(media), 2),))
    drive = media / "me" / "Drive"
    store, f = build_library(drive, db=tmp_path / "elsewhere.db")
    before = sha(f["IMG_4"])
    _move_img4(store, drive, tmp_path / "elsewhere.db", tmp_path / "rej")
    os.rename(drive, tmp_path / "unplugged")
    _mountinfo(tmp_path, monkeypatch, ("/media/me", media / "me"))
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1, out.output
    assert (f"{f['IMG_4']}: not put back: {drive} is not there (is the drive unplugged?); undo does not make a "
            "drive's folder") in out.stderr
    assert os.listdir(media / "me") == []
    os.rename(tmp_path / "unplugged", drive)  # the drive back
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and sha(f["IMG_4"]) == before, out.output


def test_a_folder_in_an_fstab_mount_point_not_mounted_is_not_made(tmp_path, monkeypatch):
    """A NAS share listed in /etc/fstab with its mount point outside the folders where drives are mounted
    (``/home/me/my nas``), not mounted: the mount point stays, empty, and undo made the photos' folder in it, on
    the system disk, hidden under the share once it is mounted again. Refused now; with the share mounted, a
    folder renamed on it is an ordinary folder, made again."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 2),))
    nas = tmp_path / "home" / "me" / "my nas"
    fstab = tmp_path / "fstab"
    fstab.write_text("# /etc/fstab: static file system information.\n"
                     "UUID=1234 / ext4 errors=remount-ro 0 1\n"
                     "/swapfile none swap sw 0 0\n"
                     "tmpfs none tmpfs defaults 0 0\n"
                     f"#//nas/old {tmp_path / 'home'} cifs noauto 0 0\n"
                     f"//nas/photos\t{str(nas).replace(' ', chr(92) + '040')}\tcifs\tnoauto,user 0 0\n")
    monkeypatch.setattr(drives, "FSTAB", str(fstab), raising=False)  # (False: fails by undo on old code)
    _mountinfo(tmp_path, monkeypatch)  # the share not mounted
    library = nas / "photos"
    store, f = build_library(library, db=tmp_path / "elsewhere.db")
    before = sha(f["IMG_4"])
    _move_img4(store, library, tmp_path / "elsewhere.db", tmp_path / "rej")
    os.rename(nas, tmp_path / "share")
    nas.mkdir()  # the mount point stays, empty
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1, out.output
    assert f"{f['IMG_4']}: not put back: {library} is not there (is the drive unplugged?)" in out.stderr
    assert os.listdir(nas) == []
    nas.rmdir()
    os.rename(tmp_path / "share", nas)  # mounted again, and b renamed on it
    os.rename(library / "b", library / "b-2024")
    _mountinfo(tmp_path, monkeypatch, ("/", nas))
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and sha(f["IMG_4"]) == before, out.output
    assert f"note: {library / 'b'} was no longer there" in out.stderr


def test_a_folder_right_under_the_root_is_refused_with_an_accurate_reason(tmp_path, monkeypatch):
    """``/photos`` renamed or deleted (``tmp_path`` plays ``/``, always mounted): undo said the drive was
    unplugged. It still does not make it (a mount point made by hand cannot be told from a folder), but says it
    may be either, and what to do; once the person makes the photo's folder, undo puts it back."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path), 1),))
    monkeypatch.setattr(drives, "ROOT", str(tmp_path))
    monkeypatch.setattr(drives, "mounted", lambda folder: True)  # the root is: no matter
    root = tmp_path / "photos"
    store, f = build_library(root, db=tmp_path / "elsewhere.db")
    _move_img4(store, root, tmp_path / "elsewhere.db", tmp_path / "rej")
    os.rename(root, tmp_path / "photos-old")
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1, out.output
    assert (f"{root} is not there (a drive not mounted, or a folder renamed or deleted?); undo does not make a "
            "folder right under /: mount the drive, or make the photo's folder if it belongs there, and run undo "
            "again") in out.stderr
    assert not os.path.exists(root)
    os.makedirs(root / "b" / "c")
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and os.path.isfile(f["IMG_4"]), out.output


def test_where_drives_are_mounted_missing_itself_is_not_made(tmp_path, monkeypatch):
    """``/run/media`` is on tmpfs: after a reboot it is not there until a drive is mounted. Undo made
    ``/run/media/me/Drive/...`` again and put the photos there, in memory, lost at the next shutdown."""
    media = tmp_path / "run" / "media"
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(media), 2),))
    drive = media / "me" / "Drive"
    store, f = build_library(drive, db=tmp_path / "elsewhere.db")
    before = sha(f["IMG_4"])
    _move_img4(store, drive, tmp_path / "elsewhere.db", tmp_path / "rej")
    os.rename(media, tmp_path / "unplugged")
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1 and f"{media} is not there (is the drive unplugged?)" in out.stderr, out.output
    assert not os.path.exists(media)
    os.rename(tmp_path / "unplugged", media)
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and sha(f["IMG_4"]) == before, out.output


def test_a_library_reached_through_a_link_to_an_unmounted_drive_is_guarded(tmp_path, monkeypatch):
    """The library moved to a drive after the batch, a link left at its old place (``~/photos -> /mnt/usb``),
    the drive then not mounted (``/mnt/usb`` stays, empty): undo made ``b`` through the link, in the empty
    mount point on the system disk, hidden under the drive at its next mount."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "mnt"), 1),))
    home = tmp_path / "home" / "photos"
    store, f = build_library(home, db=tmp_path / "elsewhere.db")
    before = sha(f["IMG_4"])
    _move_img4(store, home, tmp_path / "elsewhere.db", tmp_path / "rej")
    usb = tmp_path / "mnt" / "usb"
    usb.parent.mkdir()
    os.rename(home, usb)
    os.symlink(usb, home)
    os.rename(usb, tmp_path / "unmounted")
    usb.mkdir()  # the mount point stays, empty
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1, out.output
    assert f"{usb / 'b'} (where {home / 'b'} leads) is not there (is the drive unplugged?)" in out.stderr
    assert os.listdir(usb) == []
    usb.rmdir()
    os.rename(tmp_path / "unmounted", usb)
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 0 and sha(f["IMG_4"]) == before and os.path.isfile(usb / "b" / "c" / "IMG_4.jpg")


def _to_drive_then_unplug(folder, drive, unplugged):
    """Move ``folder`` onto ``drive`` leaving a link at its old place, then "unplug" the drive (rename it away)."""
    drive.mkdir(parents=True)
    os.rename(folder, drive / folder.name)
    os.symlink(drive / folder.name, folder)
    os.rename(drive, unplugged)
    return drive


def test_a_link_to_an_unplugged_drive_is_named_as_the_reason(tmp_path, monkeypatch):
    """``~/photos -> /media/me/Drive/photos`` with the drive unplugged (the link dangling): undo failed with
    'cannot create the folder ...: No such file or directory', naming neither the drive nor the link."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 2),))
    home = tmp_path / "home" / "photos"
    store, f = build_library(home, db=tmp_path / "elsewhere.db")
    _move_img4(store, home, tmp_path / "elsewhere.db", tmp_path / "rej")
    drive = _to_drive_then_unplug(home, tmp_path / "media" / "me" / "Drive", tmp_path / "unplugged")
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1, out.output
    assert (f"{f['IMG_4']}: not put back: {drive} (where {home} leads) is not there (is the drive unplugged?); "
            "undo does not make a drive's folder") in out.stderr
    assert not os.path.exists(drive)


def test_a_to_folder_reached_through_a_link_to_an_unplugged_drive_does_not_close_the_batch(tmp_path, monkeypatch):
    """``--to ~/rejects``, moved to a drive after the batch and linked (``~/rejects -> /media/me/Backup/rejects``),
    the drive unplugged: undo found the photo at neither place, called it gone and closed the batch."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 2),))
    root = tmp_path / "lib"
    store, f = build_library(root, db=tmp_path / "elsewhere.db")
    rejects = tmp_path / "home" / "rejects"
    _move_img4(store, root, tmp_path / "elsewhere.db", rejects)
    backup = _to_drive_then_unplug(rejects, tmp_path / "media" / "me" / "Backup", tmp_path / "unplugged")
    out = _undo(tmp_path / "elsewhere.db")
    assert out.exit_code == 1 and "closed" not in out.stdout, out.output
    assert f"{backup} (where {rejects} leads) is not there (is the drive unplugged?)" in out.stderr
    os.rename(tmp_path / "unplugged", backup)
    out = _undo(tmp_path / "elsewhere.db")  # a plain undo: still the target
    assert out.exit_code == 0 and os.path.isfile(f["IMG_4"]), out.output


def test_a_bind_mount_listed_in_mountinfo_is_mounted(tmp_path, monkeypatch):
    """A folder bind-mounted from the same file system is no mount point to ``os.path.ismount``; it is listed,
    its spaces escaped, in /proc/self/mountinfo."""
    folder = tmp_path / "usb 0"
    folder.mkdir()
    mountinfo = tmp_path / "mountinfo"
    escaped = str(folder).replace(" ", "\\040")
    mountinfo.write_text(f"36 35 98:0 /srv/usb {escaped} rw,noatime shared:1 - ext4 /dev/sda1 rw\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    assert drives.mounted(str(folder))
    assert not drives.mounted(str(tmp_path))
    assert drives.mounted("/")
    assert not drives.drive_mounted(str(folder))  # a folder of /dev/sda1, not the whole drive
    with open(mountinfo, "a") as fh:  # a drive mounted over it
        fh.write(f"37 36 8:17 / {escaped} rw,nosuid - vfat /dev/sdb1 rw\n")
    assert drives.drive_mounted(str(folder))


def test_report_says_photos_moved_to_a_drive_unplugged_where_drives_are_mounted_are_on_it(tmp_path, monkeypatch):
    """``--to /media/me/Drive/rej``, the drive unplugged since (``/media/me/Drive`` gone, as a desktop removes it):
    undo fails each photo to be retried (:func:`blurscan.actions.restore.restore`), and ``report`` says they are on
    the drive at ``/media/me/Drive``, not mounted now. Until 2026-12-07 report said them "no longer in the trash or
    the --to folder": `blurscan undo` cannot bring them back. The drive there and the photo deleted from it: lost."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 2),))
    drive = tmp_path / "media" / "me" / "Drive"
    drive.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch)
    store, _f = build_library(tmp_path / "lib", db=tmp_path / "lib.db")
    _move_img4(store, tmp_path / "lib", tmp_path / "lib.db", drive / "rej")
    os.rename(drive, tmp_path / "away")  # unplugged
    out = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "lib.db")])
    assert out.exit_code == 0, out.output
    assert (f"note: 1 photo moved or trashed by blurscan is not listed: it is on the drive at {drive}, not mounted "
            f"now; mount it there and `blurscan undo --db {tmp_path / 'lib.db'}` puts it back\n") in out.stderr, out.stderr
    os.rename(tmp_path / "away", drive)
    os.remove(drive / "rej" / "b" / "c" / "IMG_4.jpg")  # deleted by hand, the drive there
    out = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "lib.db")])
    assert "no longer in the trash or the --to folder, is not listed" in out.stderr and "not mounted" not in out.stderr
