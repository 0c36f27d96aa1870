"""The review page, in a real headless Chromium, on a photo kept in another library database above it
(review/elsewhere.py): its card and detail view show it kept, saying where, whatever is decided here.

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``); the counts behind the page in ``test_review_elsewhere.py``.
"""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true as _wait_true

pytestmark = pytest.mark.browser


def test_a_photo_kept_in_a_database_above_shows_kept_and_stays_so_when_discarded_here(sync_api, scanned):
    from blurscan.store import Store
    from helpers_library import decide

    photos, db = scanned
    above = photos.parent / ".blurscan.db"  # a library database in the folder above: an earlier scan's
    with Store(above) as other:
        decide(other, str(photos / "coffee_blurred.jpg"), "keep")
    with review_page(sync_api, db) as (page, origin, errors):
        card = page.locator("#grid .card", has_text="coffee_blurred.jpg")
        assert card.get_attribute("data-decision") == "" and card.get_attribute("data-kept-elsewhere") == "1"
        assert card.locator(".decision").inner_text() == "KEEP"
        assert card.locator(".elsewhere").inner_text() == f"marked keep in {above}"
        assert "3 to review · 1 kept · 0 discarded" in page.inner_text("#summary")
        card.click()  # the detail view
        page.wait_for_selector("#detail:not([hidden])")
        _wait_true(page, "document.getElementById('info').textContent.includes('Kept elsewhere')")
        assert page.inner_text("#detail-badges .decision-inline") == "keep (elsewhere)"
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("d")
        _wait_true(page, "document.getElementById('toast').textContent.includes('blurscan move leaves it')")
        assert page.inner_text("#toast") == (f"coffee_blurred.jpg: discard here, but marked keep in {above}: "
                                             "blurscan move leaves it where it is")
        page.keyboard.press("Escape")
        _wait_true(page, "document.querySelector(\"#grid .card[data-decision='discard']\") !== null")
        assert card.get_attribute("data-decision") == "discard" and card.locator(".decision").inner_text() == "KEEP"
        # (a screen reader says it as the card shows it: kept elsewhere, never "discarded")
        assert card.get_attribute("aria-label").endswith(", kept elsewhere")
        assert "3 to review · 1 kept · 0 discarded" in page.inner_text("#summary")
        assert errors == []
