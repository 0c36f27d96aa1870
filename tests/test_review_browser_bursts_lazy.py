"""The bursts view on thousands of shots, in a real headless Chromium: it draws the groups near the view only. It
drew every shot of every group at once (20,000 shots: seconds before the view showed, and each arrow key went
over every card), where it now draws a page of groups at a time, as they come near the view or hold the
selected shot, and everything still reaches every shot: the arrows across pages, Enter and the detail view's
arrows, Space far down the list, the scroll bar to either end. Speed is not asserted here: docs/review.md.

The browser is set up in ``helpers_browser.py`` (fixture ``sync_api`` in ``conftest.py``); the library is
written straight into a store: copies of one small generated JPEG, all flagged, in burst groups of 4 shots."""
from __future__ import annotations

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

PHOTOS = 3000
GROUPS = PHOTOS // 4
#: Cards in the bursts view at any time here: some 60-200 (the view drew all 3,000).
BOUND = 400
CARDS = "document.querySelectorAll('#bursts .card').length"
NEXT_FRAME = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
SELECTED = "document.querySelector('#bursts .card.selected .name')?.textContent"
# the selected card's group heading
HEADING = "document.querySelector('#bursts .card.selected').closest('.group').querySelector('h2').textContent"
# the card named NAME drawn, and on the screen (to a pixel)
IN_VIEW = """((name) => { const c = [...document.querySelectorAll('#bursts .card')]
  .find((c) => c.querySelector('.name').textContent === name);
  if (!c) return false;
  const r = c.getBoundingClientRect();
  return r.top >= -1 && r.bottom <= window.innerHeight + 1; })"""


def _name(i: int) -> str:
    return f"IMG_{i:05d}.jpg"


def _settle(page, frames: int = 3) -> None:
    for _ in range(frames):
        page.evaluate(NEXT_FRAME)


def _in_view(page, name: str) -> bool:
    return page.evaluate(f"{IN_VIEW}({name!r})")


def test_thousands_of_shots_drawn_as_they_come_near_and_every_one_reached(sync_api, tmp_path):
    db = generated_library(tmp_path, PHOTOS, burst_size=4)
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        assert page.evaluate(SELECTED) == _name(0)
        assert page.evaluate("state.bursts.length") == GROUPS
        assert 0 < page.evaluate(CARDS) <= BOUND  # (the old view: 3,000)
        assert page.inner_text("#bursts .group h2") == "Group 1 · 4 shots · keeper proposed"

        # the arrows through the first 150 shots, past the pages drawn at first, each shot in view as reached
        for presses in range(1, 151):
            page.keyboard.press("ArrowRight")
            if presses % 25 == 0:
                assert page.evaluate(SELECTED) == _name(presses)
                wait_true(page, f"{IN_VIEW}({_name(presses)!r})")
        assert page.evaluate(HEADING) == "Group 38 · 4 shots · keeper proposed"  # shots 148-151
        assert page.evaluate(CARDS) <= BOUND

        # the scroll bar to the bottom: the last group drawn (its keeper, its "Make keeper" buttons) and shown
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        wait_true(page, f"{IN_VIEW}({_name(PHOTOS - 1)!r})")
        last = page.locator("#bursts .group").filter(has_text=_name(PHOTOS - 1))
        assert last.locator("h2").inner_text() == f"Group {GROUPS} · 4 shots · keeper proposed"
        assert last.locator(".card.keeper .name").inner_text() == _name(PHOTOS - 4)
        assert last.locator(".make-keeper").count() == 3
        assert page.evaluate(CARDS) <= BOUND

        # a click there opens the shot; the detail view's arrows step on, Esc comes back with it selected
        last.locator(".card", has_text=_name(PHOTOS - 3)).click()
        wait_true(page, f"document.getElementById('detail-title').textContent === {_name(PHOTOS - 3)!r}")
        page.keyboard.press("ArrowRight")
        wait_true(page, f"document.getElementById('detail-title').textContent === {_name(PHOTOS - 2)!r}")
        page.keyboard.press("Escape")
        assert page.evaluate(SELECTED) == _name(PHOTOS - 2)
        assert _in_view(page, _name(PHOTOS - 2))

        # Space there: the selected shot made the keeper, still selected and where it was on the screen
        top = page.evaluate("document.querySelector('#bursts .card.selected').getBoundingClientRect().top")
        with page.expect_response(lambda r: r.url.startswith(origin + "/api/bursts/") and r.status == 200):
            page.keyboard.press("Space")
        wait_true(page, f"document.querySelector('#bursts .card.selected.keeper .name')?.textContent === "
                        f"{_name(PHOTOS - 2)!r}")
        assert page.evaluate(HEADING) == f"Group {GROUPS} · 4 shots · keeper chosen by a person"
        assert abs(page.evaluate("document.querySelector('#bursts .card.selected').getBoundingClientRect().top")
                   - top) <= 2
        assert page.evaluate(CARDS) <= BOUND

        # the arrows back to the first shot, across every page between (drawn as they are reached)
        page.evaluate("selectBurst(5)")
        for _ in range(5):
            page.keyboard.press("ArrowLeft")
        assert page.evaluate(SELECTED) == _name(0)
        wait_true(page, f"{IN_VIEW}({_name(0)!r})")
        assert errors == []


def test_the_space_left_for_groups_not_drawn_keeps_the_view_steady(sync_api, tmp_path):
    """The groups not drawn stand as empty space of their estimated height, so the scroll bar is the whole
    view's; a group drawn as the view scrolls up to it, taller or shorter than estimated, moves nothing on the
    screen."""
    db = generated_library(tmp_path, PHOTOS, burst_size=4)
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        estimated = page.evaluate("document.documentElement.scrollHeight")
        # the estimate made wrong on purpose (as groups of another height would), from the bottom up
        page.evaluate("burstView.pitch *= 0.7; setPlaceholders()")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        wait_true(page, f"{IN_VIEW}({_name(PHOTOS - 1)!r})")
        _settle(page)
        for _ in range(12):
            name = page.evaluate("""[...document.querySelectorAll('#bursts .card')]
              .find((c) => c.getBoundingClientRect().top >= 0).querySelector('.name').textContent""")
            at = page.evaluate(f"[...document.querySelectorAll('#bursts .card')].find((c) => "
                               f"c.querySelector('.name').textContent === {name!r}).getBoundingClientRect().top")
            page.evaluate("window.scrollBy(0, -600)")
            _settle(page)
            now = page.evaluate(f"[...document.querySelectorAll('#bursts .card')].find((c) => "
                                f"c.querySelector('.name').textContent === {name!r}).getBoundingClientRect().top")
            assert abs(now - (at + 600)) <= 2, (name, at, now)
        assert page.evaluate("burstView.pages.filter((p) => p.drawn).length") >= 3  # (one above the last at least)
        # everything drawn: the page as high as estimated at first (to a few percent)
        page.evaluate("burstView.pages.forEach(drawPage)")
        assert page.evaluate(CARDS) == PHOTOS
        drawn = page.evaluate("document.documentElement.scrollHeight")
        assert abs(drawn - estimated) / drawn < 0.03, (estimated, drawn)
        assert errors == []
