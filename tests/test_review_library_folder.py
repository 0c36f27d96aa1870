"""`blurscan review LIB` of a library that could not be written, whose database the scan keeps in the cache
folder, opened the page filtered to LIB itself (`&folder=LIB` in its URL: the header read "Whole library: ...",
and the folder list got an option for LIB) where a library with its own `.blurscan.db` opens unfiltered, as the
README shows it. The filter is for a folder *inside* the library (`blurscan review LIB/2024`), which still gets it.
Found by a docs audit (2026-12-05); real scans, the command run as a user runs it, its printed URL read."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from urllib.parse import quote

from helpers_cli import run
from helpers_images import save_jpeg, textured
from helpers_signals import default_signals
import pytest


def _review_url(path, env) -> str:
    """The URL `blurscan review PATH --no-browser` prints; the page stopped with Ctrl-C."""
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", str(path), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_signals)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
        return line.split()[-1]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)


@pytest.mark.slow
def test_review_of_a_read_only_library_opens_unfiltered(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(0))
    save_jpeg(lib / "2024" / "b.jpg", textured(1))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = dict(os.environ)
    lib.chmod(0o555)  # no write bit for anyone: not writable, as root too (the database goes to the cache folder)
    try:
        scanned = run("scan", lib, "--workers", 1)
        assert scanned.exit_code == 0, scanned.output
        assert not (lib / ".blurscan.db").exists()
        assert "&folder=" not in _review_url(lib, env)  # the whole library: no filter, as for a writable one
        inside = quote(str(lib / "2024"), safe="/")  # (URL-escaped: a space is %20)
        assert _review_url(lib / "2024", env).endswith(f"&folder={inside}")  # a folder inside: filtered
    finally:
        lib.chmod(0o755)


@pytest.mark.slow
def test_review_of_a_writable_library_opens_unfiltered(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(0))
    save_jpeg(lib / "2024" / "b.jpg", textured(1))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("scan", lib, "--workers", 1).exit_code == 0
    env = dict(os.environ)
    assert "&folder=" not in _review_url(lib, env)
    assert _review_url(lib / "2024", env).endswith(f"&folder={quote(str(lib / '2024'), safe='/')}")
