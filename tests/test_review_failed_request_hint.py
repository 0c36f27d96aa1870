"""The review server's terminal line of a request that failed unexpectedly (the page's "internal error of the
review server") says how to have its traceback, which a bug report needs: ``BLURSCAN_DEBUG=1`` (until 2026-12-06
only the README's Troubleshooting said so). With it set, the traceback itself is there, and no hint."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from blurscan.review import security
from helpers_cli import run
from helpers_images import save_jpeg, textured
from helpers_signals import default_signals

#: `blurscan review`, its full view of a photo failing as a bug would make it fail.
CHILD = """
import runpy, sys
import blurscan.review.app as app

def broken(*args, **kwargs):
    raise RuntimeError("the view broke")

app.shown_as_scanned = broken
sys.argv[0] = "blurscan"
runpy.run_module("blurscan", run_name="__main__")
"""


def _failed_request_said(lib, photo, debug: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "BLURSCAN_DEBUG"}
    if debug is not None:
        env["BLURSCAN_DEBUG"] = debug
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "review", str(lib), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_signals)
    try:
        url = urlsplit(proc.stdout.readline().split(": ", 1)[1].strip())
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", f"{url.path}?{url.query}")
        cookie = conn.getresponse().getheader("Set-Cookie").split(";")[0]
        conn.close()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", f"/full/{security.path_id(str(photo))}", headers={"Cookie": cookie})
        answer = conn.getresponse()
        assert answer.status == 500 and b"internal error of the review server" in answer.read()
        conn.close()
        proc.send_signal(signal.SIGINT)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        err = proc.communicate(timeout=60)[1]
    return err


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    lib = tmp_path_factory.mktemp("lib")
    save_jpeg(lib / "a.jpg", textured(0))
    assert run("scan", lib, "--model", "none", "--workers", 1).exit_code == 0
    return lib


@pytest.mark.slow
def test_the_terminal_line_of_a_failed_request_says_how_to_have_its_traceback(library):
    err = _failed_request_said(library, library / "a.jpg", None)
    line = f"review server: GET /full/{security.path_id(str(library / 'a.jpg'))} failed: the view broke"
    assert f"{line} (its traceback: run blurscan review again with BLURSCAN_DEBUG=1)" in err.splitlines(), err
    assert "Traceback" not in err


@pytest.mark.slow
def test_with_blurscan_debug_the_traceback_is_there_and_no_hint(library):
    err = _failed_request_said(library, library / "a.jpg", "1")
    assert "RuntimeError: the view broke" in err and "Traceback" in err, err
    assert "BLURSCAN_DEBUG=1)" not in err


def test_the_hint_is_said_once_and_only_while_the_command_serves(monkeypatch, caplog):
    """The clean-clone run found the hint seven times on one line, and on a server the test made itself: each run of
    `blurscan review` in one process (the Python API, a test) added a filter of its own, and none was taken away."""
    import logging

    from blurscan.cli import bugreport

    monkeypatch.delenv(bugreport.DEBUG_VARIABLE, raising=False)
    logger = logging.getLogger("blurscan.review.app")

    def said() -> str:
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="blurscan"):
            logger.error("GET /x failed: it broke", extra={"internal": True})
        return caplog.records[-1].getMessage()

    first, second = bugreport.debug_hint_for_failed_requests(), bugreport.debug_hint_for_failed_requests()
    try:
        assert said().count("BLURSCAN_DEBUG=1") == 1, said()
    finally:
        first()
        second()
    assert said() == "GET /x failed: it broke"
