"""A folder *linked into* a library (``lib/trip -> /elsewhere/trip``, scanned with ``--follow-symlinks``: its
photos are stored as ``lib/trip/...``) given to the commands that read the library's database: resolved whole,
``report lib/trip`` (and review, bursts, move, trash, tag, undo) looked for a database above ``/elsewhere/trip``
and said to run a scan there, which would have made a second database (2026-12-04)."""
from __future__ import annotations

import json
import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.locate import library_path
from helpers_images import blurred, save_jpeg, textured


def test_a_folder_linked_into_the_library_is_read_from_the_librarys_database(tmp_path):
    lib, away = tmp_path / "lib", tmp_path / "elsewhere" / "trip"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(away / "a.jpg", blurred(textured(2), 4.0))
    os.symlink(away, lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", "--follow-symlinks", str(lib), "--model", "none"]).exit_code == 0
    assert library_path(lib / "trip") == str(lib.resolve() / "trip")
    assert library_path(lib / "trip" / "a.jpg") == str(lib.resolve() / "trip" / "a.jpg")
    assert library_path(away) == str(away.resolve())  # given by its own name: as it is (no database above it)
    res = runner.invoke(main, ["report", str(lib / "trip"), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(lib.resolve() / "trip" / "a.jpg")]
    res = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib / "trip"), "--all-blurry"])
    assert res.exit_code == 0, res.output
    assert "trip/a.jpg" in res.output and "home.jpg" not in res.output
    assert (away / "a.jpg").is_file()  # (a dry run)
    res = runner.invoke(main, ["report", str(away)])
    assert res.exit_code == 1 and "no blurscan database found" in res.stderr
