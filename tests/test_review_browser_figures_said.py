"""The review page's header figures told to a screen reader as they change: after a keep or discard it heard the
decision (the toast, a live region) but not the new counts, which were in no live region. Now a polite live region
of their own says them once a change: never as the page loads, never again when a poll brings the same figures.
In a real headless Chromium (``helpers_browser.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

#: every text the live region ``#figures-said`` was given, recorded as it changes
_RECORD = """(() => { window.__said = [];
    const region = document.getElementById('figures-said');
    new MutationObserver(() => window.__said.push(region.textContent))
        .observe(region, { childList: true, characterData: true, subtree: true });
})()"""

_FIGURES = "`${state.summary.undecided} to review, ${state.summary.kept} kept, ${state.summary.discarded} discarded`"


def test_the_header_figures_are_said_once_each_time_they_change(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        region = page.locator("#figures-said")
        assert region.get_attribute("aria-live") == "polite" and region.get_attribute("aria-atomic") == "true"
        page.evaluate(_RECORD)
        before = page.evaluate(_FIGURES)
        assert region.text_content() == ""  # (not as the page loads: the list's photo count is said then)
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("d")
        wait_true(page, "window.__said.length > 0")
        after = page.evaluate(_FIGURES)
        assert after != before and page.evaluate("window.__said") == [after]
        # polls bringing the same figures (the tab shown again): nothing said again
        page.evaluate("refreshDecisions()")
        page.evaluate("refreshDecisions()")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__said") == [after]
        with page.expect_response(lambda r: r.url == origin + "/api/undo" and r.status == 200):
            page.keyboard.press("u")
        wait_true(page, "window.__said.length > 1")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__said") == [after, before]
        assert errors == []
