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


def test_tag_leaves_a_symlinked_sidecar_alone_says_so_and_journals_nothing_for_it(lib, tmp_path, monkeypatch):
    """A NAME.JPG.xmp linked to a file elsewhere was replaced by a regular file (tag's rename), and undo put a
    regular file back: the person's link was lost. Now it is left alone and said so, and the RAW's own sidecar
    is still tagged (IMG_1 counts as tagged, not skipped too); a dangling link (no sidecar there yet to merge) is
    not created over either, and IMG_4, whose only sidecar it is, is skipped."""
    monkeypatch.chdir(lib[0])  # typed in the library: the undo hint needs no path
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
    # IMG_1 is tagged (its RAW's sidecar): its linked sidecar is said, not IMG_1 skipped; IMG_4 is skipped
    assert "left alone a/IMG_1.JPG.xmp: a symbolic link, not changed" in out.output
    assert "skip a/IMG_1.JPG" not in out.output
    assert "skip b/c/IMG_4.jpg: IMG_4.jpg.xmp is a symbolic link: not changed" in out.output
    assert "merged a/IMG_1.CR2.xmp  (rating -1: rejected, label Red)" in out.output
    assert (", 1 skipped (listed above), 1 sidecar left alone (a symbolic link, listed above); "
            "undo with `blurscan undo --batch 1`.") in out.output
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
    assert "would leave alone a/IMG_1.JPG.xmp: a symbolic link, not changed" in dry.output


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


# -- each photo counted once: a RAW + JPEG pair with linked sidecars ---------------------------------------------

def _linked_pair(lib, tmp_path):
    """IMG_1.JPG + IMG_1.CR2 (one photo, marked discard) with no sidecar yet, the rest of the library untouched;
    returns root, files and a folder outside the library for the linked sidecars."""
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    os.unlink(f["IMG_1.JPG.xmp"])
    os.unlink(f["IMG_1.CR2.xmp"])
    elsewhere = tmp_path / "sidecars"
    elsewhere.mkdir()
    return root, f, elsewhere


def test_a_pair_tagged_in_its_raws_sidecar_is_one_tagged_photo_and_its_linked_sidecar_is_said(lib, tmp_path, monkeypatch):
    """IMG_1.JPG + IMG_1.DNG, the JPEG's sidecar IMG_1.xmp a link to a file elsewhere, the RAW's darktable
    IMG_1.DNG.xmp a regular file: tag merged the RAW's and said 'tagged 1 photo ..., 1 skipped', the one photo
    counted twice (and 'skip a/IMG_1.JPG' though it was tagged). Now it is one tagged photo and a line says which
    sidecar was left alone because it is a link, in the dry run too; only the RAW's sidecar is journaled and
    undone."""
    monkeypatch.chdir(lib[0])  # typed in the library: the undo hint needs no path
    from blurscan.cli import main
    from blurscan.store import Store

    root, f, elsewhere = _linked_pair(lib, tmp_path)
    folder = Path(f["IMG_1"]).parent
    os.rename(f["IMG_1.CR2"], folder / "IMG_1.DNG")
    raw_sidecar = folder / "IMG_1.DNG.xmp"
    raw_sidecar.write_bytes(DARKTABLE_RAW)
    link = folder / "IMG_1.xmp"
    (elsewhere / "IMG_1.xmp").write_bytes(LIGHTROOM)
    _link(str(link), elsewhere / "IMG_1.xmp")

    runner = CliRunner()
    dry = runner.invoke(main, ["tag", "--xmp", "--discarded-only", "--dry-run", str(root)])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        "would merge a/IMG_1.DNG.xmp  (rating -1: rejected, label Red)",
        "would leave alone a/IMG_1.xmp: a symbolic link, not changed",
        "Dry run: would tag 1 photo, 1 sidecar left alone (a symbolic link, listed above). Nothing was changed; "
        "run again without --dry-run to tag."]
    with Store(root / ".blurscan.db") as store:
        planned = xmp.tag_photos(store, all_flagged=False, dry_run=True)
    assert planned.photos == [f["IMG_1"]] and planned.skipped == [] and planned.failed == []
    assert planned.left_alone == [(f["IMG_1"], str(link))]
    assert [t.sidecar for t in planned.written] == [str(raw_sidecar)]

    out = runner.invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "merged a/IMG_1.DNG.xmp  (rating -1: rejected, label Red)",
        "left alone a/IMG_1.xmp: a symbolic link, not changed",
        "tagged 1 photo (1 sidecar merged, 0 created) as batch 1, 1 sidecar left alone (a symbolic link, "
        "listed above); undo with `blurscan undo --batch 1`."]
    assert xmp.read_properties(raw_sidecar.read_bytes()) == {"Rating": "-1", "Label": "Red"}
    assert os.readlink(link) == str(elsewhere / "IMG_1.xmp") and (elsewhere / "IMG_1.xmp").read_bytes() == LIGHTROOM

    with Store(root / ".blurscan.db") as store:
        assert [r.src for r in journal.rows(store, 1)] == [str(raw_sidecar)]  # the link is not journaled
    listed = runner.invoke(main, ["undo", "--list", str(root)])
    assert "tag  done: 1 written, 0 failed, 0 undone of 1 sidecar" in listed.output, listed.output
    back = runner.invoke(main, ["undo", str(root)])
    assert back.exit_code == 0, back.output
    assert back.output.splitlines() == ["batch 1: restored 1 sidecar to its bytes from before tagging."]
    assert raw_sidecar.read_bytes() == DARKTABLE_RAW
    assert os.readlink(link) == str(elsewhere / "IMG_1.xmp") and (elsewhere / "IMG_1.xmp").read_bytes() == LIGHTROOM


def test_a_pair_whose_sidecars_are_all_links_is_one_skipped_photo(lib, tmp_path):
    """Both sidecars of IMG_1.JPG + IMG_1.CR2 links: tag said 'skip a/IMG_1.JPG' twice and '2 skipped' for one
    photo, and 'no sidecar needed a change'. Now one skip line names both links, the photo is skipped once, and
    the summary says nothing was written; nothing is journaled."""
    from blurscan.cli import main

    root, f, elsewhere = _linked_pair(lib, tmp_path)
    for key, data in (("IMG_1.JPG.xmp", DARKTABLE), ("IMG_1.CR2.xmp", DARKTABLE_RAW)):
        (elsewhere / key).write_bytes(data)
        _link(f[key], elsewhere / key)

    runner = CliRunner()
    skip = "skip a/IMG_1.JPG: IMG_1.JPG.xmp and IMG_1.CR2.xmp are symbolic links: not changed"
    dry = runner.invoke(main, ["tag", "--xmp", "--discarded-only", "--dry-run", str(root)])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [skip, "Dry run: would tag 0 photos, 1 skipped (listed above). Nothing was changed."]
    out = runner.invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        skip, "tagged 0 photos, 1 skipped (listed above); no sidecar was written, so there is nothing to undo."]
    for key, data in (("IMG_1.JPG.xmp", DARKTABLE), ("IMG_1.CR2.xmp", DARKTABLE_RAW)):
        assert os.readlink(f[key]) == str(elsewhere / key) and (elsewhere / key).read_bytes() == data
    assert runner.invoke(main, ["undo", "--list", str(root)]).output == "No batches.\n"


def test_a_pair_whose_raw_sidecar_is_tagged_already_and_jpeg_sidecar_a_link_is_one_photo(lib, tmp_path):
    """The RAW's sidecar holds the tags already (unchanged) and the JPEG's is a link: tag said 'tagged 1 photo,
    1 skipped' for one photo. Now the photo is tagged once, the link is said, and there is nothing to undo."""
    from blurscan.cli import main

    root, f, elsewhere = _linked_pair(lib, tmp_path)
    tagged = xmp.merge(DARKTABLE_RAW, rating=-1, label="Red")
    Path(f["IMG_1.CR2.xmp"]).write_bytes(tagged)
    (elsewhere / "IMG_1.JPG.xmp").write_bytes(DARKTABLE)
    _link(f["IMG_1.JPG.xmp"], elsewhere / "IMG_1.JPG.xmp")

    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "unchanged a/IMG_1.CR2.xmp  (already tagged: rating -1: rejected, label Red)",
        "left alone a/IMG_1.JPG.xmp: a symbolic link, not changed",
        "tagged 1 photo, 1 sidecar left alone (a symbolic link, listed above); no sidecar needed a change, so "
        "there is nothing to undo."]
    assert Path(f["IMG_1.CR2.xmp"]).read_bytes() == tagged
    assert (elsewhere / "IMG_1.JPG.xmp").read_bytes() == DARKTABLE
