"""A library database that is a symbolic link (``lib/.blurscan.db -> ~/dbs/lib.db``): its batch takes its actions
lock beside the file the link names (:func:`blurscan.actions.journal.exclusive`, 2026-12-07), and so must a batch
of a folder of that library with its own database, which takes the locks of the library databases above it
(:func:`blurscan.actions.library_locks.held_above`). Until 2026-12-07 that one looked beside the link, a lock no
batch held: ``move lib/a`` ran beside a ``move lib`` over the same photos wherever the folders' own locks are not
to be had (a network share without ``flock`` on folders: :func:`~blurscan.actions.library_locks.held_folders`
passes them over, as here)."""
from __future__ import annotations

import contextlib
import os

from blurscan.actions import library_locks
from blurscan.config import DEFAULT_DB_NAME
from helpers_cli import run
from helpers_images import make_library
from helpers_library import batch_held

SCAN = ("--model", "none", "--workers", "1")


def test_a_folders_batch_waits_for_the_batch_of_a_library_database_that_is_a_link(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=2)
    assert run("scan", lib / "a", *SCAN).exit_code == 0
    (tmp_path / "dbs").mkdir()
    link = lib / DEFAULT_DB_NAME
    os.symlink(tmp_path / "dbs" / "lib.db", link)
    assert run("scan", lib, "--db", link, *SCAN).exit_code == 0
    assert (tmp_path / "dbs" / "lib.db").is_file()
    # (a file system without locks on folders: the databases' lock files alone keep two batches apart)
    monkeypatch.setattr(library_locks, "held_folders", lambda store: contextlib.nullcontext())
    photos = sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith("."))
    with batch_held(link):
        result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes",
                     "--db", lib / "a" / DEFAULT_DB_NAME)
    # it said "moved 2 photos", a batch of lib's database running
    assert result.exit_code == 1, result.output
    assert f"is running on {link}, the database of the library these photos are in too" in result.output, \
        result.output
    assert sorted(p.name for p in (lib / "a").iterdir() if not p.name.startswith(".")) == photos and not (tmp_path / "rejects").exists()
    assert not os.path.lexists(f"{link}.actions.lock")  # (none beside the link)
