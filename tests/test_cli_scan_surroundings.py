"""``blurscan scan`` and its surroundings: Ctrl-C (once, twice, to the whole process group), a reader that goes
away, a terminal (progress bar, control characters in names), damaged files' decoder chatter, read-only
storage, names that are not UTF-8."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.store import Store

from helpers_cli import cli, jsonl as _jsonl, run
from helpers_images import save_jpeg, textured
from helpers_pty import on_terminal
import pytest


def test_damaged_jpeg_warnings_do_not_leak_from_an_in_process_scan(tmp_path):
    """libjpeg prints "Corrupt JPEG data: ..." on fd 2 by itself; the command's stderr carries only its own
    lines (`path: reason`, the summary). (The damaged file was scored silently, as a picture grey below the cut,
    until blurscan.jpegdamage: now it is an error record, its line naming it.)"""
    good = save_jpeg(tmp_path / "lib" / "a.jpg", textured(0, size=(480, 640))).read_bytes()
    cut = tmp_path / "lib" / "cut.jpg"
    cut.write_bytes(good[: len(good) // 2] + b"\xff\xd9")  # EOI after half the data
    out = cli("scan", tmp_path / "lib", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.decode().splitlines()
    assert b"Corrupt JPEG data" not in out.stderr and len(lines) == 2, out.stderr
    assert lines[0] == f"{cut}: corrupt JPEG data: premature end of data segment", lines

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
            writers = [CliRunner().invoke(main, args) for args in (["move", "--to", str(base / "rejects"), str(lib)],
                                                                  ["bursts", str(lib)], ["tag", "--xmp", str(lib)])]
            return [listed.exit_code, listed.stdout, reviewed.exit_code, reviewed.output, wrote,
                    [(w.exit_code, w.output) for w in writers]]

        code, out, rcode, rout, wrote, writers = run_unprivileged(attempt)
        for exit_code, output in writers:  # commands that write say what to check (was SQLite's own words)
            assert exit_code != 0 and "Traceback" not in output, output
            assert "the database is read-only" in output and "--db" in output, output
            assert "attempt to write" not in output, output
        assert code == 0 and len(_jsonl(out)) == len(truth)
        assert rcode == 1 and rout.startswith(f"Error: {db}: cannot write: the database is read-only: the file is "
                                              "not writable by this user") and rout.count("\n") == 1, rout
        assert wrote is not None and wrote.startswith("StoreError: ") and "cannot" in wrote, wrote
        assert sorted(p.name for p in lib.iterdir()) == before  # no -wal / -shm left behind
    finally:
        for p in [base, *base.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)

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

def test_read_only_library_database_is_reused_for_unchanged_photos(library):
    """Another user's library (database and folders read-only): a scan keeps its database in the cache folder
    but reuses the library database's results of the unchanged photos (nothing decoded again), copies them
    there, and scores a changed photo again; the library is left as it was."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    from blurscan import pipeline

    root, truth = library
    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        lib, cache = base / "lib", base / "cache"
        shutil.copytree(root, lib)
        cache.mkdir(mode=0o777)
        cache.chmod(0o777)
        first = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")  # as the owner
        assert first.exit_code == 0, first.stderr
        results = {o["path"]: o for o in _jsonl(first.stdout)}
        assert len(results) == len(truth)
        changed = lib / "sharp_1.jpg"
        save_jpeg(changed, textured(7))                  # edited after the owner's scan
        os.utime(changed, ns=(1_600_000_000 * 10**9,) * 2)
        for p in sorted(lib.rglob("*"), reverse=True) + [lib]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        library_db = (lib / ".blurscan.db").read_bytes()
        before = sorted(p.name for p in lib.iterdir())

        def scan_twice():
            os.environ["XDG_CACHE_HOME"] = str(cache)
            decode = pipeline._process  # --workers 1: every photo scored goes through it, in this process
            out = []
            for _ in range(2):
                decoded = []
                pipeline._process = lambda ref, *a: decoded.append(ref.path) or decode(ref, *a)
                try:
                    done = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1",
                                                     "--format", "jsonl"])
                finally:
                    pipeline._process = decode
                out.append([done.exit_code, done.stdout, done.stderr, decoded])
            # a sub-folder scanned on its own joins the library's cache database (it started a new one,
            # decoding everything again and without the library's decisions)
            decoded = []
            pipeline._process = lambda ref, *a: decoded.append(ref.path) or decode(ref, *a)
            try:
                sub = CliRunner().invoke(main, ["scan", str(lib / "sub"), "--model", "none", "--workers", "1",
                                                "--format", "jsonl"])
            finally:
                pipeline._process = decode
            out.append([sub.exit_code, repr(sub.exception), sub.stderr, decoded])
            (db,) = (cache / "blurscan").glob("*.db")
            listed = CliRunner().invoke(main, ["report", "--db", str(db), "--format", "jsonl"])
            # without --db, report finds the cache database too: it is newer than the read-only library's
            plain = CliRunner().invoke(main, ["report", str(lib), "--format", "jsonl"])
            return [out, str(db), listed.exit_code, listed.stdout, [plain.exit_code, plain.stdout, plain.stderr]]

        (again, third, sub), db, code, listed, plain = run_unprivileged(scan_twice)
        assert sub[0] == 0 and sub[3] == [] and f"keeping the database in {db}" in sub[2], sub[1:3]
        assert again[0] == 0 and third[0] == 0, again[2]
        assert (f"note: {lib / '.blurscan.db'} is read-only: its results are reused for unchanged photos; "
                f"keeping the database in {db}") in again[2]
        objs = {o["path"]: o for o in _jsonl(again[1])}
        assert again[3] == [str(changed)]                 # nothing else decoded again
        assert f"({len(truth) - 1} unchanged, reused)" in again[2]
        assert sorted(objs) == sorted(results)
        for path, obj in objs.items():
            if path != str(changed):
                assert obj == results[path]
        assert objs[str(changed)]["status"] == "ok" and objs[str(changed)]["size"] == changed.stat().st_size
        assert objs[str(changed)] != results[str(changed)]
        # the cache database now holds everything: the next scan decodes nothing, report lists every photo
        assert third[3] == [] and f"({len(truth)} unchanged, reused)" in third[2]
        assert code == 0 and {o["path"]: o for o in _jsonl(listed)} == objs
        assert plain[0] == 0 and {o["path"]: o for o in _jsonl(plain[1])} == objs, plain[2]
        assert (f"note: {lib / '.blurscan.db'} is read-only; using {db}, where this user's scans of it are "
                "kept (choose with --db)") in plain[2]
        assert (lib / ".blurscan.db").read_bytes() == library_db
        assert sorted(p.name for p in lib.iterdir()) == before
    finally:
        for p in [base, *base.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)

def test_writable_sub_folder_of_a_read_only_library_reuses_its_database(library):
    """A read-only library (another user's, a share) with a folder of one's own in it: scanning that folder
    keeps a new database there, seeded from the library's, so its unchanged photos are not decoded again
    (they all were: the library's database was not reused when the sub-folder could be written)."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    from blurscan import pipeline

    root, truth = library
    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        lib = base / "lib"
        shutil.copytree(root, lib)
        first = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")  # as the owner
        assert first.exit_code == 0, first.stderr
        results = {o["path"]: o for o in _jsonl(first.stdout) if o["path"].startswith(str(lib / "sub") + os.sep)}
        assert results
        for p in sorted(lib.rglob("*"), reverse=True) + [lib]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        (lib / "sub").chmod(0o777)                        # the one folder this user may write

        def scan_sub():
            decode = pipeline._process
            decoded = []
            pipeline._process = lambda ref, *a: decoded.append(ref.path) or decode(ref, *a)
            try:
                done = CliRunner().invoke(main, ["scan", str(lib / "sub"), "--model", "none", "--workers", "1",
                                                 "--format", "jsonl"])
            finally:
                pipeline._process = decode
            return [done.exit_code, done.stdout, done.stderr, decoded]

        code, out, err, decoded = run_unprivileged(scan_sub)
        assert code == 0, err
        assert decoded == []                                # nothing decoded again
        assert (f"note: {lib / '.blurscan.db'} is read-only: its results are reused for unchanged photos; "
                f"keeping the database in {lib / 'sub' / '.blurscan.db'}") in err
        assert {o["path"]: o for o in _jsonl(out)} == results
        assert (lib / "sub" / ".blurscan.db").is_file()
    finally:
        for p in [base, *base.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)

@pytest.mark.slow
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
    proc.stderr.close()
    assert proc.wait(60) == 141, err
    assert b"Traceback" not in err
    with Store(tmp_path / "x.db") as store:
        assert 1 <= len(store.records()) < 200

def _on_terminal(args, *, stdout_too: bool) -> tuple[int, bytes, bytes]:
    """Run ``blurscan ARGS`` with stderr (and stdout, if ``stdout_too``) on a pseudo-terminal: (rc, terminal, stdout)."""
    return on_terminal([sys.executable, "-m", "blurscan", *args], env={**os.environ, "COLUMNS": "120"},
                       stdout_on_terminal=stdout_too)


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal(library, tmp_path):
    root, truth = library
    out = cli("scan", root, "--db", tmp_path / "x.db", "--model", "none", "--workers", "1")
    assert b"scanning" not in out.stderr and b"ETA" not in out.stderr
    rc, tty_err, stdout = _on_terminal(["scan", root, "--db", tmp_path / "y.db", "--model", "none", "--workers", "1",
                                        "--format", "jsonl"], stdout_too=False)
    assert rc == 0 and len(_jsonl(stdout.decode())) == len(truth)
    assert b"scanning" in tty_err and b"ETA" in tty_err


@pytest.mark.slow
def test_table_and_messages_on_one_terminal_say_each_thing_once(tmp_path):
    """The table lists the unreadable files and the counts; on the same terminal stderr does not repeat them
    (it did: every error twice, the counts twice). With the table redirected, stderr keeps both."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    (tmp_path / "lib" / "cut.jpg").write_bytes((tmp_path / "lib" / "a.jpg").read_bytes()[:700])
    args = ["scan", tmp_path / "lib", "--db", tmp_path / "x.db", "--model", "none", "--workers", "1"]
    rc, screen, _ = _on_terminal(args, stdout_too=True)
    text = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]", b"", screen).decode()
    assert rc == 0, text
    assert text.count("cut.jpg:") == 1, text
    assert text.count("1 sharp, 1 error") == 1, text
    assert re.search(r"scanned 2 files \(\d unchanged, reused\) in [\d.]+ s; database: ", text), text
    rc, errors, table = _on_terminal(args, stdout_too=False)
    assert b"cut.jpg" in table and b"cut.jpg:" in errors and b"1 sharp, 1 error" in errors
    # `> scan.log 2>&1`: one file gets both streams, and says each thing once as the terminal does
    with open(tmp_path / "scan.log", "wb") as log:
        done = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], stdout=log,
                              stderr=subprocess.STDOUT, timeout=120)
    text = (tmp_path / "scan.log").read_text()
    assert done.returncode == 0 and text.count("cut.jpg:") == 1 and text.count("1 sharp, 1 error") == 1, text
    assert re.search(r"scanned 2 files \(\d unchanged, reused\) in [\d.]+ s; database: ", text), text


def test_csv_on_a_terminal_shows_control_characters_of_names_as_escapes(tmp_path):
    """`blurscan report --format csv` (and scan's) on a terminal wrote a name's escape sequence raw: write_csv
    escapes on a terminal, but asked standard output's UTF-8 wrapper, which had no isatty. In a pipe the name
    stays exact."""
    root = tmp_path / "lib"
    evil = "a\x1b]0;PWNED\x07b.jpg"
    save_jpeg(root / evil, textured(0))
    for command in ("scan", "report"):
        args = [command, root, "--db", tmp_path / "x.db", "--format", "csv"]
        if command == "scan":
            args += ["--model", "none", "--workers", "1"]
        rc, screen, _ = _on_terminal(args, stdout_too=True)
        assert rc == 0, screen
        assert b"\x1b]0;PWNED" not in screen and b"a\\x1b]0;PWNED\\x07b.jpg" in screen, screen
    piped = cli("report", root, "--db", tmp_path / "x.db", "--format", "csv")
    assert os.fsencode(str(root / evil)) in piped.stdout


def test_the_summary_says_how_many_other_files_were_passed_over(tmp_path):
    """An iPhone export holds videos (.MOV) and edit sidecars (.AAE) beside the photos: the scan passed over them
    without a word, and people wondered where their files went. The closing line counts them by suffix; the
    JSONL stays one line per photo; the database itself is not counted, on the first scan nor on a re-scan."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0001.JPG", textured(1))
    save_jpeg(lib / "IMG_0002.JPG", textured(2))
    for name in ("IMG_0001.MOV", "IMG_0002.MOV", "IMG_0003.MOV", "IMG_0002.AAE", "IMG_0009.AAE", "list.txt"):
        (lib / name).write_bytes(b"not a photo")
    for attempt in ("first", "again"):
        result = run("scan", lib, "--format", "jsonl", "--model", "none", "--workers", "1")
        assert result.exit_code == 0, result.output
        assert sorted(os.path.basename(o["path"]) for o in _jsonl(result.stdout)) == ["IMG_0001.JPG", "IMG_0002.JPG"]
        summary = result.stderr.splitlines()[-1]
        assert summary.startswith("scanned 2 files") and summary.endswith(
            "; passed over 6 files that are not photos: 3 .MOV, 2 .AAE, 1 .txt"), (attempt, summary)
    only_photos = run("scan", lib / "IMG_0001.JPG", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert "passed over" not in only_photos.stderr
    (lib / "x.mov").write_bytes(b"")
    for name in ("IMG_0001.JPG", "IMG_0002.JPG"):
        os.remove(lib / name)
    gone = run("scan", lib, "--model", "none", "--workers", "1")
    assert "no image files found" in gone.stderr
    # .MOV and .mov are one kind of file, named as most of them are written
    assert "passed over 7 files that are not photos: 4 .MOV, 2 .AAE, 1 .txt" in gone.stderr


def test_suffixes_that_differ_only_in_case_are_counted_together():
    """'3 .mov, 2 .AAE, 2 .MOV' read as two kinds of file: the total of a kind orders it, and its name is the
    spelling most of its files have (the first by sort order on a tie)."""
    from blurscan.cli.scan_notes import passed_over_words

    assert passed_over_words({".mov": 3, ".AAE": 4, ".MOV": 2, ".Mov": 1}) == \
        "; passed over 10 files that are not photos: 6 .mov, 4 .AAE"
    assert passed_over_words({".jpeg_original": 1, ".JPEG_ORIGINAL": 1}) == \
        "; passed over 2 files that are not photos: 2 .JPEG_ORIGINAL"


def test_a_database_named_by_db_inside_the_library_is_not_passed_over(tmp_path):
    """`scan lib --db lib/card.db` said 'passed over 3 files that are not photos: 1 .db, 1 .db-shm, 1 .db-wal':
    the database in use and its SQLite companion files (-wal, -shm, -journal) are blurscan's, not the library's.
    So is a symbolic link to it. Another database is still counted, and so is the database's name in a folder
    where it is not."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0001.JPG", textured(1))
    (lib / "notes.txt").write_bytes(b"not a photo")
    (lib / "sub").mkdir()
    (lib / "sub" / "card.db").write_bytes(b"not this scan's database")
    (lib / "other.db").write_bytes(b"")
    os.symlink("../card.db", lib / "sub" / "shortcut.db")  # the database in use under another name: not counted
    for attempt in ("first", "again"):
        result = run("scan", lib, "--db", lib / "card.db", "--model", "none", "--workers", "1")
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines()[-1].endswith(
            "; passed over 3 files that are not photos: 2 .db, 1 .txt"), (attempt, result.stderr)
