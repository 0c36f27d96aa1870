"""A link in a sub-folder of a library (``lib/2024/trip -> /elsewhere/trip``): the line that refuses it, or says
that the library's scans did not follow it, names the library (``lib``, the folder of its ``.blurscan.db``) and
its scan, not the link's folder: it said "the scans of the library lib/2024" and advised ``blurscan scan lib/2024
--follow-symlinks``, whose photos under the link the library's next plain scan forgets (until 2026-12-07)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


def _library(tmp_path, *, follow):
    lib, away = tmp_path / "lib", tmp_path / "elsewhere" / "trip"
    save_jpeg(lib / "2024" / "home.jpg", textured(1))
    save_jpeg(away / "a.jpg", blurred(textured(2), 4.0))
    os.symlink(away, lib / "2024" / "trip")
    runner = CliRunner()
    args = ["scan", str(lib), "--model", "none", *(["--follow-symlinks"] if follow else [])]
    assert runner.invoke(main, args).exit_code == 0
    return lib, away, runner


def test_a_link_in_a_sub_folder_the_scans_did_not_follow_names_the_library(tmp_path):
    lib, away, runner = _library(tmp_path, follow=False)
    link = str(lib / "2024" / "trip")
    for command in (["report", link], ["scan", link, "--model", "none"]):
        res = runner.invoke(main, command)
        assert res.exit_code == 1, res.output
        (line,) = res.stderr.splitlines()
        assert f"a folder the scans of the library {lib} did not follow" in line, line
        assert f"`blurscan scan {lib} --follow-symlinks` adds them" in line, line
        assert f"library {lib / '2024'}" not in line and f"scan {lib / '2024'} " not in line, line
    assert not (away / ".blurscan.db").exists()


def test_a_followed_link_in_a_sub_folder_names_the_library_it_is_linked_into(tmp_path):
    lib, away, runner = _library(tmp_path, follow=True)
    res = runner.invoke(main, ["scan", str(lib / "2024" / "trip"), "--model", "none"])
    assert res.exit_code == 1, res.output
    (line,) = res.stderr.splitlines()
    assert f"in a folder linked into the library {lib}, " in line, line
    assert f"`blurscan scan {lib} --follow-symlinks`" in line, line
    assert not (away / ".blurscan.db").exists()


def test_the_library_is_named_as_given_when_reached_through_a_link(tmp_path):
    """The library reached through a link of its own (``pics -> lib``): named by the path given, ``pics``."""
    lib, _away, runner = _library(tmp_path, follow=False)
    os.symlink(lib, tmp_path / "pics")
    pics = tmp_path / "pics"
    res = runner.invoke(main, ["report", str(pics / "2024" / "trip")])
    assert res.exit_code == 1, res.output
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: {pics / '2024' / 'trip'}: a symbolic link to "), line
    assert f"the scans of the library {pics} did not follow" in line, line
    assert f"`blurscan scan {pics} --follow-symlinks`" in line, line
