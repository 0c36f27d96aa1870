"""The review page, in a real headless Chromium, when its database is made read-only while it is open (the
library's folder given no write bit: honoured by blurscan as root, refused by the system otherwise): a discard
is refused with a message naming the photo, what was not done and why (the server's 503, review/writes.py),
the photo left undecided; `u` is refused alike and the keep stays, and still to undo: once the folder may be
written again, `u` undoes it (the tab dropped it at the refusal, so the next `u` had nothing to undo).

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``); the server's answers in ``test_review_read_only.py``.
"""
from __future__ import annotations

import pytest

from blurscan.dbfile import read_only_hint
from helpers_browser import review_page, wait_true as _wait_true
from test_review_read_only import _not_writable

pytestmark = pytest.mark.browser

_TOAST = "document.getElementById('toast').textContent"


def test_a_decision_the_database_cannot_store_is_said_so_and_its_undo_kept(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        cards = page.locator("#grid .card")
        first, second = (cards.nth(i).locator("img").get_attribute("alt") for i in range(2))

        def press(key, api, status):
            with page.expect_response(lambda r: r.url == origin + api and r.status == status):
                page.keyboard.press(key)

        press("k", "/api/decision", 200)
        # (marked once the page has read the answer, a moment after it has come)
        _wait_true(page, "document.querySelector('#grid .card').dataset.decision === 'keep'")
        photos.chmod(0o555)
        try:
            refused = (f"{db}: cannot write: the database is read-only: its folder {photos} "
                       f"{_not_writable(photos)} ({read_only_hint()})")
            press("d", "/api/decision", 503)
            _wait_true(page, f"{_TOAST}.includes('not recorded')")
            assert page.inner_text("#toast") == f"{second}: discard not recorded: {refused}"
            assert [cards.nth(i).get_attribute("data-decision") for i in range(2)] == ["keep", ""]
            press("u", "/api/undo", 503)
            _wait_true(page, f"{_TOAST}.includes('not undone')")
            assert page.inner_text("#toast") == f"{first}: keep not undone: {refused}"
            assert cards.nth(0).get_attribute("data-decision") == "keep"
            assert "1 kept" in page.inner_text("#summary")
        finally:
            photos.chmod(0o755)
        page.keyboard.press("u")  # the keep, still this tab's to undo (it said "nothing to undo in this tab")
        _wait_true(page, f"!{_TOAST}.includes('not undone')")
        assert page.inner_text("#toast") == f"undone: keep of {first}"
        assert cards.nth(0).get_attribute("data-decision") == ""
        assert "0 kept" in page.inner_text("#summary")
        assert errors == []
