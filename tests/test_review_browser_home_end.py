"""Home, End, Page Up and Page Down move the selection, in a real headless Chromium: in the grid to the first or the
last photo, or a screenful of rows up or down; in the bursts view to the first or the last shot, or a screenful of
groups up or down. They scrolled the page only, the selection left where it was (the next arrow brought the view
back to it), so a keyboard user reached a photo far down a long list with the arrows only, a row at a time, where
a mouse user scrolls and clicks. (In the detail view, zoomed, they pan the photo: test_review_browser_a11y.py.)

The browser and the generated library are in ``helpers_browser.py``.
"""
from __future__ import annotations

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

PHOTOS = 300

#: the selected card wholly in the window (the page scrolls in fractions of a pixel)
_IN_VIEW = """(() => { const c = document.querySelector('#grid .card.selected');
    if (!c) return false;
    const r = c.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1; })()"""


def test_home_end_and_the_page_keys_move_the_selection_through_a_long_list(sync_api, tmp_path):
    db = generated_library(tmp_path, PHOTOS, burst_size=3)
    with review_page(sync_api, db) as (page, origin, errors):
        page.focus("#grid")
        page.keyboard.press("End")
        wait_true(page, "state.sel === %d && %s" % (PHOTOS - 1, _IN_VIEW))
        assert page.get_attribute("#grid", "aria-activedescendant") == f"card-{PHOTOS - 1}"
        page.keyboard.press("Home")
        wait_true(page, "state.sel === 0 && %s" % _IN_VIEW)
        # a screenful of rows down and back: the selection in view, whole rows at a time
        cols, rows = page.evaluate("[view.cols, Math.floor(window.innerHeight / view.pitch)]")
        assert cols > 1 and rows > 1
        page.keyboard.press("PageDown")
        wait_true(page, "state.sel === %d && %s" % (cols * rows, _IN_VIEW))
        page.keyboard.press("PageDown")
        wait_true(page, "state.sel === %d && %s" % (2 * cols * rows, _IN_VIEW))
        page.keyboard.press("PageUp")
        wait_true(page, "state.sel === %d && %s" % (cols * rows, _IN_VIEW))
        page.keyboard.press("ArrowRight")  # the arrows go on from there, the view with them
        wait_true(page, "state.sel === %d && %s" % (cols * rows + 1, _IN_VIEW))
        page.keyboard.press("PageUp")
        page.keyboard.press("PageUp")  # (past the first row: the first photo)
        wait_true(page, "state.sel === 0 && %s" % _IN_VIEW)
        # the bursts view: the first and the last shot, the keyboard focus on its card
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        page.keyboard.press("End")
        last = "document.activeElement.matches('#bursts .card.selected') && state.burstSel === %d"
        wait_true(page, last % (PHOTOS - 1))
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(f"IMG_{PHOTOS - 1:05d}.jpg")
        page.keyboard.press("Home")
        wait_true(page, last % 0)
        # the header's controls keep their own keys: End in the Sort select is its last option
        page.keyboard.press("Escape")
        wait_true(page, "state.view === 'grid'")
        page.focus("#sort")
        page.keyboard.press("End")
        wait_true(page, "document.getElementById('sort').value === 'name'")
        assert page.evaluate("state.sel") == 0
        assert errors == []



#: the bursts view's selected shot wholly in the window, with the keyboard focus on its card
_SHOT = """(() => { const c = document.querySelector('#bursts .card.selected');
    if (!c || document.activeElement !== c || state.burstSel !== %d) return false;
    const r = c.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1; })()"""


def test_the_page_keys_move_the_selection_through_the_bursts_view(sync_api, tmp_path):
    """Page Up / Page Down in the bursts view: a screenful of groups up / down, the selection keeping its place in
    its group (a shorter group's last shot); past the first or the last group, the first or the last shot. Until
    2026-12-06 they scrolled the page only there, the selection left behind (the next arrow brought the view back
    to it), as Home / End did until earlier that day; the page's key hint lists them with the keys that move."""
    from blurscan.store import Store

    db = generated_library(tmp_path, PHOTOS, burst_size=3)
    with Store(db) as store, store.transaction() as conn:  # groups of 3 and 2 shots in turn
        conn.execute("DELETE FROM burst_groups WHERE group_id % 2 = 0 AND rank = 3")
    sizes = [3 if g % 2 == 0 else 2 for g in range(PHOTOS // 3)]

    def shot(group, place):  # (its index in the bursts view's order)
        return sum(sizes[:group]) + min(place, sizes[group] - 1)

    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        # a window three groups high (an odd number: a group of 3 shots to one of 2, and back)
        pitch = page.evaluate("burstView.pitch")
        page.set_viewport_size({"width": 1280, "height": int(3.5 * pitch)})
        assert page.evaluate("Math.floor(window.innerHeight / burstView.pitch)") == 3
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # the third shot of the first group
        wait_true(page, _SHOT % shot(0, 2))
        page.keyboard.press("PageDown")  # (a group of 2 shots: its last)
        wait_true(page, _SHOT % shot(3, 1))
        page.keyboard.press("PageDown")
        wait_true(page, _SHOT % shot(6, 1))
        page.keyboard.press("PageUp")
        wait_true(page, _SHOT % shot(3, 1))
        page.keyboard.press("ArrowRight")  # the arrows go on from there
        wait_true(page, _SHOT % shot(4, 0))
        page.keyboard.press("PageUp")
        wait_true(page, _SHOT % shot(1, 0))
        page.keyboard.press("PageUp")  # (past the first group: the first shot)
        wait_true(page, _SHOT % 0)
        page.keyboard.press("End")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        wait_true(page, _SHOT % shot(98, 2))
        page.keyboard.press("PageDown")  # (past the last group: the last shot)
        wait_true(page, _SHOT % (sum(sizes) - 1))
        assert errors == []


def test_the_key_hint_says_the_detail_view_scrolls_with_home_end_and_the_page_keys(sync_api, scanned):
    """The key hint listed Home / End / PgUp / PgDn with the arrows, as if for every view: in the detail view (a
    photo opened) they scroll that view, as a page's keys do (its information below the photo in a short window:
    test_review_browser_a11y.py), never to another photo, so End for the last photo there did nothing the hint
    had said. They stay the view's (a low-vision reader's way down to the information; the arrows step through
    the photos there), and the hint says which views they move the selection in (since 2026-12-06)."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        hint = " ".join(page.inner_text(".hint").split())
        assert ("move (in the grid and the bursts view Home End to the first / last, PgUp PgDn a screenful; in a "
                "photo opened they scroll its view)") in hint, hint
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail' && state.detail?.id === current().id")
        title = page.inner_text("#detail-title")
        page.keyboard.press("End")
        assert page.evaluate("state.sel") == 0 and page.inner_text("#detail-title") == title
        assert errors == []
