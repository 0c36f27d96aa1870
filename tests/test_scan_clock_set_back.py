"""A scan during which the system clock is set back (NTP correcting a wrong time, a virtual machine resumed, a
person): an ``undo`` or another scan run meanwhile writes its rows at a time before the walk began. Until
2026-12-06 the scan's prune took those rows for older than the walk and forgot the photos they had put back or
stored (missing from report and review until the next scan). The clock is set back an hour, and stays back, right
after the walk (``time.time`` shifted; the actions are the real ones, as in test_scan_during_actions)."""
from __future__ import annotations

import os
import time

from blurscan import pipeline
from blurscan.store import Store
from helpers_cli import jsonl, run
from test_scan_during_actions import _after_walk, _move_all_blurry, _scan, _undo


def _set_back(monkeypatch, seconds: float = 3600.0) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - seconds)


def test_photos_put_back_by_undo_after_the_clock_was_set_back_are_not_forgotten(library, tmp_path, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    _scan(root, db)
    blurry = sorted(path for path, verdict in truth.items() if verdict == "blurry")
    assert sorted(_move_all_blurry(db, tmp_path / "rejects")) == blurry
    _after_walk(monkeypatch, lambda: (_set_back(monkeypatch), _undo(db)))
    _scan(root, db)
    assert all(os.path.exists(p) for p in blurry)
    monkeypatch.undo()
    listed = run("report", "--db", db, "--only", "blurry", "--format", "jsonl")  # as the person looks
    assert sorted(r["path"] for r in jsonl(listed.stdout)) == blurry
    with Store(db) as store:
        assert sorted(r.path for r in store.records()) == sorted(truth)
        assert sorted(r.path for r in store.records(only="blurry")) == blurry


def test_photos_another_scan_stored_after_the_clock_was_set_back_are_not_forgotten(library, tmp_path, monkeypatch):
    from helpers_images import save_jpeg, textured

    root, truth = library
    db = tmp_path / "x.db"
    later = str(save_jpeg(tmp_path / "later" / "NEW_0.jpg", textured(40)))
    added = os.path.join(root, "new", "NEW_0.jpg")
    walk, done = pipeline.walk, []

    def copy_in_and_scan():
        if done:  # (the other scan's own walk)
            return
        done.append(True)
        _set_back(monkeypatch)
        os.renames(later, added)
        with monkeypatch.context() as m:
            m.setattr(pipeline, "walk", walk)
            assert _scan(root / "new", db)[added].status == "ok"  # `blurscan scan lib/new`

    _after_walk(monkeypatch, copy_in_and_scan)
    assert sorted(_scan(root, db)) == sorted(truth)
    with Store(db) as store:
        assert [r.path for r in store.records(under=str(root / "new"))] == [added]


def test_photos_moved_during_the_walk_and_put_back_after_the_clock_was_set_back_are_not_forgotten(
        library, tmp_path, monkeypatch):
    # (the journal rows are new since the walk began, written as `undone` at a time before it: neither in the
    # walk's states nor later than its time; their photos are not on disk when the walk passes)
    root, truth = library
    db = tmp_path / "x.db"
    _scan(root, db)
    blurry = sorted(path for path, verdict in truth.items() if verdict == "blurry")
    walk, moved = pipeline.walk, []

    def move_walk_then_undo(*args, **kwargs):
        moved.extend(_move_all_blurry(db, tmp_path / "rejects"))  # as the walk begins
        yield from walk(*args, **kwargs)
        _set_back(monkeypatch)
        _undo(db)

    monkeypatch.setattr(pipeline, "walk", move_walk_then_undo)
    _scan(root, db)
    assert sorted(moved) == blurry and all(os.path.exists(p) for p in blurry)
    monkeypatch.undo()
    listed = run("report", "--db", db, "--only", "blurry", "--format", "jsonl")
    assert sorted(r["path"] for r in jsonl(listed.stdout)) == blurry
