"""The page's JavaScript reads the server's error replies, one JSON shape (review/replies.py), in a real headless
Chromium: the line in ``error`` is what it shows, for a request (``api``) and for a picture (``refusal``), never the
JSON itself; a reply in another shape (HTML from something else on the way) is named by its status, never shown
as markup. The browser and the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

import os

import pytest

from helpers_browser import review_page
from helpers_routes import ServerRoutes

pytestmark = pytest.mark.browser

CAUGHT = "(p) => p.then(() => 'answered', (e) => e.message)"


def test_the_page_shows_the_line_of_each_error_reply(sync_api, scanned):
    photos, db = scanned
    routes = ServerRoutes()
    with review_page(sync_api, db, routes=routes) as (page, origin, errors):
        ident = page.evaluate("state.items[0].id")
        said = page.evaluate(f"({CAUGHT})(api('/api/item/not-an-id'))")
        assert said == "no such photo (not an id the page gives): reload the page"
        said = page.evaluate(f"({CAUGHT})(api('/api/decision', {{ id: '{ident}', decision: 'maybe' }}))")
        assert said == "decision must be keep, discard or null"
        name = page.evaluate("state.items[0].name")
        os.remove(photos / name)
        why = page.evaluate(f"refusal('/thumb/{ident}?v=' + encodeURIComponent(state.items[0].v))"
                            ".then((answer) => answer.why)")
        assert why.startswith(f"{name}: no longer at ") and "{" not in why
        # something else answering in HTML: its status, not its markup
        routes.answer("/api/folders", 502, "<html><h1>Bad Gateway</h1></html>", "text/html")
        said = page.evaluate(f"({CAUGHT})(api('/api/folders'))")
        assert said.startswith("the review server refused (502") and "<" not in said
        assert errors == []
