"""The undo of a tag batch whose copies of the sidecars' previous bytes are gone (the hidden
``.blurscan.db.tag-backups`` folder deleted since tagging): those sidecars are said to be out of undo's reach and
the batch is closed, as a move's whose files are gone from ``--to``, so a plain undo goes on to the batch before.
Until 2026-12-06 each plain undo stopped at that batch, "run undo again once fixed", which nothing could fix."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from blurscan.actions import journal, xmp
from test_xmp import _tag_library


def test_undo_of_a_tag_batch_whose_kept_copies_were_deleted_closes_it(lib, monkeypatch):
    monkeypatch.chdir(lib[0])
    from blurscan.cli import main

    root, store, f = _tag_library(lib)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id == 1
    tagged = {p: Path(p).read_bytes() for p in (f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"])}
    shutil.rmtree(journal.backups_root(store))  # the person cleans up a hidden folder
    store.close()

    runner = CliRunner()
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1, out.output
    for sidecar in tagged:
        assert f"failed: {sidecar}: the copy of its previous version at " in out.stderr
    assert out.stderr.count("is gone (deleted since tagging?), so undo cannot bring its bytes from before tagging "
                            "back; left as it is") == 3
    assert out.stdout.splitlines() == [
        "batch 1: removed 1 sidecar tag had created, 3 could not be restored (listed above; the copies of their "
        "previous versions are gone, which undo cannot bring back).",
        "batch 1 is closed: no other batch is left for a plain `blurscan undo`; `blurscan undo --batch 1` looks for "
        "the missing files again."]
    assert not os.path.exists(f["IMG_4"] + ".xmp")  # the sidecar tag created is removed all the same
    assert {p: Path(p).read_bytes() for p in tagged} == tagged  # left as they are, nothing lost

    again = runner.invoke(main, ["undo", str(root)])  # not stuck at batch 1 (it was, failing the same way)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("Nothing to undo: 1 batch closed (undone but for sidecars' copies from before "
                                   "tagging gone, which undo cannot bring back) in "), again.output
    listed = runner.invoke(main, ["undo", "--list", str(root)])
    assert "tag  closed: 0 written, 0 failed, 1 undone, 3 not put back (the copy from before tagging gone) of 4 " \
           "sidecars" in listed.output, listed.output
    by_batch = runner.invoke(main, ["undo", "--batch", "1", str(root)])  # looks for them again: still gone
    assert by_batch.exit_code == 1 and "batch 1 is closed" in by_batch.stdout, by_batch.output
    assert {p: Path(p).read_bytes() for p in tagged} == tagged
