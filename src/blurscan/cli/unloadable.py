"""One line, not a traceback, when a compiled library that a command needs cannot be loaded.

OpenCV, ONNX Runtime, numpy and the like are loaded inside the commands (``blurscan --help`` stays fast), so a
library the system refuses to load stops a command half-way into its work. The usual reason is a memory limit:
under ``ulimit -v 550000`` (a batch system's or a CI job's address-space limit) loading OpenCV's shared objects
fails with "failed to map segment from shared object", under a lower one ONNX Runtime's; a damaged install
("invalid ELF header") is another. Until 2026-12-06 each of these ended a scan in a 40-line ``ImportError``
traceback; now it is ``Error: cannot load onnxruntime (...)``, naming the address-space limit when one is set,
and exit code 1, as the other errors that stop a command. A module that is not there at all
(``ModuleNotFoundError``) is left as it was: a broken install shows where the import came from.
"""
from __future__ import annotations

import resource


def message(exc: ImportError) -> str:
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
