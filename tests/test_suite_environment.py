"""The suite's own terminal settings (``tests/conftest.py``): a run started under a CI job's ``FORCE_COLOR=1``,
``CLICOLOR_FORCE=1`` or ``TTY_COMPATIBLE=1`` (colour codes in the tables the tests compare), ``TERM=dumb`` or
``TTY_INTERACTIVE=0`` (no bar drawn on the tests' pseudo-terminals), ``COLUMNS``, or ``BLURSCAN_DEBUG=1`` (debug
lines among a bar's) failed tests of tables and bars until 2026-12-07. A real pytest run in a subprocess, with the
suite's conftest, of tests each of those settings failed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: What a CI job's environment may hold, each of which failed some of :data:`AFFECTED` (as the run said)
CI_TERMINAL = {"FORCE_COLOR": "1", "CLICOLOR_FORCE": "1", "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "0",
               "TERM": "dumb", "COLORTERM": "truecolor", "COLUMNS": "40", "LINES": "10", "BLURSCAN_DEBUG": "1"}
AFFECTED = ["tests/test_report_streaming.py::test_report_table_on_standard_output_is_unchanged",
            "tests/test_cli_scan_surroundings.py::test_progress_bar_only_on_a_terminal",
            "tests/test_cli_narrow_bars.py::test_move_bar_fits_a_narrow_terminal"]


@pytest.mark.slow
def test_tables_and_bars_are_the_same_under_a_ci_jobs_terminal_settings(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-o", "addopts=", "--basetemp", str(tmp_path / "run"), *AFFECTED],
                          cwd=ROOT, env={**os.environ, **CI_TERMINAL}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout.splitlines()[-1], done.stdout[-2000:]
