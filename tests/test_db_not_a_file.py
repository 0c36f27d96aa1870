"""A ``--db`` that is neither a folder nor a regular file: a named pipe, a device (``--db /dev/null``, or a link to
it). SQLite opened it: ``report`` (and ``review``, ``bursts``, the actions, which open it for reading first) waited
for good on a named pipe, for a writer, and Ctrl-C or SIGTERM did not stop it; ``/dev/null`` was said to be "not
scanned yet", with the advice to run ``scan --db /dev/null``, which failed with "disk I/O error" and the advice to
try again (until 2026-12-07). Each is one line naming the file and what it is now, and nothing is written."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")
READERS = [("report",), ("review", "--no-browser"), ("bursts",), ("undo",), ("trash",), ("tag", "--xmp")]


def _said(path) -> str:
    return f"{path}: cannot use database: it is a device, not a database file (choose another file with --db)"


@pytest.mark.parametrize("command", [("scan", "LIB", *SCAN), *READERS], ids=lambda c: c[0])
def test_a_link_to_dev_null_is_said_to_be_a_device(tmp_path, command):
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    link = tmp_path / "null.db"
    os.symlink(os.devnull, link)
    result = run(*(tmp_path / "lib" if a == "LIB" else a for a in command), "--db", link)
    # (it said "not scanned yet (an empty database, with no tables: run `blurscan scan --db .../null.db PATH`
    # first)", and that scan "cannot write: disk I/O error (...): try again")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == f"Error: {_said(link)}", result.output
    assert sorted(os.listdir(tmp_path)) == ["lib", "null.db"]


def _beside_dev_null() -> set[str]:
    return {name for name in os.listdir(os.path.dirname(os.devnull)) if name.startswith("null-")}


def test_dev_null_itself_is_said_to_be_a_device(tmp_path):
    """Run as root, the scan also left ``/dev/null-journal``."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    before = _beside_dev_null()
    for command in (("scan", tmp_path / "lib", *SCAN), ("report",)):
        result = run(*command, "--db", os.devnull)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines()[-1] == f"Error: {_said(os.devnull)}", result.output
    assert _beside_dev_null() == before


def test_a_named_pipe_given_to_db_is_said_to_be_one_and_not_waited_on(tmp_path):
    """In a process of its own, with a limit: the report waited for good, SIGTERM too."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    fifo = tmp_path / "lib.db"
    os.mkfifo(fifo)
    for command in (["report"], ["scan", str(tmp_path / "lib"), *SCAN]):
        try:  # (a generous limit: the command takes a second; it never ended)
            done = subprocess.run([sys.executable, "-m", "blurscan", *command, "--db", str(fifo)],
                                  capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{command[0]} --db FIFO waited for good")
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines()[-1] == (f"Error: {fifo}: cannot use database: it is a named pipe, not a "
                                                "database file (choose another file with --db)"), done.stderr
    assert sorted(os.listdir(tmp_path)) == ["lib", "lib.db"]


def test_a_named_pipe_in_place_of_the_library_database_is_said_to_be_one(tmp_path):
    """``lib/.blurscan.db`` a named pipe: ``scan lib`` said "cannot use database: disk I/O error"."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    os.mkfifo(tmp_path / "lib" / ".blurscan.db")
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(tmp_path / "lib"), *SCAN],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == (f"Error: {tmp_path / 'lib' / '.blurscan.db'}: cannot use database: it "
                                            "is a named pipe, not a database file (choose another file with --db)")
