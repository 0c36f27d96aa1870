"""A burst's sharpest shot marked discard (the review page's d): ``blurscan bursts`` went on proposing it as the
keeper (``keep 1``), and ``move --from-bursts`` then left the burst's other shots ("its burst has no keeper in
place"), so the bursts table, its JSONL/CSV, the review page's bursts view and the move disagreed on what stays.
A shot marked discard is never proposed as keeper now: the sharpest shot not discarded is. Real scans of a
generated JPEG burst (model "none"), through the CLI."""
from __future__ import annotations

import csv
import io
import json
import os

from blurscan.bursts import choose_keeper, load_groups
from blurscan.review import decisions
from blurscan.store import Store
from test_bursts_replaced import _dry_run
from test_renamed_stale_burst import _groups, _run, three_shot_burst


def _discard(lib, name: str) -> None:
    with Store(lib / ".blurscan.db") as store:
        path = str(lib / name)
        record = store.record(path)
        decisions.set_decision(store, path, "discard", size=record.size, mtime_ns=record.mtime_ns)


def test_a_discarded_keeper_is_no_longer_proposed_and_every_door_agrees(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper
    _discard(lib, "IMG_0002.jpg")
    # the groups ranked before the discard: the move takes the shot `bursts` would leave behind the next keeper
    # (bursts.standing; until later on 2026-12-06 it left both, asking to run `blurscan bursts` again)
    before = _dry_run(lib, tmp_path)
    assert before == ({"IMG_0002.jpg", "IMG_0003.jpg"}, {})
    table = _run("bursts", str(lib))
    lines = table.splitlines()
    keep_line = next(line for line in lines if line.lstrip().startswith("keep"))
    assert "IMG_0002.jpg" not in keep_line, table
    discarded = next(i for i, line in enumerate(lines) if "  IMG_0002.jpg  " in line)
    assert "you marked it discard" in lines[discarded + 1] and " of 2 not marked discard" in table, table
    keeper = keep_line.split()[2]
    other = ({"IMG_0001.jpg", "IMG_0003.jpg"} - {keeper}).pop()
    (group,) = [json.loads(line) for line in _run("bursts", str(lib), "--format", "jsonl").splitlines()]
    assert os.path.basename(group["keeper"]) == keeper
    assert [os.path.basename(m["path"]) for m in group["members"]][-1] == "IMG_0002.jpg"
    rows = list(csv.DictReader(io.StringIO(_run("bursts", str(lib), "--format", "csv"))))
    assert {os.path.basename(r["path"]): r["is_keeper"] for r in rows} == \
        {keeper: "true", other: "false", "IMG_0002.jpg": "false"}
    assert _groups(lib) == [[(keeper, True), (other, False), ("IMG_0002.jpg", False)]]  # the review page
    assert _dry_run(lib, tmp_path) == ({"IMG_0002.jpg", other}, {}) == before  # the keeper stays


def test_a_keeper_chosen_then_discarded_gives_way_to_the_sharpest_shot_not_discarded(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with Store(lib / ".blurscan.db") as store:
        choose_keeper(store, load_groups(store)[0].group_id, str(lib / "IMG_0003.jpg"))
    assert _groups(lib)[0][0] == ("IMG_0003.jpg", True)
    _discard(lib, "IMG_0003.jpg")
    (group,) = [json.loads(line) for line in _run("bursts", str(lib), "--format", "jsonl").splitlines()]
    assert group["chosen_by"] == "auto"  # the person's choice is discarded: not said to be theirs
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg", "IMG_0003.jpg"}, {})


def test_a_burst_whose_every_shot_is_marked_discard_is_ranked_as_if_none_were(tmp_path):
    """Every shot marked discard (move takes them all): the table said the keeper was the "sharpest of 0 not
    marked discard" and each other shot "you marked it discard: IMG_0002.jpg is proposed instead", IMG_0002.jpg
    being marked discard too."""
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    for name in ("IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"):
        _discard(lib, name)
    table = _run("bursts", str(lib))
    assert "not marked discard" not in table and "proposed instead" not in table, table
    assert "sharpest of 3: " in table and table.count("IMG_0002.jpg is better") == 2, table
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"}, {})


def test_a_discard_of_an_earlier_version_does_not_set_the_shot_apart(tmp_path):
    """The keeper marked discard, then changed (its time set again): the discard was of another version, which
    `move` leaves for review, so the burst is ranked as before, the shot still its keeper."""
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    _discard(lib, "IMG_0002.jpg")
    stat = (lib / "IMG_0002.jpg").stat()
    os.utime(lib / "IMG_0002.jpg", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    _run("scan", str(lib), "--model", "none", "--workers", "1")
    table = _run("bursts", str(lib)).replace(str(lib), "LIB")  # (the next: line names the library, tmp_path's name)
    assert "discard" not in table, table
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]
