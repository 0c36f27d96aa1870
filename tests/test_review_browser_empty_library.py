"""A library with no photo at all, in a real headless Chromium: the grid says so, and what to do, where it said
"Nothing to show with this filter." (until 2026-12-06), as if another filter would show some. A filter that leaves
none in a library of photos keeps its words. The browser is in ``helpers_browser.py``."""
from __future__ import annotations

import pytest

from blurscan.errors import shell_path
from blurscan.store import Store
from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

NO_PHOTOS = "No photos in this library yet: run {}, then reload this page."


@pytest.mark.parametrize("name", [".blurscan.db", "my pics.db"])
def test_an_empty_library_says_it_holds_no_photo(sync_api, tmp_path, name):
    """The scan it names fills the database shown: the library's folder, or `--db FILE FOLDER` for a database of
    another name (until 2026-12-07 `blurscan scan FOLDER`, which filled FOLDER's own database, not that one)."""
    db = tmp_path / "my lib" / name
    db.parent.mkdir()
    with Store(db):
        pass  # (a library scanned when its folder held no photo)
    scan = f"blurscan scan {shell_path(db.parent)}" if name == ".blurscan.db" else \
        f"blurscan scan --db {shell_path(db)} FOLDER"
    NO_PHOTOS = globals()["NO_PHOTOS"].format(scan)
    with review_page(sync_api, db) as (page, origin, errors):
        wait_true(page, "!document.getElementById('empty').hidden")
        assert page.locator("#empty").inner_text() == NO_PHOTOS
        page.select_option("#filter", "all")  # no filter shows any: the same words, said to a screen reader too
        wait_true(page, "document.getElementById('announce').textContent !== ''")
        assert page.locator("#empty").inner_text() == NO_PHOTOS
        assert page.locator("#announce").inner_text() == NO_PHOTOS
        assert errors == []


def test_a_filter_that_leaves_none_keeps_its_words(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.select_option("#filter", "errors")
        wait_true(page, "!document.getElementById('empty').hidden")
        assert page.locator("#empty").inner_text() == "Nothing to show with this filter."
        assert errors == []
