"""A database's ``-wal`` or ``-shm`` file that is a symbolic link (left by a copy or a sync tool that keeps links,
or put there by someone else): SQLite opens neither through a link, as root or not, and until 2026-12-06 every
``scan`` of the library failed with "cannot use database: unable to open database file", naming the database, not
the link, and saying nothing of what to do. The error now names the link and says to remove it; the file it
leads to is left alone."""
from __future__ import annotations

import os

import pytest

from helpers_cli import run
from helpers_images import save_jpeg, textured


@pytest.mark.parametrize("side", ["-wal", "-shm"])
@pytest.mark.parametrize("target_exists", [False, True])
def test_a_linked_wal_or_shm_file_is_named_with_what_to_do(tmp_path, side, target_exists):
    library = tmp_path / "lib"
    save_jpeg(library / "a.jpg", textured(seed=1))
    assert run("scan", library, "--model", "none", "--workers", "1").exit_code == 0
    target = tmp_path / "elsewhere"
    if target_exists:
        target.write_bytes(b"someone's file")
    db = library / ".blurscan.db"
    os.symlink(target, f"{db}{side}")
    result = run("scan", library, "--model", "none", "--workers", "1")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: {db}{side}: cannot use database {db}: its {side} file is a symbolic link (to {target}), "
                     "which SQLite does not open; remove the link, and run the command again"], result.output
    assert (target.read_bytes() == b"someone's file") if target_exists else not target.exists()
    os.remove(f"{db}{side}")
    assert run("scan", library, "--model", "none", "--workers", "1").exit_code == 0  # (as the error says)
