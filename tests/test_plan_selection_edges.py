"""What a plan takes at the edges of its selection: ``--under`` a folder takes nothing from a sibling folder whose
name merely begins the same way, a RAW twin selected with its photo moves once, and a link named like a sidecar
stays (the actions move regular files only)."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import execute, plan_move, undo
from blurscan.records import ScanRecord
from helpers_images import blurred, save_jpeg, textured
from helpers_library import build_library, decide, snapshot


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    yield tmp_path, store, files
    store.close()


def test_under_a_folder_takes_nothing_from_a_sibling_whose_name_begins_the_same(lib):
    tmp_path, store, f = lib
    sibling = tmp_path / "lib" / "b" / "cd" / "IMG_9.jpg"
    save_jpeg(sibling, blurred(textured(9, (120, 160))))
    st = os.stat(sibling)
    store.put([ScanRecord(path=str(sibling), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                          format="JPEG")], "test")
    decide(store, f["IMG_4"], "discard")
    decide(store, str(sibling), "discard")
    plan = plan_move(store, tmp_path / "rejects", under=str(tmp_path / "lib" / "b" / "c"))
    assert [p.photo for p in plan.photos] == [f["IMG_4"]]


def test_a_raw_twin_discarded_with_its_photo_moves_once_with_its_sidecars(lib):
    """IMG_1.JPG and its RAW twin IMG_1.CR2 both discarded (a RAW scanned as a photo of its own): each file of
    theirs is in the plan once (the JPG's group took the RAW again, with its sidecar: their second move found
    them gone, "missing", and the batch ended partial)."""
    tmp_path, store, f = lib
    raw = f["IMG_1.CR2"]
    st = os.stat(raw)
    store.put([ScanRecord(path=raw, verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns, format="RAW")],
              "test")
    decide(store, f["IMG_1"], "discard")
    decide(store, raw, "discard")
    before = snapshot(tmp_path / "lib")
    plan = plan_move(store, tmp_path / "rejects")
    srcs = [op.src for op in plan.files]
    assert sorted(srcs) == sorted([f["IMG_1"], raw, f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"]])
    result = execute(store, plan)
    assert result.failed == [] and result.skipped == [] and len(result.moved) == 4
    assert undo(store).complete and snapshot(tmp_path / "lib") == before


def test_a_link_named_like_a_sidecar_stays_where_it_is(lib):
    tmp_path, store, f = lib
    target = tmp_path / "elsewhere.xmp"
    target.write_text("not the photo's")
    link = tmp_path / "lib" / "b" / "c" / "IMG_4.jpg.xmp"
    os.symlink(target, link)
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    assert [src for src, _dst in result.moved] == [f["IMG_4"]]
    assert os.path.islink(link) and os.readlink(link) == str(target) and target.read_text() == "not the photo's"
