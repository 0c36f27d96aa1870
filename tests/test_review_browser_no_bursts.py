"""``b`` in a library where no burst group is stored (``blurscan bursts`` not run since the scan, or none found): the
page says so and names the command that looks for them, the program as run and the library's folder (or ``--db``).
Until 2026-12-07 the key did nothing there, though the page's Keys line names it ("b bursts") and the README's
review guide too; a new user pressing it saw no change and no reason. With groups stored, it opens the view."""
from __future__ import annotations

import sqlite3

import pytest

from blurscan.typed_commands import naming
from helpers_browser import review_page, wait_true
from test_renamed_stale_burst import three_shot_burst

pytestmark = pytest.mark.browser

TOASTED = "document.getElementById('toast').textContent !== ''"


def test_b_without_burst_groups_names_the_command_that_finds_them(sync_api, scanned_none):
    db = scanned_none / ".blurscan.db"  # (scanned, `blurscan bursts` not run)
    with review_page(sync_api, db) as (page, origin, errors):
        page.wait_for_selector("#grid [role=option]")
        assert page.locator("#tab-bursts").is_hidden()
        page.keyboard.press("b")
        wait_true(page, TOASTED)
        said = page.locator("#toast").inner_text()
        assert said == (f"No burst groups in this library: {naming(db, 'blurscan bursts')} looks for them; "
                        "then reload this page."), said
        assert page.locator("#bursts").is_hidden() and page.locator("#grid").is_visible()
        assert errors == []


def test_b_after_bursts_found_none_says_so_not_to_run_it(sync_api, scanned_none):
    """``blurscan bursts`` ran and found no group (no shots of one scene in quick succession): ``b`` says it found
    none when it last ran, as ``move --from-bursts`` does, and when to run it again. Until 2026-12-07 (the evening)
    it said the command "looks for them; then reload this page", which, run, found none again."""
    from click.testing import CliRunner

    from blurscan.cli import main

    ran = CliRunner().invoke(main, ["bursts", str(scanned_none)])
    assert ran.exit_code == 0, ran.output
    db = scanned_none / ".blurscan.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM burst_groups").fetchone() == (0,)
    with review_page(sync_api, db) as (page, origin, errors):
        page.wait_for_selector("#grid [role=option]")
        page.keyboard.press("b")
        wait_true(page, TOASTED)
        said = page.locator("#toast").inner_text()
        assert said == ("No burst groups in this library: blurscan bursts found none when it last ran (shots of one "
                        f"scene in quick succession); {naming(db, 'blurscan bursts')} looks again after a scan that "
                        "adds photos."), said
        assert page.locator("#bursts").is_hidden() and errors == []


def test_b_with_burst_groups_opens_the_bursts_view_without_a_word(sync_api, tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)  # (scanned and grouped through the CLI)
    with review_page(sync_api, lib / ".blurscan.db") as (page, origin, errors):
        page.wait_for_selector("#grid [role=option]")
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        assert page.locator("#toast").inner_text() == ""
        assert errors == []
