"""The browser tests' one Chromium (``helpers_browser.Chromium``, the ``sync_api`` fixture in ``conftest.py``):
each test's pages in browser contexts of their own, closed when it ends, and a browser that crashed or was
closed launched again for the next page, so that one broken browser never fails the tests after it."""
from __future__ import annotations

import pytest

from helpers_browser import review_page

pytestmark = pytest.mark.browser


def test_a_browser_closed_under_the_tests_is_launched_again(sync_api, scanned):
    photos, db = scanned
    closed = sync_api.browser
    launches = sync_api.launches
    closed.close()  # as a crash leaves it: no longer connected
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.context.browser is not closed and page.context.browser.is_connected()
        assert page.evaluate("state.items.length") == 4
        assert errors == []
    assert sync_api.launches == launches + 1


def test_each_page_has_a_context_of_its_own_closed_when_done(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db, width=640, height=360) as (page, origin, errors):
        page.evaluate("localStorage.setItem('left-behind', '1')")
        assert page.viewport_size == {"width": 640, "height": 360}
        assert sync_api.browser.contexts == [page.context]
    assert sync_api.browser.contexts == []
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.viewport_size == {"width": 1280, "height": 800}
        assert page.evaluate("localStorage.getItem('left-behind')") is None
        assert errors == []
