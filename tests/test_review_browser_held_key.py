"""A decision key held down in a real headless Chromium decides once: k, d and u act on a press, not on the
key's repeats. Each decision moves the selection on to the next photo, so until 2026-12-06 holding d down
discarded a run of photos the person never looked at (and holding u undid a run of decisions). The browser and
the libraries are in ``helpers_browser.py``."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

DECIDED = "document.querySelectorAll('#grid .card[data-decision=\"keep\"], #grid .card[data-decision=\"discard\"]')"


def _stored(db) -> dict:
    from blurscan.store import Store

    with Store(db) as store:
        return {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}


def _hold(page, key: str, repeats: int) -> None:
    """``key`` pressed and held: Playwright sends each further ``down`` before an ``up`` as a repeat."""
    for _ in range(1 + repeats):
        page.keyboard.down(key)
    page.keyboard.up(key)


@pytest.mark.parametrize("key, decision", [("d", "discard"), ("k", "keep")])
def test_a_decision_key_held_down_decides_one_photo(sync_api, tmp_path, key, decision):
    db = generated_library(tmp_path, 6)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        _hold(page, key, 4)
        wait_true(page, f"{DECIDED}.length >= 1")
        page.wait_for_timeout(500)  # (the repeats' decisions would have been sent by now)
        assert _stored(db) == {names[0]: decision}
        assert page.evaluate(f"{DECIDED}.length") == 1
        # a press after the key was let go is the next decision, on the photo selected since
        page.keyboard.press(key)
        wait_true(page, f"{DECIDED}.length >= 2")
        assert _stored(db) == {names[0]: decision, names[1]: decision}
        assert errors == []


def test_undo_held_down_undoes_one_decision(sync_api, tmp_path):
    db = generated_library(tmp_path, 6)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        for _ in range(3):
            page.keyboard.press("d")
            page.wait_for_timeout(100)
        wait_true(page, f"{DECIDED}.length >= 3")
        _hold(page, "u", 4)
        wait_true(page, f"{DECIDED}.length <= 2")
        page.wait_for_timeout(500)
        assert _stored(db) == {names[0]: "discard", names[1]: "discard"}
        assert errors == []


def test_an_arrow_key_held_down_moves_on_with_each_repeat(sync_api, tmp_path):
    """Only k, d and u are once a press: an arrow held down still goes through the photos, a photo a repeat, in
    the grid and in the detail view (mutation testing: a guard on every key's repeats went unnoticed)."""
    db = generated_library(tmp_path, 8)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        _hold(page, "ArrowRight", 3)
        wait_true(page, "document.querySelector('#grid .card.selected')?.dataset.index === '4'")
        page.keyboard.press("Enter")  # the detail view of the fifth photo
        wait_true(page, "!document.getElementById('detail').hidden")
        _hold(page, "ArrowLeft", 2)
        wait_true(page, "document.querySelector('#grid .card.selected')?.dataset.index === '1'")
        assert page.inner_text("#grid .card.selected .name") == names[1]
        assert _stored(db) == {}
        assert errors == []


def test_a_card_clicked_without_a_mouse_opens(sync_api, tmp_path):
    """A click with no click count (``detail`` 0: a screen reader's or voice control's activation, a script's
    ``element.click()``) opens the card as a mouse's single click does: only the second click of a double click
    is passed over (mutation testing: ``detail === 1`` went unnoticed)."""
    db = generated_library(tmp_path, 4)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        assert page.evaluate("(() => { let d = null; const c = document.querySelectorAll('#grid .card')[2];"
                             " c.addEventListener('click', (ev) => { d = ev.detail; }); c.click(); return d; })()") == 0
        wait_true(page, "!document.getElementById('detail').hidden")
        assert page.inner_text("#grid .card.selected .name") == names[2]
        assert errors == []
