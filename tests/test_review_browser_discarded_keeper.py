"""The bursts view, in the browser: d on a burst's keeper gives the keeper's place at once to the next shot not
discarded (the star and the "Make keeper" buttons move, the discarded shot goes last), and u puts it back. Until
2026-12-06 the view went on showing the discarded shot as the keeper until `blurscan bursts` ran again. A real
generated burst of three, scanned and ranked through the CLI; the real review server and page."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true
from test_renamed_stale_burst import three_shot_burst

pytestmark = pytest.mark.browser

NAMES = "[...document.querySelectorAll('#bursts .card .name')].map((n) => n.textContent).join(' ')"
KEEPER = "document.querySelector('#bursts .card.keeper .name').textContent"
SELECTED = "document.querySelector('#bursts .card.selected .name').textContent"


def test_d_on_the_keeper_moves_the_star_to_the_next_shot_and_u_moves_it_back(sync_api, tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        assert page.evaluate(NAMES) == "IMG_0002.jpg IMG_0001.jpg IMG_0003.jpg"
        page.keyboard.press("d")  # the keeper discarded; the selection moves on to IMG_0001.jpg
        wait_true(page, f"{KEEPER} === 'IMG_0001.jpg'")
        assert page.evaluate(NAMES) == "IMG_0001.jpg IMG_0003.jpg IMG_0002.jpg"
        assert page.evaluate(SELECTED) == "IMG_0001.jpg"  # (the shot selected stays selected, moved or not)
        assert page.inner_text("#bursts h2") == "Group 1 · 3 shots · keeper proposed"
        assert page.inner_text("#bursts .card:last-child .decision") == "DISCARD"
        assert page.locator("#bursts .card:last-child .make-keeper").count() == 1  # (it can be chosen again)
        page.keyboard.press("u")
        wait_true(page, f"{KEEPER} === 'IMG_0002.jpg'")
        assert page.evaluate(NAMES) == "IMG_0002.jpg IMG_0001.jpg IMG_0003.jpg"
        wait_true(page, f"{SELECTED} === 'IMG_0002.jpg'")  # u selects the shot undone
        assert errors == []
