"""``FORCE_COLOR`` (set in CI to keep colours in the log) gives colours, not progress bars redrawn into the log ten
times a second: rich took the log for a terminal, and ``synth`` and ``train`` redrew their bars into it."""
from __future__ import annotations

import os
import subprocess
import sys

from helpers_images import save_jpeg, textured


def test_synth_draws_no_bar_into_a_log_under_force_color(tmp_path):
    for i in range(3):
        save_jpeg(tmp_path / "src" / f"p{i}.jpg", textured(i, (96, 128)))
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("TTY_INTERACTIVE", None)
    done = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(tmp_path / "src"), str(tmp_path / "out"),
                           "--per-image", "1", "--max-side", "128", "--no-camera"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", repr(done.stderr)  # (the bar is drawn on a terminal only: nothing else to say here)
    assert done.stdout.startswith("Wrote 3 images from 3 sources")


def test_train_bars_are_not_redrawn_into_a_log_under_force_color():
    """``train``'s bars (rich's, not disabled off a terminal: they are written once as they end) through the
    console the commands make, its stream a pipe."""
    script = ("import time; from rich.progress import Progress; from blurscan.cli.writefail import console\n"
              "bar = Progress(console=console(stderr=True)); bar.start(); task = bar.add_task('training', total=10)\n"
              "for i in range(10):\n    time.sleep(0.05); bar.update(task, completed=i + 1)\n"
              "bar.stop()\n")
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("TTY_INTERACTIVE", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("training") == 1, repr(done.stderr)  # written once, as it ended ...
    assert "\x1b[" in done.stderr  # ... in colour, as FORCE_COLOR asks


def test_a_bar_on_standard_error_asks_standard_error_not_standard_output():
    """``FORCE_COLOR=1 blurscan train ... 2> train.log`` on a terminal: standard output is the terminal, the bars'
    stream the log; they are written once, as there without a terminal (mutation testing of writefail.console)."""
    import pty

    script = ("from rich.progress import Progress; from blurscan.cli.writefail import console\n"
              "bar = Progress(console=console(stderr=True)); bar.start(); task = bar.add_task('training', total=10)\n"
              "for i in range(10):\n    bar.refresh(); bar.update(task, completed=i + 1); bar.refresh()\n"
              "bar.stop()\n")
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("TTY_INTERACTIVE", None)
    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-c", script], stdout=slave, stderr=subprocess.PIPE, text=True,
                              env=env, timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("training") == 1, repr(done.stderr)


def test_clicolor_force_gives_colours_off_a_terminal_and_no_color_wins(tmp_path):
    """``CLICOLOR_FORCE`` set and not 0 forces colours where standard output is no terminal (the clicolors
    convention; rich reads FORCE_COLOR only, and it was ignored until 2026-12-06); ``NO_COLOR`` wins over it."""
    from helpers_cli import run
    from test_cli_interrupt import _scanned_library

    lib = _scanned_library(tmp_path)
    unset = {"FORCE_COLOR": None, "TTY_COMPATIBLE": None, "NO_COLOR": None, "CLICOLOR_FORCE": None}
    for env, coloured in (({}, False), ({"CLICOLOR_FORCE": "1"}, True), ({"CLICOLOR_FORCE": "0"}, False),
                          ({"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, False), ({"CLICOLOR_FORCE": ""}, False),
                          # (rich's own settings say what they say: a terminal that takes no colours, or colours)
                          ({"CLICOLOR_FORCE": "1", "TTY_COMPATIBLE": "0"}, False),
                          ({"CLICOLOR_FORCE": "0", "FORCE_COLOR": "1"}, True)):
        result = run("report", lib, env={**unset, **env})
        assert result.exit_code == 0, result.output
        assert ("\x1b[" in result.stdout) is coloured, (env, result.stdout)
        assert "IMG_1.jpg" in result.stdout
