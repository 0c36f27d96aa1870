"""``report``'s note of the photos ``move`` took names the undo as it can be typed where report was run: the
library's folder, or ``--db DB`` for a database kept elsewhere (on another drive, given through a link), as the
move's own undo line does. Until 2026-12-07 it said a bare `blurscan undo`, which typed outside the library (or
with the database given by ``--db``) found no database: `no blurscan database found here or in a parent folder`."""
from __future__ import annotations

import re
import shlex

from helpers_cli import run
from helpers_images import make_library


def _followed(note_line: str) -> list[str]:
    """The command a note names between backquotes, as words (without ``blurscan``)."""
    command = re.search(r"\(`(blurscan undo[^`]*)` puts them back\)", note_line)
    assert command, note_line
    return shlex.split(command.group(1))[1:]


def test_reports_undo_hint_works_where_report_was_run(tmp_path, monkeypatch):
    lib, drive, elsewhere = tmp_path / "Pictures", tmp_path / "drive", tmp_path / "home"
    make_library(lib, n_sharp=1, n_blurry=2)
    (drive / "dbs").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "drive").symlink_to(drive)  # the database on another drive, given through a link
    db = elsewhere / "drive" / "dbs" / "pics.db"
    monkeypatch.chdir(elsewhere)
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    moved = run("move", lib, "--db", db, "--to", tmp_path / "rej", "--all-blurry", "--yes")
    assert moved.exit_code == 0 and "moved 2 photos" in moved.output, moved.output
    for listed in (run("report", lib, "--db", db), run("report", "--db", db)):
        assert listed.exit_code == 0, listed.output
        undo = _followed(listed.stderr)
        assert undo != ["undo"], listed.stderr
    done = run(*undo)  # as the note says, typed where report ran
    assert done.exit_code == 0 and "restored 2 files" in done.output, done.output
    assert sorted(p.name for p in lib.glob("blurry_*")) == ["blurry_0.png", "blurry_1.jpg"]


def test_reports_undo_hint_names_the_library_run_outside_it(tmp_path, monkeypatch):
    lib, elsewhere = tmp_path / "lib", tmp_path / "elsewhere"
    make_library(lib, n_sharp=1, n_blurry=2)
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("scan", lib, "--model", "none").exit_code == 0
    assert run("move", lib, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    undo = _followed(run("report", lib).stderr)
    assert undo == ["undo", str(lib)]
    assert run(*undo).exit_code == 0 and len(list(lib.glob("blurry_*"))) == 2
    monkeypatch.chdir(lib)  # inside the library a bare undo finds it
    assert run("move", lib, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    assert _followed(run("report").stderr) == ["undo"]
