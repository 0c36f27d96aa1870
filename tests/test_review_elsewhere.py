"""The review page and keeps made in another library database above a photo (review/elsewhere.py): the page
shows and counts what `blurscan move` will do, by the same rule (actions/keeps.py)."""
from __future__ import annotations

import os

from blurscan.actions import plan_move
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store

from helpers_cli import run
from helpers_review import BASE, PORT, TOKEN, _get, _names, _photo, _post


def _client(db):
    c = create_app(db, TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _items(client, query="filter=flagged"):
    return {it["name"]: it for it in _get(client, "/api/items?" + query).get_json()["items"]}


def test_a_photo_kept_in_a_sub_folders_review_shows_as_kept_in_the_librarys(tmp_path):
    """`scan lib/2024`, keep a photo in that review (stored in lib/2024/.blurscan.db), then `scan lib` and
    `review lib`: the photo showed as undecided, and, discarded there, was counted among the discards while
    `move` skipped it (the keep wins). It shows as kept, saying where the keep is, and is counted so."""
    lib = tmp_path / "lib"
    (lib / "2024").mkdir(parents=True)
    (lib / "old").mkdir()
    for name, seed in (("soft.jpg", 1), ("shaky.jpg", 2)):
        _photo(lib / "2024" / name, 6.0, seed, size=(480, 640))  # blurry to --model none
    _photo(lib / "old" / "blurry.jpg", 6.0, 3, size=(480, 640))
    sub_db, db = lib / "2024" / ".blurscan.db", lib / ".blurscan.db"

    assert run("scan", lib / "2024", "--model", "none", "--workers", "1").exit_code == 0
    sub = _client(sub_db)  # the sub-folder's review: soft.jpg kept there
    soft = _items(sub)["soft.jpg"]
    assert _post(sub, "/api/decision", {"id": soft["id"], "v": soft["v"], "decision": "keep"}).status_code == 200
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert db.is_file() and os.path.samefile(os.path.dirname(db), lib)

    c = _client(db)  # the library's review
    items = _items(c)
    assert set(items) == {"soft.jpg", "shaky.jpg", "blurry.jpg"}
    assert sorted(_names(c, "filter=undecided")) == ["blurry.jpg", "shaky.jpg"]  # soft.jpg is decided: kept
    summary = _get(c, "/api/summary").get_json()
    assert (summary["flagged"], summary["undecided"], summary["kept"], summary["discarded"]) == (3, 2, 1, 0)
    reason = f"marked keep in {sub_db}"  # the card's note, the mark's tooltip
    assert items["soft.jpg"]["kept_elsewhere"] == reason and items["soft.jpg"]["decision"] is None
    assert items["shaky.jpg"]["kept_elsewhere"] is None
    assert _get(c, f"/api/item/{items['soft.jpg']['id']}").get_json()["kept_elsewhere"] == reason

    # discarded in the library's review: still kept, as move skips it; blurry.jpg is a discard move takes
    for name in ("soft.jpg", "blurry.jpg"):
        answer = _post(c, "/api/decision", {"id": items[name]["id"], "v": items[name]["v"], "decision": "discard"})
        assert answer.status_code == 200
        assert answer.get_json()["kept_elsewhere"] == (reason if name == "soft.jpg" else None)
    summary = answer.get_json()["summary"]
    assert (summary["undecided"], summary["kept"], summary["discarded"]) == (1, 1, 1)
    assert summary["discarded_bytes"] == os.path.getsize(lib / "old" / "blurry.jpg")
    items = _items(c)
    assert (items["soft.jpg"]["decision"], items["soft.jpg"]["kept_elsewhere"]) == ("discard", reason)
    with Store(db) as store:  # what the header counts is what move takes
        plan = plan_move(store, tmp_path / "rejects")
    assert [os.path.basename(p.photo) for p in plan.photos] == ["blurry.jpg"]
    assert {os.path.basename(s.path): s.reason for s in plan.skipped} == {"soft.jpg": reason}


def test_a_keep_here_protects_the_other_names_of_the_file_on_the_page_as_move_does(tmp_path):
    """One file under two names in the library's database (a hard link in another folder, stored by a scan of
    that folder alone). Kept under one name in the review, the other name still showed as undecided, and,
    discarded, was counted among the discards while `move` skipped it ("another name of a photo you marked
    keep"). Since 2026-12-05 the page shows one name of a file (test_review_other_names.py): the other name is
    not listed, and a decision sent on it (by a page opened before) is a keep; the keep undone, its discard is
    the name shown, counted as the discard move takes."""
    lib = tmp_path / "lib"
    (lib / "2024").mkdir(parents=True)
    (lib / "fav").mkdir()
    _photo(lib / "2024" / "soft.jpg", 6.0, 1, size=(480, 640))
    _photo(lib / "2024" / "shaky.jpg", 6.0, 2, size=(480, 640))
    os.link(lib / "2024" / "soft.jpg", lib / "fav" / "best.jpg")
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("scan", lib / "fav", "--model", "none", "--workers", "1").exit_code == 0  # stores fav/best.jpg
    db = lib / ".blurscan.db"

    c = _client(db)
    items = _items(c)
    assert set(items) == {"soft.jpg", "shaky.jpg"}
    best = {"id": security.path_id(str(lib / "fav" / "best.jpg")), "v": items["soft.jpg"]["v"]}
    answer = _post(c, "/api/decision", {"id": items["soft.jpg"]["id"], "v": items["soft.jpg"]["v"],
                                         "decision": "keep"})
    keep_change = answer.get_json()["change"]
    summary = answer.get_json()["summary"]
    assert (summary["undecided"], summary["kept"], summary["discarded"]) == (1, 1, 0)
    answer = _post(c, "/api/decision", {**best, "decision": "discard"})
    reason = "another name of a photo you marked keep"
    assert answer.get_json()["kept_elsewhere"] == reason
    summary = answer.get_json()["summary"]
    assert (summary["undecided"], summary["kept"], summary["discarded"]) == (1, 1, 0)
    assert set(_items(c)) == {"soft.jpg", "shaky.jpg"} and _items(c)["soft.jpg"]["decision"] == "keep"
    with Store(db) as store:  # what the page counts is what move does
        plan = plan_move(store, tmp_path / "rejects")
    assert plan.photos == [] and {os.path.basename(s.path): s.reason for s in plan.skipped} == {"best.jpg": reason}

    # the keep undone: best.jpg is a discard move takes, on the page too (soft.jpg, undecided, not listed)
    answer = _post(c, "/api/undo", {"change": keep_change})
    assert answer.status_code == 200, answer.get_json()
    summary = answer.get_json()["summary"]
    assert (summary["undecided"], summary["kept"], summary["discarded"]) == (1, 0, 1)
    assert {name: it["decision"] for name, it in _items(c).items()} == {"best.jpg": "discard", "shaky.jpg": None}
    with Store(db) as store:
        assert [os.path.basename(p.photo) for p in plan_move(store, tmp_path / "rejects").photos] == ["best.jpg"]
