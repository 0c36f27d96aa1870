"""``blurscan scan --format jsonl`` with its lines and the progress bar on one terminal: each line is whole JSON.
The bar (rich's, on standard error) left the cursor at its end, and the next line (written to standard output
directly) was glued to it: ``scanning ━━━ 0/30  ETA -:--:--{"path": ...}``, on the screen and in what is copied
from it (until 2026-12-06). The lines themselves say how far the scan has got: no bar is drawn between them."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading

import pytest

from helpers_images import save_jpeg, textured


def test_jsonl_lines_on_the_terminal_are_whole(tmp_path):
    pty = pytest.importorskip("pty")
    for i in range(30):
        save_jpeg(tmp_path / "lib" / f"p{i:02d}.jpg", textured(i, (48, 64)))
    master, slave = pty.openpty()
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {k: v for k, v in os.environ.items() if k not in ("TERM", "TTY_INTERACTIVE")}
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(tmp_path / "lib"), "--db",
                             str(tmp_path / "x.db"), "--model", "none", "--workers", "1", "--format", "jsonl"],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env={**env, "TERM": "xterm"})
    os.close(slave)
    assert proc.wait(120) == 0
    reader.join(30)
    os.close(master)
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", b"".join(chunks).decode("utf-8", "replace"))
    lines = [line for line in re.split(r"[\r\n]+", screen) if '{"path"' in line]
    assert len(lines) == 30, screen
    for line in lines:
        assert line.startswith('{"path"'), line[:120]
        assert json.loads(line)["status"] == "ok"
