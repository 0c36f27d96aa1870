"""The progress bar of ``move`` (click's, as ``trash``'s and ``evaluate``'s) when its terminal is narrowed while it is
drawn (a window resized, a pane split): the redraws after it fit the new width. click's bar is sized once, and until
2026-12-06 it went on being drawn 72 columns wide on a terminal narrowed to 40, each redraw wrapping. The command
is stopped (SIGSTOP) at its first drawing while the terminal is narrowed, so that the test does not depend on how
fast it moves the photos."""
from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios

import pytest

from helpers_library import blurry_library


def _size(fd: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))


def _bar_lines(shown: bytes) -> list[str]:
    """Every drawing of the bar in what the terminal was sent, escape sequences removed."""
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", shown.decode("utf-8", "replace"))
    return [piece for piece in re.split(r"[\r\n]", screen) if piece.startswith("Moving")]


def test_the_move_bar_is_fitted_again_when_its_terminal_is_narrowed(tmp_path):
    pty = pytest.importorskip("pty")
    root = tmp_path / "lib"
    blurry_library(root, 40)  # (more than 20 files: a terminal draws the bar)
    master, slave = pty.openpty()
    _size(slave, 80)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "move", str(root), "--all-blurry", "--to",
                             str(tmp_path / "out"), "--yes"], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            env=env)
    os.close(slave)
    before = after = b""
    try:
        while b"Moving" not in before:  # its first drawing, 80 columns wide
            assert select.select([master], [], [], 60)[0], before
            before += os.read(master, 65536)
        proc.send_signal(signal.SIGSTOP)
        _size(master, 40)
        proc.send_signal(signal.SIGCONT)
        while select.select([master], [], [], 60)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:  # (EIO: the command's end is closed)
                break
            if not data:
                break
            after += data
        assert proc.wait(60) == 0, before + after
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    first, drawn = _bar_lines(before), _bar_lines(after)
    assert max(len(line) for line in first) > 40, first  # (drawn for 80 columns first: the test means something)
    assert drawn and "100%" in drawn[-1], after
    assert all(len(line) < 40 for line in drawn), "\n".join(drawn)
    # What was left of the wider line cleared once, when the bar was fitted again; not at each redraw after it.
    assert after.count(b"\r\x1b[K") == 1, after
    assert len(os.listdir(tmp_path / "out")) == 40
