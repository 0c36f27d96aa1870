"""The detail view's picture and information in the window, in a real headless Chromium: zoomed, the arrows pan
only where there is something to pan; in a short window the fitted picture shows whole below its bar; the
blur map's table fits the information panel.

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

_VIEWPORT = "(() => { const v = document.getElementById('viewport'); return [v.scrollLeft, v.scrollTop]; })()"


def _open(page, name: str, natural_width: int) -> None:
    page.evaluate(f"select(state.items.findIndex((item) => item.name === {name!r}))")
    page.keyboard.press("Enter")
    wait_true(page, "state.view === 'detail' && document.getElementById('full').complete "
                    f"&& document.getElementById('full').naturalWidth === {natural_width}")


def test_zoomed_the_arrows_step_where_there_is_nothing_to_pan(sync_api, scanned):
    """Zoomed (z), the arrows pan the photo (2026-12-05): on a photo whose 100 % fits the window they did
    nothing at all, and the next photo could only be reached with Shift. An arrow across which the photo has
    nothing to pan steps to the next / previous photo, as when not zoomed."""
    photos, db = scanned
    # 1280 x 520: the astronaut (512 x 512) at 100 % is higher than the view, not wider
    with review_page(sync_api, db, width=1280, height=520) as (page, origin, errors):
        _open(page, "astronaut_blurred.jpg", 512)
        page.keyboard.press("z")
        wait_true(page, "document.getElementById('viewport').scrollHeight > document.getElementById('viewport').clientHeight")
        at = page.evaluate("state.sel")
        page.keyboard.press("ArrowDown")  # something to pan that way: it pans
        assert page.evaluate(_VIEWPORT)[1] > 0
        assert page.evaluate("state.sel") == at
        # nothing to pan across: the previous / next photo (the astronaut the last or the first of the list)
        away, back = ("ArrowLeft", "ArrowRight") if at > 0 else ("ArrowRight", "ArrowLeft")
        page.keyboard.press(away)
        wait_true(page, f"state.sel === {at + (-1 if at > 0 else 1)} "
                        "&& document.getElementById('detail-title').textContent !== 'astronaut_blurred.jpg'")
        assert page.evaluate("state.zoom") is True
        page.keyboard.press(back)
        wait_true(page, f"state.sel === {at} && document.getElementById('detail-title').textContent "
                        "=== 'astronaut_blurred.jpg'")
        assert errors == []
    # 1280 x 800: every sample photo fits at 100 %; Up / Down step too
    with review_page(sync_api, db) as (page, origin, errors):
        _open(page, "coffee_blurred.jpg", 600)
        page.keyboard.press("z")
        wait_true(page, "document.getElementById('viewport').classList.contains('zoomed')")
        at = page.evaluate("state.sel")
        away, back = ("ArrowUp", "ArrowDown") if at > 0 else ("ArrowDown", "ArrowUp")
        page.keyboard.press(away)
        wait_true(page, f"state.sel === {at + (-1 if at > 0 else 1)}")
        page.keyboard.press(back)
        wait_true(page, f"state.sel === {at}")
        assert page.evaluate(_VIEWPORT) == [0, 0]
        assert errors == []
