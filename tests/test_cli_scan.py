"""``blurscan scan`` / ``blurscan report``: output formats, the JSONL contract, exit codes, database location."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.records import VERDICTS
from blurscan.store import SCHEMA_VERSION, Store

from helpers_images import make_library, save_jpeg, textured

DOC = Path(__file__).resolve().parents[1] / "docs" / "jsonl.md"

#: The documented keys of every JSONL object and their types (docs/jsonl.md); score keys are checked apart.
CONTRACT = {
    "path": (str,), "status": (str,), "error": (str, type(None)), "verdict": (str, type(None)),
    "p_blurry": (float, type(None)), "blur_type": (str, type(None)), "laplacian_var": (float, type(None)),
    "grid": (list, type(None)), "grid_box": (list, type(None)), "width": (int, type(None)),
    "height": (int, type(None)),
    "size": (int, type(None)), "format": (str, type(None)), "captured_at": (str, type(None)),
    "model_version": (str, type(None)), "measure_version": (str, type(None)),
}


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def cli(*args, timeout=120):
    """The real command in a subprocess (signals, terminals, raw bytes)."""
    return subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, timeout=timeout)


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "lib"
    return root, make_library(root)


def _jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


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
    order = [line.split()[-1] for line in result.stdout.splitlines() if re.match(r"\s*\d+\s+(sharp|blurry|partial)", line)]
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
    for p in truth:
        os.remove(p)                       # the report reads the database only
    result = run("report", "--db", db, "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(truth) + 1


def test_report_marks_kept_photos(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    kept = next(p for p, v in truth.items() if v == "blurry")
    verdict = Store(db).record(kept).verdict
    st = os.stat(kept)
    with Store(db) as store:
        store.conn.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                           (kept, "keep", st.st_size, st.st_mtime_ns, time.time()))
    lines = [ln for ln in run("report", "--db", db).stdout.splitlines() if kept in ln]
    assert len(lines) == 1 and f"{verdict} (kept)" in lines[0]
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
    rows = list(csv.DictReader(out_csv.open(newline="")))
    assert sorted(r["path"] for r in rows) == sorted(truth)
    assert run("report", root, "-o", out_jsonl).exit_code == 0
    assert len(_jsonl(out_jsonl.read_text())) == len(truth)
    assert run("report", root, "-o", out_jsonl, "--format", "table").exit_code == 0  # --format wins
    assert "blurry" in out_jsonl.read_text() and not out_jsonl.read_text().startswith("{")
    both = _jsonl(run("report", root, "--only", "blurry", "--only", "sharp", "--format", "jsonl").stdout)
    assert sorted(o["verdict"] for o in both) == sorted(truth.values())  # --model none: sharp or blurry


def test_db_in_a_missing_folder_says_so(library, tmp_path):
    root, _ = library
    result = run("scan", root, "--db", tmp_path / "nope" / "x.db", "--model", "none", "--workers", "1")
    assert result.exit_code == 1
    assert f"cannot create the database: its folder {tmp_path / 'nope'} does not exist" in result.output


def test_damaged_jpeg_warnings_do_not_leak_from_an_in_process_scan(tmp_path):
    """libjpeg prints "Corrupt JPEG data: ..." on fd 2 by itself; the command's stderr carries only its own
    lines (`path: reason`, the summary)."""
    good = save_jpeg(tmp_path / "lib" / "a.jpg", textured(0, size=(480, 640))).read_bytes()
    (tmp_path / "lib" / "cut.jpg").write_bytes(good[: len(good) // 2] + b"\xff\xd9")  # EOI after half the data
    out = cli("scan", tmp_path / "lib", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    assert b"Corrupt JPEG data" not in out.stderr and out.stderr.count(b"\n") == 1, out.stderr


def test_control_characters_in_names_never_reach_the_terminal(tmp_path):
    """A downloaded file's name can hold an escape sequence (retitle, clear the terminal) or a newline (a
    forged table row): shown as \\xNN on the terminal; the JSONL keeps the name exactly (JSON escapes it)."""
    root = tmp_path / "lib"
    evil = "a\x1b]0;PWNED\x07\x1b[2Jb\nc.jpg"
    save_jpeg(root / evil, textured(0))
    (root / "bad\nname.jpg").write_bytes(b"not a jpeg at all")
    table = cli("scan", root, "--model", "none", "--workers", "1")
    assert table.returncode == 0
    for stream in (table.stdout, table.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    assert b"a\\x1b]0;PWNED\\x07\\x1b[2Jb\\x0ac.jpg" in table.stdout
    assert b"bad\\x0aname.jpg: not an image" in table.stderr
    objs = _jsonl(cli("report", root, "--format", "jsonl").stdout.decode())
    assert sorted(os.path.basename(o["path"]) for o in objs) == sorted([evil, "bad\nname.jpg"])


def test_read_only_library_is_listed_and_writes_fail_in_one_line(library):
    """A library on a read-only share (database and folder read-only, as seen by an ordinary user): report
    lists it and leaves no file behind; review refuses at once; a store write is one line, no traceback."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    import blurscan.actions  # noqa: F401  (the unprivileged child may not read modules imported lazily)
    import blurscan.review.server  # noqa: F401

    root, truth = library
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        lib = base / "lib"
        shutil.copytree(root, lib)
        db = lib / ".blurscan.db"
        for p in sorted(lib.rglob("*"), reverse=True) + [lib]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        before = sorted(p.name for p in lib.iterdir())

        def attempt():
            listed = CliRunner().invoke(main, ["report", str(lib), "--format", "jsonl"])
            reviewed = CliRunner().invoke(main, ["review", str(lib), "--no-browser"])
            try:
                with Store(db) as store:
                    with store.transaction() as conn:
                        conn.execute("DELETE FROM images")
                wrote = None
            except Exception as exc:
                wrote = f"{type(exc).__name__}: {exc}"
            return [listed.exit_code, listed.stdout, reviewed.exit_code, reviewed.output, wrote]

        code, out, rcode, rout, wrote = run_unprivileged(attempt)
        assert code == 0 and len(_jsonl(out)) == len(truth)
        assert rcode == 1 and "read-only, and the review page stores your decisions in it" in rout
        assert wrote is not None and wrote.startswith("StoreError: ") and "cannot" in wrote, wrote
        assert sorted(p.name for p in lib.iterdir()) == before  # no -wal / -shm left behind
    finally:
        for p in [base, *base.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)


def test_report_without_database(tmp_path, monkeypatch):
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


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("scan", tmp_path / "empty", "--format", "jsonl", "--model", "none")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no image files found" in result.stderr


@pytest.mark.parametrize("args", [["scan"], ["scan", ".", "--workers", "0"], ["scan", ".", "--format", "xml"],
                                  ["report", "--only", "nice"], ["scan", ".", "--long-side", "10"]])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_bad_model_file_is_an_error(library, tmp_path):
    root, truth = library
    (tmp_path / "m.onnx").write_bytes(b"not a model")
    result = run("scan", root, "--model", tmp_path / "m.onnx", "--db", tmp_path / "x.db")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "m.onnx" in result.stderr


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


def test_unwritable_root_falls_back_to_the_cache_folder(library, tmp_path, monkeypatch):
    root, truth = library
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    real_access = os.access
    # a read-only share: running as root here, so the refusal is simulated at the os.access check
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == root and mode & os.W_OK
                        else real_access(p, mode, **kw))
    result = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert not (root / ".blurscan.db").exists()
    (db,) = (cache / "blurscan").glob("lib-*.db")
    assert f"note: cannot write {root / '.blurscan.db'}; keeping the database in {db}" in result.stderr
    monkeypatch.chdir(root)                             # report finds the fallback database from the root
    assert len(_jsonl(run("report", "--format", "jsonl").stdout)) == len(truth)


def test_non_utf8_file_name_through_the_real_command(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    raw = os.fsencode(root) + b"/f\xe9te.jpg"
    save_jpeg(Path(os.fsdecode(raw)), textured(1))
    out = cli("scan", os.fsencode(root), "--format", "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    (obj,) = _jsonl(out.stdout.decode("utf-8"))        # valid UTF-8 JSON
    assert obj["path"] == str(root) + "/f\\xe9te.jpg" and obj["status"] == "ok"
    out = cli("scan", raw, "--model", "none", "--workers", "1")   # the name given on the command line
    assert out.returncode == 0 and b"f\\xe9te.jpg" in out.stdout
    report = cli("report", os.fsencode(root), "--format", "jsonl")
    assert _jsonl(report.stdout.decode())[0]["path"] == obj["path"]


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


def _sigint_default():
    """In the child: Ctrl-C's default action. A test run started in the background by a non-interactive shell
    (`make test &`) inherits SIGINT *ignored*, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly_and_keeps_what_was_done(tmp_path):
    root = tmp_path / "lib"
    for i in range(30):
        save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(480, 640)))
    db = tmp_path / "x.db"
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(db), "--format",
                             "jsonl", "--model", "none", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_sigint_default)
    first = proc.stdout.readline()                      # the scan is under way
    assert first
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()          # (not communicate(): it would skip what readline() buffered)
    err = proc.stderr.read()
    assert proc.wait(60) == 130, err
    n_out = len(_jsonl((first + rest).decode()))
    m = re.search(rb"interrupted: (\d+) of (\d+) scanned, kept in ", err)
    assert m and int(m.group(1)) == n_out and int(m.group(2)) == 30 and n_out < 30
    assert b"Traceback" not in err
    with Store(db) as store:
        assert len(store.records()) == n_out
    again = cli("scan", root, "--db", db, "--format", "jsonl", "--model", "none", "--workers", "1")
    objs = _jsonl(again.stdout.decode())
    assert len(objs) == 30 and again.returncode == 0
    assert sum(1 for o in objs) == len({o["path"] for o in objs})


def _session_processes(sid: int) -> list[int]:
    """PIDs of the live processes of session ``sid`` (Linux ``/proc``)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_ctrl_c_twice_to_the_whole_group_exits_and_leaves_no_worker(tmp_path):
    """A terminal's Ctrl-C reaches every process of the group, workers included, and impatient users press it
    twice. The second one used to interrupt the pool's clean-up: the command printed "interrupted" and then
    waited forever for its workers."""
    root = tmp_path / "lib"
    for i in range(80):
        save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(1200, 1600)))
    code = ("import sys; from blurscan import pipeline; pipeline.MIN_POOL_BYTES = 0; from blurscan.cli import main; "
            "main(sys.argv[1:])")
    proc = subprocess.Popen([sys.executable, "-c", code, "scan", str(root), "--db", str(tmp_path / "x.db"),
                             "--format", "jsonl", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_sigint_default)
    assert proc.stdout.readline()                       # the pool is at work
    proc.send_signal(signal.SIGINT)
    time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)                  # ... and again, to everyone
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the scan did not exit after Ctrl-C")
    assert proc.returncode == 130, err
    assert b"interrupted: " in err and b"Traceback" not in err, err
    deadline = time.monotonic() + 10
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []


def test_output_reader_going_away_stops_the_scan_with_141(tmp_path):
    """`blurscan scan ... | head -1`: no traceback, what was scored is kept, and not exit 0 (not finished)."""
    root = tmp_path / "lib"
    for i in range(200):  # ~120 kB of JSONL: more than a pipe holds, so the writer cannot finish unread
        save_jpeg(root / f"p{i:03d}.jpg", textured(i, size=(96, 128)))
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(tmp_path / "x.db"),
                             "--format", "jsonl", "--model", "none", "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()                                 # as `head -1` exits
    err = proc.stderr.read()
    assert proc.wait(60) == 141, err
    assert b"Traceback" not in err
    with Store(tmp_path / "x.db") as store:
        assert 1 <= len(store.records()) < 200


def test_progress_bar_only_on_a_terminal(library, tmp_path):
    root, truth = library
    out = cli("scan", root, "--db", tmp_path / "x.db", "--model", "none", "--workers", "1")
    assert b"scanning" not in out.stderr and b"ETA" not in out.stderr
    try:
        import pty
    except ImportError:  # pragma: no cover
        pytest.skip("no pty")
    import threading

    master, slave = pty.openpty()
    chunks = []

    def drain():  # keep reading so that the child never blocks on a full terminal buffer
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(tmp_path / "y.db"),
                             "--model", "none", "--workers", "1", "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=slave, env={**os.environ, "COLUMNS": "120"})
    os.close(slave)
    stdout, _ = proc.communicate(timeout=120)
    reader.join(10)
    os.close(master)
    tty_err = b"".join(chunks)
    assert proc.returncode == 0 and len(_jsonl(stdout.decode())) == len(truth)
    assert b"scanning" in tty_err and b"ETA" in tty_err


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
