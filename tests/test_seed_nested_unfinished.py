"""A library database made from its sub-folders' databases (blurscan.cli.locate._seed_from_nested) whose first scan
stopped before it went through the library: the next scan is seeded by them too (blurscan.seeded.unfinished_seeds).
The upgrade of 2026-12-06: a sub-folder scanned by an older blurscan, the library's first scan by this one. Real
scans of generated photos (model "none"); Ctrl-C is raised where the scan walks the library."""
from __future__ import annotations

from blurscan import pipeline
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


def test_a_first_scan_stopped_early_leaves_the_sub_folders_seeding_until_one_goes_through_the_library(tmp_path):
    """A model that would not load stopped the first scan once the database was made (as an older blurscan did):
    no later scan reused lib/2024's results. A scan of a folder inside the library does not end the seeding; one
    of the library does."""
    lib = _library(tmp_path)
    stopped = run("scan", lib, "--model", tmp_path / "typo.onnx")
    assert stopped.exit_code == 1 and "model file not found" in stopped.output
    assert (lib / ".blurscan.db").exists()
    part = run("scan", lib / "misc", *SCAN)  # (the library's database: not the whole library)
    assert part.exit_code == 0 and "database: " + str(lib / ".blurscan.db") in part.stderr, part.output
    whole = run("scan", lib, *SCAN)
    assert whole.exit_code == 0, whole.output
    assert "scanned 4 files" in whole.stderr and "(4 unchanged, reused)" in whole.stderr
    save_jpeg(lib / "2024" / "IMG_5.jpg", textured(5))  # scored into lib/2024's database only
    assert run("scan", lib / "2024" / "IMG_5.jpg", "--db", lib / "2024" / ".blurscan.db", *SCAN).exit_code == 0
    after = run("scan", lib, *SCAN)  # (seeded no more: as after any first scan that went through)
    assert "scanned 5 files" in after.stderr and "(4 unchanged, reused)" in after.stderr, after.output


def test_a_first_scan_stopped_by_ctrl_c_while_it_walks_the_library_leaves_the_sub_folder_seeding(tmp_path,
                                                                                                 monkeypatch):
    """Walking a large library (on a network drive: minutes) comes before any file is looked up: a Ctrl-C then left
    a database seeded by nothing, and the next scan decoded lib/2024's photos again."""
    lib = _library(tmp_path)
    real = pipeline.walk

    def ctrl_c_in_the_walk(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "walk", ctrl_c_in_the_walk)
    stopped = run("scan", lib, *SCAN)
    assert stopped.exit_code == 130 and "interrupted before any file was scanned" in stopped.stderr, stopped.output
    monkeypatch.setattr(pipeline, "walk", real)
    again = run("scan", lib, *SCAN)
    assert again.exit_code == 0, again.output
    assert "scanned 4 files" in again.stderr and "(3 unchanged, reused)" in again.stderr
