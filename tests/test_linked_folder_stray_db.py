"""A database left in a folder above the one a user scans (``~/.blurscan.db``, from ``blurscan scan ~`` once)
with ``~/Pictures``, or a folder in it, a link to a folder elsewhere: that database is the library's (one
database per library), and the commands given the link say so, naming it, so that a stray is seen; one that
cannot be read is said to be so, as it is for any folder under it (2026-12-07)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured


def _home(tmp_path):
    """``home`` (one photo, scanned once without --follow-symlinks: ``home/.blurscan.db``) whose ``Pictures`` is a
    link to ``data/photos`` (one photo), and whose ``Documents/trip`` is a link to ``data/trip`` (one photo)."""
    home, data = tmp_path / "home", tmp_path / "data"
    save_jpeg(home / "me.jpg", textured(1))
    save_jpeg(data / "photos" / "a.jpg", textured(2))
    save_jpeg(data / "trip" / "b.jpg", textured(3))
    (home / "Documents").mkdir()
    os.symlink(data / "photos", home / "Pictures")
    os.symlink(data / "trip", home / "Documents" / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(home), "--model", "none"]).exit_code == 0
    return home, data, runner


def test_the_line_of_a_link_the_librarys_scans_did_not_follow_names_its_database(tmp_path):
    home, data, runner = _home(tmp_path)
    db = home.resolve() / ".blurscan.db"
    for named in (home / "Pictures", home / "Documents" / "trip"):
        for command in (["report"], ["scan", "--model", "none"]):
            res = runner.invoke(main, [*command, str(named)])
            assert res.exit_code == 1, res.output
            assert f"did not follow (its database, {db}, holds no photos there)" in res.stderr, res.stderr
    res = runner.invoke(main, ["scan", str(data / "photos"), "--model", "none"])  # (the way out it names)
    assert res.exit_code == 0 and (data / "photos" / ".blurscan.db").is_file(), res.output
    res = runner.invoke(main, ["report", str(home / "Pictures")])
    assert res.exit_code == 0 and "a.jpg" in res.stdout, res.output


def test_a_database_above_that_cannot_be_read_is_said_to_be_so(tmp_path):
    """A ``~/.blurscan.db`` that is no database: `report ~/Pictures` and `scan ~/Pictures` said the library's
    scans did not follow the link, its database holding no photos there, and advised `scan ~ --follow-symlinks`,
    which failed on it; they say what a folder under it says."""
    home, data, runner = _home(tmp_path)
    (home / ".blurscan.db").write_bytes(b"not a database\n" * 10)
    for command in (["report"], ["scan", "--model", "none"], ["bursts"]):
        res = runner.invoke(main, [*command, str(home / "Pictures")])
        assert res.exit_code == 1, res.output
        assert f"{home.resolve() / '.blurscan.db'}: not a blurscan database" in res.stderr, res.stderr
        assert "did not follow" not in res.stderr
    res = runner.invoke(main, ["report", str(home / "Pictures"), "--db", str(tmp_path / "other.db")])
    assert "not a blurscan database" not in res.stderr, res.output  # (--db: that one is used)
