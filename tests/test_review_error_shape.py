"""Every error reply of the review server has one shape: JSON ``{"error": LINE, ...}`` with its status
(review/replies.py), whatever refused it. Until 2026-12-05 a malformed photo id (or a method not allowed, a body
too large) was Flask's HTML page, most refusals plain text, and a few JSON."""
from __future__ import annotations

import os

import pytest

from blurscan.review.app import create_app
from helpers_review import BASE, CSRF, TOKEN, PORT, _get, build_review_library, error_of, review_client


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


def test_each_kind_of_refusal_is_json_with_one_line(lib):
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    replies = {
        "malformed id": (c.get("/api/item/not-an-id", base_url=BASE), 404),
        "malformed thumbnail id": (c.get("/thumb/XYZ", base_url=BASE), 404),
        "malformed full id": (c.get("/full/..", base_url=BASE), 404),
        "unknown id": (c.get("/api/item/" + "0" * 24, base_url=BASE), 404),
        "unknown filter": (c.get("/api/items?filter=nope", base_url=BASE), 400),
        "not JSON": (c.post("/api/decision", data=b"{", headers={**CSRF, "Content-Type": "application/json"},
                            base_url=BASE), 400),
        "bad decision": (c.post("/api/decision", json={"id": item["id"], "decision": "maybe"}, headers=CSRF,
                                base_url=BASE), 400),
        "no CSRF header": (c.post("/api/decision", json={}, base_url=BASE), 403),
        "method not allowed": (c.get("/api/decision", base_url=BASE), 405),
        "body too large": (c.post("/api/undo", data=b" " * 70_000, headers={**CSRF, "Content-Type":
                                  "application/json"}, base_url=BASE), 413),
        "unknown path": (c.get("/api/nothing", base_url=BASE), 404),
        "no cookie": (create_app(lib[0], TOKEN, port=PORT).test_client().get("/api/items", base_url=BASE), 403),
    }
    os.remove(lib[1]["partial.jpg"].path)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["partial.jpg"]
    replies["file gone"] = (c.get(f"/thumb/{item['id']}", base_url=BASE), 404)
    replies["decision on a file gone"] = (c.post("/api/decision", json={"id": item["id"], "decision": "keep"},
                                                 headers=CSRF, base_url=BASE), 409)
    for what, (r, status) in replies.items():
        assert r.status_code == status, (what, r.status_code, r.data[:200])
        assert error_of(r), what
        assert r.headers["Cache-Control"] == "no-store", what
    assert error_of(replies["malformed id"][0]) == "no such photo (not an id the page gives): reload the page"
    assert replies["method not allowed"][0].headers["Allow"]
    assert error_of(replies["method not allowed"][0]).startswith("Method Not Allowed: ")


def test_werkzeugs_refusals_say_their_description(lib):
    """A method not allowed and a body too large: the name and the first line of Werkzeug's description, the page's
    one line (found by mutation testing of review/replies.py, 2026-12-06)."""
    c = review_client(lib)
    assert error_of(c.get("/api/decision", base_url=BASE)) == \
        "Method Not Allowed: The method is not allowed for the requested URL."
    too_large = c.post("/api/undo", data=b" " * 70_000, headers={**CSRF, "Content-Type": "application/json"},
                       base_url=BASE)
    assert error_of(too_large) == "Request Entity Too Large: The data value transmitted exceeds the capacity limit."


def test_a_keeper_choice_in_a_group_number_past_sqlites_integers_is_no_such_group(lib):
    """A keeper choice in group 99999999999999999999 (no page sends one; a hand-made request): 404, no such group.
    It was a 500, ``internal error of the review server (OverflowError): Python int too large to convert to SQLite
    INTEGER``, and a line on the terminal, until 2026-12-06 (found by coverage-guided fuzzing of the routes)."""
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    for group in (2**63, 10**20):
        r = c.post(f"/api/bursts/{group}/keeper", json={"id": item["id"], "v": item["v"]}, headers=CSRF,
                   base_url=BASE)
        assert r.status_code == 404, (group, r.status_code, r.data[:200])
        assert error_of(r) == "no such burst group (not a number the page gives): reload the page"
    r = c.post(f"/api/bursts/{2**63 - 1}/keeper", json={"id": item["id"], "v": item["v"]}, headers=CSRF,
               base_url=BASE)
    assert (r.status_code, error_of(r)) == (404, "that photo is not in this group")
