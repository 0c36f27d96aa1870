"""An actions lock (``<db>.actions.lock``) that is a symbolic link is never followed (2026-12-06). Until then the
lock was opened with ``O_CREAT`` through the link: a batch, run as root in a library another user owns (``sudo
blurscan move ~alice/Pictures/2024``), made the link's target, an empty file anywhere on the system (a
``/etc/nologin`` that stops logins), or opened and locked a file there. A database's own lock that is a link is
refused (no batch of that database can run); one of a library database above is passed over, as one that cannot
be made is: no batch of that database can be running while it is a link."""
from __future__ import annotations

import os

from blurscan.config import DEFAULT_DB_NAME
from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def _nested_library(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib / "a", n_sharp=1, n_blurry=2)
    for folder in (lib / "a", lib):
        assert run("scan", folder, *SCAN).exit_code == 0
    return lib


def _photos(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_databases_own_lock_that_is_a_link_is_refused_and_not_followed(tmp_path):
    lib = _nested_library(tmp_path)
    target = tmp_path / "elsewhere" / "nologin"
    target.parent.mkdir()
    os.symlink(target, lib / "a" / f"{DEFAULT_DB_NAME}.actions.lock")
    photos = _photos(lib / "a")
    result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 1, result.output
    assert f"{lib / 'a' / DEFAULT_DB_NAME}.actions.lock: cannot open the actions lock: it is a symbolic link" \
        in result.output, result.output
    assert not target.exists() and _photos(lib / "a") == photos


def test_a_library_databases_lock_that_is_a_link_is_passed_over_and_not_followed(tmp_path):
    lib = _nested_library(tmp_path)
    target = tmp_path / "elsewhere" / "nologin"
    target.parent.mkdir()
    os.symlink(target, lib / f"{DEFAULT_DB_NAME}.actions.lock")
    result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
    assert not target.exists()
    assert os.path.islink(lib / f"{DEFAULT_DB_NAME}.actions.lock")


def test_a_library_databases_lock_that_is_a_link_to_a_file_does_not_lock_that_file(tmp_path):
    """The link's target exists (a file of the system): it is not opened, so not locked either."""
    import fcntl

    lib = _nested_library(tmp_path)
    target = tmp_path / "system-file"
    target.write_text("kept\n")
    os.symlink(target, lib / f"{DEFAULT_DB_NAME}.actions.lock")
    with open(target) as held:  # another program's lock on that file: the batch neither waits for it nor fails
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run("move", lib / "a", "--all-blurry", "--to", tmp_path / "rejects", "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
    assert target.read_text() == "kept\n"
