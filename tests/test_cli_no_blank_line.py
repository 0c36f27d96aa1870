"""A command's error off a terminal is its lines alone: rich's progress display, closed, printed a blank line
above it (``synth`` and ``train`` until 2026-12-05), which a log or a script reading stderr got too."""
from __future__ import annotations

from helpers_cli import run


def test_synth_off_a_terminal_prints_no_blank_line(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.jpg").write_text("not a photo\n")
    result = run("synth", bad, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"skipped {bad / 'x.jpg'}: not an image Pillow can read\n"
                             f"Error: no image could be made from the 1 source (each skipped, listed above); "
                             f"nothing was left in {tmp_path / 'out'}: give other sources\n")
    assert "\n\n" not in result.output
