"""The review page counts a file stored under two names (a hard link, a symbolic link to a photo) once, as
``report`` lists it and ``move`` takes it: its grid, folder counts and header agree with them (until 2026-12-05
each name was a photo of its own there, and the header's bytes were more than ``move`` frees)."""
from __future__ import annotations

import os

from helpers_cli import jsonl, run
from helpers_library import decide_in
from helpers_review import BASE, CSRF, _get, _photo, _record, review_client

from blurscan.store import Store


def _library(tmp_path):
    """Two blurry photos, each stored under a second name (a hard link, a symbolic link), and a sharp one."""
    a = tmp_path / "lib" / "a"
    a.mkdir(parents=True)
    for name, blur, seed in (("x.jpg", 5.0, 1), ("y.jpg", 5.0, 2), ("s.jpg", 0.0, 3)):
        _photo(a / name, blur, seed)
    os.link(a / "x.jpg", a / "x-hard.jpg")
    os.symlink("y.jpg", a / "y-link.jpg")
    recs = [_record(a / n, "blurry", 0.9) for n in ("x.jpg", "y.jpg", "x-hard.jpg", "y-link.jpg")]
    recs.append(_record(a / "s.jpg", "sharp", 0.1))
    db = tmp_path / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put(recs, "test")
    return db


def test_each_file_once_as_report_lists_it(tmp_path):
    db = _library(tmp_path)
    listed = jsonl(run("report", db.parent, "--db", db, "--format", "jsonl").stdout)
    flagged = [r for r in listed if r["verdict"] in ("blurry", "partial")]
    c = review_client((db, {}))
    summary = _get(c, "/api/summary").get_json()
    assert (summary["photos"], summary["flagged"]) == (len(listed), len(flagged)) == (3, 2)
    assert summary["flagged_bytes"] == sum(r["size"] for r in flagged)
    items = _get(c, "/api/items?filter=all").get_json()["items"]
    assert sorted(it["path"] for it in items) == sorted(r["path"] for r in listed)
    folders = _get(c, "/api/folders").get_json()["folders"]
    assert [(f["photos"], f["flagged"]) for f in folders if f["folder"].endswith("/a")] == [(3, 2)]


def test_discarded_bytes_are_what_move_frees(tmp_path):
    db = _library(tmp_path)
    c = review_client((db, {}))
    for it in _get(c, "/api/items?filter=flagged").get_json()["items"]:
        r = c.post("/api/decision", json={"id": it["id"], "v": it["v"], "decision": "discard"}, base_url=BASE,
                   headers=CSRF)
        assert r.status_code == 200, r.data
    summary = r.get_json()["summary"]  # (the figures a decision answers with: kept between requests)
    assert summary == _get(c, "/api/summary").get_json()
    out = tmp_path / "out"
    assert run("move", db.parent, "--db", db, "--to", out, "--yes").exit_code == 0
    moved = [p for p in out.rglob("*") if p.is_file()]
    assert (summary["discarded"], summary["discarded_bytes"]) == (len(moved), sum(p.stat().st_size for p in moved))
    assert summary["discarded"] == 2


def test_a_discard_on_the_name_not_listed_is_the_name_shown_as_move_takes_it(tmp_path):
    """A discard made on the other name (by a page opened before, or before the names were scanned apart): the
    page shows that name, discarded, as ``move`` takes it; the name ``report`` lists is then the one left out."""
    db = _library(tmp_path)
    decide_in(db, db.parent / "a" / "x.jpg", "discard")
    c = review_client((db, {}))
    items = {it["name"]: it["decision"] for it in _get(c, "/api/items?filter=flagged").get_json()["items"]}
    assert items == {"x.jpg": "discard", "y.jpg": None}
    summary = _get(c, "/api/summary").get_json()
    assert (summary["flagged"], summary["discarded"], summary["undecided"]) == (2, 1, 1)
    out = tmp_path / "out"
    assert run("move", db.parent, "--db", db, "--to", out, "--yes").exit_code == 0
    moved = [p for p in out.rglob("*") if p.is_file()]
    assert [p.name for p in moved] == ["x.jpg"] and summary["discarded_bytes"] == moved[0].stat().st_size
