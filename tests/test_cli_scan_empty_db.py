"""A scan that finds no photos removes the database it created, and only that: another scan of the library,
started meanwhile, may have found it and be writing there (a walkthrough: ``scan lib/videos`` removed the
``.blurscan.db``, ``-wal`` and ``-shm`` under a ``scan lib`` started 0.3 s later, which then said it had stored
1,500 photos; 8 runs of 8, 2026-12-04)."""
from __future__ import annotations

import os

from blurscan.cli.scan import _remove_database
from blurscan.store import Store
from helpers_cli import run


def test_a_scan_of_a_folder_without_photos_leaves_no_database(tmp_path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "clip.MOV").write_bytes(b"\x00" * 64)
    result = run("scan", tmp_path / "videos", "--model", "none")
    assert result.exit_code == 0, result.output
    assert "database: none" in result.stderr
    assert not [n for n in os.listdir(tmp_path / "videos") if n.startswith(".blurscan.db")]


def test_a_database_another_process_uses_or_wrote_is_not_removed(tmp_path):
    db = tmp_path / ".blurscan.db"
    Store(db).close()  # made, and left empty: this scan's own
    other = Store(db)  # another scan's connection, open
    try:
        assert not _remove_database(db)
        assert db.is_file()
    finally:
        other.close()
    with Store(db) as store:  # another scan came, stored a photo, and went
        store.conn.execute("INSERT INTO decisions (path, decision, decided_at) VALUES ('/x/a.jpg', 'keep', 0)")
    assert not os.path.exists(f"{db}-wal")
    assert not _remove_database(db) and db.is_file()
    empty = tmp_path / "empty.db"
    Store(empty).close()
    assert _remove_database(empty) and not empty.exists()


def test_a_first_scan_stopped_by_ctrl_c_before_any_file_leaves_no_empty_database(
        tmp_path, monkeypatch, sigint_put_back):
    """Ctrl-C while the first scan of a folder walked it (a large library on a network drive) left an empty
    database: `report` then listed "0 files" and `move` said to review first, where no database says to scan (as
    a first scan stopped by a --model that would not load, since 2026-12-06). A database that was there before is
    kept, and so is a new library database seeded by its sub-folders' databases (tests/test_seed_nested_unfinished
    .py: it remembers them for the next scan). Ctrl-C is raised where the scan walks the folder."""
    from blurscan import pipeline
    from helpers_images import save_jpeg, textured

    alone = tmp_path / "alone"
    save_jpeg(alone / "IMG_1.jpg", textured(1))
    real = pipeline.walk

    def ctrl_c_in_the_walk(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "walk", ctrl_c_in_the_walk)
    stopped = run("scan", alone, "--model", "none")
    assert stopped.exit_code == 130 and "interrupted before any file was scanned" in stopped.stderr, stopped.output
    assert not [n for n in os.listdir(alone) if n.startswith(".blurscan.db")]
    listed = run("report", alone)
    assert listed.exit_code == 1 and "no blurscan database found here" in listed.output, listed.output
    monkeypatch.setattr(pipeline, "walk", real)
    assert run("scan", alone, "--model", "none").exit_code == 0
    monkeypatch.setattr(pipeline, "walk", ctrl_c_in_the_walk)
    assert run("scan", alone, "--model", "none").exit_code == 130  # (the database of the scan before: kept)
    monkeypatch.setattr(pipeline, "walk", real)
    assert "1 file: " in run("report", alone).output
