"""A database kept in the library under a name of its own (``--db lib/card.db``, not hidden): the actions lock
that ``move``, ``trash``, ``tag`` and ``undo`` make beside it (``card.db.actions.lock``) is blurscan's, as the
database and its SQLite files are (:func:`blurscan.walk_state.database_files`): a scan neither counts it nor reads
it. Until 2026-12-07 ``scan lib --db lib/card.db`` after a ``move`` said ``passed over 1 file that is not a photo:
1 .lock``, and ``scan lib/* --db lib/card.db`` stored an error for it (``file is empty``) that ``report`` listed.
Since 2026-12-07 the lock of a ``--db`` link is beside the file it names (``lib/.blurscan.db -> data/lib.db``:
``lib/data/lib.db.actions.lock``, no longer hidden). Real commands on generated photos."""
from __future__ import annotations

import os

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def _moved(lib, db, rejects):
    assert run("scan", lib, "--db", db, *SCAN).exit_code == 0
    moved = run("move", lib, "--all-blurry", "--to", rejects, "--yes", "--db", db)
    assert moved.exit_code == 0 and "moved 2 photos" in moved.output, moved.output
    assert os.path.exists(f"{os.path.realpath(db)}.actions.lock")  # (a link's: beside the file it names)


def test_the_actions_lock_beside_a_database_in_the_library_is_not_passed_over(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=2)
    _moved(lib, lib / "card.db", tmp_path / "rejects")
    result = run("scan", lib, "--db", lib / "card.db", *SCAN)
    assert result.exit_code == 0, result.output
    assert "passed over" not in result.output, result.output  # it said "...: 1 .lock"


def test_the_actions_lock_named_with_the_photos_is_not_read(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=2)
    data = lib / "data"
    data.mkdir()
    os.symlink(os.path.join("data", "lib.db"), lib / "shortcut.db")  # (the lock beside data/lib.db)
    _moved(lib, lib / "shortcut.db", tmp_path / "rejects")
    named = sorted(str(p) for p in data.iterdir()) + [str(p) for p in lib.iterdir() if p.is_file()]
    result = run("scan", *named, "--db", lib / "shortcut.db", *SCAN)
    assert result.exit_code == 0 and "error" not in result.output.replace("0 errors", ""), result.output
    errors = run("report", "--db", lib / "shortcut.db", "--only", "errors")
    assert "actions.lock" not in errors.output, errors.output  # "lib.db.actions.lock: file is empty"


XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>')


def test_the_tag_backups_beside_a_database_in_the_library_are_not_walked(tmp_path):
    """``tag`` keeps the bytes of the sidecars it merges into in ``card.db.tag-backups`` beside the database: until
    2026-12-07 a scan walked that folder and counted each copy among the library's files (``2 .xmp`` more)."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=2)
    for blurry in ("blurry_0.png", "blurry_1.jpg"):  # (sidecars of the blurry photos, there before the tag)
        (lib / blurry).with_suffix(".xmp").write_text(XMP)
    db = lib / "card.db"
    assert run("scan", lib, "--db", db, *SCAN).exit_code == 0
    tagged = run("tag", lib, "--all-blurry", "--xmp", "--yes", "--db", db)
    assert tagged.exit_code == 0 and "2 sidecars merged" in tagged.output, tagged.output
    assert len(list((lib / "card.db.tag-backups").rglob("*.xmp"))) == 2
    for args in ((lib,), sorted(lib.iterdir())):  # (`scan lib`, `scan lib/*`)
        result = run("scan", *args, "--db", db, *SCAN)
        assert result.exit_code == 0, result.output
        assert "passed over 2 files that are not photos: 2 .xmp" in result.output, result.output  # (4 .xmp)
