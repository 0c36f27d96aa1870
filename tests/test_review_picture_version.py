"""A picture asked for with the version of the photo a page showed (``/thumb/ID?v=SIZE-MTIME``, ``/full/...``)
after a scan stored another version of it: refused (409, the reason the page shows in the card), not the new
picture under the old URL, which the browser kept for a day as the old version's thumbnail (until 2026-12-05)."""
from __future__ import annotations

import os

from helpers_review import BASE, _get, _photo, _record, build_review_library, review_client

from blurscan.store import Store


def test_an_old_version_in_a_picture_url_is_refused(tmp_path):
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    old = item["v"]
    for kind in ("thumb", "full"):
        assert _get(c, f"/{kind}/{item['id']}?v={old}").status_code == 200
    path = recs["blurry.jpg"].path
    _photo(path, 1.0, 9, size=(200, 300))  # edited, and scanned again
    os.utime(path, ns=(1, 1_700_000_000_000_000_000))
    with Store(db) as store:
        store.put([_record(path, "partial", 0.5)], "test")
    new = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]["v"]
    assert new != old
    for kind in ("thumb", "full"):
        r = c.get(f"/{kind}/{item['id']}?v={old}", base_url=BASE)
        assert r.status_code == 409, (kind, r.status_code)
        assert "no-store" in r.headers["Cache-Control"]
        assert "blurry.jpg: scanned again since this page showed it (the file changed): reload the page" in r.text
        assert _get(c, f"/{kind}/{item['id']}?v={new}").status_code == 200
        assert _get(c, f"/{kind}/{item['id']}").status_code == 200  # (no version named: the picture as it is)
