"""A ``--db`` that is a symbolic link: SQLite follows it, and writes its ``-wal``, ``-shm`` and ``-journal`` beside
the file it names, so that file's folder is the one that must be writable. Until 2026-12-07 ``move``, ``trash``,
``tag``, ``undo`` and ``review`` judged the link's folder (cli/opendb.py, dbfile.check_writable): a link kept in a
read-only folder to a database in a writable one was refused ("its folder ... is read-only"), and a link in a
writable folder to a database in a read-only one was taken (as root, the -wal was then made in that folder, whose
mode blurscan honours). Real scans of generated photos; folders made read-only with their mode (honoured by
blurscan as root, refused by the system otherwise)."""
from __future__ import annotations

import os

from blurscan.dbfile import read_only_hint
from helpers_cli import run
from test_db_read_only_messages import SCAN, _library
from test_review_read_only import _not_writable


def _linked(tmp_path, database, name):
    """A link ``links/NAME`` made to ``database``."""
    links = tmp_path / "links"
    links.mkdir()
    os.symlink(database, links / name)
    return links / name


def test_a_link_in_a_read_only_folder_to_a_writable_database_is_used(tmp_path):
    lib = _library(tmp_path)
    link = _linked(tmp_path, lib / ".blurscan.db", "library.db")
    links = link.parent
    rejects = tmp_path / "rejects"
    links.chmod(0o555)
    try:
        moved = run("move", lib, "--all-blurry", "--to", rejects, "--db", link, "--yes")
        # it said: "Error: .../links/library.db: cannot write: the database is read-only: its folder .../links is
        # read-only ..."
        assert moved.exit_code == 0 and "moved 1 photo" in moved.output, moved.output
        assert not (lib / "2024" / "IMG_1.jpg").exists()
        undone = run("undo", "--db", link)
        assert undone.exit_code == 0 and "restored 1 file" in undone.output, undone.output
        assert (lib / "2024" / "IMG_1.jpg").exists()
    finally:
        links.chmod(0o755)
    assert sorted(p.name for p in links.iterdir()) == ["library.db"]  # (no lock, no -wal beside the link)


def test_a_link_in_a_writable_folder_to_a_database_in_a_read_only_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = _library(tmp_path)
    kept = tmp_path / "kept"
    kept.mkdir()
    assert run("scan", lib, "--db", kept / "card.db", *SCAN).exit_code == 0
    link = _linked(tmp_path, kept / "card.db", "card.db")
    rejects = tmp_path / "rejects"
    kept.chmod(0o555)
    try:
        refused = (f"Error: {link}: cannot write: the database is read-only: its folder {kept} "
                   f"{_not_writable(kept)} ({read_only_hint()})\n")
        for args in (("move", lib, "--all-blurry", "--to", rejects, "--yes"), ("undo",), ("review", "--no-browser")):
            result = run(*args, "--db", link)
            # move went on (as root: its -wal made in the read-only folder)
            assert result.exit_code == 1 and result.output == refused, (args, result.output)
    finally:
        kept.chmod(0o755)
    assert (lib / "2024" / "IMG_1.jpg").exists() and not rejects.exists()
    assert sorted(p.name for p in kept.iterdir()) == ["card.db"]
