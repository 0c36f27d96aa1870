"""Choosing a burst's keeper (``POST /api/bursts/<group>/keeper``) among shots one of which is no longer the file
``blurscan bursts`` ranked: another photo put under its name and scanned since. The bursts view leaves such a shot
out, but the route took it: the photo (never in any burst) became the group's keeper, marked keep. It is now
refused with the reason, as the route's other refusals are, and nothing changes. Real scans of generated JPEG
bursts (blurscan.bursts.identity stores the identity of each file ranked), the app through its test client."""
from __future__ import annotations

import os

from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_review import BASE, CSRF, PORT, TOKEN, error_of
from test_bursts_replaced import REPLACED, _another_photo
from test_renamed_stale_burst import _scan, three_shot_burst


def _client(db):
    c = create_app(db, TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _state(db) -> tuple[list, list]:
    with Store(db) as store:
        groups = [(os.path.basename(p), rank, k, who) for p, rank, k, who in store.conn.execute(
            "SELECT path, rank, is_keeper, chosen_by FROM burst_groups ORDER BY group_id, rank")]
        decisions = store.conn.execute("SELECT path, decision FROM decisions").fetchall()
    return groups, decisions


def test_a_shot_replaced_since_bursts_ranked_it_is_not_made_the_keeper(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper; IMG_0001.jpg and IMG_0003.jpg its candidates
    _another_photo(lib / "IMG_0003.jpg")
    _scan(lib)  # the scan sees the new photo: its record (and the page's v) are the new file's
    db = lib / ".blurscan.db"
    with Store(db) as store:
        (group,) = {g for (g,) in store.conn.execute("SELECT group_id FROM burst_groups")}
    client = _client(db)
    view = client.get("/api/bursts", base_url=BASE).get_json()
    assert view["replaced_shots"] == 1  # left out of the view
    before = _state(db)
    replaced = str(lib / "IMG_0003.jpg")
    v = client.get(f"/api/item/{security.path_id(replaced)}", base_url=BASE).get_json()["v"]
    r = client.post(f"/api/bursts/{group}/keeper", json={"id": security.path_id(replaced), "v": v},
                    base_url=BASE, headers=CSRF)
    # the old route answered 200: IMG_0003.jpg (another photo) the keeper, marked keep
    assert r.status_code == 409, r.get_json()
    assert error_of(r) == f"IMG_0003.jpg: {REPLACED}; keeper not changed"
    assert _state(db) == before
    # a shot still the file ranked is made the keeper as before
    r = client.post(f"/api/bursts/{group}/keeper", json={"id": security.path_id(str(lib / "IMG_0001.jpg"))},
                    base_url=BASE, headers=CSRF)
    assert r.status_code == 200
    groups, decisions = _state(db)
    assert groups[0][:3] == ("IMG_0001.jpg", 1, 1) and groups[0][3] == "person"
    assert [(os.path.basename(p), d) for p, d in decisions] == [("IMG_0001.jpg", "keep")]
