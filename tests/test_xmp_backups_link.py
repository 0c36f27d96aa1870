"""``tag --xmp`` never follows a symbolic link put where it keeps the copies of the sidecars' previous bytes (the
library's hidden ``.blurscan.db.tag-backups`` folder, or a batch's folder in it: another user of a shared library
may replace either by a link to a folder anywhere). Each sidecar whose copy cannot be kept there fails, left as it
was, and nothing is written where the link leads. Until 2026-12-06 the copies were written there, and run as root
the folders made there were given to the library's owner."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_xmp import _tag_library


@pytest.mark.parametrize("linked", [".blurscan.db.tag-backups", ".blurscan.db.tag-backups/batch-1"])
def test_a_link_where_tag_keeps_its_copies_is_not_followed(lib, tmp_path, linked):
    from blurscan.cli import main

    root, store, f = _tag_library(lib)
    store.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / linked).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(elsewhere, root / linked)
    merged = {p: Path(p).read_bytes() for p in (f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"])}

    out = CliRunner().invoke(main, ["tag", "--xmp", "--yes", str(root)])
    assert out.exit_code == 1 and "Traceback" not in out.output, out.output
    for sidecar in merged:
        assert (f"failed: {sidecar}: cannot keep a copy of it for undo in {root / '.blurscan.db.tag-backups'}"
                "/batch-1: a symbolic link or a file where its folder should be (never followed); left as it was"
                in out.stderr), out.output
    assert list(elsewhere.iterdir()) == []
    assert {p: Path(p).read_bytes() for p in merged} == merged
    assert os.path.islink(root / linked)
