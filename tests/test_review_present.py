"""A tab shown again learns which of its photos another command took away (review/present.py): each list answer
carries a mark (``listed``) of what may change the lists; ``GET /api/decisions?listed=MARK`` answers the ids of
the photos a list may still show when another command has written since, and only then."""
from __future__ import annotations

import os
import urllib.parse

import pytest

from blurscan.review import security

from helpers_cli import run
from helpers_review import _get, _post, build_review_library, review_client


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


def _decisions(client, mark):
    return _get(client, "/api/decisions?listed=" + urllib.parse.quote(mark)).get_json()


def test_the_photos_moved_away_since_the_list_are_not_present(lib, tmp_path):
    db, recs = lib
    client = review_client(lib)
    listed = _get(client, "/api/items?filter=all").get_json()
    ids = {it["name"]: it["id"] for it in listed["items"]}
    mark = listed["listed"]
    # nothing written since (a decision of this tab's is no change of the lists): no ids, the same mark
    assert _post(client, "/api/decision", {"id": ids["blurry.jpg"], "decision": "discard"}).status_code == 200
    same = _decisions(client, mark)
    assert same["listed"] == mark and "present" not in same
    assert "present" not in _get(client, "/api/decisions").get_json()  # (a page older than 2026-12-06)
    root = os.path.dirname(os.path.dirname(recs["blurry.jpg"].path))
    assert run("move", root, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    after = _decisions(client, mark)
    assert after["listed"] != mark
    assert sorted(after["present"]) == sorted(i for name, i in ids.items() if name != "blurry.jpg")
    assert security.path_id(recs["blurry.jpg"].path) not in after["present"]
    assert "present" not in _decisions(client, after["listed"])
    # the list read now carries the new mark
    assert _get(client, "/api/items?filter=all").get_json()["listed"] == after["listed"]
