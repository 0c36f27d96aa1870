"""``--from-bursts`` before ``blurscan bursts`` has grouped anything: said, whatever the other options take.
Until 2026-12-06 only when nothing at all was selected: ``move --all-blurry --from-bursts`` listed (and with
--yes moved) the blurry photos alone, without a word of the burst shots it left out."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import build_library

NOTE = "note: no burst groups yet: run `blurscan bursts"  # (then the library as --db names it, tmp_path's lib)


def _note(tmp_path) -> str:
    """The note with the command as it can be typed here (the tests' folder): --db lib/.blurscan.db named by its
    library folder (a bare `blurscan bursts` found no database here, until 2026-12-07)."""
    return f"{NOTE} {tmp_path / 'lib'}` first"


@pytest.mark.parametrize("command", [["move", "--to", "{rejects}"], ["trash"], ["tag", "--xmp", "--dry-run"]])
def test_said_beside_what_the_other_options_take(tmp_path, command):
    store, files = build_library(tmp_path / "lib")
    store.close()
    for name in ("IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5.xmp"):  # (random bytes there: tag would refuse them)
        os.remove(files[name])
    db = tmp_path / "lib" / ".blurscan.db"
    args = [a.format(rejects=tmp_path / "rejects") for a in command]
    result = CliRunner().invoke(main, [*args, "--all-blurry", "--from-bursts", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "IMG_4.jpg" in result.stdout  # the blurry photos are taken ...
    assert result.stderr.count(_note(tmp_path)) == 1, result.stderr  # ... and the bursts' absence said, once
    alone = CliRunner().invoke(main, [*args, "--all-blurry", "--db", str(db)])
    assert NOTE not in alone.stderr  # (not asked for: not said)


def test_said_once_when_nothing_is_taken(tmp_path):
    store, _ = build_library(tmp_path / "lib")
    store.close()
    result = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db",
                                       str(tmp_path / "lib" / ".blurscan.db")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count(_note(tmp_path)) == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # (no other hint: the bursts are what is missing)


def test_the_command_to_paste_quotes_the_library(tmp_path):
    """A library whose name has a space: the note's command can be pasted as it is (mutation testing)."""
    store, _ = build_library(tmp_path / "my lib")
    store.close()
    result = CliRunner().invoke(main, ["move", str(tmp_path / "my lib"), "--to", str(tmp_path / "rejects"),
                                       "--all-blurry", "--from-bursts"])
    assert result.exit_code == 0, result.output
    assert f"run `blurscan bursts '{tmp_path / 'my lib'}'` first" in result.stderr, result.stderr


def test_after_bursts_found_none_it_is_not_asked_for_again(tmp_path):
    """A library of an HDR bracket or a time-lapse alone: ``blurscan bursts`` finds no group. ``--from-bursts`` said
    ``no burst groups yet: run `blurscan bursts` first`` after every run of it (until 2026-12-07)."""
    store, _ = build_library(tmp_path / "lib")
    store.close()
    db = str(tmp_path / "lib" / ".blurscan.db")
    ran = CliRunner().invoke(main, ["bursts", "--db", db])
    assert ran.exit_code == 0, ran.output
    assert "0 burst groups" in ran.stderr
    result = CliRunner().invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", db])
    assert result.exit_code == 0, result.output
    assert NOTE not in result.stderr, result.stderr
    assert "note: `blurscan bursts` found no burst group in this library when it last ran" in result.stderr
