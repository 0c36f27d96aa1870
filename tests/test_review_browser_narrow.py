"""The detail view on a phone-width window (375-414 px), in a real headless Chromium: the picture takes the
window's width, the information below it at full width. The old page kept the information panel 280 px wide
beside the picture, which was left some 95 px of a 375-px window. The browser and the sample library are in
``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import artifacts, review_page, wait_true

pytestmark = pytest.mark.browser

BOXES = """(() => { const box = (id) => { const r = document.getElementById(id).getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height, bottom: r.bottom }; };
    return { full: box('full'), info: box('info') }; })()"""


@pytest.mark.parametrize("width", [375, 414])
def test_the_detail_view_on_a_phone_shows_the_photo_at_the_windows_width(sync_api, scanned, width):
    photos, db = scanned
    with review_page(sync_api, db, width=width, height=800) as (page, origin, errors):
        page.keyboard.press("Enter")
        page.wait_for_selector("#detail:not([hidden])")
        wait_true(page, "document.getElementById('full').complete && document.getElementById('full').naturalWidth > 0"
                        " && !document.getElementById('full').classList.contains('loading')")
        wait_true(page, "document.getElementById('info').textContent.includes('Dimensions')")
        boxes = page.evaluate(BOXES)
        page.screenshot(path=str(artifacts() / f"review-detail-{width}px.png"))
        # the sample photos are wider than tall: the picture fits the window's width (the old page: ~95 px)
        assert boxes["full"]["width"] >= width - 10, boxes
        assert boxes["info"]["width"] >= width - 10, boxes  # below it, at full width
        assert boxes["info"]["top"] >= boxes["full"]["bottom"] - 1, boxes
        assert boxes["info"]["bottom"] <= 801, boxes  # within the window (it scrolls inside)
        assert errors == []


def test_the_detail_view_on_a_wide_window_keeps_the_information_beside_the_photo(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db, width=1280, height=800) as (page, origin, errors):
        page.keyboard.press("Enter")
        wait_true(page, "document.getElementById('info').textContent.includes('Dimensions')")
        boxes = page.evaluate(BOXES)
        assert boxes["info"]["width"] == 280 and boxes["info"]["left"] >= 1280 - 281, boxes
        assert errors == []


def test_a_long_message_wraps_within_the_window_and_small_sizes_read_in_bytes(sync_api, scanned):
    """A toast naming a long file name (one word, no space to wrap at) ran off both sides of a phone-width
    window; it wraps within it. A file under 1 kB (a sidecar in the Size line) read "0 kB"."""
    photos, db = scanned
    with review_page(sync_api, db, width=375, height=800) as (page, origin, errors):
        page.evaluate("toast(isolate('IMG_' + '0123456789'.repeat(30) + '.jpg') + ': discard')")
        box = page.evaluate("(() => { const r = document.getElementById('toast').getBoundingClientRect();"
                            " return [r.left, r.right]; })()")
        assert box[0] >= 0 and box[1] <= 375, box
        assert page.evaluate("[mb(0), mb(300), mb(999), mb(1500), mb(2.5e6)]") == [
            "0 bytes", "300 B", "999 B", "2 kB", "2.5 MB"]
        assert errors == []
