"""A scan's progress on a terminal: rich's bar (rate and time left by :class:`~.progress_lines.Rate`) and the
lines written to standard error while it is shown (moved out of :mod:`blurscan.cli.scan` on 2026-12-06)."""
from __future__ import annotations

import math
import time

import click

from .progress_lines import Rate
from .writefail import console as _console


class Err:
    """stderr lines, through the progress bar's console while it is shown."""

    def __init__(self) -> None:
        self.console = None

    def line(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(text, err=True)


#: Redraws of the progress bar a second. rich's default, 10, cost the scan's main process 3.2-4.2 % of a core
#: (its drawing thread, measured on a terminal), taken from the worker processes when they use every core;
#: 4 costs 1.3-1.7 % and the count still moves smoothly.
REFRESH_PER_SECOND = 4


class ProgressBar:
    """A rich progress bar with rate and ETA on stderr."""

    def __init__(self, clock=time.monotonic) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = _console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"),
            TextColumn("{task.fields[left]}", style="progress.remaining"),
            console=self.console, transient=True, refresh_per_second=REFRESH_PER_SECOND)
        self.task = self.progress.add_task("finding files", total=None, rate="", left="")
        self.clock = clock
        # the last half minute's rate (since the start until 2026-12-06: a resumed scan's reused records, thousands a
        # second, made it "673 files/s" with 10 files read a second), and the time left from it, drawn as rich's
        # (rich's own, until 2026-12-06, counted the time a scan stood still after Ctrl-Z: three times too long
        # after ``fg``, see progress_lines.Rate)
        self.rate = Rate()

    def start(self) -> None:
        self.progress.start()

    def stop(self) -> None:
        self.progress.stop()

    def update(self, done: int, total: int) -> None:
        rate = self.rate.add(self.clock(), done)
        self.progress.update(self.task, completed=done, total=total, description="scanning",
                             left=time_left(rate, total - done),
                             rate="" if not rate else f"{rate:,.0f} files/s" if rate >= 10 else f"{rate:.1f} files/s")


def time_left(rate: float | None, files: int) -> str:
    """The time left as rich's bar says it: ``0:03:25``, ``-:--:--`` with no rate to go by."""
    if files <= 0:
        return "0:00:00"
    if not rate:
        return "-:--:--"
    minutes, seconds = divmod(math.ceil(files / rate), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}"
