"""Named on the command line (``blurscan scan lib/*``), a symbolic link whose target is not there is passed over
and counted (``1 symbolic link whose target is not there``) unless its name is a photo's or a RAW's, in any case (``IMG_2.JPG``, ``IMG_3.cr2``):
that one is an error record, named or walked, as a walk of ``lib`` makes it, and ``report`` lists it. A hidden
FIFO or broken link named beside its walked folder is counted once (the walk counts no hidden file)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.walk import BROKEN_LINK, walk
from helpers_images import save_jpeg, textured


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", textured(1))
    for name in ("IMG_2.JPG", "IMG_3.cr2", "trip"):
        os.symlink(tmp_path / "usb" / name, lib / name)  # (a drive not mounted)
    return lib




def test_a_named_broken_link_with_a_photos_name_is_an_error_record_as_when_walked(tmp_path):
    lib = _library(tmp_path)
    runner = CliRunner()
    walked = runner.invoke(main, ["scan", str(lib), "--model", "none"])
    named = runner.invoke(main, ["scan", *sorted(str(p) for p in lib.iterdir() if p.name != ".blurscan.db"),
                                 "--model", "none"])
    for res in (walked, named):
        assert res.exit_code == 0, res.output
        closing = next(line for line in res.stderr.splitlines() if line.startswith("scanned "))
        assert " 2 errors" in closing and closing.endswith("passed over 1 symbolic link whose target is not there"), \
            res.stderr
    report = runner.invoke(main, ["report", str(lib), "--only", "errors", "--format", "jsonl"])
    assert report.exit_code == 0 and report.stdout.count('"path"') == 2, report.output
    assert "IMG_2.JPG" in report.stdout and "IMG_3.cr2" in report.stdout and "trip" not in report.stdout


def test_a_hidden_fifo_or_broken_link_named_with_its_folder_is_counted_once(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", textured(1))
    os.mkfifo(lib / ".pipe")
    os.symlink(tmp_path / "gone", lib / ".trip")
    for paths in ([lib, lib / ".pipe", lib / ".trip"], [lib / ".pipe", lib / ".trip", lib]):
        passed_over: dict[str, int] = {}
        items = list(walk(paths, passed_over=passed_over))
        assert not any(isinstance(item, ScanRecord) for item in items), items
        assert passed_over == {"": 1, BROKEN_LINK: 1}, (paths, passed_over)
