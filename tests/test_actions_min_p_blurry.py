"""``--min-p-blurry P`` on ``move``, ``trash`` and ``tag``: your own p_blurry cut-off acted on with the journal and
``undo`` (an ML dataset, ``train/<class>/*.png``: until 2026-12-05 the README's route was `jq` then pressing `d` on
every photo in the review page, and people fell back to `xargs mv`, losing the class folders and undo)."""
from __future__ import annotations

from pathlib import Path

import pytest

from blurscan.actions import plan_move
from blurscan.errors import UsageError
from blurscan.store import Store
from helpers_cli import jsonl, run
from helpers_images import blurred, save_png, textured
from helpers_library import decide, snapshot

SIGMAS = (0, 0.7, 1.0, 1.4, 2.0, 3.0)  # sharp to strongly blurred: p_blurry from about 0.4 to about 1


@pytest.fixture
def dataset(tmp_path):
    """``(ds, db, p)``: ``ds/train/{cat,dog}/*.png``, sharp and Gaussian-blurred copies, plus one unreadable PNG,
    scanned with the shipped model into ``db`` outside the dataset; ``p``: path -> p_blurry as the JSONL writes it."""
    top = tmp_path
    ds = top / "ds"
    i = 0
    for cls in ("cat", "dog"):
        for sigma in SIGMAS:
            img = textured(i, (160, 160))
            i += 1
            save_png(ds / "train" / cls / f"{i:02d}_s{sigma}.png", blurred(img, sigma) if sigma else img)
    (ds / "train" / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    db = top / "ds.blurscan.db"
    out = run("scan", ds, "--db", db, "--workers", 1, "--format", "jsonl")
    assert out.exit_code == 0, out.output
    p = {o["path"]: o["p_blurry"] for o in jsonl(out.stdout)}
    assert sum(v is None for v in p.values()) == 1  # the broken PNG: an error record, no p_blurry
    return ds, db, p


def test_move_takes_exactly_the_photos_at_or_above_the_cut_spares_keeps_and_undo_restores(dataset, tmp_path):
    ds, db, p = dataset
    scored = sorted(v for v in p.values() if v is not None)
    cut = scored[len(scored) // 2]  # a stored value: "at least" takes the photo scored exactly that
    above = {path for path, v in p.items() if v is not None and v >= cut}
    assert 3 <= len(above) < len(scored)
    kept = min(above, key=lambda path: p[path])  # marked keep: never taken
    with Store(db) as store:
        decide(store, kept, "keep")
    before = snapshot(ds)
    rejects = tmp_path / "rejects"

    dry = run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", cut)
    assert dry.exit_code == 0, dry.output
    listed = [line for line in dry.stdout.splitlines() if line.startswith("would move ")]
    assert len(listed) == len(above) - 1
    for path in above - {kept}:
        rel = Path(path).relative_to(ds)
        assert f"would move {rel} [p_blurry {p[path]:g} >= {cut:g}] -> {rejects / rel}" in listed
    assert str(Path(kept).relative_to(ds)) not in dry.stdout
    assert snapshot(ds) == before and not rejects.exists()

    done = run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", cut, "--yes")
    assert done.exit_code == 0, done.output
    assert f"moved {len(above) - 1} photos" in done.stdout and "undo with `blurscan undo --batch 1" in done.stdout
    moved = {str(path.relative_to(rejects)) for path in rejects.rglob("*.png")}
    assert moved == {str(Path(path).relative_to(ds)) for path in above - {kept}}  # class folders kept
    assert {m.split("/")[1] for m in moved} == {"cat", "dog"}
    assert Path(kept).exists() and all(Path(path).exists() for path in set(p) - above)

    undone = run("undo", "--db", db)
    assert undone.exit_code == 0, undone.output
    assert snapshot(ds) == before


def test_errors_and_model_none_records_are_never_taken_and_said(dataset, tmp_path):
    """P = 0 takes every photo with a p_blurry, never the unreadable one; a --model none scan has none: a note."""
    ds, db, p = dataset
    dry = run("move", ds, "--db", db, "--to", tmp_path / "rej", "--min-p-blurry", 0)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("would move ") == len(p) - 1 and "broken.png" not in dry.stdout
    assert "no p_blurry" not in dry.stderr
    none_db = tmp_path / "none.db"
    assert run("scan", ds, "--db", none_db, "--model", "none", "--workers", 1).exit_code == 0
    for command in (["move", "--to", tmp_path / "rej"], ["trash"]):
        out = run(*command, ds, "--db", none_db, "--min-p-blurry", 0)
        assert out.exit_code == 0, out.output
        assert "Dry run: 0 photos" in out.stdout
        assert (f"note: {len(p) - 1} photos have no p_blurry (scanned with --model none): --min-p-blurry does not "
                "take them") in out.stderr


def test_trash_and_tag_take_the_same_photos(dataset, tmp_path):
    ds, db, p = dataset
    cut = 0.9
    above = sorted(str(Path(path).relative_to(ds)) for path, v in p.items() if v is not None and v >= cut)
    assert above
    trash = run("trash", ds, "--db", db, "--min-p-blurry", cut)
    assert trash.exit_code == 0, trash.output
    assert [line.split(" [")[0] for line in trash.stdout.splitlines() if line.startswith("would trash ")] == \
        [f"would trash {rel}" for rel in above]
    tag = run("tag", "--xmp", "--discarded-only", "--min-p-blurry", cut, "--dry-run", ds, "--db", db)
    assert tag.exit_code == 0, tag.output
    assert [line.split("  (")[0] for line in tag.stdout.splitlines() if line.startswith("would write ")] == \
        [f"would write {rel}.xmp" for rel in above]
    assert "label Red" in tag.stdout and "rejected" not in tag.stdout  # a label, as a blurry photo gets


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "inf", "x"])
def test_a_cut_outside_0_1_is_a_usage_error(dataset, tmp_path, bad):
    ds, db, _p = dataset
    before = snapshot(ds)
    for command in (["move", "--to", tmp_path / "rej", "--yes"], ["trash", "--yes"], ["tag", "--xmp"]):
        out = run(*command, ds, "--db", db, "--min-p-blurry", bad)
        assert out.exit_code == 2, out.output
        assert "Invalid value for '--min-p-blurry'" in out.output and "Traceback" not in out.output
    assert snapshot(ds) == before
    with Store(db) as store, pytest.raises(UsageError, match="between 0 and 1"):
        plan_move(store, tmp_path / "rej", min_p_blurry=float(bad) if bad != "x" else bad)


def test_an_empty_selection_says_no_photo_reaches_the_cut_and_the_highest_there_is(dataset, tmp_path):
    """A cut no photo reaches was answered "no photo is marked discard; ... add --all-blurry ...", and once any
    batch had moved something, "nothing left to take: ... moved or trashed already", true of neither."""
    ds, db, p = dataset
    scored = sorted(v for v in p.values() if v is not None)
    top, second = scored[-1], scored[-2]
    assert second < top < 1
    rejects = tmp_path / "rejects"
    over = run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", 1)
    assert over.exit_code == 0 and "would move" not in over.stdout
    assert f"no photo in place and not marked keep has a p_blurry of 1 or more (the highest is {top:g})" in over.stderr
    assert "moved or trashed already" not in over.stderr

    assert run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", top, "--yes").exit_code == 0
    again = run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", (second + top) / 2)
    assert f"(the highest is {second:g})" in again.stderr and "moved or trashed already" not in again.stderr

    with Store(db) as store:  # the photos above the cut all marked keep: said, not "moved already"
        for path, v in p.items():
            if v is not None and v >= second and Path(path).exists():
                decide(store, path, "keep")
    kept = run("move", ds, "--db", db, "--to", rejects, "--min-p-blurry", second)
    assert "would move" not in kept.stdout and "not marked keep" in kept.stderr


def test_a_partial_photo_at_or_above_the_cut_is_taken_which_all_blurry_never_takes(tmp_path):
    """The cut is the user's: a photo the scan called `partial` (a sharp subject, a soft background) is taken
    when its p_blurry reaches P, whatever its verdict; `--all-blurry` takes only `blurry` ones."""
    from blurscan.demo import make_samples

    lib, db = tmp_path / "lib", tmp_path / "lib.db"
    make_samples(lib)
    out = run("scan", lib, "--db", db, "--workers", 1, "--format", "jsonl")
    assert out.exit_code == 0, out.output
    records = jsonl(out.stdout)
    partial = max((r for r in records if r["verdict"] == "partial"), key=lambda r: r["p_blurry"])
    cut = partial["p_blurry"]
    want = {r["path"] for r in records if r["p_blurry"] is not None and r["p_blurry"] >= cut}
    rel = Path(partial["path"]).relative_to(lib)

    dry = run("move", lib, "--db", db, "--to", tmp_path / "out", "--min-p-blurry", cut)
    listed = {line.split(" [")[0].removeprefix("would move ") for line in dry.stdout.splitlines()
              if line.startswith("would move ")}
    assert listed == {str(Path(path).relative_to(lib)) for path in want} and str(rel) in listed
    assert f"would move {rel} [p_blurry {cut:g} >= {cut:g}]" in dry.stdout
    blurry = run("move", lib, "--db", db, "--to", tmp_path / "out", "--all-blurry")
    assert f"would move {rel} " not in blurry.stdout and "would move " in blurry.stdout
