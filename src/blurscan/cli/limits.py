"""One line, not a traceback, when a limit of the process stops a command: a compiled library that cannot be
loaded (:func:`unloadable`), or no file descriptor left to open (:func:`too_many_open_files`).

OpenCV, ONNX Runtime, numpy and the like are loaded inside the commands (``blurscan --help`` stays fast), so a
library the system refuses to load stops a command half-way into its work. The usual reason is a memory limit:
under ``ulimit -v 550000`` (a batch system's or a CI job's address-space limit) loading OpenCV's shared objects
fails with "failed to map segment from shared object", under a lower one ONNX Runtime's; a damaged install
("invalid ELF header") is another. Until 2026-12-06 each of these ended a scan in a 40-line ``ImportError``
traceback; now it is ``Error: cannot load onnxruntime (...)``, naming the address-space limit when one is set,
and exit code 1, as the other errors that stop a command. A module that is not there at all
(``ModuleNotFoundError``) is left as it was: a broken install shows where the import came from.

Likewise a limit of open files too low for the command (``ulimit -n 20``: a scan's two worker processes could not
be started, each needs pipes to talk to) ended it with an ``OSError: [Errno 24] Too many open files`` traceback
until 2026-12-06; it is one line naming the limit now (what a scan had scored by then is kept).
"""
from __future__ import annotations

import errno
import resource


def too_many_open_files(exc: OSError, workers: bool = False) -> str | None:
    """The ``Error:`` line's text for ``exc`` when it says that the process (EMFILE) or the system (ENFILE) has no
    file descriptor left, else None; ``workers``: the command has a ``--workers`` option (each worker process needs
    a few descriptors of the command's)."""
    if exc.errno == errno.EMFILE:
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        return (f"too many open files: this process may have at most {soft} open at once (`ulimit -n`); raise the "
                "limit" + (", or run with --workers 1" if workers and soft < 64 else ""))
    if exc.errno == errno.ENFILE:
        return "too many open files in the system (ENFILE): close some programs, or raise the system's limit"
    return None


def unloadable(exc: ImportError) -> str:
    """The ``Error:`` line's text for ``exc`` (an ImportError that is no ModuleNotFoundError)."""
    what = _package(exc) or "a library blurscan needs"
    return f"cannot load {what} ({exc}){_limit_note()}"


def _package(exc: ImportError) -> str:
    """The top-level package whose loading failed: that of the first frame of the traceback in neither blurscan
    nor the import machinery (``onnxruntime``, whose ``__init__`` loads its compiled part; ``PIL``), else of the
    module named by the error (a compiled module imported by blurscan itself: ``cv2``)."""
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__") or ""
        top = module.partition(".")[0]
        if top and top not in ("blurscan", "importlib", "click", "__main__", "runpy"):
            return top
        tb = tb.tb_next
    return (exc.name or "").partition(".")[0]


def _limit_note() -> str:
    """``: this process may use at most 537 MB of address space (ulimit -v)`` where a limit is set, else ''."""
    try:
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (OSError, ValueError):
        return ""
    if soft == resource.RLIM_INFINITY:
        return ""
    return (f": this process may use at most {soft / 1e6:,.0f} MB of address space (`ulimit -v`), "
            "too little for it?")
