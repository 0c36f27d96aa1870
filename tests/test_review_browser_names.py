"""The review page, in a real headless Chromium, on photos and folders whose names are not valid UTF-8 (a
Latin-1 ``\\xe9t\\xe9/caf\\xe9.jpg`` copied from an old archive or camera card): the card names them as the
terminal does (``caf\\xe9.jpg``, it read ``caf\\ufffd.jpg``), the folder filter offers such a folder (it was left
out) and ``blurscan review`` of it opens the page on its photos (the grid was empty, with no word why).

The browser is set up in ``helpers_browser.py`` (fixture ``sync_api`` in ``conftest.py``)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from helpers_browser import wait_true

pytestmark = pytest.mark.browser


def _names(page) -> list[str]:
    return sorted(page.evaluate("[...document.querySelectorAll('#grid .card .name')].map((n) => n.textContent)"))


def test_a_folder_and_a_photo_whose_names_are_not_utf8(sync_api, tmp_path):
    data = pytest.importorskip("skimage.data")
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.review.server import ReviewServer

    lib = tmp_path / "lib"
    odd = os.fsdecode(os.fsencode(str(lib)) + b"/\xe9t\xe9")  # surrogate-escaped text, as os.listdir gives it
    os.makedirs(odd)
    (lib / "plain").mkdir()
    Image.fromarray(data.astronaut()).save(os.path.join(odd, os.fsdecode(b"caf\xe9.jpg")), quality=90)
    Image.fromarray(data.coffee()).save(os.path.join(odd, "x.jpg"), quality=90)
    Image.fromarray(data.chelsea()).save(lib / "plain" / "y.jpg", quality=90)
    db = lib / ".blurscan.db"
    records = list(scan([lib], ScanSettings(workers=1, model="none"), db=db))
    assert len(records) == 3 and all(r.status == "ok" for r in records)

    shown = str(lib) + "/\\xe9t\\xe9"  # as the terminal prints the folder
    # `blurscan review lib/<that folder>`: the page opens filtered to it
    with ReviewServer(db, port=0, folder=odd) as server:
        browser = sync_api.browser
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            page.select_option("#filter", "all")
            wait_true(page, "document.querySelectorAll('#grid .card').length === 2")
            assert page.evaluate("document.getElementById('folder').value") == shown
            assert _names(page) == ["caf\\xe9.jpg", "x.jpg"]
            options = page.evaluate("[...document.querySelectorAll('#folder option')].map((o) => o.value)")
            assert options == ["", str(lib / "plain"), shown]
            assert page.inner_text("#summary").startswith("Whole library: ")
            # the thumbnails of the odd folder's photos load
            wait_true(page, "[...document.querySelectorAll('#grid img')]"
                            ".every((i) => i.complete && i.naturalWidth > 0)")
            page.select_option("#folder", "")
            wait_true(page, "document.querySelectorAll('#grid .card').length === 3")
            page.select_option("#folder", str(lib / "plain"))
            wait_true(page, "document.querySelectorAll('#grid .card').length === 1")
            page.select_option("#folder", shown)
            wait_true(page, "document.querySelectorAll('#grid .card').length === 2")
            assert _names(page) == ["caf\\xe9.jpg", "x.jpg"]
            assert errors == []
        finally:
            sync_api.close_contexts()
    assert Path(odd, os.fsdecode(b"caf\xe9.jpg")).exists()
