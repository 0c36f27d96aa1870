"""The header's figures a keep or discard answers with (review/totals.py): those a count of the whole library
gives, found from the figures kept and the photos the decision changed, not by counting the whole library at
each key press (0.25 s with 60,000 photos); counted in full again when another program wrote meanwhile."""
from __future__ import annotations

import os

import pytest

from blurscan.review import header_figures, library, security
from blurscan.review.elsewhere import KeptElsewhere
from blurscan.review.other_names import OtherNames
from blurscan.store import Store
from helpers_review import BASE, _get, _photo, _post, _record, build_review_library, review_client


@pytest.fixture()
def full_counts(monkeypatch):
    """How many times the whole library's figures were counted (``header_figures.summary`` without ``only``)."""
    counts = [0]
    real = header_figures.summary

    def counting(store, *args, only=None, **kwargs):
        if only is None:
            counts[0] += 1
            return real(store, *args, **kwargs)
        return real(store, *args, only=only, **kwargs)

    monkeypatch.setattr(header_figures, "summary", counting)
    return counts


_real_summary = header_figures.summary


def _counted(db) -> dict:
    """The figures counted now, in full, with caches of their own."""
    with Store(db, create=False) as store:
        return _real_summary(store, library.Companions(), KeptElsewhere(), others=OtherNames().of(store))


def _library(tmp_path):
    """The review test library, with a hard link of ``blurry.jpg`` stored under another name (a keep on one
    name protects the other; the page shows and counts one name: test_review_other_names.py), a sidecar beside
    ``soft.png`` (its bytes count) and a sharp photo."""
    db, recs = build_review_library(tmp_path)
    folder_a = os.path.dirname(recs["blurry.jpg"].path)
    other = tmp_path / "lib" / "fav"
    other.mkdir()
    os.link(recs["blurry.jpg"].path, other / "best.jpg")
    (tmp_path / "lib" / "b" / "soft.xmp").write_bytes(b"<x/>" * 100)
    extra = [_record(other / "best.jpg", "blurry", 0.9),
             _record(_photo(os.path.join(folder_a, "crisp.jpg"), 0.0, 8), "sharp", 0.02)]
    with Store(db) as store:
        store.put(extra, "test")
    return db


def test_a_decision_answers_with_the_full_counts_figures_without_counting_the_library(tmp_path, full_counts):
    db = _library(tmp_path)
    tab = review_client((db, None))
    items = {it["name"]: it for it in _get(tab, "/api/items?filter=all").get_json()["items"]}
    assert full_counts[0] == 1 and "best.jpg" not in items
    # (a decision on the name not shown: a page loaded before the fix of 2026-12-05 may send one)
    best = {"id": security.path_id(str(tmp_path / "lib" / "fav" / "best.jpg")), "v": items["blurry.jpg"]["v"]}
    items["best.jpg"] = best
    steps = [("blurry.jpg", "keep"), ("best.jpg", "discard"), ("crisp.jpg", "discard"), ("soft.png", "discard"),
             ("blurry.jpg", None), ("partial.jpg", "keep"), ("best.jpg", "keep"), ("crisp.jpg", "keep"),
             ("soft.png", "keep"), ("odd.bmp", "discard"), ("blurry.jpg", "discard")]
    seen = set()
    for name, decision in steps:
        answer = _post(tab, "/api/decision", {"id": items[name]["id"], "decision": decision, "v": items[name]["v"]})
        assert answer.status_code == 200, answer.get_json()
        figures = answer.get_json()["summary"]
        assert figures == _counted(db), (name, decision)
        seen.add((figures["kept"], figures["discarded"], figures["other_discarded"], figures["undecided"]))
    assert len(seen) > 5  # (the figures did change)
    # each decision: the figures kept, with its photos' (a full count each, before); but for the one that changed
    # which name of blurry.jpg's file the page shows (its keep cleared: best.jpg's discard, .other_names)
    assert full_counts[0] == 2


def test_a_write_by_another_program_since_the_last_count_is_counted_at_the_next_decision(tmp_path, full_counts):
    db = _library(tmp_path)
    tab = review_client((db, None))
    items = {it["name"]: it for it in _get(tab, "/api/items?filter=all").get_json()["items"]}
    answer = _post(tab, "/api/decision", {"id": items["odd.bmp"]["id"], "decision": "keep", "v": items["odd.bmp"]["v"]})
    assert answer.get_json()["summary"] == _counted(db) and full_counts[0] == 1
    # a scan stores a new flagged photo meanwhile, and another review server a discard
    new = _photo(tmp_path / "lib" / "b" / "new.jpg", 4.0, 11)
    with Store(db) as store:
        store.put([_record(new, "blurry", 0.9)], "test")
    other_tab = review_client((db, None))
    answer = _post(other_tab, "/api/decision", {"id": items["soft.png"]["id"], "decision": "discard",
                                                 "v": items["soft.png"]["v"]})
    assert answer.status_code == 200
    count = full_counts[0]
    answer = _post(tab, "/api/decision", {"id": items["partial.jpg"]["id"], "decision": "keep",
                                          "v": items["partial.jpg"]["v"]})
    figures = answer.get_json()["summary"]
    assert figures == _counted(db) and full_counts[0] == count + 1
    assert (figures["flagged"], figures["discarded"], figures["kept"]) == (5, 1, 2)
    # the page loaded again (its caches emptied: a sidecar added since counts): counted in full at its list
    (tmp_path / "lib" / "b" / "odd.xmp").write_bytes(b"<x/>" * 50)
    assert tab.get("/", base_url=BASE).status_code == 200
    _get(tab, "/api/items")
    answer = _post(tab, "/api/decision", {"id": items["partial.jpg"]["id"], "decision": None,
                                          "v": items["partial.jpg"]["v"]})
    assert answer.get_json()["summary"] == _counted(db)
