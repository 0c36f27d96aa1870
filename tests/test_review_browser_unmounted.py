"""The review page of a library whose photos are on a drive not mounted (``lib/trip``, a symbolic link to its empty
mount point), in a real headless Chromium: their cards and the bursts view's note say so, as ``report`` does, where
until 2026-12-07 they said "no longer at PATH (moved or deleted since the scan)" and "2 shots no longer on disk left
out" (:mod:`blurscan.unmounted`)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true
from test_review_missing import shots_on_a_drive

pytestmark = pytest.mark.browser


def test_cards_and_the_bursts_note_say_the_drive_is_not_mounted(sync_api, tmp_path):
    db, paths, link, usb = shots_on_a_drive(tmp_path)
    why = f"empty and not modified since the scan, a symbolic link to {usb}"
    with review_page(sync_api, db) as (page, origin, errors):
        page.select_option("#sort", "name")
        wait_true(page, "document.querySelectorAll('#grid .card .noimg').length === 2")
        assert page.locator("#grid .card", has_text="b.jpg").locator(".noimg").inner_text() == \
            f"b.jpg: not at {paths['b']}: {link} is {why} (a share or drive not mounted?)"
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .note")
        assert page.inner_text("#bursts .note") == (
            f"2 shots under {link} left out: it is {why} (a share or drive not mounted?); 1 group hidden (fewer than "
            "2 shots left). blurscan bursts regroups the photos still on disk.")
        assert errors == []
