"""A review page opened after an upgrade that makes the thumbnails anew (THUMB_VERSION 1 -> 2: the photo's ICC
profile applied) shows the new ones, in a real headless Chromium. The server sends a thumbnail to be kept a day
(``max-age``) by its URL, ``/thumb/ID?v=SIZE-MTIME``, which was the same across the upgrade on the same port
(``blurscan review --port 8765``, as the README has it): the browser showed the thumbnails the earlier release
had made (washed out), never asking the new server, until 2026-12-06. The earlier release is played by this
server with ``THUMB_VERSION`` "1" (its thumbnails' names are its cache keys), then "2" as the upgrade has it.
The browser and the sample library are in ``helpers_browser.py``."""
from __future__ import annotations

import os

import pytest

from helpers_browser import review_page, wait_true

from blurscan.review import thumbs

pytestmark = pytest.mark.browser

ALL_SHOWN = ("document.querySelectorAll('#grid img.thumb').length > 0 && "
             "[...document.querySelectorAll('#grid img.thumb')].every((img) => img.complete && img.naturalWidth > 0)")


def _kept(folder, version, shown, monkeypatch):
    """The shown photos' thumbnails kept in ``folder`` under ``version``'s cache keys."""
    monkeypatch.setattr(thumbs, "THUMB_VERSION", version)
    names = [thumbs.cache_key(path, size, mtime, thumbs.THUMB_LONG_SIDE) for path, size, mtime in shown]
    return [name for name in names if os.path.exists(os.path.join(folder, name[:2], name + ".jpg"))]


def test_thumbnails_made_anew_by_an_upgrade_are_shown(sync_api, scanned, monkeypatch):
    photos, db = scanned
    monkeypatch.setattr(thumbs, "THUMB_VERSION", "1")  # the earlier release
    with review_page(sync_api, db) as (page, origin, errors):
        wait_true(page, ALL_SHOWN)
        folder = str(thumbs.cache_dir_for(db))
        names = page.evaluate("[...document.querySelectorAll('#grid .card')].map((c) => c.item.name)")
        shown = [(str(photos / name), os.stat(photos / name).st_size, os.stat(photos / name).st_mtime_ns)
                 for name in names]
        assert len(_kept(folder, "1", shown, monkeypatch)) == len(shown)  # made by the earlier release, and cached
        monkeypatch.setattr(thumbs, "THUMB_VERSION", "2")  # upgraded: the same port, the same browser
        page.goto(origin + "/")
        page.wait_for_selector("body[data-ready='1']")
        wait_true(page, ALL_SHOWN)
        # each thumbnail asked of the server again, and made the new way (the browser's cached one was shown)
        assert len(_kept(folder, "2", shown, monkeypatch)) == len(shown)
        assert errors == []
