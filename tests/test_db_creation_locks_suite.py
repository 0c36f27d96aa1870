"""Where the scans' database-choosing locks go (:mod:`blurscan.cli.db_creation`).

* ``$BLURSCAN_LOCKS_DIR`` (default ``/tmp``) holds the two locks folders. The tests set it to a folder of their
  own (``conftest.py``): until 2026-12-07 every run of the suite left some 60,000 empty lock files in ``/tmp``, one
  per test folder scanned, there until the next boot.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys

from blurscan.cli import db_creation
from helpers_images import make_library
from test_db_creation_locks import SCAN


def _scan(lib, **env):
    """The real ``blurscan scan lib`` in a subprocess, with ``env`` added to the tests' environment."""
    return subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), *SCAN], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def _lock_name(folder) -> str:
    st = os.stat(folder)
    return f"{st.st_dev:x}-{st.st_ino:x}"


def test_the_suites_scans_leave_no_lock_file_in_tmp(tmp_path):
    """A scan the tests run (a real subprocess, as most of the suite's scans) locks in the suite's own folder, not
    in ``/tmp/blurscan-locks-UID`` and ``/tmp/blurscan-locks``: nothing of it is left in ``/tmp`` after the run."""
    base = os.environ["BLURSCAN_LOCKS_DIR"]
    assert os.path.realpath(base) != "/tmp"
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    done = _scan(lib)
    assert done.returncode == 0, done.stderr
    uid = os.geteuid()
    assert _lock_name(lib) in os.listdir(os.path.join(base, f"blurscan-locks-{uid}"))
    assert not os.path.lexists(f"/tmp/blurscan-locks-{uid}/{_lock_name(lib)}")
    assert not os.path.lexists(f"/tmp/blurscan-locks/{db_creation.shared_name(os.stat(lib))}")
    assert db_creation.LOCKS == os.path.join(base, "blurscan-locks")  # (and the in-process scans')


def test_blurscan_locks_dir_holds_both_locks_folders(tmp_path):
    """``BLURSCAN_LOCKS_DIR=folder`` (a sticky folder every user may write, as ``/tmp``): the user's own locks
    folder (0700) and the shared one (1777) are made there, and the scan's locks taken in them."""
    base = tmp_path / "locks"
    base.mkdir()
    os.chmod(base, 0o1777)
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    done = _scan(lib, BLURSCAN_LOCKS_DIR=str(base))
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stderr
    own = base / f"blurscan-locks-{os.geteuid()}"
    assert stat.S_IMODE(own.lstat().st_mode) == 0o700 and _lock_name(lib) in os.listdir(own)
    assert stat.S_IMODE((base / "blurscan-locks").lstat().st_mode) == 0o1777
    assert db_creation.shared_name(os.stat(lib)) in os.listdir(base / "blurscan-locks")
