"""Where the grid is as the review page changes around it, in a real headless Chromium: back from the bursts view,
from the detail view, and after the window is made narrower or wider, the grid shows what it showed, the
selected photo in view. Coming back from the bursts view showed the grid at its top (the page, as short as the
bursts view, had scrolled up); Space, Page Down or the mouse wheel in the detail view scrolled the grid behind
it, closed on another part of the list; and a window resized to another number of columns kept the card at the
top of the view in place, the selected one going off the screen below.

The browser is set up in ``helpers_browser.py`` (fixture ``sync_api`` in ``conftest.py``); the library is
written straight into a store: copies of one small generated JPEG, all flagged, in burst groups of 3 shots."""
from __future__ import annotations

import time

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

PHOTOS = 600
NEXT_FRAME = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
# the selected card's top and bottom on the screen (null: not drawn)
SELECTED = """(() => { const c = document.querySelector('#grid .card.selected');
  if (!c) return null;
  const r = c.getBoundingClientRect();
  return [r.top, r.bottom]; })()"""
# the first card drawn below the middle of the view (a photo the person clicked, say)
MIDDLE = """(() => Number([...document.querySelectorAll('#grid .card')]
  .find((c) => c.getBoundingClientRect().top > window.innerHeight / 2).dataset.index))()"""


def _settle(page, frames: int = 3) -> None:
    """A few frames run: a resize's observer and the page's drawing come with them."""
    for _ in range(frames):
        page.evaluate(NEXT_FRAME)


def _bursts_again(page) -> None:
    """b: the bursts view shown again, its groups read again and drawn. Its cards of before show at once, the
    groups on their way: a wait for a selected card was met by them, and the groups drawn after the test had
    scrolled the view selected the shot again, scrolling it back into view."""
    page.evaluate("window.burstsBefore = state.bursts")
    page.keyboard.press("b")
    wait_true(page, "state.bursts !== window.burstsBefore && "
                    "document.querySelector('#bursts .card.selected') !== null")


def _wholly_in_view(page) -> bool:
    top, bottom = page.evaluate(SELECTED)
    return top >= -1 and bottom <= page.evaluate("window.innerHeight") + 1  # (the page scrolls in fractions)


def _select_below_the_middle(page, y: int) -> tuple[int, list[float]]:
    """The grid scrolled to ``y``, a card below the middle of the view selected: its index and place."""
    page.evaluate(f"window.scrollTo(0, {y})")
    _settle(page)
    index = page.evaluate(MIDDLE)
    page.evaluate(f"select({index})")
    _settle(page)
    assert page.evaluate("window.scrollY") == y  # (in view already: not scrolled to)
    return index, page.evaluate(SELECTED)


def test_back_from_the_bursts_view_the_grid_is_where_it_was(sync_api, tmp_path):
    db = generated_library(tmp_path, PHOTOS, burst_size=3)
    with review_page(sync_api, db) as (page, origin, errors):
        index, place = _select_below_the_middle(page, 5000)
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("b")  # back to the grid: as it was, to the pixel
        _settle(page)
        assert page.evaluate("state.view") == "grid"
        assert page.evaluate("window.scrollY") == 5000  # (it was 0: the grid from its top)
        assert page.evaluate("state.sel") == index
        assert page.evaluate(SELECTED) == place

        # the bursts view scrolled down, then back up to its Photos tab (clicked): the same
        _bursts_again(page)
        page.evaluate("window.scrollTo(0, 1500)")
        _settle(page)
        page.click("#tab-photos")  # (scrolled into view first)
        _settle(page)
        assert page.evaluate("window.scrollY") == 5000
        assert page.evaluate(SELECTED) == place

        # the window made narrower while the bursts view shows (fewer columns): back in the grid, the selected
        # photo where it was on the screen, wholly in view
        _bursts_again(page)
        page.set_viewport_size({"width": 700, "height": 800})
        _settle(page)
        page.keyboard.press("b")
        _settle(page)
        assert page.evaluate("view.cols") == 3
        assert _wholly_in_view(page)
        assert abs(page.evaluate(SELECTED)[0] - place[0]) <= 2
        assert errors == []


def test_the_detail_view_leaves_the_grid_where_it_was(sync_api, tmp_path):
    db = generated_library(tmp_path, PHOTOS, burst_size=3)
    with review_page(sync_api, db) as (page, origin, errors):
        index, place = _select_below_the_middle(page, 5000)
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail'")
        # the keys and the wheel that scroll a page: the grid behind the photo stays where it is
        for key in ("Space", "PageDown", "End"):
            page.keyboard.press(key)
        page.mouse.move(640, 400)
        page.mouse.wheel(0, 3000)
        time.sleep(0.3)  # (a smooth scroll's time)
        _settle(page)
        assert page.evaluate("window.scrollY") == 5000
        page.keyboard.press("Escape")
        _settle(page)
        assert page.evaluate("state.view") == "grid"
        assert page.evaluate("window.scrollY") == 5000
        assert page.evaluate(SELECTED) == place

        # the arrows in the detail view: the grid follows the selection behind it, shown as the view closes
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail'")
        for _ in range(4):
            page.keyboard.press("ArrowDown")  # (one photo each, in the detail view)
        page.keyboard.press("PageDown")
        time.sleep(0.3)
        page.keyboard.press("Escape")
        _settle(page)
        assert page.evaluate("state.sel") == index + 4
        assert _wholly_in_view(page)

        # opened from the bursts view: the same there
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        for _ in range(30):
            page.keyboard.press("ArrowRight")
        _settle(page)
        y = page.evaluate("window.scrollY")
        assert y > 0
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail'")
        page.keyboard.press("PageDown")
        page.mouse.wheel(0, 3000)
        time.sleep(0.3)
        page.keyboard.press("Escape")
        _settle(page)
        assert page.evaluate("state.view") == "bursts"
        assert page.evaluate("window.scrollY") == y
        assert errors == []


def test_a_narrower_or_wider_window_keeps_the_selected_photo_in_view(sync_api, tmp_path):
    db = generated_library(tmp_path, PHOTOS)
    with review_page(sync_api, db) as (page, origin, errors):
        cols = page.evaluate("view.cols")
        index, place = _select_below_the_middle(page, 5000)
        for width in (700, 1800, 1000, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            _settle(page)
            assert page.evaluate("view.cols") != cols, width  # (another number of columns each time)
            cols = page.evaluate("view.cols")
            assert page.evaluate("state.sel") == index
            assert _wholly_in_view(page), (width, page.evaluate(SELECTED))
            assert abs(page.evaluate(SELECTED)[0] - place[0]) < 260, width  # about where it was

        # the selection scrolled off the screen (the scroll bar, the wheel): the card at the top stays there, as
        # before (a guard: it did so already)
        page.evaluate("window.scrollTo(0, 9000)")
        _settle(page)
        top = page.evaluate("topCard()")
        page.set_viewport_size({"width": 700, "height": 800})
        _settle(page)
        assert abs(page.evaluate(f"cardAt({top['index']}).getBoundingClientRect().top") - top["top"]) <= 2
        assert errors == []
