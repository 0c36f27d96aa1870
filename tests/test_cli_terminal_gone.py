"""A scan whose terminal goes away (its window closed, an ssh session dropped) while it draws its bar: the
terminal hangs up, the command gets SIGHUP and stops as on Ctrl-C, and its ``--output`` list holds what it scored.
Until 2026-12-06 the stop's first write to the terminal gone (the bar taken down) failed with EIO, and the list was
removed instead of written. The command runs in a session of its own with the pseudo-terminal as its controlling
terminal, as under a shell; it is stopped (SIGSTOP) at a drawing of its bar while the terminal is closed, so that
the test does not depend on how fast it scans."""
from __future__ import annotations

import csv
import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import termios

import pytest

from helpers_images import save_jpeg, textured

COUNT = 120


def _controlling_terminal() -> None:
    """In the child, after ``setsid``: standard input (the pseudo-terminal) becomes its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # (a test run put in the background inherits Ctrl-C ignored)


def test_closing_the_terminal_during_a_scan_keeps_what_it_scored_in_its_output_file(tmp_path):
    pty = pytest.importorskip("pty")
    root = tmp_path / "lib"
    for i in range(COUNT):
        save_jpeg(root / f"IMG_{i:03d}.jpg", textured(i % 7, (480, 640)))
    out = tmp_path / "out.csv"
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(root), "-o", str(out), "--model", "none",
                             "--workers", "1"], stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path,
                            start_new_session=True, preexec_fn=_controlling_terminal,
                            env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | {
                                "TERM": "xterm"})
    os.close(slave)
    shown = b""
    try:
        while not re.search(rb"\D[1-9]\d*/%d" % COUNT, shown):  # its bar, some photos scored
            assert select.select([master], [], [], 120)[0], shown
            shown += os.read(master, 65536)
        proc.send_signal(signal.SIGSTOP)
        os.close(master)  # the terminal gone: SIGHUP (and SIGCONT) from the system
        master = None
        proc.send_signal(signal.SIGCONT)
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
        if master is not None:
            os.close(master)
    assert proc.returncode == -signal.SIGHUP, shown  # (stopped in order, then ended by the signal)
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    assert 0 < len(rows) < COUNT, len(rows)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]
