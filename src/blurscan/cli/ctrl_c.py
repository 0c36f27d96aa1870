"""Ctrl-C outside a command's own code: one ``interrupted`` line and exit code 130, wherever it lands.

Inside a command, Ctrl-C is a KeyboardInterrupt, which the command (``scan``, ``review``, ``move``) or the
command group (:mod:`blurscan.cli`) turns into its ``interrupted`` line and exit code 130. Around it, a
KeyboardInterrupt landed where none of them looks: in click's own code before the command runs and after it
returns it was click's ``Aborted!`` and exit code 1; as the command line's ``main`` returned, a traceback and
the process killed by SIGINT (exit code -2 to its parent); in the interpreter's teardown (threads joined,
logging flushed at exit), a traceback ("Exception ignored in ...") and exit code 0 -- each after a move's
final line had been printed, say.

There, Ctrl-C is held: a handler of its own only records it (:func:`hold`). The command group holds it from
the start of its ``main`` until the command begins (:func:`release`, which raises a Ctrl-C recorded
meanwhile, so the command group says it), and again from the command's end; when ``main`` ends, a Ctrl-C
recorded is the ``interrupted`` line and exit code 130 (:func:`ended`). The ``blurscan`` command itself
(:func:`blurscan.__main__.run`) keeps holding it to the process's exit, and a Ctrl-C recorded in the
interpreter's teardown is said and exits 130 from its last ``atexit`` callback (:func:`at_exit`); after it,
as Python frees its modules with every handler of its own back at the default action, Ctrl-C is ignored.

Nothing is held outside the main thread (no KeyboardInterrupt there), nor with Ctrl-C ignored (``scan`` and
``review`` ignore a second one while they clean up) or left to its default action.

SIGTERM and SIGHUP are Ctrl-C too (:mod:`blurscan.stop_signals`, installed with the first hold): held here as it
is, and said the same way, with exit code 143 or 129 (:func:`exit_code`). Ctrl-C's handler is read and set through
:func:`blurscan.stop_signals.ctrl_c_handler` and :func:`~blurscan.stop_signals.set_ctrl_c_handler`: where Ctrl-C was
ignored from the start (a script's background job) they are held through the stand-in SIGTERM and SIGHUP call,
Ctrl-C itself still ignored.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

from .. import stop_signals

#: Exit code after Ctrl-C: 128 + SIGINT, what a shell reports for a program stopped by it.
EXIT_INTERRUPTED = 130


class _State:
    before = None      # the handler replaced while holding (None: not holding)
    pressed = False    # a Ctrl-C recorded while holding
    finished = False   # the command had ended when it was pressed
    to_exit = False    # held until the process exits (the `blurscan` command), not only until main ends
    said = False       # the process exits with 130, Ctrl-C said (by the command or here): not said again


def _record(signum, frame) -> None:
    _State.pressed = True


def hold(*, finished: bool = False) -> None:
    """Record Ctrl-C from now on instead of raising KeyboardInterrupt (``finished``: the command has ended); SIGTERM
    and SIGHUP are Ctrl-C from the first hold on (:func:`blurscan.stop_signals.install`)."""
    _State.finished = finished
    stop_signals.install()
    if _State.before is not None or threading.current_thread() is not threading.main_thread():
        return
    before = stop_signals.ctrl_c_handler()
    if not callable(before):  # ignored, or its default action
        return
    stop_signals.set_ctrl_c_handler(_record)
    _State.before = before


def release() -> None:
    """Stop holding Ctrl-C; one recorded meanwhile is raised now, by the handler that was held back."""
    if _State.before is None:
        return
    before, _State.before = _State.before, None
    stop_signals.set_ctrl_c_handler(before)
    if _State.pressed:
        _State.pressed = False
        before(signal.SIGINT, None)


def hold_to_exit() -> None:
    """The ``blurscan`` command: hold Ctrl-C from the end of the command to the process's exit."""
    _State.to_exit = True


def exit_code() -> int:
    """The exit code of a command stopped: 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP."""
    return stop_signals.exit_code(EXIT_INTERRUPTED)


def message() -> str:
    if _State.finished:
        return "interrupted after the command had ended (what it printed above stands)"
    return "interrupted"


def ended(code: object = None, *, standalone: bool = True) -> None:
    """At the end of the command group's ``main`` (``code``: the exit code in flight): a Ctrl-C recorded while
    held is one line and exit code 130 (said once: not when the command said it already and exits with 130; 143
    or 129 for SIGTERM, SIGHUP). Stops holding, unless the process is about to exit (:func:`hold_to_exit`)."""
    pressed, _State.pressed = _State.pressed, False
    if pressed and standalone and code != exit_code():
        _say()
    _State.said = standalone and (pressed or code == exit_code())
    if not _State.to_exit:
        if pressed and not standalone:  # main(standalone_mode=False): the caller gets the KeyboardInterrupt
            _State.pressed = True
        release()
        stop_signals.uninstall()
    if pressed:
        sys.exit(exit_code())


def at_exit() -> None:
    """The ``blurscan`` command's last ``atexit`` callback: a Ctrl-C recorded in the interpreter's teardown
    (threads joined, logging flushed) is said, and the process exits with 130 at once.

    Otherwise Ctrl-C is ignored from here on: Python, about to free its modules (a few hundredths of a second
    with numpy and OpenCV loaded), puts every handler of its own back to the default action first, and a Ctrl-C
    then killed the process (exit code -2 to its parent, 130 to a shell, no line) although the command had
    ended; its final line and exit code stand."""
    if _State.before is not None and stop_signals.ctrl_c_handler() is _record:
        with contextlib.suppress(ValueError):  # (a Ctrl-C still pending is recorded first)
            stop_signals.set_ctrl_c_handler(signal.SIG_IGN)
    if not _State.pressed or _State.said:  # (pressed again, after one said: the exit code is 130 already)
        return
    _say()
    os._exit(exit_code())


def own_line() -> None:
    """Where the terminal echoed Ctrl-C as ``^C`` (``stty`` ``echo`` and ``echoctl``, as terminals are set by
    default), go back to the start of the line it is on (a carriage return on standard error, else on standard
    output, whichever is that terminal), so that what the command writes next, the line saying it stopped, takes
    the line alone; nothing elsewhere (a file, a pipe, a dumb terminal, ``stty -echoctl``, SIGTERM and SIGHUP, which
    no terminal echoes).

    The terminal writes ``^C`` where its cursor is, at the start of the line the message then took: ``^CStopped.``,
    ``^Cinterrupted: 232 of 325 scanned ...`` (until 2026-12-06). The message now writes over it. A new line
    instead would leave a blank line where the scan's bar had been redrawn over the ``^C`` (pressed while it was
    drawn: the usual case), which cannot be told from here."""
    try:
        import termios
    except ImportError:  # (Windows)
        return
    if exit_code() != EXIT_INTERRUPTED or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return
    for stream in (sys.stderr, sys.stdout):
        try:
            if not stream.isatty():
                continue
            local_modes = termios.tcgetattr(stream.fileno())[3]
            if local_modes & termios.ECHO and local_modes & getattr(termios, "ECHOCTL", 0):
                stream.write("\r")
                stream.flush()
        except (AttributeError, OSError, ValueError, termios.error):
            continue
        return


def _say() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    with contextlib.suppress(OSError, ValueError, AttributeError):
        own_line()
        sys.stderr.write(message() + "\n")
        sys.stderr.flush()


@contextlib.contextmanager
def once():
    """The first Ctrl-C while the block runs is its KeyboardInterrupt, and from that moment Ctrl-C is ignored, so
    that a second one (an impatient user) cannot cut short what the command then says (``move``'s count and its
    undo command). Nothing to do outside the main thread, or with Ctrl-C ignored or at its default action."""
    before = stop_signals.ctrl_c_handler()
    if threading.current_thread() is not threading.main_thread() or not callable(before):
        yield
        return

    def first(signum, frame):
        stop_signals.set_ctrl_c_handler(signal.SIG_IGN)
        before(signum, frame)

    stop_signals.set_ctrl_c_handler(first)
    try:
        yield
    finally:
        if stop_signals.ctrl_c_handler() is first:  # (not pressed: as it was)
            stop_signals.set_ctrl_c_handler(before)
