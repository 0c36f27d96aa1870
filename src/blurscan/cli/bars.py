"""The progress bar of ``move``, ``trash`` and ``evaluate`` (click's), drawn on standard error no wider than its
terminal.

click draws a bar of 36 characters whatever the terminal's width, and its line (``Scoring 60 images  [###---]
40%  00:00:03``) took 72 columns: on a narrower terminal (a phone's, a split pane of 40 or 60 columns) the line
wrapped, and each redraw, whose carriage return goes back to the start of the last line only, left the line
above behind: a screen of half-drawn bars, one per redraw (until 2026-12-06). The bar is now narrowed to fit
(one column is left free: a line that reaches the last column wraps on some terminals); where even a short bar
does not fit, the time left is left out, then the whole bar (the command's own lines still say what it did).
Where no bar is drawn (a log, a dumb terminal), a line now and then says how far the command has got
(:mod:`.progress_lines`).
"""
from __future__ import annotations

import os
import sys

import click

#: click's width of the bar, kept where the terminal has room for it.
WIDTH = 36
#: What click writes beside the bar: ``"  ["``, ``"]  "`` and the percentage ...
_AROUND = len("  [") + len("]  ") + len("100%")
#: ... and the time left after two spaces, at its longest (``1d 00:00:00`` beyond a day).
_TIME_LEFT = len("  ") + len("1d 00:00:00")
#: The narrowest bar worth drawing.
LEAST = 5


def progressbar(length: int, label: str, *, doing: str, things: str, label_off_terminal: bool = False):
    """``click.progressbar(length=length, label=label)`` on standard error, narrowed to fit its terminal; where
    no bar is drawn (:func:`.progress_lines.bar_drawn`), an object with the same ``update(n)`` that writes a line
    now and then (:class:`.progress_lines.ProgressLines`: ``doing: 120 of 4,000 things ...``), after ``label``
    itself with ``label_off_terminal`` (as click's bar wrote it there)."""
    from .progress_lines import bar_drawn

    if not bar_drawn():
        return _Lines(length, label if label_off_terminal else None, doing, things)
    columns = terminal_columns()
    width, show_eta, hidden = _fit(label, columns)
    bar = click.progressbar(length=length, label=label, file=sys.stderr, width=width, show_eta=show_eta,
                            hidden=hidden)
    return bar if hidden else _Refitted(bar, label, columns)


def _fit(label: str, columns: int) -> tuple[int, bool, bool]:
    """The bar's width, whether the time left is shown and whether the bar is left out, on ``columns``."""
    room = columns - 1 - len(label) - _AROUND
    show_eta = room - _TIME_LEFT >= LEAST
    if show_eta:
        room -= _TIME_LEFT
    return max(min(WIDTH, room), 1), show_eta, room < LEAST


class _Refitted:
    """click's bar, fitted again to its terminal before a redraw when the terminal's width has changed (a window
    resized, a pane split). click's is sized once: until 2026-12-06 the bar drawn for 80 columns went on being
    drawn 72 wide after the window was narrowed to 40, each redraw wrapping and leaving a line behind. Narrowed
    below the shortest bar, it is drawn 1 wide, without the time left."""

    def __init__(self, bar, label: str, columns: int) -> None:
        self.bar, self.label, self.columns = bar, label, columns

    def __enter__(self) -> _Refitted:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self.bar.__exit__(*exc_info)

    def __getattr__(self, name: str):  # (its position, width, ...: click's bar's)
        return getattr(self.bar, name)

    def update(self, n: int) -> None:
        columns = terminal_columns()
        if columns != self.columns:
            narrower, self.columns = columns < self.columns, columns
            self.bar.width, self.bar.show_eta, _ = _fit(self.label, columns)
            self.bar.max_width = None  # (click pads each redraw with spaces to the longest line it drew)
            if narrower:  # (what is left of the wider line is cleared)
                self.bar.file.write("\r\x1b[K")
        self.bar.update(n)


def terminal_columns() -> int:
    """The width of the terminal standard error is on: ``COLUMNS`` where it is set (as ``shutil`` reads it), else
    the terminal's own; 80 when neither says (click asked standard output's terminal, which is no terminal when
    the report is redirected: ``blurscan evaluate m.csv > report.txt``)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


class _Lines:
    """The progress bar where none is drawn: a line now and then."""

    def __init__(self, length: int, label: str | None, doing: str, things: str) -> None:
        from .progress_lines import ProgressLines

        self.length, self.label, self.pos = length, label, 0
        self.lines = ProgressLines(lambda line: click.echo(line, err=True), doing=doing, things=things)

    def __enter__(self) -> _Lines:
        if self.label:
            click.echo(self.label, err=True)
        self.lines.update(0, self.length)
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def update(self, n: int) -> None:
        self.pos += n
        self.lines.update(self.pos, self.length)
