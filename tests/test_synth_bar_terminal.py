"""``synth``'s progress bar on a terminal: drawn (and cleared as it ends) unless ``--quiet`` ('No progress bar'). Since 2026-12-06 a bar
that is not drawn is not opened either (rich before 14.3 closed a disabled one with a blank line), and no test
noticed when the bar was never opened at all, on a terminal too (mutation testing)."""
from __future__ import annotations

import os
import sys

import pytest

from helpers_images import save_jpeg, textured
from helpers_pty import on_terminal


def _terminal(args) -> str:
    """What a terminal (``TERM=xterm``, 100 columns) receives from ``python -m blurscan ARGS``."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_INTERACTIVE"):
        env.pop(name, None)
    rc, screen, _ = on_terminal([sys.executable, "-m", "blurscan", *args], env=env)
    assert rc == 0, screen
    return screen.decode()


@pytest.mark.parametrize("quiet", [False, True])
def test_synth_draws_its_bar_on_a_terminal_unless_quiet(tmp_path, quiet):
    for i in range(3):
        save_jpeg(tmp_path / "src" / f"p{i}.jpg", textured(i, (96, 128)))
    screen = _terminal(["synth", tmp_path / "src", tmp_path / f"out{quiet}", "--per-image", "1", "--max-side", "128",
                        "--no-camera", *(["--quiet"] if quiet else [])])
    drawn = "synth " in screen and "3/3" in screen  # (its label and count; the bar itself in box-drawing characters)
    assert drawn != quiet, repr(screen)
    said = screen.rsplit("\x1b[2K", 1)[-1]  # (after the bar, cleared as it ends: the closing line alone)
    assert said.startswith("Wrote 3 images from 3 sources") and said.count("\n") == 1, repr(screen)
    assert ("\x1b[" in screen) != quiet, repr(screen)  # (quiet: nothing drawn, the closing line only)
