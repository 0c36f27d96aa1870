"""The bursts view shows each shot's reason, as `blurscan bursts` says it: why the keeper is kept, why another
shot is proposed for removal. The page's JSON held it (``/api/bursts``), and until 2026-12-07 no card showed it:
the person saw a star and a "Make keeper" button, never why. It is on the card, read as the card's description
when the selection comes to it. A real generated burst of three, scanned and ranked through the CLI; the real
review server and page."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true
from test_renamed_stale_burst import three_shot_burst

pytestmark = pytest.mark.browser

REASONS = ("[...document.querySelectorAll('#bursts .card')].map((c) => [c.querySelector('.name').textContent, "
           "c.querySelector('.reason') && c.querySelector('.reason').innerText])")
DESCRIBED = ("(() => { const c = document.querySelector('#bursts .card.selected'); "
             "const d = document.getElementById(c.getAttribute('aria-describedby') || ''); "
             "return d ? d.textContent : null; })()")


def test_each_shot_of_a_burst_shows_why_it_is_the_keeper_or_proposed(sync_api, tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        shown = page.evaluate(REASONS)
        assert [name for name, _ in shown] == ["IMG_0002.jpg", "IMG_0001.jpg", "IMG_0003.jpg"]
        keeper, second, third = (why for _, why in shown)
        assert keeper.startswith("sharpest of 3: ") and keeper.endswith("(next: IMG_0001.jpg)"), keeper
        assert second.startswith("IMG_0002.jpg is better: ") and third.startswith("IMG_0002.jpg is better: ")
        assert page.locator("#bursts .card.keeper .reason").is_visible()
        assert page.evaluate(DESCRIBED) == keeper  # (told with the selected card's name)
        page.keyboard.press("ArrowRight")
        wait_true(page, "document.querySelector('#bursts .card.selected .name').textContent === 'IMG_0001.jpg'")
        assert page.evaluate(DESCRIBED) == second
        assert errors == []
