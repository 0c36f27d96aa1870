"""A FIFO, a socket or a device file named on the command line (``blurscan scan lib/*`` names them with the
photos): counted by its suffix among the files passed over, as a walk of ``lib`` counts it (``1 without a
suffix``), as a named ``notes.txt`` is; until 2026-12-07 each was an error record, ``not a regular file``, that
``report`` then listed. One with a photo's suffix (``pipe.jpg``) is an error record, named or walked, as before."""
from __future__ import annotations

import os
import socket

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.store import Store
from blurscan.walk import walk
from helpers_images import save_jpeg, textured


def _closing(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("scanned "))


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", textured(1))
    os.mkfifo(lib / "fifo")
    os.mkfifo(lib / "clip.MOV")
    os.mkfifo(lib / "pipe.jpg")
    (lib / "notes.txt").write_text("a shopping list\n")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(lib / "sock"))
    sock.close()
    return lib


def test_a_fifo_or_socket_named_is_passed_over_as_when_its_folder_is_walked(tmp_path):
    lib = _library(tmp_path)
    runner = CliRunner()
    walked = runner.invoke(main, ["scan", str(lib), "--model", "none"])
    assert walked.exit_code == 0, walked.output
    words = ("passed over 4 files that are not photos: 2 without a suffix, 1 .MOV, 1 .txt")
    assert _closing(walked.stderr).startswith("scanned 2 files: ") and " 1 error " in _closing(walked.stderr)
    assert _closing(walked.stderr).endswith(words), walked.stderr
    with Store(lib / ".blurscan.db") as store:  # (what `scan lib/*` stored until 2026-12-07)
        store.put([ScanRecord.from_error(str(lib / "fifo"), "not a regular file")], "older")
    named = runner.invoke(main, ["scan", *sorted(str(p) for p in lib.iterdir()), "--model", "none"])
    assert named.exit_code == 0, named.output
    assert _closing(named.stderr).startswith("scanned 2 files: ") and " 1 error " in _closing(named.stderr)
    assert _closing(named.stderr).endswith(words), named.stderr
    errors = [line for line in named.stderr.splitlines() if "not a regular file" in line]
    assert errors == [f"{lib / 'pipe.jpg'}: not a regular file"], named.stderr
    report = runner.invoke(main, ["report", str(lib), "--only", "errors", "--format", "jsonl"])
    assert report.exit_code == 0 and report.stdout.count('"path"') == 1 and "pipe.jpg" in report.stdout, report.output
    for name in ("fifo", "sock", "clip.MOV"):  # (typed alone: as a named notes.txt)
        res = runner.invoke(main, ["scan", str(lib / name), "--model", "none"])
        assert res.exit_code == 0 and "not a regular file" not in res.stderr, res.output
        assert _closing(res.stderr).startswith("scanned 0 files: ") and _closing(res.stderr).endswith(
            "; passed over 1 file that is not a photo: 1 " + (".MOV" if "." in name else "without a suffix"))
        assert "no image files found" in res.stderr


def test_the_walk_counts_a_named_fifo_once_whether_its_folder_is_walked_too(tmp_path):
    lib = _library(tmp_path)
    for paths in ([lib / "fifo", lib], [lib, lib / "fifo"], [lib / "fifo", lib / "fifo"]):
        passed_over: dict[str, int] = {}
        errors = [item.path for item in walk(paths, passed_over=passed_over) if isinstance(item, ScanRecord)]
        assert passed_over.get("") == (2 if lib in paths else 1), (paths, passed_over)
        assert errors == ([str(lib / "pipe.jpg")] if lib in paths else []), paths


def test_a_device_file_named_is_passed_over(tmp_path):
    passed_over: dict[str, int] = {}
    assert list(walk([os.devnull], passed_over=passed_over)) == []
    assert passed_over == {"": 1}
