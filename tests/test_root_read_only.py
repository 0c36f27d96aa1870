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
