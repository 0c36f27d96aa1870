"""A keep or discard on the review page costs the same whatever the library's history: the figures it answers
with are counted for the photo decided (:mod:`blurscan.review.totals`), and until 2026-12-06 three of the queries
doing so went through every decision ever made and every journal row (the photos moved or trashed long ago keep
theirs, for undo): with 60,000 photos of history a key press took 0.4 s of SQL where a new library took 1 ms.
Measured as SQLite virtual-machine steps (``set_progress_handler``), not time. A real library, moved by the real
command line."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review import header_figures
from blurscan.store import Store

from helpers_images import save_jpeg, textured
from helpers_library import blurry_library, decide_in


def _steps(store: Store, photo: Path) -> int:
    """SQLite steps of the figures of a decision on ``photo``: the photos away among it, and its summary."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store.conn.set_progress_handler(count, 1)
    try:
        assert store.moved_away([str(photo)]) == frozenset()
        figures = header_figures.summary(store, only={str(photo)})
    finally:
        store.conn.set_progress_handler(None, 1)
    assert figures["photos"] == 1
    return steps[0]


def test_a_decision_costs_the_same_after_a_history_of_moves(tmp_path):
    lib = blurry_library(tmp_path / "lib", 150)
    db = lib / ".blurscan.db"
    photo = save_jpeg(lib / "kept" / "IMG_A.jpg", textured(5, (48, 64)))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib / "kept"), "--db", str(db), "--model", "none"]).exit_code == 0
    decide_in(db, photo, "keep")
    with Store(db) as store:
        fresh = _steps(store, photo)
    for i in range(150):
        decide_in(db, lib / f"IMG_{i:02d}.jpg", "discard")
    result = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib), "--yes"])
    assert result.exit_code == 0, result.output
    assert not (lib / "IMG_00.jpg").exists()
    with Store(db) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0] >= 150
        later = _steps(store, photo)
    assert later <= fresh + 50, (fresh, later)  # (until 2026-12-06: some thousands more, 40 a photo moved)
