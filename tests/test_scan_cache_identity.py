"""The scan path after decoding: what a scan stores as a file's identity for the cache, when it writes, what it
forgets, what the walk takes for one file, and what becomes of a file it cannot score. Each test holds a case
that mutation testing of pipeline, store, batches and walk found unheld on 2026-12-05."""
from __future__ import annotations

import os

import pytest

import blurscan
from blurscan import decode
from blurscan.config import ScanSettings

from helpers_images import save_jpeg, save_png, textured

S1 = ScanSettings(workers=1, model="none")


def _scan(paths, db, **kw):
    return {r.path: r for r in blurscan.scan(paths, S1, db=db, **kw)}


def test_a_file_changed_after_the_walk_is_stored_as_decoded_and_reused_by_the_next_scan(tmp_path, decode_calls):
    """A photo re-saved between the walk and its decoding is scored as it is now, under the modification time
    of the bytes decoded, not the walk's: the next scan finds it unchanged and decodes nothing."""
    root = tmp_path / "lib"
    photo = save_jpeg(root / "a.jpg", textured(1))
    later = os.stat(photo).st_mtime_ns + 7_000_000_000

    def progress(done, total):
        if done == 0:  # the walk is over, nothing decoded yet: the photo is edited in place
            save_jpeg(photo, textured(2))
            os.utime(photo, ns=(later, later))

    first = _scan([root], tmp_path / "x.db", progress=progress)
    assert first[str(photo)].mtime_ns == later and first[str(photo)].size == os.path.getsize(photo)
    decode_calls.clear()
    again = _scan([root], tmp_path / "x.db")
    assert again[str(photo)].cached and decode_calls == []
    assert again[str(photo)].laplacian_var == first[str(photo)].laplacian_var


def test_an_unexpected_error_on_one_file_is_its_error_record_and_the_scan_goes_on(tmp_path, monkeypatch):
    """A bug or a library's unexpected exception (here a TypeError from the decoder) costs its file only."""
    root = tmp_path / "lib"
    bad, good = save_jpeg(root / "a.jpg", textured(1)), save_jpeg(root / "b.jpg", textured(2))
    real = decode.decode

    def decoder(path, *args, **kw):
        if os.fsdecode(path) == str(bad):
            raise TypeError("unexpected")
        return real(path, *args, **kw)

    monkeypatch.setattr(decode, "decode", decoder)
    records = _scan([root], tmp_path / "x.db")
    assert records[str(good)].status == "ok"
    assert records[str(bad)].status == "error" and records[str(bad)].error == "internal error: TypeError: unexpected"


def test_a_thin_photo_scanned_at_another_analysis_size_is_reused_by_the_next_scan(tmp_path, decode_calls):
    """A 800 x 48 strip is analysed larger than fitted at --analysis-size 512 (not at 1024): its record says so
    for the size it was scanned at, so the next scan at that size reuses it instead of scoring it every time."""
    settings = ScanSettings(workers=1, model="none", analysis_long_side=512)
    strip = save_png(tmp_path / "lib" / "strip.png", textured(3, (48, 800)))
    first = {r.path: r for r in blurscan.scan([tmp_path / "lib"], settings, db=tmp_path / "x.db")}
    assert first[str(strip)].status == "ok"
    decode_calls.clear()
    again = {r.path: r for r in blurscan.scan([tmp_path / "lib"], settings, db=tmp_path / "x.db")}
    assert again[str(strip)].cached and decode_calls == []


def test_one_folder_given_as_bytes_is_scanned_as_one_path(tmp_path):
    """``scan(b"/photos")`` is one path, as ``os.fsencode`` gives it, not a sequence of numbers."""
    photo = save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    records = _scan(os.fsencode(tmp_path / "lib"), tmp_path / "x.db")
    assert list(records) == [str(photo)] and records[str(photo)].status == "ok"


def test_photos_of_two_disks_with_the_same_inode_number_are_two_photos(tmp_path):
    """The walk tells files apart by device *and* inode: two memory cards mounted in the library number their
    first files alike (here two fresh tmpfs, inode 2 each), and both are photos."""
    from helpers_library import tmpfs

    root = tmp_path / "lib"
    with tmpfs(root / "card1"), tmpfs(root / "card2"):
        one = save_jpeg(root / "card1" / "a.jpg", textured(1))
        two = save_jpeg(root / "card2" / "a.jpg", textured(2))
        if os.stat(one).st_ino != os.stat(two).st_ino:  # (what makes the case: tmpfs numbers per mount since Linux 5.9)
            pytest.skip("this kernel's tmpfs mounts share one inode counter")
        records = _scan([root], tmp_path / "x.db")
    assert sorted(records) == [str(one), str(two)]


def test_walk_errors_have_every_jsonl_key_too(tmp_path):
    """The records of problems the walk meets (a FIFO named like a photo, a broken link) are JSONL objects with
    every key of a scored photo's, their scores None, as a file that failed to decode has."""
    from helpers_cli import jsonl, run

    root = tmp_path / "lib"
    save_jpeg(root / "a.jpg", textured(1))
    os.mkfifo(root / "pipe.jpg")
    os.symlink(root / "nowhere.jpg", root / "gone.jpg")
    result = run("scan", root, "--format", "jsonl", "--model", "none", "--workers", "1", "--db", tmp_path / "x.db")
    objs = {os.path.basename(o["path"]): o for o in jsonl(result.stdout)}
    assert sorted(objs) == ["a.jpg", "gone.jpg", "pipe.jpg"]
    for name in ("gone.jpg", "pipe.jpg"):
        assert list(objs[name]) == list(objs["a.jpg"]) and objs[name]["status"] == "error"
        assert all(objs[name][k] is None for k in objs["a.jpg"] if isinstance(objs["a.jpg"][k], float))


def test_a_long_scan_writes_its_records_every_few_seconds_not_only_at_the_end(tmp_path, monkeypatch):
    """Records are written every BATCH_SECONDS as well as every BATCH_SIZE records: a scan killed outright (the
    out-of-memory killer, a power cut) loses a few seconds of work, not up to a hundred photos'."""
    import time

    from blurscan import batches
    from blurscan.store import Store

    monkeypatch.setattr(batches, "BATCH_SECONDS", 0.2)
    root = tmp_path / "lib"
    for i in range(3):
        save_jpeg(root / f"p{i}.jpg", textured(i))
    scan = blurscan.scan([root], S1, db=tmp_path / "x.db")
    first = next(scan)
    time.sleep(0.3)  # a slow photo, or a slow reader of the output
    second = next(scan)
    with Store(tmp_path / "x.db") as store:  # (the scan still running, suspended here)
        stored = {r.path for r in store.records()}
    assert {first.path, second.path} <= stored
    scan.close()


def test_a_scan_of_a_folder_forgets_nothing_of_a_folder_whose_name_starts_with_its_name(tmp_path):
    """`scan lib` forgets the stored photos gone from lib, not those of lib2 or library beside it (one database)."""
    from blurscan.store import Store

    db = tmp_path / "x.db"
    kept = [save_jpeg(tmp_path / name / "a.jpg", textured(i)) for i, name in enumerate(("lib2", "library"))]
    _scan([tmp_path / "lib2", tmp_path / "library"], db)
    save_jpeg(tmp_path / "lib" / "b.jpg", textured(5))
    _scan([tmp_path / "lib"], db)
    with Store(db) as store:
        assert {r.path for r in store.records()} == {str(p) for p in kept} | {str(tmp_path / "lib" / "b.jpg")}


def test_a_photo_named_through_a_linked_folder_is_the_photo_of_the_library(tmp_path):
    """`scan link/a.jpg` (link -> lib) scores and stores lib/a.jpg: one record per photo whichever name is given."""
    from blurscan.store import Store

    photo = save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    os.symlink(tmp_path / "lib", tmp_path / "link")
    db = tmp_path / "x.db"
    _scan([tmp_path / "lib"], db)
    again = _scan([tmp_path / "link" / "a.jpg"], db)
    assert list(again) == [str(photo)] and again[str(photo)].cached
    with Store(db) as store:
        assert [r.path for r in store.records()] == [str(photo)]


def test_of_two_raw_files_beside_a_jpeg_the_walk_pairs_the_first_by_name_as_the_actions_do(tmp_path):
    """IMG_1.JPG with IMG_1.CR2 and IMG_1.DNG: the walk's RAW twin is the one :func:`blurscan.walk.raw_twin` (move,
    trash, tag) names, the first by name."""
    from blurscan.walk import raw_twin, walk

    for name in ("IMG_1.DNG", "IMG_1.CR2", "IMG_1.JPG"):
        (tmp_path / name).write_bytes(b"x")
    [ref] = walk([tmp_path])
    assert ref.raw_twin == raw_twin(tmp_path / "IMG_1.JPG") == str(tmp_path / "IMG_1.CR2")
