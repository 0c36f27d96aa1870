"""Running the command line in tests: in-process (CliRunner) or as a real subprocess; reading JSONL."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from blurscan.cli import main


def run(*args, **kw):
    """The command in-process (click's CliRunner); exceptions propagate."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def cli(*args, timeout=120):
    """The real command in a subprocess (signals, terminals, raw bytes)."""
    return subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, timeout=timeout)


def jsonl(text):
    """The objects of JSONL text."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
