"""``blurscan report`` of a library whose photos a scan keeps while their drive or share is not mounted: under a
folder named to ``scan`` that is an empty mount point not modified since, a followed link whose target is not there,
or a followed link whose target is such an empty mount point. Until 2026-12-07 report counted them with the photos
really gone, ``no longer on disk (moved, renamed or deleted since the last scan) ...; `blurscan scan` updates the
database``: the scan it advised kept them again, by design. Now they get a note of their own, naming the folder
(:mod:`blurscan.unmounted`); photos really gone (deleted by hand, their folder removed or emptied) keep the old
words. A folder that cannot be listed is no photo gone: its photos are listed, as before."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from blurscan.errors import shell_path
from blurscan.store import Store
from blurscan.unmounted import Absent, Judge
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")
GONE = "no longer on disk"


def _unmount(folder, away) -> None:
    """``folder``'s drive unmounted: its mount point left there, empty, as old as it was (an hour ago)."""
    shutil.move(folder, away)
    folder.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(folder, (an_hour_ago, an_hour_ago))


def _note(n: int, folder, why: str, what: str) -> str:
    photos, are, them = ("photos", "are", "them") if n != 1 else ("photo", "is", "it")
    return (f"note: {n} stored {photos} under {folder} {are} not listed: it is {why} (a share or drive not "
            f"mounted?); mount it, or remove the {what} and scan again to forget {them}\n")


def test_a_share_not_mounted_named_to_scan_is_said_apart(tmp_path):
    share, db = tmp_path.resolve() / "mnt" / "photos", tmp_path / "photos.db"
    save_jpeg(share / "2024" / "a.jpg", textured(1))
    save_jpeg(share / "2024" / "b.jpg", textured(2))
    save_jpeg(share / "2025" / "c.jpg", blurred(textured(3), 6))
    assert run("scan", share, "--db", db, *SCAN).exit_code == 0
    _unmount(share, tmp_path / "away")
    res = run("scan", share, "--db", db, *SCAN)
    assert res.exit_code == 0 and f"{share} is empty: the 3 photos the database holds" in res.stderr, res.output
    for args in (("--db", db), (share, "--db", db)):
        res = run("report", *args, "--format", "jsonl")
        assert res.exit_code == 0 and res.stdout == "", res.output
        assert res.stderr == _note(3, share, "empty and not modified since the scan", "folder"), res.stderr
    res = run("report", "--db", db, "--only", "blurry", "--format", "jsonl")  # (the kinds listed counted)
    assert res.stderr == _note(1, share, "empty and not modified since the scan", "folder"), res.stderr
    share.rmdir()
    shutil.move(tmp_path / "away", share)  # mounted again: listed, nothing said
    res = run("report", "--db", db, "--format", "jsonl")
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 3 and res.stderr == "", res.output


def _linked(tmp_path):
    """``lib/home.jpg``, ``lib/trip -> media/usb/trip`` (two photos) and ``lib/old -> media/disk`` (one photo),
    scanned with ``--follow-symlinks``: ``(lib, usb/trip, disk)``."""
    base = tmp_path.resolve()
    lib, trip, disk = base / "lib", base / "media" / "usb" / "trip", base / "media" / "disk"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(trip / "a.jpg", textured(2))
    save_jpeg(trip / "day2" / "b.jpg", textured(3))
    save_jpeg(disk / "c.jpg", textured(4))
    os.symlink(trip, lib / "trip")
    os.symlink(disk, lib / "old")
    assert run("scan", lib, "--follow-symlinks", *SCAN).exit_code == 0
    return lib, trip, disk


def test_followed_links_to_a_drive_not_mounted_are_said_apart(tmp_path):
    """``lib/trip`` a link to an empty mount point, ``lib/old`` a link to nothing: each its note, in the words of
    the scan's notes; the scan keeps them again."""
    lib, trip, disk = _linked(tmp_path)
    _unmount(trip, tmp_path / "away-trip")
    shutil.move(disk, tmp_path / "away-disk")
    res = run("scan", lib, "--follow-symlinks", *SCAN)
    assert res.exit_code == 0 and "the 2 photos the database holds under it are kept" in res.stderr, res.output
    expected = _note(1, lib / "old", f"a symbolic link to {disk}, which is not there", "link") + \
        _note(2, lib / "trip", f"empty and not modified since the scan, a symbolic link to {trip}", "link")
    for args in ((lib,), (lib / "trip",)):
        res = run("report", *args, "--format", "jsonl")
        assert res.exit_code == 0 and GONE not in res.stderr, res.output
        assert [o["path"] for o in map(json.loads, res.stdout.splitlines())] == \
            ([str(lib / "home.jpg")] if args == (lib,) else [])
        wanted = expected if args == (lib,) else expected.split("\n", 1)[1]
        assert res.stderr == wanted, res.stderr


def test_photos_really_gone_keep_the_old_words_beside_a_drive_not_mounted(tmp_path):
    """Deleted by hand (one of a folder, a folder removed, a folder emptied: modified since the scan): "no longer
    on disk", counted apart from those under the link whose target is not there."""
    lib, _trip, disk = _linked(tmp_path)
    for name in ("x/1.jpg", "x/2.jpg", "y/3.jpg", "z/4.jpg"):
        save_jpeg(lib / name, textured(len(name) + ord(name[0])))
    assert run("scan", lib, "--follow-symlinks", *SCAN).exit_code == 0
    (lib / "x" / "1.jpg").unlink()
    shutil.rmtree(lib / "y")
    (lib / "z" / "4.jpg").unlink()  # (z left empty, modified now)
    shutil.move(disk, tmp_path / "away-disk")
    res = run("report", lib, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert res.stderr == _note(1, lib / "old", f"a symbolic link to {disk}, which is not there", "link") + \
        f"note: 3 stored photos {GONE} (moved, renamed or deleted since the last scan) are not listed; `blurscan " \
        f"scan {shell_path(str(lib))}` updates the database\n", res.stderr  # (report ran outside lib: its path)
    shutil.move(tmp_path / "away-disk", disk)
    res = run("report", lib, "--format", "jsonl")
    assert res.stderr.startswith(f"note: 3 stored photos {GONE}") and "not mounted" not in res.stderr, res.stderr


def test_the_judge_looks_at_the_top_folders_only_within_its_bound(tmp_path, monkeypatch):
    """A mount point holding 30 folders of photos: two folders looked at (the first folder, gone, and the mount
    point), the newest record read from the rows report read (no reading of the table); past the bound, a photo
    is said to be gone."""
    share = tmp_path.resolve() / "mnt"
    db = tmp_path / "photos.db"
    for i in range(30):
        save_jpeg(share / f"d{i:02}" / "a.jpg", textured(i, (40, 40)))
    assert run("scan", share, "--db", db, *SCAN).exit_code == 0
    _unmount(share, tmp_path / "away")
    with Store(db, readonly=True) as store:
        rows = store.conn.execute("SELECT path, scanned_at FROM images").fetchall()
        absent = Absent()
        for path, scanned_at in rows:
            absent.add(path, scanned_at, True)
        monkeypatch.setattr(type(store), "last_scanned_under", lambda *a: pytest.fail("the table read again"))
        judged = absent.judged(store)
        assert [(u.folder, u.empty, n) for u, n in judged.items()] == [(str(share), True, 30)]
        judge = Judge(store, lambda folder: time.time())
        assert [judge(str(share / f"d{i:02}")).folder for i in range(30)] == [str(share)] * 30
        assert judge.looked == 2
        assert Judge(store, lambda folder: time.time(), most=1)(str(share / "d00")) is None
    monkeypatch.undo()
    monkeypatch.setattr("blurscan.unmounted.MOST_FOLDERS", 1)
    res = run("report", "--db", db, "--format", "jsonl")
    assert res.stderr.startswith(f"note: 30 stored photos {GONE}"), res.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to make a folder another user cannot enter")
def test_a_folder_that_cannot_be_listed_is_listed_not_gone(tmp_path):
    """Already so before 2026-12-07: a photo this user may not look at is not known to be gone (the scan keeps it
    too), so report lists it and says nothing of it."""
    from helpers_os import run_unprivileged

    base = tempfile.mkdtemp(prefix="blurscan-unmounted-")
    try:
        os.chmod(base, 0o755)
        lib = os.path.join(base, "lib")
        save_jpeg(Path(lib) / "locked" / "a.jpg", textured(1))
        save_jpeg(Path(lib) / "b.jpg", textured(2))
        assert run("scan", lib, *SCAN).exit_code == 0
        os.chmod(os.path.join(lib, "locked"), 0o700)  # (root's: nobody may not enter it)
        for name in os.listdir(lib):
            if name.startswith(".blurscan.db"):
                os.chmod(os.path.join(lib, name), 0o644)

        def body():
            res = run("report", lib, "--format", "jsonl", env={"HOME": base, "XDG_CACHE_HOME": base})
            return res.exit_code, res.stdout, res.stderr

        code, out, err = run_unprivileged(body)
        assert code == 0 and err == "", err
        assert sorted(json.loads(line)["path"] for line in out.splitlines()) == \
            [os.path.join(lib, "b.jpg"), os.path.join(lib, "locked", "a.jpg")]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_path_on_a_drive_not_mounted_says_so(tmp_path):
    """``report PATH`` of a path under a drive not mounted (``report /mnt/photos/2024``, its mount point empty; a
    path under a followed link to such a mount point, or to nothing) exits 1 as before, but its one line says the database holds
    photos there and which folder looks like a drive not mounted; until 2026-12-07 it said only ``no such file or
    directory``, as for a name mistyped. A name with nothing stored, or a folder removed by hand, is said as before."""
    share, db = tmp_path.resolve() / "mnt" / "photos", tmp_path / "photos.db"
    save_jpeg(share / "2024" / "a.jpg", textured(1))
    save_jpeg(share / "2024" / "b.jpg", textured(2))
    save_jpeg(share / "2025" / "c.jpg", textured(3))
    assert run("scan", share, "--db", db, *SCAN).exit_code == 0
    _unmount(share, tmp_path / "away")
    why = f"{share} is empty and not modified since the scan (a share or drive not mounted?); mount it, and run " \
          "the command again\n"
    for named, held in ((share / "2024", "2 photos"), (share / "2025" / "c.jpg", "1 photo")):
        res = run("report", named, "--db", db)
        assert res.exit_code == 1 and res.stdout == "", res.output
        assert res.stderr == f"Error: {named}: no such file or directory, though the database holds {held} " \
                             f"there: {why}", res.stderr
    res = run("report", share / "2026", "--db", db)  # (nothing stored there: a name mistyped)
    assert res.exit_code == 1 and res.stderr == f"Error: {share / '2026'}: no such file or directory\n", res.stderr
    share.rmdir()
    shutil.move(tmp_path / "away", share)  # mounted again; a folder of it removed by hand: said as before
    shutil.rmtree(share / "2025")
    res = run("report", share / "2025", "--db", db)
    assert res.exit_code == 1 and res.stderr == f"Error: {share / '2025'}: no such file or directory\n", res.stderr

    lib, trip, disk = _linked(tmp_path / "linked")  # found from PATH (no --db): followed links, named as stored
    _unmount(trip, tmp_path / "away-trip")
    shutil.move(disk, tmp_path / "away-disk")
    res = run("report", lib / "old" / "c.jpg")  # (a link to nothing)
    assert res.exit_code == 1, res.output
    assert res.stderr == f"Error: {lib / 'old' / 'c.jpg'}: no such file or directory, though the database holds 1 " \
                         f"photo there: {lib / 'old'} is a symbolic link to {disk}, which is not there (a share or " \
                         "drive not mounted?); mount it, and run the command again\n", res.stderr
    res = run("report", lib / "trip" / "day2")
    assert res.exit_code == 1, res.output
    assert res.stderr == f"Error: {lib / 'trip' / 'day2'}: no such file or directory, though the database holds 1 " \
                         f"photo there: {lib / 'trip'} is empty and not modified since the scan, a symbolic link to " \
                         f"{trip} (a share or drive not mounted?); mount it, and run the command again\n", res.stderr


#: The other commands given a PATH, each as it can be typed (``--to``: filled in by the test).
OTHERS = (("bursts",), ("review",), ("move", "--to"), ("trash",), ("tag", "--xmp"), ("undo",), ("undo", "--list"))


@pytest.mark.parametrize("command", OTHERS, ids=" ".join)
def test_the_other_commands_say_a_path_on_a_drive_not_mounted_as_report_does(tmp_path, command):
    """``bursts``, ``review``, ``move``, ``trash``, ``tag`` and ``undo`` given a PATH under a drive not mounted (a
    mount point inside the library, a followed link to an empty mount point or to nothing) say what ``report`` says
    of it, exit code 1 as before, and do nothing; until 2026-12-07 they said ``no such file or directory`` alone. A
    name mistyped is said as before. (``undo`` uses PATH only to find the database: a PATH inside the library that is
    not there is not looked at, as before, so only the links, whose names resolved find no database, are said.)"""
    base = tmp_path.resolve()
    args = (*command, base / "to") if command == ("move", "--to") else command
    lib, trip, disk = _linked(base)
    save_jpeg(lib / "phone" / "2024" / "d.jpg", textured(5))
    save_jpeg(lib / "phone" / "2024" / "e.jpg", textured(6))
    assert run("scan", lib, "--follow-symlinks", *SCAN).exit_code == 0
    _unmount(lib / "phone", base / "away-phone")
    _unmount(trip, base / "away-trip")
    shutil.move(disk, base / "away-disk")
    then = sorted(p.relative_to(base) for p in base.rglob("*"))

    def said(named, held: int, folder, why: str) -> str:
        photos = "photos" if held != 1 else "photo"
        return f"Error: {named}: no such file or directory, though the database holds {held} {photos} there: " \
               f"{folder} is {why} (a share or drive not mounted?); mount it, and run the command again\n"

    cases = [(lib / "trip" / "day2", said(lib / "trip" / "day2", 1, lib / "trip", "empty and not modified since "
                                          f"the scan, a symbolic link to {trip}")),
             (lib / "old" / "c.jpg", said(lib / "old" / "c.jpg", 1, lib / "old", f"a symbolic link to {disk}, which "
                                          "is not there"))]
    if command[0] != "undo":
        cases += [(lib / "phone" / "2024", said(lib / "phone" / "2024", 2, lib / "phone", "empty and not modified "
                                                "since the scan")),
                  (lib / "typo", f"Error: {lib / 'typo'}: no such file or directory\n")]
    for named, expected in cases:
        res = run(*args, named)
        assert res.exit_code == 1 and res.stdout == "", res.output
        assert res.stderr == expected, res.stderr
    assert sorted(p.relative_to(base) for p in base.rglob("*")) == then  # (nothing moved, tagged or made)
    if command[0] in ("bursts", "move", "trash", "tag"):  # a share named to scan, its database given by --db
        share, db = base / "mnt" / "photos", base / "photos.db"
        save_jpeg(share / "2024" / "a.jpg", textured(7))
        assert run("scan", share, "--db", db, *SCAN).exit_code == 0
        _unmount(share, base / "away-share")
        res = run(*args, share / "2024", "--db", db)
        assert res.exit_code == 1 and res.stdout == "", res.output
        assert res.stderr == said(share / "2024", 1, share, "empty and not modified since the scan"), res.stderr


#: The cleanup commands over the whole library, each as it can be typed (``--to``: filled in by the test).
CLEANUPS = (("move", "--all-blurry", "--to"), ("trash", "--all-blurry"), ("tag", "--xmp", "--dry-run"))


@pytest.mark.parametrize("command", CLEANUPS, ids=lambda c: c[0])
def test_the_cleanups_skip_a_drive_not_mounted_saying_so(tmp_path, command):
    """``move``, ``trash`` and ``tag`` of the whole library skip its photos under a drive mounted inside it, not
    mounted (``lib/phone``), and under a followed link to an empty mount point (``lib/trip``), each line naming the
    folder that looks like a drive not mounted, as ``report``'s note does; until 2026-12-07 each said ``missing
    (already moved or deleted)``, as of a photo deleted by hand (which still does). Nothing is taken."""
    base = tmp_path.resolve()
    lib, trip = base / "lib", base / "media" / "usb" / "trip"
    save_jpeg(lib / "gone.jpg", blurred(textured(1), 6))
    save_jpeg(lib / "phone" / "2024" / "d.jpg", blurred(textured(2), 6))
    save_jpeg(trip / "a.jpg", blurred(textured(3), 6))
    os.symlink(trip, lib / "trip")
    save_jpeg(lib / "changed.jpg", blurred(textured(5), 6))
    res = run("scan", lib, "--follow-symlinks", *SCAN, "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout.count('"verdict": "blurry"') == 4, res.output
    (lib / "gone.jpg").unlink()  # (deleted by hand)
    save_jpeg(lib / "changed.jpg", blurred(textured(4), 6))  # (changed since the scan: skipped for that, first)
    _unmount(lib / "phone", base / "away-phone")
    _unmount(trip, base / "away-trip")
    then = sorted(p.relative_to(base) for p in base.rglob("*"))
    res = run(*((*command, base / "to") if command[0] == "move" else command), lib)
    assert res.exit_code == 0, res.output
    why = "(a share or drive not mounted?); mount it, and run the command again"
    assert sorted(line for line in res.output.splitlines() if line.startswith("skip ")) == [
        "skip changed.jpg: changed since it was scanned or reviewed (size or time differ); scan and review it again",
        "skip gone.jpg: missing (already moved or deleted)",
        f"skip phone/2024/d.jpg: not there: {lib / 'phone'} is empty and not modified since the scan {why}",
        f"skip trip/a.jpg: not there: {lib / 'trip'} is empty and not modified since the scan, a symbolic link to "
        f"{trip} {why}"], res.output
    assert sorted(p.relative_to(base) for p in base.rglob("*")) == then
def test_a_relative_link_to_nothing_is_said_by_where_it_leads(tmp_path):
    """``lib/trip -> ../media/usb/trip`` (a relative link, as ``ln -s ../media/usb/trip lib/trip`` makes it),
    scanned with ``--follow-symlinks``, its target not there: report names where it leads from the link's folder,
    not the link's text, which means nothing from the folder report runs in."""
    base = tmp_path.resolve()
    lib, trip = base / "lib", base / "media" / "usb" / "trip"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(trip / "a.jpg", textured(2))
    os.symlink(os.path.join("..", "media", "usb", "trip"), lib / "trip")
    assert run("scan", lib, "--follow-symlinks", *SCAN).exit_code == 0
    shutil.move(trip, base / "away")
    res = run("report", lib, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert res.stderr == _note(1, lib / "trip", f"a symbolic link to {trip}, which is not there", "link"), res.stderr


def test_the_newest_record_under_the_mount_point_decides_as_for_the_scan(tmp_path):
    """``2024/a.jpg`` and ``2025/c.jpg`` stored two hours ago, ``2024/b.jpg`` now, the mount point last modified an
    hour ago: not modified since the newest record under it (the rule by which the scan keeps them), so report says
    the three photos are on a drive not mounted, not gone; the oldest record of a folder, or of the folders under
    the mount point, does not decide."""
    share, db = tmp_path.resolve() / "mnt" / "photos", tmp_path / "photos.db"
    for name, seed in (("2024/a.jpg", 1), ("2024/b.jpg", 2), ("2025/c.jpg", 3)):
        save_jpeg(share / name, textured(seed))
    assert run("scan", share, "--db", db, *SCAN).exit_code == 0
    with Store(db) as store, store.conn:
        store.conn.execute("UPDATE images SET scanned_at = scanned_at - 7200 WHERE path IN (?, ?)",
                           (str(share / "2024" / "a.jpg"), str(share / "2025" / "c.jpg")))
    _unmount(share, tmp_path / "away")
    res = run("scan", share, "--db", db, *SCAN)
    assert res.exit_code == 0 and f"{share} is empty: the 3 photos the database holds" in res.stderr, res.output
    res = run("report", "--db", db, "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout == "", res.output
    assert res.stderr == _note(3, share, "empty and not modified since the scan", "folder"), res.stderr


def test_a_drive_not_mounted_holding_none_of_the_kinds_listed_is_not_named(tmp_path):
    """Two shares not mounted, one holding only sharp photos: ``report --only blurry`` names the other alone (no
    "0 stored photos" line for a folder none of whose photos would be listed)."""
    base = tmp_path.resolve()
    sharp, blurry, db = base / "mnt" / "sharp", base / "mnt" / "blurry", tmp_path / "photos.db"
    save_jpeg(sharp / "a.jpg", textured(1))
    save_jpeg(blurry / "b.jpg", blurred(textured(2), 6))
    assert run("scan", sharp, blurry, "--db", db, *SCAN).exit_code == 0
    _unmount(sharp, tmp_path / "away-sharp")
    _unmount(blurry, tmp_path / "away-blurry")
    res = run("report", "--db", db, "--only", "blurry", "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout == "", res.output
    assert res.stderr == _note(1, blurry, "empty and not modified since the scan", "folder"), res.stderr


def test_past_five_drives_not_mounted_the_rest_are_counted_in_one_line(tmp_path):
    """Six shares not mounted (the last holding two photos): the first five named, one line each, and the sixth
    counted in one line; five: each named, and no line for the rest."""
    base = tmp_path.resolve()
    shares, db = [base / "mnt" / f"s{i}" for i in range(1, 7)], tmp_path / "photos.db"
    for i, share in enumerate(shares):
        save_jpeg(share / "a.jpg", textured(i))
    save_jpeg(shares[-1] / "b.jpg", textured(9))
    assert run("scan", *shares, "--db", db, *SCAN).exit_code == 0
    for share in shares:
        _unmount(share, base / f"away-{share.name}")
    empty = "empty and not modified since the scan"
    res = run("report", "--db", db, "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout == "", res.output
    assert res.stderr == "".join(_note(1, share, empty, "folder") for share in shares[:5]) + \
        "note: 2 stored photos under 1 more folders that look like shares or drives not mounted (empty, or a " \
        "symbolic link to nothing) are not listed\n", res.stderr
    shares[0].rmdir()
    shutil.move(base / "away-s1", shares[0])  # mounted again: five left, each named
    res = run("report", "--db", db, "--format", "jsonl")
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 1, res.output
    assert res.stderr == "".join(_note(1, share, empty, "folder") for share in shares[1:5]) + \
        _note(2, shares[5], empty, "folder"), res.stderr


def test_a_path_on_a_drive_not_mounted_beside_a_database_that_cannot_be_read_is_said_as_before(tmp_path):
    """``report PATH`` of a path not there whose database, found from PATH, cannot be read (damaged): the one line
    names PATH, ``no such file or directory``, as for a name mistyped (nothing can be told of a drive from that
    database; :func:`blurscan.cli.unmounted_path.held_unmounted`), not the database's error; with the database whole
    it names the drive."""
    lib = tmp_path.resolve() / "lib"
    save_jpeg(lib / "phone" / "2024" / "a.jpg", textured(1))
    save_jpeg(lib / "home.jpg", textured(2))
    assert run("scan", lib, *SCAN).exit_code == 0
    _unmount(lib / "phone", tmp_path / "away")
    res = run("report", lib / "phone" / "2024")
    assert res.exit_code == 1 and "though the database holds 1 photo there" in res.stderr, res.stderr
    (lib / ".blurscan.db").write_bytes(b"not a database, " * 512)
    res = run("report", lib / "phone" / "2024")
    assert res.exit_code == 1 and res.stdout == "", res.output
    assert res.stderr == f"Error: {lib / 'phone' / '2024'}: no such file or directory\n", res.stderr


def test_the_forget_command_is_offered_only_for_a_database_file_and_a_drive_gone_with_its_mount_point(tmp_path):
    """:meth:`blurscan.unmounted.Unmounted.remedy`: a drive whose mount point is gone too is offered `scan --forget`
    naming the database file; not a database held in memory (no file to name), nor a drive whose mount point is
    still there (an empty folder: mount it)."""
    from blurscan.unmounted import Unmounted

    gone = Unmounted("/media/me/DISK", None, empty=False, unplugged=True)
    db = tmp_path / "lib.db"
    assert gone.remedy(db).startswith("mount it, and run the command again; or, the drive gone for good, `")
    assert gone.remedy(db).endswith(f" --db {shell_path(str(db))} /media/me/DISK` forgets them (records only)")
    assert gone.remedy(":memory:") == gone.remedy(None) == "mount it, and run the command again"
    assert Unmounted("/media/me/DISK", None, empty=True).remedy(db) == "mount it, and run the command again"
