"""Which name of a file stored under several the review page shows, and when it looks again (review/other_names.py,
since 2026-12-05), found by mutation testing: names decided alike, a decision made on an older version, a link
made by hand (seen at the next page load), a name a scan stored meanwhile (seen without one); and (2026-12-06) a
decision on a version of another size, names a scan forgot, or forgot and stored, meanwhile."""
from __future__ import annotations

import os

from helpers_cli import run
from helpers_library import decide_in
from helpers_review import BASE, _get, _photo, _record, review_client
from helpers_sqlite import connected

from blurscan.store import Store


def _three_names(tmp_path):
    """One blurry photo under three names (x.jpg, x-hard.jpg, a-hard.jpg: hard links, stored in that order) and a
    sharp one."""
    a = tmp_path / "lib" / "a"
    a.mkdir(parents=True)
    _photo(a / "x.jpg", 5.0, 1)
    _photo(a / "s.jpg", 0.0, 3)
    for name in ("x-hard.jpg", "a-hard.jpg"):
        os.link(a / "x.jpg", a / name)
    db = tmp_path / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put([_record(a / n, "blurry", 0.9) for n in ("x.jpg", "x-hard.jpg", "a-hard.jpg")]
                  + [_record(a / "s.jpg", "sharp", 0.1)], "test")
    return db, a


def _shown(db):
    c = review_client((db, {}))
    return {it["name"]: it["decision"] for it in _get(c, "/api/items?filter=flagged").get_json()["items"]}


def test_of_names_decided_alike_the_page_shows_the_one_move_takes(tmp_path):
    db, a = _three_names(tmp_path)
    assert _shown(db) == {"a-hard.jpg": None}  # (the name report lists: the first by name)
    decide_in(db, a / "x.jpg", "discard")
    decide_in(db, a / "x-hard.jpg", "discard")
    assert _shown(db) == {"x-hard.jpg": "discard"}  # the first a walk meets of the two discarded
    decide_in(db, a / "a-hard.jpg", "discard")
    assert _shown(db) == {"a-hard.jpg": "discard"}
    out = tmp_path / "out"
    assert run("move", db.parent, "--db", db, "--to", out, "--yes").exit_code == 0
    assert [p.name for p in out.rglob("*.jpg")] == ["a-hard.jpg"]


def test_a_decision_made_on_an_older_version_does_not_choose_the_name(tmp_path):
    db, a = _three_names(tmp_path)
    decide_in(db, a / "x.jpg", "discard")
    with connected(db) as conn:  # (as made on the file before it was edited and scanned again)
        conn.execute("UPDATE decisions SET mtime_ns = mtime_ns - 1000")
    assert _shown(db) == {"a-hard.jpg": None}


def test_a_link_made_by_hand_counts_from_the_next_page_load(tmp_path):
    db, a = _three_names(tmp_path)
    _photo(a / "y.jpg", 5.0, 2)
    with Store(db) as store:
        store.put([_record(a / "y.jpg", "blurry", 0.9)], "test")
    c = review_client((db, {}))
    names = lambda: sorted(it["name"] for it in _get(c, "/api/items?filter=flagged").get_json()["items"])  # noqa
    assert names() == ["a-hard.jpg", "y.jpg"]
    os.remove(a / "y.jpg")
    os.link(a / "x.jpg", a / "y.jpg")  # y.jpg is now another name of x.jpg's file (its row unchanged)
    assert c.get("/", base_url=BASE).status_code == 200  # the page loaded again
    assert names() == ["a-hard.jpg"]


def test_a_name_a_scan_stored_meanwhile_is_seen_without_a_page_load(tmp_path):
    db, a = _three_names(tmp_path)
    c = review_client((db, {}))
    names = lambda: sorted(it["name"] for it in _get(c, "/api/items?filter=flagged").get_json()["items"])  # noqa
    assert names() == ["a-hard.jpg"]
    os.link(a / "x.jpg", a / "b-hard.jpg")
    with Store(db) as store:
        store.put([_record(a / "b-hard.jpg", "blurry", 0.9)], "test")
    assert names() == ["a-hard.jpg"]  # (not b-hard.jpg as a photo of its own)


def test_a_name_brought_back_by_undo_is_seen_without_a_page_load(tmp_path):
    """Every name discarded: `move` takes a-hard.jpg, the file stays under its other names (shown once); `blurscan
    undo` puts it back (the journal's rows change, none is added): one photo on the page still, not two."""
    db, a = _three_names(tmp_path)
    decide_in(db, a / "x.jpg", "discard")
    decide_in(db, a / "x-hard.jpg", "discard")
    decide_in(db, a / "a-hard.jpg", "discard")
    c = review_client((db, {}))
    names = lambda: sorted(it["name"] for it in _get(c, "/api/items?filter=all").get_json()["items"])  # noqa
    assert names() == ["a-hard.jpg", "s.jpg"]
    assert run("move", db.parent, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    assert names() == ["s.jpg", "x-hard.jpg"]  # (a-hard.jpg taken; the file's other names left, shown once)
    assert run("undo", db.parent, "--db", db).exit_code == 0
    assert names() == ["a-hard.jpg", "s.jpg"]


def test_a_decision_made_on_a_version_of_another_size_does_not_choose_the_name(tmp_path):
    """The same time but another size (an editor that keeps the file's time, as ``exiftool -P`` does): a decision
    on an older version, which does not choose the name shown (2026-12-06)."""
    db, a = _three_names(tmp_path)
    decide_in(db, a / "x.jpg", "discard")
    with connected(db) as conn:
        conn.execute("UPDATE decisions SET size = size + 1")
    assert _shown(db) == {"a-hard.jpg": None}


def test_names_a_scan_forgot_or_stored_meanwhile_are_seen_without_a_page_load(tmp_path):
    """The name the page showed removed by hand and forgotten by a scan (one row fewer, none added): the file
    stays on the page under its next name, not gone from it; that name renamed by hand, the scan forgetting it and
    storing the new name (as many rows as before): the page shows the name a walk keeps (2026-12-06)."""
    db, a = _three_names(tmp_path)
    c = review_client((db, {}))
    names = lambda: sorted(it["name"] for it in _get(c, "/api/items?filter=flagged").get_json()["items"])  # noqa
    assert names() == ["a-hard.jpg"]
    os.remove(a / "a-hard.jpg")
    with Store(db) as store:
        store.forget([str(a / "a-hard.jpg")])
    assert names() == ["x-hard.jpg"]
    os.rename(a / "x-hard.jpg", a / "z-hard.jpg")
    with Store(db) as store:
        store.forget([str(a / "x-hard.jpg")])
        store.put([_record(a / "z-hard.jpg", "blurry", 0.9)], "test")
    assert names() == ["x.jpg"]
