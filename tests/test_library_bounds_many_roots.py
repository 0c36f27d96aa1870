"""A library scanned from a ``--files-from`` list records each folder holding a listed file as a scanned root
(hundreds), and ``move`` / ``trash`` / ``tag`` ask of every candidate whether it lies under one of them
(:func:`blurscan.library_bounds.under_any`): that took one ``os.path.commonpath`` a root a candidate (54 s to plan
a move of 80,000 photos against 401 roots, until 2026-12-06). Now each candidate's folders are looked up in a set
of the roots: the work does not grow with the roots, and the answer is commonpath's, edge cases included."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.library_bounds import Folders, in_library, library_folders, under_any
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured

FOLDERS = 30


def _counting_commonpath(monkeypatch):
    """Count the ``os.path.commonpath`` calls made from :mod:`blurscan.library_bounds`."""
    import sys

    calls = []
    real = os.path.commonpath

    def counting(paths):
        if sys._getframe(1).f_globals.get("__name__") == "blurscan.library_bounds":
            calls.append(paths)
        return real(paths)

    monkeypatch.setattr(os.path, "commonpath", counting)
    return calls


def test_planning_a_move_looks_at_no_root_per_candidate(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    listed = []
    for n in range(FOLDERS):
        photo = lib / f"day{n:02d}" / "IMG_1.jpg"
        save_jpeg(photo, blurred(textured(n), 4.0))
        listed.append(str(photo))
    (tmp_path / "list.txt").write_text("\n".join(listed) + "\n")
    db = str(lib / ".blurscan.db")
    res = CliRunner().invoke(main, ["scan", "--files-from", str(tmp_path / "list.txt"), "--model", "none",
                                    "--db", db, "--workers", "1"])
    assert res.exit_code == 0, res.output
    with Store(db) as store:
        assert len(library_folders(store)) >= FOLDERS  # (each listed file's folder, and the database's)
    calls = _counting_commonpath(monkeypatch)
    res = CliRunner().invoke(main, ["move", "--all-blurry", "--to", str(tmp_path / "out"), "--db", db])
    assert res.exit_code == 0, res.output
    assert res.output.count("would move ") == FOLDERS, res.output
    # (one commonpath a root a candidate made ~FOLDERS * FOLDERS / 2 of them here)
    assert len(calls) <= FOLDERS, len(calls)


@pytest.mark.parametrize("path", ["/", "/a", "/a/b", "/a/b/c.jpg", "/ab/c", "/A/b", "/a/./b", "//a/b", "/a/b/",
                                  "/x/../a/b", "/a/..", "/a/.b/c"])
def test_under_any_answers_as_commonpath_does(path):
    folders = ("/a/b", "/a/", "/a/./b", "//a", "/A", "/x/..", "/a/.b", "relative", "", "/ab/")
    for one in folders:
        try:
            expected = os.path.commonpath([path, one]) == one
        except ValueError:
            expected = False
        assert under_any(path, Folders([one])) is expected, (path, one)
        assert under_any(path, [one]) is expected, (path, one)
    assert under_any(path, ("/",)) is True


def test_in_library_with_many_roots_is_decided_by_name_and_real_path(tmp_path):
    real = tmp_path / "disk" / "photos"
    (real / "2024").mkdir(parents=True)
    os.symlink(real, tmp_path / "linked")
    roots = Folders([str(tmp_path / f"other{n}") for n in range(200)] + [str(real)])
    assert in_library(str(real / "2024" / "a.jpg"), roots)
    assert in_library(str(tmp_path / "linked" / "2024" / "a.jpg"), roots, {})  # (by its real path)
    assert not in_library(str(tmp_path / "other") + "x/a.jpg", roots)
    assert not in_library(str(tmp_path / "disk" / "a.jpg"), roots)
