"""`blurscan review` on a database it cannot write (a read-only mount, a folder or file with no write bit, another
user's library). At start it said "read-only, and the review page stores your decisions in it: make the file and
its folder writable": no reason, and advice a read-only mount cannot follow; it now says why and what to do in the
words of `move`, `trash`, `tag` and `scan --db` (blurscan.dbfile.read_only_error). Real scans of generated
photos; made read-only with its mode (honoured by blurscan as root, refused by the system otherwise), as an
ordinary user, or by a read-only mount (``unshare -rm``, skipped where not allowed)."""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from blurscan.dbfile import READ_ONLY_HINT
from helpers_cli import run
from test_db_read_only_messages import _library, _read_only_mount

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _refused(db: Path, why: str) -> str:
    return f"{db}: cannot write: the database is read-only: {why} ({READ_ONLY_HINT})"


def _not_writable(path: Path) -> str:
    """The words for ``path`` (no write bit) from this user: root's mode rule, else the system's refusal."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if ROOT:
        return f"is read-only (mode {mode:04o}: no one may write it; blurscan honours that when run as root too)"
    return f"is not writable by this user: owner {pwd.getpwuid(os.stat(path).st_uid).pw_name}, mode {mode:04o}"


# -- at start -------------------------------------------------------------------------------------------------

def test_review_refuses_a_database_it_may_not_write_saying_why_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = _library(tmp_path)
    db = lib / ".blurscan.db"
    for target, mode, subject in ((lib, 0o555, f"its folder {lib}"), (db, 0o444, "the file")):
        target.chmod(mode)
        try:
            why = f"{subject} {_not_writable(target)}"
            for args in ((lib,), (lib / "2024",), ("--db", db)):
                result = run("review", *args, "--no-browser")
                # it said: "read-only, and the review page stores your decisions in it: make the file and its
                # folder writable"
                assert result.exit_code == 1 and result.output == f"Error: {_refused(db, why)}\n", result.output
        finally:
            target.chmod(0o755 if target == lib else 0o644)
    assert sorted(p.name for p in lib.iterdir()) == [".blurscan.db", "2024"]  # no -wal / -shm, no thumbnails


@pytest.mark.skipif(not ROOT, reason="needs root to become another user")
def test_review_of_another_users_library():
    from helpers_os import run_unprivileged

    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        lib = _library(base)
        db = lib / ".blurscan.db"
        home = base / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        old = {key: os.environ.get(key) for key in ("HOME", "XDG_CACHE_HOME")}
        os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))
        try:
            result = run_unprivileged(lambda: (lambda r: [r.exit_code, r.output])(run("review", lib, "--no-browser")))
        finally:
            for key, value in old.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        mode = stat.S_IMODE(os.stat(db).st_mode)
        why = f"the file is not writable by this user: owner root, mode {mode:04o}"
        assert result == [1, f"Error: {_refused(db, why)}\n"], result
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_review_of_a_library_on_a_read_only_mount(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # (no cache-folder database of this user's)
    source, target = tmp_path / "disk", tmp_path / "mnt"
    target.mkdir()
    lib = _library(source)
    ran = _read_only_mount(source, target, sys.executable, "-m", "blurscan", "review", "--no-browser",
                           target / lib.name)
    if ran is None:
        pytest.skip("no read-only bind mount here (unshare -rm)")
    db = target / lib.name / ".blurscan.db"
    why = f"its folder {db.parent} is on a read-only file system"
    assert ran.returncode == 1 and ran.stderr == f"Error: {_refused(db, why)}\n", ran.stderr
