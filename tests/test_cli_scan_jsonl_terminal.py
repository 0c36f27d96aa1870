"""``blurscan scan --format jsonl`` with its lines and the progress bar on one terminal: each line is whole JSON.
The bar (rich's, on standard error) left the cursor at its end, and the next line (written to standard output
directly) was glued to it: ``scanning ━━━ 0/30  ETA -:--:--{"path": ...}``, on the screen and in what is copied
from it (until 2026-12-06). The lines themselves say how far the scan has got: no bar is drawn between them."""
from __future__ import annotations

import json
import os
import re
import sys

from helpers_images import save_jpeg, textured
from helpers_pty import on_terminal


def test_jsonl_lines_on_the_terminal_are_whole(tmp_path):
    for i in range(30):
        save_jpeg(tmp_path / "lib" / f"p{i:02d}.jpg", textured(i, (48, 64)))
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "TTY_INTERACTIVE")}
    rc, received, _ = on_terminal([sys.executable, "-m", "blurscan", "scan", tmp_path / "lib", "--db",
                                   tmp_path / "x.db", "--model", "none", "--workers", "1", "--format", "jsonl"],
                                  env={**env, "TERM": "xterm"})
    assert rc == 0
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", received.decode("utf-8", "replace"))
    lines = [line for line in re.split(r"[\r\n]+", screen) if '{"path"' in line]
    assert len(lines) == 30, screen
    for line in lines:
        assert line.startswith('{"path"'), line[:120]
        assert json.loads(line)["status"] == "ok"
