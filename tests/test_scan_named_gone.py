"""A scan naming a photo or folder that was scanned and is gone since (``blurscan scan lib/x.jpg`` after deleting
x.jpg, ``scan lib/2023/`` after deleting the folder, ``scan lib/x.jpg/`` where the folder x.jpg is a file now):
the path's line says so and the exit code is 1, as before, and its stored records are forgotten, as a scan of
its folder forgets them. Until 2026-12-05 they stayed (a scan of only such paths used no database at all), and
``scan lib/d/`` of a folder not there said "not a folder", after "no such file or directory" for ``lib/d``."""
from __future__ import annotations

import shutil

from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured


def _stored(db) -> list[str]:
    with Store(db) as store:
        return sorted(r.path for r in store.records())


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    save_jpeg(lib / "x.jpg", textured(2))
    save_jpeg(lib / "d" / "in1.jpg", textured(3))
    save_jpeg(lib / "d" / "in2.jpg", textured(4))
    assert run("scan", lib, "--model", "none").exit_code == 0
    return lib


def test_a_deleted_photo_named_alone_is_forgotten(tmp_path):
    lib = _library(tmp_path)
    (lib / "x.jpg").unlink()
    res = run("scan", lib / "x.jpg", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1
    assert f"{lib / 'x.jpg'}: no such file or directory" in res.stderr
    assert f"database: {lib / '.blurscan.db'}" in res.stderr
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "d" / "in1.jpg"),
                                             str(lib / "d" / "in2.jpg")]


def test_a_deleted_folder_named_with_a_slash_is_forgotten_and_said_once(tmp_path):
    lib = _library(tmp_path)
    shutil.rmtree(lib / "d")
    res = run("scan", lib / "a.jpg", lib / "d", f"{lib / 'd'}/", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1
    assert res.stderr.count(f"{lib / 'd'}: no such file or directory") == 1, res.stderr
    assert "not a folder" not in res.stderr
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "x.jpg")]


def test_a_folder_that_became_a_file_named_with_a_slash_forgets_its_photos(tmp_path):
    lib = _library(tmp_path)
    shutil.rmtree(lib / "d")
    save_jpeg(lib / "d", textured(5))  # a file now, where the folder was
    res = run("scan", f"{lib / 'd'}/", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1
    assert f"{lib / 'd'}/: not a folder" in res.stderr
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "x.jpg")]


def test_a_path_whose_folder_is_gone_too_forgets_nothing_and_makes_no_database(tmp_path):
    """A drive not mounted (its folders gone too): nothing is known about its photos, so nothing is forgotten;
    a mistyped path in a folder never scanned makes no database."""
    lib = _library(tmp_path)
    before = _stored(lib / ".blurscan.db")
    res = run("scan", lib / "gone" / "x.jpg", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1 and res.stderr == f"{lib / 'gone' / 'x.jpg'}: no such file or directory\n", res.stderr
    assert _stored(lib / ".blurscan.db") == before
    other = tmp_path / "other"
    other.mkdir()
    res = run("scan", other / "typo.jpg", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1 and res.stderr == f"{other / 'typo.jpg'}: no such file or directory\n", res.stderr
    assert list(other.iterdir()) == []


def test_a_photo_that_move_took_away_keeps_its_record(tmp_path):
    """Named after `blurscan move` took it: not gone for good (an undo brings it back), so its record stays, as
    a scan of its folder keeps it."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    save_jpeg(lib / "b.jpg", blurred(textured(2), 4))
    assert run("scan", lib, "--model", "none").exit_code == 0
    assert run("move", lib, "--all-blurry", "--to", tmp_path / "out", "--yes").exit_code == 0
    assert not (lib / "b.jpg").exists()
    assert run("scan", lib / "b.jpg", "--model", "none", "--format", "jsonl").exit_code == 1
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "b.jpg")]
    assert run("undo", lib).exit_code == 0
    res = run("report", lib, "--format", "jsonl")
    assert [line for line in res.stdout.splitlines() if '"verdict": "blurry"' in line and "b.jpg" in line]


def test_a_path_whose_folder_is_gone_too_forgets_nothing_with_the_database_named(tmp_path):
    """As above with --db: the scan uses the library's database, and still forgets nothing of a folder not there
    (a drive not mounted), its photos named one by one."""
    lib = _library(tmp_path)
    before = _stored(lib / ".blurscan.db")
    shutil.rmtree(lib / "d")
    res = run("scan", lib / "d" / "in1.jpg", lib / "d" / "in2.jpg", "--db", lib / ".blurscan.db", "--model", "none",
              "--format", "jsonl")
    assert res.exit_code == 1 and f"database: {lib / '.blurscan.db'}" in res.stderr
    assert _stored(lib / ".blurscan.db") == before


def test_a_scan_of_the_folder_keeps_the_record_of_a_photo_move_took_away(tmp_path):
    """As above, the folder scanned: the photo move took away is not gone for good, and undo finds its record."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    save_jpeg(lib / "b.jpg", blurred(textured(2), 4))
    assert run("scan", lib, "--model", "none").exit_code == 0
    assert run("move", lib, "--all-blurry", "--to", tmp_path / "out", "--yes").exit_code == 0
    assert run("scan", lib, "--model", "none", "--format", "jsonl").exit_code == 0
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "b.jpg")]


def test_a_file_named_with_a_last_dot_is_not_a_folder(tmp_path):
    """``scan lib/a.jpg/.`` (``lib/.`` names the folder lib; the system reads ``a.jpg/.`` only through a folder):
    until 2026-12-07 the photo was scanned (``1 sharp``) and the scan exited 1 without a word of why; it says
    ``not a folder``, as ``lib/a.jpg/`` does, and so does a folder that became a file (its photos forgotten)."""
    lib = _library(tmp_path)
    res = run("scan", f"{lib / 'a.jpg'}/.", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1
    assert f"{lib / 'a.jpg'}/: not a folder" in res.stderr and '"status": "ok"' not in res.stdout, res.output
    shutil.rmtree(lib / "d")
    save_jpeg(lib / "d", textured(5))
    res = run("scan", f"{lib / 'd'}/.", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 1 and f"{lib / 'd'}/: not a folder" in res.stderr, res.output
    assert _stored(lib / ".blurscan.db") == [str(lib / "a.jpg"), str(lib / "x.jpg")]


def test_forget_of_a_folder_gone_without_a_drive_record_forgets_only_under_it_and_refuses_what_it_would_ignore(
        tmp_path):
    """``scan --forget --db FILE FOLDER`` (a drive gone for good: tests/test_remounted_views.py has the drives) of a
    folder gone, the library's database kept: only the records under it are forgotten, the rest kept, and the
    database is closed after (a leaked one fails the suite). An option it would not use (``--workers``,
    ``--format``, ``-o``: it scans nothing) is refused, nothing forgotten; until 2026-12-07 (when --forget came)
    it would have been ignored without a word."""
    lib = _library(tmp_path)
    db = tmp_path / "kept.db"
    shutil.copy2(lib / ".blurscan.db", db)
    shutil.rmtree(lib / "d")
    refused = run("scan", "--forget", "--db", db, lib / "d", "--workers", "2", "-o", tmp_path / "o.jsonl")
    assert refused.exit_code == 2 and "--forget scans nothing: --workers, --output cannot go with it" in refused.stderr
    assert len(_stored(db)) == 4 and not (tmp_path / "o.jsonl").exists()
    done = run("scan", "--forget", "--db", db, lib / "d")
    assert done.exit_code == 0, done.output
    assert f"forgot 2 stored photos under {lib / 'd'}" in done.stdout
    assert _stored(db) == [str(lib / "a.jpg"), str(lib / "x.jpg")]
    there = run("scan", "--forget", "--db", db, lib)
    assert there.exit_code == 1 and f"{lib} is there: nothing forgotten" in there.stderr
    assert len(_stored(db)) == 2
