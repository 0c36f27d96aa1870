"""A photo whose RAW twin the person marked keep, shown kept on the review page and in ``report``'s table, as
``move`` leaves it (:func:`blurscan.actions.raw_keeps.kept_by_raw_twin`, called by
:func:`blurscan.actions.keeps.kept_elsewhere`). Until 2026-12-07 the page listed it to review, not kept, and
counted it so, while ``move`` skipped it: "its RAW twin ... is a photo you marked keep".

A Google Pixel's ``X.RAW-02.ORIGINAL.dng`` was a photo of its own until that day (:mod:`blurscan.pair_names`):
kept on the page then, it is the RAW twin of ``X.RAW-01.COVER.jpg`` from the next scan on, the keep on it
still stored. The same holds for a RAW kept while alone in its folder, a JPEG of its name put beside it since.
"""
from __future__ import annotations

import pytest
from PIL import Image

from helpers_browser import review_page, wait_true
from helpers_cli import run
from helpers_images import blurred, textured
from helpers_library import decide
from helpers_raw import write_dng

STEM = "PXL_20261201_101010123"
JPEG, DNG = f"{STEM}.RAW-01.COVER.jpg", f"{STEM}.RAW-02.ORIGINAL.dng"
REASON = f"its RAW twin {DNG} is a photo you marked keep"


def _library(tmp_path):
    """A blurry JPEG and a Pixel's DNG kept while it was a photo of its own, its cover JPEG scanned with it
    since: ``(folder, database)``."""
    from blurscan.store import Store

    lib = tmp_path / "DCIM"
    lib.mkdir()
    picture = blurred(textured(seed=3, size=(512, 768)), 4.0)
    write_dng(lib / DNG, picture)
    Image.fromarray(blurred(textured(seed=4, size=(240, 320)), 4.0)).save(lib / "other.jpg", quality=92)
    db = lib / ".blurscan.db"
    assert run("scan", lib, "--workers", "1").exit_code == 0
    with Store(db) as store:
        decide(store, str(lib / DNG), "keep")
    Image.fromarray(picture).save(lib / JPEG, quality=92)  # (the pair, as a scan since 2026-12-07 sees it)
    out = run("scan", lib, "--workers", "1", "--format", "jsonl")
    assert out.exit_code == 0 and JPEG in out.output and f'{DNG}"' not in out.output, out.output
    dry = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry")
    assert f"skip {JPEG}: {REASON}" in dry.output and "would move other.jpg" in dry.output, dry.output
    return lib, db


def test_report_marks_a_photo_kept_by_its_raw_twins_keep(tmp_path):
    lib, _db = _library(tmp_path)
    lines = run("report", lib).output.splitlines()
    (row,) = [line for line in lines if JPEG in line]
    assert "blurry (kept)" in row  # (was "blurry": the table said move would take it)
    (other,) = [line for line in lines if "other.jpg" in line]
    assert "(kept)" not in other


@pytest.mark.browser
def test_the_review_page_shows_a_photo_kept_by_its_raw_twins_keep_as_move_leaves_it(sync_api, tmp_path):
    _lib, db = _library(tmp_path)
    with review_page(sync_api, db) as (page, origin, errors):
        card = page.locator("#grid .card", has_text=JPEG)
        assert card.get_attribute("data-kept-elsewhere") == "1"
        assert card.locator(".decision").inner_text() == "KEEP"
        assert card.locator(".elsewhere").inner_text() == REASON
        assert "1 to review · 1 kept · 0 discarded" in page.inner_text("#summary")
        card.click()  # the detail view says why, as the dry run does
        page.wait_for_selector("#detail:not([hidden])")
        wait_true(page, "document.getElementById('info').textContent.includes('Kept elsewhere')")
        assert REASON in page.inner_text("#info")
        assert errors == []
