"""A native decoder's messages on file descriptor 2, told apart from those of the process's other threads (Linux).

libjpeg says that a JPEG is damaged only by a line it prints on file descriptor 2 (:mod:`blurscan.jpegdamage`),
and a file descriptor is the whole process's: while :mod:`blurscan.jpeg` pointed fd 2 at its capture file for a
decode, a line printed by another thread meanwhile was read as that JPEG's. In a program that decodes images of
its own in other threads (an ML data pipeline's ``cv2.imread``, a web service), a damaged file decoded there made
healthy JPEGs scored meanwhile fail as ``truncated JPEG`` or ``corrupt JPEG data`` (59 of 100, one thread of the
program decoding a truncated JPEG in a loop while two scored; until 2026-12-06), and a scan in the calling process
stored them so.

:func:`call` runs the decode in a thread of its own whose table of file descriptors is its own copy
(``unshare(CLONE_FILES)``, Linux): its fd 2 is pointed at an anonymous file (``memfd_create``) in that table
alone, so what is read there is what that thread printed, and the process's fd 2 is never moved (the other
threads' writes are neither caught nor held back). The thread closes no descriptor of the process: its table is
a copy, dropped when it ends (a decode's milliseconds). Where the system refuses (not Linux; ``unshare`` forbidden,
as by a container's default seccomp profile) :func:`call` returns None and :mod:`blurscan.jpeg` moves fd 2 as it
did before.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading

#: Set by a command that owns every thread of its process (:func:`blurscan.cli.quiet_native_decoders`): the native
#: decoders' messages on fd 2 are silenced in this process too, where :data:`blurscan.jpeg.SILENCE_DECODER_STDERR`
#: is left at None. Kept here, not set on :mod:`blurscan.jpeg` itself, so that saying it does not import OpenCV and
#: NumPy: ``blurscan review`` did at its start (0.13 s, some 4 MiB), its page needing them only for a thumbnail
#: made (until 2026-12-07).
COMMAND_SILENCES = False

_CLONE_FILES = 0x400  # <sched.h>: the calling thread no longer shares its file descriptor table
_REFUSED: list[bool] = []  # set once the system refused: not asked again in this process


def _unshare_files() -> bool:
    """Give the calling thread a file descriptor table of its own (a copy of the process's)."""
    if not sys.platform.startswith("linux"):
        return False
    unshare = getattr(os, "unshare", None)  # Python 3.12+
    try:
        if unshare is not None:
            unshare(_CLONE_FILES)
            return True
        return ctypes.CDLL(None, use_errno=True).unshare(_CLONE_FILES) == 0
    except (OSError, AttributeError):  # refused, or no such call (not Linux)
        return False


def _run(func, args, out: dict) -> None:
    """In the helper thread: ``func(*args)`` with fd 2 on a file of this thread's table alone."""
    if not _unshare_files():
        out["refused"] = True
        return
    # From here on, a descriptor opened or closed in this thread is so in its own table only: nothing made here
    # is handed to another thread but bytes and the result.
    try:
        fd = os.memfd_create("blurscan-decoder-messages", getattr(os, "MFD_CLOEXEC", 1))
    except (OSError, AttributeError):
        out["refused"] = True
        return
    try:
        os.dup2(fd, 2)
        try:
            out["result"] = func(*args)
        except BaseException as exc:  # handed to the calling thread, raised there
            out["error"] = exc
        size = os.lseek(fd, 0, os.SEEK_END)
        os.lseek(fd, 0, os.SEEK_SET)
        out["said"] = os.read(fd, size) if size else b""
    finally:
        os.close(fd)


def call(func, *args) -> tuple[object, bytes] | None:
    """``(func(*args), what it wrote on file descriptor 2)``, run in a thread of its own (see the module
    docstring); None where the system does not allow it (then nothing was run).

    An exception of ``func`` is raised here. The calling thread waits for the helper to end, also when
    interrupted (Ctrl-C): the decode takes milliseconds, and a fork waits for the caller (:mod:`blurscan.jpeg`).
    """
    if _REFUSED:
        return None
    out: dict = {}
    helper = threading.Thread(target=_run, args=(func, args, out), name="blurscan-decoder", daemon=True)
    try:
        helper.start()
    except RuntimeError:  # no thread can be started now (a limit on threads): fd 2 moved, as before
        return None
    try:
        helper.join()
    finally:
        while helper.is_alive():  # (a KeyboardInterrupt during the join: the decode is still waited for)
            try:
                helper.join()
            except KeyboardInterrupt:
                continue
    if out.get("refused"):
        _REFUSED.append(True)
        return None
    if "error" in out:
        raise out["error"]
    return out["result"], out["said"]
