"""Ctrl-C at any moment of a command is one line and exit code 130: while the command's modules load, while
ONNX Runtime's native module initialises, and inside a command without handling of its own (``scan`` says
how far it got, see ``test_cli_scan_surroundings.py``). Each of these printed a traceback (an import's, or
"ImportError: initialization failed", which reads like a broken install) or click's "Aborted!" with code 1."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from click.testing import CliRunner

from helpers_signals import default_signals
import pytest

POKE = """
import importlib.abc, os, signal, sys
class Poke(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == {module!r}:
            {action}
        return None
sys.meta_path.insert(0, Poke())
"""


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          preexec_fn=default_signals)


def test_ctrl_c_while_the_command_line_loads_is_one_line():
    code = POKE.format(module="blurscan.report", action="raise KeyboardInterrupt") + \
        "sys.argv = ['blurscan', 'report']\nfrom blurscan.__main__ import run\nrun()\n"
    done = _python(code)
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")


def test_ctrl_c_while_onnxruntime_initialises_arrives_after_the_import():
    """The signal is sent while onnxruntime's native part loads: the import completes, then the
    KeyboardInterrupt is raised (was: ImportError, onnxruntime half-imported)."""
    code = POKE.format(module="onnxruntime.capi._pybind_state", action="os.kill(os.getpid(), signal.SIGINT)") + \
        ("from blurscan.model import runtime\n"
         "try:\n    runtime.import_onnxruntime()\n    print('not interrupted')\n"
         "except KeyboardInterrupt:\n    print('interrupted', hasattr(sys.modules['onnxruntime'], 'InferenceSession'))\n")
    done = _python(code)
    assert done.returncode == 0 and done.stdout == "interrupted True\n", done.stderr


def test_ctrl_c_inside_a_command_is_one_line(monkeypatch, tmp_path):
    from blurscan.cli import locate, main

    def interrupted(root):
        raise KeyboardInterrupt

    monkeypatch.setattr(locate, "find_db", interrupted)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["bursts"])
    assert (result.exit_code, result.stderr) == (130, "interrupted\n")


def _scanned_library(tmp_path) -> str:
    import blurscan
    from blurscan.config import ScanSettings
    from helpers_images import save_jpeg, textured

    save_jpeg(tmp_path / "lib" / "IMG_1.jpg", textured(1))
    db = tmp_path / "lib" / ".blurscan.db"
    list(blurscan.scan([tmp_path / "lib"], ScanSettings(workers=1, model="none"), db=db))
    return str(tmp_path / "lib")


@pytest.mark.slow
def test_ctrl_c_stops_the_review_page_with_code_130(tmp_path):
    """`blurscan review` exited 0 on Ctrl-C (Werkzeug's server swallows the KeyboardInterrupt), so a script could
    not tell it from a normal end: now the server is shut down, 'Stopped.' printed, and the code is 130, as for
    every other command."""
    import http.client
    from urllib.parse import urlsplit

    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", _scanned_library(tmp_path), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        url = urlsplit(line.split(": ", 1)[1].strip())
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request("GET", f"{url.path}?{url.query}")
        assert conn.getresponse().status == 303  # it serves: the token is swapped for a cookie
        conn.close()
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
        out, err = line + proc.stdout.read(), proc.stderr.read()  # (communicate() skips what readline() buffered)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)
    assert (proc.returncode, err) == (130, ""), err  # no traceback, no server noise
    assert out.endswith("Press Ctrl+C to stop.\nStopped.\n"), out  # (said once the server is shut down)


def test_ctrl_c_as_the_review_page_starts_stops_it_the_same_way(tmp_path):
    """Ctrl-C after the page's URL was printed but before the server waited for it (as the browser opened, the
    server started, the thumbnail cleanup started) was the group's 'interrupted' on stderr, the server not shut
    down, where a moment later it is 'Stopped.'; the review page test failed about 1 run in 4 on a loaded
    machine for that. Here the Ctrl-C comes as the server starts."""
    code = ("import os, signal, sys\n"
            "from blurscan.review import server\n"
            "started = server.ReviewServer.start\n"
            "def start(self):\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    return started(self)\n"
            "server.ReviewServer.start = start\n"
            f"sys.argv = ['blurscan', 'review', {_scanned_library(tmp_path)!r}, '--no-browser']\n"
            "from blurscan.__main__ import run\nrun()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          preexec_fn=default_signals)
    assert (done.returncode, done.stderr) == (130, ""), done.stderr
    assert done.stdout.startswith("Review page: http://127.0.0.1:"), done.stdout
    assert done.stdout.endswith("Press Ctrl+C to stop.\nStopped.\n"), done.stdout


def test_ctrl_c_while_the_review_server_thread_starts_is_held_until_it_is_recorded():
    """A KeyboardInterrupt between the server's thread started and recorded would leave the page's shutdown
    either waiting forever for a thread that never served, or closing the socket under a serving thread it
    does not know of: Ctrl-C is held back there and raised once the block ends."""
    from blurscan.held import ctrl_c_held

    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    reached = []
    try:
        try:
            with ctrl_c_held():
                os.kill(os.getpid(), signal.SIGINT)
                reached.append("after the Ctrl-C, inside")
            reached.append("after the block")
        except KeyboardInterrupt:
            reached.append("KeyboardInterrupt")
    finally:
        signal.signal(signal.SIGINT, handler)
    assert reached == ["after the Ctrl-C, inside", "KeyboardInterrupt"]
