"""Undoing an older tag batch (``undo --batch 1``) whose sidecars a later tag batch rewrote since blamed "you or a
photo app" for blurscan's own batch 2 and marked batch 1 undone: once batch 2 was undone, a plain undo said there
was nothing left, and the sidecars kept batch 1's tags. Now the reason names the later batch, and batch 1 stays
open, so that a plain undo comes back to it once batch 2 is undone."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.errors import shell_path
from test_xmp import _tag_library
from test_xmp_undo import _sidecars


def test_an_older_tag_batch_waits_for_the_later_one_that_rewrote_its_sidecars(lib):
    root, store, f = _tag_library(lib)
    store.close()
    before = _sidecars(root)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, [*args, str(root)])

    assert "as batch 1" in run("tag", "--xmp", "--label", "Purple").output
    assert "as batch 2" in run("tag", "--xmp", "--label", "Green", "--replace-label").output
    out = run("undo", "--batch", "1")
    assert out.exit_code == 0, out.output
    lines = sorted(out.stderr.splitlines())
    assert [line.split(": changed by tag batch 2 since; undo batch 2 first")[0] for line in lines] == \
        sorted(f"not undone: {p}" for p in (f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"],
                                            f["IMG_4"] + ".xmp"))
    assert all(line.endswith("; left as it is") for line in lines)
    assert "by you or a photo app" not in out.output
    assert f"batch 1 stays open: once `blurscan undo --batch 2 {shell_path(root)}` is done, a plain `blurscan undo` comes back " \
           "to it." in out.stdout
    listed = run("undo", "--list").output
    assert "batch 2 " in listed and "tag  done:" in listed and "tag  partial:" in listed
    assert run("undo").stdout.startswith("batch 2: restored 4 sidecars")
    out = run("undo")  # batch 1, which was left open
    assert out.exit_code == 0, out.output
    assert out.stdout == "batch 1: restored 3 sidecars to their bytes from before tagging, removed 1 sidecar tag " \
                         "had created.\n"
    assert _sidecars(root) == before
    assert run("undo").stdout.startswith("Nothing to undo: 2 batches undone already")


def test_a_sidecar_changed_by_the_person_still_lets_the_batch_count_as_undone(lib):
    """Only a later tag batch's bytes keep the batch open: other changes are left as they are, as before."""
    root, store, f = _tag_library(lib)
    store.close()
    runner = CliRunner()
    assert runner.invoke(main, ["tag", "--xmp", str(root)]).exit_code == 0
    with open(f["IMG_4"] + ".xmp", "wb") as fh:
        fh.write(b"<x/>")
    out = runner.invoke(main, ["undo", str(root)])
    assert "changed since `blurscan tag` wrote it (by you or a photo app)" in out.stderr
    assert "stays open" not in out.output
    assert runner.invoke(main, ["undo", str(root)]).stdout.startswith("Nothing to undo: 1 batch undone already")
