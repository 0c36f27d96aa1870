"""The review page's undo of a discard whose photo was taken since (review/moved_note.py), found by mutation
testing: a photo trashed, a database not named .blurscan.db (the command names it with --db), a photo put back by
hand (nothing to say), and one whose undo was killed before it moved back (row `undoing`)."""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time

from blurscan.errors import shell_path
from helpers_cli import run
from helpers_review import _get, _post, build_review_library, review_client
from helpers_sqlite import connected


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
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"] == {"batch": 1, "kind": "trash", "to": "the trash", "command": command, "found": True}
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan trash` already trashed the photo "
                            f"(batch 1, to the trash): run `{command}` to bring it back")
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_database_of_another_name_is_named_with_db(tmp_path):
    db, recs = build_review_library(tmp_path)
    other = tmp_path / "photos.db"
    os.rename(db, other)
    c = review_client((other, recs))
    item, change = _discard(c, "blurry.jpg")
    assert run("move", db.parent, "--db", other, "--to", tmp_path / "out", "--yes").exit_code == 0
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 --db {shell_path(other)}"
    assert data["moved"]["command"] == command
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


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


def test_a_photo_moved_again_after_being_put_back_by_hand_names_the_last_move(tmp_path):
    """Moved, put back by hand, moved again (2026-12-06): the note names the batch that took it last, whose undo
    brings it back (the first batch's finds it at neither place)."""
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item, change = _discard(c, "blurry.jpg")
    for out in (tmp_path / "out1", tmp_path / "out2"):
        assert run("move", db.parent, "--db", db, "--to", out, "--yes").exit_code == 0
        if out.name == "out1":
            os.rename(out / "a" / "blurry.jpg", recs["blurry.jpg"].path)  # (by hand, not by `blurscan undo`)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 2 {shell_path(db.parent)}"
    assert data["moved"] == {"batch": 2, "kind": "move", "to": str(tmp_path / "out2" / "a" / "blurry.jpg"),
                             "command": command, "found": True}
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_move_killed_before_its_journal_said_done_is_named_too(tmp_path):
    """A row the journal left 'moving' (the move was killed after the photo went, before its row said so: made so
    here by setting the state): the photo is away all the same, and the undo named brings it back (2026-12-06)."""
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item, change = _discard(c, "blurry.jpg")
    assert run("move", db.parent, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    with connected(db) as conn:
        conn.execute("UPDATE journal SET state = 'moving' WHERE src = ?", (str(recs["blurry.jpg"].path),))
        conn.execute("UPDATE batches SET state = 'running'")
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"]["batch"] == 1 and data["moved"]["command"] == command
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_photo_no_longer_where_the_batch_put_it_is_said_so(tmp_path, monkeypatch):
    """Deleted from the --to folder (an undo run since found it at neither place), or trashed and the trash
    emptied: the note says it is no longer found there, and that the command brings it back once it is there
    again (until 2026-12-06: "run ... to bring it back", and that undo answered it cannot); put back there, the
    command does (2026-12-06)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    moved, moved_change = _discard(c, "blurry.jpg")
    assert run("move", db.parent, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    away = tmp_path / "out" / "a" / "blurry.jpg"
    kept = away.read_bytes()
    away.unlink()
    assert run("undo", db.parent, "--db", db).exit_code == 1  # (missing, and not found at the --to folder either)
    trashed, trashed_change = _discard(c, "soft.png")
    assert run("trash", db.parent, "--yes").exit_code == 0
    for entry in (tmp_path / "share" / "Trash" / "files").iterdir():  # the trash emptied
        entry.unlink()
    data = _post(c, "/api/undo", {"change": moved_change, "id": moved["id"]}).get_json()
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"] == {"batch": 1, "kind": "move", "to": str(away), "command": command, "found": False}
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan move` already moved the photo "
                            f"(batch 1, to {away}), where it is no longer found: `{command}` brings it back once "
                            "it is there again")
    data = _post(c, "/api/undo", {"change": trashed_change, "id": trashed["id"]}).get_json()
    assert data["moved"]["found"] is False and data["moved"]["command"] == f"blurscan undo --batch 2 {shell_path(db.parent)}"
    assert data["note"].endswith("(batch 2, to the trash), where it is no longer found: "
                                 f"`blurscan undo --batch 2 {shell_path(db.parent)}` brings it back once it is there again")
    away.parent.mkdir(parents=True, exist_ok=True)
    away.write_bytes(kept)  # (the file put back where the move put it)
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_photo_whose_undo_was_killed_before_it_moved_back_is_named_too(tmp_path):
    """`blurscan undo` killed (SIGKILL) after journaling the photo's row `undoing`, before the file moved back: the
    photo is still in --to, and the page's undo of its discard names the batch whose undo brings it back."""
    lib = build_review_library(tmp_path)
    db, recs = lib
    c = review_client(lib)
    item, change = _discard(c, "blurry.jpg")
    assert run("move", db.parent, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
    killed = subprocess.run([sys.executable, "-c", _KILLED_AS_IT_MOVES_BACK, "undo", str(db.parent), "--db", str(db)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not os.path.exists(recs["blurry.jpg"].path)
    with connected(db) as conn:
        assert conn.execute("SELECT state FROM journal WHERE src = ?", (str(recs["blurry.jpg"].path),)).fetchone() \
            == ("undoing",)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 {shell_path(db.parent)}"
    assert data["moved"] == {"batch": 1, "kind": "move", "to": str(tmp_path / "out" / "a" / "blurry.jpg"),
                             "command": command, "found": True}
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


#: `blurscan undo`, killed (SIGKILL) as it is to move its first file back: the row journaled `undoing`, no more.
_KILLED_AS_IT_MOVES_BACK = """
import os, signal, sys
from blurscan.actions import restore
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
restore.move_file = killed
from blurscan.cli import main
main(sys.argv[1:])
"""


def test_a_photo_whose_place_is_on_the_librarys_drive_not_mounted_now_says_to_mount_it_first(tmp_path):
    """The library on a drive (``DISK``), its database kept off it (``--db``); a discard, ``move --to`` a folder
    off the drive, then the drive unplugged (``DISK`` left empty, older than the batch): the page's undo says, in
    ``report``'s words, that the photo's place is on the library's drive, not mounted now, to mount it and run the
    undo. Until 2026-12-07 it said to run the undo, which refused the photo (its folder looks like a drive not
    mounted); once the drive is there again, that undo puts it back."""
    disk = tmp_path / "media" / "DISK"
    db, recs = build_review_library(disk)
    other = tmp_path / "lib.db"
    os.rename(db, other)
    c = review_client((other, recs))
    item, change = _discard(c, "blurry.jpg")
    assert run("move", disk / "lib", "--db", other, "--to", tmp_path / "out", "--yes").exit_code == 0
    os.rename(disk / "lib", tmp_path / "unplugged")  # (the drive's files, gone with it)
    os.utime(disk, (time.time() - 3600,) * 2)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 --db {shell_path(other)}"
    assert data["moved"]["found"] is True and data["moved"]["command"] == command
    assert data["note"] == (
        f"blurry.jpg: the discard is undone, but `blurscan move` already moved the photo (batch 1, to "
        f"{tmp_path / 'out' / 'a' / 'blurry.jpg'}): its place is on the library's drive, not mounted now ({disk / 'lib'} "
        f"is not there, and {disk} is empty and not modified since the batch): mount it and run `{command}` to bring "
        "it back")
    report = run("report", "--db", other).output
    assert f"its place is on the library's drive, not mounted now ({disk / 'lib'} is not there" in report, report
    refused = run(*shlex.split(command)[1:])
    assert refused.exit_code != 0 and "looks like a drive not mounted" in refused.output, refused.output
    os.rename(tmp_path / "unplugged", disk / "lib")  # (the drive mounted again)
    assert run(*shlex.split(command)[1:]).exit_code == 0 and os.path.exists(recs["blurry.jpg"].path)


def test_a_photo_of_a_library_whose_database_is_on_a_drive_mounted_elsewhere_says_to_mount_the_librarys_drive(
        tmp_path, monkeypatch):
    """The library at ``DISK/lib`` on one drive, its database at ``DISK1/lib`` on another (the mount table played
    by a file, which tells no drive's identity); a discard, ``move --to`` a folder off both, then the library's
    drive unplugged (``DISK`` left empty, older than the batch): the page's undo says, in ``report``'s words, that
    the photo's place is under ``DISK``, where no drive is mounted now, the database on a drive at ``DISK1``, to
    mount the library's drive at ``DISK`` again, and names the undo as it will be typed there, as ``report`` does
    (:func:`blurscan.actions.batch_drives.library_away`). Until 2026-12-07 it said to run the undo, which refused."""
    from blurscan.scanned_roots import remember_roots
    from blurscan.store import Store
    from test_undo_to_unmounted import _mountinfo

    disk = tmp_path.resolve() / "media" / "DISK"
    disk1 = disk.parent / "DISK1"
    db, recs = build_review_library(disk)
    (disk1 / "lib").mkdir(parents=True)
    other = disk1 / "lib" / ".blurscan.db"
    os.rename(db, other)
    with Store(other) as store:  # (scanned there: the library's folder)
        remember_roots(store, [str(disk / "lib")])
    _mountinfo(tmp_path, monkeypatch, disk, disk1)
    c = review_client((other, recs))
    item, change = _discard(c, "blurry.jpg")
    assert run("move", disk / "lib", "--db", other, "--to", tmp_path / "out", "--yes").exit_code == 0
    os.rename(disk / "lib", tmp_path / "unplugged")  # (the drive's files, gone with it)
    os.utime(disk, (time.time() - 3600,) * 2)
    _mountinfo(tmp_path, monkeypatch, disk1)
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    command = f"blurscan undo --batch 1 {shell_path(disk / 'lib')}"
    said = (f"its place is under {disk}, where no drive is mounted now, and this database is on a drive mounted at "
            f"{disk1} (the library's drive, mounted at another place?): mount the library's drive at {disk} again")
    assert data["note"] == (f"blurry.jpg: the discard is undone, but `blurscan move` already moved the photo (batch 1, "
                            f"to {tmp_path / 'out' / 'a' / 'blurry.jpg'}): {said} and run `{command}` to bring it back")
    assert data["moved"]["command"] == command
    assert f"not listed: {said} and `blurscan undo {disk / 'lib'}` puts it back" in run("report", disk1 / "lib").stderr
