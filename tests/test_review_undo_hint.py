"""The review page's hint under the keys' help names the undo as it can be typed in any folder: ``blurscan undo
LIBRARY``, or ``blurscan undo --db FILE`` for a database kept elsewhere (the page is read away from any terminal),
and the move command beside it names the database by its absolute path. Until 2026-12-07 the page said that a
bare `blurscan undo` puts the moved photos back, which typed outside the library, or for a database given by
``--db``, found no database; and ``review --db lib.db`` (a relative path) named ``--db lib.db`` in the move
command, a database only review's own folder finds. The page in a browser: ``test_review_browser_lists.py``."""
from __future__ import annotations

import html
import os
import re
import shlex
import subprocess
import sys

from blurscan.errors import shell_path
from blurscan.review.app import create_app
from blurscan.review.moved_note import undo_command
from helpers_cli import run
from helpers_images import make_library
from helpers_review import BASE, TOKEN, BufferedClient


def _hints(db) -> tuple[list[str], list[str], list[str]]:
    """The database the page's move command names (app.js writes the command around it), the page's undo command
    and the scan it names for a library with no photo (grid.js), each as the shell's words, in the page as served."""
    app = create_app(db, TOKEN, port=int(BASE.rsplit(":", 1)[1]))
    app.test_client_class = BufferedClient
    client = app.test_client()
    page = client.get(f"/?token={TOKEN}", base_url=BASE, follow_redirects=True).get_data(as_text=True)
    undo = re.search(r'<code id="undo-hint">([^<]*)</code> puts them back', page)
    db_meta = re.search(r'<meta name="blurscan-db" content="([^"]*)">', page)
    assert undo and db_meta, page
    scan = re.search(r'<meta name="blurscan-scan" content="([^"]*)">', page)  # (an empty library's page: grid.js)
    assert scan, page
    return (shlex.split(html.unescape(db_meta.group(1))), shlex.split(html.unescape(undo.group(1))),
            shlex.split(html.unescape(scan.group(1))))


def _typed_elsewhere(words: list[str], folder) -> subprocess.CompletedProcess:
    """``blurscan ...`` run as typed in ``folder`` (the tests' PYTHONPATH inherited)."""
    assert words[0] == "blurscan", words
    return subprocess.run([sys.executable, "-m", "blurscan", *words[1:]], cwd=folder, capture_output=True,
                          text=True, timeout=120)


def test_undo_command_names_the_library_or_the_database(tmp_path, monkeypatch):
    lib = tmp_path / "my lib's $HOME"
    assert undo_command(str(lib / ".blurscan.db")) == f"blurscan undo {shell_path(lib)}"
    assert undo_command(str(lib / ".blurscan.db"), 3) == f"blurscan undo --batch 3 {shell_path(lib)}"
    monkeypatch.chdir(tmp_path)
    assert undo_command("dbs/pics.db") == f"blurscan undo --db {shell_path(tmp_path / 'dbs' / 'pics.db')}"


def test_the_pages_undo_puts_the_moved_photos_back_typed_outside_the_library(tmp_path, monkeypatch):
    lib, elsewhere = tmp_path / "my lib", tmp_path / "elsewhere"
    make_library(lib, n_sharp=1, n_blurry=2)
    elsewhere.mkdir()
    monkeypatch.chdir(lib)  # review run in the library: the page's undo names it all the same
    assert run("scan", ".", "--model", "none").exit_code == 0
    named, undo, scan = _hints(lib / ".blurscan.db")
    assert named == [str(lib / ".blurscan.db")] and scan == ["blurscan", "scan", str(lib)]
    assert undo == ["blurscan", "undo", str(lib)]
    assert run("move", "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    assert not list(lib.glob("blurry_*"))
    done = _typed_elsewhere(undo, elsewhere)
    assert done.returncode == 0 and "restored 2 files" in done.stdout, done.stdout + done.stderr
    assert sorted(p.name for p in lib.glob("blurry_*")) == ["blurry_0.png", "blurry_1.jpg"]


def test_a_relative_db_kept_elsewhere_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    lib, drive, elsewhere = tmp_path / "Pictures", tmp_path / "drive & co", tmp_path / "elsewhere"
    make_library(lib, n_sharp=1, n_blurry=2)
    (drive / "dbs").mkdir(parents=True)
    elsewhere.mkdir()
    monkeypatch.chdir(drive)
    assert run("scan", lib, "--db", "dbs/pics.db", "--model", "none").exit_code == 0
    named, undo, scan = _hints("dbs/pics.db")  # `blurscan review --db dbs/pics.db`, run in the drive's folder
    db = str(drive / "dbs" / "pics.db")
    assert named == [db] and scan == ["blurscan", "scan", "--db", db, "FOLDER"]
    assert undo == ["blurscan", "undo", "--db", db]
    assert run("move", "--db", db, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    done = _typed_elsewhere(undo, elsewhere)
    assert done.returncode == 0 and "restored 2 files" in done.stdout, done.stdout + done.stderr
    assert sorted(p.name for p in lib.glob("blurry_*")) == ["blurry_0.png", "blurry_1.jpg"]
    assert os.path.isfile(db)
