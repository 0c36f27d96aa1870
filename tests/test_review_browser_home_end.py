"""Home, End, Page Up and Page Down move the selection, in a real headless Chromium: in the grid to the first or
the last photo, or a screenful of rows up or down; in the bursts view to the first or the last shot. They scrolled
the page only, the selection left where it was (the next arrow brought the view back to it), so a keyboard user
reached a photo far down a long list with the arrows only, a row at a time, where a mouse user scrolls and
clicks. (In the detail view, zoomed, they pan the photo: test_review_browser_a11y.py.)

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
