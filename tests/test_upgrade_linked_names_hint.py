"""Before the first scan after an upgrade, a database an older blurscan wrote through a symbolic link to the library
(every row under the link's name, :mod:`test_upgrade_linked_names`) is read by ``report``, ``bursts``, ``review``,
``move``, ``trash`` and ``tag`` under the link's name: report listed the old names, bursts showed no group under
the real folder, the cleanup commands found nothing there, without a word (until 2026-12-05). Each now says, in one
note on stderr, what the database holds and which scan converts it; the database is left as it is, and JSON Lines
and CSV on standard output stay the list alone."""
from __future__ import annotations

import os

from blurscan.errors import shell_path
from blurscan.store import Store

from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured
from helpers_sqlite import connected
from test_upgrade_linked_names import SCAN, old_library  # noqa: F401  (a fixture)


def _note(link_lib, real) -> str:
    return (f"note: 5 photos are stored under a linked folder's name, {link_lib} (-> {real}), as a blurscan older "
            f"than 2026-12-03 stored them; `blurscan scan {shell_path(link_lib)}` converts them to the real name\n")


def _stored(db) -> set[str]:
    with connected(db) as conn:
        return {p for table in ("images", "decisions", "burst_groups")
                for (p,) in conn.execute(f"SELECT path FROM {table}")}


def test_report_says_a_scan_converts_the_linked_names_and_changes_nothing(old_library):  # noqa: F811
    lib, real, _ = old_library
    db = real / ".blurscan.db"
    before = db.read_bytes()
    for where in (lib, real):
        table = run("report", where)
        assert table.exit_code == 0, table.output
        assert table.stderr.count(_note(lib, real)) == 1, table.stderr
        assert "link/lib/sharp_0.jpg" in table.stdout  # listed under the old name, as before
    lines = run("report", lib, "--format", "jsonl")
    assert _note(lib, real) in lines.stderr
    assert len(jsonl(lines.stdout)) == 4  # the list alone (blurry_1.jpg was moved away)
    assert db.read_bytes() == before  # read only: nothing converted, nothing upgraded


def test_bursts_says_a_scan_converts_the_linked_names(old_library):  # noqa: F811
    lib, real, _ = old_library
    table = run("bursts", lib)
    assert table.exit_code == 0, table.output
    assert _note(lib, real) in table.stderr and "0 burst groups" in table.stderr
    csv = run("bursts", lib, "--format", "csv")
    assert _note(lib, real) in csv.stderr and csv.stdout.splitlines()[0].startswith("group,rank,")
    assert len(csv.stdout.splitlines()) == 1  # (no group under the real name until the scan)
    assert all(p.startswith(str(lib) + os.sep) for p in _stored(real / ".blurscan.db"))  # none converted


def test_review_says_a_scan_converts_the_linked_names(old_library, monkeypatch):  # noqa: F811
    import blurscan.review.server as server_mod

    lib, real, _ = old_library
    opened = []

    def served(db_path, **kwargs):  # (the page itself is not what is tested: the note comes before it)
        opened.append(db_path)
        raise SystemExit(0)

    monkeypatch.setattr(server_mod, "ReviewServer", served)
    review = run("review", lib, "--no-browser")
    assert review.exit_code == 0 and opened == [str(real / ".blurscan.db")], review.output
    assert review.stderr == _note(lib, real)


def test_move_trash_and_tag_say_a_scan_converts_the_linked_names(old_library, tmp_path):  # noqa: F811
    lib, real, _ = old_library
    for args in (("move", "--to", tmp_path / "out"), ("trash",), ("tag", "--xmp", "--dry-run"),
                 ("move", "--to", tmp_path / "out", "--from-bursts")):
        result = run(*args, lib)
        assert result.exit_code == 0, (args, result.output)
        assert result.stderr.count(_note(lib, real)) == 1, (args, result.stderr)
        assert "would move" not in result.stdout  # a dry run, nothing under the real name taken until the scan
        assert "give the library folder" not in result.stderr  # (it named the folder given: lib, through the link)
    with_db = run("trash", "--db", real / ".blurscan.db")
    assert (f"`blurscan scan {shell_path(lib)} --db {shell_path(real / '.blurscan.db')}` converts them" in with_db.stderr), with_db.stderr
    assert all(p.startswith(str(lib) + os.sep) for p in _stored(real / ".blurscan.db"))  # none converted


def test_no_note_once_the_scan_converted_them_nor_for_a_library_linked_into_one(old_library, tmp_path):  # noqa: F811
    lib, real, _ = old_library
    assert run("scan", lib, *SCAN).exit_code == 0
    for args in (("report",), ("bursts",), ("trash",)):
        result = run(*args, lib)
        assert result.exit_code == 0 and "linked folder" not in result.stderr, (args, result.stderr)
    # a folder linked into a library, walked under the link's name (--follow-symlinks): this version's names
    other, outside = tmp_path / "other", tmp_path / "outside" / "trip"
    save_jpeg(other / "a.jpg", textured(1, (120, 160)))
    save_jpeg(outside / "b.jpg", textured(2, (120, 160)))
    os.symlink(outside, other / "trip")
    assert run("scan", other, "--follow-symlinks", *SCAN).exit_code == 0
    with Store(other / ".blurscan.db", create=False) as store:
        assert str(other / "trip" / "b.jpg") in {p for (p,) in store.conn.execute("SELECT path FROM images")}
    with connected(other / ".blurscan.db") as conn:  # as an older blurscan left it: no scanned folders
        conn.execute("DELETE FROM meta WHERE key = 'scanned_roots'")
    for args in (("report",), ("bursts",), ("trash",)):
        result = run(*args, other)
        assert result.exit_code == 0 and "linked folder" not in result.stderr, (args, result.stderr)


def test_no_note_for_photos_deleted_from_a_folder_the_scan_finds_nothing_in(old_library):  # noqa: F811
    """A photo stored under the link's name in a folder whose photos were all deleted since: the scan finds nothing
    there, so it converts nothing (the rows of a deleted photo in a folder it walks are converted, then forgotten
    as every missing photo is). The note counted it and stayed after the scan it advised, advising a scan of that
    folder, which converted nothing either (until 2026-12-05)."""
    lib, real, _ = old_library
    (real / "emptied").mkdir()
    with connected(real / ".blurscan.db") as conn:
        conn.execute("INSERT INTO images (path, size, mtime_ns, cache_key, status, record, scanned_at) "
                     "VALUES (?, 1, 1, 'k', 'ok', '{}', 1.0)", (str(lib / "emptied" / "gone.jpg"),))
    assert run("report", lib).stderr.count(_note(lib, real)) == 1  # the 5 photos a scan converts, not the 6th
    assert run("scan", lib, *SCAN).exit_code == 0
    for args in (("report",), ("bursts",), ("trash",)):
        result = run(*args, lib)
        assert result.exit_code == 0 and "linked folder" not in result.stderr, (args, result.stderr)


def test_no_note_for_a_folder_linked_into_a_library_whose_database_is_elsewhere(tmp_path):
    """As above, with the library's database given with --db (``~/photos.db``, not the library's ``.blurscan.db``):
    the photos under ``lib/trip`` (a link to a folder outside) are the names a ``--follow-symlinks`` scan of the
    library gives. The note advised ``scan lib/trip --db ...``, which took them, with the person's decisions, to
    the canonical name, for the next scan of the library to store them again, undecided (until 2026-12-05)."""
    lib, outside, db = tmp_path / "lib", tmp_path / "outside" / "trip", tmp_path / "photos.db"
    save_jpeg(lib / "a.jpg", textured(1, (120, 160)))
    save_jpeg(outside / "b.jpg", textured(2, (120, 160)))
    os.symlink(outside, lib / "trip")
    assert run("scan", lib, "--follow-symlinks", *SCAN, "--db", db).exit_code == 0
    with connected(db) as conn:  # as an older blurscan left it: no scanned folders
        conn.execute("DELETE FROM meta WHERE key = 'scanned_roots'")
    for args in (("report", lib), ("report",), ("bursts", lib), ("trash", lib), ("tag", "--xmp", "--dry-run")):
        result = run(*args, "--db", db)
        assert result.exit_code == 0 and "linked folder" not in result.stderr, (args, result.stderr)


def test_the_scan_the_note_names_with_a_relative_db_converts_it_pasted_in_another_folder(old_library, tmp_path,  # noqa: F811
                                                                                          monkeypatch):
    """The note's scan for a database given by ``--db`` typed relative (``dbs/old 'q'.db``, a copy of the old
    library's) names it absolute and quoted: pasted in another folder (another terminal tab), it converts that
    database's names, and the note is not said again. Until 2026-12-07 the ``--db`` went in as typed, which there
    named a database not there."""
    import re
    import shlex
    import shutil

    from helpers_cli import run_from

    lib, real, _ = old_library
    here, there = tmp_path / "here", tmp_path / "there" / "deeper"
    (here / "dbs").mkdir(parents=True)
    there.mkdir(parents=True)
    shutil.copyfile(real / ".blurscan.db", here / "dbs" / "old 'q'.db")
    original = (real / ".blurscan.db").read_bytes()
    monkeypatch.chdir(here)
    db = "dbs/old 'q'.db"
    said = run("trash", "--db", db)
    command = re.search(r"`(blurscan scan [^`]*)` converts them to the real name", said.stderr)
    assert said.exit_code == 0 and command, said.output
    scan = run_from(there, *shlex.split(command.group(1))[1:], *SCAN)
    assert scan.returncode == 0, scan.stderr
    assert _stored(here / db) and all(p.startswith(str(real) + os.sep) for p in _stored(here / db))
    again = run("trash", "--db", db)
    assert again.exit_code == 0 and "linked folder" not in again.stderr, again.stderr
    assert (real / ".blurscan.db").read_bytes() == original and os.listdir(there) == []
