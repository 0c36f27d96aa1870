"""The browser tests' sample library (the ``scanned`` fixture) is scanned once per worker and copied for each test
(:func:`helpers_browser.copy_scanned`): each copy must hold what a scan of it stores, and be the test's own."""
from __future__ import annotations

import sqlite3

from blurscan.config import ScanSettings
from blurscan.pipeline import scan


def _rows(db):
    with sqlite3.connect(db) as conn:
        return (sorted(conn.execute("SELECT path, size, mtime_ns, cache_key, status, verdict, record FROM images")),
                sorted(conn.execute("SELECT group_id, path, rank, is_keeper FROM burst_groups")),
                conn.execute("SELECT value FROM meta WHERE key = 'scanned_roots'").fetchall())


def test_a_copy_is_what_a_scan_of_it_stores_and_the_tests_own(scanned, tmp_path, decode_calls,
                                                               _sample_photos_scanned):
    """A scan of the copy finds every photo unchanged: it reads none, and leaves every row as it was (a record whose
    path, size, modification or status-change time were not the copy's would be scored or checked again, and
    rewritten). A photo the test removes is gone from its copy only."""
    from helpers_browser import copy_scanned

    photos, db = scanned
    before = _rows(db)
    assert len(before[0]) == 8 and all(row[0].startswith(f"{photos}/") for row in before[0])
    assert [row[1] for row in before[1]] == [f"{photos}/chelsea.jpg", f"{photos}/chelsea_blurred.jpg"]
    again = list(scan([photos], ScanSettings(workers=1, model="none"), db=db))
    assert len(again) == 8 and decode_calls == []
    assert _rows(db) == before
    (photos / "coffee.jpg").unlink()
    other, _ = copy_scanned(_sample_photos_scanned, tmp_path / "other")
    assert (other / "coffee.jpg").is_file() and (_sample_photos_scanned / "coffee.jpg").is_file()
