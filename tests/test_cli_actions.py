"""The action commands on the command line: ``blurscan move``, ``trash`` and ``undo`` as a user runs them
(dry run, ``--yes``, undo), their messages, and an end-to-end run on real photos."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.errors import shell_path
from helpers_library import decide, moved_to_rejects, snapshot


def test_cli_dry_run_then_yes_then_undo(lib, tmp_path):
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    runner = CliRunner()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    out = runner.invoke(main, ["move", "--to", str(dest), str(root)])
    assert out.exit_code == 0, out.output
    assert "Dry run" in out.output and "a/IMG_1.JPG" in out.output and "kB" in out.output
    assert snapshot(root) == before and not dest.exists()
    out = runner.invoke(main, ["move", "--to", str(dest), "--all-flagged", "--yes", "--db", str(root / ".blurscan.db")])
    assert out.exit_code == 0, out.output
    assert "moved 4 photos" in out.output and "batch 1" in out.output
    again = runner.invoke(main, ["move", "--to", str(dest), "--all-flagged", "--yes", str(root)])
    assert again.exit_code == 0 and "Nothing to move." in again.stdout
    assert "nothing left to take" in again.stderr and "no photo is marked discard" not in again.stderr
    listed = runner.invoke(main, ["report", str(root), "--format", "jsonl"])  # the moved photos are not listed
    assert [json.loads(line)["path"] for line in listed.stdout.splitlines()] == [f["IMG_3"], f["IMG_5h"]]
    assert "note: 4 photos moved or trashed by blurscan are not listed" in listed.stderr
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert "batch 1" in out.output and "done" in out.output
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0 and "restored 8 files" in out.output, out.output
    assert snapshot(root) == before
    listed = runner.invoke(main, ["report", str(root), "--format", "jsonl"])
    assert len(listed.stdout.splitlines()) == 6 and "note:" not in listed.stderr
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and out.output.startswith("Nothing to undo: 1 batch undone already in "), out.output
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0 and "batch 1 was already undone: nothing to restore." in out.output


def test_report_does_not_promise_undo_of_photos_gone_from_the_rejects_folder(lib, tmp_path):
    """A photo moved away and then deleted from the --to folder (its batch closed by an undo that could not find
    it) is not offered to `blurscan undo` by report's note: that undo says it has nothing to undo. Until 2026-12-07
    the note said of it too that `blurscan undo` puts them back (the review page had said it right since 12-06)."""
    from blurscan.cli import main

    root, f, dest = moved_to_rejects(lib, tmp_path)
    runner = CliRunner()
    listed = runner.invoke(main, ["report", str(root), "--format", "jsonl"])
    assert f"note: 2 photos moved or trashed by blurscan are not listed (`blurscan undo {root}` puts them back)" \
        in listed.stderr
    (dest / os.path.relpath(f["IMG_1"], root)).unlink()  # deleted by hand from the rejects folder
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1 and "is closed" in out.output, out.output
    assert runner.invoke(main, ["undo", str(root)]).output.startswith("Nothing to undo")
    listed = runner.invoke(main, ["report", str(root), "--format", "jsonl"])
    assert f["IMG_3"] in [json.loads(line)["path"] for line in listed.stdout.splitlines()]  # (undo put it back)
    assert "` puts" not in listed.stderr, listed.stderr
    assert ("note: 1 photo moved or trashed by blurscan, no longer in the trash or the --to folder, is not listed: "
            "`blurscan undo` cannot bring it back unless it is there again") in listed.stderr
    again = runner.invoke(main, ["move", "--to", str(dest / "again"), "--yes", str(root)])  # IMG_3, still discard
    assert again.exit_code == 0 and "moved 1 photo" in again.output, again.output
    listed = runner.invoke(main, ["report", str(root)])
    assert f"note: 1 photo moved or trashed by blurscan is not listed (`blurscan undo {root}` puts it back)" \
        in listed.stderr, listed.stderr


def test_cli_undo_list_with_batch_lists_only_that_batch(lib, tmp_path):
    """`undo --list --batch N` lists batch N alone (it listed every batch) and undoes nothing; an unknown N is
    one error line naming the database."""
    from blurscan.cli import main

    root, store, f = lib
    runner = CliRunner()
    before = snapshot(root)
    for n, name in ((1, "IMG_1"), (2, "IMG_2")):  # two batches of one photo each
        decide(store, f[name], "discard")
        out = runner.invoke(main, ["move", "--to", str(tmp_path / f"rejects{n}"), "--yes", str(root)])
        assert out.exit_code == 0 and "moved 1 photo" in out.output and f"as batch {n}" in out.output, out.output
    store.close()
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert [line.split()[1] for line in out.output.splitlines()] == ["2", "1"]
    out = runner.invoke(main, ["undo", "--list", "--batch", "1", str(root)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("batch 1 ") and "rejects1" in lines[0], lines
    assert not (root / "a" / "IMG_1.JPG").exists()  # listing undid nothing
    out = runner.invoke(main, ["undo", "--list", "--batch", "7", str(root)])
    assert out.exit_code == 1 and out.output.startswith("Error: no batch 7 in ") and "blurscan undo --list" in out.output
    assert len(out.output.splitlines()) == 1
    for _ in range(2):
        assert runner.invoke(main, ["undo", str(root)]).exit_code == 0
    assert snapshot(root) == before


def test_cli_yes_lists_the_photos_it_skips(lib, tmp_path):
    """What the dry run lists as skipped, --yes says too (on stderr), and the summary counts it."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "discard")
    store.close()
    with open(f["IMG_2"], "ab") as fh:  # edited after the review
        fh.write(b"\0")
    runner = CliRunner()
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--yes", str(root)])
    assert out.exit_code == 0, out.output
    assert "skipped: a/IMG_2.jpg: changed since it was scanned or reviewed" in out.stderr
    assert "moved 1 photo (" in out.stdout and "1 skipped (listed above)" in out.stdout
    decide_again = runner.invoke(main, ["trash", "--yes", str(root)])  # only the changed photo is left
    assert decide_again.exit_code == 0, decide_again.output
    assert "skipped: a/IMG_2.jpg: changed" in decide_again.stderr
    assert "Nothing to trash. (1 skipped, listed above.)" in decide_again.stdout


def test_cli_without_database_is_one_error_line(tmp_path):
    from blurscan.cli import main

    Image.new("RGB", (64, 48), "gray").save(tmp_path / "a.jpg")  # a folder of photos never scanned
    out = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "x"), str(tmp_path)])
    assert out.exit_code == 1
    assert out.output.startswith("Error: ") and "no blurscan database" in out.output


def test_a_path_that_does_not_exist_is_named_so_not_offered_a_scan(tmp_path):
    """`tag --xmp /typo` and `undo /typo` said "no blurscan database found ... (run `blurscan scan /typo`
    first)": a scan of a path that does not exist (review and bursts said "no such file or directory")."""
    from blurscan.cli import main

    typo = tmp_path / "Picturs"
    for args in (["tag", "--xmp"], ["undo"], ["move", "--to", str(tmp_path / "x")], ["trash"]):
        out = CliRunner().invoke(main, [*args, str(typo)])
        assert out.exit_code == 1, out.output
        assert out.output == f"Error: {typo}: no such file or directory\n"


def test_every_action_command_is_documented():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "actions.md").read_text()
    for cmd in ("blurscan move", "blurscan trash", "blurscan undo", "blurscan tag", "--yes", "--all-blurry",
                "--from-bursts", "--batch", "--list", "--xmp"):
        assert cmd in doc, cmd


@pytest.mark.slow
def test_end_to_end_with_real_scan_of_real_photos(tmp_path):
    """Real photos (GoPro motion blur + its sharp frame) scanned by `blurscan scan`, moved, undone, re-scanned:
    the restored files are recognised as unchanged by the scan cache (same bytes, same modification time)."""
    import shutil

    from blurscan.cli import main
    from blurscan.config import shared_data_dir

    src = shared_data_dir() / "gopro" / "saved_images"
    names = ["GOPR0374_11_00_st_frame-614_n_avg-8.jpg", "GOPR0374_11_00_st_frame-614_n_avg-8_gt.jpg"]
    if not all((src / n).is_file() for n in names):
        pytest.skip("shared data not available")
    lib = tmp_path / "lib" / "trip"
    lib.mkdir(parents=True)
    for n in names:
        shutil.copy2(src / n, lib / n)
    runner = CliRunner()
    out = runner.invoke(main, ["scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1"])
    assert out.exit_code == 0, out.output
    before = snapshot(tmp_path / "lib")
    report = runner.invoke(main, ["report", str(tmp_path / "lib"), "--format", "jsonl"])
    verdicts = {Path(r["path"]).name: r["verdict"] for r in map(json.loads, report.output.splitlines())}
    flagged = sorted(n for n, v in verdicts.items() if v == "blurry")
    # whatever the scan flagged (the verdicts are the measures' business) is exactly what moves
    if not flagged:
        pytest.skip(f"the scan flagged neither photo: {verdicts}")
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-flagged", "--yes",
                               str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert sorted(os.listdir(lib)) == sorted(set(names) - set(flagged))
    assert sorted(os.listdir(tmp_path / "rejects" / "trip")) == flagged
    out = runner.invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert snapshot(tmp_path / "lib") == before
    out = runner.invoke(main, ["scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1"])
    assert "2 unchanged" in out.output, out.output


def test_cli_trash_dry_run_yes_and_undo(lib, tmp_path, monkeypatch):
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_2"], "discard")
    store.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runner = CliRunner()
    before = snapshot(root)
    out = runner.invoke(main, ["trash", str(root)])
    assert out.exit_code == 0 and "Dry run" in out.output and "once the trash is emptied" in out.output
    assert snapshot(root) == before
    out = runner.invoke(main, ["trash", "--yes", str(root)])
    assert out.exit_code == 0 and "trashed 1 photo (2 files" in out.output, out.output
    assert sorted(os.listdir(tmp_path / "data" / "Trash" / "files")) == ["IMG_2.AAE", "IMG_2.jpg"]
    out = runner.invoke(main, ["undo", "--list", str(root)])
    assert "trash" in out.output and "2 moved" in out.output
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "restored 2 files" in out.output
    assert snapshot(root) == before


def test_empty_selection_says_how_to_select_something(lib, tmp_path):
    """Nothing marked discard: the dry run changes nothing and says what --all-blurry would take; once
    that is given, or a photo is marked, the note goes."""
    from blurscan.cli import main

    root, store, f = lib
    runner = CliRunner()
    before = snapshot(root)
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(root)])
    assert out.exit_code == 0, out.output
    assert "Dry run: 0 photos" in out.output
    assert "no photo is marked discard" in out.stderr and "blurscan review" in out.stderr
    assert "--all-blurry to take the 4 photos the scan called blurry" in out.stderr
    out = runner.invoke(main, ["trash", "--yes", str(root)])
    assert "Nothing to trash." in out.output and "--all-blurry" in out.stderr
    assert snapshot(root) == before
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-flagged", str(root)])
    assert "Dry run: 4 photos" in out.output and "no photo is marked" not in out.stderr
    decide(store, f["IMG_3"], "discard")
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(root)])
    assert "Dry run: 1 photo " in out.output and "no photo is marked" not in out.stderr


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to become nobody")
def test_cli_undo_list_reads_a_read_only_library(lib, tmp_path):
    """`undo --list` only reads, so it lists the batches of a library this user cannot write (a read-only
    share, another user's library); it failed 'attempt to write a readonly database'. Undo itself still
    refuses with one error line."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    runner = CliRunner()
    assert runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--yes", str(root)]).exit_code == 0
    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        share = base / "share"
        share.mkdir()
        shutil.copy(root / ".blurscan.db", share / ".blurscan.db")
        (share / ".blurscan.db").chmod(0o444)
        share.chmod(0o555)

        def attempt():
            listed = CliRunner().invoke(main, ["undo", "--list", str(share)])
            undone = CliRunner().invoke(main, ["undo", str(share)])
            return [listed.exit_code, listed.output, undone.exit_code, undone.output]

        code, out, ucode, uout = run_unprivileged(attempt)
        assert code == 0 and out.startswith("batch 1 ") and "done: 4 moved" in out, out  # IMG_1 and its companions
        assert ucode == 1 and uout.startswith("Error: ") and len(uout.splitlines()) == 1, uout
        assert sorted(p.name for p in share.iterdir()) == [".blurscan.db"]
    finally:
        share.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_cli_tag_with_nothing_selected_says_so_and_how_to_select(lib):
    """`tag --xmp --discarded-only` with no photo marked discard said 'tagged 0 photos; no sidecar needed a
    change', as if the sidecars had been checked; it says 'Nothing to tag.' and, as move does, why."""
    from blurscan.cli import main

    root, store, f = lib
    store.close()
    before = snapshot(root)
    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout == "Nothing to tag.\n"
    assert "note: no photo is marked discard" in out.stderr and "add --all-blurry" in out.stderr
    assert snapshot(root) == before


def test_cli_path_limits_what_move_trash_and_tag_take(lib, tmp_path, monkeypatch):
    """PATH (or the current folder) limits the selection to the photos under it, as `report` lists: from a
    sub-folder, or with a sub-folder as PATH, `move --all-flagged` took the whole library (a walkthrough found
    it), and a mistyped PATH planned the whole library with exit 0."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_4"], "discard")
    store.close()
    runner = CliRunner()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    whole = runner.invoke(main, ["move", "--to", str(dest), "--all-flagged", str(root)])  # (the old name)
    assert whole.exit_code == 0 and "4 photos" in whole.stdout and "note: only" not in whole.stderr
    sub = runner.invoke(main, ["move", "--to", str(dest), "--all-blurry", str(root / "a")])
    assert sub.exit_code == 0, sub.output
    assert "would move a/IMG_1.JPG" in sub.stdout and "would move a/IMG_2.jpg" in sub.stdout
    assert "IMG_4" not in sub.stdout and "IMG_5" not in sub.stdout and "2 photos" in sub.stdout
    assert f"note: only photos under {root / 'a'} are taken (the library is {root})" in sub.stderr
    monkeypatch.chdir(root / "b")                       # the current folder limits it the same way
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # (its trash: a build farm's HOME may not exist)
    here = runner.invoke(main, ["trash", "--all-blurry"])
    assert here.exit_code == 0 and "2 photos" in here.stdout and "IMG_1" not in here.stdout, here.output
    tagged = runner.invoke(main, ["tag", "--xmp", "--dry-run"])  # (IMG_5.xmp is IMG_5.heic's too: left alone)
    assert "would write b/c/IMG_4.jpg.xmp" in tagged.output and "would write b/IMG_5.jpg.xmp" in tagged.output
    assert "IMG_1" not in tagged.output and "IMG_2" not in tagged.output, tagged.output
    monkeypatch.chdir(root / "b" / "c")                # the discard is here; --all-flagged is not needed
    mine = runner.invoke(main, ["move", "--to", str(dest)])
    assert mine.exit_code == 0 and "1 photo " in mine.stdout and "IMG_4.jpg [discard]" in mine.stdout, mine.output
    monkeypatch.chdir(root / "a")                       # nothing marked here: the hint says where there is
    none = runner.invoke(main, ["move", "--to", str(dest)])
    assert none.exit_code == 0 and "0 photos" in none.stdout
    assert f"nothing selected under {root / 'a'}; 1 photo elsewhere in the library would be (give the library " \
        f"folder, {root}, to take it)" in none.stderr
    cache = tmp_path / "cache" / "blurscan"           # a read-only library's database, kept in the cache folder:
    cache.mkdir(parents=True)                         # the hint named the cache folder as the library folder
    import shutil                                     # (then "the folder you scanned"; now the library's, found
    shutil.copy(root / ".blurscan.db", cache / "lib-0.db")  # from its photos: blurscan.library_root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    none = runner.invoke(main, ["move", "--to", str(dest), "--db", str(cache / "lib-0.db"), str(root / "a")])
    assert f"1 photo elsewhere in the library would be (give the library folder, {root}, to take it)" in none.stderr
    import shutil                                      # a database kept elsewhere (--db, the cache folder's)
    (tmp_path / "dbs").mkdir()
    shutil.copy(root / ".blurscan.db", tmp_path / "dbs" / "copy.db")
    elsewhere = runner.invoke(main, ["move", "--to", str(dest), "--all-blurry", "--db", str(tmp_path / "dbs" / "copy.db"),
                                     str(root / "a")])
    assert elsewhere.exit_code == 0 and "2 photos" in elsewhere.stdout and "IMG_4" not in elsewhere.stdout
    typo = runner.invoke(main, ["move", "--to", str(dest), "--all-flagged", str(root / "b" / "cc")])
    assert typo.exit_code == 1 and f"{root / 'b' / 'cc'}: no such file or directory" in typo.output
    assert "would move" not in typo.output
    assert snapshot(root) == before and not dest.exists()


def test_a_move_that_moved_nothing_offers_no_undo_and_plain_undo_passes_over_it(lib, tmp_path, monkeypatch):
    """A destination where no folder can be made (a read-only drive; here a file in the way): the summary
    counted the failed photos nowhere ('moved 0 photos ...; undo with ...'), and a plain `undo` then undid
    that empty batch ('restored 0 files') instead of the person's last real move. The undo hint names the
    library when typed outside it (a plain `undo --batch N` there found another database, or none)."""
    from blurscan.cli import main
    from blurscan.store import Store

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)                     # outside the library
    good = runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), "--yes", str(root)])
    assert good.exit_code == 0, good.output
    assert f"as batch 1; undo with `blurscan undo --batch 1 {shell_path(root)}`." in good.output
    assert not os.path.exists(f["IMG_1"])
    blocked = tmp_path / "full"
    blocked.mkdir()
    import blurscan.actions as actions

    planned = actions.plan_move

    def plan_then_block(*args, **kwargs):  # after planning: the plan skips a photo a file is in the way of
        plan = planned(*args, **kwargs)
        (blocked / "a").write_text("a file where the move needs a folder")
        return plan

    monkeypatch.setattr(actions, "plan_move", plan_then_block)
    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_2"], "discard")
    failed = runner.invoke(main, ["move", "--to", str(blocked), "--yes", str(root)])
    monkeypatch.setattr(actions, "plan_move", planned)
    assert failed.exit_code == 1
    summary = failed.stdout.strip().splitlines()[-1]
    assert summary.startswith("moved 0 photos (0 files, 0 bytes)") and "as batch 2" in summary, summary
    assert "1 failed" in summary and summary.endswith("nothing to undo."), summary
    assert os.path.exists(f["IMG_2"])
    undone = runner.invoke(main, ["undo", str(root)])  # the last move that moved something: batch 1
    assert undone.exit_code == 0 and undone.output.startswith("batch 1: restored"), undone.output
    assert os.path.exists(f["IMG_1"])
    listed = runner.invoke(main, ["undo", "--list", str(root)])
    assert "batch 2 " in listed.output and "0 moved, 1 failed" in listed.output, listed.output


def test_a_destination_inside_the_library_is_not_taken_again(library, tmp_path):
    """Rejects moved to a folder inside the library come back with the next scan as new blurry photos, and the
    next `move --all-blurry` planned them into rejects/rejects/..., 'freeing' bytes that never left the library
    (a walkthrough). Photos already in the destination are skipped, and the dry run frees nothing."""
    from blurscan.cli import main

    root, truth = library
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(root), "--model", "none", "--workers", "1"]).exit_code == 0
    rejects = root / "rejects"
    first = runner.invoke(main, ["move", "--to", str(rejects), "--all-blurry", "--yes", str(root)])
    assert first.exit_code == 0 and "is inside the library" in first.output, first.output
    moved = sorted(p.relative_to(rejects) for p in rejects.rglob("*.jpg"))
    assert moved
    assert runner.invoke(main, ["scan", str(root), "--model", "none", "--workers", "1"]).exit_code == 0
    again = runner.invoke(main, ["move", "--to", str(rejects), "--all-blurry", str(root)])
    assert again.exit_code == 0, again.output
    assert "rejects/rejects" not in again.output and "freeing" not in again.output
    assert f"already in {rejects}" in again.output
    assert sorted(p.relative_to(rejects) for p in rejects.rglob("*.jpg")) == moved
    # the same folder named through a link outside the library (--to ~/rejects -> ~/Pictures/rejects): the
    # text paths differed, and the photos in it were planned into rejects/rejects/...
    link = tmp_path / "rejects-link"
    link.symlink_to(rejects)
    linked = runner.invoke(main, ["move", "--to", str(link), "--all-blurry", str(root)])
    assert linked.exit_code == 0, linked.output
    assert "rejects/rejects" not in linked.output and "freeing" not in linked.output, linked.output
    assert f"already in {rejects}" in linked.output


def test_undo_says_a_photo_put_back_by_hand_is_back_not_never_moved(lib, tmp_path):
    """A photo restored by hand (the desktop trash's Restore) before `blurscan undo`: undo said '1 had not been
    moved', which it had."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_3"], "discard")
    store.close()
    runner = CliRunner()
    dest = tmp_path / "rej"
    assert runner.invoke(main, ["move", "--to", str(dest), "--yes", str(root)]).exit_code == 0
    os.rename(dest / "a" / "IMG_3.jpg", f["IMG_3"])          # put back by hand
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert "1 already back in place (put back by hand)" in out.output and "had not been moved" not in out.output


def test_the_dry_run_warns_of_a_destination_that_cannot_be_written(lib, tmp_path, monkeypatch):
    """The dry run said 'would move ...' to a read-only drive; only --yes found out (a walkthrough). Root may
    write anywhere, so the read-only drive is played by os.access answering no for its folder, as access(2)
    does on a read-only file system (EROFS)."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    card = tmp_path / "card"
    card.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if os.fspath(p) == str(card)
                        else real_access(p, mode, **kw))
    out = CliRunner().invoke(main, ["move", "--to", str(card / "rejects"), str(root)])
    assert out.exit_code == 0 and "Dry run" in out.stdout
    assert f"warning: {card} cannot be written: `--yes` would move nothing there" in out.stderr
    done = CliRunner().invoke(main, ["move", "--to", str(card / "rejects"), "--yes", str(root)])
    assert done.exit_code == 1 and f"{card / 'rejects'}: cannot be written" in done.output  # not "no free space"
    assert "nothing was moved" in done.output and os.path.exists(f["IMG_1"])
    assert CliRunner().invoke(main, ["undo", "--list", str(root)]).output.strip() == "No batches."
    fine = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(root)])
    assert "warning" not in fine.stderr


def test_move_and_trash_take_dry_run_as_tag_does(lib, tmp_path, monkeypatch):
    """`tag --dry-run` previews, so a user types `move --dry-run` too: it was 'No such option' (exit 2). It is
    the default made explicit; the later of --yes and --dry-run wins, as with any on/off pair."""
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_2"], "discard")
    store.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runner = CliRunner()
    before = snapshot(root)
    dest = tmp_path / "rejects"
    for args in (["move", "--to", str(dest), "--dry-run"], ["move", "--to", str(dest), "--yes", "--dry-run"],
                 ["trash", "--dry-run"], ["trash", "--yes", "--dry-run"]):
        out = runner.invoke(main, [*args, str(root)])
        assert out.exit_code == 0, out.output
        assert "Dry run: 1 photo " in out.output and "Nothing was changed" in out.output
    assert snapshot(root) == before and not dest.exists() and not (tmp_path / "data").exists()
    out = runner.invoke(main, ["move", "--to", str(dest), "--dry-run", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo" in out.output, out.output
    for name in ("move", "trash"):
        assert "--yes / --dry-run" in runner.invoke(main, [name, "--help"]).output
