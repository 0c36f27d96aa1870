"""A symbolic link to a folder that a scan does not follow (no ``--follow-symlinks``) is said, once, on stderr:
``lib/trip -> /elsewhere/trip`` was passed over without a word (``scanned 1 file``), though its photos were not
scanned, and a plain rescan after a ``--follow-symlinks`` one forgot their records without a word too
(2026-12-07). A link to a folder the scan reaches anyway (``lib/sub/up -> ..``) is no news and is not said."""
from __future__ import annotations

import json
import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.walk import walk
from helpers_images import save_jpeg, textured


def _library(tmp_path):
    lib, away = tmp_path / "lib", tmp_path / "elsewhere" / "trip"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(lib / "sub" / "b.jpg", textured(3))
    save_jpeg(away / "a.jpg", textured(2))
    os.symlink(away, lib / "trip")
    os.symlink("..", lib / "sub" / "up")  # (its folder is walked anyway)
    return lib


def _note_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "symbolic link" in line]


def test_a_link_to_a_folder_not_followed_is_said_with_its_name_and_the_option(tmp_path):
    lib = _library(tmp_path)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [  # (stdout: the records alone)
        str(lib.resolve() / "home.jpg"), str(lib.resolve() / "sub" / "b.jpg")]
    assert _note_lines(res.stderr) == [
        f"note: 1 symbolic link to a folder not followed, its photos not scanned: {lib.resolve() / 'trip'}; "
        "--follow-symlinks scans it"]


def test_followed_or_reached_anyway_no_note(tmp_path):
    lib = _library(tmp_path)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--follow-symlinks"])
    assert res.exit_code == 0, res.output
    assert "scanned 3 files" in res.stderr and _note_lines(res.stderr) == []
    os.unlink(lib / "trip")
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    assert res.exit_code == 0 and _note_lines(res.stderr) == []  # (sub/up -> ..: the library itself)


def test_several_links_counted_and_named(tmp_path):
    lib = _library(tmp_path)
    for n in range(4):
        (tmp_path / f"d{n}").mkdir()
        os.symlink(tmp_path / f"d{n}", lib / f"link{n}")
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
    assert res.exit_code == 0, res.output
    [line] = _note_lines(res.stderr)
    assert line.startswith("note: 5 symbolic links to folders not followed, their photos not scanned: ")
    assert line.endswith(" and 2 more; --follow-symlinks scans them")


def test_the_walk_reports_the_link_in_passed_over_only(tmp_path):
    lib = _library(tmp_path)
    passed: dict[str, int] = {}
    refs = list(walk([lib], passed_over=passed))
    assert len(refs) == 2
    assert passed == {str(lib.resolve() / "trip") + os.sep: 1}
    passed = {}
    assert len(list(walk([lib], passed_over=passed, follow_symlinks=True))) == 3 and passed == {}


def test_three_links_are_all_named_a_fourth_is_one_more(tmp_path):
    """The note names 3 links; a 4th is `and 1 more` (not named). The closing line counts no link among the files
    passed over (not photos)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "home.jpg", textured(1))
    names = []
    for n in range(4):
        (tmp_path / f"d{n}").mkdir()
        os.symlink(tmp_path / f"d{n}", lib / f"link{n}")
        names.append(str(lib.resolve() / f"link{n}"))
        if n < 2:
            continue
        res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none"])
        assert res.exit_code == 0, res.output
        shown = ", ".join(names[:3]) + (" and 1 more" if n == 3 else "")
        assert _note_lines(res.stderr) == [f"note: {n + 1} symbolic links to folders not followed, their photos not "
                                           f"scanned: {shown}; --follow-symlinks scans them"]
        [closing] = [line for line in res.stderr.splitlines() if line.startswith("scanned ")]
        assert "passed over" not in closing, closing
