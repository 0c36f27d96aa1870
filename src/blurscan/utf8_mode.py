"""blurscan runs in Python's UTF-8 mode (PEP 540): file names are UTF-8 bytes to it, whatever the locale.

A file name is bytes; Python gives it as text decoded with the file-system encoding, which, outside UTF-8 mode, is
the locale's (``LC_ALL=en_US.ISO-8859-1``: Latin-1). blurscan stores names as UTF-8 text where their bytes are
UTF-8 (:func:`blurscan.store.db_path`) and prints, escapes and hashes them as UTF-8 with ``surrogateescape``: right
only where the file-system encoding is UTF-8. Under a Latin-1 locale the database's ``café.jpg`` (bytes
``caf\\xc3\\xa9.jpg``) was taken for the file ``caf\\xe9.jpg``, another photo: ``move`` moved the one nobody
discarded, and a name outside Latin-1 (``東.jpg``) failed with a traceback.

So the command line (:func:`run_again_in_utf8_mode`, called first by :func:`blurscan.__main__.run`) runs itself
again, at once, in UTF-8 mode (``python -X utf8``, and ``PYTHONUTF8=1`` for any Python it starts; its spawned
worker processes get ``-X utf8`` from :mod:`multiprocessing` too), with its arguments' bytes unchanged. A program
using the library cannot be run again: :func:`require` refuses, in one line, to open a database (everything that
stores names or acts on files goes through one) in a process whose file names are not UTF-8. Under the C or
POSIX locale Python is in UTF-8 mode already.
"""
from __future__ import annotations

import codecs
import os
import sys

#: Set in the environment of the command run again in UTF-8 mode (and removed by it at once): a command still not
#: in UTF-8 mode then (``-X utf8=0`` among the interpreter's own options) says so instead of starting again.
_RUN_AGAIN = "BLURSCAN_RUN_AGAIN_IN_UTF8_MODE"


def needed() -> bool:
    """Whether this process decodes file names otherwise than as UTF-8: not in UTF-8 mode, under a locale whose
    encoding is not UTF-8."""
    return not sys.flags.utf8_mode and codecs.lookup(sys.getfilesystemencoding()).name != "utf-8"


def message() -> str:
    """The one line that says why blurscan refuses to work here, and what to do."""
    return (f"blurscan needs UTF-8 file names, and this Python decodes them as {sys.getfilesystemencoding()} "
            "(the locale's encoding): run it in Python's UTF-8 mode (`python -X utf8`, or PYTHONUTF8=1 in the "
            "environment); nothing was done")


def require() -> None:
    """Raise :class:`~blurscan.errors.UsageError` (:func:`message`) where file names are not UTF-8 (:func:`needed`).
    Called before a database is opened (:class:`blurscan.store.Store`)."""
    if needed():
        from .errors import UsageError

        raise UsageError(message())


def run_again_in_utf8_mode() -> None:
    """The command line: where file names are not UTF-8 (:func:`needed`), replace this process with the same
    command in UTF-8 mode (``os.execve``: same process id, same standard streams); else return. A command that
    cannot be (it was already, and is still not in UTF-8 mode; no interpreter to run) says :func:`message` and
    exits with 2, as the commands do on that :class:`~blurscan.errors.UsageError`, before doing anything."""
    again = os.environ.pop(_RUN_AGAIN, None)  # (not passed on to the processes this one starts)
    if not needed():
        return
    if again is None and sys.executable:
        env = {**os.environ, "PYTHONUTF8": "1", _RUN_AGAIN: "1"}
        try:
            os.execve(sys.executable, [sys.executable, "-X", "utf8", *_arguments()], env)
        except OSError:
            pass
    if sys.stderr is not None:  # (closed: `2>&-`)
        sys.stderr.write(f"Error: {message()}\n")
    sys.exit(2)


def _arguments() -> list[bytes | str]:
    """The interpreter's arguments after its own name (``-m blurscan ...``, the ``blurscan`` script's path ...),
    exactly as it was given them: read from ``/proc/self/cmdline`` (Linux). Elsewhere, ``sys.orig_argv`` encoded
    back (exact for single-byte encodings such as Latin-1, where every byte is a character)."""
    try:
        with open("/proc/self/cmdline", "rb") as f:
            given = f.read().split(b"\0")[:-1]
    except OSError:
        given = []
    if len(given) == len(sys.orig_argv):
        return given[1:]
    return [os.fsencode(arg) for arg in sys.orig_argv[1:]]
