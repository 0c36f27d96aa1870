"""A review page left open once its server has stopped, or runs again (a new run: a new token, maybe another
port), in a real headless Chromium: a decision says it was not recorded, names the photo left undecided and
says what works (open the URL the new run prints; a reload of the old page cannot work). The old page said
"reload the page" when the server did not answer, and a refusal for want of the token (403) said only
"not authorised: ..." with no photo named, while the selection had moved on to the next one. The browser and the
sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser


def test_a_decision_refused_for_want_of_the_token_names_the_photo(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        page.context.clear_cookies()  # as after the server is started again: this page's cookie is no longer its
        page.keyboard.press("d")
        wait_true(page, "document.getElementById('toast').textContent.includes('not recorded')")
        assert page.inner_text("#toast") == (f"{names[0]}: discard not recorded: not authorised: open the URL "
                                             "printed by `blurscan review`")
        assert page.get_attribute("#grid .card[data-index='0']", "data-decision") == ""
        assert page.inner_text("#grid .card.selected .name") == names[1]  # moved on, as ever
        page.keyboard.press("u")  # nothing recorded: nothing to undo
        wait_true(page, "document.getElementById('toast').textContent === 'nothing to undo in this tab'")
        assert errors == []
