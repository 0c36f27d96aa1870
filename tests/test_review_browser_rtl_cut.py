"""The review page, in a real headless Chromium, on a photo whose name is written right to left (Hebrew, Arabic)
and is too long for its card or the detail view's bar: the name is cut at its end, with the ellipsis, and its
first words show, as a left-to-right name's do. The old page laid such a name out left to right (the page's
direction), the Hebrew run from the box's left edge: the box cut off the run's right end, where a right-to-left
name begins, and the ellipsis stood among its last words (``2024 והסבתא ... המלח עם…``, the first words hidden).
The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``)."""
from __future__ import annotations

import shutil

import pytest

from helpers_browser import review_page

pytestmark = pytest.mark.browser

NAME = "תמונה משפחתית בחופשה בים המלח עם הילדים והסבתא בקיץ 2024.jpg"
SHORT = "שלום.jpg"

#: for each element matched: [its first character's box within its own box, whether it is cut (wider than its box)]
FIRST_SHOWN = """(selector) => [...document.querySelectorAll(selector)].map((node) => {
    const range = document.createRange();
    range.setStart(node.firstChild, 0);
    range.setEnd(node.firstChild, 1);
    const first = range.getBoundingClientRect(), box = node.getBoundingClientRect();
    return [first.left >= box.left - 1 && first.right <= box.right + 1, node.scrollWidth > node.clientWidth];
})"""


@pytest.mark.parametrize("width", [1280, 375])
def test_a_long_right_to_left_name_shows_its_beginning(sync_api, scanned, width):
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan

    photos, db = scanned
    shutil.copy2(photos / "rocket_blurred.jpg", photos / NAME)
    shutil.copy2(photos / "rocket_blurred.jpg", photos / SHORT)
    list(scan([photos], ScanSettings(workers=1, model="none"), db=db))
    with review_page(sync_api, db, width=width) as (page, origin, errors):
        card = page.locator("#grid .card", has_text="משפחתית")
        names = [page.locator("#grid .card .name", has_text=text) for text in ("משפחתית", "שלום")]
        assert [n.inner_text() for n in names] == [NAME, SHORT]
        assert names[0].evaluate("(n) => n.scrollWidth > n.clientWidth")          # cut to fit its card ...
        shown = page.evaluate(FIRST_SHOWN, "#grid .card .name")
        assert len(shown) >= 3 and all(first for first, _ in shown), shown          # ... at its end
        # a name that fits sits where the other names do, at the card's left, the right-to-left one too
        lefts = page.evaluate("[...document.querySelectorAll('#grid .card .name')]"
                              ".filter((n) => n.scrollWidth <= n.clientWidth).map((n) => {"
                              "const r = document.createRange(); r.selectNodeContents(n);"
                              "return [n.textContent, Math.round(r.getBoundingClientRect().left"
                              " - n.getBoundingClientRect().left)]; })")
        assert SHORT in [name for name, _ in lefts] and {left for _, left in lefts} == {0}, lefts
        card.click()
        page.wait_for_selector("#detail:not([hidden])")
        assert page.inner_text("#detail-title") == NAME
        [(first, cut)] = page.evaluate(FIRST_SHOWN, "#detail-title")
        assert first, "the detail view's title shows the name's end, not its beginning"
        assert errors == []
