"""Names a drive's file system cannot hold: a photo named on Linux moved to a FAT or exFAT card or USB drive.

Linux names may hold any character but ``/``; FAT, exFAT and NTFS (and the Windows and Mac shares of them)
refuse ``"``, ``*``, ``:``, ``<``, ``>``, ``?``, ``\\``, ``|`` and the control characters. ``move --to`` such a
drive of ``a:b.jpg`` or ``what?.jpg`` (named so by a phone's export or a Linux tool) failed at the copy's first
file with the drive's words, which say nothing of the name: exfat-fuse's "no such file or directory", the kernel's
vfat "invalid argument". Until 2026-12-07 the line read ``cannot copy to /media/me/CARD/rejects/a:b.jpg: no such
file or directory``, as if the folder were missing. :func:`unheld_name` says which character, and what to do; the
photo stays where it was, as before.
"""
from __future__ import annotations

import errno
import os

#: The characters FAT, exFAT and NTFS refuse in a name (the control characters too: :func:`unheld_name`).
REFUSED = '"*:<>?\\|'

#: The errors a file system gives for a name it cannot hold: exfat-fuse ENOENT, vfat / exfat / ntfs3 EINVAL,
#: ntfs-3g (``windows_names``) and some shares EILSEQ or EPERM.
_NAME_ERRORS = (errno.ENOENT, errno.EINVAL, errno.EILSEQ, errno.EPERM)


def unheld_name(dst: str, exc: OSError) -> str | None:
    """Why the file system at ``dst`` refused to make it (``exc``), when its name holds a character FAT, exFAT
    and NTFS cannot hold and its folder is there: ``"its drive cannot hold ':' in a file name (...)"``; else
    None (the drive's own words stand)."""
    if getattr(exc, "errno", None) not in _NAME_ERRORS or not os.path.isdir(os.path.dirname(dst) or "."):
        return None
    name = os.path.basename(dst)
    refused = sorted({ch for ch in name if ch in REFUSED or ord(ch) < 0x20})
    if not refused:
        return None
    shown = " ".join(f"'{ch}'" if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in refused)
    return (f"its drive cannot hold {shown} in a file name (FAT, exFAT and NTFS drives refuse "
            f"{REFUSED} and control characters); rename the photo, or move it to another drive")
