"""Root passes every permission check, so a library made read-only on purpose (mode 0555: an archive, a share,
a container running as root over a user's photos) got a ``.blurscan.db`` and its ``-wal`` / ``-shm`` files
written into it. As root, blurscan honours a file or folder with no write bit for anyone as read-only, as the
system does for everyone else (:mod:`blurscan.permissions`); for other users nothing changes. The tests of
root's side skip when not run as root (CI runs them as root); the unprivileged side runs as ``nobody``."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.locate import _fallback_db
from blurscan.store import Store
from blurscan.walk import canonical

from helpers_cli import jsonl, run

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="root's view of the permission bits: CI runs the tests as root")


def read_only(root: Path, mode: int = 0o555) -> None:
    """Every folder of ``root`` (itself included) without write bits; files keep theirs."""
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True) + [root]:
        folder.chmod(mode)


def writable(root: Path) -> None:
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)


def listing(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (hidden ones too): its mode, and a file's modification time and SHA-256."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
            out[os.path.relpath(path, root)] = (st.st_mode, st.st_mtime_ns if digest else None, digest)
    return out


@AS_ROOT
def test_scan_as_root_keeps_the_database_of_a_0555_library_in_the_cache_folder(library):
    """No `.blurscan.db` in a library no one may write: the cache folder's, with the note an unwritable folder
    gets; report finds it there."""
    root, truth = library
    read_only(root)
    try:
        before = listing(root)
        result = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
        assert result.exit_code == 0, result.stderr
        home = Path(canonical(str(root)))
        db = _fallback_db(home)
        assert f"note: cannot write {home / '.blurscan.db'}; keeping the database in {db} (choose with --db)" \
            in result.stderr
        assert len(jsonl(result.stdout)) == len(truth) and db.is_file()
        assert len(jsonl(run("report", root, "--format", "jsonl").stdout)) == len(truth)
        assert listing(root) == before
    finally:
        writable(root)


@AS_ROOT
@pytest.mark.parametrize("db_mode", [0o644, 0o444], ids=["db-0644", "db-0444"])
def test_a_0555_librarys_own_database_is_read_not_written_by_root(library, monkeypatch, db_mode):
    """A library scanned by its owner, then made read-only: root's scan reuses its results from the cache
    folder's database, as another user's does; commands that write refuse the library's database as they refuse
    a read-only one (review at once); reading it leaves no `-wal` / `-shm` file, not even while it is open."""
    from blurscan.review import server

    root, truth = library
    monkeypatch.setenv("XDG_DATA_HOME", str(root.parent / "data"))  # (a trash that got through stays here)
    assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0  # as the owner, writable
    home = Path(canonical(str(root)))
    library_db = home / ".blurscan.db"
    library_db.chmod(db_mode)
    read_only(root)
    try:
        before = listing(root)
        with Store(library_db, readonly=True) as store:  # report, undo --list, a scan's seed
            assert store.conn.execute("SELECT COUNT(*) FROM images").fetchone()[0] == len(truth)
            assert listing(root) == before
        monkeypatch.setattr(server, "ReviewServer", lambda *a, **kw: pytest.fail("review served the library"))
        for args in (["move", "--to", str(root.parent / "rejects"), "--all-blurry", "--yes", str(root)],
                     ["trash", "--all-blurry", "--yes", str(root)], ["tag", "--xmp", str(root)],
                     ["bursts", str(root)], ["review", "--no-browser", str(root)]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 1 and "Traceback" not in result.output, (args, result.output)
            assert "read-only" in result.output, (args, result.output)
            assert listing(root) == before, args
        assert not (root.parent / "rejects").exists()
        scanned = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
        assert scanned.exit_code == 0, scanned.stderr
        db = _fallback_db(home)
        assert (f"note: {library_db} is read-only: its results are reused for unchanged photos; keeping the "
                f"database in {db}") in scanned.stderr
        assert f"({len(truth)} unchanged, reused)" in scanned.stderr
        listed = run("report", root, "--format", "jsonl")
        assert len(jsonl(listed.stdout)) == len(truth) and f"using {db}" in listed.stderr
        assert listing(root) == before
    finally:
        writable(root)


def test_the_bits_are_honoured_for_root_only(tmp_path):
    """As root, a file or folder with no write bit for anyone is read-only and one with any write bit is not
    (a 0755 folder of another user is only someone else's); for other users the system's answer decides."""
    from helpers_os import run_unprivileged

    from blurscan.permissions import may_write, read_only_for_root, read_only_reason

    modes = {"r-x": 0o555, "owner-rwx": 0o755, "owner-r-x": 0o500, "other-w": 0o557, "all": 0o777}
    for name, mode in modes.items():
        (tmp_path / name).mkdir()
        (tmp_path / name).chmod(mode)
    tmp_path.chmod(0o755)
    try:
        def judged():
            return {name: [read_only_for_root(tmp_path / name), may_write(tmp_path / name),
                           read_only_reason(tmp_path / name), os.access(tmp_path / name, os.W_OK)] for name in modes}

        if hasattr(os, "geteuid") and os.geteuid() == 0:
            got = judged()
            for name in ("r-x", "owner-r-x"):
                assert got[name][:3] == [True, False, (
                    f"{tmp_path / name} is read-only (mode {modes[name]:04o}: no one may write it; blurscan honours "
                    "that when run as root too)")], name
            for name in ("owner-rwx", "other-w", "all"):
                assert got[name][:3] == [False, True, None], name
        for name, (for_root, may, reason, system) in run_unprivileged(judged).items():  # as nobody, when root
            assert (for_root, may, reason) == (False, system, None), name
    finally:
        for name in modes:
            (tmp_path / name).chmod(0o755)


# -- move, trash, tag, undo: the photos of a read-only folder stay where they are ----------------------------

def _cache_library(tmp_path, discard=("IMG_1", "IMG_4")):
    """``build_library`` whose database is in the cache folder, where a scan of a read-only library keeps
    it; ``discard`` marked discard (IMG_1, IMG_2: folder a/; IMG_4: b/c/); a/ made read-only (0555)."""
    from helpers_library import build_library, decide

    root = tmp_path / "lib"
    root.mkdir()
    store, f = build_library(root, db=_fallback_db(Path(canonical(str(root)))))
    for name in discard:
        decide(store, f[name], "discard")
    store.close()
    (root / "a").chmod(0o555)
    return Path(canonical(str(root))), f


@AS_ROOT
@pytest.mark.parametrize("command", ["move", "trash"])
def test_move_and_trash_as_root_leave_the_photos_of_a_0555_folder_in_place(tmp_path, monkeypatch, command):
    """The dry run says which photo stays and why (its folder, its mode); --yes takes the others; the
    read-only folder is as it was, byte for byte."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root, f = _cache_library(tmp_path)
    try:
        before = listing(root / "a")
        args = [command, str(root)] + (["--to", str(tmp_path / "rejects")] if command == "move" else [])
        why = f"its folder {root / 'a'} is read-only (mode 0555: no one may write it; blurscan honours that when " \
              "run as root too); left in place"
        dry = CliRunner().invoke(main, args)
        assert dry.exit_code == 0, dry.output
        shown = "a/IMG_1.JPG"  # relative to the library (trash showed the whole path: the cache folder's database)
        assert f"skip {shown}: {why}" in dry.stdout, dry.stdout
        assert f"would {command} " in dry.stdout and "Dry run: 1 photo " in dry.stdout, dry.stdout
        done = CliRunner().invoke(main, args + ["--yes"])
        assert done.exit_code == 0, done.output
        assert f"skipped: {shown}: {why}" in done.stderr, done.stderr
        assert f"{command[:-1] if command == 'move' else command}ed 1 photo (1 file" in done.stdout, done.stdout
        assert not os.path.exists(f["IMG_4"])
        assert listing(root / "a") == before
    finally:
        (root / "a").chmod(0o755)


@AS_ROOT
def test_tag_as_root_writes_no_sidecar_into_a_0555_folder(tmp_path):
    root, f = _cache_library(tmp_path, ("IMG_1", "IMG_2", "IMG_4"))  # (IMG_2 has no sidecar: one is made)
    try:
        before = listing(root / "a")
        for args in (["--dry-run"], []):
            done = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", *args, str(root)])
            assert done.exit_code == 0, done.output
            for name in ("IMG_1", "IMG_2"):
                assert (f"skip a/{os.path.basename(f[name])}: its folder {root / 'a'} is read-only (mode 0555: no one "
                        "may write it; blurscan honours that when run as root too); left in place") in done.stdout, \
                    done.stdout
            assert listing(root / "a") == before
        assert os.path.exists(f["IMG_4"] + ".xmp")  # b/c/ can be written: tagged
        assert "tagged 1 photo " in done.stdout and "2 skipped" in done.stdout, done.stdout
        assert listing(root / "a") == before
    finally:
        (root / "a").chmod(0o755)


@AS_ROOT
@pytest.mark.parametrize("command", ["move", "tag"])
def test_undo_as_root_puts_nothing_back_into_a_folder_made_read_only_since(tmp_path, command):
    """A move's photo (or tag's sidecar) whose folder was made 0555 after the batch stays where undo found it
    (failed, exit 1); once the folder may be written again, undo puts it back."""
    root, f = _cache_library(tmp_path)
    folder = root / "b" / "c"
    try:
        args = ["move", "--to", str(tmp_path / "rejects"), "--yes", str(root / "b")] if command == "move" \
            else ["tag", "--xmp", "--discarded-only", str(root / "b")]
        assert CliRunner().invoke(main, args).exit_code == 0
        before = listing(folder)
        folder.chmod(0o555)
        undone = CliRunner().invoke(main, ["undo", str(root)])
        assert undone.exit_code == 1, undone.output
        assert f"{folder} is read-only (mode 0555: no one may write it" in undone.stderr, undone.stderr
        assert listing(folder) == before
        if command == "move":
            assert (tmp_path / "rejects" / "b" / "c" / "IMG_4.jpg").is_file()  # (the library's layout: it was
            # relative to the folder of the photos selected, with the database in the cache folder)
        folder.chmod(0o755)
        again = CliRunner().invoke(main, ["undo", str(root)])
        assert again.exit_code == 0, again.output
        assert os.path.isfile(f["IMG_4"]) and not os.path.exists(f["IMG_4"] + ".xmp")
    finally:
        folder.chmod(0o755)
        (root / "a").chmod(0o755)


@AS_ROOT
def test_move_as_root_refuses_a_0555_destination(tmp_path):
    root, f = _cache_library(tmp_path)
    rejects = tmp_path / "rejects"
    rejects.mkdir(mode=0o555)
    rejects.chmod(0o555)
    try:
        args = ["move", "--to", str(rejects), str(root / "b")]
        dry = CliRunner().invoke(main, args)
        assert f"warning: {rejects} cannot be written: `--yes` would move nothing there" in dry.stderr, dry.output
        done = CliRunner().invoke(main, args + ["--yes"])
        assert done.exit_code == 1 and "nothing was moved" in done.output, done.output
        assert os.path.isfile(f["IMG_4"]) and os.listdir(rejects) == []
    finally:
        rejects.chmod(0o755)
        (root / "a").chmod(0o755)


@AS_ROOT
def test_trash_as_root_makes_no_trash_folder_in_a_0555_drive_top(tmp_path, monkeypatch):
    """A photo on another drive whose top folder no one may write goes to the home trash (a verified copy)
    rather than a `.Trash-0` made in that top folder; undo brings it back."""
    from blurscan.actions import execute, plan_trash, undo
    from helpers_library import build_library, decide, tmpfs

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        drive.chmod(0o555)
        try:
            result = execute(store, plan_trash(store))
            assert result.failed == [] and len(result.moved) == 1
            assert result.moved[0][1].startswith(str(tmp_path / "home" / "data" / "Trash") + os.sep)
            assert sorted(os.listdir(drive)) == ["lib"]
            assert undo(store).complete and os.path.isfile(f["IMG_4"])
        finally:
            drive.chmod(0o755)
            store.close()


@AS_ROOT
def test_a_library_made_writable_again_keeps_the_database_its_read_only_scans_made(library, tmp_path):
    """`chmod u+w` undoes `chmod a-w`: the next scan made a new `.blurscan.db` in the library, decoded every photo
    again, and from then on every command found that one: the decisions made meanwhile and the undo history in
    the cache folder's database were out of sight (`blurscan undo PATH`: 'Nothing to undo', the moved photos
    out in --to). The scan goes on with the cache folder's database, and says so."""
    from helpers_library import decide

    root, truth = library
    read_only(root, 0o555)
    try:
        assert run("scan", root, "--model", "none", "--workers", "1").exit_code == 0
    finally:
        writable(root)
    home = Path(canonical(str(root)))
    db = _fallback_db(home)
    photo = sorted(truth)[0]
    with Store(db) as store:
        decide(store, str(photo), "discard")
    again = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert again.exit_code == 0, again.stderr
    assert (f"note: keeping the database in {db}, which holds the scans of {home} made while it could not be "
            "written, with their decisions and undo history (choose with --db)") in again.stderr
    assert f"({len(truth)} unchanged, reused)" in again.stderr
    assert not (home / ".blurscan.db").exists()
    moved = run("move", root, "--to", tmp_path / "rejects", "--yes")  # the README's way: PATH, no --db
    assert moved.exit_code == 0 and "moved 1 photo " in moved.stdout, moved.output
    assert not os.path.exists(photo)
    back = run("undo", root)
    assert back.exit_code == 0 and back.stdout.startswith("batch 1: restored 1 file"), back.output
    assert os.path.exists(photo)
