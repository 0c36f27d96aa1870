"""``move --yes`` refusing a ``--to`` without the free space says the sizes as the dry run's warning does: it said
"(120789 bytes to copy, 114688 free)" where the dry run said "(120.8 kB to copy, 114.7 kB free)"."""
from __future__ import annotations

import contextlib
import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import tmpfs


@pytest.fixture
def lib(lib_discarded):
    """``(tmp_path, store, files)``: IMG_2, IMG_4 and IMG_5 marked discard (conftest's ``lib_discarded``)."""
    return lib_discarded


def test_move_yes_refuses_for_free_space_in_the_dry_runs_words(lib):
    """A --to with too little free space: the dry run warned "(120.8 kB to copy, 114.7 kB free)", --yes refused with
    "(120789 bytes to copy, 114688 free)"; both now give the sizes in the same words."""
    tmp_path, store, f = lib
    store.close()
    root = tmp_path / "lib"
    with tmpfs(tmp_path / "small", "64k") as dest:
        with open(dest / "filler", "wb") as fh, contextlib.suppress(OSError):
            fh.write(os.urandom(64 * 1024 - 8 * 1024))  # (what is left is less than the photos' 14.7 kB)
        dry = CliRunner().invoke(main, ["move", "--to", str(dest), str(root)])
        assert dry.exit_code == 0, dry.output
        [warning] = [line for line in dry.stderr.splitlines() if "not enough free space" in line]
        sizes = warning[warning.index("("):]
        assert "bytes to copy" not in sizes and "kB" in sizes, warning
        yes = CliRunner().invoke(main, ["move", "--to", str(dest), "--yes", str(root)])
        assert yes.exit_code == 1, yes.output
        assert yes.stderr == f"Error: {dest}: not enough free space {sizes}; nothing was moved\n", yes.output
        assert sorted(os.listdir(dest)) == ["filler"]
