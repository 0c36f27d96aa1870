"""A library database made from its sub-folders' databases (blurscan.cli.locate._seed_from_nested) whose first scan
stopped before it went through the library: the next scan is seeded by them too (blurscan.seeded.unfinished_seeds).
The upgrade of 2026-12-06: a sub-folder scanned by an older blurscan, the library's first scan by this one. Real
scans of generated photos (model "none"); Ctrl-C is raised where the scan walks the library."""
from __future__ import annotations

from blurscan import pipeline
from blurscan.schema import SCHEMA_VERSION
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")


def _library(tmp_path):
    """lib/2024 (three photos) scanned on its own, lib/misc (one) not yet."""
    lib = tmp_path / "lib"
    for i in range(3):
        save_jpeg(lib / "2024" / f"IMG_{i}.jpg", blurred(textured(i), 3.0) if i else textured(i))
    save_jpeg(lib / "misc" / "IMG_9.jpg", textured(9))
    assert run("scan", lib / "2024", *SCAN).exit_code == 0
    return lib


def test_a_first_scan_that_refused_its_output_file_leaves_no_database_and_the_next_reuses_the_sub_folder(tmp_path):
    """The database, made (seeded) before the --output file was refused, stayed: the next scan found it, was not
    seeded, and decoded lib/2024's photos again."""
    lib = _library(tmp_path)
    refused = run("scan", lib, *SCAN, "-o", tmp_path / "no-such-folder" / "list.csv")
    assert refused.exit_code == 2, refused.output
    assert not (lib / ".blurscan.db").exists()
    again = run("scan", lib, *SCAN)
    assert again.exit_code == 0, again.output
    assert "scanned 4 files" in again.stderr and "(3 unchanged, reused)" in again.stderr


def test_a_first_scan_whose_model_would_not_load_leaves_no_database_the_next_scan_then_seeded_again(tmp_path):
    """Made before the model was loaded, the database stayed: empty for a new library (`report` listed "0 files"
    and `move` said to review first, where no database said to scan), and for one with a sub-folder's database
    seeded by nothing at the next scan, which decoded lib/2024's photos again."""
    alone = tmp_path / "alone"
    save_jpeg(alone / "IMG_1.jpg", textured(1))
    lib = _library(tmp_path)
    for folder in (alone, lib):
        stopped = run("scan", folder, "--model", tmp_path / "typo.onnx")
        assert stopped.exit_code == 1 and "model file not found" in stopped.output
        assert not (folder / ".blurscan.db").exists()
    listed = run("report", alone)
    assert listed.exit_code == 1 and "no blurscan database found here" in listed.output
    again = run("scan", lib, *SCAN)
    assert again.exit_code == 0, again.output
    assert "scanned 4 files" in again.stderr and "(3 unchanged, reused)" in again.stderr


def test_a_first_scan_stopped_by_ctrl_c_while_it_walks_the_library_leaves_the_sub_folder_seeding(
        tmp_path, monkeypatch, sigint_put_back):
    """Walking a large library (on a network drive: minutes) comes before any file is looked up: a Ctrl-C then left
    a database seeded by nothing, and the next scan decoded lib/2024's photos again. A scan of a folder inside the
    library does not end the seeding; one of the library does."""
    lib = _library(tmp_path)
    real = pipeline.walk

    def ctrl_c_in_the_walk(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "walk", ctrl_c_in_the_walk)
    stopped = run("scan", lib, *SCAN)
    assert stopped.exit_code == 130 and "interrupted before any file was scanned" in stopped.stderr, stopped.output
    monkeypatch.setattr(pipeline, "walk", real)
    part = run("scan", lib / "misc", *SCAN)  # (the library's database, not the whole library: seeded still)
    assert part.exit_code == 0 and "database: " + str(lib / ".blurscan.db") in part.stderr, part.output
    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "scanned 4 files" in whole.stderr and "(4 unchanged, reused)" in whole.stderr
    save_jpeg(lib / "2024" / "IMG_5.jpg", textured(5))  # scored into lib/2024's database only
    assert run("scan", lib / "2024" / "IMG_5.jpg", "--db", lib / "2024" / ".blurscan.db", *SCAN).exit_code == 0
    after = run("scan", lib, *SCAN)  # (seeded no more once a scan went through the library, as before)
    assert "scanned 5 files" in after.stderr and "(4 unchanged, reused)" in after.stderr, after.output


def _stopped_in_the_walk(lib, monkeypatch):
    """The library's first scan, stopped by Ctrl-C while it walks the library (its database marked unfinished)."""
    real = pipeline.walk

    def ctrl_c_in_the_walk(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "walk", ctrl_c_in_the_walk)
    assert run("scan", lib, *SCAN).exit_code == 130
    monkeypatch.setattr(pipeline, "walk", real)


def test_a_sub_folders_database_a_newer_blurscan_has_written_since_seeds_no_more_and_the_scan_goes_on(
        tmp_path, monkeypatch, sigint_put_back):
    """A seed is opened read-only at every scan until one goes through the library: one this blurscan cannot read
    (upgraded by a newer blurscan since, unreadable) is passed over, as when the library's database was first made,
    and its photos are scored afresh; opened, it stopped every scan of the library. (Found by mutation testing:
    nothing checked that the seeds still seeding are readable ones.)"""
    lib = _library(tmp_path)
    _stopped_in_the_walk(lib, monkeypatch)
    with Store(lib / "2024" / ".blurscan.db") as newer:
        newer.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "scanned 4 files" in whole.stderr and "(0 unchanged, reused)" in whole.stderr, whole.stderr


def test_a_scan_of_the_library_through_a_linked_parent_folder_with_a_folder_of_it_besides_ends_the_seeding(
        tmp_path, monkeypatch, sigint_put_back):
    """The library named through a link above it (a home folder that is a link, macOS's /tmp) and one of its
    folders named besides: the scan went through the library, so the sub-folders' databases seed no later scan.
    (Found by mutation testing: only the library named alone, by its real path, was tried.)"""
    lib = _library(tmp_path / "real")
    (tmp_path / "via").symlink_to(tmp_path / "real")
    _stopped_in_the_walk(lib, monkeypatch)
    linked = tmp_path / "via" / "lib"
    whole = run("scan", linked, linked / "misc", *SCAN)
    assert whole.exit_code == 0 and "(3 unchanged, reused)" in whole.stderr, whole.output
    save_jpeg(lib / "2024" / "IMG_5.jpg", textured(5))  # scored into lib/2024's database only
    assert run("scan", lib / "2024" / "IMG_5.jpg", "--db", lib / "2024" / ".blurscan.db", *SCAN).exit_code == 0
    after = run("scan", lib, *SCAN)
    assert "scanned 5 files" in after.stderr and "(4 unchanged, reused)" in after.stderr, after.output


def test_every_sub_folders_database_still_seeds_after_a_first_scan_stopped_in_the_walk(
        tmp_path, monkeypatch, sigint_put_back):
    """lib/2024 and lib/2025 each scanned on its own: both seed the scan after the stopped one, not the first
    remembered alone. (Found by mutation testing: a library of one scanned sub-folder was tried.)"""
    lib = _library(tmp_path)
    save_jpeg(lib / "2025" / "IMG_7.jpg", textured(7))
    assert run("scan", lib / "2025", *SCAN).exit_code == 0
    _stopped_in_the_walk(lib, monkeypatch)
    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "scanned 5 files" in whole.stderr and "(4 unchanged, reused)" in whole.stderr, whole.stderr
