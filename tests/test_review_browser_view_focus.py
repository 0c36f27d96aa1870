"""The keyboard focus shows where it is when a view as a whole has it: the detail view as it opens (its keys step,
zoom and decide), and the bursts view with no shot to put it on. In a real headless Chromium
(``helpers_browser.py``; fixtures ``sync_api`` and ``scanned`` in ``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import generated_library, review_page, wait_true
from test_review_browser_low_vision import _CONTRAST

pytestmark = pytest.mark.browser

#: the focused element's id, whether its focus is the keyboard's, and its ring: style, width and its contrast
#: against the background it is drawn on (the element's own: the ring is drawn inside its edge)
_RING = "(() => {" + _CONTRAST + """const a = document.activeElement, s = getComputedStyle(a);
    return [a.id, a.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth),
            ratio(s.outlineColor, background(a))]; })()"""


def _ring_shown(ring, element: str) -> None:
    name, keyboard, style, width, contrast = ring
    assert name == element and keyboard, ring
    assert style == "solid" and width >= 2 and contrast >= 3, ring


def test_the_detail_view_shows_the_focus_it_takes_as_it_opens(sync_api, scanned):
    """Enter opens the detail view with the keyboard focus on the view itself (a modal dialog, its keys the
    arrows, k, d, z, m): it had the browser's own ring, near-black (#101010) on the view's black, 1.1:1, so
    nothing on the screen showed where the focus was until Tab reached a button. The view has a 2-px ring in the
    text's colour now, inside the window's edge; the same as a step with the arrows keeps it there."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail' && document.activeElement.id === 'detail'")
        _ring_shown(page.evaluate(_RING), "detail")
        page.keyboard.press("ArrowRight")
        wait_true(page, "state.sel === 1")
        _ring_shown(page.evaluate(_RING), "detail")
        assert errors == []


def test_the_bursts_view_with_no_group_shows_the_focus(sync_api, tmp_path):
    """b where every burst group is left out (a shot of its two deleted since) shows the bursts view's notes, the
    keyboard focus on the view itself (no shot's card to put it on): it had the browser's own ring, 1.1:1 on
    the page's dark grey."""
    db = generated_library(tmp_path, 2, burst_size=2)
    (db.parent / "IMG_00001.jpg").unlink()
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        wait_true(page, "state.view === 'bursts' && document.activeElement.id === 'bursts'")
        wait_true(page, "document.getElementById('bursts').textContent.includes('No burst group to show')")
        _ring_shown(page.evaluate(_RING), "bursts")
        assert errors == []


#: The information panel's scroll position each key takes it to.
_SCROLLED_TO = {"Home": "$('info').scrollTop === 0",
                "End": "$('info').scrollTop + $('info').clientHeight >= $('info').scrollHeight - 1"}


def _scrolled_by(page, *keys: str) -> None:
    """Press each of ``keys`` (Home, End) and wait until the photo's information has scrolled where it takes it."""
    for key in keys:
        page.keyboard.press(key)
        wait_true(page, _SCROLLED_TO[key])


def test_the_photos_information_is_reached_and_scrolled_by_the_keys(sync_api, scanned):
    """The detail view's information (the file, its figures, the blur map's table) scrolls where the window is too
    small for it all (600 x 700 here: below the picture, 40 % of the view; a laptop's 1000 x 600 with a camera's
    EXIF lines): Tab went round the view's buttons only and the arrow keys step the photos, so a keyboard user
    never saw its end (axe: scrollable-region-focusable, WCAG 2.1.1). Tab reaches it now, after the buttons
    (ringed, named), and there Page Down, End, Page Up and Home scroll it; the arrows still step."""
    photos, db = scanned
    with review_page(sync_api, db, width=600, height=700) as (page, origin, errors):
        page.evaluate("select(state.items.findIndex((item) => item.name === 'coffee_blurred.jpg'))")
        page.keyboard.press("Enter")
        wait_true(page, "document.querySelector('#info table') !== null")
        at = page.evaluate("state.sel")
        assert page.evaluate("$('info').scrollHeight > $('info').clientHeight + 20")  # (it scrolls)
        page.focus("#btn-close")
        page.keyboard.press("Tab")
        _ring_shown(page.evaluate(_RING), "info")
        assert page.evaluate("$('info').getAttribute('aria-label')") == "photo information"
        _scrolled_by(page, "End", "Home")
        page.keyboard.press("PageDown")
        wait_true(page, "$('info').scrollTop > 0")
        assert page.evaluate("state.sel") == at and page.evaluate("state.view") == "detail"
        page.keyboard.press("Tab")  # round to the first button, and back
        assert page.evaluate("document.activeElement.id") == "btn-keep"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "info"
        page.keyboard.press("z")  # zoomed, Home and End pan the photo: not while the information has the focus
        wait_true(page, "state.zoom")
        page.focus("#info")
        _scrolled_by(page, "Home", "End")
        page.keyboard.press("z")
        wait_true(page, "!state.zoom")
        page.focus("#info")
        page.keyboard.press("ArrowRight")  # the arrows still step the photos
        wait_true(page, f"state.sel === {at + 1}")
        assert errors == []
