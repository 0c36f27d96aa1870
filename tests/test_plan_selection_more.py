"""What `move` / `trash` take, at edges mutation testing (2026-12-05) found no test held: a keep made on an earlier
version of a photo that --min-p-blurry would take (left and listed, as --all-blurry lists it); a photo changed since
its discard with its size kept (left by move and tag); a photo outside the root given (left); the --min-p-blurry
note on unscored photos (under PATH only, not those moved since); a sidecar two images share by stem, which goes
when both are taken (in a plan and in the review page's space figures). Real scans of generated photos, real
libraries, the real command line (dry runs)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import blurscan
from blurscan.actions.keeps import OWN_EARLIER_VERSION
from blurscan.config import ScanSettings
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide_in


def test_min_p_blurry_lists_a_photo_kept_on_an_earlier_version(tmp_path):
    """Kept, then edited: --min-p-blurry leaves it, and says why, as --all-blurry does."""
    lib = tmp_path / "lib"
    edited = save_jpeg(lib / "IMG_1.jpg", blurred(textured(1), 4.0))
    other = save_jpeg(lib / "IMG_2.jpg", blurred(textured(2), 4.0))
    db = str(lib / ".blurscan.db")
    settings = ScanSettings(workers=1)
    list(blurscan.scan([lib], settings, db=db))
    decide_in(db, edited, "keep")
    time.sleep(0.02)
    save_jpeg(edited, blurred(textured(1), 5.0))
    records = {r.path: r for r in blurscan.scan([lib], settings, db=db)}
    assert all(records[str(p)].p_blurry >= 0.5 for p in (edited, other))

    dry = run("move", "--min-p-blurry", 0.5, "--to", tmp_path / "rejects", lib)
    assert dry.exit_code == 0, dry.output
    assert f"skip IMG_1.jpg: {OWN_EARLIER_VERSION}" in dry.output
    assert "would move IMG_2.jpg [p_blurry" in dry.output and "would move IMG_1.jpg" not in dry.output


def test_the_unscored_note_counts_the_photos_under_path_still_in_place(tmp_path):
    """Scanned with --model none: --min-p-blurry cannot take any, and the note counts those it could have
    looked at: under PATH only (not b/), and not one a batch has moved away since."""
    lib = tmp_path / "lib"
    for name in ("a/1.jpg", "a/2.jpg", "b/3.jpg"):
        save_jpeg(lib / name, textured(len(name) + ord(name[2])))
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], ScanSettings(workers=1, model="none"), db=db))
    decide_in(db, lib / "a" / "1.jpg", "discard")
    done = run("move", "--to", tmp_path / "rejects", lib, "--yes")
    assert done.exit_code == 0 and not (lib / "a" / "1.jpg").exists(), done.output

    dry = run("move", "--min-p-blurry", 0.5, "--to", tmp_path / "rejects", lib / "a")
    assert dry.exit_code == 0, dry.output
    assert "note: 1 photo has no p_blurry (scanned with --model none)" in dry.stderr


def test_a_sidecar_shared_by_two_images_moves_when_both_are_taken(tmp_path):
    """IMG_5.xmp is named by the stem IMG_5.jpg and IMG_5.heic share: it stays while either stays, and goes
    (once, with the last of them in path order) when both are discarded."""
    from helpers_library import build_library, decide

    from blurscan.actions import plan_move

    store, f = build_library(tmp_path / "lib")
    with store:
        decide(store, f["IMG_5"], "discard")
        plan = plan_move(store, tmp_path / "rejects")
        assert [op.src for op in plan.files] == [f["IMG_5"]]  # IMG_5.heic stays: so does the shared sidecar
        decide(store, f["IMG_5h"], "discard")
        plan = plan_move(store, tmp_path / "rejects")
        assert [(p.photo, [op.src for op in p.files]) for p in plan.photos] == [
            (f["IMG_5h"], [f["IMG_5h"]]), (f["IMG_5"], [f["IMG_5"], f["IMG_5.xmp"]])]
        # the review page's space figures count the same files (companions: one selection, in path order)
        from blurscan.actions.photo_group import companions

        files = companions([f["IMG_5"], f["IMG_5h"]])
        assert files[f["IMG_5h"]] == () and [p for p, _size, _role in files[f["IMG_5"]]] == [f["IMG_5.xmp"]]


def _rewrite_same_size(path):
    """Other bytes of the same size, a second later: an edit that keeps the file's size."""
    data = bytearray(Path(path).read_bytes())
    data[-3] ^= 0xFF
    st = os.stat(path)
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_photo_changed_since_its_discard_keeping_its_size_is_left_by_move_and_tag(tmp_path):
    """Size and modification time both tell the version reviewed: a photo rewritten with its size unchanged since
    it was discarded is another picture, left (move and tag alike) with the reason."""
    from helpers_library import build_library, decide

    from blurscan.actions import plan_move
    from blurscan.actions.plan import plan_tag

    store, f = build_library(tmp_path / "lib")
    with store:
        decide(store, f["IMG_3"], "discard")
        _rewrite_same_size(f["IMG_3"])
        plan = plan_move(store, tmp_path / "rejects")
        assert plan.photos == [] and [s.path for s in plan.skipped] == [f["IMG_3"]]
        assert plan.skipped[0].reason.startswith("changed since it was scanned or reviewed")
        tagged, skipped = plan_tag(store, all_flagged=False)
        assert tagged == [] and [s.path for s in skipped] == [f["IMG_3"]]


def test_a_photo_outside_the_root_given_is_left_not_moved_beside_the_destination(tmp_path):
    """plan_move(root=...) keeps paths relative to ``root``: a photo outside it would land outside the destination
    (``rejects/../b/...``); it is left, with the reason."""
    from helpers_library import build_library, decide

    from blurscan.actions import plan_move

    store, f = build_library(tmp_path / "lib")
    with store:
        decide(store, f["IMG_3"], "discard")
        decide(store, f["IMG_4"], "discard")
        plan = plan_move(store, tmp_path / "rejects", root=tmp_path / "lib" / "a")
        assert [p.photo for p in plan.photos] == [f["IMG_3"]]
        assert plan.photos[0].files[0].dst == str(tmp_path / "rejects" / "IMG_3.jpg")
        assert [(s.path, s.reason) for s in plan.skipped] == [(f["IMG_4"], f"not under {tmp_path / 'lib' / 'a'}")]
