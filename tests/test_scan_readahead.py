"""A scan asks the system for the next photo's bytes before it reads and scores this one (blurscan.readahead), so
that a slow drive (SD card, USB 2 disk, NAS) reads while the processor scores. Until 2026-12-06 each photo was
read only when the one before was scored: the drive idled while a photo was scored. Counted, not timed: the
system calls of a real in-process scan (``--workers 1``), each photo still read once, whole."""
from __future__ import annotations

import os
import threading

import pytest

from blurscan.readahead import hint
from blurscan.records import ImageRef
from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured

pytestmark = pytest.mark.skipif(not hasattr(os, "posix_fadvise") or not os.path.isdir("/proc/self/fd"),
                                reason="posix_fadvise and /proc/self/fd (Linux)")


def _named(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _spy(monkeypatch, folder) -> list[tuple]:
    """``("hint", path, length)`` for each WILLNEED hint and ``("read", path, bytes)`` for each read of a file
    under ``folder``, in order."""
    events: list[tuple] = []
    real_read, real_advise = os.read, os.posix_fadvise
    inside = os.path.realpath(folder) + os.sep

    def read(fd, n):
        data = real_read(fd, n)
        name = _named(fd)
        if name.startswith(inside):
            events.append(("read", name, len(data)))
        return data

    def advise(fd, offset, length, advice):
        name = _named(fd)
        if name.startswith(inside) and advice == os.POSIX_FADV_WILLNEED:
            events.append(("hint", name, length))
        return real_advise(fd, offset, length, advice)

    monkeypatch.setattr(os, "read", read)
    monkeypatch.setattr(os, "posix_fadvise", advise)
    return events


def test_the_next_photo_is_asked_for_before_this_one_is_read(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    photos = [os.path.realpath(save_jpeg(lib / f"IMG_{i}.jpg", textured(i, (480, 640)))) for i in range(4)]
    events = _spy(monkeypatch, lib)
    result = run("scan", lib, "--workers", "1", "--format", "jsonl", "--db", tmp_path / "s.db")
    assert result.exit_code == 0, result.output
    assert {r["status"] for r in jsonl(result.stdout)} == {"ok"}
    reads = [e for e in events if e[0] == "read" and e[2]]
    order = list(dict.fromkeys(e[1] for e in reads))  # the order the scan read them in
    assert sorted(order) == sorted(photos)
    for path in photos:  # each read once, whole (the hint reads nothing itself)
        assert sum(e[2] for e in reads if e[1] == path) == os.path.getsize(path)
    hints = {e[1]: e for e in events if e[0] == "hint"}
    assert set(hints) == set(order[1:])  # (the first is read at once: nothing to overlap it with)
    for before, after in zip(order, order[1:]):
        assert hints[after][2] == os.path.getsize(after)
        # asked for before the photo ahead of it is read, so the drive reads it while that one is scored
        assert events.index(hints[after]) < events.index(next(e for e in reads if e[1] == before))


def test_a_hint_never_waits_nor_fails(tmp_path):
    fifo = tmp_path / "IMG_1.jpg"  # a named pipe put in a photo's place after the walk: no writer ever comes
    os.mkfifo(fifo)
    done = threading.Event()

    def hints():
        hint(ImageRef(path=str(fifo), size=1000, mtime_ns=0))
        hint(ImageRef(path=str(tmp_path / "gone.jpg"), size=1000, mtime_ns=0))
        hint(ImageRef(path=str(tmp_path), size=1000, mtime_ns=0))  # a folder
        done.set()

    thread = threading.Thread(target=hints, daemon=True)
    thread.start()
    thread.join(10)
    assert done.is_set()


def test_each_task_for_a_worker_process_has_its_first_photo_asked_for(tmp_path, monkeypatch):
    from blurscan import scan_workers

    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)  # a pool for these few small photos
    lib = tmp_path / "lib"
    photos = [os.path.realpath(save_jpeg(lib / f"IMG_{i}.jpg", textured(i))) for i in range(4)]
    events = _spy(monkeypatch, lib)  # (the parent's calls: the workers' own are another process's)
    result = run("scan", lib, "--workers", "2", "--format", "jsonl", "--db", tmp_path / "s.db")
    assert result.exit_code == 0, result.output
    assert {r["status"] for r in jsonl(result.stdout)} == {"ok"}
    # four tasks of one photo each (blurscan.pipeline._chunks): each asked for as it is handed to the pool, the
    # parent reading nothing itself
    assert sorted(e[1] for e in events if e[0] == "hint") == sorted(photos)
    assert not [e for e in events if e[0] == "read"]


def test_a_worker_process_asks_for_each_photo_of_its_task_after_the_first(tmp_path, monkeypatch):
    """What a worker process does with a task (``scan_workers._work``, run here in this process so that its calls are
    seen): the photos after the first asked for before the one ahead of them is read; the parent asked for the
    first. Mutation testing, 2026-12-06: a worker that hinted nothing went unnoticed (the default scan, with worker
    processes, gained nothing on a slow drive)."""
    from blurscan import scan_workers
    from blurscan.config import ScanSettings
    from blurscan.filetime import mtime_of

    lib = tmp_path / "lib"
    photos = [os.path.realpath(save_jpeg(lib / f"IMG_{i}.jpg", textured(i, (240, 320)))) for i in range(3)]
    refs = [ImageRef(path, os.stat(path).st_size, mtime_of(os.stat(path))) for path in photos]
    monkeypatch.setitem(scan_workers._WORKER, "settings", ScanSettings(model="none", workers=1))
    monkeypatch.setitem(scan_workers._WORKER, "model", None)
    events = _spy(monkeypatch, lib)
    assert [r.status for r in scan_workers._work(refs)] == ["ok"] * 3
    hints = [e for e in events if e[0] == "hint"]
    assert [e[1] for e in hints] == photos[1:]
    for before, hinted in zip(photos, hints):
        assert events.index(hinted) < events.index(next(e for e in events if e[0] == "read" and e[1] == before))


def test_a_hint_asks_for_64_mib_at_most_and_nothing_of_a_file_the_scan_will_not_read(tmp_path, monkeypatch):
    """A large TIFF or RAW is asked for up to :data:`MOST_BYTES` (the rest is read as it is decoded); a file larger
    than ``--max-pixels`` lets the scan read, or one that was empty when the walk saw it (a length of 0 asks for
    the whole file), not at all. Sparse files: nothing is written. Mutation testing, 2026-12-06: each limit left
    out went unnoticed."""
    from blurscan.fileread import max_file_bytes
    from blurscan.readahead import MOST_BYTES

    lib = tmp_path / "lib"
    lib.mkdir()
    big = lib / "huge.tif"
    with open(big, "wb") as f:
        f.truncate(max_file_bytes(2))  # (8 bytes a pixel and 256 MiB)
    events = _spy(monkeypatch, lib)
    size = big.stat().st_size
    hint(ImageRef(str(big), size, 0))
    hint(ImageRef(str(big), size, 0), max_pixels=1)  # (8 bytes too many)
    hint(ImageRef(str(big), size, 0), max_pixels=2)  # (just within)
    hint(ImageRef(str(big), 0, 0))  # empty when the walk saw it
    assert [e[2] for e in events if e[0] == "hint"] == [MOST_BYTES, MOST_BYTES]
