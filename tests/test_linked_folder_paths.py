"""A folder *linked into* a library (``lib/trip -> /elsewhere/trip``, scanned with ``--follow-symlinks``: its
photos are stored as ``lib/trip/...``) given to the commands that read the library's database: resolved whole,
``report lib/trip`` (and review, bursts, move, trash, tag, undo) looked for a database above ``/elsewhere/trip``
and said to run a scan there, which would have made a second database (2026-12-04)."""
from __future__ import annotations

import json
import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.linked_folders import library_path
from helpers_images import blurred, save_jpeg, textured


def _linked_library(tmp_path):
    """``lib`` (one photo) with ``lib/trip`` a link to a folder elsewhere (one blurred photo), scanned with
    --follow-symlinks; that folder, and the runner."""
    lib, away = tmp_path / "lib", tmp_path / "elsewhere" / "trip"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(away / "a.jpg", blurred(textured(2), 4.0))
    os.symlink(away, lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", "--follow-symlinks", str(lib), "--model", "none"]).exit_code == 0
    return lib, away, runner


def test_a_folder_linked_into_the_library_is_read_from_the_librarys_database(tmp_path):
    lib, away, runner = _linked_library(tmp_path)
    assert library_path(lib / "trip") == str(lib.resolve() / "trip")
    assert library_path(lib / "trip" / "a.jpg") == str(lib.resolve() / "trip" / "a.jpg")
    assert library_path(away) == str(away.resolve())  # given by its own name: as it is (no database above it)
    res = runner.invoke(main, ["report", str(lib / "trip"), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(lib.resolve() / "trip" / "a.jpg")]
    res = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib / "trip"), "--all-blurry"])
    assert res.exit_code == 0, res.output
    assert "trip/a.jpg" in res.output and "home.jpg" not in res.output
    assert (away / "a.jpg").is_file()  # (a dry run)
    res = runner.invoke(main, ["report", str(away)])
    assert res.exit_code == 1 and "no blurscan database found" in res.stderr


def test_dot_dot_after_a_link_is_the_targets_sibling_and_the_current_folder_is_the_shells(tmp_path, monkeypatch):
    """``lib/trip/../other`` with lib/trip a link is ``elsewhere/other`` to the system (what ``ls`` shows): the
    path was normalised by text, ``lib/other``, whose photos a move then took. And inside the link (``cd
    lib/trip``), the current folder is the shell's ``$PWD``, not the resolved one."""
    lib, away = tmp_path / "lib", tmp_path / "elsewhere"
    save_jpeg(lib / "other" / "mine.jpg", blurred(textured(1), 4.0))
    save_jpeg(away / "trip" / "a.jpg", blurred(textured(2), 4.0))
    save_jpeg(away / "other" / "theirs.jpg", blurred(textured(3), 4.0))
    os.symlink(away / "trip", lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", "--follow-symlinks", str(lib), "--model", "none"]).exit_code == 0
    through = f"{lib}/trip/../other"
    assert os.listdir(through) == ["theirs.jpg"]
    res = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), through, "--all-blurry", "--yes"])
    assert res.exit_code == 1 and "no blurscan database found" in res.stderr, res.output
    assert (lib / "other" / "mine.jpg").is_file() and not (tmp_path / "rejects").exists()
    monkeypatch.chdir(lib / "trip")
    monkeypatch.setenv("PWD", str(lib / "trip"))
    res = runner.invoke(main, ["report", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(lib.resolve() / "trip" / "a.jpg")]


def _said_unfollowed(res, named, link, target, lib, *, scan=False):
    """``res`` failed with the one line naming ``named``, the link, its target and the library's scan."""
    assert res.exit_code == 1, res.output
    (line,) = res.stderr.splitlines()
    where = "" if named == link else f"in {link}, "
    assert line.startswith(f"Error: {named}: {where}a symbolic link to {target}, a folder the scans of the library "
                           f"{lib} did not follow"), line
    assert f"`blurscan scan {lib} --follow-symlinks` adds them" in line and f"`blurscan scan {target}` keeps" in line
    assert line.endswith(" (or pass --db)") == scan, line


def test_a_link_the_librarys_scans_never_followed_is_no_part_of_it(tmp_path, monkeypatch):
    """Scanned without --follow-symlinks, nothing under the link is in the library: the commands given it (or a
    photo in it, or run in it) say so in one line naming the link, its target and the library's --follow-symlinks
    scan (until 2026-12-07 they said that the target had no database and to scan it, naming neither)."""
    lib, away = tmp_path / "lib", tmp_path / "elsewhere" / "trip"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(away / "a.jpg", blurred(textured(2), 4.0))
    os.symlink(away, lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    link = str(lib / "trip")
    for command in (["report"], ["review", "--no-browser"], ["bursts"], ["move", "--to", str(tmp_path / "r")],
                    ["trash", "--all-blurry"], ["tag", "--xmp"], ["undo"]):
        res = runner.invoke(main, [*command, link])
        _said_unfollowed(res, link, link, away, lib)
    _said_unfollowed(runner.invoke(main, ["report", f"{link}/a.jpg"]), f"{link}/a.jpg", link, away, lib)
    monkeypatch.chdir(link)
    monkeypatch.setenv("PWD", link)
    _said_unfollowed(runner.invoke(main, ["report"]), link, link, away, lib)
    res = runner.invoke(main, ["report", "--db", str(lib / ".blurscan.db"), link])  # (a database named: as before)
    assert res.exit_code == 0 and "0 files" in res.output, res.output
    assert not (away / ".blurscan.db").exists()


def test_a_scan_of_a_link_whose_photos_a_plain_rescan_forgot_makes_no_second_database(tmp_path):
    """A plain rescan after a --follow-symlinks one forgets the photos under the link; ``scan lib/trip`` then made
    ``/elsewhere/trip/.blurscan.db`` quietly (until 2026-12-07), a second database that ``report lib/trip`` read
    from then on, also after the library's next --follow-symlinks scan stored them there again. Refused, naming
    the link, its target and the ways out; the target by its own name, or --db, as before."""
    lib, away, runner = _linked_library(tmp_path)
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0  # (forgets lib/trip's photos)
    link = str(lib / "trip")
    for named in (link, f"{link}/a.jpg"):
        res = runner.invoke(main, ["scan", named, "--model", "none"])
        _said_unfollowed(res, named, link, away, lib, scan=True)
        assert not (away / ".blurscan.db").exists()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--follow-symlinks"]).exit_code == 0
    res = runner.invoke(main, ["report", link, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(lib.resolve() / "trip" / "a.jpg")]
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    assert runner.invoke(main, ["scan", link, "--db", str(tmp_path / "t.db"), "--model", "none"]).exit_code == 0
    assert runner.invoke(main, ["scan", str(away), "--model", "none"]).exit_code == 0
    assert (away / ".blurscan.db").exists()
    assert runner.invoke(main, ["report", link]).exit_code == 0  # (its own database now: read, as before)


def test_review_run_inside_a_folder_linked_into_the_library_opens_the_librarys_database(tmp_path, monkeypatch):
    """``cd lib/trip && blurscan review`` (scanned with --follow-symlinks) took the resolved current folder and
    said /elsewhere/trip had no database, to be scanned, where ``report`` run there lists its photos (until
    2026-12-07)."""
    from blurscan.review import server as server_mod

    lib, _away, runner = _linked_library(tmp_path)
    opened = []

    def served(db_path, **kwargs):
        opened.append(db_path)
        raise SystemExit(0)

    monkeypatch.setattr(server_mod, "ReviewServer", served)
    monkeypatch.chdir(lib / "trip")
    monkeypatch.setenv("PWD", str(lib / "trip"))
    res = runner.invoke(main, ["review", "--no-browser"])
    assert res.exit_code == 0 and opened == [str(lib.resolve() / ".blurscan.db")], res.output


def test_a_scan_of_a_folder_linked_into_the_library_makes_no_second_database(tmp_path):
    """``scan lib/trip`` walked ``/elsewhere/trip`` and made ``/elsewhere/trip/.blurscan.db``, which ``report``,
    ``review`` and the actions given ``lib/trip`` then read instead of the library's: ``move lib/trip
    --all-blurry`` took a photo kept in the library (until 2026-12-05). Refused, saying what to scan instead."""
    from blurscan.store import Store
    from helpers_library import decide

    lib, away, runner = _linked_library(tmp_path)
    with Store(lib / ".blurscan.db") as store:
        decide(store, str(lib.resolve() / "trip" / "a.jpg"), "keep")
    for named in (lib / "trip", lib / "trip" / "a.jpg"):
        res = runner.invoke(main, ["scan", "--follow-symlinks", str(named), "--model", "none"])
        assert res.exit_code == 1, res.output
        assert "linked into the library" in res.stderr and "--follow-symlinks" in res.stderr
        assert not (away / ".blurscan.db").exists()
    res = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib / "trip"), "--all-blurry"])
    assert res.exit_code == 0, res.output
    assert "Dry run: 0 photos" in res.output, res.output  # kept in the library: not taken
    # the target scanned by its own name, and a database chosen with --db: as before
    assert runner.invoke(main, ["scan", str(lib / "trip"), "--db", str(tmp_path / "t.db"), "--model", "none"]
                         ).exit_code == 0
    assert runner.invoke(main, ["scan", str(away), "--model", "none"]).exit_code == 0


def test_a_link_to_a_folder_without_photos_is_an_empty_folder_of_the_library(tmp_path):
    """A link the library's --follow-symlinks scans followed, whose folder is empty or holds only documents: the
    database holds nothing there, as it would after any scan, and the commands said the scans "did not follow"
    it, to be added by `scan lib --follow-symlinks` (which adds nothing), and refused `scan lib/trip` (2026-12-07).
    They now treat it as an empty folder of the library; its scan finds nothing and makes no database."""
    lib, away = tmp_path / "lib", tmp_path / "elsewhere"
    save_jpeg(lib / "home.jpg", textured(1))
    (away / "trip").mkdir(parents=True)
    (away / "docs").mkdir()
    (away / "docs" / "notes.txt").write_text("hi")
    os.symlink(away / "trip", lib / "trip")
    os.symlink(away / "docs", lib / "docs")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", "--follow-symlinks", str(lib), "--model", "none"]).exit_code == 0
    for name in ("trip", "docs"):
        assert library_path(lib / name) == str(lib.resolve() / name)
        for command in (["report"], ["bursts"], ["move", "--to", str(tmp_path / "x"), "--all-blurry"]):
            res = runner.invoke(main, [*command, str(lib / name)])
            assert res.exit_code == 0, (command, res.output)
            assert "did not follow" not in res.output
        res = runner.invoke(main, ["report", str(lib / name)])
        assert f"holds no photo under {lib.resolve() / name}; a scan of it finds none" in res.stderr
        res = runner.invoke(main, ["scan", str(lib / name), "--model", "none"])
        assert res.exit_code == 0 and "no image files found" in res.output, res.output
        assert not (away / name / ".blurscan.db").exists()
    res = runner.invoke(main, ["report", str(lib / "docs" / "notes.txt")])
    assert res.exit_code == 0 and "a scan passes it over" in res.stderr, res.output
    save_jpeg(away / "trip" / "a.jpg", textured(2))  # (a photo there since: not in the library until its scan)
    res = runner.invoke(main, ["report", str(lib / "trip")])
    assert res.exit_code == 1 and "did not follow" in res.stderr, res.output


def test_a_folder_or_photo_in_a_followed_link_not_scanned_yet_is_in_the_library(tmp_path):
    """An empty folder inside a link the library's --follow-symlinks scan followed (``lib/trip/empty``), or a
    folder or photo put there since: whether the scans followed the link is told by the photos held under the
    link, not under the path given. They were said to be in a link the scans "did not follow" (the database holds
    photos under it), and ``scan lib/trip/empty`` was refused so (until 2026-12-07). ``report`` says what a scan
    finds there, naming the library's scan where the photos are (a scan of the path alone is refused)."""
    lib, away, runner = _linked_library(tmp_path)
    (away / "empty").mkdir()
    save_jpeg(away / "new" / "b.jpg", textured(3))
    save_jpeg(away / "late.jpg", textured(4))
    library, db = lib.resolve(), lib.resolve() / ".blurscan.db"
    for name in ("empty", "new", "late.jpg"):
        assert library_path(lib / "trip" / name) == str(library / "trip" / name)
    res = runner.invoke(main, ["report", str(lib / "trip" / "empty")])
    assert res.exit_code == 0, res.output
    assert res.stderr == f"note: {db} holds no photo under {library / 'trip' / 'empty'}; a scan of it finds none\n"
    res = runner.invoke(main, ["report", str(lib / "trip" / "new")])
    assert res.exit_code == 0, res.output
    assert res.stderr == (f"note: {db} holds no photo under {library / 'trip' / 'new'}; `blurscan scan {lib} "
                          "--follow-symlinks` adds its photos\n")
    res = runner.invoke(main, ["report", str(lib / "trip" / "late.jpg")])
    assert res.exit_code == 0 and f"`blurscan scan {lib} --follow-symlinks` adds it\n" in res.stderr, res.output
    for name in ("empty", "new"):
        res = runner.invoke(main, ["scan", str(lib / "trip" / name), "--model", "none"])
        assert res.exit_code == 1 and "in a folder linked into the library" in res.stderr, res.output
        assert "did not follow" not in res.stderr
        assert not (away / name / ".blurscan.db").exists()
    res = runner.invoke(main, ["move", "--to", str(tmp_path / "r"), str(lib / "trip" / "new"), "--all-blurry"])
    assert res.exit_code == 0 and "did not follow" not in res.output, res.output
    assert runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"]).exit_code == 0
    res = runner.invoke(main, ["report", str(lib / "trip" / "new"), "--format", "jsonl"])
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(library / "trip" / "new" / "b.jpg")]
