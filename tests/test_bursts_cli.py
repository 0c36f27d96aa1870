"""Burst groups in the database and on the command line: ``bursts.run`` storing the groups, a person's choice
of keeper (kept while the membership is unchanged), ``blurscan bursts`` (the JSONL contract, options, the
table, a path), scan then bursts end to end, the review page's bursts, and a file under several names.

Grouping and ranking themselves are in ``test_bursts.py``; the shots of one scene both use are in
``helpers_images.py``."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan import bursts
from blurscan.cli import main
from blurscan.errors import shell_path
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import run
from helpers_images import T0, blurred, exposed, record, save_jpeg, scene, shaken, shifted


# -- store, person's choice, CLI -----------------------------------------------------------------------------
def _library(tmp_path: Path) -> tuple[Path, list[ScanRecord]]:
    a, b = scene(51), scene(52)
    shots = [record(shaken(a), "a_blur", 0), record(a, "a_sharp", 0.5), record(exposed(shaken(a, 9), 1.2), "a_b2", 1),
             record(b, "b_sharp", 2), record(blurred(shifted(b, 3, 3), 2.0), "b_blur", 2.3),
             record(scene(53), "lone", 3)]
    for rec in shots:
        rec.path = str(tmp_path / "photos" / os.path.basename(rec.path))
        Path(rec.path).parent.mkdir(exist_ok=True)
        Path(rec.path).write_bytes(b"")  # run() leaves out files that no longer exist
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(shots, "test")
    return db, shots


def test_run_stores_groups_and_a_persons_choice_survives_while_membership_is_unchanged(tmp_path):
    db, shots = _library(tmp_path)
    with Store(db) as store:
        groups = bursts.run(store)
        assert [sorted(os.path.basename(m.path) for m in g.members) for g in groups] == [
            ["a_b2.jpg", "a_blur.jpg", "a_sharp.jpg"], ["b_blur.jpg", "b_sharp.jpg"]]
        first = groups[0]
        assert first.keeper.path.endswith("a_sharp.jpg") and first.chosen_by == "auto"
        rows = store.conn.execute("SELECT path, is_keeper, chosen_by, figures FROM burst_groups").fetchall()
        assert len(rows) == 5 and sum(r["is_keeper"] for r in rows) == 2
        assert all(json.loads(r["figures"])["sharpness_measure"] for r in rows)

        # a person prefers the shaken, brighter shot
        chosen = next(m.path for m in first.members if m.path.endswith("a_b2.jpg"))
        bursts.choose_keeper(store, first.group_id, chosen)
        again = bursts.run(store)
        assert again[0].keeper.path == chosen and again[0].chosen_by == "person"
        assert again[0].keeper.reason == "chosen by a person"
        assert again[1].chosen_by == "auto"
        assert [m.path for m in bursts.load_groups(store)[0].members][0] == chosen
        non_keepers = {r["path"] for r in store.conn.execute("SELECT path FROM burst_groups WHERE is_keeper = 0")}
        assert chosen not in non_keepers and any(p.endswith("a_sharp.jpg") for p in non_keepers)

        # a new shot joins the group: the membership changed, the automatic choice is back
        extra = record(exposed(scene(51), 0.9), "a_extra", 0.7)
        extra.path = str(tmp_path / "photos" / "a_extra.jpg")
        Path(extra.path).write_bytes(b"")
        store.put([extra], "test")
        third = bursts.run(store)
        assert len(third[0].members) == 4 and third[0].chosen_by == "auto"
        assert not third[0].keeper.path.endswith("a_b2.jpg")

        # a shot moved away since the scan leaves the group
        os.remove(extra.path)
        assert len(bursts.run(store)[0].members) == 3


def test_run_groups_every_photo_from_its_columns_in_a_compact_shot_and_reads_the_grouped_records_only(
        tmp_path, monkeypatch):
    # Every hashed photo is grouped from eleven columns held in a slotted Shot, not a ScanRecord: with 34 fields a
    # ScanRecord held a dict of its own (1.6 KB), and at 100,000 photos bursts peaked at 442 MiB (2026-12-07; a
    # ScanRecord is slotted since, some 300 bytes, still three times a Shot).
    # The full record is read for the grouped shots only; one whose row went meanwhile is ranked on its columns.
    db, shots = _library(tmp_path)
    stored = {rec.path: rec for rec in shots}
    given, looked_up = [], []
    grouping, lookup = bursts.find_groups, Store.record
    monkeypatch.setattr(bursts, "find_groups", lambda records, **kw: given.append(list(records)) or
                        grouping(records, **kw))
    gone = str(tmp_path / "photos" / "b_blur.jpg")
    monkeypatch.setattr(Store, "record", lambda self, path: looked_up.append(path) or (
        None if path == gone else lookup(self, path)))
    with Store(db) as store:
        groups = bursts.run(store)
    assert sorted(shot.path for shot in given[0]) == sorted(stored)
    for shot in given[0]:
        assert not hasattr(shot, "__dict__") and not isinstance(shot, ScanRecord)
        rec = stored[shot.path]
        assert (shot.captured_at, shot.phash, shot.width, shot.height, shot.size, shot.mtime_ns) == (
            rec.captured_at, rec.phash, rec.width, rec.height, rec.size, rec.mtime_ns)
    assert sorted(looked_up) == sorted(p for p in stored if not p.endswith("lone.jpg"))
    assert [sorted(os.path.basename(m.path) for m in g.members) for g in groups] == [
        ["a_b2.jpg", "a_blur.jpg", "a_sharp.jpg"], ["b_blur.jpg", "b_sharp.jpg"]]
    shot = next(s for s in given[0] if s.path == gone).record()
    assert isinstance(shot, ScanRecord) and (shot.path, shot.phash, shot.captured_at) == (
        gone, stored[gone].phash, stored[gone].captured_at)


def test_choose_keeper_refuses_a_path_outside_the_group(tmp_path):
    from blurscan.errors import UsageError

    db, _ = _library(tmp_path)
    with Store(db) as store:
        groups = bursts.run(store)
        with pytest.raises(UsageError, match="not a member of burst group"):
            bursts.choose_keeper(store, groups[0].group_id, groups[1].members[0].path)


def test_cli_jsonl_contract(tmp_path):
    db, _ = _library(tmp_path)
    result = CliRunner().invoke(main, ["bursts", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for obj in lines:
        assert {"group", "keeper", "members", "size", "chosen_by"} <= set(obj)
        assert obj["size"] == len(obj["members"])
        assert [m["rank"] for m in obj["members"]] == list(range(1, obj["size"] + 1))
        assert obj["keeper"] == obj["members"][0]["path"] and obj["members"][0]["is_keeper"] is True
        for m in obj["members"]:
            assert {"path", "rank", "is_keeper", "reason", "sharpness", "sharpness_measure", "p_blurry",
                    "width", "height", "captured_at"} <= set(m)
    assert lines[0]["keeper"].endswith("a_sharp.jpg")


def test_cli_options_and_table(tmp_path):
    db, _ = _library(tmp_path)
    runner = CliRunner()
    strict = runner.invoke(main, ["bursts", "--db", str(db), "--format", "jsonl", "--max-distance", "0"])
    wide = runner.invoke(main, ["bursts", "--db", str(db), "--format", "jsonl", "--window", "0.4"])
    assert strict.exit_code == 0 and wide.exit_code == 0
    assert len(strict.stdout.splitlines()) < 2 and len(wide.stdout.splitlines()) < 2
    table = runner.invoke(main, ["bursts", "--db", str(db)])
    assert table.exit_code == 0
    assert "keep" in table.stdout and "a_sharp.jpg" in table.stdout and "is better" in table.stdout
    missing = runner.invoke(main, ["bursts", "--db", str(tmp_path / "nothing.db")])
    assert missing.exit_code == 1 and missing.output.startswith("Error: ") and "nothing.db" in missing.output
    bad = runner.invoke(main, ["bursts", "--db", str(db), "--window", "-3"])
    assert bad.exit_code == 2
    # the defaults --help shows are the library's (the command line spells them out, see cli/bursts.py)
    shown = {p.name: p.default for p in main.commands["bursts"].params}
    assert (shown["window"], shown["max_distance"]) == (bursts.DEFAULT_WINDOW_S, bursts.DEFAULT_MAX_DISTANCE)
    assert "[default: 120; x>=0]" in " ".join(runner.invoke(main, ["bursts", "--help"]).output.split())


def test_cli_candidate_count_is_what_from_bursts_would_take(tmp_path):
    """The count under the table matches `move --from-bursts`: a shot marked keep is not a candidate."""
    from blurscan.review import decisions

    db, _ = _library(tmp_path)
    runner = CliRunner()

    def counted() -> int:
        out = runner.invoke(main, ["bursts", "--db", str(db)])
        assert out.exit_code == 0, out.output
        return int(re.search(r"(\d+) candidates? for `blurscan move/trash --from-bursts`", out.stderr).group(1))

    def taken() -> int:
        out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", str(db)])
        assert out.exit_code == 0, out.output
        return out.stdout.count("would move ")

    # before `blurscan bursts` has run there are no groups: the note says so (it said "no photo is marked
    # discard; add --all-blurry ...", which is not why --from-bursts took nothing)
    first = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", str(db)])
    # (the command as it can be typed here: with the --db given, which a bare `blurscan bursts` did not find)
    assert f"note: no burst groups yet: run `blurscan bursts --db {shell_path(db)}` first" in first.stderr, \
        first.stderr
    groups = [json.loads(line) for line in runner.invoke(main, ["bursts", "--db", str(db), "--format",
                                                                "jsonl"]).stdout.splitlines()]
    before = counted()
    assert before == taken() > 0
    spared = next(m["path"] for g in groups for m in g["members"] if not m["is_keeper"])
    with Store(db) as store:
        decisions.set_decision(store, spared, "keep")
    assert counted() == taken() == before - 1


def test_cli_table_says_why_a_shot_is_not_a_candidate(tmp_path):
    """A non-keeper the summary does not count is explained in the table: the count said one candidate fewer
    than the table's non-keepers, with nothing to say which shot was spared or why."""
    from blurscan.review import decisions

    db, _ = _library(tmp_path)
    runner = CliRunner()
    groups = [json.loads(line) for line in runner.invoke(main, ["bursts", "--db", str(db), "--format",
                                                                "jsonl"]).stdout.splitlines()]
    assert "not a candidate" not in runner.invoke(main, ["bursts", "--db", str(db)]).stdout
    spared = next(m["path"] for g in groups for m in g["members"] if not m["is_keeper"])
    with Store(db) as store:
        decisions.set_decision(store, spared, "keep")
    table = runner.invoke(main, ["bursts", "--db", str(db)]).stdout.splitlines()
    notes = [i for i, line in enumerate(table) if "not a candidate" in line]
    assert len(notes) == 1 and table[notes[0]].strip() == "not a candidate: you marked it keep", table
    # under the spared shot's line and its reason
    assert os.path.basename(spared) in table[notes[0] - 2], table
    # a group whose keeper is marked discard: another shot is proposed (until 2026-12-06 the discarded one stayed
    # the keeper, and its other shots were left, "no keeper in place"), none is left unexplained
    keeper = next(g["keeper"] for g in groups if spared not in [m["path"] for m in g["members"]])
    with Store(db) as store:
        decisions.set_decision(store, keeper, "discard")
    table = runner.invoke(main, ["bursts", "--db", str(db)]).stdout
    assert "no keeper in place" not in table and "you marked it discard" in table, table


def _jpeg_with_time(path: Path, rgb: np.ndarray, when: dt.datetime, *, subsec: str | None = None,
                    offset: str | None = None) -> Path:
    """A JPEG taken ``when`` (EXIF DateTimeOriginal), with SubSecTimeOriginal ``subsec`` and OffsetTimeOriginal
    ``offset`` (``"+02:00"``) when given."""
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    if subsec is not None:
        sub[0x9291] = subsec  # SubSecTimeOriginal
    if offset is not None:
        sub[0x9011] = offset  # OffsetTimeOriginal
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="JPEG", quality=92, exif=exif)
    return path


def scan_then_bursts(lib) -> list[dict]:
    """``blurscan scan LIB`` (model none), then the groups of ``blurscan bursts LIB --format jsonl``."""
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert scanned.exit_code == 0, scanned.output
    result = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_end_to_end_scan_then_bursts(tmp_path):
    lib = tmp_path / "lib"
    a, b = scene(61), scene(62)
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0003.jpg", b, T0 + dt.timedelta(seconds=2))  # another scene, a second later
    # no EXIF: the file's time is used
    no_exif = save_jpeg(lib / "scan_0004.jpg", blurred(shifted(b, -5, 2), 2.0))
    local = (T0 + dt.timedelta(seconds=3)).timestamp()
    os.utime(no_exif, (local, local))
    groups = scan_then_bursts(lib)
    assert [(os.path.basename(g["keeper"]), sorted(os.path.basename(m["path"]) for m in g["members"]))
            for g in groups] == [("IMG_0002.jpg", ["IMG_0001.jpg", "IMG_0002.jpg"]),
                                 ("IMG_0003.jpg", ["IMG_0003.jpg", "scan_0004.jpg"])]


# -- the review page's bursts, a path ------------------------------------------------------------------------
def test_a_keeper_chosen_in_the_review_page_survives_a_rerun(tmp_path):
    from blurscan.review.library import pick_burst_keeper

    db, _ = _library(tmp_path)
    with Store(db) as store:
        first = bursts.run(store)[1]
        other = first.candidates[0].path
        assert pick_burst_keeper(store, first.group_id, other) is not None
        again = next(g for g in bursts.run(store) if {m.path for m in g.members} == {m.path for m in first.members})
        assert again.keeper.path == other and again.chosen_by == "person"


def test_a_keeper_chosen_in_the_review_page_while_bursts_runs_is_not_reverted(tmp_path, monkeypatch):
    # The review page answers a keeper choice (another process, another connection) after `blurscan bursts`
    # read the stored choices and ranked, before it rewrote the table: the choice stays (it was lost).
    from blurscan.review.library import pick_burst_keeper

    db, _ = _library(tmp_path)
    with Store(db) as store:
        first = bursts.run(store)[0]
    other = first.candidates[0].path
    write = bursts.replace_groups
    chosen = []

    def meanwhile(*args, **kwargs):
        with Store(db) as page:  # the review page's own connection, its own transaction
            chosen.append(pick_burst_keeper(page, first.group_id, other))
        return write(*args, **kwargs)

    monkeypatch.setattr(bursts, "replace_groups", meanwhile)
    with Store(db) as store:
        returned = bursts.run(store)[0]
        assert chosen and chosen[0] is not None
        stored = bursts.load_groups(store)[0]
    for group in (returned, stored):
        assert {m.path for m in group.members} == {m.path for m in first.members}
        assert group.keeper.path == other and group.chosen_by == "person"
        assert group.keeper.reason == "chosen by a person"


def test_cli_path_limits_the_listing_to_groups_under_it(tmp_path):
    db, _ = _library(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    runner = CliRunner()
    inside = runner.invoke(main, ["bursts", str(tmp_path / "photos"), "--db", str(db), "--format", "jsonl"])
    outside = runner.invoke(main, ["bursts", str(tmp_path / "elsewhere"), "--db", str(db), "--format", "jsonl"])
    assert inside.exit_code == 0 and outside.exit_code == 0
    assert len(inside.stdout.splitlines()) == 2 and outside.stdout == ""
    with Store(db) as store:  # grouping still covered the whole database
        assert len(bursts.load_groups(store)) == 2


def test_cli_a_photo_as_path_lists_its_group_by_name(tmp_path):
    # `blurscan bursts IMG.jpg` (which burst is this photo in?) showed the photo as "." and the other shots of
    # its group by their absolute paths: names were made relative to PATH even when PATH is a file
    db, _ = _library(tmp_path)
    photos = tmp_path / "photos"
    result = CliRunner().invoke(main, ["bursts", str(photos / "a_sharp.jpg"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    shown = [m.group(1) for m in re.finditer(r"^\s+(?:keep)?\s+\d+\s+(\S+)\s", result.stdout, re.M)]
    assert sorted(shown) == ["a_b2.jpg", "a_blur.jpg", "a_sharp.jpg"], result.stdout
    assert str(photos) not in result.stdout
    # a folder as PATH still shows the names under it
    folder = CliRunner().invoke(main, ["bursts", str(photos), "--db", str(db)])
    assert "  a_sharp.jpg  " in folder.stdout and str(photos) not in folder.stdout


def test_review_bursts_view_leaves_out_shots_moved_away_until_undone(tmp_path):
    from blurscan.actions import execute, plan_move, undo
    from blurscan.review.library import bursts as review_bursts

    db, _ = _library(tmp_path)
    with Store(db) as store:
        bursts.run(store)
        before = review_bursts(store)
        shots = {p["path"] for g in before for p in g["photos"]}
        result = execute(store, plan_move(store, str(tmp_path / "rejects"), from_bursts=True))
        assert result.photos_moved > 0
        after = review_bursts(store)
        left = {p["path"] for g in after for p in g["photos"]}
        assert left < shots and all(len(g["photos"]) > 1 for g in after)
        assert all(os.path.exists(p) for p in left)
        undo(store)
        assert review_bursts(store) == before


# -- one file under several names ----------------------------------------------------------------------------
def test_a_file_is_never_a_burst_of_its_own_link_nor_is_a_link_kept(tmp_path):
    """``0_favourites/best.jpg -> ../2024/party/IMG_0001.jpg``: the scan gave the link a record of its own,
    and bursts grouped it with its own file and kept the link (its name sorts first), so `move/trash
    --from-bursts` took the file away and left the favourite dangling. Now the scan reports the file once,
    and bursts leaves out other names of a file (stored by a scan of the link's folder alone, or by an older
    scan): a link, a hard link."""
    lib = tmp_path / "lib"
    a = scene(71)
    original = _jpeg_with_time(lib / "2024" / "party" / "IMG_0001.jpg", a, T0)
    (lib / "0_favourites").mkdir()
    link = lib / "0_favourites" / "best.jpg"
    link.symlink_to(Path("..") / "2024" / "party" / "IMG_0001.jpg")
    (lib / "backup").mkdir()
    os.link(original, lib / "backup" / "IMG_0001.jpg")
    runner = CliRunner()

    def scan(path):
        out = runner.invoke(main, ["scan", str(path), "--model", "none", "--workers", "1", "--format", "jsonl"])
        assert out.exit_code == 0, out.output
        return [json.loads(line)["path"] for line in out.stdout.splitlines()]

    def groups():
        out = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
        assert out.exit_code == 0, out.output
        return [json.loads(line) for line in out.stdout.splitlines()]

    assert scan(lib) == [str(original)]                    # one record per file
    assert groups() == []
    # each other name scanned on its own is that photo's only name there, and is stored
    assert scan(lib / "0_favourites") == [str(link)]
    assert scan(lib / "backup") == [str(lib / "backup" / "IMG_0001.jpg")]
    assert groups() == []                                  # but a file is not a burst of itself
    # a real re-take: a group of two shots, the file itself kept, never its link
    retake = _jpeg_with_time(lib / "2024" / "party" / "IMG_0002.jpg", shaken(a), T0 + dt.timedelta(seconds=1))
    scan(lib / "2024")
    (group,) = groups()
    assert group["keeper"] == str(original)
    assert sorted(m["path"] for m in group["members"]) == [str(original), str(retake)]
    moved = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", str(lib)])
    assert moved.exit_code == 0, moved.output
    assert moved.stdout.count("would move ") == 1 and "IMG_0002.jpg" in moved.stdout


def test_the_line_after_the_closing_line_is_a_command_that_takes_the_candidates_typed_anywhere(tmp_path,
                                                                                               monkeypatch):
    """The closing line's `blurscan move/trash --from-bursts` is no command (scripts parse that line: it stays);
    the line after it names the trash dry run of PATH's candidates, PATH and ``--db`` absolute and quoted, and
    pasted in another folder it shows them. Until 2026-12-07 there was no such line."""
    import shlex
    import subprocess
    import sys

    lib, here, there = tmp_path / "my lib 'q'", tmp_path / "here", tmp_path / "there"
    a = scene(51)
    for name, img in (("a_sharp", a), ("a_shaken", shaken(a)), ("a_shaken2", exposed(shaken(a, 9), 1.2)),
                      ("lone", scene(53))):
        save_jpeg(lib / f"{name}.jpg", img)
    here.mkdir()
    there.mkdir()
    monkeypatch.chdir(here)
    for db in ([], ["--db", "my db's.db"]):
        assert run("scan", "../my lib 'q'", *db, "--model", "none").exit_code == 0
        out = run("bursts", "../my lib 'q'", *db)
        closing, taking = out.stderr.splitlines()[-2:]
        n = int(re.fullmatch(r"1 burst group, (\d+) candidates for `blurscan move/trash --from-bursts`", closing)[1])
        command = shlex.split(re.fullmatch(r"next: `([^`]*)` shows the 2 candidates it would trash \(.*\)", taking)[1])
        assert n == 2 and command == ["blurscan", "trash", "--from-bursts", *db[:1],
                                      *[str(here / d) for d in db[1:]], str(lib)], taking
        done = subprocess.run([sys.executable, "-m", "blurscan", *command[1:]], cwd=there, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0 and done.stdout.count("would trash ") == n, done.stdout + done.stderr
        assert sorted(os.listdir(lib)) == sorted(["a_sharp.jpg", "a_shaken.jpg", "a_shaken2.jpg", "lone.jpg",
                                                  ".blurscan.db"])  # (a dry run: nothing taken)


def test_the_next_line_of_a_photo_given_as_path_names_its_folder_which_trash_takes(tmp_path, monkeypatch):
    """``bursts PHOTO`` lists the photo's group; trash takes a folder, not a photo, so the line after the closing
    line names the photo's folder (with the candidates there counted, another burst's too), and pasted in another
    folder it shows them. For a while on 2026-12-07 it named the photo, and the command was refused (exit 2,
    ``Directory '...' is a file``)."""
    import shlex
    import subprocess
    import sys

    lib, there = tmp_path / "my lib", tmp_path / "there"
    a, b = scene(51), scene(57)
    for name, img in (("a_sharp", a), ("a_shaken", shaken(a)), ("b_sharp", b), ("b_shaken", shaken(b)),
                      ("lone", scene(53))):
        save_jpeg(lib / f"{name}.jpg", img)
    there.mkdir()
    assert run("scan", lib, "--model", "none").exit_code == 0
    out = run("bursts", lib / "a_shaken.jpg")
    closing, taking = out.stderr.splitlines()[-2:]
    assert closing == "1 burst group, 1 candidate for `blurscan move/trash --from-bursts`", closing  # (its own)
    found = re.fullmatch(r"next: `([^`]*)` shows the (\d+) candidates in the photo's folder it would trash \(.*\)",
                         taking)
    assert found and shlex.split(found[1]) == ["blurscan", "trash", "--from-bursts", str(lib)], taking
    done = subprocess.run([sys.executable, "-m", "blurscan", *shlex.split(found[1])[1:]], cwd=there,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.count("would trash ") == int(found[2]) == 2, \
        done.stdout + done.stderr
    assert run("bursts", lib / "a_sharp.jpg").stderr.splitlines()[-1].startswith("1 burst group, 0 candidates")
