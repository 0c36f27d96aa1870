"""A decision key held down in a real headless Chromium decides once: k, d and u act on a press, not on the
key's repeats. Each decision moves the selection on to the next photo, so until 2026-12-06 holding d down
discarded a run of photos the person never looked at (and holding u undid a run of decisions). The browser and
the libraries are in ``helpers_browser.py``."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

DECIDED = "document.querySelectorAll('#grid .card[data-decision=\"keep\"], #grid .card[data-decision=\"discard\"]')"


def _stored(db) -> dict:
    from blurscan.store import Store

    with Store(db) as store:
        return {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}


def _hold(page, key: str, repeats: int) -> None:
    """``key`` pressed and held: Playwright sends each further ``down`` before an ``up`` as a repeat."""
    for _ in range(1 + repeats):
        page.keyboard.down(key)
    page.keyboard.up(key)


@pytest.mark.parametrize("key, decision", [("d", "discard"), ("k", "keep")])
def test_a_decision_key_held_down_decides_one_photo(sync_api, tmp_path, key, decision):
    db = generated_library(tmp_path, 6)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        _hold(page, key, 4)
        wait_true(page, f"{DECIDED}.length >= 1")
        page.wait_for_timeout(500)  # (the repeats' decisions would have been sent by now)
        assert _stored(db) == {names[0]: decision}
        assert page.evaluate(f"{DECIDED}.length") == 1
        # a press after the key was let go is the next decision, on the photo selected since
        page.keyboard.press(key)
        wait_true(page, f"{DECIDED}.length >= 2")
        assert _stored(db) == {names[0]: decision, names[1]: decision}
        assert errors == []


def test_undo_held_down_undoes_one_decision(sync_api, tmp_path):
    db = generated_library(tmp_path, 6)
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        for _ in range(3):
            page.keyboard.press("d")
            page.wait_for_timeout(100)
        wait_true(page, f"{DECIDED}.length >= 3")
        _hold(page, "u", 4)
        wait_true(page, f"{DECIDED}.length <= 2")
        page.wait_for_timeout(500)
        assert _stored(db) == {names[0]: "discard", names[1]: "discard"}
        assert errors == []
