"""The review page's keys that belong to one view, in a real headless Chromium: the bursts view takes Down / Up as
Right / Left (and says the shot selected when the focus is not on its card), b gives it the focus, its group's
heading says a keeper chosen, and a shot whose keeper choice is refused for a file gone shows so; the detail
view's z and m, and b in a library without burst groups, do nothing in the grid; the message a key shows leaves
the screen. Found by hand-made mutations of app.js, api.js and bursts.js that no browser test noticed
(2026-12-06). The browser and the libraries are in ``helpers_browser.py``."""
from __future__ import annotations

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

SELECTED = "document.querySelector('#bursts .card.selected .name').textContent"


def test_the_bursts_view_takes_down_and_up_as_right_and_left_and_says_the_shot(sync_api, scanned):
    """Down and Up step through the shots as Right and Left do (the page's hint: the arrows move); with the focus
    off the shots' cards (on the page), the shot selected is said once the keys settle, as in the grid."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        assert page.evaluate(SELECTED) == "chelsea.jpg"
        # (a shot's thumbnail named for its photo: the card, a group, has its content read)
        assert page.get_attribute("#bursts .card.selected img", "alt") == "chelsea.jpg"
        page.keyboard.press("ArrowDown")
        assert page.evaluate(SELECTED) == "chelsea_blurred.jpg"
        page.keyboard.press("ArrowUp")
        assert page.evaluate(SELECTED) == "chelsea.jpg"
        # the focus on the page itself: no card read by the screen reader, so the live region says the shot
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("ArrowDown")
        wait_true(page, "document.getElementById('announce').textContent === 'chelsea_blurred.jpg, blurry, 2 of 2'")
        assert page.get_attribute("#announce", "aria-live") == "polite"  # (a live region: said as it changes)
        assert errors == []


def test_z_m_and_b_in_the_grid_of_a_library_without_bursts_open_nothing(sync_api, tmp_path):
    """z (zoom) and m (blur map) are the detail view's, b the bursts view's, which a library without burst groups
    does not have (its tab is hidden): in the grid z and m change nothing, and b opens no view (it says what finds
    burst groups: tests/test_review_browser_no_bursts.py). Else z left the next photo opened at 100 % (its arrows
    panning), m said "no blur map" of a photo not even opened, and b showed an empty bursts view."""
    db = generated_library(tmp_path, 3)
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.is_hidden("#tab-bursts")
        for key in "zm":
            page.keyboard.press(key)
        assert page.evaluate("document.getElementById('toast').classList.contains('idle')")  # (nothing said)
        page.keyboard.press("b")
        assert page.is_visible("#grid") and page.is_hidden("#bursts")
        wait_true(page, "document.getElementById('toast').textContent.startsWith('No burst groups')")
        page.keyboard.press("Enter")
        wait_true(page, "document.activeElement === document.getElementById('detail')")
        assert page.inner_text("#btn-zoom") == "100 % (z)"
        assert not page.evaluate("document.getElementById('viewport').classList.contains('zoomed')")
        assert page.get_attribute("#btn-map", "aria-pressed") == "false"
        assert errors == []


def test_the_message_of_a_decision_leaves_the_screen(sync_api, scanned):
    """The toast saying what a key did goes once read (its time on screen: api.js toast), never staying over the
    bottom row of cards for good."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        name = page.inner_text("#grid .card.selected .name")
        page.keyboard.press("d")
        wait_true(page, "document.getElementById('toast').textContent === %r" % f"{name}: discard")
        assert not page.evaluate("document.getElementById('toast').classList.contains('idle')")
        wait_true(page, "document.getElementById('toast').classList.contains('idle')")
        assert errors == []


def test_a_keeper_choice_is_said_in_its_group_and_a_shot_found_gone_shows_so(sync_api, scanned):
    """A shot made the keeper: its group's heading says a person chose it. A shot whose file was deleted while the
    page is open, its thumbnail seen: Space refuses (409), and its card says the file is gone in place of the
    thumbnail the browser still has, as a refused k or d does in the grid."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        # (the keyboard focus on the shot selected, not left on the grid b hid: a screen reader keeps its place)
        wait_true(page, "document.activeElement === document.querySelector('#bursts .card.selected')")
        heading = "document.querySelector('#bursts .group h2').textContent"
        assert page.evaluate(heading) == "Group 1 · 2 shots · keeper proposed"
        page.keyboard.press("ArrowRight")
        with page.expect_response(lambda r: "/keeper" in r.url and r.status == 200):
            page.keyboard.press("Space")
        wait_true(page, f"{heading} === 'Group 1 · 2 shots · keeper chosen by a person'")
        (photos / "chelsea.jpg").unlink()  # the keeper before, now the group's second shot
        page.keyboard.press("ArrowRight")
        assert page.evaluate(SELECTED) == "chelsea.jpg"
        with page.expect_response(lambda r: "/keeper" in r.url and r.status == 409):
            page.keyboard.press("Space")
        wait_true(page, "document.querySelector('#bursts .card.selected .noimg')?.textContent.startsWith("
                        "'chelsea.jpg: no longer at ')")
        assert page.get_attribute("#bursts .card.selected", "aria-label").endswith(", missing")
        assert errors == []
