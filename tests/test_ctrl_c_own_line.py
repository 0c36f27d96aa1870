"""Ctrl-C pressed on a terminal: the terminal itself writes ``^C`` where its cursor is (``stty echoctl``, the
default), at the start of the line the command's message then took: ``^CStopped.`` after ``blurscan review``,
``^Cinterrupted: 232 of 325 scanned ...`` after a scan's bar had gone (until 2026-12-06). The message now takes its
line alone (:func:`blurscan.cli.ctrl_c.own_line`). The key is pressed for real here: the command runs on a
pseudo-terminal that is its controlling terminal, and the test types Ctrl-C into it."""
from __future__ import annotations

import os
import select
import signal
import sys
import time

import pytest

from helpers_signals import default_signals
from test_cli_interrupt import _scanned_library


def _type_ctrl_c_after(argv: list[str], prompt: bytes, timeout: float = 60, env: dict | None = None
                       ) -> tuple[int, bytes]:
    """Run ``argv`` on a new pseudo-terminal (with ``env`` added to the environment), type Ctrl-C once ``prompt`` is
    on it; (exit code, what it shows)."""
    pty = pytest.importorskip("pty")
    pid, master = pty.fork()
    if pid == 0:  # the child: the terminal's Ctrl-C is SIGINT to it (a test run in the background ignores it)
        default_signals()
        os.execve(sys.executable, [sys.executable, *argv], {**os.environ, **(env or {})})
    shown, typed, deadline = b"", False, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not typed and prompt in shown:
                os.write(master, b"\x03")
                typed = True
            if select.select([master], [], [], 0.1)[0]:
                try:
                    data = os.read(master, 65536)
                except OSError:  # (EIO: the child's end is closed)
                    break
                if not data:
                    break
                shown += data
    finally:
        os.close(master)
        ended, status = os.waitpid(pid, os.WNOHANG)
        while not ended and time.monotonic() < deadline:
            time.sleep(0.05)
            ended, status = os.waitpid(pid, os.WNOHANG)
        if not ended:  # (still running after the time given: the assertions below say so)
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown


def _screen_lines(shown: bytes) -> list[str]:
    """The lines as the terminal shows them: a carriage return goes back to the line's start, and what follows
    writes over what was there."""
    lines = []
    for raw in shown.decode("utf-8", "replace").split("\r\n"):
        line = ""
        for part in raw.split("\r"):
            line = part + line[len(part):]
        lines.append(line)
    return lines


@pytest.mark.slow
def test_stopped_is_on_a_line_of_its_own_after_the_terminals_echo_of_ctrl_c(tmp_path):
    code, shown = _type_ctrl_c_after(["-m", "blurscan", "review", _scanned_library(tmp_path), "--no-browser"],
                                     b"Press Ctrl+C to stop.")
    assert code == 130, shown
    assert b"^C" in shown, shown  # (the terminal echoed the key: the test means something)
    lines = _screen_lines(shown)
    assert lines[-2:] == ["Stopped.", ""], shown
    assert lines[-3].endswith("Press Ctrl+C to stop."), shown


@pytest.mark.slow
def test_a_dumb_terminal_is_sent_no_carriage_return(tmp_path):
    """``TERM=dumb`` (an editor's shell buffer) may show a carriage return as ``^M`` rather than go back to the
    line's start: nothing is written there before the message, which follows the echoed ``^C`` as before."""
    code, shown = _type_ctrl_c_after(["-m", "blurscan", "review", _scanned_library(tmp_path), "--no-browser"],
                                     b"Press Ctrl+C to stop.", env={"TERM": "dumb"})
    assert code == 130, shown
    assert b"^CStopped.\r\n" in shown, shown
