"""Running the command line in tests: in-process (CliRunner) or as a real subprocess; reading JSONL."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import blurscan
from blurscan.cli import main


def run(*args, **kw):
    """The command in-process (click's CliRunner); exceptions propagate."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def run_from(cwd, *args, **kw) -> subprocess.CompletedProcess:
    """:func:`run` from the folder ``cwd`` (``None``: this one), read as ``subprocess.run(..., capture_output=True,
    text=True, cwd=cwd)`` reads (``returncode``, ``stdout``, ``stderr``): for the commands around a test's real
    process (the set-up before a child is killed, the look afterwards), which a process of their own tested no
    further. ``kw``: CliRunner's (``env=``...)."""
    here = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = run(*args, **kw)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["blurscan", *map(str, args)], result.exit_code, result.stdout, result.stderr)


def cli(*args, timeout=120):
    """The real command in a subprocess (signals, terminals, raw bytes)."""
    return subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, timeout=timeout)


def child_program() -> str:
    """The program a child ``sys.executable -m blurscan`` (:func:`cli`, or one run by a test's shell script) names
    at the start of the commands it suggests, with this process's PATH (:func:`blurscan.typed_commands.program`):
    ``blurscan`` where the ``blurscan`` on PATH lies beside this Python, else ``PYTHON -m blurscan``. A test that
    reads a child's hint expects this, not ``blurscan`` (which holds only where the virtual environment's folder
    is on PATH)."""
    from blurscan.typed_commands import program

    argv = sys.argv
    sys.argv = [str(PACKAGE / "__main__.py")]
    try:
        return program()
    finally:
        sys.argv = argv


def jsonl(text):
    """The objects of JSONL text."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


#: The package under test, where it was imported from: ``src/blurscan`` in a checkout, the installed one when a
#: packager runs the sdist's tests against the built wheel (the sdist unpacked without ``src/``, or beside it). Tests
#: read its files, and give its folder as a child's PYTHONPATH, from here, never from ``src/`` by path.
PACKAGE = Path(blurscan.__file__).resolve().parent
IMPORT_ROOT = str(PACKAGE.parent)
