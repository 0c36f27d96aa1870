"""A keep in the library's own database made on an earlier version of the photo's file (edited since, or replaced
by another file of the same size with its time set back): ``move`` / ``trash`` / ``tag`` leave the photo (a keep
errs on the side of the photo) and list it, with the reason, as a keep made so in another database is listed
(blurscan.actions.plan.select, blurscan.actions.keeps). Real scans of generated photos (model "none")."""
from __future__ import annotations

import os
import time

import blurscan
from blurscan.actions import plan_move
from blurscan.actions.plan import plan_tag
from blurscan.actions.keeps import OWN_EARLIER_VERSION
from blurscan.config import ScanSettings
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide_in

SETTINGS = ScanSettings(workers=1, model="none")


def _save_tiff(path, rgb):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="TIFF")  # uncompressed: another picture of one size has that size
    return path


def test_a_keep_made_on_an_earlier_version_of_the_photo_leaves_it_listed(tmp_path):
    """Kept, then edited (another size and time) or replaced (same size and time, other bytes: the scan clears the
    keep's identity): `move --all-blurry` left the photo without a word, dry run and real run alike, while a keep
    made so in a sub-folder's database was listed. Now both are listed with the reason and counted as skipped;
    a keep on the photo as it is stays silent, and a discard made on the new version takes it."""
    lib = tmp_path / "lib"
    edited = save_jpeg(lib / "IMG_1.jpg", blurred(textured(1), 4.0))
    replaced = _save_tiff(lib / "SCAN_2.tif", blurred(textured(2), 4.0))
    kept = save_jpeg(lib / "IMG_3.jpg", blurred(textured(3), 4.0))
    other = save_jpeg(lib / "IMG_4.jpg", blurred(textured(4), 4.0))
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    for photo in (edited, replaced, kept):
        decide_in(db, photo, "keep")
    before = replaced.stat()
    time.sleep(0.02)
    save_jpeg(edited, blurred(textured(1), 5.0))
    _save_tiff(lib / "new.tif", blurred(textured(7), 4.0)).replace(replaced)
    os.utime(replaced, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (replaced.stat().st_size, replaced.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert all(records[str(p)].verdict == "blurry" and not records[str(p)].cached for p in (edited, replaced))

    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
        assert {p.photo for p in plan.photos} == {str(other)}
        assert {s.path: s.reason for s in plan.skipped} == {str(edited): OWN_EARLIER_VERSION,
                                                            str(replaced): OWN_EARLIER_VERSION}
        assert OWN_EARLIER_VERSION.startswith("marked keep, made on an earlier version of this file")
        tagged, skipped = plan_tag(store)
        assert [c.path for c in tagged] == [str(other)] and {s.path for s in skipped} == {str(edited), str(replaced)}
        # only what the selection would take is listed: without --all-blurry nothing is
        assert plan_move(store, tmp_path / "rejects").skipped == []

    dry = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert dry.exit_code == 0, dry.output
    assert f"skip IMG_1.jpg: {OWN_EARLIER_VERSION}" in dry.output
    assert f"skip SCAN_2.tif: {OWN_EARLIER_VERSION}" in dry.output
    assert "IMG_3.jpg" not in dry.output  # kept as it is: left without a word, as before
    done = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib, "--yes")
    assert done.exit_code == 0, done.output
    assert f"skipped: IMG_1.jpg: {OWN_EARLIER_VERSION}" in done.output
    assert "moved 1 photo (1 file," in done.output and "; 2 skipped (listed above);" in done.output
    assert edited.exists() and replaced.exists() and kept.exists() and not other.exists()

    decide_in(db, edited, "discard")  # decided again on the photo as it is now
    decide_in(db, replaced, "keep")
    again = run("move", "--all-blurry", "--to", tmp_path / "rejects", lib)
    assert "would move IMG_1.jpg [discard]" in again.output and "skip" not in again.output


def test_a_burst_shot_kept_on_an_earlier_version_is_listed_once(tmp_path):
    """--from-bursts left a non-keeper shot kept on an earlier version silently too; blurry and in a burst, it
    is listed once."""
    lib = tmp_path / "lib"
    keeper = save_jpeg(lib / "IMG_1.jpg", textured(1))
    shot = save_jpeg(lib / "IMG_2.jpg", blurred(textured(1), 4.0))
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    decide_in(db, shot, "keep")
    time.sleep(0.02)
    save_jpeg(shot, blurred(textured(1), 3.0))
    list(blurscan.scan([lib], SETTINGS, db=db))
    with Store(db) as store:
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                             [(str(keeper), 1, 1), (str(shot), 2, 0)])
        for all_flagged in (False, True):
            plan = plan_move(store, tmp_path / "rejects", all_flagged=all_flagged, from_bursts=True)
            assert plan.photos == [] and [(s.path, s.reason) for s in plan.skipped] == [(str(shot),
                                                                                          OWN_EARLIER_VERSION)]
