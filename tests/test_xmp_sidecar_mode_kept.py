"""``tag --xmp`` replaces a sidecar it merges its label into (a temporary file renamed over it) and gives the new
file the old one's mode; ``undo`` puts the previous bytes back the same way. A sidecar a person made
group-writable for a shared library (``0664``), or private (``0600``), stays so through both. No test held the
mode a merged sidecar keeps (found by mutation testing: without the ``set_mode`` of
:func:`blurscan.actions.sidecar_write._write_new` every test passed, and a merged sidecar became ``0600``, which the others
of a shared library's group could no longer read)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from test_xmp import _tag_library


@pytest.mark.parametrize("mode", [0o664, 0o600, 0o644])
def test_a_merged_sidecar_keeps_its_mode_through_tag_and_undo(lib, mode):
    root, store, f = _tag_library(lib)
    store.close()
    sidecars = [f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"]]
    for sidecar in sidecars:
        os.chmod(sidecar, mode)
    before = [Path(s).read_bytes() for s in sidecars]
    runner = CliRunner()
    result = runner.invoke(main, ["tag", "--xmp", str(root)])
    assert result.exit_code == 0, result.output
    for sidecar, old in zip(sidecars, before):
        assert Path(sidecar).read_bytes() != old  # (merged: a new file in its place)
        assert stat.S_IMODE(os.stat(sidecar).st_mode) == mode, sidecar
    result = runner.invoke(main, ["undo", str(root)])
    assert result.exit_code == 0, result.output
    for sidecar, old in zip(sidecars, before):
        assert Path(sidecar).read_bytes() == old
        assert stat.S_IMODE(os.stat(sidecar).st_mode) == mode, sidecar
