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


def test_a_link_put_there_once_the_folders_were_checked_is_not_followed(lib, tmp_path, monkeypatch):
    # another user of the library swaps the batch's folder for a link just after tag made and checked it (as
    # tag reads the sidecar's permissions, just before writing the copy): until 2026-12-06 the copy was written
    # by its path, through the link; it is written through the folders opened without links now
    from blurscan.cli import main

    root, store, f = _tag_library(lib)
    store.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    batch = root / ".blurscan.db.tag-backups" / "batch-1"
    merged = {p: Path(p).read_bytes() for p in (f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"])}
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path) in merged and os.path.isdir(batch) and not os.path.islink(batch):
            os.rename(batch, tmp_path / "swapped-away")  # (made and checked by tag for an earlier sidecar)
            os.symlink(elsewhere, batch)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    out = CliRunner().invoke(main, ["tag", "--xmp", "--yes", str(root)])
    monkeypatch.undo()
    assert "Traceback" not in out.output, out.output
    assert os.path.islink(batch) and list(elsewhere.iterdir()) == []
    left = [p for p, data in merged.items() if Path(p).read_bytes() == data]
    assert left and out.exit_code == 1
    for sidecar in left:
        assert f"failed: {sidecar}: cannot keep a copy of it for undo in {batch}: a symbolic link or a file " \
            "where its folder should be (never followed); left as it was" in out.stderr, out.output


@pytest.mark.parametrize("safe", [True, False])  # (False: a system without O_NOFOLLOW / dir_fd, checked by path)
def test_the_copies_are_kept_and_put_back(lib, monkeypatch, safe):
    from blurscan.actions import backup_copy
    from blurscan.cli import main

    monkeypatch.setattr(backup_copy, "_safe", lambda: safe)
    root, store, f = _tag_library(lib)
    store.close()
    merged = {p: Path(p).read_bytes() for p in (f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"])}
    out = CliRunner().invoke(main, ["tag", "--xmp", "--yes", str(root)])
    assert out.exit_code == 0, out.output
    copies = sorted((root / ".blurscan.db.tag-backups" / "batch-1").iterdir())
    assert sorted(c.read_bytes() for c in copies) == sorted(merged.values())
    assert all(Path(p).read_bytes() != data for p, data in merged.items())
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert {p: Path(p).read_bytes() for p in merged} == merged
    assert not (root / ".blurscan.db.tag-backups").exists()
