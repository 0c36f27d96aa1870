"""``blurscan tag --xmp`` and its undo never replace a sidecar that is a symbolic link with a regular file."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from blurscan.actions import journal, xmp
from helpers_library import decide
from test_xmp import DARKTABLE, DARKTABLE_RAW, LIGHTROOM, _tag_library


def _link(path: str, target: Path) -> None:
    if os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)


def test_tag_leaves_a_symlinked_sidecar_alone_says_so_and_journals_nothing_for_it(lib, tmp_path):
    """A NAME.JPG.xmp linked to a file elsewhere was replaced by a regular file (tag's rename), and undo put a
    regular file back: the person's link was lost. Now it is skipped per photo, and the RAW's own sidecar is
    still tagged; a dangling link (no sidecar there yet to merge) is not created over either."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    elsewhere = tmp_path / "sidecars"
    elsewhere.mkdir()
    (elsewhere / "IMG_1.JPG.xmp").write_bytes(DARKTABLE)
    _link(f["IMG_1.JPG.xmp"], elsewhere / "IMG_1.JPG.xmp")
    Path(f["IMG_1.CR2.xmp"]).write_bytes(DARKTABLE_RAW)
    Path(f["IMG_5.xmp"]).write_bytes(LIGHTROOM)
    dangling = f["IMG_4"] + ".xmp"
    _link(dangling, elsewhere / "IMG_4.jpg.xmp")  # points to nothing (yet)

    runner = CliRunner()
    out = runner.invoke(main, ["tag", "--xmp", str(root)])
    assert out.exit_code == 0, out.output
    assert "skip a/IMG_1.JPG: IMG_1.JPG.xmp is a symbolic link: not changed" in out.output
    assert "skip b/c/IMG_4.jpg: IMG_4.jpg.xmp is a symbolic link: not changed" in out.output
    assert "merged a/IMG_1.CR2.xmp  (rating -1: rejected, label Red)" in out.output
    assert ", 2 skipped (listed above); undo with `blurscan undo --batch 1`." in out.output
    assert os.readlink(f["IMG_1.JPG.xmp"]) == str(elsewhere / "IMG_1.JPG.xmp")
    assert os.readlink(dangling) == str(elsewhere / "IMG_4.jpg.xmp")
    assert (elsewhere / "IMG_1.JPG.xmp").read_bytes() == DARKTABLE and not (elsewhere / "IMG_4.jpg.xmp").exists()
    assert xmp.read_properties(Path(f["IMG_1.CR2.xmp"]).read_bytes())["Rating"] == "-1"

    from blurscan.store import Store

    with Store(root / ".blurscan.db") as store:
        journaled = [r.src for r in journal.rows(store, 1)]
    assert f["IMG_1.CR2.xmp"] in journaled
    assert f["IMG_1.JPG.xmp"] not in journaled and dangling not in journaled

    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert os.readlink(f["IMG_1.JPG.xmp"]) == str(elsewhere / "IMG_1.JPG.xmp")
    assert os.readlink(dangling) == str(elsewhere / "IMG_4.jpg.xmp")
    assert (elsewhere / "IMG_1.JPG.xmp").read_bytes() == DARKTABLE
    assert Path(f["IMG_1.CR2.xmp"]).read_bytes() == DARKTABLE_RAW

    dry = runner.invoke(main, ["tag", "--xmp", "--dry-run", str(root)])
    assert "skip a/IMG_1.JPG: IMG_1.JPG.xmp is a symbolic link: not changed" in dry.output


def test_undo_of_tag_leaves_a_sidecar_made_a_symbolic_link_since(lib, tmp_path):
    """After tagging, the person moves IMG_5.xmp elsewhere and links it back (same bytes, what tag wrote):
    undo replaced the link with a regular file. Now it leaves the link and says why."""
    from blurscan.actions import undo

    root, store, f = _tag_library(lib)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    tagged = Path(f["IMG_5.xmp"]).read_bytes()
    moved = tmp_path / "IMG_5.xmp"
    os.rename(f["IMG_5.xmp"], moved)
    os.symlink(moved, f["IMG_5.xmp"])
    back = undo(store)
    kept = dict(back.kept)
    assert kept[f["IMG_5.xmp"]].startswith(f"{f['IMG_5.xmp']}: is a symbolic link now")
    assert "its version from before tagging is kept at" in kept[f["IMG_5.xmp"]]
    assert os.readlink(f["IMG_5.xmp"]) == str(moved) and moved.read_bytes() == tagged
