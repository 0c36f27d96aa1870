"""The review page under a person's own display settings, in a real headless Chromium: a touch screen (a phone,
no hover) and print. The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and
``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

SEL = "rgb(78, 161, 255)"  # (app.css --sel: a hovered or pressed button's border)
PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}
BORDER = "(id) => getComputedStyle(document.getElementById(id)).borderTopColor"


def _phone_page(sync_api, db):
    options = dict(PHONE)
    return review_page(sync_api, db, options.pop("width"), options.pop("height"), **options)


def test_a_tapped_button_does_not_stay_highlighted_on_a_touch_screen(sync_api, scanned):
    """A touch screen keeps the last element tapped "hovered": the button's hover border (blue, the pressed
    buttons' colour) stayed on it. On a phone the Blur map button tapped off still looked on, and after Keep the
    next photo's Keep button looked chosen. The hover border is for a pointer that hovers only."""
    photos, db = scanned
    with _phone_page(sync_api, db) as (page, origin, errors):
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.locator("#grid .card", has_text="coffee_blurred.jpg").tap()  # (the photo with a blur map)
        page.wait_for_selector("#detail:not([hidden])")
        wait_true(page, "$('map').children.length > 0")
        page.tap("#btn-map")
        assert page.evaluate("$('btn-map').getAttribute('aria-pressed')") == "true"
        page.tap("#btn-map")
        assert page.evaluate("$('btn-map').getAttribute('aria-pressed')") == "false"
        assert page.evaluate(BORDER, "btn-map") != SEL  # off, and looking it
        first = page.evaluate("state.sel")
        page.tap("#btn-keep")
        wait_true(page, f"state.sel === {first + 1} && state.items[{first}].decision === 'keep'")
        assert page.evaluate("state.items[state.sel].decision") is None
        assert page.evaluate(BORDER, "btn-keep") != SEL  # (the next photo: nothing chosen on it)
        page.tap("#btn-close")
        page.tap("#btn-undo-page")
        assert page.evaluate(BORDER, "btn-undo-page") != SEL
        assert errors == []


def test_a_hovered_button_is_still_highlighted_for_a_mouse(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.hover("#btn-undo-page")
        assert page.evaluate(BORDER, "btn-undo-page") == SEL
        assert errors == []
