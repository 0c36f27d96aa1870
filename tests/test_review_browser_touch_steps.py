"""The review page's detail view on a touch screen (a phone, a tablet, in a real headless Chromium with touch
emulation): Previous / Next buttons and a sideways swipe step through the list as the arrow keys do, and the keys'
help is closed behind a "Keys" summary there. Until 2026-12-07 a photo opened on a touch screen had no way to the
next but Close and a tap on its card, and the keys' help filled much of a phone's first screen. The browser and
the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

PHONE = (390, 844)
TABLET = (820, 1180)
SHOWN = "state.view === 'detail' && $('detail-title').textContent === state.items[%d].name"


def _touch_page(sync_api, db, size):
    return review_page(sync_api, db, size[0], size[1], is_mobile=True, has_touch=True)


def _open_first(page):
    page.locator("#grid .card").first.tap()
    wait_true(page, SHOWN % 0)


def _disabled(page, button):
    return page.get_attribute(f"#{button}", "aria-disabled") == "true"


@pytest.mark.parametrize("size", [PHONE, TABLET], ids=["phone", "tablet"])
def test_previous_and_next_step_through_the_list_by_touch(sync_api, scanned, size):
    photos, db = scanned
    with _touch_page(sync_api, db, size) as (page, origin, errors):
        count = page.evaluate("state.items.length")
        assert count == 4
        _open_first(page)
        for button in ("btn-prev", "btn-next"):  # within the window, a finger's size at least
            box = page.locator(f"#{button}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] and box["height"] >= 24, (button, box)
        assert _disabled(page, "btn-prev") and not _disabled(page, "btn-next")
        # at the first photo (dimmed, marked unavailable, still a button): nothing moves, the message line says why
        page.tap("#btn-prev", force=True)
        wait_true(page, "$('toast').textContent === 'the first photo of the list'")
        assert page.evaluate("state.sel") == 0 and page.evaluate(SHOWN % 0)
        for i in range(1, count):
            page.tap("#btn-next")
            wait_true(page, SHOWN % i)
        assert _disabled(page, "btn-next") and not _disabled(page, "btn-prev")
        page.tap("#btn-next", force=True)  # at the last: nothing moves
        wait_true(page, "$('toast').textContent === 'the last photo of the list'")
        assert page.evaluate("state.sel") == count - 1 and page.evaluate(SHOWN % (count - 1))
        page.tap("#btn-prev")
        wait_true(page, SHOWN % (count - 2))
        wait_true(page, "$('full').complete && !$('full').classList.contains('loading')")
        page.tap("#btn-close")  # closed on the photo stepped to, selected in the grid
        wait_true(page, "state.view === 'grid'")
        assert page.evaluate("state.sel") == count - 2
        assert errors == []


def _swipe(page, points):
    """One finger put down at points[0], moved through the others and lifted (the browser's own touch input)."""
    cdp = page.context.new_cdp_session(page)
    x, y = points[0]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for x, y in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_sideways_swipe_steps_and_a_pinch_or_an_upward_swipe_does_not(sync_api, scanned):
    photos, db = scanned
    with _touch_page(sync_api, db, PHONE) as (page, origin, errors):
        _open_first(page)
        box = page.locator("#viewport").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        _swipe(page, [(x + 100, y), (x, y + 5), (x - 100, y + 10)])  # leftwards: the next photo
        wait_true(page, SHOWN % 1)
        _swipe(page, [(x - 100, y), (x, y), (x + 100, y)])  # rightwards: the previous
        wait_true(page, SHOWN % 0)
        _swipe(page, [(x - 100, y), (x + 100, y)])  # rightwards at the first: nothing moves
        wait_true(page, "$('toast').textContent === 'the first photo of the list'")
        _swipe(page, [(x, y + 100), (x - 60, y - 100)])  # mostly upwards: a scroll, not a step
        _swipe(page, [(x + 10, y), (x - 10, y)])  # a short slide: a tap, not a step
        page.tap("#btn-zoom")  # zoomed to 100 %: a swipe pans the photo, never a step
        wait_true(page, "state.zoom")
        _swipe(page, [(x + 100, y), (x - 100, y)])
        page.tap("#btn-zoom")
        wait_true(page, "!state.zoom")
        # two fingers (a pinch, spread sideways): the browser zooms the page, never a step; and the page zoomed in,
        # one finger pans it, never a step
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y, "id": 1}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [
            {"x": x, "y": y, "id": 1}, {"x": x + 20, "y": y, "id": 2}]})
        for spread in range(20, 200, 30):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x - spread / 2, "y": y, "id": 1}, {"x": x + 20 + spread / 2, "y": y, "id": 2}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": [{"x": x - 90, "y": y, "id": 1}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        cdp.detach()
        wait_true(page, "visualViewport.scale > 1.2")
        _swipe(page, [(x + 100, y), (x, y), (x - 100, y)])
        page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        assert page.evaluate("state.sel") == 0 and page.evaluate(SHOWN % 0)
        assert errors == []


def test_next_steps_through_a_burst_group_opened_from_the_bursts_view(sync_api, scanned):
    photos, db = scanned
    with _touch_page(sync_api, db, TABLET) as (page, origin, errors):
        page.tap("#tab-bursts")
        page.wait_for_selector("#bursts .card.selected")
        names = page.evaluate("burstPhotos().map((item) => item.name)")
        assert len(names) == 2
        page.locator("#bursts .card .thumb").first.tap()
        wait_true(page, f"state.view === 'detail' && $('detail-title').textContent === {names[0]!r}")
        page.tap("#btn-next")
        wait_true(page, f"$('detail-title').textContent === {names[1]!r}")
        assert _disabled(page, "btn-next")
        page.tap("#btn-next", force=True)
        wait_true(page, "$('toast').textContent === 'the last photo of the list'")
        page.tap("#btn-prev")
        wait_true(page, f"$('detail-title').textContent === {names[0]!r}")
        assert errors == []


def test_previous_and_next_are_reached_and_pressed_with_the_keyboard(sync_api, scanned):
    """Named for a screen reader ("Previous (←)", "Next (→)", their keys given), in the Tab order before Close; an
    Enter on one steps and leaves the focus on it, so that pressed again it steps again."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("Enter")
        wait_true(page, SHOWN % 0)
        page.focus("#btn-close")
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "btn-next"
        assert page.get_by_role("button", name="Next (→)").get_attribute("aria-keyshortcuts") == "ArrowRight"
        page.keyboard.press("Enter")
        wait_true(page, SHOWN % 1)
        page.keyboard.press("Enter")
        wait_true(page, SHOWN % 2)
        assert page.evaluate("document.activeElement.id") == "btn-next"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "btn-prev"
        page.keyboard.press(" ")
        wait_true(page, SHOWN % 1)
        page.get_by_role("button", name="Previous (←)").click()  # a mouse too
        wait_true(page, SHOWN % 0)
        wait_true(page, "$('announce').textContent.endsWith('1 of 4')")  # (said once the steps settle)
        assert errors == []


def test_the_keys_help_is_closed_on_a_phone_and_open_with_a_mouse(sync_api, scanned):
    """The keys' help filled much of a phone's first screen (keys its person has none of). On a touch screen it is
    closed behind its "Keys" summary, a tap opens it; with a mouse it shows as before, with no summary."""
    photos, db = scanned
    with _touch_page(sync_api, db, PHONE) as (page, origin, errors):
        help_text = page.locator("#keys-help > p")
        assert not help_text.is_visible()
        summary = page.locator("#keys-help > summary")
        assert summary.is_visible() and summary.inner_text() == "Keys"
        assert page.locator("#move-hint").is_visible()  # (what to do once decided: shown still)
        # the grid's first photo within the phone's first screen, its name and verdict with it
        assert page.evaluate("document.querySelector('#grid .card').getBoundingClientRect().bottom") < PHONE[1]
        summary.tap()
        assert help_text.is_visible() and "Esc leaves it" in " ".join(help_text.inner_text().split())
        assert errors == []
    with review_page(sync_api, db) as (page, origin, errors):  # a mouse: open, no summary, as before
        assert page.locator("#keys-help > p").is_visible()
        assert not page.locator("#keys-help > summary").is_visible()
        assert errors == []


def test_axe_finds_nothing_on_a_phone(sync_api, scanned):
    """The phone's page (the keys' help closed) and its detail view (Previous at the first photo marked unavailable)
    pass axe's WCAG 2.x A / AA and best-practice rules (test_review_browser_axe.py)."""
    from test_review_browser_axe import _axe_script, _violations

    script = _axe_script()
    photos, db = scanned
    with review_page(sync_api, db, PHONE[0], PHONE[1], is_mobile=True, has_touch=True, bypass_csp=True) as (
            page, origin, errors):
        found = _violations(page, script, "grid")
        _open_first(page)
        wait_true(page, "document.getElementById('info').textContent.includes('Dimensions')")
        found += _violations(page, script, "detail")
        page.tap("#btn-next")
        wait_true(page, SHOWN % 1)
        found += _violations(page, script, "next")
        assert found == []
        assert errors == []
