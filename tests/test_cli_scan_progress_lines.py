"""A scan whose standard error is no terminal (nohup, a CI job, ``2> scan.log``) or a dumb one (``TERM=dumb``)
says how far it has got now and then: until 2026-12-06 it wrote nothing until it ended, however long it ran (a CI
service stops a job silent for ten minutes), and a dumb terminal got a blank line from the bar it could not
draw."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured
from helpers_pty import on_terminal


def test_lines_are_occasional_and_never_ten_minutes_apart():
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said: list[tuple[float, str]] = []
    lines = ProgressLines(lambda line: said.append((now[0], line)), clock=lambda: now[0])
    total = 10 * 24 * 3600  # a day's scan at 10 files a second, a call per file
    for done in range(0, total, 10):  # (every tenth call: the same times, a tenth of the test's work)
        now[0] = done / 10
        lines.update(done, total)
    times = [t for t, _ in said]
    assert times[0] == 60 and times[1] == 120  # the first after a minute, then one a minute ...
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert max(gaps) <= 600 and gaps[-1] == 600  # ... further apart later, never over ten minutes
    assert 100 < len(said) < 170  # not thousands
    assert said[0][1] == "scanning: 600 of 864,000 files (10 files/s, about 23 h 59 min left)"
    assert said[-1][1].endswith("(10 files/s, about 1 min left)")


def test_a_slow_rate_is_not_rounded_to_nothing():
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    for done in range(0, 40):  # a photo every 2.5 s (a slow network share)
        now[0] = done * 2.5
        lines.update(done, 1000)
    assert said == ["scanning: 24 of 1,000 files (0.4 files/s, about 41 min left)"]


def test_a_resumed_scan_counts_the_rate_of_the_files_it_reads_not_of_those_it_reuses():
    """A scan of 45,000 photos, 40,000 of them unchanged: their records are reused first (2,000 a second here), then
    the others are read, 10 a second. The rate is the last half minute's: until 2026-12-06 it counted from the start,
    and a line said "673 files/s, under a minute left" with 8 minutes' work left (and went on saying so)."""
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    lines.update(0, 45_000)
    for done in range(256, 40_000, 256):  # (the pipeline says how far it got every 256 reused records)
        now[0] = done / 2000
        lines.update(done, 45_000)
    now[0] = 20.0
    lines.update(40_000, 45_000)
    for read in range(1, 1201):
        now[0] = 20 + read / 10
        lines.update(40_000 + read, 45_000)
    assert said[:2] == ["scanning: 40,400 of 45,000 files (10 files/s, about 8 min left)",
                        "scanning: 41,000 of 45,000 files (10 files/s, about 7 min left)"]


def test_the_bar_of_a_resumed_scan_shows_the_rate_of_the_files_it_reads():
    """The bar on a terminal: its rate is the last half minute's too (its time left, rich's, was already)."""
    from blurscan.cli.scan_bar import ProgressBar

    now = [0.0]
    bar = ProgressBar(clock=lambda: now[0])
    rates = []
    bar.update(0, 45_000)
    for done in range(256, 40_000, 256):
        now[0] = done / 2000
        bar.update(done, 45_000)
    for read in range(1, 601):
        now[0] = 20 + read / 10
        bar.update(40_000 + read, 45_000)
        rates.append(bar.progress.tasks[0].fields["rate"])
    assert rates[400] == rates[-1] == "10 files/s", (rates[400], rates[-1])  # (from 30 s after the reuse)
    for read in range(1, 41):  # then a slow share's: a file every 2.5 s
        now[0] = 80 + read * 2.5
        bar.update(40_600 + read, 45_000)
    assert bar.progress.tasks[0].fields["rate"] == "0.4 files/s"


def test_no_rate_before_it_can_be_measured():
    """The first update after the first minute (the walk of a large library took five; synth's first photo two)
    gives no rate: until 2026-12-06 "(0.0 files/s)"."""
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    now[0] = 300.0
    lines.update(0, 10_000_000)
    now[0] = 360.0
    lines.update(600, 10_000_000)
    assert said[0] == "scanning: 0 of 10,000,000 files"
    assert said[1] == "scanning: 600 of 10,000,000 files (10 files/s, about 277 h 46 min left)"
    said.clear()
    now[0] = 0.0
    synth = ProgressLines(said.append, clock=lambda: now[0], doing="synth", things="photos")
    now[0] = 120.0
    synth.update(1, 3)
    assert said == ["synth: 1 of 3 photos"]


def test_a_stall_of_half_a_minute_says_a_rate_of_0_and_no_time_left():
    """Nothing done in the last half minute (a large RAW on a slow share, a drive waking up): the rate is 0, said
    as such, and no time left is worked out from it (a division by that 0 would stop the scan; mutation testing:
    ``rate >= 0`` went unnoticed)."""
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    for t, done in ((0.0, 0), (1.0, 10), (2.0, 20), (61.0, 20), (62.0, 20), (125.0, 20)):
        now[0] = t
        lines.update(done, 100)
    assert said == ["scanning: 20 of 100 files (0.0 files/s)", "scanning: 20 of 100 files (0.0 files/s)"]


@pytest.mark.parametrize("left, said", [(599, "under a minute left"), (600, "about 1 min left"),
                                        (35_999, "about 60 min left"), (36_000, "about 1 h 00 min left"),
                                        (111_000, "about 3 h 05 min left")])
def test_the_time_left_in_words(left, said):
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    lines = []
    progress = ProgressLines(lines.append, clock=lambda: now[0])
    for second in range(61):  # 10 files a second
        now[0] = second
        progress.update(10 * second, 600 + left)
    assert lines == [f"scanning: 600 of {600 + left:,} files (10 files/s, {said})"]


def test_nothing_said_within_the_first_minute_nor_once_every_file_is_done():
    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    for done in range(100):
        now[0] = done * 0.5
        lines.update(done, 200)
    assert said == []
    now[0] = 300
    lines.update(200, 200)  # (the scan's closing line says it)
    assert said == []


@pytest.fixture
def photos(tmp_path):
    for i in range(6):
        save_jpeg(tmp_path / "lib" / f"p{i}.jpg", textured(i, (48, 64)))
    return tmp_path / "lib"


def test_scan_with_standard_error_in_a_log_says_how_far_it_got(photos, tmp_path, monkeypatch):
    """Through the command (standard error is no terminal under CliRunner), a line due at every file."""
    from blurscan.cli import progress_lines

    monkeypatch.setattr(progress_lines, "FIRST", 0.0)
    result = CliRunner().invoke(main, ["scan", str(photos), "--db", str(tmp_path / "x.db"), "--model", "none",
                                       "--workers", "1", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("scanning: 0 of 6 files\n")  # (at once here: no rate yet)
    said = re.findall(r"^scanning: (\d) of 6 files \([\d,.]+ files/s, [^)]+ left\)$", result.stderr, re.M)
    assert said and said == sorted(said) and "6" not in said, result.stderr
    assert len(result.stdout.splitlines()) == 6  # (the list itself as it was)


def test_json_lines_to_a_file_beside_a_log_of_both_streams_still_say_how_far(photos, tmp_path):
    """``scan --format jsonl --output list.jsonl > scan.log 2>&1``: standard output and error are one file, but
    the JSON Lines go to their own: the log gets the lines (none only where the JSON Lines share its place)."""
    script = ("import sys; import blurscan.cli.progress_lines as p; p.FIRST = 0.0; from blurscan.cli import main; "
              "sys.argv[0] = 'blurscan'; main()")
    with open(tmp_path / "scan.log", "w") as log:
        subprocess.run([sys.executable, "-c", script, "scan", str(photos), "--db", str(tmp_path / "x.db"), "--model",
                        "none", "--workers", "1", "--format", "jsonl", "--output", str(tmp_path / "list.jsonl")],
                       stdout=log, stderr=subprocess.STDOUT, check=True, timeout=120)
    said = (tmp_path / "scan.log").read_text()
    assert said.startswith("scanning: 0 of 6 files\n") and "scanned 6 files" in said, said
    assert len((tmp_path / "list.jsonl").read_text().splitlines()) == 6


def _dumb_terminal(args) -> str:
    """What a terminal with ``TERM=dumb`` receives from ``python ARGS`` (standard output and error on it)."""
    rc, screen, _ = on_terminal([sys.executable, *args], env={**os.environ, "TERM": "dumb"}, timeout=60)
    assert rc == 0, screen
    return screen.decode()


def test_dumb_terminal_gets_no_blank_line(photos, tmp_path):
    screen = _dumb_terminal(["-m", "blurscan", "scan", photos, "--db", tmp_path / "x.db", "--model", "none",
                             "--workers", "1", "--output", tmp_path / "list.txt"])
    assert "\x1b[" not in screen, repr(screen)
    lines = screen.replace("\r\n", "\n").splitlines()
    assert len(lines) == 1 and lines[0].startswith("scanned 6 files"), repr(screen)


def test_dumb_terminal_gets_the_lines(photos, tmp_path):
    script = ("import sys; import blurscan.cli.progress_lines as p; p.FIRST = 0.0; from blurscan.cli import main; "
              "sys.argv[0] = 'blurscan'; main()")
    screen = _dumb_terminal(["-c", script, "scan", photos, "--db", tmp_path / "x.db", "--model", "none",
                             "--workers", "1", "--output", tmp_path / "list.txt"])
    lines = screen.replace("\r\n", "\n").splitlines()
    assert lines[0].startswith("scanning: ") and lines[-1].startswith("scanned 6 files"), repr(screen)
    assert "" not in lines and "\x1b[" not in screen, repr(screen)


def test_the_bar_measures_its_rate_afresh_after_the_scan_was_stopped_and_continued():
    """Ctrl-Z, then ``fg`` 20 s later: the scan and its workers stood still meanwhile, which is no time of work.
    Until 2026-12-06 the bar counted it in for the next half minute: "3.3 files/s" and a time left three times too
    long (rich's) for a scan of 10 files a second (after a stop over lunch, "0.0 files/s"). A real SIGCONT is
    sent."""
    import signal

    from blurscan.cli.scan_bar import ProgressBar

    now = [0.0]
    bar = ProgressBar(clock=lambda: now[0])
    before = signal.getsignal(signal.SIGCONT)
    try:
        for done in range(0, 601):  # 10 files a second for a minute
            now[0] = done / 10
            bar.update(done, 2_000)
        now[0] = 80.0  # stopped for 20 s, then continued
        os.kill(os.getpid(), signal.SIGCONT)
        for read in range(1, 51):
            now[0] = 80 + read / 10
            bar.update(600 + read, 2_000)
    finally:
        signal.signal(signal.SIGCONT, before)
    task = bar.progress.tasks[0]
    assert float(task.fields["rate"].split()[0]) == pytest.approx(10, abs=0.1), task.fields["rate"]
    assert task.fields["left"] in ("0:02:15", "0:02:16"), task.fields["left"]  # (1,350 files left at 10 a second)


def test_the_lines_measure_their_rate_afresh_after_the_scan_was_stopped_and_continued():
    """The same in a log (a scan under ``nohup`` stopped with ``kill -STOP``, continued with ``kill -CONT``): the
    first line after it said "0.0 files/s" and no time left, until 2026-12-06."""
    import signal

    from blurscan.cli.progress_lines import ProgressLines

    now = [0.0]
    said = []
    lines = ProgressLines(said.append, clock=lambda: now[0])
    before = signal.getsignal(signal.SIGCONT)
    try:
        for done in range(0, 1201):  # 8 files a second for 150 s: lines at 60 s and 120 s
            now[0] = done / 8
            lines.update(done, 5_000)
        now[0] = 750.0  # stopped for ten minutes, then continued
        os.kill(os.getpid(), signal.SIGCONT)
        for read in range(1, 801):
            now[0] = 750 + read / 8
            lines.update(1_200 + read, 5_000)
    finally:
        signal.signal(signal.SIGCONT, before)
    assert said[2:] == ["scanning: 1,201 of 5,000 files (8.0 files/s, about 8 min left)",
                        "scanning: 1,802 of 5,000 files (8.0 files/s, about 7 min left)"], said


def test_a_stop_during_the_walk_and_a_later_change_of_pace_are_measured():
    """Ctrl-Z and ``fg`` while the scan still walks its folders (before the bar's first count), then a scan that
    slows from 10 files a second to 5 after a second stop: no traceback at the first count, and the rate follows
    the files read after each stop (mutation testing, 2026-12-06: a stop before the first count unguarded, or the
    continue not taken as seen, went unnoticed; the latter froze the rate at the pace before the stop, or showed
    none at all)."""
    import signal

    from blurscan.cli.scan_bar import ProgressBar

    now = [0.0]
    bar = ProgressBar(clock=lambda: now[0])
    before = signal.getsignal(signal.SIGCONT)
    try:
        os.kill(os.getpid(), signal.SIGCONT)  # continued during the walk
        now[0] = 30.0
        for done in range(0, 601):  # 10 files a second for a minute
            now[0] = 30 + done / 10
            bar.update(done, 20_000)
        assert bar.progress.tasks[0].fields["rate"] == "10 files/s"
        now[0] = 200.0
        os.kill(os.getpid(), signal.SIGCONT)  # stopped again, then 5 files a second for a minute
        for read in range(1, 301):
            now[0] = 200 + read / 5
            bar.update(600 + read, 20_000)
    finally:
        signal.signal(signal.SIGCONT, before)
    task = bar.progress.tasks[0]
    assert task.fields["rate"] == "5.0 files/s", task.fields["rate"]
    assert task.fields["left"] in ("1:03:40", "1:03:41"), task.fields["left"]  # (19,100 files left at 5 a second)


def test_results_waiting_at_a_stop_do_not_count_as_done_in_no_time():
    """Ctrl-Z with 200 results waiting (the worker processes had scored them): the first count after ``fg`` takes
    them all at once. They are left out of the rate with the time stood still, so the bar goes on saying 10 files
    a second, not "16 files/s" for the next half minute (mutation testing, 2026-12-06: the stop's time left out
    but not its files went unnoticed; the doc's "530 files/s" at the first count after ``fg``). A real SIGCONT."""
    import signal

    from blurscan.cli.scan_bar import ProgressBar

    now = [0.0]
    bar = ProgressBar(clock=lambda: now[0])
    before = signal.getsignal(signal.SIGCONT)
    try:
        for done in range(0, 601):
            now[0] = done / 10
            bar.update(done, 5_000)
        now[0] = 90.0  # stopped for half a minute, then continued: 200 results counted at once
        os.kill(os.getpid(), signal.SIGCONT)
        bar.update(800, 5_000)
        for read in range(1, 101):
            now[0] = 90 + read / 10
            bar.update(800 + read, 5_000)
    finally:
        signal.signal(signal.SIGCONT, before)
    assert bar.progress.tasks[0].fields["rate"] == "10 files/s", bar.progress.tasks[0].fields["rate"]


@pytest.mark.parametrize("rate, files, said", [
    (3.0, 1, "0:00:01"),          # a file left is never "0:00:00" (rich's bar rounds its seconds up too)
    (10.0, 45_000, "1:15:00"),    # hours carried, not "0:75:00"
    (0.4, 100_000, "69:26:40"),
    (10.0, 0, "0:00:00"), (None, 0, "0:00:00"),  # every file done, with a rate or none
    (None, 5, "-:--:--"), (0.0, 5, "-:--:--")])
def test_the_bars_time_left(rate, files, said):
    """Mutation testing, 2026-12-06: the seconds rounded down, hours not carried, and nothing left said as no
    rate, each went unnoticed."""
    from blurscan.cli.scan_bar import time_left

    assert time_left(rate, files) == said
