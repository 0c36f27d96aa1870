"""A copy-on-write clone of a photo, for a move that cannot rename (:func:`.moves.move_file` across devices).

The kernel refuses ``rename`` across btrfs subvolumes (each a device number of its own) and across mount points
(a bind-mounted folder) although the file stays on one file system, where btrfs and xfs (``reflink=1``, mkfs.xfs'
default since 5.1) can give the copy the source's extents (``ioctl(FICLONE)``): no byte is written, no free
space is needed for a second copy while it is checked, and a 50 MB RAW or Live Photo video takes milliseconds
instead of a second. Until 2026-12-07 every such move was a full byte copy.

``FICLONE`` is all or nothing for the whole file, and says which: a file system that cannot share extents (ext4,
tmpfs, FAT, a share: ``EOPNOTSUPP``, ``EXDEV``, ``EINVAL``, ``ENOTTY``, ``EBADF``) refuses it with nothing
written. On that, or any other failure of the clone, the caller copies the bytes as before; a failure that left
something written (never seen) is logged, the file emptied first. The clone is
verified as the byte copy is (the source read and hashed after the clone, the copy read back and compared): see
:func:`.moves.move_file`.

``copy_file_range`` is not used: the kernel may turn it into a clone, or copy the bytes itself, without saying
which, and the bytes copied would not be the bytes hashed (the caller reads the source once, hashing what it
writes).
"""
from __future__ import annotations

import logging
import os
import sys

from ..errors import os_reason, printable_path

log = logging.getLogger(__name__)

#: ``_IOW(0x94, 9, int)``, from linux/fs.h (``fcntl.FICLONE`` only from Python 3.12).
FICLONE = 0x40049409


def clone(src_fd: int, dst_fd: int, dst: str) -> bool:
    """Make the empty file open for writing as ``dst_fd`` (``dst``, for a message) share the extents of the file
    open as ``src_fd``. True when done; False when the file system cannot (or the clone failed otherwise), the file
    at ``dst_fd`` left empty for a byte copy: a clone that failed having written something (never seen) is cut back
    to nothing, and that is logged. OSError only when it cannot be cut back."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl

    try:
        fcntl.ioctl(dst_fd, getattr(fcntl, "FICLONE", FICLONE), src_fd)
    except OSError as exc:
        if os.fstat(dst_fd).st_size:
            log.warning("%s: the copy-on-write clone failed (%s) after writing; copying the bytes instead",
                        printable_path(dst), os_reason(exc))
            os.ftruncate(dst_fd, 0)
            os.lseek(dst_fd, 0, os.SEEK_SET)  # (and written from its start again: a hole was left before what followed)
        return False
    return True
