"""A library database that can no longer be written (a share or card made read-only after a review): the scan
keeps its database in the cache folder, seeded from the library's results, and the review's keeps and discards
come along, so that ``move`` still takes what the person discarded (until 2026-12-05 the discards stayed behind
silently and ``move`` said "no photo is marked discard")."""
from __future__ import annotations

import os

from blurscan.review import decisions
from blurscan.store import Store

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured


def _library(root):
    paths = {}
    for i in range(4):
        img = textured(i)
        paths[i] = save_jpeg(root / f"shot_{i}.jpg", blurred(img, 3.0) if i % 2 else img)
    return paths


def test_keeps_and_discards_of_a_read_only_library_database_come_along(tmp_path, monkeypatch):
    root = tmp_path / "lib"
    photos = _library(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    library_db = root / ".blurscan.db"
    with Store(library_db) as store:
        decisions.set_decision(store, str(photos[1]), "discard")
        decisions.set_decision(store, str(photos[3]), "discard")
        decisions.set_decision(store, str(photos[0]), "keep")
        decisions.set_decision(store, str(photos[2]), "discard")
    os.utime(photos[2], ns=(1_600_000_000 * 10**9,) * 2)  # changed since its decision: judged afresh
    before = library_db.read_bytes()
    library_db.chmod(0o444)  # no write bit for anyone: not writable, for root too (blurscan.permissions)
    try:
        scanned = run("scan", root, "--model", "none", "--workers", "1")
        assert scanned.exit_code == 0, scanned.stderr
        assert "is read-only: its results are reused for unchanged photos" in scanned.stderr
        (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
        with Store(db) as store:
            assert decisions.discarded(store) == {str(photos[1]), str(photos[3])}
            assert decisions.kept(store) == {str(photos[0])}
        dry = run("move", "--to", tmp_path / "rejects", root)
        assert dry.exit_code == 0, dry.stderr
        assert "shot_1.jpg" in dry.stdout and "shot_3.jpg" in dry.stdout, dry.stdout + dry.stderr
        assert "shot_0.jpg" not in dry.stdout and "shot_2.jpg" not in dry.stdout
        assert library_db.read_bytes() == before
    finally:
        library_db.chmod(0o644)


def test_sub_folder_databases_keep_their_decisions(tmp_path, monkeypatch):
    """An earlier scan of a sub-folder seeding a new library database: its decisions stay in it (as documented:
    it is still the database of that sub-folder), only its results are reused."""
    root = tmp_path / "lib"
    photos = _library(root / "sub")
    assert run("scan", root / "sub", "--model", "none", "--workers", "1").exit_code == 0
    with Store(root / "sub" / ".blurscan.db") as store:
        decisions.set_decision(store, str(photos[1]), "discard")
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    with Store(root / ".blurscan.db") as store:
        assert decisions.discarded(store) == frozenset()


def test_decisions_made_after_an_earlier_scan_into_the_cache_folder_come_along_but_none_taken_back(
        tmp_path, monkeypatch):
    """The cache-folder database existed already (scanned while the library's database could not be written, then
    reviewed by its owner): the next scan still brings the new decisions along; a discard taken back in the
    cache-folder database is not brought back by later scans."""
    root = tmp_path / "lib"
    photos = _library(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    library_db = root / ".blurscan.db"
    library_db.chmod(0o444)
    try:
        assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0  # the cache database
        (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
        library_db.chmod(0o644)
        with Store(library_db) as store:  # its owner reviews the library meanwhile
            decisions.set_decision(store, str(photos[1]), "discard")
            decisions.set_decision(store, str(photos[3]), "discard")
        library_db.chmod(0o444)
        again = run("scan", root, "--model", "none", "--workers", "1")
        assert again.exit_code == 0, again.stderr
        with Store(db) as store:
            assert decisions.discarded(store) == {str(photos[1]), str(photos[3])}
            decisions.set_decision(store, str(photos[3]), None)  # taken back here, in the review page
        assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
        with Store(db) as store:
            assert decisions.discarded(store) == {str(photos[1])}
    finally:
        library_db.chmod(0o644)
