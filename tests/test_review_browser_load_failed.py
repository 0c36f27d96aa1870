"""The photo list refused by the server (or not answered) in a real headless Chromium: the reason stays in the
grid's place, and the toast says it as a refusal, until the next key. Until 2026-12-05 it was a toast of 2.5 s
over an empty page, which then said nothing at all (the first load), or over the old list under the new filter's
name (a filter changed). The browser and the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

import json

import pytest

from helpers_browser import review_page, wait_true
from helpers_routes import ServerRoutes

pytestmark = pytest.mark.browser

REFUSED = "internal error of the review server (RuntimeError): the list broke"


def _refuse_items(routes: ServerRoutes):
    """Every photo list refused by the server, as its internal error does."""
    return routes.answer("/api/items?*", 500, json.dumps({"error": REFUSED}))


def test_a_first_list_refused_says_why_in_place(sync_api, scanned):
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    with ReviewServer(db, port=0) as server:
        _refuse_items(routes := ServerRoutes())
        routes.install(server.app)
        browser = sync_api.browser
        try:
            page = browser.new_context().new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            wait_true(page, "!document.getElementById('empty').hidden")
            assert page.locator("#empty").inner_text() == f"The photos could not be loaded: {REFUSED}"
            assert page.evaluate("document.getElementById('toast').getAttribute('aria-live')") == "assertive"
            assert errors == []
        finally:
            sync_api.close_contexts()


def test_a_list_refused_after_a_filter_change_is_not_shown_under_the_new_filter(sync_api, scanned):
    photos, db = scanned
    routes = ServerRoutes()
    with review_page(sync_api, db, routes=routes) as (page, origin, errors):
        assert page.locator("#grid .card").count() == 4
        refused = _refuse_items(routes)
        page.select_option("#filter", "all")
        wait_true(page, "!document.getElementById('empty').hidden")
        assert page.locator("#empty").inner_text() == f"The photos could not be loaded: {REFUSED}"
        assert page.locator("#grid .card").count() == 0
        routes.forget(refused)
        page.select_option("#filter", "sharp")  # answered again: the list, and the usual words when empty
        wait_true(page, "document.querySelectorAll('#grid .card').length === 4")
        page.select_option("#filter", "errors")
        wait_true(page, "!document.getElementById('empty').hidden")
        assert page.locator("#empty").inner_text() == "Nothing to show with this filter."
        assert errors == []
