"""More of a keep recorded while ``move --yes`` takes the photo (``still_wanted``, blurscan.actions.run): an image
kept as it leaves keeps the files it shares by name with another image of its stem, and a keep recorded once the
photo went does not split it from its RAW twin and sidecars (found by mutation testing of actions/run.py). The
keep is written through another connection (as the review page writes it) when the journal records the file's
identity, just before the file is renamed."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.actions import run
from blurscan.actions.fresh_decisions import KEPT_SINCE
from blurscan.cli import main
from helpers_library import decide, decide_as_shown, snapshot


def _keep_when_taking(monkeypatch, db, taking: str, path: str) -> list:
    """Record a keep on ``path`` (another connection to ``db``) as the batch is about to take the file ``taking``."""
    real, calls = run._identity, []

    def wrapped(op):
        if os.fsdecode(op.src) == str(taking) and not calls:
            decide_as_shown(db, path, "keep")
            calls.append(op.src)
        return real(op)

    monkeypatch.setattr(run, "_identity", wrapped)
    return calls


def test_an_image_kept_as_it_leaves_keeps_the_files_of_its_name(lib, tmp_path, monkeypatch):
    """IMG_5.heic and IMG_5.jpg discarded, IMG_5.xmp going with the later one; IMG_5.heic kept as it leaves: it
    stays, and IMG_5.xmp with it (as with a keep read before the photo was taken); IMG_5.jpg goes alone."""
    root, store, f = lib
    decide(store, f["IMG_5"], "discard")
    decide(store, f["IMG_5h"], "discard")
    calls = _keep_when_taking(monkeypatch, store.path, f["IMG_5h"], f["IMG_5h"])
    before = snapshot(root)
    out = CliRunner().invoke(main, ["move", str(root), "--to", str(tmp_path / "rejects"), "--yes"])
    assert calls and out.exit_code == 0, out.output
    after = snapshot(root)
    assert after.get(f["IMG_5h"]) == before[f["IMG_5h"]] and after.get(f["IMG_5.xmp"]) == before[f["IMG_5.xmp"]]
    assert not os.path.exists(f["IMG_5"]) and KEPT_SINCE in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").rglob("*") if p.is_file()) == ["IMG_5.jpg"]


def test_a_keep_recorded_once_the_photo_went_does_not_split_it_from_its_files(lib, tmp_path, monkeypatch):
    """IMG_1.JPG moved; the keep arrives as its RAW twin is taken: the twin and the sidecars follow the photo
    (left behind, no later move would take them: their photo is no longer there to select)."""
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    calls = _keep_when_taking(monkeypatch, store.path, f["IMG_1.CR2"], f["IMG_1"])
    out = CliRunner().invoke(main, ["move", str(root), "--to", str(tmp_path / "rejects"), "--yes"])
    assert calls and out.exit_code == 0, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").rglob("*") if p.is_file()) == [
        "IMG_1.CR2", "IMG_1.CR2.xmp", "IMG_1.JPG", "IMG_1.JPG.xmp"], out.output
    assert not any(os.path.exists(f[k]) for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp"))
