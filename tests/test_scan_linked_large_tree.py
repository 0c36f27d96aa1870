"""``blurscan scan lib/docs``, ``lib/docs`` a link the library's scans never followed to a tree of more than
report's note's NOTE_ENTRIES files and folders: the scan's refusal looks at the whole tree, as the scan would. A
tree of documents only is scanned (nothing found, no database made), as a smaller one is; one with photos past
the bound is refused naming the link, its target and the ways out. Until this fix both were refused with a line
saying the library's database held the link's photos under its name (it held none), once the tree passed the bound
(2026-12-07, the real CLI)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.scan_notes import NOTE_ENTRIES
from helpers_images import save_jpeg, textured


def test_a_large_linked_tree_is_looked_at_in_full_by_the_scans_refusal(tmp_path):
    lib, docs = tmp_path / "lib", tmp_path / "data" / "docs"
    save_jpeg(lib / "a.jpg", textured(1))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    docs.mkdir(parents=True)
    for f in range(NOTE_ENTRIES + 1):
        (docs / f"doc{f}.txt").touch()
    os.symlink(docs, lib / "docs")
    res = runner.invoke(main, ["scan", str(lib / "docs"), "--model", "none"])
    assert res.exit_code == 0 and "no image files found" in res.stderr, res.output
    assert "holds its photos" not in res.output and not (docs / ".blurscan.db").exists()
    save_jpeg(docs / "zz" / "b.jpg", textured(2))  # (past the bound)
    res = runner.invoke(main, ["scan", str(lib / "docs"), "--model", "none"])
    assert res.exit_code != 0 and "holds its photos" not in res.output, res.output
    assert res.stderr.startswith(f"Error: {lib / 'docs'}: a symbolic link to {docs}, a folder the scans of the "
                                 f"library {lib} did not follow"), res.stderr
    assert not (docs / ".blurscan.db").exists()
