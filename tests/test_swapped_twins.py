"""Two stored copies of one photo (same suffix, size and time: imported twice, `cp -p`), one discarded, then renamed
by hand so that both are gone from their names: the file left of them cannot be told apart, and takes no discard
(blurscan.renamed's lookup_renamed and blurscan.swapped's SwapCarrier each counted only their own kind of
candidate, a path with no file or a path with another file, and found one). Real scans of generated blurry photos
(model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os
import shutil

import pytest

import blurscan

from test_keeps_sub_folder import SETTINGS
from test_swapped import _decide, _photos, _plan


@pytest.fixture(params=[1, 5000])
def chunk(request, monkeypatch):
    """The scan's lookup chunk (blurscan.pipeline.LOOKUP_CHUNK): each file in its own, or all in one."""
    import blurscan.pipeline

    monkeypatch.setattr(blurscan.pipeline, "LOOKUP_CHUNK", request.param)
    return request.param


def _twins(tmp_path):
    """A.jpg, B.jpg and B2.jpg, a copy of B.jpg with its time, scanned."""
    lib = tmp_path / "lib"
    a, b = _photos(lib, ["A.jpg", "B.jpg"])
    b2 = lib / "B2.jpg"
    shutil.copy2(b, b2)
    db = str(lib / ".blurscan.db")
    list(blurscan.scan([lib], SETTINGS, db=db))
    return lib, a, b, b2, db


def test_the_undecided_twin_renamed_onto_a_name_takes_no_discard_of_the_other(tmp_path, chunk):
    """B.jpg discarded, then overwritten by photo A (`mv A.jpg B.jpg`), and the undecided twin B2.jpg renamed
    A.jpg: the discard (under a name that holds another file now) went to A.jpg, and `move` took the one copy
    left of that picture, which was never discarded."""
    lib, a, b, b2, db = _twins(tmp_path)
    _decide(db, b, "discard")
    os.rename(a, b)
    os.rename(b2, a)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert str(a) not in _plan(tmp_path, db)[0]


def test_the_undecided_twin_renamed_takes_no_discard_of_the_deleted_one(tmp_path, chunk):
    """B2.jpg discarded and deleted, its undecided twin B.jpg renamed X.jpg and photo A renamed B.jpg: the discard
    of the vanished B2.jpg went to X.jpg (blurscan.renamed counted B.jpg, still there, as a copy in its place),
    and `move` took the one copy left of that picture."""
    lib, a, b, b2, db = _twins(tmp_path)
    _decide(db, b2, "discard")
    x = lib / "X.jpg"
    os.rename(b, x)
    os.rename(a, b)
    os.remove(b2)
    list(blurscan.scan([lib], SETTINGS, db=db))
    assert str(x) not in _plan(tmp_path, db)[0]
