"""A database another user left unreadable in this user's library (root's ``.blurscan.db``, mode 0600: a scan run
with ``sudo`` by an older blurscan, or a copy made as root). Until 2026-12-06 `report` said SQLite's "cannot read
the database: unable to open database file" (no reason), `move` skipped each photo with the same words, and once
this user's scan had kept a database of its own in the cache folder, `report` said the library's was
"read-only". They now say that it is not readable by this user, with its owner and mode. Root makes the database
and the commands run as ``nobody``."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured
from helpers_os import NOBODY, run_unprivileged

pytestmark = pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0),
                                reason="root leaves the database another user cannot read")
UNREADABLE = "is not readable by this user: owner root, mode 0600"


@pytest.fixture
def lib():
    """``BASE/lib``, nobody's, two photos scanned by root into its ``.blurscan.db``, made root's and 0600."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-unread-"))
    base.chmod(0o777)
    lib = base / "lib"
    save_jpeg(lib / "IMG_1.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / "IMG_2.jpg", textured(2))
    assert _invoke("scan", lib, "--model", "none", "--workers", "1")[0] == 0
    for path in (lib, *lib.iterdir()):
        os.chown(path, NOBODY, NOBODY)
    db = lib / ".blurscan.db"
    os.chown(db, 0, 0)
    db.chmod(0o600)
    try:
        yield lib
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _invoke(*args, env=None):
    out = CliRunner().invoke(main, [str(a) for a in args], env=env)
    crashed = "" if out.exception is None or isinstance(out.exception, SystemExit) else repr(out.exception)
    return [out.exit_code, out.stdout, out.stderr + crashed]


def test_report_names_why_the_database_cannot_be_read(lib):
    code, out, err = run_unprivileged(lambda: _invoke("report", lib))
    assert code == 1 and err == f"Error: {lib / '.blurscan.db'}: cannot read the database: it {UNREADABLE}\n", err


def test_after_a_scan_of_this_users_the_notes_and_skips_say_it_cannot_be_read(lib):
    env = {"XDG_CACHE_HOME": str(lib.parent / "cache")}
    rejects = lib.parent / "rejects"

    def attempt():
        scanned = _invoke("scan", lib, "--model", "none", "--workers", "1", env=env)
        return [scanned, _invoke("report", lib, env=env), _invoke("move", "--all-blurry", "--to", rejects, lib, env=env)]

    scanned, report, move = run_unprivileged(attempt)
    assert scanned[0] == 0 and report[0] == 0 and move[0] == 0, (scanned, report, move)
    db = lib / ".blurscan.db"
    assert report[2].startswith(f"note: {db} {UNREADABLE}; using "), report
    assert f"its keep or discard cannot be checked in {db}: cannot read the database: it {UNREADABLE}" in move[1], move
    assert "unable to open" not in "".join(report[1:] + move[1:]) and "read-only" not in report[2], (report, move)
