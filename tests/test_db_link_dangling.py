"""A ``--db`` that is a symbolic link whose target is not there: SQLite makes the file the link names, where that
file's folder exists (``scan --db link`` making a new database), and fails otherwise. Until 2026-12-07 a link to a
file in a folder that does not exist (a drive not mounted, a folder renamed), or a link loop, was said in SQLite's
words, ``cannot use database: unable to open database file``, where a plain ``--db`` in a missing folder names it
(``cannot create the database: its folder ... does not exist``). Real scans of generated photos."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def test_a_link_to_a_new_database_makes_it_where_the_link_points(tmp_path):
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    (tmp_path / "dbs").mkdir()
    link = tmp_path / "lib.db"
    os.symlink(os.path.join("dbs", "lib.db"), link)  # (a relative link)
    result = run("scan", tmp_path / "lib", "--db", link, *SCAN)
    assert result.exit_code == 0, result.output
    assert os.path.islink(link) and (tmp_path / "dbs" / "lib.db").is_file()


def test_a_link_into_a_missing_folder_says_which_folder(tmp_path):
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    link = tmp_path / "lib.db"
    os.symlink(tmp_path / "drive" / "dbs" / "lib.db", link)  # (a drive not mounted)
    result = run("scan", tmp_path / "lib", "--db", link, *SCAN)
    # it said "Error: .../lib.db: cannot use database: unable to open database file"
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {link}: cannot create the database: a symbolic link to {tmp_path / 'drive' / 'dbs' / 'lib.db'}, "
        f"whose folder {tmp_path / 'drive' / 'dbs'} does not exist"), result.output
    assert not (tmp_path / "drive").exists() and os.path.islink(link)


def test_a_link_loop_is_said_to_be_one(tmp_path):
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    os.symlink(tmp_path / "b.db", tmp_path / "a.db")
    os.symlink(tmp_path / "a.db", tmp_path / "b.db")
    result = run("scan", tmp_path / "lib", "--db", tmp_path / "a.db", *SCAN)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (f"Error: {tmp_path / 'a.db'}: cannot use the database: it is a "
                                              "symbolic link that loops (a link to itself, or to a link back to it)"), \
        result.output


def test_the_commands_that_read_a_database_say_a_dangling_or_looping_link_is_one(tmp_path):
    """`report`, `review`, `bursts`, `move`, `trash`, `tag` and `undo` given a `--db` link to a database on a drive
    not mounted said "no blurscan database here (run `blurscan scan` first)": the database is most likely there once
    the drive is, and a scan would make a new one. They name the link and its target now; a loop is said to be one."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    gone = tmp_path / "drive" / "dbs" / "lib.db"
    link = tmp_path / "lib.db"
    os.symlink(gone, link)
    os.symlink(tmp_path / "b.db", tmp_path / "a.db")
    os.symlink(tmp_path / "a.db", tmp_path / "b.db")
    commands = [("report",), ("review", "--no-browser"), ("bursts",), ("move", "--to", tmp_path / "rej"),
                ("trash",), ("tag", "--xmp"), ("undo",)]
    for command in commands:
        result = run(*command, "--db", link)
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines()[-1] == (
            f"Error: {link}: a symbolic link to {gone}, which is not there (a drive not mounted, or the database "
            "moved?)"), (command, result.output)
        result = run(*command, "--db", tmp_path / "a.db")
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines()[-1].endswith("it is a symbolic link that loops (a link to itself, or to a "
                                                       "link back to it)"), (command, result.output)
    assert not (tmp_path / "drive").exists() and not (tmp_path / "rej").exists()
    assert sorted(os.listdir(tmp_path)) == ["a.db", "b.db", "lib", "lib.db"]


def test_a_db_in_a_folder_link_whose_target_is_not_there_is_said_so(tmp_path):
    """`--db ~/dbs/lib.db`, ``~/dbs`` a link to a drive's folder (``/media/me/USB/dbs``, which is not there while
    the drive is not mounted): the commands that read a database said "no blurscan database here (run `blurscan
    scan` first)", as for one never made. They name the folder link and its target now; one that loops is said to."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    gone = tmp_path / "drive" / "dbs"
    os.symlink(gone, tmp_path / "dbs")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    for command in [("report",), ("review", "--no-browser"), ("bursts",), ("trash",), ("tag", "--xmp"), ("undo",)]:
        for db in (tmp_path / "dbs" / "lib.db", tmp_path / "dbs" / "2024" / "lib.db"):
            result = run(*command, "--db", db)
            assert result.exit_code == 1, (command, result.output)
            assert result.output.splitlines()[-1] == (
                f"Error: {db}: in {tmp_path / 'dbs'}, a symbolic link to {gone}, which is not there (a drive not "
                "mounted, or the folder moved?)"), (command, result.output)
        result = run(*command, "--db", tmp_path / "loop" / "lib.db")
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines()[-1] == (
            f"Error: {tmp_path / 'loop' / 'lib.db'}: cannot use the database: {tmp_path / 'loop'} is a symbolic link "
            "that loops (a link to itself, or to a link back to it)"), (command, result.output)
        result = run(*command, "--db", tmp_path / "lib" / "none.db")  # (a folder that is there: no database yet)
        assert result.output.splitlines()[-1].endswith(f"none.db: no blurscan database here (run `blurscan scan --db "
                                                       f"{tmp_path / 'lib' / 'none.db'} PATH` first)"), \
            (command, result.output)
    assert sorted(os.listdir(tmp_path)) == ["dbs", "lib", "loop"]


def test_a_relative_link_to_a_link_to_nothing_names_the_database_it_leads_to(tmp_path):
    """``--db lib/l.db``, ``l.db -> ../drive.db`` (relative) and ``drive.db -> usb/lib.db`` (a drive not mounted):
    the line names where the links lead, absolute, not the link's text (``../drive.db``, read from wherever)."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    os.symlink(os.path.join("usb", "lib.db"), tmp_path / "drive.db")
    os.symlink(os.path.join("..", "drive.db"), tmp_path / "lib" / "l.db")
    for command in (("report",), ("move", "--to", tmp_path / "rej")):
        result = run(*command, "--db", tmp_path / "lib" / "l.db")
        assert result.exit_code == 1, (command, result.output)
        assert result.output.splitlines()[-1] == (
            f"Error: {tmp_path / 'lib' / 'l.db'}: a symbolic link to {tmp_path.resolve() / 'usb' / 'lib.db'}, which "
            "is not there (a drive not mounted, or the database moved?)"), (command, result.output)
    assert not (tmp_path / "usb").exists() and not (tmp_path / "rej").exists()


def test_the_scan_a_missing_db_names_makes_that_database(tmp_path, monkeypatch):
    """A ``--db`` that is not there yet (no link on the way): the scan it names makes that database, typed where
    the command ran; until 2026-12-07 it said to run a bare `blurscan scan`, which scanned the current folder into
    a database of its own, the ``--db`` still missing."""
    import re
    import shlex

    make_library(tmp_path / "my lib", n_sharp=1, n_blurry=1)
    (tmp_path / "dbs & co").mkdir()
    monkeypatch.chdir(tmp_path / "dbs & co")
    for command, db in ((("report",), "pics.db"), (("bursts",), "my pics.db")):
        said = run(*command, "--db", db)
        assert said.exit_code == 1, said.output
        scan = shlex.split(re.search(r"\(run `(blurscan scan [^`]*)` first\)$", said.stderr.strip()).group(1))
        scan = [w if w != "PATH" else str(tmp_path / "my lib") for w in scan]  # (the folder to scan, yours to say)
        assert run(*scan[1:]).exit_code == 0
        listed = run(*command, "--db", db)
        assert listed.exit_code == 0 and os.path.isfile(db), listed.output
        os.remove(db)
    assert not os.path.exists(tmp_path / "dbs & co" / ".blurscan.db")


def test_the_scan_a_missing_or_empty_db_names_makes_that_database_pasted_in_another_folder(tmp_path, monkeypatch):
    """A ``--db`` typed relative (``dbs/my db 'q'.db``), missing or empty: the scan the error names, pasted in
    another folder (another terminal tab), makes or fills that very database, whose report then lists the photos.
    Until 2026-12-07 the ``--db`` went in as typed, which there named a file in a folder not there. (A ``..`` in
    ``--db`` is read to an absolute path before any message, :class:`blurscan.cli.path_given.DbFile`.)"""
    import re
    import shlex

    from helpers_cli import jsonl, run_from

    photos = make_library(tmp_path / "my lib", n_sharp=1, n_blurry=1)
    here, there = tmp_path / "here", tmp_path / "there" / "deeper"
    for folder in (here / "dbs", there):
        folder.mkdir(parents=True)
    monkeypatch.chdir(here)
    for db, empty in (("dbs/my db 'q'.db", False), ("dbs/empty 'q'.db", True)):
        if empty:
            (here / db).write_bytes(b"")
        said = run("report", "--db", db)
        assert said.exit_code == 1, said.output
        scan = shlex.split(re.search(r"run `(blurscan scan [^`]*)` first\)$", said.stderr.strip()).group(1))
        scan = [w if w != "PATH" else str(tmp_path / "my lib") for w in scan]  # (the folder to scan, yours to say)
        scanned = run_from(there, *scan[1:], *SCAN)
        assert scanned.returncode == 0, scanned.stderr
        listed = run("report", "--db", db, "--format", "jsonl")
        assert listed.exit_code == 0, listed.output
        assert sorted(r["path"] for r in jsonl(listed.stdout)) == sorted(photos), listed.stdout
    assert os.listdir(there) == [] and os.listdir(tmp_path / "there") == ["deeper"]


def test_scan_given_a_db_in_a_folder_link_whose_target_is_not_there_says_so_as_report_does(tmp_path):
    """``scan --db ~/dbs/lib.db lib``, ``~/dbs`` a link to a drive's folder not there: it said ``cannot create the
    database: its folder ~/dbs does not exist`` (the folder is there, a link), where report and the other commands
    that read a database name the link and where it leads (until 2026-12-07). Nothing is made, on the way either."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    gone = tmp_path / "drive" / "dbs"
    os.symlink(gone, tmp_path / "dbs")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    for db in (tmp_path / "dbs" / "lib.db", tmp_path / "dbs" / "2024" / "lib.db"):
        said = run("report", "--db", db).output.splitlines()[-1]
        assert said == (f"Error: {db}: in {tmp_path / 'dbs'}, a symbolic link to {gone}, which is not there (a drive "
                        "not mounted, or the folder moved?)"), said
        result = run("scan", tmp_path / "lib", "--db", db, *SCAN)
        assert result.exit_code == 1 and result.output.splitlines()[-1] == said, result.output
    result = run("scan", tmp_path / "lib", "--db", tmp_path / "loop" / "lib.db", *SCAN)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: {tmp_path / 'loop' / 'lib.db'}: cannot use the database: {tmp_path / 'loop'} is a symbolic link "
        "that loops (a link to itself, or to a link back to it)"), result.output
    result = run("scan", tmp_path / "lib", "--db", tmp_path / "none" / "lib.db", *SCAN)  # (no link: as before)
    assert result.output.splitlines()[-1] == (f"Error: {tmp_path / 'none' / 'lib.db'}: cannot create the database: "
                                              f"its folder {tmp_path / 'none'} does not exist"), result.output
    assert sorted(os.listdir(tmp_path)) == ["dbs", "lib", "loop"]
    assert not any(name.endswith(".db") for _folder, _dirs, names in os.walk(tmp_path / "lib") for name in names)


def test_a_db_in_a_relative_or_chained_folder_link_names_the_folder_it_leads_to(tmp_path):
    """``--db home/dbs/lib.db``, ``dbs -> ../drive/dbs`` (a relative link), or ``--db home/usb/lib.db``, ``usb`` a
    link to a link to ``drive/dbs``: the line names the folder that is not there, absolute, not the link's text
    (``../drive/dbs``, read from wherever) nor the next link; ``scan`` says it as ``report`` does."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    home = tmp_path / "home"
    home.mkdir()
    gone = tmp_path.resolve() / "drive" / "dbs"
    os.symlink(os.path.join("..", "drive", "dbs"), home / "dbs")
    os.symlink(os.path.join("drive", "dbs"), tmp_path / "usb")
    os.symlink(tmp_path / "usb", home / "usb")
    for folder in (home / "dbs", home / "usb"):
        db = folder / "lib.db"
        for command in (("report",), ("scan", tmp_path / "lib", *SCAN)):
            result = run(*command, "--db", db)
            assert result.exit_code == 1, (command, result.output)
            assert result.output.splitlines()[-1] == (
                f"Error: {db}: in {folder}, a symbolic link to {gone}, which is not there (a drive not mounted, or "
                "the folder moved?)"), (command, result.output)
    assert not (tmp_path / "drive").exists()


def test_a_db_with_a_dot_dot_is_the_one_the_system_opens(tmp_path):
    """``--db good/../x.db``, ``good -> drive/a``: the system opens ``drive/x.db``. Until 2026-12-07 ``scan`` wrote
    it there (SQLite was given the path), and ``report`` (``tag``, ``undo`` ...) read the path by text and looked
    beside the link, saying ``not scanned yet`` of an empty ``x.db`` it left there. ``--db rej/../x.db``, ``rej`` a
    link whose target is not there (``rej/../sub/x.db``: it said ``its folder ./sub does not exist``), or a ``..``
    after a name not there or a file, cannot be opened: each command says so naming what stops the system, and
    makes nothing."""
    make_library(tmp_path / "lib", n_sharp=1, n_blurry=1)
    (tmp_path / "drive" / "a").mkdir(parents=True)
    os.symlink(tmp_path / "drive" / "a", tmp_path / "good")
    os.symlink(tmp_path / "usb" / "rej", tmp_path / "rej")
    (tmp_path / "afile").write_text("hi")
    (tmp_path / "drive" / "afile").write_text("hi")
    refused = {"rej/../x.db": f"{tmp_path / 'rej'} is a symbolic link to {tmp_path / 'usb' / 'rej'}, which leads "
                              "nowhere",
               "rej/../sub/x.db": f"{tmp_path / 'rej'} is a symbolic link to {tmp_path / 'usb' / 'rej'}, which leads "
                                  "nowhere",
               "none/../x.db": f"{tmp_path / 'none'} does not exist",
               "none/sub/../../x.db": f"{tmp_path / 'none'} does not exist",  # (the first name not there)
               "good/none/../x.db": f"{tmp_path / 'good' / 'none'} does not exist",  # (named as given)
               "afile/../x.db": f"{tmp_path / 'afile'} is a file, not a folder",
               "good/../afile/../x.db": f"{tmp_path / 'drive' / 'afile'} is a file, not a folder"}  # (where it is)
    for command in (("scan", tmp_path / "lib", *SCAN), ("report",), ("tag", "--xmp"), ("undo",)):
        for db, why in refused.items():
            result = run(*command, "--db", f"{tmp_path}/{db}")
            assert result.exit_code == 1, (command, result.output)
            assert result.stderr == f"Error: {tmp_path}/{db}: cannot be reached: {why}\n", (command, result.output)
    assert sorted(os.listdir(tmp_path)) == ["afile", "drive", "good", "lib", "rej"]
    assert sorted(os.listdir(tmp_path / "drive")) == ["a", "afile"]
    db = f"{tmp_path}/good/../x.db"
    assert run("scan", tmp_path / "lib", "--db", db, *SCAN).exit_code == 0
    assert (tmp_path / "drive" / "x.db").is_file()
    listed = run("report", "--db", db, "--format", "jsonl")
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 2, listed.output
    tagged = run("tag", "--xmp", "--all-blurry", "--yes", "--db", db)
    assert tagged.exit_code == 0 and "tagged 1 photo" in tagged.stdout, tagged.output
    assert f"`blurscan undo --batch 1 --db {tmp_path / 'drive' / 'x.db'}`" in tagged.stdout
    assert run("undo", "--db", db).exit_code == 0
    assert not list((tmp_path / "lib").rglob("*.xmp"))
    assert not (tmp_path / "x.db").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to make a folder another user cannot enter")
def test_a_dot_dot_in_a_folder_this_user_may_not_enter_is_not_said_to_be_missing(tmp_path):
    """``--db locked/sub/../x.db`` and ``--db hop/../x.db`` (``hop -> locked/sub``), ``locked`` a folder of root's
    (``0700``) that this user (nobody) may not enter: whether ``sub`` is there cannot be told, so neither is said to
    be missing, nor the link to lead nowhere; the database is refused for what the system says of it."""
    from helpers_os import run_unprivileged

    base = tempfile.mkdtemp(prefix="blurscan-dotdot-")
    try:
        os.chmod(base, 0o755)
        locked = os.path.join(base, "locked")
        os.makedirs(os.path.join(locked, "sub"))
        os.chmod(locked, 0o700)
        os.symlink(os.path.join(locked, "sub"), os.path.join(base, "hop"))

        def body():
            return [run("report", "--db", os.path.join(base, db), env={"HOME": base, "XDG_CACHE_HOME": base}).stderr
                    for db in ("locked/sub/../x.db", "hop/../x.db")]

        for said in run_unprivileged(body):
            assert said.startswith("Error: ") and "does not exist" not in said and "leads nowhere" not in said, said
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to make folders another user (nobody) cannot enter")
def test_a_dot_dot_the_system_cannot_take_in_a_folder_this_user_may_not_enter_is_refused_naming_it(tmp_path):
    """``--db hop/../x.db``, ``hop`` a link into ``locked`` (``0700``, root's) or to ``shut`` itself (``0700``), and
    ``--db locked/../x.db``: the system takes no ``..`` from a folder this user (nobody) may not enter (``ls
    hop/..``: ``Permission denied``), so each is refused naming that folder, and no database is read. Until
    2026-12-07 ``report`` read the ``x.db`` beside the link (the ``..`` read by text) or beside ``shut`` (the
    ``..`` of the link's target), a database of the same folder here, and listed its photos."""
    from helpers_os import run_unprivileged, usual_umask

    base = tempfile.mkdtemp(prefix="blurscan-dotdot-")
    try:
        os.chmod(base, 0o755)
        with usual_umask():
            make_library(Path(base) / "lib", n_sharp=1, n_blurry=1)
            assert run("scan", os.path.join(base, "lib"), "--db", os.path.join(base, "x.db"), *SCAN).exit_code == 0
        for name in ("locked/sub", "shut"):
            os.makedirs(os.path.join(base, name))
        for name in ("locked", "shut"):
            os.chmod(os.path.join(base, name), 0o700)
        os.symlink(os.path.join(base, "locked", "sub"), os.path.join(base, "hop"))
        os.symlink(os.path.join(base, "shut"), os.path.join(base, "hop2"))
        before = sorted(os.listdir(base))
        refused = {"hop/../x.db": f"{base}/hop leads into {base}/locked, which this user may not enter",
                   "hop2/../x.db": f"{base}/hop2 leads to {base}/shut, which this user may not enter",
                   "locked/../x.db": f"{base}/locked may not be entered by this user",
                   "locked/sub/../x.db": f"{base}/locked may not be entered by this user"}

        def body():
            env = {"HOME": base, "XDG_CACHE_HOME": base}
            return [(db, *(lambda r: (r.exit_code, r.stderr))(run("report", "--db", f"{base}/{db}", env=env)))
                    for db in [*refused, "lib/../x.db"]]

        said = {db: (code, err) for db, code, err in run_unprivileged(body)}
        for db, why in refused.items():
            assert said[db] == (1, f"Error: {base}/{db}: cannot be reached: {why}\n"), said[db]
        assert said["lib/../x.db"] == (0, ""), said["lib/../x.db"]  # (a folder it may enter: read as before)
        assert sorted(os.listdir(base)) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)
