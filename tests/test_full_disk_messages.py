"""A full disk, as a walkthrough on small file systems met it (2026-12-04): ``trash --yes`` ended in a traceback
and left an empty ``.trashinfo`` behind; opening a database said "cannot commit - no transaction is active"
instead of SQLite's own reason; a thumbnail the review page could not cache left its partial temporary file.
(The file systems are simulated here: a test cannot mount one everywhere.)"""
from __future__ import annotations

import errno
import os
import sqlite3

import pytest

from blurscan.actions import trash
from blurscan.dbfile import check_ours
from blurscan.errors import ActionError
from blurscan.review.thumbs import ThumbCache
from helpers_images import save_jpeg, textured


def _full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_trash_entry_the_disk_cannot_hold_is_one_error_and_leaves_nothing(tmp_path, monkeypatch):
    info = tmp_path / "IMG_1.jpg.trashinfo"
    monkeypatch.setattr(trash.os, "fsync", _full)
    with pytest.raises(ActionError, match="IMG_1.jpg.trashinfo: cannot write the trash entry: no space left"):
        trash.write_info(str(info), "[Trash Info]\nPath=/x/IMG_1.jpg\n")
    assert not info.exists()


class _FullDiskConnection:
    """An SQLite connection whose first read fails as on a full disk, SQLite rolling the transaction back."""

    in_transaction = False

    def execute(self, sql, *args):
        if sql == "BEGIN":
            self.in_transaction = True
            return None
        if sql == "COMMIT" and not self.in_transaction:  # (SQLite's answer then)
            raise sqlite3.OperationalError("cannot commit - no transaction is active")
        self.in_transaction = False
        raise sqlite3.OperationalError("database or disk is full")


def test_a_database_the_disk_cannot_open_says_why(tmp_path):
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        check_ours(_FullDiskConnection(), str(tmp_path / "lib.db"))


def test_a_thumbnail_the_disk_cannot_hold_leaves_no_temporary_file(tmp_path, monkeypatch):
    from blurscan.review import thumbs

    photo = save_jpeg(tmp_path / "IMG_1.jpg", textured(1))
    cache = ThumbCache(tmp_path / ".blurscan-thumbs")
    monkeypatch.setattr(thumbs.os, "replace", _full)
    st = photo.stat()
    assert cache.get(str(photo), st.st_size, st.st_mtime_ns)[:2] == b"\xff\xd8"  # served all the same
    assert not list((tmp_path / ".blurscan-thumbs").rglob(".tmp-*"))


def test_a_database_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    """SQLite says "disk I/O error" when it cannot make its -wal or -shm file on a full disk: no cause named."""
    import os

    from blurscan import store as store_module
    from blurscan.store import Store

    with Store(tmp_path / "lib.db") as store:
        roomy = store._open_error(sqlite3.OperationalError("disk I/O error"))
        assert str(roomy).endswith("cannot use database: disk I/O error")  # (this disk has room)
        full = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))
        monkeypatch.setattr(store_module.os, "statvfs", lambda path: full)
        said = str(store._open_error(sqlite3.OperationalError("disk I/O error")))
        assert said.endswith("cannot use database: disk I/O error; its disk is full (0 kB free)")
        said = str(store._write_error(sqlite3.OperationalError("database or disk is full")))
        assert said.endswith("cannot write: database or disk is full; its disk is full (0 kB free)")


def test_an_undo_the_journal_stops_says_what_it_did_and_goes_on_next_time(tmp_path, monkeypatch):
    """On a nearly full library disk the journal's write after a file was put back failed: undo ended in one
    "Error: ... database or disk is full" line, with neither the files put back nor a word of what to do."""
    from click.testing import CliRunner

    from blurscan.actions import journal
    from blurscan.cli import main
    from blurscan.errors import StoreError
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    moved = runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), str(lib), "--all-blurry", "--yes"])
    assert moved.exit_code == 0 and "moved 2 photos" in moved.output, moved.output
    real, calls = journal.mark, []

    def full_after_three(store, row_id, state, **kwargs):  # (each row: `undoing`, then `undone`, since 2026-12-06)
        calls.append(row_id)
        if len(calls) > 3:  # the first row put back and marked; the second put back, its mark refused
            raise StoreError(f"{store.path}: cannot write: database or disk is full")
        return real(store, row_id, state, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(journal, "mark", full_after_three)
        stopped = runner.invoke(main, ["undo", str(lib)])
    assert stopped.exit_code == 1
    assert "batch 1: restored 2 files" in stopped.stdout  # (the second was put back; its row not marked)
    assert "stopped: " in stopped.stderr and "database or disk is full" in stopped.stderr
    assert "run `blurscan undo --batch 1" in stopped.stderr
    again = runner.invoke(main, ["undo", str(lib)])
    assert again.exit_code == 0 and again.stdout.startswith("batch 1:"), again.output
    assert not list((tmp_path / "rej").rglob("*.jpg"))


def _journal_full_after(monkeypatch, n: int) -> None:
    """``journal.mark`` refuses every write after the first ``n``, as a database on a full disk does."""
    from blurscan.actions import journal
    from blurscan.errors import StoreError

    real, calls = journal.mark, []

    def full_after(store, row_id, state, **kwargs):
        calls.append(row_id)
        if len(calls) > n:
            raise StoreError(f"{store.path}: cannot write: database or disk is full")
        return real(store, row_id, state, **kwargs)

    monkeypatch.setattr(journal, "mark", full_after)


def test_a_move_the_journal_stops_says_what_it_moved_and_undo_puts_it_back(tmp_path, monkeypatch):
    """A move whose journal write the full disk refused ended in one "Error: ... database or disk is full" line:
    neither the photos moved nor the batch to undo were said."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import make_library

    lib, rej = tmp_path / "lib", tmp_path / "rej"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with monkeypatch.context() as m:
        _journal_full_after(m, 3)  # photo 1: moving, done; photo 2: moving, then moved and not recorded
        stopped = runner.invoke(main, ["move", "--to", str(rej), str(lib), "--all-blurry", "--yes"])
    assert stopped.exit_code == 1, stopped.output
    assert "moved 2 photos (2 files" in stopped.stdout and "as batch 1" in stopped.stdout
    assert "undo with `blurscan undo --batch 1" in stopped.stdout
    assert "stopped: " in stopped.stderr and "database or disk is full" in stopped.stderr
    assert "or `blurscan undo --batch 1" in stopped.stderr and "to put back what this one moved" in stopped.stderr
    assert "run the same command again" in stopped.stderr
    assert len(list(rej.rglob("blurry_*"))) == 2 and len(list(lib.glob("blurry_*"))) == 1
    undone = runner.invoke(main, ["undo", str(lib)])
    assert undone.exit_code == 0 and "batch 1: restored 2 files" in undone.stdout, undone.output
    assert len(list(lib.glob("blurry_*"))) == 3 and not list(rej.rglob("blurry_*"))


def test_a_tag_the_journal_stops_says_what_it_tagged_and_undo_removes_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with monkeypatch.context() as m:
        _journal_full_after(m, 3)  # sidecar 1: writing, done; sidecar 2: writing, then written and not recorded
        stopped = runner.invoke(main, ["tag", "--xmp", str(lib), "--all-blurry"])
    assert stopped.exit_code == 1, stopped.output
    assert "tagged 2 photos (0 sidecars merged, 2 created) as batch 1" in stopped.stdout, stopped.output
    assert "stopped: " in stopped.stderr and "database or disk is full" in stopped.stderr
    assert len(list(lib.glob("*.xmp"))) == 2
    undone = runner.invoke(main, ["undo", str(lib)])
    assert undone.exit_code == 0, undone.output
    assert not list(lib.glob("*.xmp"))


def test_a_move_stopped_between_a_photo_and_its_sidecar_names_it_and_a_later_batch_leaves_undo_clean(
        tmp_path, monkeypatch):
    """Stopped after a photo went and before its sidecar: the sidecar stayed unsaid (no later move takes it), and
    after the advised re-run, `undo --batch 1` failed on every file batch 2 had taken ("journal says it was never
    moved, but it is missing"), again and again."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import make_library

    lib, rej = tmp_path / "lib", tmp_path / "rej"
    make_library(lib, n_blurry=4)
    for photo in lib.glob("blurry_*"):
        (lib / (photo.stem + ".xmp")).write_text("<x:xmpmeta/>")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with monkeypatch.context() as m:
        _journal_full_after(m, 6)  # photo 1 and its sidecar (moving, done each), photo 2; its sidecar refused
        stopped = runner.invoke(main, ["move", "--to", str(rej), str(lib), "--all-blurry", "--yes"])
    assert stopped.exit_code == 1, stopped.output
    assert "moved 2 photos (3 files" in stopped.stdout, stopped.output
    left = [line for line in stopped.stderr.splitlines() if line.startswith("left behind: ")]
    assert len(left) == 1 and ".xmp: its photo was moved" in left[0], stopped.stderr
    assert "make room, then run the same command again" in stopped.stderr
    again = runner.invoke(main, ["move", "--to", str(rej), str(lib), "--all-blurry", "--yes"])
    assert again.exit_code == 0 and "moved 2 photos (4 files" in again.stdout, again.output
    first = runner.invoke(main, ["undo", "--batch", "1", str(lib)])
    assert first.exit_code == 0 and "could not be restored" not in first.output, first.output
    photos = lambda: [p for p in lib.glob("blurry_*") if p.suffix != ".xmp"]  # noqa: E731
    assert len(photos()) == 2 and len(list(lib.glob("*.xmp"))) == 2  # batch 1's back, beside the one left behind
    assert runner.invoke(main, ["undo", str(lib)]).exit_code == 0
    assert len(photos()) == 4 and len(list(lib.glob("*.xmp"))) == 4
    assert not [p for p in rej.rglob("*") if p.is_file()]


def test_a_move_the_journal_stops_before_any_photo_offers_no_undo(tmp_path, monkeypatch):
    """Stopped at its first journal write (a full disk): the summary said "nothing to undo" and the next line
    advised `blurscan undo --batch 1` "to put back what this one moved", which moved nothing (until 2026-12-06).
    Then "moved 0 photos (0 files, 0 bytes) to ... as batch 1; nothing to undo." came first on stdout, a summary
    of nothing done read before the failure (until 2026-12-07; reproduced with the library on a tmpfs with 13
    pages free): the "stopped:" line comes alone."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import make_library

    lib, rej = tmp_path / "lib", tmp_path / "rej"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    with monkeypatch.context() as m:
        _journal_full_after(m, 0)
        stopped = runner.invoke(main, ["move", "--to", str(rej), str(lib), "--all-blurry", "--yes"])
    assert stopped.exit_code == 1, stopped.output
    assert stopped.stdout == "", stopped.output  # (no "moved 0 photos ...")
    assert stopped.stderr.startswith("stopped: ") and "database or disk is full; no photo was moved: make room, " \
        "then run the same command again to take them" in stopped.stderr, stopped.stderr
    assert "undo" not in stopped.stderr, stopped.stderr
    assert len(list(lib.glob("blurry_*"))) == 3


def test_a_tag_undo_the_journal_stops_after_a_failure_says_it_stopped(tmp_path, monkeypatch):
    """An undo of a tag batch with a sidecar that could not be put back, then stopped by the journal (a full disk:
    reproduced with the database on a small tmpfs), ended on its failure: the "stopped:" line, which says the
    sidecars not listed are as they were and how to go on, was never written (a move's undo wrote it)."""
    from click.testing import CliRunner

    from blurscan.actions import journal
    from blurscan.cli import main
    from blurscan.store import Store
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib, n_blurry=3)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    before = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' \
             b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF>' \
             b'</x:xmpmeta>\n'
    photos = sorted(lib.glob("blurry_*"))
    for photo in photos:
        (lib / (photo.name + ".xmp")).write_bytes(before)
    tagged = runner.invoke(main, ["tag", "--xmp", str(lib), "--all-blurry"])
    assert tagged.exit_code == 0 and "(3 sidecars merged, 0 created) as batch 1" in tagged.stdout, tagged.output
    with Store(lib / ".blurscan.db") as store:
        copies = sorted(os.scandir(journal.backup_dir(store, 1)), key=lambda e: int(e.name.split("-")[0]))
    with open(copies[-1].path, "wb") as f:  # the copy of the sidecar undone first, damaged
        f.write(b"damaged")
    with monkeypatch.context() as m:
        _journal_full_after(m, 3)  # sidecar 3: undoing, failed; sidecar 2: undoing, put back, its mark refused
        stopped = runner.invoke(main, ["undo", str(lib)])
    assert stopped.exit_code == 1, stopped.output
    assert "is damaged (SHA-256 differs); left as it is" in stopped.stderr
    assert "batch 1: restored 1 sidecar to its bytes from before tagging, 1 could not be restored" in stopped.stdout
    assert "stopped: " in stopped.stderr and "database or disk is full" in stopped.stderr, stopped.output
    assert "run `blurscan undo --batch 1" in stopped.stderr
    assert sum((lib / (p.name + ".xmp")).read_bytes() == before for p in photos) == 1
