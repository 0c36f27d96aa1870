"""A scan that overlaps ``blurscan move --yes`` or ``undo`` (another process, the journal): the records it leaves.

The other process is stood in for, deterministically, by the real actions run on their own connection right
after the scan's walk (``pipeline.walk`` wrapped): a photo moved away between the walk and its decoding, a
photo put back by undo after the walk. (The rules: :mod:`blurscan.pruning`.)
"""
from __future__ import annotations

import dataclasses
import os

from blurscan import pipeline
from blurscan.actions import execute, plan_move, undo
from blurscan.config import ScanSettings
from blurscan.store import Store

S1 = ScanSettings(workers=1, model="none")


def _scan(root, db, settings=S1, **kw) -> dict:
    return {r.path: r for r in pipeline.scan([root], settings, db=db, **kw)}


def _after_walk(monkeypatch, action) -> None:
    """Run ``action()`` once the scan's walk is done, before anything is decoded."""
    walk = pipeline.walk

    def walk_then_act(*args, **kwargs):
        yield from walk(*args, **kwargs)
        action()

    monkeypatch.setattr(pipeline, "walk", walk_then_act)


def _move_all_blurry(db, dest) -> list[str]:
    with Store(db) as other:  # `blurscan move --all-blurry --to DEST --yes`
        return [src for src, _ in execute(other, plan_move(other, dest, all_flagged=True)).moved]


def _undo(db) -> None:
    with Store(db) as other:  # `blurscan undo`
        assert undo(other).complete


def test_a_photo_moved_away_after_the_walk_keeps_its_record_and_is_flagged_after_undo(library, tmp_path,
                                                                                         monkeypatch):
    # (the scan's error record replaced the good one: after the undo it was an error, no longer flagged blurry)
    root, truth = library
    db = tmp_path / "x.db"
    _scan(root, db)
    blurry = sorted(path for path, verdict in truth.items() if verdict == "blurry")
    moved = []
    _after_walk(monkeypatch, lambda: moved.extend(_move_all_blurry(db, tmp_path / "rejects")))
    out = _scan(root, db, dataclasses.replace(S1, analysis_long_side=256))  # every photo decoded again
    assert sorted(moved) == blurry and not any(os.path.exists(p) for p in blurry)
    for path in blurry:  # this scan's own output says what it met
        assert out[path].status == "error" and out[path].error == "file vanished (no such file)"
    with Store(db) as store:
        for path in blurry:
            kept = store.record(path)
            assert kept is not None and kept.status == "ok" and kept.verdict == "blurry", path
    monkeypatch.undo()
    _undo(db)
    with Store(db) as store:
        assert sorted(r.path for r in store.records(only="blurry")) == blurry
        assert not store.records(only="errors")
        again = plan_move(store, tmp_path / "rejects2", all_flagged=True)  # `move --all-blurry` takes them again
        assert sorted(p.photo for p in again.photos) == blurry


def test_a_file_vanished_since_the_walk_with_no_record_is_stored_as_an_error(library, tmp_path, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    gone = sorted(truth)[0]
    _after_walk(monkeypatch, lambda: os.remove(gone))
    out = _scan(root, db)
    assert out[gone].error == "file vanished (no such file)"
    with Store(db) as store:
        assert store.record(gone).error == "file vanished (no such file)"  # as before: tried again, then pruned
    monkeypatch.undo()
    assert gone not in _scan(root, db)
    with Store(db) as store:
        assert store.record(gone) is None


def test_photos_put_back_by_undo_after_the_walk_are_not_forgotten(library, tmp_path, monkeypatch):
    # (the prune at the end took them for gone: in neither the walk nor the journal's moved-away photos)
    root, truth = library
    db = tmp_path / "x.db"
    _scan(root, db)
    blurry = sorted(path for path, verdict in truth.items() if verdict == "blurry")
    assert sorted(_move_all_blurry(db, tmp_path / "rejects")) == blurry
    _after_walk(monkeypatch, lambda: _undo(db))
    out = _scan(root, db)
    assert not set(out) & set(blurry) and all(os.path.exists(p) for p in blurry)
    with Store(db) as store:
        assert sorted(r.path for r in store.records()) == sorted(truth)
        assert sorted(r.path for r in store.records(only="blurry")) == blurry
    monkeypatch.undo()
    decode, decoded = pipeline._process, []
    monkeypatch.setattr(pipeline, "_process", lambda ref, *a: decoded.append(ref.path) or decode(ref, *a))
    assert sorted(_scan(root, db)) == sorted(truth) and decoded == []  # reused, not decoded again


def test_a_photo_on_disk_that_the_walk_leaves_out_is_still_forgotten(tmp_path):
    # Only photos the journal moved or put back during the scan are kept: a hidden one scanned with
    # include_hidden, moved and put back before this scan, is forgotten by a scan without include_hidden.
    from helpers_images import blurred, save_jpeg, textured

    root, db = tmp_path / "lib", tmp_path / "x.db"
    hidden = str(save_jpeg(root / ".hidden" / "IMG_1.jpg", blurred(textured(1))))
    save_jpeg(root / "IMG_2.jpg", textured(2))
    assert _scan(root, db, dataclasses.replace(S1, include_hidden=True))[hidden].verdict == "blurry"
    assert _move_all_blurry(db, tmp_path / "rejects") == [hidden]
    _undo(db)
    assert os.path.exists(hidden) and hidden not in _scan(root, db)
    with Store(db) as store:
        assert store.record(hidden) is None


def test_photos_another_scan_stored_after_the_walk_are_not_forgotten(library, tmp_path, monkeypatch):
    # `blurscan scan lib` (a cron job) while the person copies photos into lib/new and runs `blurscan scan
    # lib/new`: the first scan's prune took the new photos for gone (not in its walk) and forgot them until the
    # next scan (report said 0 files for lib/new)
    from helpers_cli import cli
    from helpers_images import blurred, save_jpeg, textured

    root, truth = library
    db = tmp_path / "x.db"
    new = [str(save_jpeg(tmp_path / "later" / f"NEW_{i}.jpg", blurred(textured(40 + i)) if i else textured(40)))
           for i in range(2)]

    def copy_in_and_scan():
        for path in new:
            os.renames(path, os.path.join(root, "new", os.path.basename(path)))
        done = cli("scan", "--workers", "1", "--model", "none", "--db", str(db), "--format", "jsonl",
                   str(root / "new"))
        assert done.returncode == 0, done.stderr

    _after_walk(monkeypatch, copy_in_and_scan)
    assert sorted(_scan(root, db)) == sorted(truth)
    added = sorted(os.path.join(root, "new", os.path.basename(p)) for p in new)
    with Store(db) as store:
        assert sorted(r.path for r in store.records(under=str(root / "new"))) == added
        assert store.record(added[1]).verdict == "blurry"
