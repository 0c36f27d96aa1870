"""A photo marked keep on the review page while ``move --yes``, ``trash --yes`` or ``tag --xmp`` runs is left,
with the files that go with it (:mod:`blurscan.actions.fresh_decisions`): the decision is read again, from the
database, just before each photo is taken.

No timing races: the decision is changed through another connection to the database (as the review page, another
process, writes it) at a fixed point, after the plan was made (between planning and the batch, or after the
batch's first file was moved), and the batch then runs.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan.actions import execute, journal, plan_move, plan_trash, run, xmp
from blurscan.actions.fresh_decisions import CLEARED_SINCE, KEEPER_SINCE, KEPT_SINCE
from blurscan.actions.run import PHOTO_NOT_MOVED
from blurscan.review import decisions
from blurscan.store import Store, db_path
from helpers_library import build_library, decide, decide_as_shown, snapshot
from test_xmp import DARKTABLE, DARKTABLE_RAW, LIGHTROOM


def _plan(kind, store, root, **kw):
    return plan_move(store, root.parent / "rejects", **kw) if kind == "move" else plan_trash(store, **kw)


def _kept_files(f):
    return {f[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp")}


def _darktable_sidecars(f):
    """IMG_1's sidecars as darktable writes them (the fixture's are random bytes, which tag would refuse)."""
    with open(f["IMG_1.JPG.xmp"], "wb") as fh:
        fh.write(DARKTABLE)
    with open(f["IMG_1.CR2.xmp"], "wb") as fh:
        fh.write(DARKTABLE_RAW)


@pytest.mark.parametrize("kind", ["move", "trash"])
def test_a_photo_kept_after_planning_stays_with_its_companions_and_is_reported(lib, tmp_path, monkeypatch, kind):
    root, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    for key in ("IMG_1", "IMG_2", "IMG_4"):
        decide(store, f[key], "discard")
    plan = _plan(kind, store, root)
    assert [p.photo for p in plan.photos] == [f["IMG_1"], f["IMG_2"], f["IMG_4"]]
    before = snapshot(root)
    decide_as_shown(store.path, f["IMG_1"], "keep")  # the review page, another connection, after the plan
    result = execute(store, plan)
    after = snapshot(root)
    for path in _kept_files(f):  # the photo, its RAW twin and sidecars: in place, bytes and time unchanged
        assert after[path] == before[path], path
    assert not os.path.exists(f["IMG_2"]) and not os.path.exists(f["IMG_4"])
    assert result.photos_moved == 2
    skipped = dict(result.skipped)
    assert skipped[f["IMG_1"]] == KEPT_SINCE
    assert {p for p, why in result.skipped if why == PHOTO_NOT_MOVED} == _kept_files(f) - {f["IMG_1"]}
    rows = {r.src: (r.state, r.error) for r in journal.rows(store, result.batch_id)}
    assert rows[f["IMG_1"]] == ("skipped", KEPT_SINCE)
    assert journal.batch(store, result.batch_id).state == "partial"


def test_a_photo_kept_while_the_batch_runs_is_not_moved(lib, monkeypatch):
    """Marked keep after the batch's first photo was moved: the photos after it are read again one by one."""
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):
        decide(store, f[key], "discard")
    plan = plan_move(store, root.parent / "rejects")
    real, calls = run.move_file, []

    def move_file(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append(args[0])
        if len(calls) == 1:
            decide_as_shown(store.path, f["IMG_4"], "keep")
        return out

    monkeypatch.setattr(run, "move_file", move_file)
    before = snapshot(root)
    result = execute(store, plan)
    assert calls[0] == f["IMG_1"]
    assert snapshot(root)[f["IMG_4"]] == before[f["IMG_4"]]
    assert dict(result.skipped) == {f["IMG_4"]: KEPT_SINCE}
    assert result.photos_moved == 3


def test_blurry_and_burst_selections_read_the_decision_again(lib):
    """--all-blurry: a blurry photo kept since; --from-bursts: a shot kept since, and one made its burst's keeper
    since (a `blurscan bursts` run meanwhile)."""
    root, store, f = lib
    with store.transaction() as conn:
        for rank, key in enumerate(["IMG_3", "IMG_2", "IMG_1", "IMG_5h"], 1):
            conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                         (db_path(f[key]), rank, int(rank == 1)))
    plan = plan_move(store, root.parent / "rejects", all_flagged=True, from_bursts=True)
    reasons = {p.photo: p.reason for p in plan.photos}
    assert reasons[f["IMG_4"]] == "blurry" and reasons[f["IMG_5h"]] == "burst"
    assert reasons[f["IMG_2"]] == "blurry"
    before = snapshot(root)
    decide_as_shown(store.path, f["IMG_4"], "keep")
    decide_as_shown(store.path, f["IMG_2"], "keep")
    with Store(store.path) as other:  # IMG_5.heic made the keeper since
        with other.transaction() as conn:
            conn.execute("UPDATE burst_groups SET is_keeper = 1 WHERE path = ?", (db_path(f["IMG_5h"]),))
    result = execute(store, plan)
    after = snapshot(root)
    for key in ("IMG_4", "IMG_2", "IMG_2.AAE", "IMG_5h"):
        assert after[f[key]] == before[f[key]], key
    skipped = dict(result.skipped)
    assert skipped[f["IMG_4"]] == skipped[f["IMG_2"]] == KEPT_SINCE
    assert skipped[f["IMG_5h"]] == KEEPER_SINCE
    assert not os.path.exists(f["IMG_1"]) and not os.path.exists(f["IMG_5"])


def test_a_discard_cleared_since_leaves_the_photo(lib):
    """The reverse: a discard taken back (`u` on the review page) while the batch runs leaves the photo, also when
    --all-blurry would take it as blurry: the next run does."""
    root, store, f = lib
    for key in ("IMG_1", "IMG_4"):
        decide(store, f[key], "discard")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    assert {p.photo: p.reason for p in plan.photos}[f["IMG_4"]] == "discard"
    with Store(store.path) as other:
        decisions.decide(other, f["IMG_4"], None)
    result = execute(store, plan)
    assert os.path.exists(f["IMG_4"]) and dict(result.skipped)[f["IMG_4"]] == CLEARED_SINCE
    assert not os.path.exists(f["IMG_1"])
    again = execute(store, plan_move(store, root.parent / "rejects", all_flagged=True))
    assert (f["IMG_4"], str(root.parent / "rejects" / "b" / "c" / "IMG_4.jpg")) in again.moved


def test_the_files_shared_by_name_stay_with_an_image_of_that_name_kept_since(lib):
    """IMG_5.heic and IMG_5.jpg both discarded: IMG_5.xmp goes with the later one. IMG_5.heic kept since: it stays,
    and IMG_5.xmp with it, as a plan leaves it beside an image that stays; IMG_5.jpg is moved."""
    root, store, f = lib
    decide(store, f["IMG_5"], "discard")
    decide(store, f["IMG_5h"], "discard")
    plan = plan_move(store, root.parent / "rejects")
    assert [[op.src for op in p.files] for p in plan.photos] == [[f["IMG_5h"]], [f["IMG_5"], f["IMG_5.xmp"]]]
    before = snapshot(root)
    decide_as_shown(store.path, f["IMG_5h"], "keep")
    result = execute(store, plan)
    after = snapshot(root)
    assert after[f["IMG_5h"]] == before[f["IMG_5h"]] and after[f["IMG_5.xmp"]] == before[f["IMG_5.xmp"]]
    assert not os.path.exists(f["IMG_5"])
    assert dict(result.skipped) == {
        f["IMG_5h"]: KEPT_SINCE,
        f["IMG_5.xmp"]: f"shared by name with IMG_5.heic, left in place ({KEPT_SINCE})"}


def _tag_after(monkeypatch, db, changes):
    """Make the decisions ``changes`` (path -> decision) through another connection once tag has planned."""
    from blurscan.actions import plan as plan_module

    real = plan_module.plan_tag

    def plan_tag(*args, **kwargs):
        out = real(*args, **kwargs)
        for path, decision in changes.items():
            decide_as_shown(db, path, decision)
        return out

    monkeypatch.setattr(plan_module, "plan_tag", plan_tag)


def test_tag_leaves_a_photo_kept_since_it_planned_it(lib, monkeypatch):
    root, store, f = lib
    for key in ("IMG_1", "IMG_4"):
        decide(store, f[key], "discard")
    _darktable_sidecars(f)
    before = snapshot(root)
    _tag_after(monkeypatch, store.path, {f["IMG_1"]: "keep"})
    result = xmp.tag_photos(store, all_flagged=False)
    after = snapshot(root)
    assert after == {**before, f["IMG_4"] + ".xmp": after[f["IMG_4"] + ".xmp"]}  # IMG_1's sidecars untouched
    assert result.photos == [f["IMG_4"]]
    assert result.skipped == [(f["IMG_1"], KEPT_SINCE)]


def test_tag_leaves_the_shared_sidecar_of_an_image_of_that_name_kept_since(lib, monkeypatch):
    """IMG_5.heic and IMG_5.jpg share IMG_5.xmp: the first tagged (IMG_5.heic) merged it. IMG_5.jpg kept since:
    IMG_5.xmp is its sidecar too, and left; IMG_5.heic is tagged in its own IMG_5.heic.xmp."""
    root, store, f = lib
    decide(store, f["IMG_5"], "discard")
    decide(store, f["IMG_5h"], "discard")
    with open(f["IMG_5.xmp"], "wb") as fh:
        fh.write(LIGHTROOM)
    before = snapshot(root)
    _tag_after(monkeypatch, store.path, {f["IMG_5"]: "keep"})
    result = xmp.tag_photos(store, all_flagged=False)
    after = snapshot(root)
    assert after[f["IMG_5.xmp"]] == before[f["IMG_5.xmp"]]
    assert [(t.photo, t.sidecar) for t in result.written] == [(f["IMG_5h"], f["IMG_5h"] + ".xmp")]
    assert 'Rating="-1"' in Path(f["IMG_5h"] + ".xmp").read_text()
    assert not os.path.exists(f["IMG_5"] + ".xmp")
    assert result.skipped == [(f["IMG_5"], KEPT_SINCE)]


#: The real command line, with the review page's keep recorded (another connection) right after the plan is made.
_CHILD = """
import sys
from blurscan import actions
from blurscan.actions import plan
from blurscan.review import decisions
from blurscan.store import Store
db, kept = sys.argv[1], sys.argv[2]
def after(real):
    def planned(*args, **kwargs):
        out = real(*args, **kwargs)
        with Store(db) as other:
            decisions.decide(other, kept, "keep")
        return out
    return planned
actions.plan_move = after(actions.plan_move)
plan.plan_tag = after(plan.plan_tag)
from blurscan.cli import main
main(sys.argv[3:])
"""


@pytest.mark.parametrize("kind", ["move", "tag"])
def test_cli_leaves_and_lists_a_photo_kept_since_it_planned(tmp_path, kind):
    root = tmp_path / "lib"
    store, f = build_library(root)
    for key in ("IMG_1", "IMG_4"):
        decide(store, f[key], "discard")
    store.close()
    _darktable_sidecars(f)
    before = snapshot(root)
    action = ["move", "--to", str(tmp_path / "rejects"), "--yes"] if kind == "move" else \
        ["tag", "--xmp", "--discarded-only"]
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(root / ".blurscan.db"), f["IMG_1"], *action, str(root)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(root)
    for path in _kept_files(f):
        assert after[path] == before[path], path
    if kind == "move":
        assert f"skipped: {f['IMG_1']}: {KEPT_SINCE}" in proc.stderr.splitlines()
        assert "moved 1 photo (1 file, " in proc.stdout and "; 1 skipped (listed above); " in proc.stdout
    else:
        assert f"skip a/IMG_1.JPG: {KEPT_SINCE}" in proc.stdout.splitlines()
        assert "1 skipped (listed above)" in proc.stdout
        assert 'Rating="-1"' in Path(f["IMG_4"] + ".xmp").read_text()
