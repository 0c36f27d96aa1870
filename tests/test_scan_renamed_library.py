"""A library folder renamed (or moved) whole, its `.blurscan.db` with it: the next scan recognises every photo
as moved and carries its scores and decisions, but the old folder's rows stayed for good, outside any folder a
scan would prune. `report` then said on every run that photos were "no longer on disk" and that `blurscan scan`
would update the database (it never did), and `move` took the old and new folders' parent for the library:
`--to ~/rejects` was "inside the library", and the photos went to `rejects/lib2/...`. The scan now forgets the
old paths of the photos it found moved."""
from __future__ import annotations

import os

from blurscan.library_root import library_root
from blurscan.store import Store
from helpers_cli import jsonl as _jsonl, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide


def test_a_renamed_library_is_the_library_under_its_new_name(tmp_path):
    old, new = tmp_path / "lib", tmp_path / "lib2"
    for i in range(3):
        save_jpeg(old / "a" / f"s{i}.jpg", blurred(textured(i), 6))
    assert run("scan", old, "--model", "none", "--workers", "1").exit_code == 0
    with Store(old / ".blurscan.db") as store:
        decide(store, str(old / "a" / "s0.jpg"), "keep")
    os.rename(old, new)
    scan = run("scan", new, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert scan.exit_code == 0
    assert "3 moved or renamed" in scan.stderr, scan.stderr  # recognised as moved: nothing decoded again
    with Store(new / ".blurscan.db") as store:
        assert sorted(r.path for r in store.records()) == [str(new / "a" / f"s{i}.jpg") for i in range(3)]
        assert library_root(store) == str(new)
    report = run("report", new, "--format", "jsonl")
    assert "no longer on disk" not in report.stderr and len(_jsonl(report.stdout)) == 3
    move = run("move", "--to", tmp_path / "rejects", "--all-blurry", "--yes", new)
    assert move.exit_code == 0, move.output
    assert "inside the library" not in move.output
    moved = sorted(p.relative_to(tmp_path / "rejects").as_posix() for p in (tmp_path / "rejects").rglob("*.jpg"))
    assert moved == ["a/s1.jpg", "a/s2.jpg"]  # s0.jpg kept: its keep went with it
