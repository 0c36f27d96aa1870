"""SIGTERM and SIGHUP as Ctrl-C: the command line's orderly stop for ``kill``, ``timeout``, a service manager and a
closed terminal. Each ended the process at once: a scan's ``--output`` list was left behind as a hidden
``.blurscan-output-*.part`` file, ``synth -j N``'s workers printed BrokenPipeError tracebacks.

:func:`install` (the command line, on the main thread) gives each of them a handler that does what Ctrl-C would do
at that moment: it calls SIGINT's handler, so where Ctrl-C is held (:func:`blurscan.held.ctrl_c_held`,
:mod:`blurscan.cli.ctrl_c`) the signal is held too, and where it raises KeyboardInterrupt the command stops as on
Ctrl-C (a scan keeps what it scored, a move says how far it went); the command's exit code is then 128 + the
signal's number (143, 129: :func:`exit_code`), and the ``blurscan`` process itself, once everything is said and
flushed, ends killed by the signal (:func:`end_as_stopped`), as a service manager expects: a shell shows 143 or
129 either way. Where Ctrl-C is ignored for a while (a
clean-up after a first one; a pool's steps defer it instead: :func:`blurscan.processes.ctrl_c_deferred`) the signal is noted, and :func:`deliver_pending`
raises it once Ctrl-C counts again. A signal ignored when the command starts (``nohup``) stays ignored; where
Ctrl-C is left to its default action, and in a process forked from this one, the signal keeps its default action:
the process ends at once.

Where Ctrl-C was ignored from the start (a background job of a script, ``blurscan scan ... &``: the shell ignores it
there, so that a Ctrl-C typed at the terminal does not reach the job) it stays ignored, and SIGTERM and SIGHUP stop
the command in order all the same: SIGINT's handler is then a stand-in that only this module calls, never the
signal (:func:`ctrl_c_handler`, :func:`set_ctrl_c_handler`, through which every holder of Ctrl-C reads and sets
it), at first :func:`signal.default_int_handler`. Until 2026-12-07 SIGTERM and SIGHUP killed such a command at
once: a scan's ``--output`` list left as its ``.part`` file, no line; a move or undo cut between a photo and its
sidecars.

A SIGHUP from a terminal that has gone (its window closed, an ssh session dropped) leaves standard output and
error writing to nothing: each write fails (EIO). Such a stream is pointed at /dev/null when the signal comes
(:func:`_quiet_hung_up_terminals`), as ``nohup`` would have, so that the orderly stop goes to its end: until
2026-12-06 the first line it drew (a scan's bar taken down) failed, and the scan's ``--output`` list of what it had
scored was removed instead of written.
"""
from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import threading

#: The signals turned into an orderly stop.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class _State:
    replaced: dict = {}        # signal -> the disposition :func:`install` replaced
    pid = None                 # the process that installed the handlers (a forked child inherits them)
    received = None            # the first stop signal acted on: the exit code
    pending = None             # a stop signal noted while Ctrl-C was ignored for a while
    ignored_at_start = False   # Ctrl-C was ignored when the command started
    standing_in = False        # so: :func:`ctrl_c_handler` is the stand-in below, not SIGINT's disposition
    stand_in = None            # SIGINT's handler as far as SIGTERM and SIGHUP are concerned, SIGINT itself ignored


def install() -> None:
    """Handle SIGTERM and SIGHUP as Ctrl-C from now on (nothing outside the main thread, or once installed)."""
    if _State.replaced or threading.current_thread() is not threading.main_thread():
        return
    _State.pid, _State.received, _State.pending = os.getpid(), None, None
    _State.ignored_at_start = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    for signum in SIGNALS:
        before = signal.getsignal(signum)
        if before == signal.SIG_DFL:  # (ignored, by nohup say, or a handler of the caller's own: left so)
            signal.signal(signum, _stop)
            _State.replaced[signum] = before
    if _State.replaced and _State.ignored_at_start:  # Ctrl-C stays ignored; SIGTERM and SIGHUP stop in order
        _State.standing_in, _State.stand_in = True, signal.default_int_handler


def uninstall() -> None:
    """The dispositions :func:`install` replaced, back."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum, before in _State.replaced.items():
        if signal.getsignal(signum) is _stop:
            signal.signal(signum, before)
    _State.replaced = {}
    _State.standing_in, _State.stand_in = False, None


def ctrl_c_handler():
    """SIGINT's handler as the holders of Ctrl-C see it (:func:`signal.getsignal`): where Ctrl-C was ignored from
    the start and SIGTERM or SIGHUP is the command line's, the stand-in they are acted on with (Ctrl-C itself stays
    ignored)."""
    if _State.standing_in and os.getpid() == _State.pid:
        return _State.stand_in
    return signal.getsignal(signal.SIGINT)


def set_ctrl_c_handler(handler):
    """Set SIGINT's handler as the holders see it (:func:`signal.signal`; the stand-in, where there is one: see
    :func:`ctrl_c_handler`); returns the one it replaces. ValueError outside the main thread, as
    :func:`signal.signal` gives."""
    if _State.standing_in and os.getpid() == _State.pid:
        if threading.current_thread() is not threading.main_thread():
            raise ValueError("signal only works in main thread of the main interpreter")
        before, _State.stand_in = _State.stand_in, handler
        return before
    return signal.signal(signal.SIGINT, handler)


def exit_code(default: int = 130) -> int:
    """128 + the stop signal acted on (143 for SIGTERM, 129 for SIGHUP), else ``default`` (Ctrl-C's 130)."""
    return 128 + _State.received if _State.received else default


def deliver_pending() -> None:
    """A stop signal noted while Ctrl-C was ignored is acted on now, if Ctrl-C counts again (its handler raises)."""
    signum = _State.pending
    if signum is None or threading.current_thread() is not threading.main_thread():
        return
    handler = ctrl_c_handler()
    if callable(handler):
        _State.pending = None
        _State.received = _State.received or signum
        handler(signal.SIGINT, None)


def end_as_stopped() -> None:
    """At the very end of a process stopped in order by SIGTERM or SIGHUP: end killed by that signal (its default
    action), as a service manager expects of a program that cleans up first: systemd counts death by SIGTERM as a
    clean stop and exit code 143 as a failure (``systemctl stop`` left a review service "failed (status=143)").
    A shell shows 143 or 129 either way."""
    signum = _State.received
    if signum is None or os.getpid() != _State.pid:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    _default(signum)


def _stop(signum, frame) -> None:
    if os.getpid() != _State.pid:  # a forked worker process: not the command
        _default(signum)
    if signum == getattr(signal, "SIGHUP", None):
        _quiet_hung_up_terminals()
    handler = ctrl_c_handler()
    if callable(handler):  # as Ctrl-C now: KeyboardInterrupt, or held and raised later
        _State.received = _State.received or signum
        handler(signal.SIGINT, frame)
    elif handler == signal.SIG_IGN and (_State.standing_in or not _State.ignored_at_start):  # (for a while)
        _State.pending = _State.pending or signum
    else:
        _default(signum)


def _quiet_hung_up_terminals() -> None:
    """Standard output and error, where each is a terminal that has hung up, pointed at /dev/null. A write of
    nothing tells: it fails with EIO on a terminal that has gone, and does nothing on one still there (a SIGHUP
    sent with ``kill``), nor on a file or a pipe. (``os.isatty`` cannot tell: it is False for a terminal gone.)"""
    for fd in (1, 2):
        try:
            if not stat.S_ISCHR(os.fstat(fd).st_mode):
                continue
            os.write(fd, b"")
        except OSError as exc:
            if exc.errno == errno.EIO:
                try:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, fd)
                    os.close(devnull)
                except OSError:
                    pass


def _default(signum) -> None:
    """The signal's default action: the process ends, killed by it."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
