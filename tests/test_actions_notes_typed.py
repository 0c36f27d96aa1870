"""The commands ``move`` / ``trash`` / ``tag`` name in their notes (`blurscan review`, `blurscan bursts`,
`blurscan undo --list`) find the database they ran on where they are typed: with ``--db FILE`` for a database
given by ``--db`` (kept on another drive, given through a link), with PATH as given, or bare where the current
folder finds it. Until 2026-12-07 they were bare, or with PATH, for a ``--db`` database too, and found none
(``no image files found here``, or another library's)."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys

from helpers_cli import run
from helpers_images import make_library
import pytest


def _named(note: str, what: str) -> list[str]:
    """The words of the command ``what`` (``blurscan review``) a note names between backquotes."""
    found = re.search(rf"`({re.escape(what)}[^`]*)`", note)
    assert found, note
    return shlex.split(found.group(1))


def _typed(words: list[str], folder) -> subprocess.CompletedProcess:
    """``blurscan ...`` run as typed in ``folder`` (the tests' PYTHONPATH inherited)."""
    return subprocess.run([sys.executable, "-m", "blurscan", *words[1:]], cwd=folder, capture_output=True,
                          text=True, timeout=120)


def _kept_elsewhere(tmp_path, monkeypatch):
    lib, home, other = tmp_path / "Pictures", tmp_path / "home", tmp_path / "other"
    make_library(lib, n_sharp=1, n_blurry=2)
    (tmp_path / "drive" / "dbs").mkdir(parents=True)
    home.mkdir()
    other.mkdir()
    (home / "drive").symlink_to(tmp_path / "drive")  # the database on another drive, given through a link
    db = home / "drive" / "dbs" / "pics & co.db"
    monkeypatch.chdir(home)
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    return lib, db, other


@pytest.mark.slow
def test_the_notes_of_an_action_on_a_db_kept_elsewhere_name_it(tmp_path, monkeypatch):
    lib, db, other = _kept_elsewhere(tmp_path, monkeypatch)
    empty = run("move", "--db", db, "--to", tmp_path / "rej")
    review = _named(empty.stderr, "blurscan review")
    assert review == ["blurscan", "review", "--db", str(db)], empty.stderr
    # (review serves a page until stopped: report finds the database by the same words)
    listed = _typed(["blurscan", "report", *review[2:]], other)
    assert listed.returncode == 0 and "blurry_0.png" in listed.stdout, listed.stdout + listed.stderr
    cut = run("move", "--db", db, "--to", tmp_path / "rej", "--min-p-blurry", "0.99")
    assert _named(cut.stderr, "blurscan review") == review, cut.stderr

    first = run("trash", "--db", db, "--from-bursts")
    bursts = _named(first.stderr, "blurscan bursts")
    assert bursts == ["blurscan", "bursts", "--db", str(db)], first.stderr
    grouped = _typed(bursts, other)
    assert grouped.returncode == 0, grouped.stdout + grouped.stderr
    assert "no burst groups yet" not in run("trash", "--db", db, "--from-bursts").stderr  # (it ran on this one)

    assert run("move", "--db", db, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    again = run("move", "--db", db, "--to", tmp_path / "rej", "--all-blurry")
    batches = _named(again.stderr, "blurscan undo --list")
    assert batches == ["blurscan", "undo", "--list", "--db", str(db)], again.stderr
    shown = _typed(batches, other)
    assert shown.returncode == 0 and shown.stdout.startswith("batch 1 "), shown.stdout + shown.stderr


def test_the_notes_name_path_absolute_or_bare_where_the_folder_finds_the_database(tmp_path, monkeypatch):
    """PATH typed relative (``../my lib 'q'``) is named absolute: pasted in another folder (another terminal tab)
    the command finds the same library. Until 2026-12-07 it was written as typed, and found none there."""
    lib, other, third = tmp_path / "my lib 'q'", tmp_path / "other", tmp_path / "third"
    make_library(lib, n_sharp=1, n_blurry=2)
    other.mkdir()
    third.mkdir()
    monkeypatch.chdir(other)
    assert run("scan", "../my lib 'q'", "--model", "none").exit_code == 0
    review = _named(run("move", "../my lib 'q'", "--to", "../rej").stderr, "blurscan review")
    assert review == ["blurscan", "review", str(lib)]
    listed = _typed(["blurscan", "report", *review[2:]], third)  # (review serves a page: report, same words)
    assert listed.returncode == 0 and "blurry_0.png" in listed.stdout, listed.stdout + listed.stderr
    bursts = _named(run("tag", "../my lib 'q'", "--xmp", "--from-bursts").stderr, "blurscan bursts")
    assert bursts == ["blurscan", "bursts", str(lib)]
    grouped = _typed(bursts, third)
    assert grouped.returncode == 0 and "burst group" in grouped.stderr, grouped.stdout + grouped.stderr
    monkeypatch.chdir(lib)
    assert _named(run("move", "--to", "../rej").stderr, "blurscan review") == ["blurscan", "review"]
