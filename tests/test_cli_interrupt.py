"""Ctrl-C at any moment of a command is one line and exit code 130: while the command's modules load, while
ONNX Runtime's native module initialises, and inside a command without handling of its own (``scan`` says
how far it got, see ``test_cli_scan_surroundings.py``). Each of these printed a traceback (an import's, or
"ImportError: initialization failed", which reads like a broken install) or click's "Aborted!" with code 1."""
from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

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
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


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
