"""What a bug report needs, said by the command line: ``blurscan --version`` (:func:`version_text`), the line
after an error blurscan did not expect (:func:`internal_error_note`), and a dump of every thread's stack on
``kill -USR1`` (:func:`dump_stacks_on_signal`), and ``BLURSCAN_DEBUG=1`` showing blurscan's log (:func:`debug_log`).

``--version`` said ``blurscan, version X`` alone until 2026-12-06, while what decides a result is also the
shipped model (the JSONL's ``model_version``), Python, the platform and the libraries that decode and measure:
a report "photo X is called blurry" could not be answered without asking for each. The first line stays as it
was (scripts read it); the lines after it name the rest, read without loading any of those libraries
(``importlib.metadata`` for their versions; the model's version from its file's bytes, as
:class:`blurscan.model.runtime.Classifier` makes it, without ONNX Runtime), so ``--version`` stays fast.
"""
from __future__ import annotations

import sys

from ..shipped_model import shipped_model_version

#: The libraries whose versions decide what a scan finds (decoding, measures, the model), by distribution name;
#: OpenCV's import name ``cv2`` comes from any of its four wheels.
LIBRARIES = (("numpy",), ("opencv-python-headless", "opencv-python", "opencv-contrib-python-headless",
                          "opencv-contrib-python"), ("onnxruntime",), ("Pillow",), ("pillow-heif",), ("rawpy",))

#: The command whose output a bug report should carry.
VERSION_COMMAND = "blurscan --version"


def version_text(version: str) -> str:
    """The lines ``blurscan --version`` prints (no trailing newline)."""
    import platform

    libraries = ", ".join(_library_version(names) for names in LIBRARIES)
    return "\n".join([
        f"blurscan, version {version}",
        f"model: {shipped_model_version()} (the shipped model, as the JSONL's model_version names it)",
        f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
        f"libraries: {libraries}",
    ])


def _library_version(names: tuple[str, ...]) -> str:
    from importlib import metadata

    for name in names:
        try:
            return f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
        except Exception as exc:  # a damaged install's metadata: said, never a traceback of --version
            return f"{name} ? ({type(exc).__name__})"
    return f"{names[0]} not installed"


def internal_error_note(exc: BaseException | None = None) -> str:
    """The lines written under the traceback of an error blurscan did not expect: a bug in it, or, for a module
    that could not be imported (``ImportError``: a package damaged or half-installed, a library from another
    environment on ``PYTHONPATH``), most likely the installation, said so before asking for a report."""
    report = f"the traceback above, the command you ran and the output of `{VERSION_COMMAND}`"
    if isinstance(exc, ImportError):
        name = f" ({exc.name})" if getattr(exc, "name", None) else ""
        return (f"Error: a module could not be imported{name}: blurscan's installation, or that of a library it "
                "uses, looks damaged or incomplete (reinstall it, in this Python).\n"
                f"If it persists, please report it with {report}.")
    return ("Error: this is a bug in blurscan (an internal error, not a problem with your photos or settings).\n"
            f"Please report it with {report}.")


def dump_stacks_on_signal() -> None:
    """``kill -USR1 PID`` writes every thread's stack to standard error and the command goes on: what a command
    that seems to hang is doing (README, Troubleshooting). SIGUSR1 otherwise ends the process, so nobody relies
    on it; a process that cannot register it (no such signal, standard error closed) goes on without."""
    import faulthandler
    import signal

    usr1 = getattr(signal, "SIGUSR1", None)
    if usr1 is None:
        return
    try:
        faulthandler.register(usr1, file=sys.stderr, all_threads=True, chain=False)
    except (ValueError, OSError, RuntimeError, AttributeError):  # (stderr without a file descriptor: a test's)
        pass


#: Set (to anything but ``0`` or nothing), the command writes blurscan's log to standard error (:func:`debug_log`).
DEBUG_VARIABLE = "BLURSCAN_DEBUG"


def debug_on() -> bool:
    """Whether ``BLURSCAN_DEBUG`` is set to show blurscan's log (anything but ``0`` or nothing)."""
    import os

    return os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


def debug_hint_for_failed_requests():
    """Without ``BLURSCAN_DEBUG``, the review server's terminal line of a request that failed unexpectedly (the
    page's "internal error of the review server") ends saying how to have its traceback, which a bug report needs:
    until 2026-12-06 only the README's Troubleshooting said so. A damaged database's line, which names the file
    and what to do, is left as it is. Returns what takes the hint away again: the command's server is the one it
    is for (a program serving the page through the Python API, or running the command more than once, got the hint
    once per run, all on one line, and kept it after: 2026-12-06)."""
    import logging

    logger = logging.getLogger("blurscan.review.app")
    if debug_on():
        return lambda: None
    logger.addFilter(_hint)  # (one filter, whatever the number of calls: addFilter keeps each once)
    return lambda: logger.removeFilter(_hint)


def _hint(record) -> bool:
    """:func:`debug_hint_for_failed_requests`' filter: the hint after the line of a request that failed
    unexpectedly (a record the review app marks ``internal``)."""
    if getattr(record, "internal", False):
        record.msg = f"{record.msg} (its traceback: run blurscan review again with {DEBUG_VARIABLE}=1)"
    return True


def debug_log() -> None:
    """``BLURSCAN_DEBUG=1``: blurscan's log, its debug lines included, on standard error, each line led by its
    level and module. The library logs what it decided and why (each file a move or trash took and how, a file
    whose bytes could not be compared, the review server's failed request with its traceback) and configures no
    logging (tests/test_layering.py checks it); until 2026-12-06 no command showed any of it below a warning, so
    the traceback of a review page's "internal error of the review server" could be had by no one. Only the
    command's own process (a scan's workers log nothing the command needs)."""
    if not debug_on():
        return
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("blurscan")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
