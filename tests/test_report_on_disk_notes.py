"""`blurscan report` lists what the last scan stored. A photo edited or replaced since (another size or
modification time) was listed with the old file's figures and nothing said; it is now listed with a note. The
notes about photos left out count, with `--only`, those of the kinds asked for: a sharp photo deleted since was
announced as left out of `--only errors`, which would never have listed it."""
from __future__ import annotations

import os
from pathlib import Path

from helpers_cli import jsonl as _jsonl, run
from helpers_images import blurred, save_jpeg, textured
import pytest

CHANGED = ("listed photo changed since the last scan (another size or modification time): its figures are the old "
           "file's; `blurscan scan --db {db} {root}` updates the database")  # (the --db given, typed here)


def test_a_photo_changed_since_the_scan_is_listed_with_a_note(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    CHANGED = globals()["CHANGED"].format(db=db, root=root)
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    result = run("report", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0 and "changed since" not in result.stderr
    edited = Path(sorted(p for p, v in truth.items() if v == "sharp")[0])
    save_jpeg(edited, blurred(textured(99), 6))  # replaced by a blurred photo: another size and time
    result = run("report", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0
    assert f"note: 1 {CHANGED}" in result.stderr, result.stderr
    assert str(edited) in {o["path"] for o in _jsonl(result.stdout)}  # still listed, as stored
    st = os.stat(edited)
    os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # only touched: no longer the scanned version
    assert f"note: 1 {CHANGED}" in run("report", "--db", db, "--format", "jsonl").stderr
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    assert "changed since" not in run("report", "--db", db, "--format", "jsonl").stderr


def test_with_only_the_notes_count_the_kinds_asked_for(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    os.remove(sorted(p for p, v in truth.items() if v == "sharp")[0])
    assert "no longer on disk" not in run("report", "--db", db, "--only", "errors").stderr
    assert "note: 1 stored photo no longer on disk" in run("report", "--db", db, "--only", "sharp").stderr


def test_report_note_of_several_photos_gone_from_the_rejects_folder_reads_they(lib, tmp_path):
    """Two photos moved away and deleted from the --to folder: the note says 'unless they are there again' (it
    said 'unless them are there again', 2026-12-07)."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_library import moved_to_rejects

    root, f, dest = moved_to_rejects(lib, tmp_path)
    runner = CliRunner()
    for name in ("IMG_1", "IMG_3"):
        (dest / os.path.relpath(f[name], root)).unlink()  # deleted by hand from the rejects folder
    listed = runner.invoke(main, ["report", str(root)])
    assert ("note: 2 photos moved or trashed by blurscan, no longer in the trash or the --to folder, are not "
            "listed: `blurscan undo` cannot bring them back unless they are there again") in listed.stderr, \
        listed.stderr


@pytest.mark.slow
def test_the_scan_the_notes_name_updates_the_database_typed_in_another_folder(tmp_path, monkeypatch):
    """The scan a note names, run as it is typed in another folder, updates the database the report read: the
    library's folder, with ``--db FILE`` for a database given by ``--db`` (absolute); PATH absolute; bare where
    the current folder is the one listed. Until 2026-12-07 it was a bare `blurscan scan`, which typed outside the
    library scanned that folder into a database of its own, and never updated a ``--db`` database; then PATH and
    ``--db`` as typed (``../my lib``), which pasted in another folder named none."""
    import re
    import shlex
    import subprocess
    import sys

    lib, other, third = tmp_path / "my lib 'q'", tmp_path / "other", tmp_path / "third"
    save_jpeg(lib / "a.jpg", textured(1))
    save_jpeg(lib / "sub" / "b.jpg", textured(2))
    other.mkdir()
    third.mkdir()
    monkeypatch.chdir(other)
    for db in (["--db", "../pics & co's.db"], ["--db", "pics here.db"], []):
        assert run("scan", "../my lib 'q'", *db, "--model", "none").exit_code == 0
        for listed, expected in ((["../my lib 'q'"], [str(lib)]), ([], [str(lib)])):
            if not db and not listed:
                continue  # (no --db and no PATH: the other folder holds no database)
            os.remove(lib / "a.jpg")
            save_jpeg(lib / "sub" / "b.jpg", textured(3))  # (another size: changed)
            said = run("report", *db, *listed).stderr
            commands = re.findall(r"`(blurscan scan[^`]*)` updates the database", said)
            assert len(commands) == 2 and commands[0] == commands[1], said
            scan = shlex.split(commands[0])
            if db:  # (the --db as the system reads it, absolute: `..` through a link is not its text's parent)
                assert scan[:3] == ["blurscan", "scan", "--db"] and os.path.isabs(scan[3]), said
                assert os.path.samefile(scan[3], (other / db[1]).resolve()) and scan[4:] == expected, said
            else:
                assert scan == ["blurscan", "scan", *expected], said
            done = subprocess.run([sys.executable, "-m", "blurscan", *scan[1:], "--model", "none"], cwd=third,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stdout + done.stderr
            assert "updates the database" not in run("report", *db, *listed).stderr
            save_jpeg(lib / "a.jpg", textured(1))
            assert run("scan", "../my lib 'q'", *db, "--model", "none").exit_code == 0
    assert not (other / ".blurscan.db").exists() and not (third / ".blurscan.db").exists()
    monkeypatch.chdir(lib / "sub")  # in the folder listed: the bare scan, which scans it
    save_jpeg(lib / "sub" / "b.jpg", textured(4))
    assert re.findall(r"`(blurscan scan[^`]*)` updates", run("report").stderr) == ["blurscan scan"]


def test_photos_moved_from_a_library_on_a_drive_not_mounted_say_to_mount_it_before_the_undo(tmp_path):
    """A library on a drive (``DISK/lib``), its database kept off it (``--db lib.db``), its blurry photos moved to
    another drive; the library's drive then unplugged, its mount point left empty and older than the batch: the
    undo refuses each photo until the drive is mounted (:func:`blurscan.actions.drives.unplugged`), and ``report``
    says to mount it first, in the undo's words. Until 2026-12-07 (the evening) it said the undo put them back."""
    disk = tmp_path.resolve() / "media" / "DISK"
    lib, rej, db = disk / "lib", tmp_path.resolve() / "OTHER" / "rejects", tmp_path.resolve() / "lib.db"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", lib, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", "--db", db, "--all-blurry", "--to", rej, "--yes").exit_code == 0
    lib.rename(tmp_path / "unplugged")  # (the drive's files gone with it, its mount point left empty)
    old = os.stat(db).st_mtime - 3600
    os.utime(disk, (old, old))
    said = run("report", "--db", db).stderr
    why = f"{lib} is not there, and {disk} is empty and not modified since the batch"
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: their places are on the library's drive, "
            f"not mounted now ({why}): mount it and `blurscan undo --db {db}` puts them back\n") in said, said
    assert "puts them back)" not in said, said  # (no undo said to put them back as things are)
    undo = run("undo", "--db", db)
    assert undo.exit_code == 1 and f"{lib / 'b1.jpg'}: not put back: {why}; it looks like a drive not mounted" \
        in undo.stderr, undo.output


def test_a_library_copied_onto_a_drive_is_not_said_to_wait_for_a_drive_at_its_old_folder(tmp_path, monkeypatch):
    """A library in a plain folder (``home/lib``), its blurry photos moved away, then copied with its database onto a
    drive (``srv/ext/lib``, the mount table played by a file): ``report`` of the copy names the undo that puts them
    back, and no drive to mount at ``home``, where the library still is (kills the mutant of
    :func:`blurscan.actions.batch_drives.library_away` that drops its check that the library's folder is gone)."""
    import shutil

    from test_undo_to_unmounted import _drive

    home = tmp_path.resolve() / "home"
    lib, rej = home / "lib", tmp_path.resolve() / "rejects"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", lib, "--all-blurry", "--to", rej, "--yes").exit_code == 0
    ext = _drive(tmp_path, monkeypatch)
    shutil.copytree(lib, ext / "lib")
    said = run("report", ext / "lib").stderr
    assert "where no drive is mounted now" not in said and "mount the library's drive" not in said, said
    assert f"note: 2 photos moved or trashed by blurscan are not listed (`blurscan undo {ext / 'lib'}` puts them " \
        "back)\n" in said, said


def test_a_library_at_the_top_of_a_drive_mounted_elsewhere_says_where_to_mount_it(tmp_path, monkeypatch):
    """A library at the top of a drive (``media/DISK``, its database there), its blurry photos moved away, from a
    database that recorded no drive (the mount table played by a file tells none); the drive then at ``DISK1``, its
    mount point ``DISK`` left empty and older than the batch: ``report`` there says to mount the library's drive at
    ``DISK`` again, naming the undo as it will be there (kills the mutant of
    :func:`blurscan.actions.batch_drives.library_away` that takes no folder for a library at its drive's top)."""
    from test_undo_to_unmounted import _mountinfo

    disk = tmp_path.resolve() / "media" / "DISK"
    disk1, rej = disk.parent / "DISK1", tmp_path.resolve() / "rejects"
    save_jpeg(disk / "s.jpg", textured(2))
    save_jpeg(disk / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(disk / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", disk, "--model", "none", "--workers", "1").exit_code == 0
    assert run("move", disk, "--all-blurry", "--to", rej, "--yes").exit_code == 0
    disk.rename(disk1)  # (the drive's files gone with it, its mount point left empty)
    disk.mkdir()
    old = os.stat(disk1 / ".blurscan.db").st_mtime - 3600
    os.utime(disk, (old, old))
    _mountinfo(tmp_path, monkeypatch, disk1)
    said = run("report", disk1).stderr
    assert (f"note: 2 photos moved or trashed by blurscan are not listed: their places are under {disk}, where no "
            f"drive is mounted now, and this database is on a drive mounted at {disk1} (the library's drive, mounted "
            f"at another place?): mount the library's drive at {disk} again and `blurscan undo {disk}` puts them "
            "back\n") in said, said
