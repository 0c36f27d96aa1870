"""A keep in a sub-folder's own database made on an earlier version of a photo, beside a discard in the library's
database made on an earlier version too: the stale discard is no decision on the photo as it is now, so the keep
still holds it for review (found by mutation testing of actions/keeps.py, 2026-12-05: the version could be left
out of "a decision made on the photo as it is now" and no test failed)."""
from __future__ import annotations


import blurscan
from blurscan.actions import plan_move
from blurscan.config import ScanSettings
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide_in

SETTINGS = ScanSettings(workers=1, model="none")


def test_a_discard_made_on_an_earlier_version_does_not_outweigh_a_keep_elsewhere_on_that_version(tmp_path):
    lib = tmp_path / "lib"
    photo = save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    sub = lib / "2024" / ".blurscan.db"
    list(blurscan.scan([lib / "2024"], SETTINGS, db=str(sub)))
    decide_in(sub, photo, "keep")
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    decide_in(db, photo, "discard")
    save_jpeg(photo, blurred(textured(1), 5.0), quality=80)  # edited since: another size and time
    assert {r.verdict for r in blurscan.scan([lib], SETTINGS, db=db)} == {"blurry"}
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
    assert str(photo) not in {p.photo for p in plan.photos}
    assert {s.path: s.reason for s in plan.skipped}[str(photo)] == (
        f"marked keep in {sub}, made on an earlier version of this file (changed or replaced since): review it again")
