"""``blurscan report PATH``'s note of a folder no scan has stored looks at its first NOTE_ENTRIES directory entries
(tests/test_report_unscanned_path.py): a folder of exactly that many, a photo among them, is looked at in full
(its note says the scan adds its photos); a file the scan cannot read, found before the bound, is said as such."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.scan_notes import NOTE_ENTRIES
from helpers_images import save_jpeg, textured


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    return lib, runner


def _note(runner, lib, folder) -> str:
    res = runner.invoke(main, ["report", str(folder), "--format", "jsonl"])
    assert res.exit_code == 0 and res.stdout == "", res.output
    return res.stderr.removeprefix(f"note: {lib.resolve() / '.blurscan.db'} holds no photo under {folder.resolve()}; ")


def test_a_folder_of_exactly_the_bound_is_looked_at_in_full(tmp_path):
    lib, runner = _library(tmp_path)
    docs = lib / "docs"
    docs.mkdir()
    for f in range(NOTE_ENTRIES - 1):
        (docs / f"doc{f}.txt").touch()
    save_jpeg(docs / "z.jpg", textured(2))
    assert len(os.listdir(docs)) == NOTE_ENTRIES
    assert _note(runner, lib, docs) == f"`blurscan scan {docs.resolve()}` adds its photos\n"
    (docs / "doc-one-more.txt").touch()  # (one past: not looked at in full)
    assert _note(runner, lib, docs).endswith(f"(not looked for past its first {NOTE_ENTRIES:,} files and folders)\n")


def test_a_file_that_cannot_be_read_found_before_the_bound_is_said(tmp_path):
    lib, runner = _library(tmp_path)
    docs = lib / "docs"
    (docs / "a").mkdir(parents=True)
    os.symlink(tmp_path / "usb" / "IMG_1.jpg", docs / "a" / "IMG_1.jpg")  # (a drive not mounted: an error record)
    (docs / "b").mkdir()
    for f in range(NOTE_ENTRIES):
        (docs / "b" / f"doc{f}.txt").touch()
    assert _note(runner, lib, docs) == f"`blurscan scan {docs.resolve()}` records why it cannot read what it finds " \
        "there\n"
