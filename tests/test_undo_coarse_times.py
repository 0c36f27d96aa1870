"""Undo from a ``--to`` on a drive whose file system keeps times less precisely (FAT, exFAT, ext2/3 with 128-byte
inodes: to the second or 2 s) gave the photos put back the drive's truncated modification time: the next scan took
them for changed, scanned them again, and their review decisions (made on size and time) no longer applied. Undo
now gives them back the time the journal kept, when the one they came back with is that time, coarser.

The drive is played without a mount: the move is made to copy (as across devices), and the moved copies' times
are truncated by hand, as such a drive does."""
from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.store import Store
from helpers_library import build_library, decide, force_cross_device, sha
from helpers_os import names

FRACTION_NS = 734_123_456  # the originals' times: 2024-06-01 12:00:00.734123456


@pytest.mark.parametrize("resolution_ns, up", [(1_000_000_000, False), (2_000_000_000, False), (10_000_000, False),
                                               (2_000_000_000, True)])
def test_undo_from_a_drive_with_coarser_times_keeps_the_originals_time_and_decision(
        tmp_path, monkeypatch, resolution_ns, up):
    """``up``: a drive that rounds the time up to its resolution rather than cutting it (Windows' FAT driver)."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    runner = CliRunner()
    for path in f.values():
        os.utime(path, ns=(1_717_243_200 * 10**9, 1_717_243_200 * 10**9 + FRACTION_NS))
    scanned = runner.invoke(main, ["scan", str(root), "--model", "none"])
    assert scanned.exit_code == 0, scanned.output
    with Store(root / ".blurscan.db") as store:
        decide(store, f["IMG_2"], "discard")  # a/IMG_2.jpg, with its IMG_2.AAE
    before = {p: (sha(p), os.stat(p).st_mtime_ns) for p in f.values()}
    force_cross_device(monkeypatch)
    rej = tmp_path / "rej"
    moved = runner.invoke(main, ["move", str(root), "--to", str(rej), "--yes"])
    assert moved.exit_code == 0, moved.output
    copies = [os.path.join(folder, name) for folder, _, names in os.walk(rej) for name in names]
    assert len(copies) == 2
    for copy in copies:  # what the drive kept of the times
        mtime = os.stat(copy).st_mtime_ns
        os.utime(copy, ns=(mtime, mtime - mtime % resolution_ns + (resolution_ns if up else 0)))
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert {p: (sha(p), os.stat(p).st_mtime_ns) for p in f.values()} == before
    again = runner.invoke(main, ["scan", str(root), "--model", "none"])
    assert again.exit_code == 0, again.output
    assert re.search(r"scanned 6 files: .* \((\d+) unchanged, reused\)", again.stderr).group(1) == "6"  # none again
    report = runner.invoke(main, ["report", str(root)])
    line = next(line for line in report.output.splitlines() if line.rstrip().endswith("a/IMG_2.jpg"))
    assert "(discarded)" in line


def test_undo_keeps_the_time_of_a_copy_touched_in_the_to_folder(tmp_path, monkeypatch):
    """A time that is not the journaled one, coarser (the copy touched in the ``--to`` folder, its bytes the same),
    is the one the file comes back with, as before."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_4"], "discard")
    store.close()
    force_cross_device(monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    copy = tmp_path / "rej" / "b" / "c" / "IMG_4.jpg"
    touched = os.stat(copy).st_mtime_ns + 5 * 10**9
    os.utime(copy, ns=(touched, touched))
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert os.stat(f["IMG_4"]).st_mtime_ns == touched


@pytest.mark.parametrize("how", ["undo killed before removing the copy", "moved back by hand"])
def test_a_photo_back_from_a_drive_with_coarser_times_by_another_way_gets_its_time(tmp_path, monkeypatch, how):
    """An undo killed once the photo's copy back was in place, before it removed the one in ``--to``: the undo run
    again found the photo at both places, removed the ``--to`` one (said to be left by an interrupted *move*) and
    left the photo with the drive's cut time, as it did a photo moved back by hand; the next scan took it for
    changed. The time is the journal's now, and the note says what was interrupted."""
    from test_actions_undo import Killed, _kill_when

    from blurscan.actions import moves, undo

    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    photo = f["IMG_4"]
    os.utime(photo, ns=(1_717_243_200 * 10**9, 1_717_243_200 * 10**9 + FRACTION_NS))
    assert CliRunner().invoke(main, ["scan", str(root), "--model", "none"]).exit_code == 0
    store = Store(root / ".blurscan.db")
    decide(store, photo, "discard")
    before = (sha(photo), os.stat(photo).st_mtime_ns)
    with monkeypatch.context() as mp:
        force_cross_device(mp)
        rej = tmp_path / "rej"
        assert CliRunner().invoke(main, ["move", str(root), "--to", str(rej), "--yes"]).exit_code == 0
        copy = rej / "b" / "c" / "IMG_4.jpg"
        mtime = os.stat(copy).st_mtime_ns
        os.utime(copy, ns=(mtime, mtime - mtime % 2_000_000_000))  # FAT
        if how == "moved back by hand":
            os.rename(copy, photo)
        else:
            _kill_when(mp, moves.os, "unlink", lambda path, *a, **k: names(path, copy, k))
            with pytest.raises(Killed):
                undo(store)
            assert os.path.exists(copy) and sha(photo) == before[0] and os.stat(photo).st_mtime_ns != before[1]
    store.close()
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert (sha(photo), os.stat(photo).st_mtime_ns) == before and not os.path.exists(copy)
    if how == "moved back by hand":
        assert "1 already back in place (put back by hand)" in out.stdout
    else:
        assert out.stderr == (f"note: removed {copy}, a copy of {photo} left by an interrupted undo, or a copy put "
                              "back by hand (the same bytes: the photo is at its place)\n")


@pytest.mark.parametrize("was, kept", [
    ("1975-06-01T12:00:00.250", "1980-01-01T00:00:00"),       # FAT, exFAT: their earliest time
    ("1975-06-01T12:00:00", "1980-01-01T09:00:00"),           # the same, on a drive in the time zone UTC-9
    ("2040-03-01T10:00:00", "2038-01-19T03:14:07"),           # 32-bit times (ext4 with 128-byte inodes): the latest
    ("2045-01-01T00:00:00", "2040-02-06T06:28:15"),           # HFS+: the latest
    ("1890-05-01T12:00:00", "1901-12-13T20:45:52"),           # 32-bit times: the earliest
])
def test_undo_from_a_drive_that_cannot_keep_the_photos_date_gives_it_back(tmp_path, monkeypatch, was, kept):
    """A photo dated beyond what the ``--to`` drive keeps (a scanned slide dated 1975 by its EXIF, on a FAT drive)
    was given the drive's earliest or latest time there, and came back with it: its date lost, scanned again, its
    decision no longer applying. It gets its journaled time back, as from a drive of coarser times."""
    import datetime as dt

    def ns(text):
        return round(dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp() * 10**6) * 1000

    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    photo = f["IMG_4"]
    os.utime(photo, ns=(ns(was), ns(was)))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(root), "--model", "none"]).exit_code == 0
    with Store(root / ".blurscan.db") as store:
        decide(store, photo, "discard")
    before = (sha(photo), os.stat(photo).st_mtime_ns)
    force_cross_device(monkeypatch)
    rej = tmp_path / "rej"
    assert runner.invoke(main, ["move", str(root), "--to", str(rej), "--yes"]).exit_code == 0
    copy = rej / "b" / "c" / "IMG_4.jpg"
    os.utime(copy, ns=(ns(kept), ns(kept)))  # what the drive kept of the time
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert (sha(photo), os.stat(photo).st_mtime_ns) == before
    again = runner.invoke(main, ["scan", str(root), "--model", "none"])
    assert re.search(r"\((\d+) unchanged, reused\)", again.stderr).group(1) == "6"
    report = runner.invoke(main, ["report", str(root)])
    assert "(discarded)" in next(line for line in report.output.splitlines() if line.rstrip().endswith("IMG_4.jpg"))


def test_undo_keeps_a_time_near_a_drives_edge_that_the_photo_was_not_beyond(tmp_path, monkeypatch):
    """A copy in ``--to`` touched to 1980-01-01 while the photo was dated later is the time it comes back with."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_4"], "discard")
    store.close()
    force_cross_device(monkeypatch)
    assert CliRunner().invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    copy = tmp_path / "rej" / "b" / "c" / "IMG_4.jpg"
    os.utime(copy, ns=(315_532_800 * 10**9, 315_532_800 * 10**9))
    assert CliRunner().invoke(main, ["undo", str(root)]).exit_code == 0
    assert os.stat(f["IMG_4"]).st_mtime_ns == 315_532_800 * 10**9


def test_undo_keeps_a_time_near_a_drives_edge_that_is_no_whole_second(tmp_path, monkeypatch):
    """A copy in ``--to`` touched to 1980-01-01 00:00:00.5 (no drive gives an edge time a fraction of a second) while
    the photo was dated 1975 is the time it comes back with: that time was set, not the drive's edge."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    os.utime(f["IMG_4"], ns=(170_000_000 * 10**9, 170_000_000 * 10**9))  # 1975-05-22
    assert CliRunner().invoke(main, ["scan", str(root), "--model", "none"]).exit_code == 0
    with Store(root / ".blurscan.db") as store:
        decide(store, f["IMG_4"], "discard")
    force_cross_device(monkeypatch)
    assert CliRunner().invoke(main, ["move", str(root), "--to", str(tmp_path / "rej"), "--yes"]).exit_code == 0
    copy = tmp_path / "rej" / "b" / "c" / "IMG_4.jpg"
    touched = 315_532_800 * 10**9 + 500_000_000
    os.utime(copy, ns=(touched, touched))
    assert CliRunner().invoke(main, ["undo", str(root)]).exit_code == 0
    assert os.stat(f["IMG_4"]).st_mtime_ns == touched
