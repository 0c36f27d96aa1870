"""The library's database works whatever ``sqlite3.connect``'s default transaction control is. Python's
documentation (3.12 on) says that default, the legacy one under which ``isolation_level=None`` means autocommit,
will become ``autocommit=False``: the module then opens a transaction itself, ignoring ``isolation_level``. Until
2026-12-07 blurscan passed ``isolation_level=None`` only, so under that default every command stopped with
"cannot use database: cannot start a transaction within a transaction" (its own ``BEGIN IMMEDIATE``). The test
makes that default now, as the next Python may, and runs a scan, a review decision, a move and its undo."""
from __future__ import annotations

import sqlite3
import sys

import pytest

from helpers_cli import run
from helpers_images import make_library
from helpers_library import decide_in

pytestmark = pytest.mark.skipif(sys.version_info < (3, 12), reason="sqlite3.connect has autocommit from Python 3.12")


@pytest.fixture
def future_default(monkeypatch):
    """``sqlite3.connect`` with ``autocommit=False`` unless the caller says otherwise."""
    connect = sqlite3.connect

    def connect_autocommit_false(*args, **kwargs):
        kwargs.setdefault("autocommit", False)
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect_autocommit_false)


def test_commands_work_when_sqlite3_defaults_to_autocommit_false(tmp_path, future_default):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=1)
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "cannot start a transaction" not in result.output
    photo = sorted(lib.glob("*.jpg"))[0]
    decide_in(lib / ".blurscan.db", photo, "discard")
    result = run("move", lib, "--to", tmp_path / "away", "--yes")
    assert result.exit_code == 0, result.output
    assert not photo.exists() and (tmp_path / "away" / photo.name).exists()
    result = run("undo", lib)
    assert result.exit_code == 0, result.output
    assert photo.exists()
    result = run("report", lib, "--format", "jsonl")  # (what the scan wrote was committed: read back)
    assert result.exit_code == 0, result.output
    assert result.output.count('"path"') == 3
