"""The ``--output`` file of ``scan`` and ``report`` (blurscan.cli.output), through the real command line: a file
whose overwriting would destroy something is refused before any work and left as it was."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from blurscan.store import Store

from helpers_cli import jsonl, run
from helpers_images import make_library, save_jpeg, textured
from helpers_signals import default_signals

SCAN = ("--model", "none", "--workers", "1")


@pytest.fixture
def moved(tmp_path):
    """A scanned library with one batch moved out: ``(lib, database)``; its undo needs the database's journal."""
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    result = run("move", "--to", tmp_path / "rej", lib, "--all-blurry", "--yes")
    assert result.exit_code == 0 and len(os.listdir(tmp_path / "rej")) == 2, result.output
    return lib, lib / ".blurscan.db"


def _refused(result, output, reason):
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {output}: cannot write output: it is {reason}\n"


DB = ("the database this command uses, which the list would replace with its results, decisions and undo history; "
      "it was left as it is (choose another --output file; --db names the database)")


def test_the_database_in_use_is_refused_as_output_and_left_whole(moved, tmp_path):
    """`report lib -o lib/.blurscan.db` replaced the database with the table (exit code 0, no warning), and the
    next `undo` said it was no blurscan database: the journal of the move, the decisions, the results were gone.
    `scan` emptied it before opening it."""
    lib, db = moved
    before = db.read_bytes()
    _refused(run("report", lib, "-o", db), db, DB)
    _refused(run("report", lib, "--db", db, "--format", "csv", "--output", db), db, DB)
    _refused(run("scan", lib, *SCAN, "-o", db), db, DB)
    (tmp_path / "link.csv").symlink_to(db)  # another name of it: compared as a file, not as a string
    _refused(run("report", lib, "-o", tmp_path / "link.csv"), tmp_path / "link.csv", DB)
    assert db.read_bytes() == before
    wal = f"{db}-wal"  # (not there while no one uses the database: told by its path)
    _refused(run("scan", lib, *SCAN, "-o", wal), wal,
             f"SQLite's -wal file of the database this command uses, {db}, which needs it to stay whole; it was "
             "left as it is (choose another --output file)")
    assert not os.path.exists(wal)
    result = run("undo", lib)
    assert result.exit_code == 0, result.output
    assert not os.path.exists(tmp_path / "rej") or not os.listdir(tmp_path / "rej")


def test_the_database_a_scan_is_about_to_create_is_refused(tmp_path):
    lib = tmp_path / "new"
    save_jpeg(lib / "a.jpg", textured())
    _refused(run("scan", lib, *SCAN, "-o", lib / ".blurscan.db"), lib / ".blurscan.db", DB)
    assert os.listdir(lib) == ["a.jpg"]


def test_another_sqlite_database_is_refused(tmp_path):
    """`blurscan scan /mnt/card -o ~/card.db`: -o and --db mixed up."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured())
    card = tmp_path / "card.db"
    assert run("scan", lib, *SCAN, "--db", card).exit_code == 0
    assert run("scan", lib, *SCAN).exit_code == 0  # (lib/.blurscan.db: the database the commands below use)
    other = tmp_path / "catalogue.sqlite"  # another program's
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE albums (id INTEGER)")
    conn.close()
    for db in (card, other):
        before = db.read_bytes()
        reason = ("an SQLite database, which the list would replace; it was left as it is (choose another --output "
                  "file; --db names the database)")
        _refused(run("scan", lib, *SCAN, "-o", db), db, reason)
        _refused(run("report", lib, "-o", db, "--format", "jsonl"), db, reason)  # (lib's own database in use)
        assert db.read_bytes() == before
    with Store(card, readonly=True) as store:
        assert len(store.records()) == 1


def test_a_photo_is_refused_as_output_and_left_as_it_was(tmp_path):
    """`scan lib -o lib/rocket.jpg` emptied the photo: originals must never be modified."""
    lib = tmp_path / "lib"
    photos = [save_jpeg(lib / "rocket.jpg", textured(1)), save_jpeg(tmp_path / "elsewhere" / "IMG_1.JPG",
                                                                     textured(2))]
    raw = tmp_path / "DSC_1.NEF"
    raw.write_bytes(b"not really a NEF, but named as one")
    assert run("scan", lib, *SCAN).exit_code == 0
    for photo in (*photos, raw):
        before = photo.read_bytes()
        suffix = os.path.splitext(photo)[1]
        reason = (f"an image file ({suffix}), and blurscan never modifies photos; it was left as it is (choose "
                  "another --output file)")
        _refused(run("scan", lib, *SCAN, "-o", photo, "--format", "csv"), photo, reason)
        _refused(run("report", lib, "-o", photo), photo, reason)
        assert photo.read_bytes() == before
    # a file named on the command line is read whatever its suffix
    named = tmp_path / "scans" / "scan0001.dat"
    named.parent.mkdir()
    named.write_bytes(photos[0].read_bytes())
    _refused(run("scan", named, *SCAN, "-o", named), named,
             "a file this scan reads (named on the command line), and blurscan never modifies the files it scans; "
             "it was left as it is (choose another --output file)")
    assert named.read_bytes() == photos[0].read_bytes()
    assert os.listdir(named.parent) == ["scan0001.dat"]  # refused before the scan: no database


def test_an_ordinary_file_is_still_replaced(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib)
    out = tmp_path / "notes.txt"
    out.write_text("old\n")
    assert run("scan", lib, *SCAN, "-o", out).exit_code == 0
    assert "blurry" in out.read_text() and "old" not in out.read_text()
    assert run("report", lib, "-o", "/dev/null").exit_code == 0  # not a regular file: nothing to lose


# -- the file is replaced once the list is complete --------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl", "table"])
def test_a_scan_that_stops_on_an_error_leaves_the_previous_output_as_it_was(tmp_path, fmt):
    """`scan lib -o scores.csv --model mymodel.onnx` (no such file), or with `--db` naming a photo: the scan stops
    with one error, and scores.csv, written by the scan before, was empty: it was opened for writing first."""
    lib = tmp_path / "lib"
    make_library(lib)
    out = tmp_path / f"scores.{fmt}"
    assert run("scan", lib, *SCAN, "-o", out, "--format", fmt).exit_code == 0
    before = out.read_bytes()
    assert len(before.splitlines()) >= 5  # (5 photos, one line each; a header or a frame too)
    result = run("scan", lib, "--workers", "1", "-o", out, "--format", fmt, "--model", tmp_path / "mymodel.onnx")
    assert result.exit_code == 1 and "model file not found" in result.stderr, result.output
    assert out.read_bytes() == before
    photo = next(lib.glob("*.jpg"))
    result = run("scan", lib, *SCAN, "-o", out, "--format", fmt, "--db", photo)
    assert result.exit_code == 1 and "not a blurscan database" in result.stderr, result.output
    result = run("report", lib, "-o", out, "--format", fmt, "--db", photo)
    assert result.exit_code == 1 and "not a blurscan database" in result.stderr, result.output
    assert out.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["lib", out.name]  # no temporary file left behind


def test_the_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umask_mode(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    kept = tmp_path / "kept.csv"
    kept.write_text("old\n")
    kept.chmod(0o640)
    target = tmp_path / "shared" / "list.jsonl"  # a link to the list, elsewhere: it stays a link
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o644)  # (whatever the umask the tests run under: it was 0666 under umask 000)
    link = tmp_path / "list.jsonl"
    link.symlink_to(target)
    umask = os.umask(0o027)
    try:
        for out in (kept, tmp_path / "new.csv", link):
            assert run("report", lib, "-o", out).exit_code == 0
    finally:
        os.umask(umask)
    assert kept.read_text().startswith("path,") and (kept.stat().st_mode & 0o777) == 0o640
    assert ((tmp_path / "new.csv").stat().st_mode & 0o777) == 0o640  # 0666 less the umask, as open() gives
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert len(target.read_text().splitlines()) == 5 and (target.stat().st_mode & 0o777) == 0o644
    assert sorted(os.listdir(tmp_path)) == ["kept.csv", "lib", "list.jsonl", "new.csv", "shared"]
    assert os.listdir(target.parent) == ["list.jsonl"]


def _ctrl_c_once_busy(code: str, marker, *args: str):
    """Run ``python -c code ARGS`` (Ctrl-C at its default), press Ctrl-C once it has made ``marker``; returns the
    process, ended, and its standard error."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=default_signals)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc, err


def test_ctrl_c_still_writes_what_was_scanned_to_the_output_file(tmp_path):
    """The scan's promise on Ctrl-C: what it did is kept; the output file gets the records scanned so far."""
    lib = tmp_path / "lib"
    for i in range(6):
        save_jpeg(lib / f"p{i}.jpg", textured(i))
    out, marker = tmp_path / "out.jsonl", tmp_path / "busy"
    out.write_text("an earlier list\n")
    # the second photo takes a minute, and says it has begun: the first is written by then
    code = ("import sys, time; from blurscan import pipeline; real = pipeline._process; seen = []\n"
            "def slow(ref, *a):\n"
            f"    if seen: open({str(marker)!r}, 'w').close(); time.sleep(60)\n"
            "    seen.append(ref)\n"
            "    return real(ref, *a)\n"
            "pipeline._process = slow\n"
            "from blurscan.cli import main; main(sys.argv[1:])")
    proc, err = _ctrl_c_once_busy(code, marker, "scan", str(lib), "-o", str(out), *SCAN)
    assert proc.returncode == 130, err
    assert b"interrupted: 1 of 6 scanned" in err
    objs = jsonl(out.read_text())
    assert len(objs) == 1 and objs[0]["path"].startswith(str(lib))
    assert sorted(os.listdir(tmp_path)) == ["busy", "lib", "out.jsonl"]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_ctrl_c_before_anything_is_listed_leaves_the_output_file_as_it_was(tmp_path, fmt):
    """Ctrl-C early in a re-scan, while the folders were still being listed, replaced a complete list with an
    empty one (a CSV header) and said "interrupted: 0 of 0 scanned"."""
    lib = tmp_path / "lib"
    for i in range(3):
        save_jpeg(lib / f"p{i}.jpg", textured(i))
    out, marker, new = tmp_path / f"out.{fmt}", tmp_path / "busy", tmp_path / f"new.{fmt}"
    assert run("scan", lib, "-o", out, *SCAN).exit_code == 0
    before = out.read_bytes()
    # the walk takes a minute, and says it has begun
    code = ("import sys, time; from blurscan import pipeline\n"
            "def walk(*a, **k):\n"
            f"    open({str(marker)!r}, 'w').close(); time.sleep(60); return []\n"
            "pipeline.walk = walk\n"
            "from blurscan.cli import main; main(sys.argv[1:])")
    for output in (out, new):
        proc, err = _ctrl_c_once_busy(code, marker, "scan", str(lib), "-o", str(output), *SCAN)
        marker.unlink()
        assert proc.returncode == 130, err
        said = "left as it was" if output == out else "not written"
        assert err.decode() == f"interrupted before any file was scanned; {output} {said}\n"
    assert out.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["lib", f"out.{fmt}"]


def test_an_output_file_the_disk_cannot_hold_is_left_as_it_was(tmp_path):
    """A full disk while the list is written: one error naming the file, exit code 1, the earlier list kept (the
    scan's records are kept in the database)."""
    from helpers_library import tmpfs

    lib = tmp_path / "lib"
    make_library(lib)
    with tmpfs(tmp_path / "small", "1m") as small:
        out = small / "scores.jsonl"
        out.write_text("an earlier list\n")
        filler = small / "filler"
        with open(filler, "wb", buffering=0) as f:  # the whole file system
            with pytest.raises(OSError):
                while True:
                    f.write(b"\0" * 4096)
        result = run("scan", lib, *SCAN, "-o", out)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1] == f"Error: {out}: cannot write output: no space left on device"
        assert out.read_text() == "an earlier list\n"
        assert sorted(os.listdir(small)) == ["filler", "scores.jsonl"]
    with Store(lib / ".blurscan.db", readonly=True) as store:
        assert len(store.records()) == 5


def test_a_dash_is_standard_output(tmp_path, monkeypatch):
    """`-o -` made a file called `-` in the current folder; it is standard output, as for click's File type and
    most commands (`./-` still names such a file)."""
    lib = tmp_path / "lib"
    make_library(lib)
    monkeypatch.chdir(tmp_path)
    result = run("scan", lib, *SCAN, "-o", "-", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.stdout)) == 5
    for args in (("--format", "csv"), ()):  # (without --format: the table, as with no --output)
        result = run("report", lib, "--output", "-", *args)
        assert result.exit_code == 0 and len(result.stdout.splitlines()) >= 6, result.output
        assert ("path," in result.stdout) == bool(args) and ("verdict" in result.stdout)
    assert sorted(os.listdir(tmp_path)) == ["lib"]
    assert run("report", lib, "-o", "./-", "--format", "jsonl").exit_code == 0
    assert len(jsonl((tmp_path / "-").read_text())) == 5


def test_dev_stdout_is_written_as_it_is_never_replaced(tmp_path):
    """``-o /dev/stdout >> log.txt 2>&1``: /dev/stdout leads to log.txt, which was replaced by another file (a new
    inode), and what the command wrote to stderr went to the old one, lost."""
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    log = tmp_path / "log.txt"
    log.write_text("")
    before = log.stat().st_ino
    with open(log, "ab") as fh:
        done = subprocess.run([sys.executable, "-m", "blurscan", "report", str(lib), "-o", "/dev/stdout",
                               "--format", "csv"], stdout=fh, stderr=fh, timeout=300)
    assert done.returncode == 0
    assert log.stat().st_ino == before
    assert log.read_text().startswith("path,") and not list(tmp_path.glob(".blurscan-output-*"))


def test_a_file_this_user_cannot_keep_the_owner_of_is_written_into_not_renamed_over(tmp_path, monkeypatch):
    """Another user's file (a shared group folder; a sticky folder like /tmp, where renaming over another user's
    file is refused): renamed over, the list became this user's (the owner could no longer write it), or the
    whole scan ran and then failed. When the owner and group cannot be kept the list is copied into the file
    once complete; when the rename is refused, too."""
    from blurscan.cli import output

    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    for patched in ("fchown", "replace"):  # a user that may not give the file away; a sticky folder
        out = tmp_path / f"list-{patched}.csv"
        out.write_text("old\n")
        if patched == "fchown":
            if os.geteuid() != 0:
                continue  # (making another user's file needs root)
            os.chown(out, 1234, 1234)
        before = out.stat().st_ino
        with monkeypatch.context() as m:
            m.setattr(output.os, patched, refused)
            sink = output._OutputFile(str(out))
            sink.stream.write("path,verdict\n")
            sink.commit()
        assert out.read_text() == "path,verdict\n" and out.stat().st_ino == before, patched
        assert not list(tmp_path.glob(".blurscan-output-*"))


def test_a_list_copied_into_another_users_file_on_a_full_disk_leaves_that_file_as_it_was(tmp_path, monkeypatch):
    """The list copied into the file itself (another user's file in a sticky folder, whose rename is refused, as
    above) on a disk with room for the complete list beside it but not for a second copy: the file was emptied and
    then written as far as the disk allowed, the earlier list lost and a part of the new one in its place (until
    2026-12-06). Its room is reserved before anything in it changes."""
    from blurscan.cli import output
    from helpers_library import tmpfs

    lib = tmp_path / "lib"
    for i in range(40):
        save_jpeg(lib / f"photo_with_a_long_name_{i:03d}.jpg", textured(i, size=(48, 64)))
    assert run("scan", lib, *SCAN).exit_code == 0
    listed = run("report", lib, "--format", "csv").stdout
    pages = -(-len(listed.encode()) // 4096)
    assert pages >= 3  # (more than the one page the earlier list frees)
    with tmpfs(tmp_path / "small", "1m") as small:
        out = small / "list.csv"
        out.write_text("an earlier list\n")
        with open(small / "filler", "wb", buffering=0) as f:  # the whole file system but room for the list
            with pytest.raises(OSError):
                while True:
                    f.write(b"\0" * 4096)
        os.truncate(small / "filler", os.path.getsize(small / "filler") - pages * 4096)

        def refused(*args, **kwargs):
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(output.os, "replace", refused)
        result = run("report", lib, "--format", "csv", "-o", out)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1] == f"Error: {out}: cannot write output: no space left on device"
        assert out.read_text() == "an earlier list\n"
        assert sorted(os.listdir(small)) == ["filler", "list.csv"]
        os.unlink(small / "filler")  # room made: the list is written into the file
        assert run("report", lib, "--format", "csv", "-o", out).exit_code == 0
        assert out.read_text() == listed and sorted(os.listdir(small)) == ["list.csv"]


def test_the_list_is_on_disk_before_it_replaces_the_file(tmp_path, monkeypatch):
    """A power cut keeps only what was fsynced: the rename of the temporary file over the earlier list could reach
    the disk before the list's bytes, leaving an empty or short file where the earlier list was."""
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    out = tmp_path / "report.csv"
    out.write_text("the earlier list\n")
    events, sizes, real_fsync, real_replace = [], {}, os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        sizes[events[-1][1]] = os.fstat(fd).st_size  # (what the fsync puts on disk: the bytes written by then)
        return real_fsync(fd)

    def replace(src, dst, *a, **k):
        events.append(("replace", os.fspath(src)))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert run("report", lib, "--format", "csv", "-o", out).exit_code == 0
    assert "blurry" in out.read_text()
    [temp] = [e[1] for e in events if e[0] == "replace"]
    assert ("fsync", temp) in events[:events.index(("replace", temp))], events
    assert sizes[temp] == out.stat().st_size  # the whole list fsynced, not what had left Python's buffer by then


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_new_output_file_made_as_root_in_someones_folder_is_theirs(tmp_path):
    """``sudo blurscan scan ~/Pictures -o ~/Pictures/list.jsonl``: the new list was root's, and the person's own
    next ``-o`` of the same file failed (``cannot write output: permission denied``). A new file takes its folder's
    owner and group, as the database does; in a root-owned folder it stays root's."""
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, 1234, 1235)
    for out in (home / "list.jsonl", home / "list.csv", tmp_path / "root.csv"):
        result = run("report", lib, "-o", out)
        assert result.exit_code == 0, result.output
    assert (os.stat(home / "list.jsonl").st_uid, os.stat(home / "list.jsonl").st_gid) == (1234, 1235)
    assert (os.stat(home / "list.csv").st_uid, os.stat(home / "list.csv").st_gid) == (1234, 1235)
    assert (os.stat(tmp_path / "root.csv").st_uid, os.stat(tmp_path / "root.csv").st_gid) == (0, 0)
    result = run("scan", lib, *SCAN, "-o", home / "scan.jsonl")  # scan's -o too
    assert result.exit_code == 0 and os.stat(home / "scan.jsonl").st_uid == 1234, result.output
    assert sorted(os.listdir(home)) == ["list.csv", "list.jsonl", "scan.jsonl"]
