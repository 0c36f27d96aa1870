"""``blurscan report PATH`` of a folder or photo of the library that no scan has stored yet (photos copied in
since) says so on stderr, with the scan that adds them: it printed ``0 files: 0 blurry, 0 partial, 0 sharp, 0
errors`` alone, as if nothing there were blurry (2026-12-07; with ``--db`` a note said so already). The list on
standard output stays empty."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured
from helpers_scandir import count_listed, documents


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    save_jpeg(lib / "new" / "b.jpg", textured(2))  # (copied in after the scan)
    return lib, runner


def test_a_folder_not_scanned_yet_is_said_with_the_scan_that_adds_it(tmp_path):
    lib, runner = _library(tmp_path)
    db, new = lib.resolve() / ".blurscan.db", lib.resolve() / "new"
    res = runner.invoke(main, ["report", str(lib / "new"), "--format", "jsonl"])
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr == f"note: {db} holds no photo under {new}; `blurscan scan {new}` adds its photos\n"
    res = runner.invoke(main, ["report", str(lib / "new" / "b.jpg"), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.count("\n") == 1  # (the header)
    assert f"note: {db} holds no record of {new / 'b.jpg'}; `blurscan scan {new / 'b.jpg'}` adds it\n" in res.stderr


def test_a_scanned_folder_gets_no_such_note(tmp_path):
    lib, runner = _library(tmp_path)
    res = runner.invoke(main, ["report", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0 and res.stdout.count("\n") == 1 and "holds no" not in res.stderr
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    res = runner.invoke(main, ["report", str(lib / "new")])
    assert res.exit_code == 0 and "holds no" not in res.stderr and "b.jpg" in res.stdout


def test_a_path_no_scan_would_add_is_not_said_to_be_added_by_one(tmp_path):
    """The note's advice held only where a scan takes a photo: `report lib/notes.txt` said "`blurscan scan
    lib/notes.txt` adds it" (the scan passes it over: `no image files found`), and so of a photo in a hidden folder,
    of an empty folder and of a folder of documents already scanned (2026-12-07). The scan is run to show it."""
    lib, runner = _library(tmp_path)
    (lib / "notes.txt").write_text("not a photo\n")
    save_jpeg(lib / ".hidden" / "c.jpg", textured(3))
    (lib / "empty").mkdir()
    (lib / "docs").mkdir()
    (lib / "docs" / "readme.txt").write_text("words\n")
    db = lib.resolve() / ".blurscan.db"
    assert runner.invoke(main, ["scan", str(lib / "docs"), "--model", "none"]).exit_code == 0
    for path, note in [(lib / "notes.txt", "holds no record of {}; a scan passes it over (`blurscan scan {}` says why)"),
                       (lib / ".hidden" / "c.jpg", "holds no record of {}; a scan passes it over (`blurscan scan {}` "
                        "says why)"),
                       (lib / "empty", "holds no photo under {}; a scan of it finds none"),
                       (lib / "docs", "holds no photo under {}; a scan of it finds none")]:
        res = runner.invoke(main, ["report", str(path), "--format", "jsonl"])
        real = path.parent.resolve() / path.name
        assert res.exit_code == 0 and res.stdout == ""
        assert res.stderr == f"note: {db} " + note.format(real, real) + "\n", res.stderr
        scanned = runner.invoke(main, ["scan", str(path), "--model", "none", "--format", "jsonl"])
        assert scanned.exit_code == 0 and scanned.stdout == ""  # (the scan indeed adds nothing)
        assert runner.invoke(main, ["report", str(path), "--format", "jsonl"]).stdout == ""
    res = runner.invoke(main, ["report", str(lib / "new"), "--format", "jsonl"])  # (photos there: the scan adds them)
    assert f"; `blurscan scan {lib.resolve() / 'new'}` adds its photos\n" in res.stderr


def test_with_db_the_note_offers_no_scan(tmp_path):
    """`report PATH --db DB`: a plain `blurscan scan PATH` would not add to DB (it finds or makes its own database),
    so the note says only that DB holds none, photos there or not."""
    lib, runner = _library(tmp_path)
    db = lib / ".blurscan.db"
    for path, words in ((lib / "new", "photo under"), (lib / "new" / "b.jpg", "record of")):
        res = runner.invoke(main, ["report", str(path), "--db", str(db), "--format", "jsonl"])
        assert res.exit_code == 0 and res.stdout == ""
        assert res.stderr == f"note: {db} holds no {words} {path.parent.resolve() / path.name}\n", res.stderr


def test_a_path_the_scan_cannot_read_is_said_to_be_recorded_with_why(tmp_path):
    """A folder copied in holding only a broken link `b.jpg`, and such a link named: the note said `a scan of it
    finds none` and `a scan passes it over` (2026-12-07, the real CLI), but the scan records each as an error
    (`broken symbolic link`) that report then lists. Now it says the scan records why it cannot read them."""
    lib, runner = _library(tmp_path)
    (lib / "gone").mkdir()
    os.symlink(tmp_path / "nowhere" / "b.jpg", lib / "gone" / "b.jpg")
    (lib / "old").mkdir()
    os.symlink(tmp_path / "nowhere" / "c.jpg", lib / "old" / "c.jpg")
    db = lib.resolve() / ".blurscan.db"
    for path, note in [(lib / "gone", "holds no photo under {}; `blurscan scan {}` records why it cannot read what it "
                        "finds there"),
                       (lib / "old" / "c.jpg", "holds no record of {}; `blurscan scan {}` records why it cannot read it")]:
        real = path.parent.resolve() / path.name
        res = runner.invoke(main, ["report", str(path), "--format", "jsonl"])
        assert res.exit_code == 0 and res.stdout == ""
        assert res.stderr == f"note: {db} " + note.format(real, real) + "\n", res.stderr
        assert runner.invoke(main, ["scan", str(path), "--model", "none"]).exit_code == 0
        res = runner.invoke(main, ["report", str(path), "--format", "jsonl"])
        assert "holds no" not in res.stderr and "broken symbolic link" in res.stdout, res.output


def test_a_large_tree_without_photos_is_not_walked_in_full_for_the_note(tmp_path, monkeypatch):
    """`report lib/docs` of a tree of documents (no photo, never scanned) walked it in full to word its note, every
    directory entry of 200,000 files (2026-12-07, the real CLI): now the walk stops past NOTE_ENTRIES entries and the
    note says the scan adds any photos it holds. The directory entries listed are counted (os.scandir)."""
    from blurscan.cli.scan_notes import NOTE_ENTRIES

    lib, runner = _library(tmp_path)
    docs = lib / "docs"
    documents(docs, 6, NOTE_ENTRIES // 4)
    save_jpeg(docs / "d5" / "z.jpg", textured(3))  # (past the limit: not looked for)
    listed = count_listed(monkeypatch)
    res = runner.invoke(main, ["report", str(docs), "--format", "jsonl"])
    monkeypatch.undo()
    real = docs.resolve()
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr == (f"note: {lib.resolve() / '.blurscan.db'} holds no photo under {real}; `blurscan scan {real}` "
                          f"adds any photos it holds (not looked for past its first {NOTE_ENTRIES:,} files and "
                          "folders)\n"), res.stderr
    assert NOTE_ENTRIES < len(listed) <= NOTE_ENTRIES + 100 < 6 * NOTE_ENTRIES // 4  # (+ lib's few: finding the db)


def test_a_large_linked_tree_without_photos_is_not_walked_in_full_to_name_it(tmp_path, monkeypatch):
    """`report lib/docs`, `lib/docs` a link to a tree of documents that the library's scans did not follow: every
    command walked it in full (twice) to tell whether a scan finds anything there before it began (2026-12-07, the
    real CLI). Now looked at as far as report's note looks, and the note names the library's --follow-symlinks
    scan (the photo past that bound is found by it). Directory entries listed are counted (os.scandir)."""
    from blurscan.cli.linked_folders import library_path
    from blurscan.cli.scan_notes import NOTE_ENTRIES

    lib, runner = _library(tmp_path)
    docs = tmp_path / "data" / "docs"
    documents(docs, 6, NOTE_ENTRIES // 4)
    save_jpeg(docs / "d5" / "z.jpg", textured(3))  # (past the bound)
    os.symlink(docs, lib / "docs")
    listed = count_listed(monkeypatch)
    named = library_path(str(lib / "docs"))
    first = len(listed)
    res = runner.invoke(main, ["report", str(lib / "docs"), "--format", "jsonl"])
    monkeypatch.undo()
    real = lib.resolve()
    assert named == str(real / "docs") and NOTE_ENTRIES < first <= NOTE_ENTRIES + 10, first  # (15,007 in full)
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr == (f"note: {real / '.blurscan.db'} holds no photo under {real / 'docs'}; `blurscan scan {real} "
                          "--follow-symlinks` adds any photos it holds (not looked for past its first "
                          f"{NOTE_ENTRIES:,} files and folders)\n"), res.stderr
    assert len(listed) - first <= 3 * (NOTE_ENTRIES + 10)  # (library_path, the note's library and its walk)
    scanned = runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"])
    assert scanned.exit_code == 0, scanned.output
    assert "z.jpg" in runner.invoke(main, ["report", str(lib / "docs"), "--format", "jsonl"]).stdout


def test_the_scan_it_names_can_be_pasted_for_a_folder_with_spaces_and_quotes(tmp_path, monkeypatch):
    """A folder ``Anne's new $HOME``: the scan the note names is one word for it, and typed in another folder it
    adds the photos; until 2026-12-07 the folder went in unquoted, and the pasted command split it at its spaces."""
    import re
    import shlex
    import subprocess
    import sys

    lib = tmp_path / "my lib"
    save_jpeg(lib / "a.jpg", textured(1))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    save_jpeg(lib / "Anne's new $HOME" / "b.jpg", textured(2))
    res = runner.invoke(main, ["report", str(lib / "Anne's new $HOME")])
    scan = shlex.split(re.search(r"`(blurscan scan [^`]*)` adds its photos", res.stderr).group(1))
    assert scan == ["blurscan", "scan", str(lib.resolve() / "Anne's new $HOME")], res.stderr
    (tmp_path / "other").mkdir()
    done = subprocess.run([sys.executable, "-m", "blurscan", *scan[1:], "--model", "none"], cwd=tmp_path / "other",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "b.jpg" in runner.invoke(main, ["report", str(lib / "Anne's new $HOME")]).stdout
