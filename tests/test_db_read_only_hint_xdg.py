"""The advice given for a database that cannot be written names the cache folder a scan without --db would use:
``$XDG_CACHE_HOME/blurscan/`` where that is set. Until 2026-12-06 it said ``~/.cache/blurscan/`` whatever
XDG_CACHE_HOME said, a folder the scan it advised never used. Real commands on a library made read-only (its mode,
honoured by blurscan as root too)."""
from __future__ import annotations

import os
import subprocess
import sys

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")


def _move(lib, tmp_path, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blurscan", "move", "--to", str(tmp_path / "rejects"), str(lib)],
                          env=env, capture_output=True, text=True, timeout=120)


def test_the_advice_names_the_cache_folder_xdg_cache_home_gives(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / "IMG_2.jpg", textured(2))
    assert run("scan", lib, *SCAN).exit_code == 0
    cache, home = tmp_path / "my cache", tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(home)}
    lib.chmod(0o555)
    try:
        moved = _move(lib, tmp_path, env)
        assert moved.returncode == 1, moved.stderr
        assert f"keeps its database in {cache}/blurscan/ when" in moved.stderr, moved.stderr
        assert "~/.cache" not in moved.stderr, moved.stderr
        unset = {k: v for k, v in env.items() if k != "XDG_CACHE_HOME"}  # (unset: the default, said as before)
        moved = _move(lib, tmp_path, unset)
        assert moved.returncode == 1 and "keeps its database in ~/.cache/blurscan/ when" in moved.stderr, moved.stderr
    finally:
        lib.chmod(0o755)
