"""A database an older blurscan (schema 1, before 2026-12-03) wrote for a library scanned through a symbolic link
to its folder: every row under the link's name. After the upgrade a scan stores canonical names; the old rows
must follow them: scores reused, keeps, discards and a person's burst keeper still acted on, the old move
batch undone. The old database is built here with the SQL that version ran (its migration 1)."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest

from blurscan.store import Store

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_sqlite import connected

#: Schema 1 as blurscan wrote it until 2026-12-02 (only the tables this test fills; the others as well, so that
#: the upgrade runs every later migration on what that version left).
OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE images (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, cache_key TEXT, status TEXT NOT NULL,
    error TEXT, verdict TEXT, p_blurry REAL, blur_type TEXT, laplacian_var REAL, width INTEGER, height INTEGER,
    captured_at TEXT, phash TEXT, record TEXT NOT NULL, scanned_at REAL NOT NULL);
CREATE INDEX images_verdict ON images(verdict);
CREATE TABLE decisions (path TEXT PRIMARY KEY, decision TEXT NOT NULL CHECK (decision IN ('keep', 'discard')),
    size INTEGER, mtime_ns INTEGER, decided_at REAL NOT NULL);
CREATE INDEX decisions_decision ON decisions(decision);
CREATE TABLE decision_log (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, previous TEXT, prev_size INTEGER,
    prev_mtime_ns INTEGER, prev_decided_at REAL, decision TEXT, at REAL NOT NULL, undone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX decision_log_open ON decision_log(undone, id);
CREATE TABLE batches (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, destination TEXT,
    created_at REAL NOT NULL, state TEXT NOT NULL);
CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id INTEGER NOT NULL REFERENCES batches(id), src TEXT NOT NULL, dst TEXT, size INTEGER, sha256 TEXT,
    state TEXT NOT NULL, error TEXT, updated_at REAL NOT NULL);
CREATE INDEX journal_batch ON journal(batch_id);
CREATE TABLE burst_groups (group_id INTEGER NOT NULL, path TEXT NOT NULL, rank INTEGER NOT NULL,
    is_keeper INTEGER NOT NULL, reason TEXT, figures TEXT, chosen_by TEXT NOT NULL DEFAULT 'auto',
    PRIMARY KEY (group_id, path));
CREATE INDEX burst_groups_path ON burst_groups(path);
PRAGMA user_version = 1;
"""

SCAN = ("--model", "none", "--workers", "1")


@pytest.fixture()
def old_library(tmp_path):
    """``(link, real, rejects)``: photos in ``real/lib``, reached as ``link/lib`` (``link`` -> ``real``), and the
    old database in it with every row under ``link/lib``; ``blurry_1.jpg`` moved to ``rejects`` by batch 1."""
    real, link, rejects = tmp_path / "real" / "lib", tmp_path / "link", tmp_path / "rejects"
    for i in range(3):
        save_jpeg(real / f"sharp_{i}.jpg", textured(i, (120, 160)))
    for i in range(2):
        save_jpeg(real / f"blurry_{i}.jpg", blurred(textured(10 + i, (120, 160)), 3.0))
    os.symlink(tmp_path / "real", link)
    # the records, with the scores this version computes (the old version's cache key was the same)
    assert run("scan", real, *SCAN, "--db", tmp_path / "scratch.db").exit_code == 0
    with connected(tmp_path / "scratch.db") as scratch:
        rows = scratch.execute("SELECT path, size, mtime_ns, cache_key, status, verdict, p_blurry, record "
                               "FROM images").fetchall()
    old = sqlite3.connect(real / ".blurscan.db")
    old.executescript(OLD_SCHEMA)
    named = {}
    for path, size, mtime_ns, key, status, verdict, p_blurry, record in rows:
        name = os.path.basename(path)
        old_path = str(link / "lib" / name)
        named[name] = (old_path, size, mtime_ns)
        record = json.loads(record)
        record["path"] = old_path
        old.execute("INSERT INTO images (path, size, mtime_ns, cache_key, status, verdict, p_blurry, record, "
                    "scanned_at) VALUES (?,?,?,?,?,?,?,?,1.0)",
                    (old_path, size, mtime_ns, key, status, verdict, p_blurry, json.dumps(record)))
    for name, decision in (("blurry_0.jpg", "keep"), ("sharp_2.jpg", "discard")):
        path, size, mtime_ns = named[name]
        old.execute("INSERT INTO decisions VALUES (?,?,?,?,2.0)", (path, decision, size, mtime_ns))
        old.execute("INSERT INTO decision_log (path, decision, at) VALUES (?,?,2.0)", (path, decision))
    for rank, name in enumerate(("blurry_0.jpg", "sharp_0.jpg", "sharp_1.jpg"), 1):  # a person chose blurry_0
        old.execute("INSERT INTO burst_groups VALUES (1, ?, ?, ?, 'chosen by a person', '{}', 'person')",
                    (named[name][0], rank, int(rank == 1)))
    moved = rejects / "blurry_1.jpg"
    moved.parent.mkdir()
    os.rename(real / "blurry_1.jpg", moved)
    old.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES ('move', ?, 3.0, 'done')",
                (str(rejects),))
    old.execute("INSERT INTO journal (batch_id, src, dst, size, sha256, state, updated_at) "
                "VALUES (1, ?, ?, ?, ?, 'done', 3.0)",
                (named["blurry_1.jpg"][0], str(moved), named["blurry_1.jpg"][1],
                 hashlib.sha256(moved.read_bytes()).hexdigest()))
    old.commit()
    old.close()
    return link / "lib", real, rejects


def test_rows_an_older_blurscan_stored_under_a_linked_folder_follow_the_canonical_names(old_library):
    lib, real, rejects = old_library
    moved_bytes = (rejects / "blurry_1.jpg").read_bytes()
    scan = run("scan", lib, *SCAN)
    assert scan.exit_code == 0, scan.output
    assert "(4 unchanged, reused)" in scan.output  # the old scores, not every photo decoded again
    with Store(real / ".blurscan.db", create=False) as store:
        decided = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
        assert decided == {str(real / "blurry_0.jpg"): "keep", str(real / "sharp_2.jpg"): "discard"}
        assert store.conn.execute("SELECT COUNT(*) FROM images").fetchone()[0] == 5  # one row a photo
    discards = run("move", lib, "--to", rejects.parent / "out")  # the old discard is taken (a dry run)
    assert "sharp_2.jpg [discard]" in discards.output and "elsewhere" not in discards.output
    bursts = run("move", lib, "--to", rejects.parent / "out", "--from-bursts")
    assert "sharp_0.jpg [burst]" in bursts.output and "sharp_1.jpg [burst]" in bursts.output
    assert "blurry_0.jpg" not in bursts.output  # the keeper the person chose
    assert "blurry_0.jpg" not in run("move", lib, "--to", rejects.parent / "out", "--all-blurry").output
    undo = run("undo", lib)
    assert undo.exit_code == 0, undo.output
    assert (real / "blurry_1.jpg").read_bytes() == moved_bytes
    report = run("report", lib)
    assert "another name" not in report.output and "blurry_1.jpg" in report.output


def test_a_linked_folder_a_scan_walks_under_its_link_name_keeps_its_rows(tmp_path):
    """``lib/trip`` a link to a folder outside ``lib``: ``scan lib --follow-symlinks`` stores its photos as
    ``lib/trip/...``, the name this version gives them, not an older one's. A scan of the linked folder alone
    (stored under its canonical name) left them alone until 2026-12-05: since the morning it took them, with the
    person's decisions, to the canonical name, and the next scan of the library scored them again, undecided."""
    lib, outside = tmp_path / "lib", tmp_path / "outside" / "trip"
    save_jpeg(lib / "a.jpg", textured(1, (120, 160)))
    save_jpeg(outside / "b.jpg", blurred(textured(2, (120, 160)), 3.0))
    os.symlink(outside, lib / "trip")
    db = tmp_path / "x.db"
    assert run("scan", lib, "--follow-symlinks", *SCAN, "--db", db).exit_code == 0
    linked = str(lib / "trip" / "b.jpg")
    with Store(db) as store:
        store.conn.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                           "SELECT path, 'discard', size, mtime_ns, 1.0 FROM images WHERE path = ?", (linked,))
        store.conn.commit()
    assert run("scan", lib / "trip", *SCAN, "--db", db).exit_code == 0
    again = run("scan", lib, "--follow-symlinks", *SCAN, "--db", db)
    assert again.exit_code == 0, again.output
    assert "(2 unchanged, reused)" in again.output  # not scored again
    with Store(db, create=False) as store:
        decided = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
    assert decided == {linked: "discard"}


def test_a_decision_carried_from_a_linked_name_never_replaces_the_photo_own(tmp_path):
    """An older blurscan stored ``lib/current/IMG_1.jpg`` when ``current`` named ``2020``, and a discard of that
    photo; ``current`` now names ``2021``, whose own ``IMG_1.jpg``, another photo, the person kept (earlier). The
    first scan after the upgrade, of ``lib/2021``, carried the discard over the keep (until 2026-12-05: the later
    decision stayed, whatever photo it was made on), and the keep was lost."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2020" / "IMG_1.jpg", blurred(textured(1, (120, 160)), 3.0))
    save_jpeg(lib / "2021" / "IMG_1.jpg", textured(2, (100, 160)))
    db = tmp_path / "x.db"
    for folder in ("2020", "2021"):
        assert run("scan", lib / folder, *SCAN, "--db", db).exit_code == 0
    old, own = str(lib / "current" / "IMG_1.jpg"), str(lib / "2021" / "IMG_1.jpg")
    with connected(db) as conn:  # as the older blurscan left it: the 2020 photo under the link's name
        conn.execute("UPDATE images SET path = ? WHERE path = ?", (old, str(lib / "2020" / "IMG_1.jpg")))
        conn.execute("INSERT INTO decisions SELECT path, 'discard', size, mtime_ns, 5.0 FROM images WHERE path = ?",
                     (old,))
        conn.execute("INSERT INTO decisions SELECT path, 'keep', size, mtime_ns, 3.0 FROM images WHERE path = ?",
                     (own,))
        conn.execute("DELETE FROM meta")  # (no scanned folders recorded: that version recorded none)
    os.symlink(lib / "2021", lib / "current")
    assert run("scan", lib / "2021", *SCAN, "--db", db).exit_code == 0
    with Store(db, create=False) as store:
        decided = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
    assert decided.get(own) == "keep"


def test_a_folder_linked_into_a_library_reached_through_a_link_follows_the_name_the_walk_gives(tmp_path):
    """An older blurscan scanned ``home/lib --follow-symlinks`` (``home`` a link to ``data``, ``lib/trip`` a link to
    a folder outside): every row under ``home/lib``. A scan now walks ``data/lib`` and, through the link,
    ``data/lib/trip``; the rows of ``home/lib/trip``, whose canonical name is the folder outside, took no name
    the walk gave: those photos were scored again and their decisions left under the old name, for the linked-name
    note to advise a scan of ``home/lib/trip`` that named them otherwise again (until 2026-12-05)."""
    data, outside = tmp_path / "data", tmp_path / "outside" / "trip"
    save_jpeg(data / "lib" / "a.jpg", textured(1, (120, 160)))
    save_jpeg(outside / "b.jpg", blurred(textured(2, (120, 160)), 3.0))
    os.symlink(outside, data / "lib" / "trip")
    os.symlink(data, tmp_path / "home")
    lib, db = data / "lib", data / "lib" / ".blurscan.db"
    assert run("scan", lib, "--follow-symlinks", *SCAN).exit_code == 0
    old = str(tmp_path / "home" / "lib")
    with connected(db) as conn:  # as the older blurscan left it: every row under the link's name
        conn.execute("DELETE FROM meta WHERE key = 'scanned_roots'")
        conn.execute("UPDATE images SET path = replace(path, ?, ?)", (str(lib), old))
        conn.execute("INSERT INTO decisions SELECT path, 'discard', size, mtime_ns, 1.0 FROM images WHERE path = ?",
                     (old + "/trip/b.jpg",))
    again = run("scan", tmp_path / "home" / "lib", "--follow-symlinks", *SCAN)
    assert again.exit_code == 0 and "(2 unchanged, reused)" in again.output, again.output
    with Store(db, create=False) as store:
        assert dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall()) == {
            str(lib / "trip" / "b.jpg"): "discard"}
        assert store.conn.execute("SELECT COUNT(*) FROM images").fetchone()[0] == 2
    report = run("report", lib)
    assert "linked folder" not in report.stderr and "another name" not in report.stderr, report.stderr
