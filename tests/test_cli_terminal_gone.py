"""A scan whose terminal goes away (its window closed, an ssh session dropped) while it draws its bar: the
terminal hangs up, the command gets SIGHUP and stops as on Ctrl-C, and its ``--output`` list holds what it scored.
Until 2026-12-06 the stop's first write to the terminal gone (the bar taken down) failed with EIO, and the list was
removed instead of written. The command runs in a session of its own with the pseudo-terminal as its controlling
terminal, as under a shell; it is stopped (SIGSTOP) at a drawing of its bar while the terminal is closed, so that
the test does not depend on how fast it scans. An undo whose terminal goes away (stopped by itself at a chosen
file) leaves a journal whose next undo's words are true."""
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
import time

import pytest

from helpers_images import blurred, save_jpeg, textured
from helpers_signals import default_signals

COUNT = 120


def _controlling_terminal() -> None:
    """In the child, after ``setsid``: standard input (the pseudo-terminal) becomes its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    default_signals()


def _scan_drawing_its_bar(tmp_path, out):
    """A scan of COUNT photos (``-o out``) started on a new pseudo-terminal, its controlling terminal, read until its
    bar shows some photos scored: (the process, the terminal's master end, what it showed)."""
    pty = pytest.importorskip("pty")
    root = tmp_path / "lib"
    for i in range(COUNT):
        save_jpeg(root / f"IMG_{i:03d}.jpg", textured(i % 7, (480, 640)))
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
    except BaseException:
        proc.kill()
        os.close(master)
        raise
    return proc, master, shown


@pytest.mark.slow
def test_closing_the_terminal_during_a_scan_keeps_what_it_scored_in_its_output_file(tmp_path):
    out = tmp_path / "out.csv"
    proc, master, shown = _scan_drawing_its_bar(tmp_path, out)
    try:
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


#: `blurscan undo` stopping itself (SIGSTOP) right after its 2nd file is back, before the journal records it: the
#: test closes the terminal there, and the SIGHUP lands in that instant once the process goes on.
_UNDO_STOPPED_AT_2ND = """
import os, signal, sys
from blurscan.actions import restore
real, calls = restore.move_file, []
def move_file(*args, **kwargs):
    out = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGSTOP)
    return out
restore.move_file = move_file
from blurscan.cli import main
main(sys.argv[1:])
"""


def _stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "T"


@pytest.mark.slow
def test_closing_the_terminal_during_an_undo_leaves_words_that_are_true(tmp_path):
    """The terminal closed as undo had put a file back, before the journal recorded it: the SIGHUP stopped it there,
    and the next undo said that file was "already back in place (put back by hand)". Undo now waits for the record:
    the next one restores the rest, and says nothing of hands."""
    pty = pytest.importorskip("pty")
    if not os.path.exists(f"/proc/{os.getpid()}/stat"):
        pytest.skip("needs /proc to see the command stopped")
    root = tmp_path / "lib"
    for i in range(6):
        save_jpeg(root / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
    for argv in (["scan", "--model", "none", "--workers", "1", str(root)],
                 ["move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root)]):
        done = subprocess.run([sys.executable, "-m", "blurscan", *argv], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert not list(root.glob("*.jpg"))
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", _UNDO_STOPPED_AT_2ND, "undo", str(root)], stdin=slave,
                            stdout=slave, stderr=slave, cwd=tmp_path, start_new_session=True,
                            preexec_fn=_controlling_terminal)
    os.close(slave)
    try:
        deadline = time.monotonic() + 60
        while not _stopped(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, "undo ended without stopping"
            time.sleep(0.02)
        os.close(master)  # the terminal gone: SIGHUP for the undo, held until it goes on
        master = None
        proc.send_signal(signal.SIGCONT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        if master is not None:
            os.close(master)
    assert proc.returncode == 129  # (stopped in order: the command line's exit code for SIGHUP)
    assert len(list(root.glob("*.jpg"))) == 2
    again = subprocess.run([sys.executable, "-m", "blurscan", "undo", str(root)], capture_output=True, text=True,
                           cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "batch 1: restored 4 files, removed 1 empty folder the move had created.\n"
    assert len(list(root.glob("*.jpg"))) == 6


@pytest.mark.slow
def test_a_sighup_sent_with_kill_to_a_scan_on_a_terminal_still_there_is_said_there(tmp_path):
    """``kill -HUP`` from another window: the terminal is still there, so it is left as it is (only a terminal that
    has hung up is pointed at /dev/null): the bar is taken down and the scan says how far it got, on it. Mutation
    testing, 2026-12-06: every terminal pointed at /dev/null on SIGHUP went unnoticed (the bar left half drawn, the
    closing line lost)."""
    proc, master, shown = _scan_drawing_its_bar(tmp_path, tmp_path / "out.csv")
    try:
        proc.send_signal(signal.SIGHUP)
        proc.wait(120)
        while select.select([master], [], [], 0)[0]:  # what it wrote after
            try:
                chunk = os.read(master, 65536)
            except OSError:  # (EIO: nothing more, the last writer gone)
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == -signal.SIGHUP, shown
    # (the bar's line erased, then the closing line)
    assert re.search(rb"\x1b\[2Kinterrupted: [1-9]\d* of %d scanned, kept in " % COUNT, shown), shown[-400:]
