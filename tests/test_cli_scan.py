"""``blurscan scan`` / ``blurscan report``: output formats, the JSONL contract, exit codes, database location."""
from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blurscan.errors import shell_path
from blurscan.records import VERDICTS
from blurscan.store import SCHEMA_VERSION, Store

from helpers_cli import jsonl as _jsonl, run
from helpers_images import blurred, save_jpeg, textured

DOC = Path(__file__).resolve().parents[1] / "docs" / "jsonl.md"

#: The documented keys of every JSONL object and their types (docs/jsonl.md); score keys are checked apart.
CONTRACT = {
    "path": (str,), "status": (str,), "error": (str, type(None)), "verdict": (str, type(None)),
    "p_blurry": (float, type(None)), "blur_type": (str, type(None)), "laplacian_var": (float, type(None)),
    "grid": (list, type(None)), "grid_box": (list, type(None)), "width": (int, type(None)),
    "height": (int, type(None)),
    "size": (int, type(None)), "format": (str, type(None)), "captured_at": (str, type(None)),
    "model_version": (str, type(None)), "measure_version": (str, type(None)), "note": (str, type(None)),
}


def test_scan_jsonl_contract(library):
    root, truth = library
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    result = run("scan", root, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    objs = _jsonl(result.stdout)
    assert sorted(o["path"] for o in objs) == sorted([*truth, str(root / "broken.jpg")])
    keys = list(objs[0])
    doc = DOC.read_text()
    for o in objs:
        assert list(o) == keys                       # every object has every key, in the same order
        for key, types in CONTRACT.items():
            assert isinstance(o[key], types), (key, o[key])
        scores = [k for k in o if k not in CONTRACT]
        assert scores and all(isinstance(o[k], (float, type(None))) for k in scores)
        assert o["status"] in ("ok", "error")
        if o["status"] == "ok":
            assert o["error"] is None and o["verdict"] in VERDICTS
            assert all(isinstance(o[k], float) for k in scores) and o["width"] == 320
        else:
            assert o["verdict"] is None and o["error"] and "\n" not in o["error"]
            assert all(o[k] is None for k in scores)
    for key in keys:                                 # the document names every key the output has
        assert f"`{key}`" in doc, f"docs/jsonl.md does not document {key}"
    assert result.stderr.count(str(root / "broken.jpg")) == 1

@pytest.mark.parametrize("rich_rows", [2000, 2])   # rich table, and plain text for very large tables
def test_scan_table_is_ranked_most_blurry_first(library, tmp_path, monkeypatch, rich_rows):
    from blurscan import report

    monkeypatch.setattr(report, "RICH_TABLE_MAX_ROWS", rich_rows)
    root, truth = library
    result = run("scan", root, "--model", "none", "--workers", "1", "--db", tmp_path / "x.db")
    assert result.exit_code == 0, result.stderr
    rows = (re.fullmatch(r"\s*\d+\s+(?:sharp|blurry|partial)\s+\S+\s+\d+x\d+\s+(.+?)\s*", line)
            for line in result.stdout.splitlines())
    order = [row[1] for row in rows if row]  # (the path is the rest of the row: it may hold spaces)
    assert sorted(order) == sorted(truth)
    assert [truth[p] for p in order] == sorted(truth.values())  # "blurry" < "sharp": all blurry first
    assert re.search(r"5 files: \d blurry, 0 partial, \d sharp, 0 errors", result.stdout)

def test_scan_csv_has_the_jsonl_columns(library, tmp_path):
    root, truth = library
    jsonl = _jsonl(run("scan", root, "--format", "jsonl", "--model", "none", "--workers", "1").stdout)
    result = run("scan", root, "--format", "csv", "--model", "none", "--workers", "1")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(jsonl[0])
    assert sorted(r["path"] for r in rows) == sorted(truth)
    by_path = {o["path"]: o for o in jsonl}
    for r in rows:
        assert r["verdict"] == by_path[r["path"]]["verdict"]
        assert float(r["laplacian_var"]) == by_path[r["path"]]["laplacian_var"]

def test_output_file(library, tmp_path):
    root, truth = library
    out = tmp_path / "out.jsonl"
    result = run("scan", root, "--format", "jsonl", "--output", out, "--model", "none", "--workers", "1")
    assert result.exit_code == 0 and result.stdout == ""
    assert len(_jsonl(out.read_text(encoding="utf-8"))) == len(truth)
    table = tmp_path / "out.txt"
    run("scan", root, "-o", table, "--model", "none", "--workers", "1")
    assert all(p in table.read_text() for p in truth)

def test_default_database_at_the_scanned_root_and_report(library, monkeypatch):
    root, truth = library
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    assert (root / ".blurscan.db").is_file()
    monkeypatch.chdir(root / "sub")        # report finds the database in a parent folder
    result = run("report", "--format", "jsonl")
    assert result.exit_code == 0
    assert [o["path"] for o in _jsonl(result.stdout)] == [str(root / "sub" / "sharp_0.jpg")]  # under cwd
    monkeypatch.chdir(root)
    assert len(_jsonl(run("report", "--format", "jsonl").stdout)) == len(truth)
    everything = _jsonl(run("report", "--format", "jsonl").stdout)
    blurry = _jsonl(run("report", "--only", "blurry", "--format", "jsonl").stdout)
    assert blurry and sorted(o["path"] for o in blurry) == sorted(o["path"] for o in everything
                                                                 if o["verdict"] == "blurry")
    assert run("report", "--only", "errors", "--format", "jsonl").stdout == ""
    table = run("report", root).stdout
    assert f"{len(blurry)} blurry" in table and f"{len(truth)} files" in table

def test_report_decodes_nothing(library, tmp_path, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    from blurscan import decode

    monkeypatch.setattr(decode, "decode", lambda *a, **k: pytest.fail("report decoded a file"))
    result = run("report", "--db", db, "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(truth) + 1


def test_report_leaves_out_photos_no_longer_on_disk_and_says_so(library, tmp_path):
    """A photo moved, renamed or deleted by hand after the scan was still listed (a script reading `report
    --format jsonl` for a training set was handed files that are not there)."""
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    gone = sorted(truth)[:2]
    os.remove(gone[0])
    os.rename(gone[1], str(gone[1]) + ".renamed")
    result = run("report", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0
    listed = {o["path"] for o in _jsonl(result.stdout)}
    assert listed == {str(p) for p in truth} - {str(p) for p in gone}
    assert "note: 2 stored photos no longer on disk (moved, renamed or deleted since the last scan) are not " \
        f"listed; `blurscan scan --db {db} {root}` updates the database" in result.stderr, result.stderr

def test_report_marks_kept_photos(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    kept = next(p for p, v in truth.items() if v == "blurry")
    with Store(db) as store:
        verdict = store.record(kept).verdict
    st = os.stat(kept)
    with Store(db) as store:
        store.conn.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                           (kept, "keep", st.st_size, st.st_mtime_ns, time.time()))
    lines = [ln for ln in run("report", "--db", db).stdout.splitlines() if kept in ln]
    assert len(lines) == 1 and f"{verdict} (kept)" in lines[0]
    dropped = next(p for p, v in truth.items() if p != kept)   # a discard shows too (it showed nothing)
    st2 = os.stat(dropped)
    with Store(db) as store:
        store.conn.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                           (dropped, "discard", st2.st_size, st2.st_mtime_ns, time.time()))
    for out in (run("report", "--db", db), run("scan", root, "--db", db, "--model", "none", "--workers", "1")):
        lines = [ln for ln in out.stdout.splitlines() if dropped in ln]
        with Store(db) as store:
            verdict = store.record(dropped).verdict
        assert len(lines) == 1 and f"{verdict} (discarded)" in lines[0], out.stdout
    os.utime(kept, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))   # changed since the decision: judged afresh
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    lines = [ln for ln in run("report", "--db", db).stdout.splitlines() if kept in ln]
    assert "(kept)" not in lines[0]

def test_scan_of_a_subfolder_uses_the_librarys_database(library, monkeypatch):
    """A library scanned once: scanning one of its folders (by path, from inside it, or one file) reuses the
    library's database instead of starting a second one and decoding everything again."""
    root, truth = library
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    monkeypatch.chdir(root / "sub")
    for args in ((".",), (str(root / "sub" / "sharp_0.jpg"),)):
        result = run("scan", *args, "--model", "none", "--workers", "1")
        assert result.exit_code == 0, result.output
        assert "1 unchanged, reused" in result.stderr and f"database: {root / '.blurscan.db'}" in result.stderr
    assert not (root / "sub" / ".blurscan.db").exists()
    assert len(_jsonl(run("report", root, "--format", "jsonl").stdout)) == len(truth)  # nothing forgotten

def test_output_suffix_chooses_the_format_and_only_repeats(library, tmp_path):
    root, truth = library
    out_csv, out_jsonl = tmp_path / "scores.csv", tmp_path / "scores.jsonl"
    assert run("scan", root, "-o", out_csv, "--model", "none", "--workers", "1").exit_code == 0
    with out_csv.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["path"] for r in rows) == sorted(truth)
    assert run("report", root, "-o", out_jsonl).exit_code == 0
    assert len(_jsonl(out_jsonl.read_text())) == len(truth)
    assert run("report", root, "-o", out_jsonl, "--format", "table").exit_code == 0  # --format wins
    assert "blurry" in out_jsonl.read_text() and not out_jsonl.read_text().startswith("{")
    both = _jsonl(run("report", root, "--only", "blurry", "--only", "sharp", "--format", "jsonl").stdout)
    assert sorted(o["verdict"] for o in both) == sorted(truth.values())  # --model none: sharp or blurry
    # a .json file got the rich table (a walkthrough): refused before anything is scanned, --format decides
    out_json = tmp_path / "scores.json"
    refused = run("scan", root, "-o", out_json, "--model", "none", "--workers", "1")
    assert refused.exit_code == 2 and not out_json.exists()
    assert f"{out_json}: blurscan writes JSON Lines (one object per line), not one JSON document" in refused.stderr
    assert run("report", root, "-o", out_json, "--format", "jsonl").exit_code == 0
    assert len(_jsonl(out_json.read_text())) == len(truth)

def test_db_in_a_missing_folder_says_so(library, tmp_path):
    root, _ = library
    result = run("scan", root, "--db", tmp_path / "nope" / "x.db", "--model", "none", "--workers", "1")
    assert result.exit_code == 1
    assert f"cannot create the database: its folder {tmp_path / 'nope'} does not exist" in result.output

def test_report_without_database(tmp_path, monkeypatch):
    save_jpeg(tmp_path / "a.jpg", textured())  # a folder of photos never scanned
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run("report")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no blurscan database" in result.stderr
    result = run("report", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no blurscan database" in result.stderr
    assert not (tmp_path / "none.db").exists()

def test_missing_path_exit_code_and_message(library):
    root, truth = library
    missing = root.parent / "no-such-folder"
    result = run("scan", missing, root, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert result.exit_code == 1
    assert f"{missing}: no such file or directory" in result.stderr.splitlines()
    objs = _jsonl(result.stdout)
    assert len(objs) == len(truth) + 1                 # the other path was still scanned
    assert [o["error"] for o in objs if o["path"] == str(missing)] == ["no such file or directory"]


def test_a_missing_folder_is_one_line_not_a_file_that_could_not_be_scored(library, tmp_path):
    """``scan MISSING`` (the table): one line naming it and why, exit 1, no table and no database; beside a
    library, the library's table counts only its files. Until 2026-12-07: ``1 file(s) could not be scored:``,
    the table's ``1 file: ... 1 error`` and ``scanned 1 file: ... 1 error ... database: none``."""
    root, truth = library
    missing = tmp_path / "no-such-folder"
    alone = run("scan", missing, "--model", "none", "--workers", "1")
    assert (alone.exit_code, alone.stdout, alone.stderr) == (1, "", f"{missing}: no such file or directory\n")
    both = run("scan", missing, root, "--model", "none", "--workers", "1")
    assert both.exit_code == 1 and f"{missing}: no such file or directory" in both.stderr.splitlines()
    assert f"{len(truth)} files: " in both.stdout and ", 0 errors" in both.stdout, both.stdout
    assert str(missing) not in both.stdout and "could not be scored" not in both.output, both.output



def test_empty_folder(tmp_path):
    """Nothing found: no database is left behind in a folder without photos (a mistyped path, say), unless one
    was there already or --db named it."""
    (tmp_path / "empty").mkdir()
    result = run("scan", tmp_path / "empty", "--format", "jsonl", "--model", "none")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no image files found" in result.stderr and "database: none" in result.stderr
    assert os.listdir(tmp_path / "empty") == []
    named = run("scan", tmp_path / "empty", "--model", "none", "--db", tmp_path / "named.db")
    assert named.exit_code == 0 and (tmp_path / "named.db").is_file()
    save_jpeg(tmp_path / "empty" / "a.jpg", textured())
    assert run("scan", tmp_path / "empty", "--model", "none").exit_code == 0
    os.remove(tmp_path / "empty" / "a.jpg")  # a library emptied since: its database (decisions, journal) stays
    assert run("scan", tmp_path / "empty", "--model", "none").exit_code == 0
    assert (tmp_path / "empty" / ".blurscan.db").is_file()

@pytest.mark.parametrize("args", [["scan"], ["scan", ".", "--workers", "0"], ["scan", ".", "--format", "xml"],
                                  ["report", "--only", "nice"], ["scan", ".", "--long-side", "10"]])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2

def test_bad_model_file_is_an_error(library, tmp_path):
    root, truth = library
    (tmp_path / "m.onnx").write_bytes(b"not a model")
    result = run("scan", root, "--model", tmp_path / "m.onnx", "--db", tmp_path / "x.db")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "m.onnx" in result.stderr
    assert not (tmp_path / "x.db").exists() and not (root / ".blurscan.db").exists()  # no empty database left

def test_newer_database_schema_is_an_error(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    for args in (["scan", root, "--db", db], ["report", "--db", db]):
        result = run(*args)
        assert result.exit_code == 1 and "newer than this blurscan understands" in result.stderr

def test_two_scans_of_the_same_database_at_once(library, tmp_path):
    root, truth = library
    for i in range(6):
        save_jpeg(root / "more" / f"m{i}.jpg", textured(50 + i))
    db = tmp_path / "shared.db"
    args = [sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(db), "--format", "jsonl",
            "--model", "none", "--workers", "1"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    for stdout, _ in outs:
        assert len(_jsonl(stdout.decode())) == len(truth) + 6
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(store.records()) == len(truth) + 6
        assert all(r.status == "ok" for r in store.records())

def test_hidden_and_symlinked_folders_only_on_request(library, tmp_path):
    root, truth = library
    hidden = save_jpeg(root / ".hidden" / "h.jpg", textured(20))
    save_jpeg(tmp_path / "elsewhere" / "e.jpg", textured(21))
    os.symlink(tmp_path / "elsewhere", root / "linked")
    os.symlink(root, root / "sub" / "loop")                  # a loop: never followed twice

    def paths(*flags):
        result = run("scan", root, "--format", "jsonl", "--model", "none", "--workers", "1", *flags)
        assert result.exit_code == 0, result.stderr
        return sorted(o["path"] for o in _jsonl(result.stdout))

    assert paths() == sorted(truth)
    assert paths("--include-hidden") == sorted([*truth, str(hidden)])
    assert paths("--follow-symlinks") == sorted([*truth, str(root / "linked" / "e.jpg")])

def test_report_with_db_and_path_lists_files_under_path(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    assert len(_jsonl(run("report", "--db", db, "--format", "jsonl").stdout)) == len(truth)
    sub = _jsonl(run("report", root / "sub", "--db", db, "--format", "jsonl").stdout)
    assert [o["path"] for o in sub] == [str(root / "sub" / "sharp_0.jpg")]
    # a mistyped PATH inside the library is an error, not an empty list (it was "0 files", exit 0)
    for command in ("report", "bursts"):
        for extra in ([], ["--db", db]):
            typo = run(command, root / "sbu", *extra)
            assert typo.exit_code == 1 and typo.stdout == "", (command, typo.stdout)
            assert typo.stderr == f"Error: {root / 'sbu'}: no such file or directory\n", (command, typo.stderr)
    # a PATH the named database does not cover: "0 files" said nothing of why
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = run("report", elsewhere, "--db", db)
    assert other.exit_code == 0 and f"note: {db} holds no photo under {elsewhere}" in other.stderr, other.stderr


def test_model_none_scan_says_it_replaced_the_models_verdicts(library, tmp_path):
    """A one-off `--model none` scan (to try the baseline) replaces the stored model results of the photos it
    scans, and review/move/tag then act on the classical verdicts: the scan says so, with how many, and only
    when it happened."""
    root, truth = library
    db = tmp_path / "x.db"
    assert run("scan", root, "--db", db, "--workers", "1").exit_code == 0          # the shipped model
    sub = sorted(p for p in truth if str(p).startswith(str(root / "sub") + os.sep))
    assert sub
    result = run("scan", root / "sub", "--db", db, "--model", "none", "--workers", "1")
    assert result.exit_code == 0
    n = len(sub)
    assert (f"note: {n} photo{'s' if n != 1 else ''} scored by the model before now "
            f"{'carry' if n != 1 else 'carries'} the classical rule's verdict (--model none)") in result.stderr
    stored = {o["path"]: o for o in _jsonl(run("report", "--db", db, "--format", "jsonl").stdout)}
    assert sum(o["p_blurry"] is None for o in stored.values()) == n                 # only those were replaced
    again = run("scan", root / "sub", "--db", db, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "note:" not in again.stderr                       # nothing replaced this time
    fresh = run("scan", root, "--db", tmp_path / "new.db", "--model", "none", "--workers", "1")
    assert fresh.exit_code == 0 and "note:" not in fresh.stderr


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="needs a second top-level folder (/dev/shm)")
def test_unrelated_folders_never_put_a_database_in_the_root_folder(library, tmp_path, monkeypatch):
    """Two folders whose only common folder is / (/tmp/... and /dev/shm/...): the database goes to the cache
    folder with a note, never to /.blurscan.db (as root, a scan wrote one there: every later scan of any
    folder then found it as its library's database); report finds it again from either folder."""
    import contextlib
    import shutil
    import tempfile

    root, truth = library
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    other = Path(tempfile.mkdtemp(dir="/dev/shm", prefix="blurscan-test-"))

    def state():
        with contextlib.suppress(FileNotFoundError):
            return os.stat("/.blurscan.db").st_mtime_ns
    try:
        save_jpeg(other / "x.jpg", textured(3))
        before = state()
        result = run("scan", root, other, "--model", "none", "--workers", "1", "--format", "jsonl")
        assert result.exit_code == 0, result.stderr
        assert len(_jsonl(result.stdout)) == len(truth) + 1
        assert state() == before                       # not created, and a stray one (older blurscan) not used
        (db,) = (tmp_path / "cache" / "blurscan").glob("*.db")
        assert (f"note: the scanned paths have no common folder but /; keeping the database in {db} "
                "(choose with --db)") in result.stderr
        reported = run("report", other, "--format", "jsonl")
        assert [o["path"] for o in _jsonl(reported.stdout)] == [str(other / "x.jpg")]
        assert f"note: using {db}, where a scan of folders with no common folder but / kept its results" \
            in reported.stderr
        # ... but it is not the database of every folder: one never scanned is still "no database" (it was
        # "0 files", exit 0, for report, bursts and the actions, and review served an empty page)
        never = tmp_path / "never"
        save_jpeg(never / "a.jpg", textured(3))
        for args in (("report", never), ("bursts", never), ("move", "--to", tmp_path / "rej", never)):
            r = run(*args)
            assert r.exit_code == 1, (args, r.output)
            assert "no blurscan database found here or in a parent folder" in r.stderr, (args, r.stderr)
            assert f"(run `blurscan scan {shell_path(never)}` first, or pass --db)" in r.stderr  # the folder named
        # a library of its own beside it, moved from a folder above both: no note about the other database
        # (the undo hint looked the current folder's database up, and printed that lookup's note)
        own = tmp_path / "own"
        save_jpeg(own / "b.jpg", blurred(textured(7)))
        assert run("scan", own, "--model", "none", "--workers", "1").exit_code == 0
        monkeypatch.chdir(tmp_path)
        moved = run("move", "--to", tmp_path / "rej", "--all-blurry", own, "--yes")
        assert moved.exit_code == 0 and "moved 1 photo" in moved.stdout, moved.output
        assert "note: using" not in moved.stderr, moved.stderr
    finally:
        shutil.rmtree(other, ignore_errors=True)


def test_max_pixels_option_sets_the_decompression_bomb_limit(tmp_path):
    """A real panorama can pass the guard's 200-MP limit: the error says it was skipped on purpose and how to
    raise the limit, and --max-pixels does (it was settable from Python only)."""
    photo = save_jpeg(tmp_path / "lib" / "pano.jpg", textured(2, size=(240, 320)))
    low = run("scan", photo.parent, "--max-pixels", "1000", "--model", "none", "--workers", "1", "--format", "jsonl",
              "--db", tmp_path / "x.db")
    (obj,) = _jsonl(low.stdout)
    assert obj["status"] == "error"
    assert obj["error"] == ("decompression bomb: 76800 pixels > limit 1000 (skipped on purpose; "
                            "`blurscan scan --max-pixels N` raises the limit)")
    ok = run("scan", photo.parent, "--model", "none", "--workers", "1", "--format", "jsonl", "--db", tmp_path / "x.db")
    assert _jsonl(ok.stdout)[0]["status"] == "ok"


def test_photos_moved_away_keep_their_records_for_an_undo(library, tmp_path):
    """A scan between `move` and `undo` forgot the moved photos, so after the undo they were decoded again;
    their records are now kept (report still leaves them out while they are away) and reused once back."""
    from blurscan import pipeline

    root, truth = library
    db = tmp_path / "x.db"
    assert run("scan", root, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    photo = sorted(truth)[0]
    st = os.stat(photo)
    with Store(db) as store:
        store.conn.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                           (str(photo), "discard", st.st_size, st.st_mtime_ns, time.time()))
    moved = run("move", "--to", tmp_path / "rejects", "--yes", "--db", db)
    assert moved.exit_code == 0 and "moved 1 photo (1 file, " in moved.stdout, moved.output   # (was "1 files")
    assert run("scan", root, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    listed = [o["path"] for o in _jsonl(run("report", root, "--db", db, "--format", "jsonl").stdout)]
    assert str(photo) not in listed and len(listed) == len(truth) - 1
    assert run("undo", "--db", db).exit_code == 0 and os.path.exists(photo)
    decode, decoded = pipeline._process, []
    pipeline._process = lambda ref, *a: decoded.append(ref.path) or decode(ref, *a)
    try:
        again = run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    finally:
        pipeline._process = decode
    assert again.exit_code == 0 and decoded == [] and f"({len(truth)} unchanged, reused)" in again.stderr


def test_a_library_reached_through_a_symbolic_link_is_one_library(library, tmp_path):
    """~/Pictures -> /data/photos: scanned once each way, the database held every photo twice (and a photo
    kept under one name was flagged under the other); report and move given the link's path found nothing.
    Paths given on the command line now have their folders' links resolved: one name per photo, found
    whichever way the library is named."""
    root, truth = library
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    again = run("scan", alias, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert again.exit_code == 0 and f"({len(truth)} unchanged, reused)" in again.stderr
    assert sorted(o["path"] for o in _jsonl(again.stdout)) == sorted(map(str, truth))
    with Store(root / ".blurscan.db") as store:
        assert len(store.records()) == len(truth)
    listed = _jsonl(run("report", alias / "sub", "--format", "jsonl").stdout)
    assert [o["path"] for o in listed] == [str(root / "sub" / "sharp_0.jpg")]
    blurry = [p for p, v in truth.items() if v == "blurry"]
    plan = run("move", "--to", tmp_path / "rejects", "--all-blurry", alias)
    assert plan.exit_code == 0 and f"{len(blurry)} photos" in plan.stdout, plan.output


def test_a_new_library_database_reuses_an_earlier_scan_of_a_sub_folder_and_says_what_stays_there(library):
    """`scan lib/sub` first, then `scan lib`: the second scan started a new database and decoded everything
    again, silently leaving the first one's decisions and undo history where the library's commands do not
    look (a walkthrough). The sub-folder's results now seed the new database, and a note says what stays."""
    root, truth = library
    assert run("scan", root / "sub", "--model", "none", "--workers", "1").exit_code == 0
    assert (root / "sub" / ".blurscan.db").is_file()
    in_sub = sum(1 for p in truth if os.path.dirname(p) == str(root / "sub"))
    whole = run("scan", root, "--model", "none", "--workers", "1")
    assert whole.exit_code == 0, whole.stderr
    assert f"({in_sub} unchanged, reused)" in whole.stderr and f"database: {root / '.blurscan.db'}" in whole.stderr
    assert (f"note: {root / 'sub' / '.blurscan.db'} holds an earlier scan of {root / 'sub'}: its results are "
            "reused for unchanged photos; its decisions and undo history stay in it") in whole.stderr
    again = run("scan", root, "--model", "none", "--workers", "1")        # the library's own database now
    assert "holds an earlier scan" not in again.stderr and f"({len(truth)} unchanged, reused)" in again.stderr
