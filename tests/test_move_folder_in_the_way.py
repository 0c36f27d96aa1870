"""A file where a folder of the move's destination must go (``rejects/a`` a file, for ``a/IMG_1.JPG``): the dry
run listed the photo as to be moved, and ``--yes`` failed with ``rejects/a: cannot create the folder: ...``,
naming no photo, and counted its sidecars among the skipped. The plan now skips the photo with the reason, as for
a destination already there (dry run and ``--yes`` alike); a file that appears there after planning fails the
photo, named, and its sidecars, listed, count in that failure."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import decide, snapshot


def _library(lib):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4"):  # a/IMG_1.JPG (+ RAW, sidecars), a/IMG_2.jpg (+ AAE), b/c/IMG_4.jpg
        decide(store, f[key], "discard")
    store.close()
    return root, f


def test_the_dry_run_and_the_move_skip_a_photo_whose_folder_a_file_stands_in(lib, tmp_path):
    root, f = _library(lib)
    dest = tmp_path / "rejects"
    dest.mkdir()
    (dest / "a").write_text("x")  # in the way of rejects/a
    (dest / "b").write_text("y")  # in the way of rejects/b/c, one level up
    runner = CliRunner()
    before = snapshot(root)
    dry = runner.invoke(main, ["move", "--to", str(dest), str(root)])
    assert dry.exit_code == 0, dry.output
    in_a = f"cannot make the folder {dest / 'a'}: {dest / 'a'} is a file, not a folder"
    assert f"skip a/IMG_1.JPG: {in_a}" in dry.stdout and f"skip a/IMG_2.jpg: {in_a}" in dry.stdout
    assert f"skip b/c/IMG_4.jpg: cannot make the folder {dest / 'b' / 'c'}: {dest / 'b'} is a file, not a folder" \
        in dry.stdout
    assert "would move" not in dry.stdout and "Dry run: 0 photos" in dry.stdout

    (dest / "b").unlink()
    out = runner.invoke(main, ["move", "--to", str(dest), "--yes", str(root)])
    assert out.exit_code == 0, out.output
    assert f"skipped: a/IMG_1.JPG: {in_a}" in out.stderr and f"skipped: a/IMG_2.jpg: {in_a}" in out.stderr
    assert "moved 1 photo (1 file," in out.stdout and "; 2 skipped (listed above);" in out.stdout
    assert "failed" not in out.output
    assert (dest / "b" / "c" / "IMG_4.jpg").exists() and (dest / "a").read_text() == "x"
    assert {p: v for p, v in snapshot(root).items() if p != f["IMG_4"]} == \
        {p: v for p, v in before.items() if p != f["IMG_4"]}


def test_a_file_in_the_way_after_planning_fails_the_photo_named_with_the_reason(lib, tmp_path, monkeypatch):
    import blurscan.actions as actions
    from blurscan.store import Store

    root, f = _library(lib)
    dest = tmp_path / "rejects"
    planned = actions.plan_move

    def plan_then_block(*args, **kwargs):  # another program puts a file there between the plan and the moves
        plan = planned(*args, **kwargs)
        dest.mkdir()
        (dest / "a").write_text("x")
        return plan

    monkeypatch.setattr(actions, "plan_move", plan_then_block)
    before = snapshot(root)
    out = CliRunner().invoke(main, ["move", "--to", str(dest), "--yes", str(root)])
    assert out.exit_code == 1, out.output
    reason = f"cannot make the folder {dest / 'a'}: {dest / 'a'} is a file, not a folder"
    failed = [line for line in out.stderr.splitlines() if line.startswith("failed: ")]
    assert failed == [f"failed: {f['IMG_1']}: {reason}", f"failed: {f['IMG_2']}: {reason}"]
    for sidecar in ("IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_2.AAE"):  # listed, with their photo
        assert f"skipped: {f[sidecar]}: its photo was not moved" in out.stderr
    # two photos failed; the files left with them are part of those failures, not skipped photos
    assert "moved 1 photo (1 file," in out.stdout and "; 2 failed (listed above); undo with" in out.stdout
    assert {p: v for p, v in snapshot(root).items() if p != f["IMG_4"]} == \
        {p: v for p, v in before.items() if p != f["IMG_4"]}
    with Store(root / ".blurscan.db") as store:
        errors = {src: error for src, error in store.conn.execute("SELECT src, error FROM journal") if error}
    assert errors[f["IMG_1"]] == f"{f['IMG_1']}: {reason}"
