"""``blurscan tag --xmp`` as a journaled batch and its undo: merged sidecars restored byte for byte and created
ones removed, a sidecar changed since (or while being tagged) left as it is and said so, a sidecar that cannot
be backed up, one shared by two photos, the lock against another action, and what tag and undo say.

Parsing, merging and which sidecars a tag run writes are in ``test_xmp.py``, with the sample sidecars and
``_tag_library`` used here."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import moved_paths, sidecar_write, xmp
from blurscan.errors import ActionError
from helpers_library import decide, sha, snapshot
from test_xmp import DARKTABLE, DARKTABLE_RAW, LIGHTROOM_UNLABELLED, _tag_library


def _sidecars(root) -> dict[str, tuple[bytes, int]]:
    """Every .xmp under ``root`` (the tag backups included): path -> (bytes, permission bits)."""
    return {str(p): (p.read_bytes(), p.stat().st_mode & 0o777) for p in Path(root).rglob("*.xmp")}


def test_undo_of_tag_restores_merged_sidecars_byte_for_byte_and_removes_created_ones(lib):
    from blurscan.actions import journal, list_batches, undo
    from blurscan.errors import NothingToUndo

    root, store, f = _tag_library(lib)
    before, photos = _sidecars(root), snapshot(root)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    created = f["IMG_4"] + ".xmp"
    assert os.path.exists(created)
    for merged in (f["IMG_1.JPG.xmp"], f["IMG_5.xmp"]):
        assert Path(merged).read_bytes() != before[merged][0]
    # the previous bytes are kept beside the database, named by their digest
    copies = sorted(Path(journal.backup_dir(store, result.batch_id)).iterdir())
    assert sorted(p.read_bytes() for p in copies) == sorted([DARKTABLE, DARKTABLE_RAW, LIGHTROOM_UNLABELLED])
    assert all(journal.backup_digest(str(p)) == sha(p) for p in copies)
    [info] = list_batches(store)
    assert (info.kind, info.state, info.files, info.moved) == ("tag", "done", 4, 4)
    assert moved_paths(store) == frozenset()  # tagging moves no photo

    back = undo(store)
    assert back.complete and back.kind == "tag" and back.kept == []
    assert sorted(s for _, s in back.restored) == sorted([f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"]])
    assert back.removed == [created]
    assert _sidecars(root) == before  # same bytes, same permissions; the copies are gone
    assert not os.path.exists(journal.backups_root(store))
    assert {p: v[0] for p, v in snapshot(root).items() if not p.endswith(".xmp")} == \
        {p: v[0] for p, v in photos.items() if not p.endswith(".xmp")}
    assert list_batches(store)[0].state == "undone"
    with pytest.raises(NothingToUndo, match="nothing to undo: 1 batch undone already"):
        undo(store)
    again = undo(store, result.batch_id)
    assert again.already_undone and again.restored == [] and _sidecars(root) == before


def test_undo_of_tag_leaves_a_sidecar_changed_since_and_says_so(lib):
    from blurscan.actions import journal, list_batches, undo

    root, store, f = _tag_library(lib)
    before = _sidecars(root)
    result = xmp.tag_photos(store)
    tagged_1 = Path(f["IMG_1.JPG.xmp"]).read_bytes()
    # a photo app rates IMG_1 after tagging; the person deletes the sidecar tag created for IMG_4
    edited = xmp.merge(tagged_1, rating=3, label=None)
    Path(f["IMG_1.JPG.xmp"]).write_bytes(edited)
    os.unlink(f["IMG_4"] + ".xmp")
    assert moved_paths(store) == frozenset()  # a deleted sidecar is no moved photo
    back = undo(store)
    assert back.complete and back.failed == []
    assert sorted(s for _, s in back.restored) == [f["IMG_1.CR2.xmp"], f["IMG_5.xmp"]]
    kept = dict(back.kept)
    assert set(kept) == {f["IMG_1.JPG.xmp"], f["IMG_4"] + ".xmp"}
    assert kept[f["IMG_1.JPG.xmp"]].startswith(f["IMG_1.JPG.xmp"] + ": changed since `blurscan tag` wrote it")
    assert "no longer there" in kept[f["IMG_4"] + ".xmp"]
    # the changed sidecar is left alone; the copy of its bytes from before tagging stays, named in the message
    assert Path(f["IMG_1.JPG.xmp"]).read_bytes() == edited
    copy = kept[f["IMG_1.JPG.xmp"]].split("kept at ")[1].split("; ")[0]
    assert Path(copy).read_bytes() == DARKTABLE
    assert Path(f["IMG_5.xmp"]).read_bytes() == before[f["IMG_5.xmp"]][0]
    info = list_batches(store)[0]
    assert (info.state, info.kept, info.undone) == ("undone", 2, 2)
    # once the sidecar is back to what tag wrote, undoing the batch again restores it
    Path(f["IMG_1.JPG.xmp"]).write_bytes(tagged_1)
    again = undo(store, result.batch_id)
    assert [s for _, s in again.restored] == [f["IMG_1.JPG.xmp"]] and len(again.kept) == 1
    assert Path(f["IMG_1.JPG.xmp"]).read_bytes() == DARKTABLE
    assert not os.path.exists(copy)
    assert not os.path.exists(journal.backup_dir(store, result.batch_id)) or \
        list(Path(journal.backup_dir(store, result.batch_id)).iterdir()) == []


def test_tag_leaves_a_sidecar_that_changes_while_it_is_being_tagged(lib, monkeypatch):
    from blurscan.actions import journal, undo

    root, store, f = _tag_library(lib)
    real = sidecar_write._write_new

    def photo_app_writes_meanwhile(tmp, data, *, like, photo):
        real(tmp, data, like=like, photo=photo)
        if like == f["IMG_1.JPG.xmp"]:
            Path(like).write_bytes(DARKTABLE.replace(b'xmp:Rating="4"', b'xmp:Rating="5"'))

    monkeypatch.setattr(sidecar_write, "_write_new", photo_app_writes_meanwhile)
    result = xmp.tag_photos(store)
    assert [p for p, _ in result.failed] == [f["IMG_1"]]
    assert "IMG_1.JPG.xmp: changed while blurscan was tagging it; left as it is" in result.failed[0][1]
    assert b'xmp:Rating="5"' in Path(f["IMG_1.JPG.xmp"]).read_bytes()
    states = {r.src: r.state for r in journal.rows(store, result.batch_id)}
    assert states[f["IMG_1.JPG.xmp"]] == "skipped"
    assert [p.name for p in Path(f["IMG_1.JPG.xmp"]).parent.iterdir() if "blurscan" in p.name] == []
    assert undo(store).complete
    assert b'xmp:Rating="5"' in Path(f["IMG_1.JPG.xmp"]).read_bytes()
    assert Path(f["IMG_5.xmp"]).read_bytes() == LIGHTROOM_UNLABELLED


@pytest.mark.parametrize("raw_sidecar", [False, True])
def test_a_pair_with_a_sidecar_that_cannot_be_written_counts_as_one_photo(lib, raw_sidecar, monkeypatch):
    """The copy for undo of a merged sidecar cannot be kept (a file is where the backups folder goes), so the
    JPEG's merged IMG_1.JPG.xmp fails. When the RAW has no sidecar, its IMG_1.CR2.xmp is created: tag said
    'tagged 1 photo ..., 1 failed' for one photo; now the photo is tagged and one of its sidecars failed. When
    the RAW's sidecar is merged too, both fail: tag said '2 failed' for one photo; now 1 failed. Exit 1 both."""
    monkeypatch.chdir(lib[0])  # typed in the library: the undo hint needs no path
    from blurscan.actions import journal
    from blurscan.cli import main
    from blurscan.store import Store

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    Path(f["IMG_1.JPG.xmp"]).write_bytes(DARKTABLE)
    if raw_sidecar:
        Path(f["IMG_1.CR2.xmp"]).write_bytes(DARKTABLE_RAW)
    else:
        os.unlink(f["IMG_1.CR2.xmp"])
    (root / ".blurscan.db.tag-backups").write_bytes(b"")  # no folder can be made there

    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 1, out.output
    assert f"failed: {f['IMG_1.JPG.xmp']}: cannot keep a copy of it for undo in" in out.stderr
    assert Path(f["IMG_1.JPG.xmp"]).read_bytes() == DARKTABLE
    if raw_sidecar:
        assert out.stderr.count("failed: ") == 2 and Path(f["IMG_1.CR2.xmp"]).read_bytes() == DARKTABLE_RAW
        # no sidecar written: nothing to undo, as undo says (the line offered `blurscan undo --batch 1`)
        assert out.stdout.splitlines() == [
            "tagged 0 photos (0 sidecars merged, 0 created) as batch 1, 1 failed (listed above); nothing to undo."]
        again = CliRunner().invoke(main, ["undo", str(root)])
        assert again.exit_code == 0 and again.stdout.startswith("Nothing to undo: 1 batch that moved or tagged "
                                                                "nothing"), again.output
    else:
        assert out.stdout.splitlines() == [
            "wrote a/IMG_1.CR2.xmp  (rating -1: rejected, label Red)",
            "tagged 1 photo (0 sidecars merged, 1 created) as batch 1, 1 of its sidecars failed (listed above); "
            "undo with `blurscan undo --batch 1`."]
        assert xmp.read_properties(Path(f["IMG_1.CR2.xmp"]).read_bytes()) == {"Rating": "-1", "Label": "Red"}
    with Store(root / ".blurscan.db") as store:
        states = {r.src: r.state for r in journal.rows(store, 1)}
    assert states == {f["IMG_1.JPG.xmp"]: "failed", f["IMG_1.CR2.xmp"]: "failed" if raw_sidecar else "done"}


@pytest.mark.parametrize("stem_names", [False, True])
def test_a_sidecar_shared_by_two_tagged_photos_is_written_once_and_undone(lib, stem_names):
    """IMG_5.jpg and IMG_5.heic share IMG_5.xmp (merged), or with --stem-names and no sidecar both would
    create it: the second photo's tags go into what the first wrote, and undo restores (or removes) it."""
    from blurscan.actions import undo

    root, store, f = _tag_library(lib, heic=True)
    decide(store, f["IMG_5h"], "discard")
    if stem_names:
        os.unlink(f["IMG_5.xmp"])
    before = _sidecars(root)
    result = xmp.tag_photos(store, stem_names=stem_names)
    assert result.failed == []
    shared = [t for t in result.written if t.sidecar == f["IMG_5.xmp"]]
    assert sorted(t.photo for t in shared) == sorted([f["IMG_5"], f["IMG_5h"]])
    assert xmp.read_properties(Path(f["IMG_5.xmp"]).read_bytes())["Rating"] == "-1"
    tagged = _sidecars(root)
    # a second run with another label changes the same sidecars again: undone newest first, each batch
    # gives back exactly what it found
    second = xmp.tag_photos(store, stem_names=stem_names, label="Purple", replace_label=True)
    assert second.failed == [] and second.batch_id == result.batch_id + 1
    assert undo(store).batch_id == second.batch_id and _sidecars(root) == tagged
    assert undo(store).batch_id == result.batch_id and _sidecars(root) == before


def test_tag_waits_for_another_action_on_the_database(lib):
    from blurscan.actions import journal, list_batches

    root, store, f = _tag_library(lib)
    before = _sidecars(root)
    with journal.exclusive(store):  # as a move or undo running in another process holds it
        with pytest.raises(ActionError, match="another blurscan move, trash, tag or undo is running"):
            xmp.tag_photos(store)
    assert _sidecars(root) == before and list_batches(store) == []
    assert xmp.tag_photos(store, dry_run=True).batch_id is None  # a dry run needs no lock, journals nothing


def test_cli_tag_says_how_to_undo_and_undo_reports_each_sidecar_left(lib, monkeypatch):
    monkeypatch.chdir(lib[0])  # typed in the library: the undo hint needs no path
    from blurscan.cli import main

    root, store, f = _tag_library(lib)
    store.close()
    before = _sidecars(root)
    runner = CliRunner()
    out = runner.invoke(main, ["tag", "--xmp", "--dry-run", str(root)])
    assert out.exit_code == 0 and "Nothing was changed" in out.output and _sidecars(root) == before
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert "No batches." in out.output  # a dry run journals nothing
    out = runner.invoke(main, ["tag", "--xmp", str(root)])
    assert out.exit_code == 0, out.output
    assert "(3 sidecars merged, 1 created) as batch 1; undo with `blurscan undo --batch 1`." in out.output
    out = runner.invoke(main, ["tag", "--xmp", str(root)])  # nothing left to change: no new batch
    assert out.exit_code == 0 and "nothing to undo" in out.output and "unchanged a/IMG_1.JPG.xmp" in out.output
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert out.output.count("batch ") == 1 and "tag  done: 4 written, 0 failed, 0 undone of 4 sidecars" in out.output
    Path(f["IMG_4"] + ".xmp").write_bytes(b"<x/>")
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert f"not undone: {f['IMG_4']}.xmp: changed since `blurscan tag` wrote it" in out.output
    assert "batch 1: restored 3 sidecars to their bytes from before tagging, 1 left as it is" in out.output
    assert {p: v for p, v in _sidecars(root).items() if p != f["IMG_4"] + ".xmp"} == before
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and out.output.startswith("Nothing to undo: 1 batch undone already in "), out.output


def test_cli_tag_then_move_then_undo_says_what_happened_to_each_sidecar(lib, monkeypatch):
    """The dry run says merge / write / unchanged as the real run does (it said "would write" for a sidecar
    it would merge, and for one it would leave as it is); undoing a tag batch whose sidecars went away with
    their photos (a later move) says they moved, and --list says how to retry (both said "changed since")."""
    monkeypatch.chdir(lib[0])  # typed in the library: the undo hint needs no path
    from blurscan.cli import main

    root, store, f = _tag_library(lib)
    store.close()
    before = _sidecars(root)
    runner = CliRunner()
    out = runner.invoke(main, ["tag", "--xmp", "--dry-run", str(root)])
    assert out.exit_code == 0, out.output
    assert "would merge a/IMG_1.JPG.xmp" in out.output and "would write b/c/IMG_4.jpg.xmp" in out.output
    assert "would merge b/IMG_5.xmp" in out.output
    assert runner.invoke(main, ["tag", "--xmp", str(root)]).exit_code == 0
    out = runner.invoke(main, ["tag", "--xmp", "--dry-run", str(root)])
    assert "would" not in out.output.replace("Dry run: would tag", "") and "unchanged a/IMG_1.JPG.xmp" in out.output

    out = runner.invoke(main, ["move", "--to", str(root.parent / "rejects"), "--yes", str(root)])  # IMG_1 + sidecars
    assert out.exit_code == 0 and "as batch 2" in out.output, out.output
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0, out.output
    assert f"not undone: {f['IMG_1.JPG.xmp']}: no longer there (moved or deleted since" in out.output
    assert f"not undone: {f['IMG_1.CR2.xmp']}: no longer there (moved or deleted since" in out.output
    assert "2 left as they are (changed, moved or deleted since tagging, listed above; " \
           "`blurscan undo --batch 1` tries again)" in out.output
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert "2 left alone (changed, moved or deleted since; `blurscan undo --batch 1` tries again)" in out.output
    assert runner.invoke(main, ["undo", str(root)]).exit_code == 0  # the move: IMG_1 and its sidecars come back
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0 and "batch 1: restored 2 sidecars to their bytes from before tagging" in out.output
    assert _sidecars(root) == before


@pytest.mark.parametrize("kept_first", [False, True])
def test_undo_of_tag_counts_a_sidecar_put_back_by_hand_as_undone(lib, kept_first):
    """A sidecar the tag batch rewrote and that was put back as it was by hand (its old bytes: a photo app's own
    undo) needs nothing from undo, and counts as undone in ``undo --list``, as the batch did change it: not as a
    sidecar the batch never wrote. So too when an earlier undo left it (``kept``: changed since by another
    program), put back by hand before the next undo."""
    from blurscan.actions import list_batches, undo

    root, store, f = _tag_library(lib)
    before = _sidecars(root)
    result = xmp.tag_photos(store)
    assert result.failed == []
    if kept_first:
        Path(f["IMG_1.JPG.xmp"]).write_bytes(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
        first = undo(store)
        assert [s for s, _ in first.kept] == [f["IMG_1.JPG.xmp"]]
    Path(f["IMG_1.JPG.xmp"]).write_bytes(before[f["IMG_1.JPG.xmp"]][0])
    back = undo(store, result.batch_id)
    assert back.complete and f["IMG_1.JPG.xmp"] in back.untouched
    [info] = list_batches(store)
    assert (info.state, info.files, info.undone) == ("undone", 4, 4)
    assert _sidecars(root) == before


def test_undo_of_a_tag_batch_after_the_database_was_moved_removes_the_emptied_backup_folder(tmp_path):
    """The README moves a database out of a dataset (`mv data/train/.blurscan.db data/train.blurscan.db`); a tag
    batch made before puts its sidecars back from the copies where it wrote them, and its emptied backup folder
    there goes too (until 2026-12-06 only the one beside the moved database was looked at, and
    `data/train/.blurscan.db.tag-backups/batch-1/` stayed, empty: a hidden folder, a class to ImageFolder)."""
    from helpers_cli import run
    from helpers_images import blurred, save_png, textured

    train = tmp_path / "data" / "train"
    save_png(train / "cat" / "img_0.png", blurred(textured(0), 4.0))
    save_png(train / "cat" / "img_1.png", textured(1))
    (train / "cat" / "img_0.png.xmp").write_bytes(DARKTABLE)
    assert run("scan", train, "--workers", "1").exit_code == 0
    assert run("tag", "--xmp", "--min-p-blurry", "0", train).exit_code == 0
    assert (train / ".blurscan.db.tag-backups" / "batch-1").is_dir()
    moved = tmp_path / "data" / "train.blurscan.db"
    (train / ".blurscan.db").rename(moved)
    undone = run("undo", "--db", moved)
    assert undone.exit_code == 0 and "batch 1: restored 1 sidecar" in undone.output, undone.output
    assert (train / "cat" / "img_0.png.xmp").read_bytes() == DARKTABLE
    assert sorted(p.name for p in train.iterdir()) == [".blurscan.db.actions.lock", "cat"]


def test_undo_of_a_tag_batch_after_the_database_was_moved_keeps_the_folder_it_was_in(tmp_path):
    """Only the batch's folder of copies and the ``.tag-backups`` folder holding it are removed once empty, never the
    folder above them: the database's old folder, emptied by moving the database and deleting its lock as the README
    says, is the person's own and stays (mutation testing: a third level removed went unnoticed)."""
    from helpers_cli import run
    from helpers_images import blurred, save_png, textured

    photos, old, new = tmp_path / "photos", tmp_path / "old", tmp_path / "new"
    save_png(photos / "img_0.png", blurred(textured(0), 4.0))
    (photos / "img_0.png.xmp").write_bytes(DARKTABLE)
    old.mkdir()
    new.mkdir()
    assert run("scan", photos, "--db", old / "lib.db", "--workers", "1").exit_code == 0
    assert run("tag", "--xmp", "--min-p-blurry", "0", photos, "--db", old / "lib.db").exit_code == 0
    assert (old / "lib.db.tag-backups" / "batch-1").is_dir()
    (old / "lib.db").rename(new / "lib.db")
    for leftover in old.iterdir():
        if leftover.name != "lib.db.tag-backups":
            leftover.unlink()
    undone = run("undo", "--db", new / "lib.db")
    assert undone.exit_code == 0 and "batch 1: restored 1 sidecar" in undone.output, undone.output
    assert (photos / "img_0.png.xmp").read_bytes() == DARKTABLE
    assert old.is_dir() and not any(old.iterdir())
