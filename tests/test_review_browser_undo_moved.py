"""u in a real headless Chromium on a discard whose photo `blurscan move` has taken since the page loaded: the
message says the decision is undone but the photo stays moved, and names the command that brings it back
(until 2026-12-05: "undone: discard of coffee_blurred.jpg", the photo still in the --to folder). The browser and
the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

import pytest

from blurscan.errors import shell_path
from helpers_browser import review_page, wait_true
from helpers_cli import run

pytestmark = pytest.mark.browser


def test_undo_of_a_discard_moved_since_says_it_stays_moved(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert "but `blurscan move` already moved the photo (batch 1, to " in text
        assert f"run `blurscan undo --batch 1 {shell_path(photos)}` to bring it back" in text
        assert page.evaluate("document.getElementById('toast').getAttribute('aria-live')") == "assertive"
        assert errors == []


def test_undo_of_a_discard_moved_since_and_no_longer_there_says_so(sync_api, scanned, tmp_path):
    """The photo deleted from the --to folder since: the message says it is no longer found there, and that the
    command brings it back once it is there again (until 2026-12-06: "run ... to bring it back")."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 1")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        for moved in (tmp_path / "out").rglob("*.jpg"):
            moved.unlink()
        page.keyboard.press("u")
        wait_true(page, "document.getElementById('toast').textContent.includes('blurscan undo')")
        text = page.locator("#toast").inner_text()
        assert "but `blurscan move` already moved the photo (batch 1, to " in text
        assert text.endswith(f"), where it is no longer found: `blurscan undo --batch 1 {shell_path(photos)}` brings it back "
                             "once it is there again"), text
        assert errors == []
