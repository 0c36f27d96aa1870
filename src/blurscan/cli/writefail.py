"""Output that cannot be written: standard output on a full disk (``> list.txt``), ``/dev/full``, an I/O error,
or a command's ``--output`` file. One ``Error:`` line naming the output and the reason, exit code 1, instead of
a traceback.

The reader of a pipe going away (``blurscan report | head -1``, EPIPE) is not such a failure: every command
then stops quietly with :data:`EXIT_BROKEN_PIPE` (141), what a shell reports for a program a broken pipe killed
(:func:`reader_gone`, :func:`exit_reader_gone`; the command group, :mod:`blurscan.cli`, applies both, and
:func:`flush_output` makes a buffered write fail there rather than at the interpreter's exit). Left to click,
such a command exited with 1, and rich's consoles exit with 1 themselves (:func:`console` does not). A command
that has already failed (``scan`` of a PATH that does not exist) says so with :func:`failing`: that exit code,
not 141, ends it when the reader goes away (``blurscan scan MISSING | true`` exits with 1, as without the pipe).
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import traceback

from ..errors import BlurscanError, os_reason, printable_path


class OutputError(BlurscanError):
    """The command's output (standard output or an ``--output`` file) could not be written."""

    def __init__(self, name: str, exc: OSError) -> None:
        super().__init__(f"{name}: cannot write output: {write_reason(exc)}")


def write_reason(exc: OSError) -> str:
    """Why output could not be written: the system's words; for a descriptor that takes no writes (standard
    output closed, ``>&-``: :func:`closed_streams_to_devnull`), that it is closed."""
    if getattr(exc, "errno", None) == errno.EBADF:
        return "closed (bad file descriptor)"
    return os_reason(exc)


def of_output(exc: OSError, paths=()) -> bool:
    """Whether ``exc``, raised while a command's list was being formatted and written, is the output's failure: an
    error of a write to it (ENOSPC, EIO, EBADF, ...: these name no file), or one naming the output's own ``paths``
    (its ``--output`` file or the temporary file beside it). An error naming another file, or an interrupted call
    (EINTR, which Python retries in a write), came from the work of formatting (a library's lazy import listing its
    folder, ``rich/_unicode_data``): until 2026-12-06 it was said as "standard output: cannot write output:
    interrupted system call" after a scan that had completed."""
    if exc.filename is not None or exc.filename2 is not None:
        return bool({exc.filename, exc.filename2} & {os.fspath(p) for p in paths if p is not None})
    return exc.errno != errno.EINTR


def quiet_stdout() -> None:
    """Point standard output at /dev/null once writing to it has failed, so that what is left in its buffer is
    not written again, and fails again, when the interpreter flushes it at exit."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


#: The names of a command's standard streams in messages.
_STREAM_NAMES = {1: "standard output", 2: "standard error"}

#: Exit code when the reader of the output went away (``| head``): 128 + SIGPIPE, what a shell reports for a
#: program killed by a broken pipe (Python ignores SIGPIPE, so the write fails with EPIPE instead).
EXIT_BROKEN_PIPE = 141


#: The exit code a command has already earned when its reader goes away (:func:`failing`); reset by the command
#: group before each command.
_FAILING: list[int] = []


def failing(code: int) -> None:
    """Say that the running command fails with ``code`` however it ends: a broken pipe then exits with
    ``code`` instead of :data:`EXIT_BROKEN_PIPE` (the failure is what a script must see; its message has been
    or will be printed on standard error). 0 clears it."""
    _FAILING[:] = [code] if code else []


def failed_stream(exc: BaseException) -> int | None:
    """1 or 2 when ``exc`` is an operating-system error raised by a write to standard output or error (the
    innermost Python frame of its traceback is a writer holding that stream: click's ``echo``, rich's
    console, blurscan's UTF-8 writer), else None. Errors of other files (a photo, a sidecar, the database)
    are not output errors and keep their own handling; nor is a broken pipe (:func:`reader_gone`)."""
    if not isinstance(exc, OSError) or exc.errno == errno.EPIPE:
        return None
    return _stream_of(exc)


def reader_gone(exc: BaseException) -> bool:
    """Whether ``exc`` is the broken pipe of standard output or error: EPIPE raised by a write to one of them
    (as :func:`failed_stream` tells it), or while one of them is a pipe or socket whose reader has gone."""
    if not isinstance(exc, OSError) or exc.errno != errno.EPIPE:
        return False
    return _stream_of(exc) is not None or _no_reader(1) or _no_reader(2)


def exit_reader_gone() -> None:
    """End the command quietly, exit code :data:`EXIT_BROKEN_PIPE` (or the one it already failed with,
    :func:`failing`). Standard output (and standard error, when its reader went away too) is pointed at
    /dev/null first, so the interpreter's flush at exit writes what is left there instead of failing again
    ("Exception ignored ... BrokenPipeError", exit code 120)."""
    for fd in (1, 2):
        if fd == 1 or _no_reader(fd):
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
    sys.exit(_FAILING[0] if _FAILING else EXIT_BROKEN_PIPE)


def flush_output() -> None:
    """Flush standard output and error at the end of a command (a pipe's output is buffered): their failure is
    then said, or the broken pipe ended quietly, here, not by the interpreter at exit."""
    for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
        try:
            if stream is not None:
                stream.flush()
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                exit_reader_gone()
            report_and_exit(fd, exc)
        except ValueError:  # a closed stream: nothing to flush
            pass


def console(**kwargs):
    """A rich ``Console(**kwargs)`` whose broken pipe is a :class:`BrokenPipeError`, which the command group ends
    as every other (exit code 141). rich's own handling points standard output at /dev/null, whichever stream
    broke, and exits with 1.

    Its progress bars are redrawn only on a terminal: where its stream is none (a CI job's log, ``2> train.log``),
    ``FORCE_COLOR`` (set in CI to keep colours in the log) gives colours, not animation. rich took it for a
    terminal there, and redrew its bars into the log ten times a second (6 kB a second of ``train``'s bars, over
    20 MB an hour, until 2026-12-06); ``train``'s bars are now written there once, as they ended, as without
    ``FORCE_COLOR``. ``TTY_INTERACTIVE`` (rich's own setting) is followed where it is set.

    ``CLICOLOR_FORCE`` set and not ``0`` forces colours too, off a terminal, as the convention says
    (https://bixense.com/clicolors/), and ``NO_COLOR`` (https://no-color.org/) wins over it; rich reads
    ``FORCE_COLOR`` and ``NO_COLOR`` only, so ``CLICOLOR_FORCE=1 blurscan report | less -R`` had no colours until
    2026-12-06. ``FORCE_COLOR`` (or rich's ``TTY_COMPATIBLE``) set says what it says, whatever ``CLICOLOR_FORCE``
    says.

    ``COLUMNS`` and ``LINES`` are read as Python's ``shutil.get_terminal_size`` and the progress bars
    (:func:`blurscan.cli.bars.terminal_columns`) read them: a whole number over 0, else the terminal's own size
    (:func:`_sized_environ`)."""
    from rich.console import Console

    kwargs.setdefault("_environ", _sized_environ())

    if "force_terminal" not in kwargs and _clicolor_force():
        kwargs["force_terminal"] = True
    if "force_interactive" not in kwargs and "TTY_INTERACTIVE" not in os.environ:
        stream = kwargs.get("file") or (sys.stderr if kwargs.get("stderr") else sys.stdout)
        try:
            on_terminal = stream.isatty()
        except (AttributeError, ValueError):  # (closed, or an object without one)
            on_terminal = False
        if not on_terminal:
            kwargs["force_interactive"] = False

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console(**kwargs)


def _sized_environ() -> dict[str, str]:
    """The environment rich reads, with ``COLUMNS`` / ``LINES`` left out where they are not a whole number over 0.
    rich took any digits: ``COLUMNS=0`` made a console 0 wide, on which ``blurscan report`` wrote no error lines
    and no summary (and a scan no bar), and ``COLUMNS=²`` (a digit to ``str.isdigit``) stopped every command that
    writes a table or a bar with a ValueError traceback (until 2026-12-06)."""
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES"):
        if name not in env:
            continue
        try:
            size = int(env[name])
        except ValueError:
            size = 0
        if size > 0:
            env[name] = str(size)  # (" 120": rich ignored it, where shutil reads 120)
        else:
            del env[name]
    return env


def _clicolor_force() -> bool:
    """Whether ``CLICOLOR_FORCE`` asks for colours where rich would not give them (see :func:`console`)."""
    env = os.environ
    if env.get("CLICOLOR_FORCE", "0") in ("", "0") or env.get("NO_COLOR", "") != "":
        return False
    return "FORCE_COLOR" not in env and "TTY_COMPATIBLE" not in env


def closed_streams_to_devnull() -> None:
    """Standard output or error closed when the command started (``blurscan scan 2>&-``, a service started with
    no fd 2): /dev/null takes its place. Python leaves ``sys.stdout`` / ``sys.stderr`` None then, and a command
    failed on its first use (``'NoneType' object has no attribute 'isatty'``), and the database, opened next,
    would have been given the free descriptor, where a native library's warning goes. Standard error is then as
    if redirected to /dev/null (its lines are news about the work, not the work). Standard output is /dev/null
    opened for reading only: a command's list written there fails as on a full disk (``Error: standard output:
    cannot write output: closed (bad file descriptor)``, exit code 1; ``scan`` keeps what it scored), as
    ``cat FILE >&-`` fails; until 2026-12-05 ``blurscan report lib >&-`` exited with 0, the list lost. A command
    that writes nothing there (``scan --output FILE``) is not concerned."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, os.O_RDONLY if fd == 1 else os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, "w", encoding="utf-8", errors="backslashreplace", closefd=False))
        except OSError:  # nothing better to do: leave it as Python left it
            pass


def unencodable_as_escapes() -> None:
    """Standard output and error in an encoding other than UTF-8 (``PYTHONIOENCODING=latin-1``, which UTF-8 mode
    leaves as it is): a character of a name it cannot encode (``東.jpg``) is written as ``\\u6771``, as Python
    writes it on standard error, instead of failing the command with a ``UnicodeEncodeError`` traceback."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        try:
            if codecs.lookup(stream.encoding).name != "utf-8":
                stream.reconfigure(errors="backslashreplace")
        except (AttributeError, LookupError, TypeError, ValueError, OSError):  # not a TextIOWrapper, closed ...
            pass


def _no_reader(fd: int) -> bool:
    """Whether ``fd`` is a pipe or socket whose reader has gone (``poll`` reports an error or a hang-up)."""
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return False
        import select

        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # (no poll on Windows)
        return False


def _stream_of(exc: BaseException) -> int | None:
    """1 or 2 when the innermost Python frame of ``exc``'s traceback is a writer holding standard output or
    error, else None."""
    if exc.__traceback__ is None:
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
        sys.stderr.write(f"Error: {_STREAM_NAMES[fd]}: cannot write output: {write_reason(exc)}\n")
        sys.stderr.flush()
    sys.exit(1)


def output_name(output: str | None) -> str:
    """How a message names a command's output: its ``--output`` file, else standard output."""
    return printable_path(output) if output is not None else _STREAM_NAMES[1]
