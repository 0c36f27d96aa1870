"""Run as root where users may link others' files (``fs.protected_hardlinks=0``): a database whose ``-wal`` / ``-shm``
or folder its owner may not write (:func:`blurscan.fs_owner.owners_refusal`) is refused at start by the commands
that ask before they write: ``review`` (a page whose decisions could not be kept) and the dry runs of ``move``,
``trash`` and ``tag`` (whose real run could not write), as a database this process may not write is. Until
2026-12-07 they went on: root's SQLite opened it for reading only without a word, the page started (with no note
for the -wal, with one for bob's database) and refused each keep or discard, and the dry run said 'add --yes to
move', which then failed."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from blurscan import fs_owner
from helpers_cli import run
from helpers_library import build_library, decide
from helpers_os import give_all, users_unknown

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not os.path.exists("/proc/self/task"),
                             reason="only root's runs take the database owner's rights (Linux)")
ALICE, BOB = (64531, 64531), 64541


@pytest.fixture
def alices_library(monkeypatch):
    """A scanned library of alice's (``IMG_1.JPG`` marked discard) in a folder every user may go through, the
    owner's rights taken (as where ``fs.protected_hardlinks`` is 0)."""
    from blurscan.review.server import ReviewServer

    monkeypatch.setattr(fs_owner, "others_files_linkable", lambda: True)
    monkeypatch.setattr(ReviewServer, "wait", lambda self: None)  # (a page that starts returns at once, not served)
    base = Path(tempfile.mkdtemp(prefix="blurscan-start-"))
    try:
        os.chmod(base, 0o755)
        lib = base / "lib"
        store, files = build_library(lib)
        decide(store, files["IMG_1"], "discard")
        store.close()
        give_all(lib, ALICE)
        yield lib
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _one_line(output: str) -> str:
    return " ".join(output.split())  # (the message as one line, whatever the terminal's width)


@AS_ROOT
def test_roots_review_and_dry_run_refuse_a_wal_its_owner_may_not_write(alices_library, monkeypatch):
    lib = alices_library
    monkeypatch.setenv("XDG_CACHE_HOME", str(lib.parent / "cache"))
    wal = lib / ".blurscan.db-wal"
    wal.write_bytes(b"")  # (root's, 0644: left by an earlier program)
    said = f"its -wal file {wal} (owner root, mode 0644) may not be written by "
    for args in (("review", lib, "--no-browser"), ("move", lib, "--to", lib.parent / "rejects"), ("trash", lib),
                 ("tag", lib, "--xmp", "--dry-run")):
        out = run(*args)
        line = _one_line(out.output)
        assert out.exit_code == 1, (args, out.output)  # (the page did not start; no 'add --yes to move')
        assert said in line and "give it to" in line and "run blurscan as" in line, (args, line)
        assert "reading only" not in line and "I/O error" not in line and "Review page" not in line
    assert wal.stat().st_uid == 0 and wal.stat().st_size == 0  # (left as it was)
    assert not (lib.parent / "rejects").exists() and os.path.exists(lib / "a" / "IMG_1.JPG")
    assert not os.path.exists(lib / "a" / "IMG_1.JPG.xmp.part")


@AS_ROOT
def test_roots_review_refuses_bobs_database_in_alices_folder(alices_library, monkeypatch):
    """Bob, of no name here, is ``user N`` (until 2026-12-07 a bare number: 'may not be written by 64541')."""
    lib = alices_library
    users_unknown(monkeypatch, (BOB,))
    monkeypatch.setenv("XDG_CACHE_HOME", str(lib.parent / "cache"))
    os.chown(lib / ".blurscan.db", BOB, BOB)  # (bob's database in alice's folder, 0755)
    for args in (("review", lib, "--no-browser"), ("move", lib, "--to", lib.parent / "rejects")):
        out = run(*args)
        line = _one_line(out.output)
        assert out.exit_code == 1, (args, out.output)
        assert f"its folder {lib} (owner " in line and f"may not be written by user {BOB}, the database's owner" in line
        assert "give the database to one who may write the folder" in line and "note:" not in line, line
    assert not any(p.name.startswith(".blurscan.db-") for p in lib.iterdir())


@AS_ROOT
def test_roots_review_and_dry_run_go_on_where_the_owner_may_write_them(alices_library, monkeypatch):
    """Not refused where the owner may write the -wal (theirs) and the folder: the dry run plans the move."""
    lib = alices_library
    wal = lib / ".blurscan.db-wal"
    wal.write_bytes(b"")
    os.chown(wal, *ALICE)
    out = run("move", lib, "--to", lib.parent / "rejects")
    assert out.exit_code == 0, out.output
    assert "would move a/IMG_1.JPG" in out.output and "add --yes" in out.output


@AS_ROOT
def test_roots_undo_and_tag_refuse_a_wal_its_owner_may_not_write_before_any_summary(alices_library, monkeypatch):
    """The real runs of ``undo`` and ``tag --xmp`` refuse it at start too, as ``move --yes`` does: they printed
    "batch 1: restored 0 files." and "tagged 0 photos; no sidecar was written" on stdout, then the owner's line
    as "stopped: ..." (until 2026-12-07)."""
    lib = alices_library
    rejects = lib.parent / "rejects"
    moved = run("move", lib, "--to", rejects, "--yes")
    assert moved.exit_code == 0 and "as batch 1" in moved.stdout, moved.output
    wal = lib / ".blurscan.db-wal"
    wal.write_bytes(b"")  # (root's, 0644: left by an earlier program)
    for args in (("undo", lib), ("tag", lib, "--xmp")):
        out = run(*args)
        assert out.exit_code == 1 and out.stdout == "", (args, out.output)
        line = _one_line(out.stderr)
        assert line.startswith("Error: ") and f"its -wal file {wal} (owner root, mode 0644) may not be written by " \
            in line and "stopped:" not in line, (args, line)
    assert os.path.exists(rejects / "a" / "IMG_1.JPG") and not os.path.exists(lib / "a" / "IMG_1.JPG")
    assert not list(lib.rglob("*.xmp.part")) and not os.path.exists(lib / "a" / "IMG_2.jpg.xmp")
