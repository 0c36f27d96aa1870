"""The review app's decisions: keep / discard per version of a file, undo step by step, undo naming one tab's
change (refused when the photo was decided again since), and undoing a burst's keeper choice."""
from __future__ import annotations

import os

import pytest

from blurscan.records import ScanRecord
from blurscan.review import decisions, security
from blurscan.review.app import create_app
from blurscan.store import Store

from helpers_review import (BASE, CSRF, PORT, TOKEN, _get, _names, _photo, _post, _record, build_review_library,
                            error_of, review_client)


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


@pytest.fixture()
def client(lib):
    return review_client(lib)


# -- decisions library --------------------------------------------------------------------------------------

def test_decision_applies_only_to_the_version_of_the_file_it_was_made_on(lib):
    db, recs = lib
    r = recs["blurry.jpg"]
    with Store(db) as store:
        assert decisions.decision_for(store, r.path, r.size, r.mtime_ns) is None
        decisions.set_decision(store, r.path, "keep")
        assert decisions.decision_for(store, r.path, r.size, r.mtime_ns) == "keep"
        assert decisions.kept(store) == {r.path}
        assert decisions.discarded(store) == frozenset()
        # the file changes and is rescanned: the old decision no longer applies
        assert decisions.decision_for(store, r.path, r.size + 1, r.mtime_ns) is None
        assert decisions.decision_for(store, r.path, r.size, r.mtime_ns + 1) is None
        changed = ScanRecord(**{**r.to_row(), "size": r.size + 5})
        store.put([changed], "test")
        assert decisions.kept(store) == frozenset()
        assert decisions.get(store, r.path).decision == "keep"  # still stored, just stale


def test_undo_steps_back_through_every_change(lib):
    db, recs = lib
    p, q = recs["blurry.jpg"].path, recs["sharp.jpg"].path
    with Store(db) as store:
        decisions.set_decision(store, p, "keep", now=1.0)
        decisions.set_decision(store, p, "discard", now=2.0)
        decisions.set_decision(store, q, "discard", now=3.0)
        assert decisions.undo_last(store) == decisions.Undone(q, None, "discard")
        assert decisions.get(store, q) is None
        assert decisions.undo_last(store) == decisions.Undone(p, "keep", "discard")
        back = decisions.get(store, p)
        assert (back.decision, back.decided_at, back.size) == ("keep", 1.0, recs["blurry.jpg"].size)
        assert decisions.undo_last(store).decision is None
        assert decisions.get(store, p) is None
        assert decisions.undo_last(store) is None  # nothing left


def test_unknown_decision_is_a_usage_error(lib):
    from blurscan.errors import UsageError

    with Store(lib[0]) as store, pytest.raises(UsageError, match="unknown decision"):
        decisions.set_decision(store, lib[1]["blurry.jpg"].path, "maybe")


def test_non_utf8_path_decisions_round_trip(tmp_path):
    name = os.fsdecode(b"caf\xe9.jpg")
    try:
        path = _photo(tmp_path / name)
    except (UnicodeEncodeError, OSError):
        pytest.skip("file system refuses non-UTF-8 names")
    with Store(tmp_path / "x.db") as store:
        store.put([_record(path, "blurry", 0.9)], "test")
        decisions.set_decision(store, str(path), "discard")
        assert decisions.discarded(store) == {str(path)}


# -- the page's API -----------------------------------------------------------------------------------------

def test_decisions_through_the_api_and_undo(client, lib):
    items = _get(client, "/api/items").get_json()["items"]
    first, second = items[0], items[1]
    r = client.post("/api/decision", json={"id": first["id"], "decision": "keep"}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200 and r.get_json()["summary"]["kept"] == 1
    client.post("/api/decision", json={"id": second["id"], "decision": "discard"}, base_url=BASE, headers=CSRF)
    after = {it["name"]: it["decision"] for it in _get(client, "/api/items").get_json()["items"]}
    assert after[first["name"]] == "keep" and after[second["name"]] == "discard"
    assert _names(client, "filter=undecided") == [it["name"] for it in items[2:]]
    s = _get(client, "/api/summary").get_json()
    assert s["discarded"] == 1 and s["discarded_bytes"] == lib[1][second["name"]].size
    assert s["undecided"] == 2
    u = client.post("/api/undo", json={}, base_url=BASE, headers=CSRF).get_json()
    assert u["id"] == second["id"] and u["decision"] is None
    assert u["name"] == second["name"] and u["reverted"] == "discard"  # the page names what it undid
    assert client.post("/api/decision", json={"id": first["id"], "decision": "maybe"}, base_url=BASE,
                       headers=CSRF).status_code == 400
    assert client.post("/api/decision", json={"id": "ab" * 12, "decision": "keep"}, base_url=BASE,
                       headers=CSRF).status_code == 404


def test_a_decision_on_a_photo_changed_since_the_scan_is_refused(client, lib):
    """The page could not show the new version (409 from /full), yet a discard on it was recorded, with the
    scan's identity: move and tag then skipped the photo as 'changed since it was reviewed' (a walkthrough).
    Clearing a decision stays possible."""
    item = next(it for it in _get(client, "/api/items").get_json()["items"] if it["name"] == "blurry.jpg")
    path = lib[1]["blurry.jpg"].path
    with open(path, "ab") as fh:
        fh.write(b"\0" * 16)                                  # edited after the scan
    r = client.post("/api/decision", json={"id": item["id"], "decision": "discard"}, base_url=BASE, headers=CSRF)
    assert r.status_code == 409
    assert error_of(r) == ("blurry.jpg: changed since the scan (run blurscan scan again); "
                                                "discard not recorded")
    assert _decisions(lib[0]) == {}
    cleared = client.post("/api/decision", json={"id": item["id"], "decision": None}, base_url=BASE, headers=CSRF)
    assert cleared.status_code == 200


def _tab(lib):
    """Another browser tab (or another person's browser) on the same database: its own client and cookie."""
    c = create_app(lib[0], TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _decisions(db):
    with Store(db) as store:
        return {os.path.basename(p): d.decision for p, d in decisions.all_decisions(store).items()}


def test_undo_naming_a_change_undoes_that_tabs_decision_only(client, lib):
    """u in tab A undid the database's last decision, made in tab B; A now names its own change."""
    tab_a, tab_b = client, _tab(lib)
    ids = {n: security.path_id(r.path) for n, r in lib[1].items()}
    a = _post(tab_a, "/api/decision", {"id": ids["blurry.jpg"], "decision": "keep"}).get_json()
    b = _post(tab_b, "/api/decision", {"id": ids["partial.jpg"], "decision": "discard"}).get_json()
    assert isinstance(a["change"], int) and a["change"] != b["change"]
    r = _post(tab_a, "/api/undo", {"change": a["change"]})
    assert r.status_code == 200, r.data
    u = r.get_json()
    assert (u["id"], u["decision"], u["reverted"], u["name"]) == (ids["blurry.jpg"], None, "keep", "blurry.jpg")
    assert _decisions(lib[0]) == {"partial.jpg": "discard"}  # tab B's decision stands
    assert u["summary"]["discarded"] == 1 and u["summary"]["kept"] == 0
    # a page that names no change (older than the server) still undoes the database's last change
    u = _post(tab_a, "/api/undo", {}).get_json()
    assert (u["id"], u["reverted"]) == (ids["partial.jpg"], "discard")
    assert _decisions(lib[0]) == {}
    assert _post(tab_a, "/api/undo", {}).get_json()["id"] is None  # A's keep was undone already: nothing left


def test_undo_of_a_decision_changed_since_is_refused(client, lib):
    """Tab A keeps a photo, tab B discards it: A's u must not undo B's discard (nor A's keep under it)."""
    tab_a, tab_b = client, _tab(lib)
    ident = security.path_id(lib[1]["blurry.jpg"].path)
    a = _post(tab_a, "/api/decision", {"id": ident, "decision": "keep"}).get_json()["change"]
    b = _post(tab_b, "/api/decision", {"id": ident, "decision": "discard"}).get_json()["change"]
    with Store(lib[0]) as store:
        log = store.conn.execute("SELECT id, decision, undone FROM decision_log ORDER BY id").fetchall()
    r = _post(tab_a, "/api/undo", {"change": a})
    assert r.status_code == 409
    refused = r.get_json()
    assert refused["error"] == "blurry.jpg: changed since this keep, to discard (in another tab?); not undone"
    assert (refused["id"], refused["decision"]) == (ident, "discard")  # the page shows the photo as it is now
    assert _decisions(lib[0]) == {"blurry.jpg": "discard"}
    with Store(lib[0]) as store:  # nothing changed, not even the log
        assert store.conn.execute("SELECT id, decision, undone FROM decision_log ORDER BY id").fetchall() == log
    # B undoes its discard: A's keep is the photo's decision again, and A may undo it
    assert _post(tab_b, "/api/undo", {"change": b}).get_json()["decision"] == "keep"
    assert _post(tab_a, "/api/undo", {"change": a}).get_json()["decision"] is None
    assert _decisions(lib[0]) == {}
    r = _post(tab_b, "/api/undo", {"change": a})
    assert r.status_code == 409 and "undone already" in r.get_json()["error"]
    assert _post(tab_a, "/api/undo", {"change": 10**6}).status_code == 404
    assert _post(tab_a, "/api/undo", {"change": "1"}).status_code == 400
    assert _post(tab_a, "/api/undo", {"change": True}).status_code == 400
    assert _post(tab_a, "/api/undo", {"change": 2**64}).status_code == 400


def test_undo_of_a_keeper_choice_puts_the_keeper_back(client, lib):
    """A keeper choice is a decision of its tab (the shot is marked keep): u undoes it, keeper and mark,
    and refuses when the group's keeper was changed since."""
    db, recs = lib
    a, b, c = recs["blurry.jpg"].path, recs["partial.jpg"].path, recs["soft.png"].path
    with Store(db) as store, store.transaction() as conn:
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                         [(7, a, 1, 1, "sharpest"), (7, b, 2, 0, None), (7, c, 3, 0, None)])

    def group():
        with Store(db) as store:
            return [(os.path.basename(p), k, by, why) for p, k, by, why in store.conn.execute(
                "SELECT path, is_keeper, chosen_by, reason FROM burst_groups ORDER BY rank")]

    as_stored = group()
    tab_a, tab_b = client, _tab(lib)
    pick = _post(tab_a, "/api/bursts/7/keeper", {"id": security.path_id(c)}).get_json()["change"]
    _post(tab_b, "/api/decision", {"id": security.path_id(b), "decision": "discard"})
    r = _post(tab_a, "/api/undo", {"change": pick})
    assert r.status_code == 200, r.data
    u = r.get_json()
    assert u["keeper_undone"] and (u["name"], u["keeper"]) == ("soft.png", "blurry.jpg")
    assert [p["name"] for p in u["groups"][0]["photos"]] == ["blurry.jpg", "partial.jpg", "soft.png"]
    assert group() == as_stored  # the reasons too ("sharpest", not "a person chose soft.png")
    assert _decisions(db) == {"partial.jpg": "discard"}  # tab B's decision stands
    # A chooses again, B chooses another keeper since: A's u is refused and changes nothing
    pick = _post(tab_a, "/api/bursts/7/keeper", {"id": security.path_id(c)}).get_json()["change"]
    _post(tab_b, "/api/bursts/7/keeper", {"id": security.path_id(a)})
    before = group(), _decisions(db)
    r = _post(tab_a, "/api/undo", {"change": pick})
    # (B's choice took back the keep mark A's choice gave soft.png, as it would in A's own server: keeper_marks;
    # until 2026-12-05 another server left it, and the refusal said "the keeper of group 7 was changed since")
    assert r.status_code == 409 and r.get_json()["error"] == "soft.png: this keep was undone already (in another " \
                                                             "tab?); nothing undone"
    assert r.get_json()["groups"][0]["photos"][0]["name"] == "blurry.jpg"  # the page shows the group as it is
    assert (group(), _decisions(db)) == before
