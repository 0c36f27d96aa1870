"""The progress bars of ``move`` and ``evaluate`` on a narrow terminal (a phone's, a split pane): each redraw fits
on one line. click drew a bar of 36 characters whatever the width: its line took 61 to 72 columns, wrapped on a
terminal of 40 or 60, and every redraw left a half-drawn bar behind (a screen of them)."""
from __future__ import annotations

import csv
import os
import re
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured
from helpers_library import blurry_library
from helpers_pty import on_terminal


def _on_terminal(args, columns: int, *, stdout_on_terminal: bool = True) -> tuple[int, str]:
    """Run ``blurscan ARGS`` with standard error (and output) on a pseudo-terminal ``columns`` wide, COLUMNS not
    set (as in an interactive shell): (exit code, what the terminal received, escape sequences removed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    rc, screen, _ = on_terminal([sys.executable, "-m", "blurscan", *args], env=env, columns=columns,
                                stdout_on_terminal=stdout_on_terminal)
    return rc, re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", screen.decode("utf-8", "replace"))


def _bar_lines(screen: str, label: str) -> list[str]:
    """Every drawing of the bar: the pieces between carriage returns and new lines that show ``label``."""
    return [piece for piece in re.split(r"[\r\n]", screen) if piece.startswith(label)]


@pytest.mark.parametrize("columns", [40, 60])
def test_move_bar_fits_a_narrow_terminal(tmp_path, columns):
    root = tmp_path / "lib"
    blurry_library(root, 24)  # (more than 20 files: a terminal draws the bar)
    rc, screen = _on_terminal(["move", root, "--all-blurry", "--to", tmp_path / "out", "--yes"], columns)
    assert rc == 0, screen
    drawn = _bar_lines(screen, "Moving")
    assert drawn, screen
    assert all(len(line) < columns for line in drawn), "\n".join(drawn)
    assert "moved 24 photos" in screen and len(os.listdir(tmp_path / "out")) == 24


@pytest.mark.slow
@pytest.mark.parametrize("columns", [40, 60])
def test_evaluate_bar_fits_a_narrow_terminal_its_report_redirected(tmp_path, columns):
    """The width is that of standard error's terminal, where the bar is drawn, also when the report goes to a
    file (click asked standard output's terminal, and took 80 columns when there was none)."""
    rows = []
    for i in range(4):
        sharp = i % 2 == 0
        save_jpeg(tmp_path / f"p{i}.jpg", textured(i, (96, 128)) if sharp else blurred(textured(i, (96, 128)), 4))
        rows.append([f"p{i}.jpg", "sharp" if sharp else "blurry"])
    with open(tmp_path / "m.csv", "w", newline="") as f:
        csv.writer(f).writerows([["file", "label"], *rows])
    for stdout_on_terminal in (True, False):
        rc, screen = _on_terminal(["evaluate", tmp_path / "m.csv", "--model", "none", "--workers", "1",
                                   "--out", tmp_path / "ev"], columns, stdout_on_terminal=stdout_on_terminal)
        assert rc == 0, screen
        drawn = _bar_lines(screen, "Scoring 4 images")
        assert drawn and "100%" in drawn[-1], screen
        assert all(len(line) < columns for line in drawn), "\n".join(drawn)
