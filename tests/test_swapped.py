"""Photos whose names were swapped or rotated by hand after a keep / discard (blurscan.swapped, and the
protection of blurscan.actions.keeps). Both paths were still there at the next scan, each with another file, so
blurscan.renamed (vanished paths only) saw no move: each decision stayed on its path, stale, and `move
--all-blurry` took the kept photo, now under the discarded one's name. Real scans of generated blurry photos
(model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os

import blurscan
from blurscan.actions import plan_move
from blurscan.review import decisions
from blurscan.store import Store
import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from test_keeps_sub_folder import SETTINGS

SUB_SECOND = 1_700_000_000_123_456_789


def _decide(db, path, decision):
    st = os.stat(path)
    with Store(db) as store:
        decisions.set_decision(store, str(path), decision, size=st.st_size, mtime_ns=st.st_mtime_ns)


def _photos(folder, names, *, whole_seconds=False):
    """Blurry photos ``names`` in ``folder``, each of its own size and time."""
    out = []
    for i, name in enumerate(names):
        path = save_jpeg(folder / name, blurred(textured(i + 1), 4.0))
        t = SUB_SECOND - SUB_SECOND % 1_000_000_000 if whole_seconds else SUB_SECOND
        t += i * 1_000_000_000
        os.utime(path, ns=(t, t))
        out.append(path)
    return out


def _rename_all(moves: dict):
    """Rename old -> new for each, all at once (a swap or a rotation of names)."""
    temps = {old: old.with_name(old.name + ".tmp") for old in moves}
    for old, temp in temps.items():
        os.rename(old, temp)
    for old, new in moves.items():
        os.rename(temps[old], new)


def _decided(db, path):
    st = os.stat(path)
    with Store(db) as store:
        return decisions.decision_for(store, str(path), st.st_size, st.st_mtime_ns)


def _plan(tmp_path, db, **kw):
    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", **kw)
    return {p.photo for p in plan.photos}, {s.path: s.reason for s in plan.skipped}

def _kept_and_discarded(tmp_path, **kw):
    """A library of A.jpg and B.jpg (``_photos``), scanned, A kept and B discarded: ``(lib, a, b, db)``."""
    lib = tmp_path / "lib"
    a, b = _photos(lib, ["A.jpg", "B.jpg"], **kw)
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    _decide(db, b, "discard")
    return lib, a, b, db



def test_a_kept_and_a_discarded_photo_whose_names_were_swapped_keep_their_decisions(tmp_path):
    lib, a, b, db = _kept_and_discarded(tmp_path)
    _rename_all({a: b, b: a})  # the kept photo is B.jpg now, the discarded one A.jpg
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(a)].verdict == records[str(b)].verdict == "blurry"
    assert _decided(db, b) == "keep" and _decided(db, a) == "discard"
    assert _plan(tmp_path, db, all_flagged=True)[0] == {str(a)}  # the discarded photo, never the kept one
    assert _plan(tmp_path, db)[0] == {str(a)}
    report = run("report", lib, env={"COLUMNS": "200"})
    assert report.exit_code == 0, report.output
    shown = {p: line for p in (str(a), str(b)) for line in report.output.splitlines() if line.endswith(" " + p)}
    assert "blurry (kept)" in shown[str(b)] and "blurry (discarded)" in shown[str(a)], report.output


@pytest.mark.parametrize("chunk", [1, 2, 5000])
def test_a_rotation_of_names_takes_each_decision_to_its_photo(tmp_path, monkeypatch, chunk):
    """Photo C, undecided, is now under the kept photo's name: the keep goes to its photo (B.jpg) and leaves
    A.jpg, where it protected photo C as "made on an earlier version of this file" (the keep was copied, not
    moved); each file in its own lookup chunk (blurscan.pipeline.LOOKUP_CHUNK), two in one, or all in one."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", chunk)
    lib = tmp_path / "lib"
    a, b, c = _photos(lib, ["A.jpg", "B.jpg", "C.jpg"])
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    _decide(db, b, "discard")
    _rename_all({a: b, b: c, c: a})  # C.jpg, undecided, now under the kept photo's name
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert (_decided(db, b), _decided(db, c)) == ("keep", "discard")
    with Store(db) as store:
        assert decisions.get(store, str(a)) is None  # no decision was made on this photo (C.jpg's, undecided)
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == {str(c), str(a)} and str(a) not in skipped  # photo C, blurry, as before the rotation


@pytest.mark.parametrize("chunk", [1, 2])
def test_a_swap_across_two_lookup_chunks_carries_both_decisions(tmp_path, monkeypatch, chunk):
    """The scan looks its files up in chunks (blurscan.pipeline.LOOKUP_CHUNK): with the two halves of the swap in
    two chunks, the keep went to its photo but the discard was dropped (A.jpg, looked up first, still held the
    keep not carried yet), and the discarded photo was to review again. Both go to their photos now."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", chunk)
    lib, a, b, db = _kept_and_discarded(tmp_path)
    _rename_all({a: b, b: a})
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert (_decided(db, b), _decided(db, a)) == ("keep", "discard")
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == {str(a)} and str(a) not in skipped
    assert _plan(tmp_path, db)[0] == {str(a)}  # the discards alone: the discarded photo


def test_a_swap_the_scan_cannot_tell_still_leaves_the_kept_photo(tmp_path):
    """Times of whole seconds (zip archives, copies from a FAT card) under other names: not enough to tell the
    file (blurscan.renamed's rule), so no decision is carried; the keep, whose name holds another file now,
    still protects the photo of its suffix, size and time, as a keep on a path with no file does."""
    lib, a, b, db = _kept_and_discarded(tmp_path, whole_seconds=True)
    _rename_all({a: b, b: a})
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _decided(db, b) is None  # not carried
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(b) not in chosen
    assert "marked keep as A.jpg" in skipped[str(b)] and "another file under that name now" in skipped[str(b)]


def test_a_swap_in_a_sub_folder_whose_own_database_holds_the_keep_leaves_the_kept_photo(tmp_path):
    """Kept and discarded in lib/2024's own database (scan lib/2024, review, then scan lib), then swapped: the
    library's database holds no decision to carry, and the sub-folder's keep names a path with another file."""
    lib = tmp_path / "lib"
    a, b = _photos(lib / "2024", ["A.jpg", "B.jpg"])
    sub = str(lib / "2024" / ".blurscan.db")
    list(blurscan.scan([lib / "2024"], SETTINGS, db=sub))
    _decide(sub, a, "keep")
    _decide(sub, b, "discard")
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _rename_all({a: b, b: a})
    list(blurscan.scan([lib], SETTINGS, db=db))
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(b) not in chosen and "marked keep in" in skipped[str(b)]


def test_a_decision_goes_only_to_a_file_with_the_bytes_decided_on(tmp_path):
    """A file of the kept photo's size and time (to the nanosecond) but other bytes is not the kept photo: the
    stored record's sample tells them apart (blurscan.replaced), and the keep is not carried to it (the keep
    still leaves it where it is: it may be the kept photo)."""
    from PIL import Image

    lib = tmp_path / "lib"
    lib.mkdir()
    a, other = lib / "A.tif", lib / "B.tif"
    Image.fromarray(blurred(textured(1), 4.0)).save(a, format="TIFF")  # uncompressed: one size for one shape
    os.utime(a, ns=(SUB_SECOND, SUB_SECOND))
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    Image.fromarray(blurred(textured(2), 4.0)).save(other, format="TIFF")
    os.utime(other, ns=(SUB_SECOND, SUB_SECOND))
    assert os.path.getsize(other) == os.path.getsize(a)
    Image.fromarray(blurred(textured(3), 4.0)).save(a, format="TIFF")  # another picture under the kept name
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _decided(db, other) is None
    assert str(other) not in _plan(tmp_path, db, all_flagged=True)[0]
