"""``undo`` and ``tag --xmp`` refuse at start a database they could not write, as ``move --yes`` and every dry
run do (:func:`blurscan.cli.opendb.open_store`): one ``Error:`` line on stderr, nothing on stdout, exit 1. SQLite
opens a database this user may not write (its file read-only in a folder they may write) for reading only without
a word, and until 2026-12-07 only the first journal write said so: ``undo`` printed "batch 1: restored 0 files."
and ``tag --xmp`` "tagged 0 photos; no sidecar was written, so there is nothing to undo." on stdout, then the
refusal as "stopped: ..." on stderr, a success read before the failure."""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_library import build_library, decide, snapshot
from helpers_os import NOBODY, give_all, run_unprivileged


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to become nobody")
def test_undo_and_tag_of_a_read_only_database_refuse_at_start_with_no_summary():
    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-start-"))
    try:
        base.chmod(0o755)
        lib, rejects = base / "lib", base / "rejects"
        store, files = build_library(lib)
        decide(store, files["IMG_1"], "discard")
        store.close()
        moved = CliRunner().invoke(main, ["move", "--to", str(rejects), "--yes", str(lib)])
        assert moved.exit_code == 0 and "as batch 1" in moved.stdout, moved.output
        give_all(base, (NOBODY, NOBODY))
        (lib / ".blurscan.db").chmod(0o444)  # (nobody's own, read-only; its folder nobody may write)
        before = snapshot(lib, rejects)

        def attempt():
            said = []
            for args in (["undo", str(lib)], ["tag", "--xmp", str(lib)]):
                out = CliRunner().invoke(main, args)
                said.append([out.exit_code, out.stdout, out.stderr])
            return said

        for code, stdout, stderr in run_unprivileged(attempt):
            assert code == 1 and stdout == "", (stdout, stderr)  # (no "restored 0 files." / "tagged 0 photos")
            assert stderr.startswith(f"Error: {lib / '.blurscan.db'}: cannot write: the database is read-only: "
                                     "the file is not writable by this user"), stderr
            assert len(stderr.splitlines()) == 1 and "stopped:" not in stderr, stderr
        assert snapshot(lib, rejects) == before  # (nothing put back, no sidecar written)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def _locked(db, monkeypatch):
    """Another program writing to ``db`` (a transaction held open), and SQLite's wait for it 0.2 s (30 s by
    default)."""
    from blurscan.store import Store

    monkeypatch.setitem(Store.__init__.__kwdefaults__, "timeout", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_undo_the_journal_stops_at_its_first_write_says_only_that(tmp_path, monkeypatch):
    """Stopped at its first journal write (the database locked by another program past SQLite's 30 s, a full
    disk), ``undo`` printed "batch 1: restored 0 files." on stdout before the
    "stopped:" line (until 2026-12-07). Now the "stopped:" line alone, saying nothing was done, exit 1."""
    from helpers_images import make_library

    lib, rej = tmp_path / "lib", tmp_path / "rej"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    moved = runner.invoke(main, ["move", "--to", str(rej), str(lib), "--all-blurry", "--yes"])
    assert moved.exit_code == 0 and "moved 3 photos" in moved.stdout, moved.output
    before = snapshot(lib, rej)
    with monkeypatch.context() as m, _locked(lib / ".blurscan.db", m):
        undone = runner.invoke(main, ["undo", str(lib)])
    assert undone.exit_code == 1 and undone.stdout == "", undone.output  # (no "batch 1: restored 0 files.")
    assert undone.stderr.startswith(f"stopped: {lib / '.blurscan.db'}: cannot write: database is locked") and \
        "; no file was put back: once the database can be written again, run `blurscan undo --batch 1 " \
        in undone.stderr, undone.stderr
    assert snapshot(lib, rej) == before
    assert runner.invoke(main, ["undo", str(lib)]).exit_code == 0  # (the next undo puts them back)
    assert not list(rej.rglob("blurry_*"))


def test_a_tag_the_journal_stops_at_its_first_write_says_only_that(tmp_path, monkeypatch):
    """As for undo above: ``tag --xmp`` printed "tagged 0 photos; no sidecar was written, so there is nothing to
    undo." on stdout before the "stopped:" line (until 2026-12-07)."""
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with monkeypatch.context() as m, _locked(lib / ".blurscan.db", m):
        tagged = runner.invoke(main, ["tag", "--xmp", str(lib), "--all-blurry"])
    assert tagged.exit_code == 1 and tagged.stdout == "", tagged.output  # (no "tagged 0 photos; ...")
    assert tagged.stderr.startswith(f"stopped: {lib / '.blurscan.db'}: cannot write: database is locked") and \
        "; no photo was tagged: once the database can be written again, run the same command again to tag them" \
        in tagged.stderr, tagged.stderr
    assert not list(lib.rglob("*.xmp"))
