"""How far a command has got where no progress bar is drawn: standard error not a terminal (``nohup``, a CI
job, ``2> scan.log``) or a dumb one (``TERM=dumb``: Emacs's shell). A line now and then, ``scanning: 1,200 of
45,000 files (40 files/s, about 18 min left)``: the first after a minute, then one a minute, then further apart as
the work goes on, never more than ten minutes apart (so a day's scan writes about 150 lines, and a CI service
that stops a job silent for ten minutes does not stop it). ``scan``, ``synth``, ``evaluate``, ``move`` and
``trash`` say so; until 2026-12-06 they wrote nothing there until they ended, however long they ran.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

#: Seconds before the first line, and the shortest time between two.
FIRST = 60.0
#: The longest time between two lines.
LONGEST = 600.0
#: Seconds of work the rate (and the time left) is measured over: the last half minute's, as the bar's time left
#: (rich's). Since the start it counted a resumed scan's reused records, thousands a second before the first file
#: was read: ``(673 files/s, under a minute left)`` for 8 minutes' work, for most of them (until 2026-12-06).
WINDOW = 30.0


def bar_drawn() -> bool:
    """Whether standard error is a terminal that draws a progress bar (rich draws nothing on a dumb one)."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # (closed, or replaced by an object without one)
        return False
    return tty and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


class ProgressLines:
    """``update(done, total)`` as a scan's files complete; ``say(line)`` writes a line when one is due. Used where
    the progress bar is, with its ``start``, ``stop`` and ``console`` (None: lines are written as they come)."""

    console = None

    def __init__(self, say: Callable[[str], None], clock: Callable[[], float] = time.monotonic, *,
                 doing: str = "scanning", things: str = "files") -> None:
        self.say = say
        self.doing, self.things = doing, things
        self.clock = clock
        self.started = clock()
        self.due = self.started + FIRST
        self.rate = Rate()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def update(self, done: int, total: int) -> None:
        now = self.clock()
        rate = self.rate.add(now, done)
        if now < self.due or done >= total:
            return
        figures = ""  # (no rate before a second update: a scan whose walk took minutes said "0.0 files/s")
        if rate is not None:
            left = f", {_time_left((total - done) / rate)}" if rate > 0 else ""
            per_second = f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"  # (a slow share's 0.4 photos/s is not 0)
            figures = f" ({per_second} {self.things}/s{left})"
        self.say(f"{self.doing}: {done:,} of {total:,} {self.things}{figures}")
        self.due = now + min(LONGEST, max(FIRST, (now - self.started) / 10))


class _Continued:
    count = 0  # SIGCONTs received since :func:`watch_continued`


def _continued(signum, frame) -> None:
    _Continued.count += 1


def watch_continued() -> int:
    """Count each SIGCONT from now on (the command brought back after Ctrl-Z with ``fg`` or ``bg``, or after
    ``kill -STOP`` with ``kill -CONT``: it and its workers were stopped meanwhile); returns the count so far. A
    handler of the caller's own is left as it is; nothing outside the main thread."""
    if hasattr(signal, "SIGCONT") and threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGCONT) == signal.SIG_DFL:
        signal.signal(signal.SIGCONT, _continued)
        signal.siginterrupt(signal.SIGCONT, False)  # (system calls under way go on: no EINTR in other threads)
    return _Continued.count


def continued() -> int:
    """How many times the command was continued (SIGCONT) since :func:`watch_continued`."""
    return _Continued.count


class Rate:
    """Things done a second over the last :data:`WINDOW` seconds: ``add(now, done)`` at each update returns it,
    None at the first update (nothing to measure it over). Measured from the oldest sample kept (the samples are
    a second apart or more), so the first rates may cover less than a second: a walk that ends just before the first
    line is due can give a rate of reused records. The lines' rate and the scan's bar's (each counted since the
    start until 2026-12-06: a resumed scan's reused records made it thousands a second).

    A command stopped (Ctrl-Z) and continued (``fg``) leaves out what lies between its last update before the stop
    and its first after it, the time it stood still (no time of work) and the files done then (results that were
    waiting, which would count as done in no time: "530 files/s" at the first update after ``fg``): the rate goes
    on from the one before the stop. Until 2026-12-06 that time was counted in for the next half minute: a scan of
    10 files a second stopped for 20 s said "0.6 files/s" after ``fg``, one stopped over lunch "0.0 files/s" and
    hours left."""

    def __init__(self) -> None:
        self.samples: deque[tuple[float, int]] = deque()  # (time, done), a second apart or more
        self.last: tuple[float, int] | None = None  # the last update's (time, done)
        self.continued = watch_continued()

    def add(self, now: float, done: int) -> float | None:
        if self.continued != continued():  # stopped and continued since the last update: what lies between left out
            self.continued = continued()
            if self.last is not None:
                later, more = now - self.last[0], done - self.last[1]
                self.samples = deque((then + later, done_then + more) for then, done_then in self.samples)
        self.last = (now, done)
        if not self.samples or now - self.samples[-1][0] >= 1:
            self.samples.append((now, done))
        while len(self.samples) > 1 and self.samples[1][0] <= now - WINDOW:  # (the oldest kept: WINDOW ago)
            self.samples.popleft()
        since, done_then = self.samples[0]
        return (done - done_then) / (now - since) if now > since else None


def _time_left(seconds: float) -> str:
    """``"under a minute left"``, ``"about 18 min left"``, ``"about 3 h 05 min left"``."""
    if seconds < 60:
        return "under a minute left"
    if seconds < 3600:
        return f"about {seconds / 60:.0f} min left"
    minutes = round(seconds / 60)
    return f"about {minutes // 60} h {minutes % 60:02d} min left"
