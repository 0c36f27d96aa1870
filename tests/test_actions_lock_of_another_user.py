"""The actions lock ``<db>.actions.lock`` left by another user (root's, mode 0644: a batch run with ``sudo`` by a
blurscan from before 2026-12-04, which did not give it to the library's owner). ``flock`` takes a file opened for
reading alone, as the library folders' locks already did, but the database's own lock was opened for writing only,
so until 2026-12-06 every ``move``, ``trash``, ``tag`` and ``undo`` of that database stopped with "cannot open the
actions lock: permission denied". Root makes the lock file; the commands run as ``nobody``."""
from __future__ import annotations

import os

import pytest

from helpers_os import run_unprivileged
from test_actions_source_folder import _invoke, _library, base  # noqa: F401  (base: a fixture)

pytestmark = pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0),
                                reason="root leaves a lock file another user cannot write")


def test_a_batch_runs_and_is_undone_with_roots_lock_file_beside_the_database(base):
    db, f = _library(base)
    rejects = base / "rejects"
    rejects.mkdir(mode=0o777)
    rejects.chmod(0o777)
    lock = f"{db}.actions.lock"
    with open(lock, "w"):
        pass
    os.chmod(lock, 0o644)  # root's: nobody may read it, not write it
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, base / "lib"]
    moved, undone = run_unprivileged(lambda: [_invoke(*args, "--yes"), _invoke("undo", "--db", db)])
    assert moved[0] == 0 and "moved 4 photos" in moved[1] and "lock" not in moved[2], moved
    assert undone[0] == 0 and "restored 8 files" in undone[1], undone  # (each photo went, and came back)
    assert os.path.exists(f["IMG_1"]) and os.stat(lock).st_uid == 0
