"""The path a thread of this process is waiting on in the kernel, read from ``/proc`` (Linux): for
:mod:`.hung_paths`' watch of a command, which says a stored photo on a mount that no longer answers (a NAS gone, a
drive pulled out from under ntfs-3g) instead of waiting there without a word.

:func:`sample` reads what the thread is doing now (``/proc/self/task/TID/syscall``, the system call and its
arguments, and how many times it has been switched out, ``status``); two samples the same, seconds apart, the
thread has not run in between: it has waited in that one call all along. :func:`path_of` then reads the path that
call was given (from this process's memory, ``/proc/self/mem``), or the folder of the descriptor it was given
(``/proc/self/fd/N``), for the calls that look at files (:data:`AT_PATH`, :data:`PATH`, :data:`FD`; x86-64 and
arm64); any other call, or a ``/proc`` that cannot be read, gives None (nothing said). Nothing here touches the
file system waited on: the path is read from memory, a descriptor's name from the kernel's own cache."""
from __future__ import annotations

import os
import platform

#: The file-looking calls whose second argument is a path (relative to the first, a folder's descriptor, or to the
#: current folder, ``AT_FDCWD``), by their numbers on x86-64 and arm64: newfstatat, statx, openat, readlinkat,
#: faccessat, faccessat2, mkdirat, unlinkat, renameat, renameat2, fchmodat, utimensat, linkat.
AT_PATH = {"x86_64": {262, 332, 257, 267, 269, 439, 258, 263, 264, 316, 268, 280, 265},
           "aarch64": {79, 291, 56, 78, 48, 439, 34, 35, 38, 276, 53, 88, 37}}
#: Those whose first argument is a path: stat, lstat, open, access, readlink, statfs, getxattr, lgetxattr (x86-64);
#: statfs, getxattr, lgetxattr (arm64).
PATH = {"x86_64": {4, 6, 2, 21, 89, 137, 191, 192}, "aarch64": {43, 8, 9}}
#: Those whose first argument is a file's or folder's descriptor: getdents64, fstat, read, pread64, fstatfs.
FD = {"x86_64": {217, 5, 0, 17, 138}, "aarch64": {61, 80, 63, 67, 44}}

#: Where a read waits for a person, not a drive: terminals (a descriptor's name starting so is never said).
TERMINALS = ("/dev/pts/", "/dev/tty", "/dev/console")

_AT_FDCWD = -100
_MACHINE = platform.machine()


def sample(tid: int, proc: str = "/proc/self") -> tuple[str, str] | None:
    """What thread ``tid`` is doing: its system call line and its context switches, or None where it is running
    (not in a call) or ``/proc`` cannot be read."""
    try:
        with open(f"{proc}/task/{tid}/syscall") as fh:
            call = fh.read().strip()
        with open(f"{proc}/task/{tid}/status") as fh:
            switches = " ".join(line for line in fh.read().splitlines() if "ctxt_switches" in line)
    except (OSError, ValueError):
        return None
    return None if not call or call == "running" or call.startswith("-1") else (call, switches)


def path_of(call: str, proc: str = "/proc/self", machine: str = _MACHINE) -> str | None:
    """The path (absolute) the system call line ``call`` (``/proc/self/task/TID/syscall``'s: its number, then its
    arguments in hex) looks at, or None where it is not a call that looks at a file, or it cannot be told."""
    try:
        number, *args = call.split()
        number, args = int(number), [int(a, 16) for a in args]
        if number in AT_PATH.get(machine, ()) and len(args) > 1:
            dirfd = args[0] - (1 << 32) if args[0] >= 1 << 31 and args[0] < 1 << 32 else args[0]
            dirfd = dirfd - (1 << 64) if dirfd >= 1 << 63 else dirfd
            path = _string_at(args[1], proc)
            if path is None:
                return None
            if not os.path.isabs(path):
                path = os.path.join(os.getcwd() if dirfd == _AT_FDCWD else os.readlink(f"{proc}/fd/{dirfd}"), path)
            return os.path.normpath(path)
        if number in PATH.get(machine, ()) and args:
            path = _string_at(args[0], proc)
            return None if path is None else os.path.abspath(path)
        if number in FD.get(machine, ()) and args:
            path = os.readlink(f"{proc}/fd/{args[0]}")
            # (a pipe's, a socket's "pipe:[N]": no file; a terminal's, /dev/pts/N: `--files-from -` waiting for the
            # person to type, not a drive)
            return path if os.path.isabs(path) and not path.startswith(TERMINALS) else None
    except (OSError, ValueError):
        return None
    return None


def _string_at(address: int, proc: str) -> str | None:
    """The NUL-ended path at ``address`` in this process's memory (up to 4096 bytes), or None."""
    if not address:
        return None
    fd = os.open(f"{proc}/mem", os.O_RDONLY)
    try:
        read = os.pread(fd, 4096, address)
    finally:
        os.close(fd)
    end = read.find(b"\0")
    return os.fsdecode(read[:end]) if end > 0 else None
