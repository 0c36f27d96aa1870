"""Under ``python -OO`` (``PYTHONOPTIMIZE=2``: docstrings stripped) the commands' help is the same as without: click
builds it from the docstrings, and until 2026-12-06 ``blurscan --help`` listed the commands with no description, and
``blurscan scan --help`` lost its own and its exit codes. Real command lines in a subprocess."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import blurscan
from blurscan.cli import main

_HELPS = """
import json
from click.testing import CliRunner
from blurscan.cli import main
print(json.dumps({name: CliRunner().invoke(main, [name, "--help"]).output for name in sorted(main.commands)}))
"""


def test_blurscan_help_under_python_oo_names_what_each_command_does():
    plain = subprocess.run([sys.executable, "-m", "blurscan", "--help"], capture_output=True, text=True, timeout=60)
    stripped = subprocess.run([sys.executable, "-OO", "-m", "blurscan", "--help"], capture_output=True, text=True,
                              timeout=60)
    assert stripped.returncode == plain.returncode == 0, stripped.stderr
    assert "Find blurry photos: score every image" in stripped.stdout
    assert "scan      Score every photo under PATH..." in stripped.stdout
    assert stripped.stdout == plain.stdout


def test_every_commands_help_under_python_oo_is_the_same():
    stripped = subprocess.run([sys.executable, "-OO", "-c", _HELPS], capture_output=True, text=True, timeout=60)
    assert stripped.returncode == 0, stripped.stderr
    helps = json.loads(stripped.stdout)
    assert sorted(helps) == sorted(main.commands)
    for name, text in helps.items():
        assert text == CliRunner().invoke(main, [name, "--help"]).output, name
    assert "Exit code:" in helps["scan"]


def test_help_under_python_oo_from_an_install_of_compiled_files_only(tmp_path):
    """No source files to read the docstrings back from (an install of ``.pyc`` files only): the help is as ``-OO``
    left it (the commands listed, without their descriptions), not a FileNotFoundError traceback."""
    package = shutil.copytree(Path(blurscan.__file__).parent, tmp_path / "blurscan",
                              ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-OO", "-m", "compileall", "-q", "-b", str(package)], check=True, timeout=120)
    for source in package.rglob("*.py"):
        source.unlink()
    done = subprocess.run([sys.executable, "-OO", "-m", "blurscan", "--help"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert (done.returncode, done.stderr) == (0, "")
    assert "  scan  " in done.stdout and "Find blurry photos" not in done.stdout
