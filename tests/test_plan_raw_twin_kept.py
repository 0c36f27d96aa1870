"""A RAW file the person kept while it was alone in its folder, and a JPEG of the same name put beside it since
(an export, another camera's photo): the scan judges the two as one photo under the JPEG's name, and a move,
trash or tag of that JPEG took the kept RAW with it as its "RAW twin" (`would move x/IMG_1.jpg [discard] (with
IMG_1.CR2)`). The JPEG is now left, saying why, and the RAW with it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from blurscan.actions import plan_move, plan_trash
from blurscan.actions.plan import plan_tag
from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "lib"
    save_jpeg(root / "x" / "S.jpg", textured(1))
    raw = root / "x" / "IMG_1.CR2"
    raw.write_bytes(os.urandom(4096))  # (not a RAW a decoder reads: a photo all the same, listed with its error)
    other = root / "x" / "IMG_2.CR2"
    other.write_bytes(os.urandom(4096))
    db = tmp_path / "x.db"
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    store = Store(db)
    decide(store, str(raw), "keep")
    # later: a JPEG of each name beside the RAWs, scanned as pairs, discarded in the review
    for name, seed in (("IMG_1.jpg", 2), ("IMG_2.jpg", 3)):
        save_jpeg(root / "x" / name, blurred(textured(seed), 6))
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    for name in ("IMG_1.jpg", "IMG_2.jpg"):
        decide(store, str(root / "x" / name), "discard")
    yield root, store, tmp_path
    store.close()


def test_a_photo_whose_raw_twin_is_kept_is_left_with_the_reason(library):
    root, store, tmp_path = library
    plan = plan_move(store, tmp_path / "rejects")
    moved = {f.src for f in plan.files}
    assert moved == {str(root / "x" / "IMG_2.jpg"), str(root / "x" / "IMG_2.CR2")}  # a twin not kept still goes
    assert str(root / "x" / "IMG_1.CR2") not in moved and str(root / "x" / "IMG_1.jpg") not in moved
    reasons = {s.path: s.reason for s in plan.skipped}
    assert reasons[str(root / "x" / "IMG_1.jpg")] == "its RAW twin IMG_1.CR2 is a photo you marked keep"
    trash = plan_trash(store)
    assert str(root / "x" / "IMG_1.CR2") not in {f.src for f in trash.files}
    assert [c.path for c in plan_tag(store)[0]] == [str(root / "x" / "IMG_2.jpg")]


def test_the_kept_raw_is_found_whatever_the_case_of_its_name(library):
    root, store, tmp_path = library
    os.rename(root / "x" / "IMG_1.jpg", root / "x" / "img_1.jpg")  # (as a camera or an export may name it)
    from blurscan.store import db_path

    with store.transaction() as conn:
        conn.execute("UPDATE images SET path = ? WHERE path = ?", (db_path(str(root / "x" / "img_1.jpg")),
                                                                   db_path(str(root / "x" / "IMG_1.jpg"))))
        conn.execute("UPDATE decisions SET path = ? WHERE path = ?", (db_path(str(root / "x" / "img_1.jpg")),
                                                                      db_path(str(root / "x" / "IMG_1.jpg"))))
    plan = plan_move(store, tmp_path / "rejects")
    assert str(root / "x" / "IMG_1.CR2") not in {f.src for f in plan.files}
    assert {s.path: s.reason for s in plan.skipped}[str(root / "x" / "img_1.jpg")] == \
        "its RAW twin IMG_1.CR2 is a photo you marked keep"


def test_the_dry_run_names_a_kept_raw_twin_safely_for_the_terminal(tmp_path):
    """The reason names the twin as every other reason names a file: an escape character or a byte that is not
    UTF-8 in its name as ``\\xNN`` (until 2026-12-05 the ESC went raw to the terminal in the dry run's `skip`
    line, where it could retitle or clear it, and the byte \\xe9 was written as it was)."""
    from helpers_cli import run

    root = tmp_path / "lib"
    save_jpeg(root / "S.jpg", textured(1))
    stem = os.fsdecode(os.fsencode(str(root)) + b"/caf\xe9\x1b")
    raw = stem + ".CR2"
    with open(raw, "wb") as f:
        f.write(os.urandom(4096))
    db = tmp_path / "x.db"
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    with Store(db) as store:
        decide(store, raw, "keep")
    save_jpeg(Path(stem + ".jpg"), blurred(textured(2), 6))
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    with Store(db) as store:
        decide(store, stem + ".jpg", "discard")
    result = run("move", root, "--db", db, "--to", tmp_path / "rejects")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\udce9" not in result.output
    assert "skip caf\\xe9\\x1b.jpg: its RAW twin caf\\xe9\\x1b.CR2 is a photo you marked keep\n" in result.stdout
