"""A photo ``blurscan trash`` took, the trash emptied since, and another file of the same name trashed by the desktop
after that (its ``.trashinfo`` names another path; camera names repeat across folders): undo says the photo is gone
(``... is now another trashed file``), and then, its batch closed, that there is nothing to undo. ``report`` and
the review page took the other file for the photo: "`blurscan undo` puts it back" (and "run `blurscan undo --batch
1` to bring it back"), until 2026-12-07. They say it is no longer there, as undo does; a trash entry naming the
photo (or none, or unreadable: not told apart) still counts as the photo there."""
from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from helpers_cli import run
from helpers_review import _get, _post, build_review_library, review_client

PUTS_BACK = "` puts it back)"  # (`blurscan undo --db DB`)
GONE = "no longer in the trash or the --to folder, is not listed: `blurscan undo` cannot bring it back"


def _trashed(tmp_path, monkeypatch):
    """(db, the trashed photo, its name in the trash's files/): blurry.jpg discarded in the page, then trashed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item = {it["name"]: it for it in _get(c, "/api/items").get_json()["items"]}["blurry.jpg"]
    change = _post(c, "/api/decision", {"id": item["id"], "v": item["v"], "decision": "discard"}).get_json()["change"]
    out = run("trash", db.parent, "--db", db, "--yes")
    assert out.exit_code == 0, out.output
    photo = recs["blurry.jpg"].path
    files = tmp_path / "data" / "Trash" / "files"
    [name] = os.listdir(files)
    return db, photo, files / name, c, item, change


def photo_of(info):
    """The photo's path, as its trash entry (written by the trash batch) names it."""
    for line in info.read_text().splitlines():
        if line.startswith("Path="):
            from urllib.parse import unquote
            return unquote(line[5:])
    raise AssertionError(info)


def _another_trashed_under_its_name(in_trash, other):
    """The trash emptied, then ``other`` trashed by the desktop under the photo's name there (``other`` the photo
    itself: the photo's bytes and entry written again, as they were)."""
    info = in_trash.parent.parent / "info" / (in_trash.name + ".trashinfo")
    data, photo = in_trash.read_bytes(), photo_of(info)
    in_trash.unlink()
    info.unlink()
    in_trash.write_bytes(b"another photo" if other != photo else data)
    info.write_text(f"[Trash Info]\nPath={quote(str(other))}\nDeletionDate=2026-12-07T10:00:00\n")


@pytest.mark.parametrize("entry", ["another file's", "the photo's"])
def test_report_tells_another_file_trashed_under_the_photos_name_from_the_photo(tmp_path, monkeypatch, entry):
    db, photo, in_trash, *_ = _trashed(tmp_path, monkeypatch)
    _another_trashed_under_its_name(in_trash, str(tmp_path / "elsewhere" / in_trash.name)
                                    if entry == "another file's" else str(photo))
    notes = run("report", db.parent, "--db", db).stderr
    if entry == "the photo's":
        assert PUTS_BACK in notes and GONE not in notes, notes
        assert run("undo", db.parent, "--db", db).exit_code == 0 and os.path.exists(photo)
        return
    assert GONE in notes and PUTS_BACK not in notes, notes
    undo = run("undo", db.parent, "--db", db)
    assert undo.exit_code == 1 and "is now another trashed file" in undo.stderr, undo.output
    assert GONE in run("report", db.parent, "--db", db).stderr  # (and once the batch is closed: nothing to undo)
    assert run("undo", db.parent, "--db", db).stdout.startswith("Nothing to undo")


def test_the_review_pages_note_says_the_photo_is_no_longer_there(tmp_path, monkeypatch):
    db, photo, in_trash, c, item, change = _trashed(tmp_path, monkeypatch)
    _another_trashed_under_its_name(in_trash, str(tmp_path / "elsewhere" / in_trash.name))
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    assert data["moved"]["found"] is False, data
    assert "where it is no longer found" in data["note"] and "to bring it back" not in data["note"], data["note"]
