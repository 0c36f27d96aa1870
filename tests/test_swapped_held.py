"""A decided photo renamed by hand onto the name of a kept photo that was renamed away (blurscan.renamed's
carry_decisions, blurscan.swapped's SwapCarrier.held). The decision carried onto that name replaced the keep
there, made on the other photo, before the scan knew where that photo went: when the scan could not tell (a time
of whole seconds under another name, or the kept photo copied too) or was stopped before it looked (Ctrl-C), the
keep was gone for good, and `move --all-blurry` took the kept photo. The keep now gives way only once it is
carried to its photo, or when no file of the scan can be its photo. Real scans of generated blurry photos (model
"none": the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil

import pytest

import blurscan

from test_keeps_sub_folder import SETTINGS
from test_swapped import SUB_SECOND, _decide, _decided, _photos, _plan


@pytest.fixture(params=[1, 5000])
def chunk(request, monkeypatch):
    """The scan's lookup chunk (blurscan.pipeline.LOOKUP_CHUNK): each file in its own, or all in one."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", request.param)
    return request.param


def _kept_and_discarded(tmp_path):
    """A library of a kept A.jpg and a discarded V.jpg, scanned and decided."""
    lib = tmp_path / "lib"
    a, v = _photos(lib, ["A.jpg", "V.jpg"])
    db = str(lib / ".blurscan.db")
    return lib, a, v, db


def _scan_and_decide(lib, db, a, v):
    list(blurscan.scan([lib], SETTINGS, db=db))
    _decide(db, a, "keep")
    _decide(db, v, "discard")


def test_a_kept_photo_the_scan_cannot_follow_stays_protected_when_a_discarded_one_takes_its_name(tmp_path, chunk):
    """The kept A.jpg (a time of whole seconds) renamed D.jpg: not enough to tell it is the kept photo; the
    discarded V.jpg renamed A.jpg. The keep under A.jpg, now another file's name, protected D.jpg; replaced by
    V's discard, it protected nothing."""
    lib, a, v, db = _kept_and_discarded(tmp_path)
    whole = SUB_SECOND - SUB_SECOND % 1_000_000_000 + 100_000_000_000
    os.utime(a, ns=(whole, whole))
    _scan_and_decide(lib, db, a, v)
    d = lib / "D.jpg"
    os.rename(a, d)
    os.rename(v, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(d) not in chosen and "marked keep as A.jpg" in skipped[str(d)]
    assert str(a) not in chosen  # photo V, under a keep made on photo A: to review again (never the kept photo)


def test_a_kept_photo_renamed_and_copied_stays_protected_when_a_discarded_one_takes_its_name(tmp_path, chunk):
    """The kept A.jpg renamed D.jpg and copied to E.jpg with its time: which is the kept one cannot be told, so the
    keep stays under A.jpg, protecting both, instead of giving way to the discard of V.jpg renamed A.jpg."""
    lib, a, v, db = _kept_and_discarded(tmp_path)
    _scan_and_decide(lib, db, a, v)
    d, e = lib / "D.jpg", lib / "E.jpg"
    os.rename(a, d)
    shutil.copy2(d, e)
    os.rename(v, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert not chosen & {str(d), str(e)}
    assert "marked keep as A.jpg" in skipped[str(d)] and "marked keep as A.jpg" in skipped[str(e)]


def test_a_scan_stopped_before_it_finds_the_kept_photo_loses_no_keep(tmp_path, monkeypatch):
    """The kept A.jpg renamed D.jpg, the discarded V.jpg renamed A.jpg, and the scan stopped (Ctrl-C) after the
    lookup chunk of A.jpg, before that of D.jpg: the keep was replaced by V's discard and D.jpg, found by the next
    scan, was undecided. The keep now goes to D.jpg at the next scan."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", 1)
    lib, a, v, db = _kept_and_discarded(tmp_path)
    _scan_and_decide(lib, db, a, v)
    d = lib / "D.jpg"
    os.rename(a, d)
    os.rename(v, a)
    scan = blurscan.scan([lib], SETTINGS, db=db)
    assert next(scan).path == str(a)  # A.jpg's chunk looked up (and its record stored), D.jpg's not
    scan.close()
    assert _decided(db, a) is None  # (V's discard waits for the keep there to be carried)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _decided(db, d) == "keep"
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(d) not in chosen


def test_a_discarded_photo_renamed_onto_a_deleted_kept_ones_name_stays_discarded(tmp_path, chunk):
    """The kept A.jpg deleted, the discarded V.jpg renamed A.jpg: no file of the scan can be the kept photo, so its
    keep gives way to the discard carried there, as before."""
    lib, a, v, db = _kept_and_discarded(tmp_path)
    _scan_and_decide(lib, db, a, v)
    os.remove(a)
    os.rename(v, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert _decided(db, a) == "discard"
    assert _plan(tmp_path, db)[0] == {str(a)}


def test_a_copy_of_a_deleted_kept_photo_stays_protected_when_a_discarded_one_takes_its_name(tmp_path, chunk):
    """A copy of the kept A.jpg made with its time (C.jpg) before A.jpg was deleted, and the discarded V.jpg renamed
    A.jpg: the keep under A.jpg protects the copy (a keep whose name holds another file protects every photo of
    its suffix, size and time); replaced by V's discard, it left the copy to `move --all-blurry`."""
    lib, a, v, db = _kept_and_discarded(tmp_path)
    c = shutil.copy2(a, lib / "C.jpg")
    _scan_and_decide(lib, db, a, v)
    os.remove(a)
    os.rename(v, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    chosen, skipped = _plan(tmp_path, db, all_flagged=True)
    assert str(c) not in chosen and "marked keep as A.jpg" in skipped[str(c)]
