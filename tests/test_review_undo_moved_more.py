"""The review page's undo of a discard whose photo was taken since (review/moved_note.py), found by mutation
testing: a photo trashed, a database not named .blurscan.db (the command names it with --db), and a photo put
back by hand (nothing to say)."""
from __future__ import annotations

import os

from helpers_cli import run
from helpers_review import _get, _post, build_review_library, review_client


def _discard(c, name: str) -> tuple[dict, int]:
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}[name]
    change = _post(c, "/api/decision", {"id": item["id"], "v": item["v"], "decision": "discard"}).get_json()["change"]
    return item, change


def test_a_trashed_photo_is_said_trashed_to_the_trash(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item, change = _discard(c, "blurry.jpg")
    assert run("trash", db.parent, "--yes").exit_code == 0 and not os.path.exists(recs["blurry.jpg"].path)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 {db.parent}"
    assert data["moved"] == {"batch": 1, "kind": "trash", "to": "the trash", "command": command}
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan trash` already trashed the photo "
                            f"(batch 1, to the trash): run `{command}` to bring it back")
    assert run(*command.split()[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_database_of_another_name_is_named_with_db(tmp_path):
    db, recs = build_review_library(tmp_path)
    other = tmp_path / "photos.db"
    os.rename(db, other)
    c = review_client((other, recs))
    item, change = _discard(c, "blurry.jpg")
    assert run("move", db.parent, "--db", other, "--to", tmp_path / "out", "--yes").exit_code == 0
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 --db {other}"
    assert data["moved"]["command"] == command
    assert run(*command.split()[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_photo_put_back_by_hand_says_nothing_of_the_move(tmp_path):
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item, change = _discard(c, "blurry.jpg")
    out = tmp_path / "out"
    assert run("move", db.parent, "--db", db, "--to", out, "--yes").exit_code == 0
    os.rename(out / "a" / "blurry.jpg", recs["blurry.jpg"].path)  # (by hand, not by `blurscan undo`)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    assert data["reverted"] == "discard" and "moved" not in data and "note" not in data
