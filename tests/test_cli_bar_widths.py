"""The widths ``move``, ``trash`` and ``evaluate``'s progress bar takes on a terminal (cli/bars.py), at the edges:
the bar of click's 36 characters where there is room, narrowed where there is not, its time left left out below
a bar of 5, the whole bar hidden below that; ``COLUMNS`` first, then the terminal's own width. Standard error is a
real pseudo-terminal here. And which terminals draw no bar (a line now and then instead): dumb ones, as rich says
(``TERM=dumb`` or ``unknown``, in any case). test_cli_narrow_bars.py draws the bars themselves."""
from __future__ import annotations

import fcntl
import os
import struct
import sys
import termios

import pytest

from blurscan.cli import bars
from blurscan.cli.progress_lines import bar_drawn


@pytest.fixture
def terminal(monkeypatch):
    """Call it in the test (pytest puts its own standard error back between a fixture and the test): standard
    error on a pseudo-terminal 100 columns wide, ``TERM=xterm``, ``COLUMNS`` not set."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    stream = os.fdopen(slave, "w")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLUMNS", raising=False)
    yield lambda: monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.undo()
    stream.close()
    os.close(master)


# "Moving" (6) + "  [" + "]  " + "100%" (10) + a free last column: 17 columns beside the bar; its time left 13 more
@pytest.mark.parametrize("columns, width, eta, hidden", [
    (200, 36, True, False),  # room for more: click's 36
    (66, 36, True, False),   # just room for 36 and the time left
    (65, 35, True, False),
    (35, 5, True, False),    # the narrowest bar with its time left ...
    (34, 17, False, False),  # ... one column less: the time left goes, the bar takes its room
    (22, 5, False, False),   # the narrowest bar at all ...
    (21, 4, False, True),    # ... one column less: none
])
def test_the_bar_fits_the_columns(terminal, monkeypatch, columns, width, eta, hidden):
    terminal()
    monkeypatch.setenv("COLUMNS", str(columns))
    bar = bars.progressbar(50, "Moving", doing="moving", things="files")
    assert (bar.width, bar.show_eta, bar.hidden) == (width, eta, hidden)
    if not hidden:
        assert len("Moving") + width + 10 + (13 if eta else 0) < columns


def test_columns_is_read_before_the_terminal_and_the_terminal_without_it(terminal, monkeypatch):
    terminal()
    assert bars.progressbar(50, "Moving", doing="moving", things="files").width == 36  # (100 columns)
    monkeypatch.setenv("COLUMNS", "40")  # (a shell that says the width after a resize the terminal has not)
    assert bars.progressbar(50, "Moving", doing="moving", things="files").width == 10
    monkeypatch.setenv("COLUMNS", "0")  # (not a width: the terminal's)
    assert bars.terminal_columns() == 100


@pytest.mark.parametrize("term, drawn", [("xterm", True), ("dumb", False), ("unknown", False), ("DUMB", False),
                                         ("", True)])
def test_which_terminals_draw_a_bar(terminal, monkeypatch, term, drawn):
    terminal()
    monkeypatch.setenv("TERM", term)
    assert bar_drawn() is drawn
    assert isinstance(bars.progressbar(50, "Moving", doing="moving", things="files"), bars._Lines) is not drawn
