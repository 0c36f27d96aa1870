"""A double click on Keep, Discard or Undo in a real headless Chromium acts once: the second click of a double
click is not another decision. Keep and Discard move on to the next photo at once, so until 2026-12-05 the
second click kept (or discarded) the next photo before it was even shown, and on Undo it undid this tab's
decision before the one meant. The browser and the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

#: The cards marked keep or discard.
DECIDED = "document.querySelectorAll('#grid .card[data-decision=\"keep\"], #grid .card[data-decision=\"discard\"]')"


def _stored(db) -> dict:
    from blurscan.store import Store

    with Store(db) as store:
        return {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}


def test_a_double_click_decides_and_undoes_once(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        page.keyboard.press("Enter")  # the detail view of the first photo, its Keep and Discard buttons
        wait_true(page, "!document.getElementById('detail').hidden")
        page.dblclick("#btn-keep")
        wait_true(page, f"{DECIDED}.length >= 1")
        page.wait_for_timeout(500)  # (a second decision would have been sent by now)
        assert _stored(db) == {names[0]: "keep"}
        page.dblclick("#btn-discard")
        wait_true(page, f"{DECIDED}.length >= 2")
        page.wait_for_timeout(500)
        assert _stored(db) == {names[0]: "keep", names[1]: "discard"}
        page.dblclick("#btn-undo")
        wait_true(page, f"{DECIDED}.length <= 1")
        page.wait_for_timeout(500)
        assert _stored(db) == {names[0]: "keep"}
        page.click("#btn-keep")  # single clicks still act each time (and a key, whose click has no count)
        page.click("#btn-keep")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 3")
        assert errors == []


def test_a_double_click_on_make_keeper_is_one_choice_that_one_u_undoes(sync_api, scanned):
    """Until 2026-12-05 it was two choices of the same shot: u undid the second only, and the shot stayed the
    keeper chosen (and marked keep) while the page said "undone"."""
    from blurscan.store import Store

    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.dblclick("#bursts .make-keeper")
        wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent === 'chelsea_blurred.jpg'")
        page.wait_for_timeout(500)  # (a second choice would have been answered by now)
        page.keyboard.press("u")
        wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent === 'chelsea.jpg'")
        with Store(db) as store:
            assert [r[0] for r in store.conn.execute("SELECT DISTINCT chosen_by FROM burst_groups")] == ["auto"]
            assert _stored(db) == {}
        assert errors == []


def test_a_double_click_on_close_closes_the_detail_view_and_leaves_the_selection(sync_api, tmp_path):
    """The detail view closes at the first click of a double click on Close: the second click went to the card
    the grid, scrolled down, had under the button, and opened that photo in the detail view, the selection
    moved to it (until 2026-12-06). A card acts on one click, never on the second of a double click."""
    from helpers_browser import generated_library

    db = generated_library(tmp_path, 200)
    with review_page(sync_api, db) as (page, origin, errors):
        for _ in range(12):  # (down the list: the grid scrolled, its cards under the detail view's buttons)
            page.keyboard.press("ArrowDown")
        wait_true(page, "window.scrollY > 300")
        selected = page.evaluate("state.sel")
        page.keyboard.press("Enter")
        wait_true(page, "!document.getElementById('detail').hidden")
        box = page.locator("#btn-close").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.keyboard.press("Escape")
        # (the setting this test needs: a card of the grid under the Close button)
        assert page.evaluate(f"Boolean(document.elementFromPoint({x}, {y}).closest('#grid .card'))")
        page.keyboard.press("Enter")
        wait_true(page, "!document.getElementById('detail').hidden")
        page.dblclick("#btn-close")
        assert page.is_hidden("#detail")
        assert page.evaluate("state.sel") == selected and page.evaluate("state.view") == "grid"
        assert errors == []
