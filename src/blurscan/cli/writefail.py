"""Output that cannot be written: standard output on a full disk (``> list.txt``), ``/dev/full``, an I/O error,
or a command's ``--output`` file. One ``Error:`` line naming the output and the reason, exit code 1, instead of
a traceback.

The reader of a pipe going away (``| head``, EPIPE) is not such a failure: click ends the command quietly and
``scan`` says 141 (:mod:`blurscan.cli.scan`).
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import traceback

from ..errors import BlurscanError, os_reason, printable_path


class OutputError(BlurscanError):
    """The command's output (standard output or an ``--output`` file) could not be written."""

    def __init__(self, name: str, exc: OSError) -> None:
        super().__init__(f"{name}: cannot write output: {os_reason(exc)}")


#: The names of a command's standard streams in messages.
_STREAM_NAMES = {1: "standard output", 2: "standard error"}


def failed_stream(exc: BaseException) -> int | None:
    """1 or 2 when ``exc`` is an operating-system error raised by a write to standard output or error (the
    innermost Python frame of its traceback is a writer holding that stream: click's ``echo``, rich's
    console, blurscan's UTF-8 writer), else None. Errors of other files (a photo, a sidecar, the database)
    are not output errors and keep their own handling."""
    if not isinstance(exc, OSError) or exc.errno == errno.EPIPE or exc.__traceback__ is None:
        return None
    frames = list(traceback.walk_tb(exc.__traceback__))
    if not frames:
        return None
    local = frames[-1][0].f_locals
    owner = local.get("self")
    for stream in (local.get("file"), getattr(owner, "file", None), getattr(owner, "buffer", None)):
        try:
            fd = stream.fileno() if stream is not None else None
        except (AttributeError, OSError, ValueError):
            continue
        if fd in _STREAM_NAMES:
            return fd
    return None


def report_and_exit(fd: int, exc: OSError) -> None:
    """Say on standard error that stream ``fd`` could not be written, and exit with 1. The broken stream is
    pointed at /dev/null first, so the interpreter's flush at exit does not fail again with a traceback."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"Error: {_STREAM_NAMES[fd]}: cannot write output: {os_reason(exc)}\n")
        sys.stderr.flush()
    sys.exit(1)


def output_name(output: str | None) -> str:
    """How a message names a command's output: its ``--output`` file, else standard output."""
    return printable_path(output) if output is not None else _STREAM_NAMES[1]
