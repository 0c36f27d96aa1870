"""A batch whose files did not all come back because they are gone (the trash emptied, deleted by hand from
--to) was the target of every plain ``blurscan undo`` for ever: each one reported the same files beyond undo,
exit 1, and the batches before it could only be reached with ``--batch ID``. Such a batch is now closed once
undo has done what it can (its other files back), so a plain undo repeated walks back through the batches;
a batch with a failure that can still be fixed (a new file at a photo's place) stays the target until then;
``--batch ID`` still looks for the gone files (a --to drive that was not mounted, say)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import list_batches, moved_paths
from blurscan.cli import main
from blurscan.store import Store
from helpers_library import decide, sha


def _files_under(folder) -> dict[str, str]:
    return {name: os.path.join(d, name) for d, _, names in os.walk(folder) for name in names}


def _run(*args):
    out = CliRunner().invoke(main, list(args))
    return out


def test_plain_undo_walks_back_past_a_batch_whose_files_are_gone(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(root)  # the hints then read `blurscan undo --batch N`, as typed in the library
    before = {k: sha(p) for k, p in f.items()}
    decide(store, f["IMG_1"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "rej"), "--yes").exit_code == 0           # batch 1
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_2"], "discard")
    assert _run("trash", "--yes").exit_code == 0                                           # batch 2
    trash_files = tmp_path / "data" / "Trash" / "files"
    assert sorted(os.listdir(trash_files)) == ["IMG_2.AAE", "IMG_2.jpg"]
    shutil.rmtree(trash_files)  # the trash emptied
    trash_files.mkdir()

    out = _run("undo")
    assert out.exit_code == 1  # the files could not be restored: said, and a failure for a script
    assert out.stderr.count("no longer in the trash at") == 2
    assert out.stdout == ("batch 2: restored 0 files, 2 could not be restored (listed above: no longer in the trash "
                          "nor at their place, so undo cannot bring them back).\n"
                          "batch 2 is closed: a plain `blurscan undo` now goes to batch 1; `blurscan undo --batch 2` "
                          "looks for the missing files again.\n")
    assert not os.path.exists(f["IMG_1"])  # batch 1 not touched by that undo

    out = _run("undo")  # was batch 2 again, the same failure, for ever
    assert out.exit_code == 0, out.output
    assert out.stdout == "batch 1: restored 4 files, removed 2 empty folders the move had created.\n"
    assert sha(f["IMG_1"]) == before["IMG_1"]
    assert not os.path.exists(f["IMG_2"])

    out = _run("undo")
    assert out.exit_code == 0, out.output
    assert out.stdout == ("Nothing to undo: 1 batch undone already and 1 batch closed (undone but for files gone "
                          "from the trash or --to, which undo cannot bring back) in "
                          f"{root / '.blurscan.db'} (`blurscan undo --list {root}` lists them).\n")
    listed = _run("undo", "--list").stdout.splitlines()
    assert listed[0].split("  ")[2:] == ["trash", "closed: 0 moved, 0 failed, 0 undone, 2 gone (not found by undo) "
                                                  f"of 2 files ({listed[0].rsplit('(', 1)[1]}"]
    assert " undone: 0 moved, 0 failed, 4 undone of 4 files" in listed[1]
    with Store(root / ".blurscan.db") as again:  # the photo is still one the trash took, not in the library
        assert str(f["IMG_2"]) in moved_paths(again)
        assert [b.state for b in list_batches(again)] == ["closed", "undone"]


def test_batch_with_a_fixable_failure_stays_the_target_then_closes(lib, tmp_path, monkeypatch):
    """Partly gone: IMG_3 deleted by hand from --to, a new file at IMG_4's place. The batch is not finished
    (IMG_4 can still come back): a plain undo stays on it. Once the new file is moved away, undo brings IMG_4
    back and closes the batch (IMG_3 is gone); the next plain undo goes to the batch before."""
    root, store, f = lib
    monkeypatch.chdir(root)
    decide(store, f["IMG_1"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "rej1"), "--yes").exit_code == 0           # batch 1
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_3"], "discard")
        decide(again, f["IMG_4"], "discard")
    assert _run("move", "--to", str(tmp_path / "rej2"), "--yes").exit_code == 0           # batch 2
    img4 = sha(_files_under(tmp_path / "rej2")["IMG_4.jpg"])
    os.unlink(_files_under(tmp_path / "rej2")["IMG_3.jpg"])  # deleted by hand from --to
    Path(f["IMG_4"]).write_text("a new file at its place")
    for _ in range(2):
        out = _run("undo")
        assert out.exit_code == 1
        assert out.stdout.startswith("batch 2: restored 0 files") and "run undo again once the others are fixed" \
            in out.stdout and "closed" not in out.stdout, out.output
    assert not os.path.exists(f["IMG_1"])
    os.unlink(f["IMG_4"])  # the new file put elsewhere
    out = _run("undo")
    assert out.exit_code == 1
    assert out.stdout == ("batch 2: restored 1 file, removed 3 empty folders the move had created, 1 could not be "
                          "restored (listed above: no longer where the move put it nor at its place, so undo cannot "
                          "bring it back).\n"
                          "batch 2 is closed: a plain `blurscan undo` now goes to batch 1; `blurscan undo --batch 2` "
                          "looks for the missing file again.\n")
    assert sha(f["IMG_4"]) == img4
    out = _run("undo")
    assert out.exit_code == 0 and out.stdout.startswith("batch 1: restored 4 files"), out.output
    assert os.path.exists(f["IMG_1"]) and not os.path.exists(f["IMG_3"])


def test_batch_option_finds_the_files_of_a_closed_batch_again(lib, tmp_path, monkeypatch):
    """The --to folder was away (a drive not mounted) when undo ran: the batch closed. Once it is back,
    `undo --batch 1` puts the files back; a photo put back by hand counts as back, and one whose place another
    file took meanwhile makes the batch the target of a plain undo again, which finishes it once that is
    sorted out."""
    root, store, f = lib
    monkeypatch.chdir(root)
    before = {k: sha(p) for k, p in f.items()}
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "rej"), "--yes").exit_code == 0
    os.rename(tmp_path / "rej", tmp_path / "unmounted")
    out = _run("undo")
    assert out.exit_code == 1 and "batch 1 is closed: no other batch is left for a plain `blurscan undo`; " \
        "`blurscan undo --batch 1` looks for the missing files again." in out.stdout, out.output
    assert _run("undo").stdout.startswith("Nothing to undo: 1 batch closed")
    os.rename(tmp_path / "unmounted", tmp_path / "rej")
    shutil.copy2(_files_under(tmp_path / "rej")["IMG_2.jpg"], f["IMG_2"])  # one photo put back by hand
    os.unlink(_files_under(tmp_path / "rej")["IMG_2.jpg"])
    Path(f["IMG_1"]).write_text("a new file at its place")
    out = _run("undo", "--batch", "1")
    assert out.exit_code == 1, out.output
    assert out.stdout.startswith("batch 1: restored 1 file, 1 already back in place (put back by hand), 4 could "
                                 "not be restored (listed above; run undo again once fixed)"), out.output
    assert "closed" not in out.stdout and "IMG_1.JPG: both it and" in out.stderr
    assert out.stderr.count("its photo IMG_1.JPG was not put back") == 3  # its RAW and sidecars stay with it
    os.unlink(f["IMG_1"])  # the new file put elsewhere
    out = _run("undo")  # batch 1 again, no longer closed
    assert out.exit_code == 0 and out.stdout.startswith("batch 1: restored 4 files"), out.output
    assert all(sha(f[k]) == before[k] for k in ("IMG_1", "IMG_2"))
    with Store(root / ".blurscan.db") as again:
        assert [b.state for b in list_batches(again)] == ["undone"] and not moved_paths(again)


def test_a_to_folder_on_an_unplugged_drive_does_not_close_the_batch(lib, tmp_path, monkeypatch):
    """move --to a folder on a drive (here tmp_path/media plays /media/me, Backup the drive), the drive then
    unplugged: undo found the photos at neither place, called them gone and closed the batch, so the next plain
    undo -- with the drive back -- went to the batch before and left these photos in Backup/rej. The drive's
    folder missing is a failure to retry: the batch stays the target, and comes back whole once it is there."""
    from blurscan.actions import drives

    root, store, f = lib
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "media"), 1),))
    monkeypatch.chdir(root)
    before = {k: sha(p) for k, p in f.items()}
    decide(store, f["IMG_4"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "elsewhere"), "--yes").exit_code == 0      # batch 1
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_1"], "discard")
    drive = tmp_path / "media" / "Backup"
    drive.mkdir(parents=True)
    assert _run("move", "--to", str(drive / "rej"), "--yes").exit_code == 0               # batch 2
    os.rename(drive, tmp_path / "unplugged")
    out = _run("undo")
    assert out.exit_code == 1
    assert f"{drive} is not there (is the drive unplugged?)" in out.stderr
    assert "closed" not in out.stdout and not os.path.exists(drive)
    with Store(root / ".blurscan.db") as again:
        assert [b.state for b in list_batches(again)] == ["partial", "done"]
    os.rename(tmp_path / "unplugged", drive)
    out = _run("undo")  # a plain undo: still batch 2
    assert out.exit_code == 0 and out.stdout.startswith("batch 2: restored 4 files"), out.output
    assert sha(f["IMG_1"]) == before["IMG_1"] and not os.path.exists(f["IMG_4"])


def test_a_to_folder_on_an_unmounted_drive_whose_mount_point_stays_does_not_close_the_batch(lib, tmp_path,
                                                                                            monkeypatch):
    """An fstab or NAS mount (/mnt/usb) keeps its folder, empty, while the drive is not mounted: the --to folder
    in it was missing one level below the drive's folder, which the guard did not take for a drive's, so undo
    called the photos gone and closed the batch."""
    from blurscan.actions import drives

    root, store, f = lib
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path / "mnt"), 1),))
    monkeypatch.chdir(root)
    decide(store, f["IMG_4"], "discard")
    store.close()
    usb = tmp_path / "mnt" / "usb"
    usb.mkdir(parents=True)
    assert _run("move", "--to", str(usb / "rej"), "--yes").exit_code == 0
    os.rename(usb, tmp_path / "unmounted")
    usb.mkdir()  # the mount point stays, empty
    out = _run("undo")
    assert out.exit_code == 1 and f"{usb / 'rej'} is not there (is the drive unplugged?)" in out.stderr, out.output
    with Store(root / ".blurscan.db") as again:
        assert [b.state for b in list_batches(again)] == ["partial"]
    usb.rmdir()
    os.rename(tmp_path / "unmounted", usb)
    out = _run("undo")
    assert out.exit_code == 0 and out.stdout.startswith("batch 1: restored 1 file"), out.output
    assert os.path.exists(f["IMG_4"])


def test_nothing_to_undo_names_all_three_kinds_and_the_list_counts_the_gone_files_bytes(lib, tmp_path, monkeypatch):
    """A batch undone, one closed (its files deleted by hand from --to) and one that moved nothing (every photo
    failed: a file put where the move needs a folder): a plain undo names the three, "A, B and C"; `undo --list`
    counts in the closed batch's bytes those of its files gone (what it took away). Mutants joining the three with
    "and" alone, or leaving the gone files' bytes out, survived."""
    import blurscan.actions as actions
    from blurscan.cli.actions import human_size

    root, store, f = lib
    monkeypatch.chdir(root)
    decide(store, f["IMG_1"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "rej1"), "--yes").exit_code == 0           # batch 1, undone
    assert _run("undo").exit_code == 0
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_3"], "discard")
    assert _run("move", "--to", str(tmp_path / "rej2"), "--yes").exit_code == 0           # batch 2, closed
    moved = _files_under(tmp_path / "rej2")
    size = sum(os.path.getsize(p) for p in moved.values())
    for path in moved.values():
        os.unlink(path)  # deleted by hand from --to
    assert _run("undo").exit_code == 1
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_2"], "discard")
    blocked = tmp_path / "rej3"
    blocked.mkdir()
    planned = actions.plan_move

    def plan_then_block(*args, **kwargs):
        plan = planned(*args, **kwargs)
        (blocked / "a").write_text("a file where the move needs a folder")
        return plan

    monkeypatch.setattr(actions, "plan_move", plan_then_block)
    assert _run("move", "--to", str(blocked), "--yes").exit_code == 1                      # batch 3, moved nothing
    monkeypatch.setattr(actions, "plan_move", planned)
    out = _run("undo")
    assert out.exit_code == 0, out.output
    assert out.stdout == ("Nothing to undo: 1 batch undone already, 1 batch closed (undone but for files gone from "
                          "the trash or --to, which undo cannot bring back) and 1 batch that moved or tagged nothing "
                          f"(every file failed or was skipped) in {root / '.blurscan.db'} (`blurscan undo --list "
                          f"{root}` lists them).\n")
    listed = _run("undo", "--list").stdout.splitlines()
    assert listed[1].endswith(f"closed: 0 moved, 0 failed, 0 undone, {len(moved)} gone (not found by undo) of "
                              f"{len(moved)} files ({human_size(size)})"), listed


def test_files_of_a_closed_batch_put_back_by_hand_since_are_said_back(lib, tmp_path, monkeypatch):
    """The moved photo and its sidecar taken out of --to by hand (the batch closed by the undo that missed them),
    then put back at their places: `undo --batch 1` says they are back (put back by hand), each checked to be the
    file the batch moved, and the batch is undone. A mutant that looked at the files of rows `done` alone (not of
    rows `gone`) said they "had not been moved"."""
    root, store, f = lib
    monkeypatch.chdir(root)
    decide(store, f["IMG_2"], "discard")
    store.close()
    assert _run("move", "--to", str(tmp_path / "rej"), "--yes").exit_code == 0
    away = tmp_path / "away"
    away.mkdir()
    moved = _files_under(tmp_path / "rej")
    assert sorted(moved) == ["IMG_2.AAE", "IMG_2.jpg"]
    for name, path in moved.items():
        shutil.move(path, away / name)  # taken out of --to by hand
    missed = _run("undo")
    assert missed.exit_code == 1 and "batch 1 is closed" in missed.stdout, missed.output
    for name in moved:
        shutil.move(away / name, Path(f["IMG_2"]).parent / name)  # and put back at their places
    out = _run("undo", "--batch", "1")
    assert out.exit_code == 0, out.output
    assert out.stdout == "batch 1: restored 0 files, 2 already back in place (put back by hand).\n", out.output
    with Store(root / ".blurscan.db") as again:
        assert [b.state for b in list_batches(again)] == ["undone"]


@pytest.mark.parametrize("kind", ["move", "tag"])
def test_a_batch_undone_but_for_one_sidecar_is_listed_partial_until_it_is_finished(lib, tmp_path, monkeypatch,
                                                                                     kind):
    """An undo that put the photos back but one sidecar (a new file at its place; a tag batch's copy of a sidecar's
    bytes damaged) left the batch ``done`` (``running`` after a kill), as if none of it had been undone: it is
    ``partial`` now, the target of a plain undo, which finishes it once that is sorted out."""
    root, store, f = lib
    monkeypatch.chdir(root)
    if kind == "move":
        decide(store, f["IMG_1"], "discard")
        store.close()
        assert _run("move", "--to", str(tmp_path / "rej"), "--yes").exit_code == 0
        sidecar = f["IMG_1.JPG.xmp"]
        Path(sidecar).write_text("a sidecar made since by a photo app")  # something holds the sidecar's place

        def sort_it_out():
            os.unlink(sidecar)
    else:
        from test_xmp import _tag_library
        from blurscan.actions import journal, xmp

        _tag_library(lib)
        assert xmp.tag_photos(store).batch_id == 1
        [copy] = [r.dst for r in journal.rows(store, 1) if r.src == f["IMG_1.JPG.xmp"]]
        kept = Path(copy).read_bytes()
        Path(copy).write_bytes(kept[:-1] + b" ")  # (the copy of its previous bytes damaged)
        store.close()

        def sort_it_out():
            Path(copy).write_bytes(kept)
    first = _run("undo")
    assert first.exit_code == 1 and f"failed: {f['IMG_1.JPG.xmp']}: " in first.stderr, first.output
    listed = _run("undo", "--list").stdout
    assert f"  {kind} " in listed and "  partial: " in listed, listed  # (it said "done")
    again = _run("undo")  # the same batch, the same failure
    assert again.exit_code == 1 and again.stdout.startswith("batch 1: "), again.output
    sort_it_out()
    last = _run("undo")
    assert last.exit_code == 0 and last.stdout.startswith("batch 1: "), last.output
    assert "  undone: " in _run("undo", "--list").stdout
    assert os.path.exists(f["IMG_1"]) and os.path.exists(f["IMG_1.JPG.xmp"])


@pytest.mark.parametrize("kind", ["move", "tag"])
def test_the_retry_hint_names_the_batch_while_a_plain_undo_goes_to_a_newer_one(lib, tmp_path, monkeypatch, kind):
    """``undo --batch 1`` that leaves a file to retry, with batch 2 not undone: a plain undo goes to batch 2 first,
    yet the summary said ``run undo again once fixed``. It names the batch now, as typed where undo ran; once batch 2
    is undone, a plain undo comes back to batch 1 and the hint is the plain one again."""
    root, store, f = lib
    monkeypatch.chdir(root)
    if kind == "move":
        decide(store, f["IMG_1"], "discard")
        store.close()
        assert _run("move", "--to", str(tmp_path / "rej1"), "--yes").exit_code == 0           # batch 1
        Path(f["IMG_1.JPG.xmp"]).write_text("a sidecar made since by a photo app")  # (its place held)
    else:
        from test_xmp import _tag_library
        from blurscan.actions import journal, xmp

        _tag_library(lib)
        assert xmp.tag_photos(store).batch_id == 1                                             # batch 1
        [copy] = [r.dst for r in journal.rows(store, 1) if r.src == f["IMG_1.JPG.xmp"]]
        Path(copy).write_bytes(Path(copy).read_bytes()[:-1] + b" ")  # (the copy of its previous bytes damaged)
        decide(store, f["IMG_1"], "keep")
        store.close()
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_3"], "discard")
    assert _run("move", "--to", str(tmp_path / "rej2"), "--yes").exit_code == 0               # batch 2
    out = _run("undo", "--batch", "1")
    assert out.exit_code == 1 and f"failed: {f['IMG_1.JPG.xmp']}: " in out.stderr, out.output
    assert out.stdout.startswith("batch 1: ") and "; run `blurscan undo --batch 1` again once fixed)" in out.stdout
    monkeypatch.chdir(tmp_path)  # (elsewhere: the command names the library)
    out = _run("undo", "--batch", "1", str(root))
    assert f"; run `blurscan undo --batch 1 {root}` again once fixed)" in out.stdout, out.output
    monkeypatch.chdir(root)
    assert _run("undo").stdout.startswith("batch 2: restored 1 file")
    out = _run("undo")  # batch 1 now, as a plain undo again would
    assert out.exit_code == 1 and out.stdout.startswith("batch 1: "), out.output
    assert "; run undo again once fixed)" in out.stdout, out.output
