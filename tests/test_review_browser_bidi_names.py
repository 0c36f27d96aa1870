"""The review page, in a real headless Chromium, on a photo whose name holds a right-to-left override (U+202E,
as in ``\\u202eevil-gpj.jpg``, which a file manager shows as ``gpj.jpg-live``): a message naming it shows the
name isolated, in a ``<bdi>`` of its own, so the override reorders the name only. The old page put the name in
the toast's plain text, where the override reversed the rest of the message too: ``IMG: discard`` read
``dracsid :gpj.jpg-live``. The browser and the sample library are in ``helpers_browser.py`` (fixtures
``sync_api`` and ``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import shutil

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

NAME = "\u202eevil-gpj.jpg"
SHOWN = "\\u202eevil-gpj.jpg"  # as the terminal shows it (since 2026-12-06: the card read "gpj.jpg-live")

#: the toast's parts: [tag or "#text", its text, its box's left, its box's right] (a text node measured by a range)
PARTS = """[...document.getElementById('toast').childNodes].map((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()];
    return [node.nodeName, node.textContent, Math.min(...rects.map((r) => r.left)),
            Math.max(...rects.map((r) => r.right))];
})"""


def _toast_parts(page, text: str) -> list:
    wait_true(page, f"document.getElementById('toast').textContent === {text!r}")
    return page.evaluate(PARTS)


def _in_order(parts: list) -> None:
    """Each part of the message is drawn after (to the right of) the one before it."""
    for before, after in zip(parts, parts[1:]):
        assert after[2] >= before[3] - 1, parts


def test_a_name_with_a_right_to_left_override_reorders_only_itself(sync_api, scanned):
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan

    photos, db = scanned
    shutil.copy2(photos / "rocket_blurred.jpg", photos / NAME)
    list(scan([photos], ScanSettings(workers=1, model="none"), db=db))
    with review_page(sync_api, db) as (page, origin, errors):
        page.locator("#grid .card", has_text="evil").click()
        page.wait_for_selector("#detail:not([hidden])")
        assert page.inner_text("#detail-title") == SHOWN
        page.keyboard.press("d")
        parts = _toast_parts(page, f"{SHOWN}: discard")
        assert [p[:2] for p in parts] == [["BDI", SHOWN], ["#text", ": discard"]], parts  # old: one text node
        _in_order(parts)
        page.keyboard.press("u")
        parts = _toast_parts(page, f"undone: discard of {SHOWN}")
        assert [p[:2] for p in parts] == [["#text", "undone: discard of "], ["BDI", SHOWN]], parts
        _in_order(parts)
        assert errors == []
