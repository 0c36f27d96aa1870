"""Decisions carried by a scan when names were rotated by hand, or swapped across the scan's lookup chunks
(blurscan.swapped). A rotation A -> B, B -> C, C -> A of a kept A, a discarded B and an undecided C carried the
keep and the discard, but the keep was copied, not moved: it stayed under A.jpg, where photo C (never decided)
is now, and `move --all-blurry` left photo C "marked keep, made on an earlier version of this file", shown to
review again as if it were the kept photo edited. A swap whose two halves fell in two lookup chunks
(blurscan.pipeline.LOOKUP_CHUNK) carried the keep but dropped the discard, and a stale decision matched a file in
each of two chunks went to both (a discard to a copy of the discarded photo). Real scans of generated blurry
photos (model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil

import pytest

import blurscan
from blurscan.review import decisions
from blurscan.store import Store

from helpers_images import blurred, save_jpeg, textured
from test_keeps_sub_folder import SETTINGS
from test_swapped import SUB_SECOND, _decide, _decided, _kept_and_discarded, _photos, _plan, _rename_all

EARLIER = "made on an earlier version of this file"


@pytest.fixture(params=[1, 2, 5000])
def chunk(request, monkeypatch):
    """The scan's lookup chunk: each file in its own, two files in one, all in one."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", request.param)
    return request.param


def _row(db, path):
    """The decision stored under ``path``, whatever file it was made on (None: none)."""
    with Store(db) as store:
        found = decisions.get(store, str(path))
    return None if found is None else found.decision


def test_a_rotation_the_other_way_moves_the_discard_off_the_name_too(tmp_path, chunk):
    lib = tmp_path / "lib"
    a, b, c = _photos(lib, ["A.jpg", "B.jpg", "C.jpg"])
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "discard")
    _decide(db, b, "keep")
    _rename_all({a: b, b: c, c: a})
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert (_decided(db, b), _decided(db, c)) == ("discard", "keep")
    assert _row(db, a) is None
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == {str(b), str(a)} and str(a) not in skipped


def test_a_photo_renamed_onto_the_name_a_kept_one_left_gets_no_keep(tmp_path, chunk):
    """A chain with a vanished name: the kept A.jpg renamed D.jpg, then the undecided V.jpg renamed A.jpg (a
    move blurscan.renamed recognises: V.jpg is gone). Photo V was never kept."""
    lib = tmp_path / "lib"
    a, v = _photos(lib, ["A.jpg", "V.jpg"])
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    d = lib / "D.jpg"
    os.rename(a, d)
    os.rename(v, a)
    records = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records[str(a)].moved_from == str(v)
    assert _decided(db, d) == "keep" and _row(db, a) is None
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == {str(a)} and str(a) not in skipped


def test_a_keep_whose_name_a_moved_discard_took_in_an_earlier_chunk_still_goes_to_its_photo(tmp_path, chunk):
    """The kept A.jpg renamed D.jpg, then the discarded V.jpg renamed A.jpg: the scan carries V's discard to
    A.jpg (blurscan.renamed), replacing the keep there, made on another file. Looked up before D.jpg (in an
    earlier chunk), that left no keep to carry to D.jpg, and `move --all-blurry` took the kept photo."""
    lib = tmp_path / "lib"
    a, v = _photos(lib, ["A.jpg", "V.jpg"])
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    _decide(db, v, "discard")
    d = lib / "D.jpg"
    os.rename(a, d)
    os.rename(v, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert (_decided(db, d), _decided(db, a)) == ("keep", "discard")
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == {str(a)}


def test_a_new_file_under_the_name_a_kept_photo_left_stays_protected(tmp_path, chunk):
    """The kept A.jpg renamed B.jpg and a file no scan has seen written as A.jpg (an edited export of the kept
    photo?): the keep goes to B.jpg, and is copied, not moved: the file under A.jpg cannot be told from an edit
    of the kept photo, so the keep still leaves it (review it again), as the keep of a photo edited does."""
    lib = tmp_path / "lib"
    a, = _photos(lib, ["A.jpg"])
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    b = lib / "B.jpg"
    os.rename(a, b)
    save_jpeg(a, blurred(textured(7), 4.0))
    os.utime(a, ns=(SUB_SECOND + 5_000_000_000,) * 2)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _decided(db, b) == "keep" and _row(db, a) == "keep"
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert chosen == set() and EARLIER in skipped[str(a)]


def test_a_discard_goes_to_no_copy_of_the_discarded_photo_in_another_chunk(tmp_path, chunk):
    """Swapped, and the discarded photo (A.jpg now) copied with its time to 0.jpg: two files of its suffix,
    size and time, which of them was decided on cannot be told, so the discard goes to neither (a copy starts
    undecided), in one lookup chunk or in two."""
    lib, a, b, db = _kept_and_discarded(tmp_path)
    _rename_all({a: b, b: a})
    copy = shutil.copy2(a, lib / "0.jpg")  # first in the walk: looked up before A.jpg and B.jpg
    assert os.stat(copy).st_mtime_ns == os.stat(a).st_mtime_ns
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _row(db, copy) is None
    assert _decided(db, a) is None and _decided(db, b) == "keep"
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(b) not in chosen and str(a) not in chosen  # A.jpg: the keep left there still leaves it
    assert EARLIER in skipped[str(a)]


def test_a_discard_undone_while_the_scan_runs_is_not_carried(tmp_path):
    """The swaps are carried once every lookup chunk is looked at (blurscan.swapped.SwapCarrier): a discard
    undone in the review page meanwhile (open during the scan) is not carried to its photo from what was read
    before; the keep, which still stands, is."""
    from blurscan.records import ImageRef
    from blurscan.swapped import SwapCarrier

    lib, a, b, db = _kept_and_discarded(tmp_path)
    _rename_all({a: b, b: a})
    with Store(db) as store:
        swaps = SwapCarrier(store)
        swaps.look([ImageRef(str(p), os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in (a, b)])
        decisions.set_decision(store, str(b), None)  # the discard undone, under the name it was made on
        assert swaps.carry() == {str(b): str(a)}
    assert _decided(db, b) == "keep" and _row(db, a) == "keep"  # (made on photo A: A.jpg is to review again)
