"""COLUMNS and LINES set to values that are not a terminal size (0, a digit that is no number) on the real
command: read as Python's shutil reads them (a whole number over 0, else the terminal's own size)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers_cli import run
from helpers_images import save_jpeg, textured
from helpers_pty import on_terminal


@pytest.fixture
def scanned(tmp_path):
    """A library of a photo and a cut JPEG, scanned (in-process): its table has an error line and a summary."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    (tmp_path / "lib" / "cut.jpg").write_bytes((tmp_path / "lib" / "a.jpg").read_bytes()[:700])
    result = run("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    return tmp_path / "lib"


def _env(**values) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, **values}


@pytest.mark.parametrize("columns", ["0", "00"])
def test_columns_zero_on_a_terminal_keeps_the_error_lines_and_the_summary(scanned, columns):
    """rich took COLUMNS=0 for a console 0 wide: the report on a terminal wrote its table and then nothing, no
    'could not be scored' line and no counts. Now the terminal's own width (100 here) is used."""
    rc, screen, _ = on_terminal([sys.executable, "-m", "blurscan", "report", scanned], env=_env(COLUMNS=columns),
                                columns=100)
    text = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]", b"", screen).decode()
    assert rc == 0, text
    assert "1 file(s) could not be scored:" in text and "cut.jpg:" in text, text
    assert "2 files: 0 blurry, 0 partial, 1 sharp, 1 error" in text, text
    assert "lap. var" in text, text  # (the full table: 100 columns hold every column)


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["COLUMNS", "LINES"])
def test_a_digit_that_is_no_number_is_ignored_not_a_traceback(scanned, tmp_path, variable):
    """'²' is a digit to str.isdigit, which rich asked, and no number to int(): every table stopped with a
    ValueError traceback. Now ignored, as shutil ignores it; in a file written with -o too."""
    for extra in ([], ["-o", str(tmp_path / "table.txt")]):
        done = subprocess.run([sys.executable, "-m", "blurscan", "report", str(scanned), *extra],
                              capture_output=True, text=True, env=_env(**{variable: "²"}), timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
    assert "2 files: 0 blurry, 0 partial, 1 sharp, 1 error" in done.stdout + (tmp_path / "table.txt").read_text()
