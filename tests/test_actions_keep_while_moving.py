"""A photo marked keep on the review page while ``move --yes`` or ``trash --yes`` is already taking it -- after its
decision was read again (:mod:`blurscan.actions.fresh_decisions`), while a copy to another drive runs -- stays,
with the files that go with it: the decision is asked once more as the photo leaves
(:func:`blurscan.actions.moves.move_file`'s ``still_wanted``). Until 2026-12-06 the review page answered the keep
as stored (200) and the photo went all the same; a copy of a large photo to a USB drive takes seconds.

No timing races: the keep is written through another connection to the database (as the review page, another
process, writes it) at a fixed point of the move: while the copy is being verified, or just after the row was
journaled ``moving`` on one drive.
"""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.actions import journal, moves, run
from blurscan.actions.fresh_decisions import KEPT_SINCE
from blurscan.cli import main
from blurscan.store import Store
from helpers_library import decide, decide_as_shown, force_cross_device, snapshot


def _keep_at(monkeypatch, module, name, db, path) -> list:
    """Record a keep on ``path`` (another connection to ``db``) the first time ``module.name`` is called."""
    real, calls = getattr(module, name), []

    def wrapped(*args, **kwargs):
        if not calls:
            decide_as_shown(db, path, "keep")
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)
    return calls


def _files_of_img1(f) -> set[str]:
    return {f[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp")}


@pytest.mark.parametrize("where", ["while copied to another drive", "on one drive"])
def test_a_photo_kept_as_it_leaves_stays_with_its_files(lib, tmp_path, monkeypatch, where):
    root, store, f = lib
    for key in ("IMG_1", "IMG_4"):
        decide(store, f[key], "discard")
    if where == "on one drive":  # after the decision was read again and the row journaled 'moving'
        calls = _keep_at(monkeypatch, run, "_identity", store.path, f["IMG_1"])
    else:  # the copy's read-back (its bytes at the destination, not yet in place)
        force_cross_device(monkeypatch)
        calls = _keep_at(monkeypatch, moves, "sha256_file", store.path, f["IMG_1"])
    before = snapshot(root)
    out = CliRunner().invoke(main, ["move", str(root), "--to", str(tmp_path / "rejects"), "--yes"])
    assert calls, "the keep was never written: the test's hook was not reached"
    assert out.exit_code == 0 and "Traceback" not in out.output, out.output  # (a photo left for a keep: no failure)
    after = snapshot(root)
    for path in _files_of_img1(f):  # the photo, its RAW twin and sidecars: in place, bytes and time unchanged
        assert after.get(path) == before[path], (path, out.output)
    assert not os.path.exists(f["IMG_4"]), out.output  # the other discard went
    assert KEPT_SINCE in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").rglob("*")
                  if p.is_file()) == ["IMG_4.jpg"]  # no copy, no temporary file of IMG_1 left there
    with Store(store.path) as again:
        batch = journal.latest_undoable(again)
        rows = {r.src: (r.state, r.error) for r in journal.rows(again, batch)}
    assert rows[f["IMG_1"]] == ("skipped", KEPT_SINCE)
    assert {rows[p][0] for p in _files_of_img1(f) - {f["IMG_1"]}} == {"skipped"}
    undone = CliRunner().invoke(main, ["undo", str(root)])
    assert undone.exit_code == 0, undone.output
    assert snapshot(root) == before


def test_trash_leaves_a_photo_kept_as_it_leaves(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    decide(store, f["IMG_4"], "discard")
    calls = _keep_at(monkeypatch, run, "_identity", store.path, f["IMG_4"])
    before = snapshot(root)
    out = CliRunner().invoke(main, ["trash", str(root), "--yes"])
    assert calls and KEPT_SINCE in out.output, out.output
    assert snapshot(root)[f["IMG_4"]] == before[f["IMG_4"]]
    trash = tmp_path / "home" / "data" / "Trash"
    assert not [p for p in trash.rglob("*") if p.is_file()], "a trash entry of the photo left behind"
