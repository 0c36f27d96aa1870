"""An undo in the review page of a discard whose photo ``blurscan move`` (or ``trash``) has taken since: the
decision is undone, and the answer says the photo stays away until ``blurscan undo`` (until 2026-12-05 it said
"undone" and nothing else, while the file stayed in the --to folder)."""
from __future__ import annotations

import os
import shlex

from blurscan.errors import shell_path
from helpers_cli import run
from helpers_review import _get, _post, build_review_library, review_client


def _discarded_then_moved(tmp_path):
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    change = _post(c, "/api/decision", {"id": item["id"], "v": item["v"], "decision": "discard"}).get_json()["change"]
    assert run("move", db.parent, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    assert not os.path.exists(recs["blurry.jpg"].path)
    return db, recs, c, item, change


def test_the_undo_says_the_photo_stays_moved_and_how_to_bring_it_back(tmp_path):
    db, recs, c, item, change = _discarded_then_moved(tmp_path)
    answer = _post(c, "/api/undo", {"change": change, "id": item["id"]})
    assert answer.status_code == 200
    data = answer.get_json()
    assert (data["reverted"], data["decision"]) == ("discard", None)  # the decision is undone
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"] == {"batch": 1, "kind": "move", "to": str(tmp_path / "out" / "a" / "blurry.jpg"),
                             "command": command, "found": True}
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan move` already moved the photo "
                            f"(batch 1, to {tmp_path / 'out' / 'a' / 'blurry.jpg'}): run `{command}` to bring it back")
    # the command it names brings it back
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_an_undo_of_a_photo_still_there_says_nothing_of_a_move(tmp_path):
    lib = build_review_library(tmp_path)
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["partial.jpg"]
    change = _post(c, "/api/decision", {"id": item["id"], "v": item["v"], "decision": "discard"}).get_json()["change"]
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    assert data["reverted"] == "discard" and "moved" not in data and "note" not in data
    # and a page that names no change (the database's last): the same answer about a moved photo
    db, recs, c, item, change = _discarded_then_moved(tmp_path / "again")
    data = _post(c, "/api/undo", {}).get_json()
    assert data["reverted"] == "discard" and data["moved"]["batch"] == 1
