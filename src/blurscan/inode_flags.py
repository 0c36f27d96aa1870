"""A file's or folder's inode flags that make the system refuse a move or a removal to everyone, root included.

``chattr +i`` (immutable) and ``chattr +a`` (append-only) are set by root to protect a file (an archive's photos,
a ransomware guard): such a file can be neither renamed nor removed, and an immutable folder (or an append-only
one) lets no file be taken out of it. ``move`` and ``trash`` leave such a photo in place with this reason, in the
dry run too (:mod:`.actions.plan`), and never copy it to another drive first: until 2026-12-06 the dry run
promised the move, and ``--yes`` failed with a bare ``operation not permitted`` (on one drive) or copied the
whole photo to the other drive, failed to remove it and removed the copy again.

The flags are read with the ``FS_IOC_GETFLAGS`` ioctl (Linux: ext2/3/4, XFS, Btrfs, F2FS, tmpfs since Linux 6.0);
elsewhere, or where they cannot be read, nothing is said and the system's refusal, if any, speaks for itself.
The file is opened for reading only to ask, which reads none of it (its access time stays).
"""
from __future__ import annotations

import os
import struct
import sys

_IMMUTABLE = 0x00000010  # FS_IMMUTABLE_FL
_APPEND = 0x00000020  # FS_APPEND_FL
# _IOR('f', 1, long): the size of a C long is in the request number; the kernel writes an int
_GETFLAGS = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1


def flags(path: str | os.PathLike) -> int:
    """The inode flags of ``path`` (not followed if a link); 0 where they cannot be read."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        import fcntl

        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC)
    except (ImportError, OSError):
        return 0
    try:
        buf = fcntl.ioctl(fd, _GETFLAGS, bytes(8))
    except OSError:  # (a file system without them: ENOTTY, EOPNOTSUPP)
        return 0
    finally:
        os.close(fd)
    return struct.unpack("i", buf[:4])[0]


def pinned(path: str | os.PathLike) -> str | None:
    """Why no one may move or remove the file ``path``, as words that follow its name (``is immutable
    (chattr +i: ...)``); None when its flags allow it or cannot be read."""
    value = flags(path)
    if value & _IMMUTABLE:
        return "is immutable (chattr +i: no one may move or remove it, root included; chattr -i lets it go)"
    if value & _APPEND:
        return "is append-only (chattr +a: no one may move or remove it, root included; chattr -a lets it go)"
    return None


def shut(folder: str | os.PathLike) -> str | None:
    """Why no file may be taken out of ``folder``, as words that follow its name; None when its flags allow it
    or cannot be read."""
    value = flags(folder)
    if value & _IMMUTABLE:
        return "is immutable (chattr +i: no file may be added to it or taken out, root included)"
    if value & _APPEND:
        return "is append-only (chattr +a: files may be added to it, none taken out, root included)"
    return None


def closed_to_copies(folder: str | os.PathLike) -> str | None:
    """Why no copy from another drive may be put in ``folder``, as words that follow its name; None when its flags
    allow it or cannot be read. Such a copy is written under a temporary name and renamed into place: an
    append-only folder lets the temporary file be made, but neither renamed nor removed (until 2026-12-06 a whole
    copy of each photo was left there, ``.IMG_1.JPG.blurscan-1.part``), and an immutable one refuses it."""
    words = shut(folder)
    if words and flags(folder) & _APPEND:
        return words + ": a copy from another drive is put in place by renaming it, which it refuses"
    return words
