"""A decision key held down in a real headless Chromium decides once: k, d and u act on a press, not on the
key's repeats. Each decision moves the selection on to the next photo, so until 2026-12-06 holding d down
discarded a run of photos the person never looked at (and holding u undid a run of decisions); the bursts view's
Space and the switches b, z and m act once a press too, the arrows on each repeat. The browser and the libraries
are in ``helpers_browser.py``."""
from __future__ import annotations

import time

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


def _scrolled_to(page) -> int:
    """The page's scrollY once it has stopped moving (the same over 150 ms: a smooth scroll's end), within 15 s."""
    deadline, last = time.monotonic() + 15, None
    while True:
        now = page.evaluate("window.scrollY")
        if now == last or time.monotonic() > deadline:
            return now
        last = now
        page.wait_for_timeout(150)


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


def test_space_held_down_in_the_bursts_view_is_one_keeper_choice_that_one_u_undoes(sync_api, scanned):
    """Space makes the selected shot the keeper; held down, each repeat was sent before the first was answered (the
    card not yet the keeper), and until 2026-12-06 each was a choice of its own: one u undid the last only, the
    shot stayed the keeper (and marked keep) while the page said "undone", as a double click on Make keeper did."""
    from blurscan.store import Store

    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        wait_true(page, "document.querySelector('#bursts .card.selected .name').textContent === 'chelsea_blurred.jpg'")
        _hold(page, " ", 3)
        wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent === 'chelsea_blurred.jpg'")
        page.wait_for_timeout(500)  # (the repeats' choices would have been answered by now)
        page.keyboard.press("u")
        wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent === 'chelsea.jpg'")
        with Store(db) as store:
            assert [r[0] for r in store.conn.execute("SELECT DISTINCT chosen_by FROM burst_groups")] == ["auto"]
        assert _stored(db) == {}
        assert errors == []


def test_b_m_and_z_held_down_switch_once(sync_api, scanned):
    """b (the bursts view), m (the blur map) and z (zoom) switch once a press: held down, until 2026-12-06 each
    repeat switched back and forth, and the view (the map, the zoom) a held key left depended on how many repeats
    the key sent."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        _hold(page, "b", 3)
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.wait_for_timeout(500)  # (the repeats' switches would have been made by now)
        assert page.is_visible("#bursts") and page.is_hidden("#grid")
        _hold(page, "b", 2)
        wait_true(page, "!document.getElementById('grid').hidden")
        page.wait_for_timeout(500)
        assert page.is_hidden("#bursts")
        page.locator("#grid .card", has_text="coffee_blurred.jpg").click()  # (the photo with a blur map)
        wait_true(page, "document.getElementById('btn-map').getAttribute('aria-disabled') === 'false'")
        _hold(page, "m", 1)
        _hold(page, "z", 1)
        page.wait_for_timeout(500)
        assert page.get_attribute("#btn-map", "aria-pressed") == "true" and page.locator("#map").is_visible()
        assert page.evaluate("state.zoom") is True
        assert errors == []


def test_space_held_down_in_the_grid_scrolls_the_page_on_each_repeat(sync_api, tmp_path):
    """Space in the grid is the browser's (a screenful down): only the bursts view's Space, a keeper choice, is
    once a press (mutation testing: a guard on Space's repeats in every view went unnoticed)."""
    db = generated_library(tmp_path, 60)
    with review_page(sync_api, db, 800, 400) as (page, origin, errors):
        # each press and repeat waited for until its (smooth) scroll has ended: on a loaded machine a fixed 300 ms
        # measured a scroll half done, and repeats sent within one scroll may be merged by the browser (a CI run
        # once reached 3 screenfuls of the 4 asked)
        before = 0
        page.keyboard.down(" ")
        for repeat in range(4):  # the press, then three repeats (a down before any up: Playwright's repeat)
            if repeat:
                page.keyboard.down(" ")
            wait_true(page, f"window.scrollY > {before}")
            before = _scrolled_to(page)
        page.keyboard.up(" ")
        assert before >= 3 * page.evaluate("window.innerHeight") / 2  # (four screenfuls of 400 px, each most of one)
        assert _stored(db) == {}
        assert errors == []
