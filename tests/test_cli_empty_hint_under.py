"""The note of an empty `move` / `trash` / `tag` selection under a folder of the library speaks of that folder:
a discard moved from another folder of the library made it say "nothing left to take: what this selection takes
was moved or trashed already" of a folder where nothing was ever marked discard nor moved (until 2026-12-06),
and the tips (review, --all-blurry) went unsaid."""
from __future__ import annotations

import numpy as np
from click.testing import CliRunner
from PIL import Image


def _library(tmp_path):
    from blurscan.cli import main

    lib = tmp_path / "lib"
    rng = np.random.default_rng(0)
    for folder in ("a", "b"):
        (lib / folder).mkdir(parents=True)
        for i in range(2):  # fine noise: detail everywhere, sharp
            Image.fromarray((rng.random((300, 400, 3)) * 255).astype("uint8")).save(
                lib / folder / f"{folder}{i}.jpg", quality=95)
    scan = CliRunner().invoke(main, ["scan", str(lib)])
    assert scan.exit_code == 0, scan.output
    return lib


def test_a_discard_moved_from_another_folder_is_not_this_folders(tmp_path):
    from blurscan.cli import main
    from blurscan.review.decisions import set_decision
    from blurscan.store import Store

    lib = _library(tmp_path)
    with Store(lib / ".blurscan.db") as store:
        set_decision(store, str(lib / "a" / "a0.jpg"), "discard")
    runner = CliRunner()
    rejects = tmp_path / "rejects"
    moved = runner.invoke(main, ["move", "--to", str(rejects), "--yes", str(lib)])
    assert moved.exit_code == 0, moved.output
    assert "moved 1 photo" in moved.stdout and (rejects / "a" / "a0.jpg").exists()
    for command in (["move", "--to", str(rejects)], ["trash"]):
        there = runner.invoke(main, [*command, str(lib / "b")])
        assert there.exit_code == 0, there.output
        assert "Dry run: 0 photos" in there.stdout
        assert "nothing left to take" not in there.stderr, there.stderr
        assert "note: no photo is marked discard; review the flagged photos first" in there.stderr, there.stderr
    # the folder the discard was moved from, and the whole library: moved already, as before
    for folder in (lib / "a", lib):
        here = runner.invoke(main, ["move", "--to", str(rejects), str(folder)])
        assert here.exit_code == 0, here.output
        assert "nothing left to take" in here.stderr and "no photo is marked discard" not in here.stderr
