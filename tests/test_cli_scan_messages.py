"""The one-line messages of ``scan`` and ``report`` that a new-user walkthrough found vague or untrue, as the user
sees them: each names the file and says what is wrong in blurscan's words (lower case, as every reason it
prints)."""
from __future__ import annotations

import os

from blurscan.errors import shell_path
from helpers_cli import run
from helpers_images import save_jpeg, textured
from helpers_scandir import count_listed, documents


def test_an_output_file_that_cannot_be_written_gives_the_reason_in_lower_case(tmp_path):
    """`scan . -o /nodir/x.csv` said "cannot write output: No such file or directory", the system's capital
    letter, where every other reason blurscan prints is lower case. The scan fails before it starts: nothing is
    scanned, no database made; its exit code is 2, as for every destination refused before any work (`move --to`,
    `train --out`, `evaluate --out`): from 2026-12-04 until 2026-12-05 it was 1. A file where a folder must be is
    named as one (it said "not a directory")."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured())
    out = tmp_path / "nodir" / "x.csv"
    result = run("scan", tmp_path / "lib", "-o", out, "--model", "none", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {out}: cannot write output: no such file or directory\n"
    assert os.listdir(tmp_path / "lib") == ["a.jpg"]
    assert run("scan", tmp_path / "lib", "--model", "none", "--workers", "1").exit_code == 0
    result = run("report", tmp_path / "lib", "-o", out)
    assert result.exit_code == 2 and result.stderr == f"Error: {out}: cannot write output: no such file or directory\n"
    result = run("scan", tmp_path / "lib", "-o", tmp_path / "lib" / "a.jpg" / "x.csv", "--model", "none")
    assert result.exit_code == 2 and result.stderr == (f"Error: {tmp_path / 'lib' / 'a.jpg' / 'x.csv'}: cannot write "
                                                       f"output: {tmp_path / 'lib' / 'a.jpg'} is a file, not a folder\n")


def test_a_folder_where_the_database_should_be_is_named_as_a_folder(tmp_path, monkeypatch):
    """`mkdir L/.blurscan.db && blurscan scan L` said "cannot use database: unable to open database file"
    (SQLite's words), which names the file but no reason; it now says that it is a folder, and what to do."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    save_jpeg(tmp_path / "L" / "a.jpg", textured())
    (tmp_path / "L" / ".blurscan.db").mkdir()
    result = run("scan", tmp_path / "L", "--model", "none", "--workers", "1")
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {tmp_path / 'L' / '.blurscan.db'}: cannot use database: it is a folder, not "
                             "a database file (rename or remove the folder, or choose another file with --db)\n")
    assert sorted(p.name for p in (tmp_path / "L").iterdir()) == [".blurscan.db", "a.jpg"]
    assert list((tmp_path / "L" / ".blurscan.db").iterdir()) == []  # nothing written into the folder
    (tmp_path / "L" / ".blurscan.db").rmdir()  # what the message says to do: the scan then works
    assert run("scan", tmp_path / "L", "--model", "none", "--workers", "1").exit_code == 0
    assert (tmp_path / "L" / ".blurscan.db").is_file()


def test_a_file_that_is_no_database_is_said_to_be_none_whatever_its_mode(tmp_path):
    """`--db LIB/some.jpg`, a JPEG: as root, a mode-0444 one got the advice for a read-only database (root's
    check of the permission bits came before anything read the file), a writable one SQLite's "file is not a
    database". Both now say that it is not a blurscan database, and the photo is left as it was."""
    photo = save_jpeg(tmp_path / "LIB" / "some.jpg", textured())
    before = photo.read_bytes()
    expected = f"Error: {photo}: not a blurscan database (it is not an SQLite database at all)\n"
    for mode in (0o444, 0o644):
        photo.chmod(mode)
        result = run("scan", tmp_path / "LIB", "--db", photo, "--model", "none", "--workers", "1")
        assert result.exit_code == 1, (oct(mode), result.output)
        assert result.stderr == expected, oct(mode)
        result = run("report", tmp_path / "LIB", "--db", photo)
        assert result.exit_code == 1 and result.stderr == expected, (oct(mode), result.output)
        assert photo.read_bytes() == before and (photo.stat().st_mode & 0o777) == mode
    assert sorted(p.name for p in (tmp_path / "LIB").iterdir()) == ["some.jpg"]  # no -wal, -shm, -journal
    # an empty file is still a new database (SQLite makes one of it), and a database a scan made is used
    empty = tmp_path / "empty.db"
    empty.touch()
    assert run("scan", tmp_path / "LIB", "--db", empty, "--model", "none", "--workers", "1").exit_code == 0
    assert empty.read_bytes()[:16] == b"SQLite format 3\x00"
    assert run("report", tmp_path / "LIB", "--db", empty).exit_code == 0


def test_report_of_a_folder_without_photos_says_so_not_run_a_scan_first(tmp_path, monkeypatch):
    """`blurscan scan EMPTY` says "no image files found" and keeps no database; `blurscan report EMPTY` then said
    "no blurscan database found ... (run `blurscan scan EMPTY` first ...)", the scan just run. A folder where a
    scan finds nothing now gets that said, by report, review, bursts and the cleanup commands; a folder of photos
    never scanned is still told to scan it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    empty = tmp_path / "EMPTY"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a photo")  # passed over by the scan, as are the hidden files
    save_jpeg(empty / ".hidden" / "a.jpg", textured())
    scanned = run("scan", empty, "--model", "none", "--workers", "1")
    assert scanned.exit_code == 0 and "no image files found" in scanned.stderr, scanned.output
    assert sorted(p.name for p in empty.iterdir()) == [".hidden", "notes.txt"]  # no database
    expected = (f"Error: {empty}: no image files found here (`blurscan scan` keeps no database for a folder "
                "without photos)\n")
    for args in (["report"], ["review", "--no-browser"], ["bursts"], ["move", "--to", tmp_path / "x"], ["undo"]):
        result = run(*args, empty)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr == expected, args
    monkeypatch.chdir(empty)
    assert run("report").stderr == expected  # PATH left out: the current folder
    save_jpeg(empty / "sub" / "b.jpg", textured(1))  # a photo, not scanned yet: the scan is the advice
    result = run("report", empty)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {empty}: no blurscan database found here or in a parent folder (run "
                             f"`blurscan scan {shell_path(empty)}` first, or pass --db)\n")


def test_a_large_tree_without_photos_or_database_is_not_walked_in_full_to_word_the_error(tmp_path, monkeypatch):
    """`blurscan report /data/hugedocs` (a tree of documents, no photo, no database anywhere) walked the whole tree
    to tell "no image files found here" from the advice to scan it (2026-12-07, the real CLI: every entry of 30,000
    files listed). The walk now stops past report's note's bound (NOTE_ENTRIES directory entries), and the usual
    advice is given, which claims nothing about what the tree holds. The directory entries listed are counted."""
    from blurscan.cli.scan_notes import NOTE_ENTRIES

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    docs = tmp_path / "hugedocs"
    documents(docs, 3, NOTE_ENTRIES // 2)
    listed = count_listed(monkeypatch)
    result = run("report", docs)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {docs}: no blurscan database found here or in a parent folder (run "
                             f"`blurscan scan {shell_path(docs)}` first, or pass --db)\n")
    assert NOTE_ENTRIES < len(listed) <= NOTE_ENTRIES + 100 < 3 * NOTE_ENTRIES // 2
