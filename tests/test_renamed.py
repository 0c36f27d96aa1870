"""Photos moved or renamed by hand keep their stored scores (blurscan.renamed): a renamed folder is not a new one."""
from __future__ import annotations

import os
import shutil

import blurscan
from blurscan.config import ScanSettings
from blurscan.store import Store

S1 = ScanSettings(workers=1, model="none")


def _scan(paths, db):
    return {r.path: r for r in blurscan.scan(paths, S1, db=db)}


def _rows(db):
    with Store(db) as store:
        return {path: verdict for path, verdict in store.conn.execute("SELECT path, verdict FROM images")}


def _scan_and_keep_a_blurry_photo(root, truth, db) -> str:
    """Scan ``root`` into ``db`` and mark its first blurry JPEG keep, as the review page does; its path."""
    from blurscan.review import decisions

    first = _scan([root], db=db)
    blurry = sorted(p for p, v in truth.items() if v == "blurry" and p.endswith(".jpg"))[0]
    with Store(db) as store:
        decisions.decide(store, blurry, "keep", size=first[blurry].size, mtime_ns=first[blurry].mtime_ns)
    return blurry


def test_renamed_folder_is_not_decoded_again(library, tmp_path, decode_calls):
    """Renaming a folder decoded every photo in it again (the store's key is the path): a scan of a renamed
    10,000-photo folder cost as much as the first one. The scores now follow the file."""
    root, truth = library
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    os.rename(root / "sub", root / "sub-2024")
    moved_jpeg = next(p for p in truth if p.endswith(".jpg") and "sub" not in os.path.relpath(p, root))
    (root / "sorted").mkdir()
    shutil.move(moved_jpeg, root / "sorted" / os.path.basename(moved_jpeg))  # a photo sorted by hand
    decode_calls.clear()
    second = _scan([root], db=db)
    assert decode_calls == []
    renamed = {str(root / "sub-2024" / "sharp_0.jpg"): str(root / "sub" / "sharp_0.jpg"),
               str(root / "sorted" / os.path.basename(moved_jpeg)): moved_jpeg}
    for new, old in renamed.items():
        assert second[new].cached and second[new].path == new and second[new].moved_from == old
        assert (second[new].verdict, second[new].laplacian_var, second[new].scores, second[new].phash) == \
            (first[old].verdict, first[old].laplacian_var, first[old].scores, first[old].phash)
    assert all(r.moved_from is None for p, r in second.items() if p not in renamed)
    rows = _rows(db)  # stored under the new paths; the old ones forgotten by the scan's prune
    assert set(rows) == set(second) and not set(renamed.values()) & set(rows)
    decode_calls.clear()
    third = _scan([root], db=db)
    assert decode_calls == [] and all(r.cached and r.moved_from is None for r in third.values())


def test_the_scan_summary_counts_moved_photos_apart(tmp_path):
    """The summary said "13 unchanged, reused" right after a folder was renamed: the moved photos were counted
    as unchanged. It now names them."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import save_jpeg, textured

    lib = tmp_path / "lib"
    (lib / "trip").mkdir(parents=True)
    for i in range(3):
        save_jpeg(lib / "trip" / f"p{i}.jpg", textured(seed=i))
    save_jpeg(lib / "home.jpg", textured(seed=9))
    runner = CliRunner()
    args = ["scan", str(lib), "--model", "none", "--workers", "1"]
    assert runner.invoke(main, args).exit_code == 0
    os.rename(lib / "trip", lib / "trip-2024")
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "(1 unchanged and 3 moved or renamed, reused)" in result.stderr, result.stderr
    again = runner.invoke(main, args)
    assert "(4 unchanged, reused)" in again.stderr, again.stderr


def test_a_copy_or_a_changed_file_is_scored_afresh(library, tmp_path, decode_calls):
    """Only a move counts: a copy (the original still there) or a file whose size or time differs is decoded."""
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    sharp = str(root / "sub" / "sharp_0.jpg")
    (root / "copy").mkdir()
    shutil.copy2(sharp, root / "copy" / "sharp_0.jpg")        # same name, size and time: still a copy
    (root / "edited").mkdir()
    blurry = next(p for p, v in truth.items() if v == "blurry" and p.endswith(".jpg"))
    shutil.move(blurry, root / "edited" / os.path.basename(blurry))
    st = os.stat(root / "edited" / os.path.basename(blurry))
    os.utime(root / "edited" / os.path.basename(blurry), ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    decode_calls.clear()
    records = _scan([root], db=db)
    assert sorted(decode_calls) == sorted([str(root / "copy" / "sharp_0.jpg"),
                                           str(root / "edited" / os.path.basename(blurry))])
    assert not records[str(root / "copy" / "sharp_0.jpg")].cached


def test_same_name_size_and_time_twice_is_ambiguous(tmp_path, decode_calls):
    """Two vanished photos of one name, size and time (two cards' IMG_0001.JPG, say): neither match is taken."""
    from helpers_images import save_jpeg, textured

    a, b = tmp_path / "lib" / "a", tmp_path / "lib" / "b"
    for folder, seed in ((a, 1), (b, 1)):
        save_jpeg(folder / "IMG_0001.JPG", textured(seed))
        os.utime(folder / "IMG_0001.JPG", ns=(10**18, 10**18))
    db = tmp_path / "x.db"
    _scan([tmp_path / "lib"], db=db)
    os.rename(a, tmp_path / "lib" / "a2")
    os.rename(b, tmp_path / "lib" / "b2")
    decode_calls.clear()
    _scan([tmp_path / "lib"], db=db)
    assert len(decode_calls) == 2


def test_a_renamed_folder_scanned_alone_reuses_the_library_database(library, tmp_path, decode_calls):
    """The new folder scanned on its own (the old path outside the scan, so not pruned) still reuses."""
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    os.rename(root / "sub", root / "renamed")
    decode_calls.clear()
    records = list(blurscan.scan([root / "renamed"], S1, db=db))
    assert decode_calls == [] and [r.cached for r in records] == [True]


def test_decisions_follow_a_photo_moved_by_hand(library, tmp_path):
    """A keep made in the review page stayed with the old path when the folder was renamed: the renamed photo was
    undecided again, so `move --all-blurry` would take a photo the person had kept (a discard was lost too).
    The decision now goes with the scores; a copy gets none, and the original keeps its own."""
    from blurscan.review import decisions

    root, truth = library
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    kept_photo = str(root / "sub" / "sharp_0.jpg")
    discarded_photo = next(p for p in truth if p.endswith(".jpg") and "sub" not in os.path.relpath(p, root))
    copied = next(p for p in truth if p.endswith(".jpg") and p not in (kept_photo, discarded_photo))
    with Store(db) as store:
        for path, what in ((kept_photo, "keep"), (discarded_photo, "discard"), (copied, "keep")):
            decisions.decide(store, path, what, size=first[path].size, mtime_ns=first[path].mtime_ns)
    os.rename(root / "sub", root / "sub-2024")
    (root / "sorted").mkdir()
    shutil.move(discarded_photo, root / "sorted" / os.path.basename(discarded_photo))
    shutil.copy2(copied, root / "sorted" / os.path.basename(copied))
    _scan([root], db=db)
    with Store(db) as store:
        assert decisions.kept(store) == {str(root / "sub-2024" / "sharp_0.jpg"), copied}
        assert decisions.discarded(store) == {str(root / "sorted" / os.path.basename(discarded_photo))}


def test_a_photo_renamed_by_hand_keeps_its_scores_and_its_keep(library, tmp_path, decode_calls):
    """Only a move was recognised (the file name had to match): a kept blurry photo renamed in a file manager
    (IMG_0051.JPG -> "Sunset blurry but keep.JPG") lost its keep, and `move --all-blurry` took it. Size and time
    to the nanosecond, and the suffix, name the file; a rename that changes the suffix, or two vanished
    photos of one size and time, are not matched."""
    from blurscan.review import decisions

    root, truth = library
    db = tmp_path / "x.db"
    blurry = _scan_and_keep_a_blurry_photo(root, truth, db)
    renamed = os.path.join(os.path.dirname(blurry), "Sunset blurry but keep.JPG")
    os.rename(blurry, renamed)
    other = sorted(p for p in truth if p.endswith(".jpg") and p != blurry)[0]
    os.rename(other, other[:-4] + ".png")  # another suffix: not taken for the same file
    decode_calls.clear()
    second = _scan([root], db=db)
    assert decode_calls == [other[:-4] + ".png"] and second[renamed].moved_from == blurry
    assert second[renamed].verdict == "blurry"
    with Store(db) as store:
        assert decisions.kept(store) == {renamed}
    from blurscan.actions import plan_move

    with Store(db) as store:
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
    assert renamed not in {p.photo for p in plan.photos}


def test_a_small_jpeg_moved_without_its_raw_twin_is_judged_afresh(tmp_path, decode_calls):
    """A RAW + small JPEG pair's record is the RAW's judgement; the JPEG moved to another folder without its RAW
    took that record (format DNG, the RAW's size, a note naming a twin no longer beside it), where the JPEG
    alone is judged on its own pixels."""
    import cv2

    from helpers_images import save_jpeg, textured
    from helpers_raw import write_dng

    root = tmp_path / "lib"
    rgb = textured(3, size=(1024, 1536))
    root.mkdir()
    write_dng(root / "DSC_0001.DNG", rgb, preview=None)
    save_jpeg(root / "DSC_0001.JPG", cv2.resize(cv2.GaussianBlur(rgb, (0, 0), 4), (384, 256),
                                                interpolation=cv2.INTER_AREA))
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    assert first[str(root / "DSC_0001.JPG")].format == "DNG"
    (root / "small").mkdir()
    os.rename(root / "DSC_0001.JPG", root / "small" / "DSC_0001.JPG")
    decode_calls.clear()
    second = _scan([root], db=db)
    moved = second[str(root / "small" / "DSC_0001.JPG")]
    assert not moved.cached and moved.format == "JPEG" and moved.note is None
    assert (moved.width, moved.height) == (384, 256)


def test_a_renamed_folder_with_a_copy_elsewhere_in_the_library_keeps_its_scores(library, tmp_path, decode_calls):
    """A duplicate left in its place (a backup folder, a card imported twice: same name, size and time) made the
    renamed original's match ambiguous, so the whole renamed folder was decoded again (454 of 2270 photos in
    a library holding five copies of one folder); only vanished photos are candidates."""
    root, truth = library
    shutil.copytree(root / "sub", root / "backup" / "sub")  # copy2: the same name, size and time
    db = tmp_path / "x.db"
    _scan([root], db=db)
    os.rename(root / "sub", root / "sub-2024")
    decode_calls.clear()
    second = _scan([root], db=db)
    assert decode_calls == [] and second[str(root / "sub-2024" / "sharp_0.jpg")].cached


def test_burst_groups_follow_a_renamed_folder(tmp_path):
    """The shots of a burst kept their group under the old paths: after renaming the folder, `move --from-bursts
    NEWFOLDER` took nothing from it until `blurscan bursts` ran again (a re-check walkthrough)."""
    import datetime as dt

    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import T0, scene, shaken, shifted
    from test_bursts_cli import _jpeg_with_time

    lib = tmp_path / "lib"
    a = scene(61)
    _jpeg_with_time(lib / "trip" / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "trip" / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    runner = CliRunner()
    for args in (["scan", str(lib), "--model", "none", "--workers", "1"], ["bursts", str(lib)]):
        assert runner.invoke(main, args).exit_code == 0
    os.rename(lib / "trip", lib / "trip-2024")
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    planned = runner.invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib / "trip-2024")])
    assert planned.exit_code == 0, planned.output
    assert "IMG_0001.jpg" in planned.output and "IMG_0002.jpg" not in planned.output.split("skipped")[0], \
        planned.output
    with Store(lib / ".blurscan.db") as store:
        paths = [p for (p,) in store.conn.execute("SELECT path FROM burst_groups")]
    assert sorted(os.path.relpath(p, lib) for p in paths) == ["trip-2024/IMG_0001.jpg", "trip-2024/IMG_0002.jpg"]


def test_a_photo_moved_by_blurscan_into_the_library_keeps_its_decision_for_undo(tmp_path):
    """A photo `blurscan move` put in a --to inside the library is no move by hand: a scan took its discard and
    its burst place to the destination path (as for a renamed folder), so `undo` brought the photo back
    undecided and its group's keeper chosen by the person was lost (a re-check walkthrough)."""
    import datetime as dt

    from click.testing import CliRunner

    from blurscan.cli import main
    from blurscan.review import decisions
    from helpers_images import T0, scene, shaken, shifted
    from test_bursts_cli import _jpeg_with_time

    lib = tmp_path / "lib"
    a = scene(61)
    shots = [lib / "trip" / "IMG_0001.jpg", lib / "trip" / "IMG_0002.jpg"]
    _jpeg_with_time(shots[0], shaken(a), T0)
    _jpeg_with_time(shots[1], shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    runner = CliRunner()
    scan = ["scan", str(lib), "--model", "none", "--workers", "1"]
    for args in (scan, ["bursts", str(lib)]):
        assert runner.invoke(main, args).exit_code == 0
    with Store(lib / ".blurscan.db") as store:
        decisions.set_decision(store, str(shots[0]), "discard")
        before = sorted(map(tuple, store.conn.execute("SELECT path, rank, is_keeper FROM burst_groups")))
    for args in (["move", "--to", str(lib / "rejects"), str(lib), "--yes"], scan, ["undo", str(lib)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    assert shots[0].exists()
    with Store(lib / ".blurscan.db") as store:
        st = os.stat(shots[0])
        assert decisions.decision_for(store, str(shots[0]), st.st_size, st.st_mtime_ns) == "discard"
        assert sorted(map(tuple, store.conn.execute("SELECT path, rank, is_keeper FROM burst_groups"))) == before


def test_a_raw_and_jpeg_pair_moved_by_hand_is_scored_afresh_and_keeps_its_decision(tmp_path, decode_calls):
    """A RAW + JPEG pair moved by hand is judged again (its record depends on the twin beside it), but it was not
    recognised as moved at all: a keep stayed under the old path, so `move --all-blurry` could take a pair the
    person had kept (a docs audit found it). The decision now goes with the pair."""
    from blurscan.review import decisions
    from helpers_images import save_jpeg, textured
    from helpers_raw import write_dng

    root = tmp_path / "lib"
    (root / "day1").mkdir(parents=True)
    rgb = textured(4, size=(768, 1024))
    write_dng(root / "day1" / "DSC_0002.DNG", rgb)
    save_jpeg(root / "day1" / "DSC_0002.JPG", rgb)
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    jpeg = str(root / "day1" / "DSC_0002.JPG")
    with Store(db) as store:
        decisions.decide(store, jpeg, "keep", size=first[jpeg].size, mtime_ns=first[jpeg].mtime_ns)
    os.rename(root / "day1", root / "2024-07-14")
    decode_calls.clear()
    second = _scan([root], db=db)
    moved = str(root / "2024-07-14" / "DSC_0002.JPG")
    assert set(second) == {moved} and not second[moved].cached and decode_calls  # judged afresh
    with Store(db) as store:
        assert decisions.kept(store) == {moved}


def _tiff(path, seed, blur=False):
    """An uncompressed TIFF: every one of a size has the same number of bytes (as scans and some RAW files do)."""
    import cv2

    from helpers_images import textured

    img = textured(seed)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), 4)
    cv2.imwrite(str(path), img, [cv2.IMWRITE_TIFF_COMPRESSION, 1])


def test_another_photo_of_one_size_and_whole_second_time_is_not_taken_for_a_renamed_one(tmp_path):
    """Matching by size, time and suffix alone (names free) gave a different photo another's scores and discard:
    two uncompressed TIFF scans of one size, both stamped 10:00:00 (a zip, `touch -d`, a FAT card), one deleted
    and the other copied in (found by the re-check). A whole-second time needs the same name."""
    from blurscan.review import decisions

    lib, src = tmp_path / "lib", tmp_path / "src"
    lib.mkdir(), src.mkdir()
    _tiff(src / "scan_0001.tif", 1, blur=True)
    _tiff(src / "scan_0002.tif", 2)
    assert os.path.getsize(src / "scan_0001.tif") == os.path.getsize(src / "scan_0002.tif")
    for name in ("scan_0001.tif", "scan_0002.tif"):
        os.utime(src / name, ns=(1714557600 * 10**9,) * 2)
    shutil.copy2(src / "scan_0001.tif", lib / "scan_0001.tif")
    db = tmp_path / "x.db"
    first = _scan([lib], db=db)
    path1 = str(lib / "scan_0001.tif")
    with Store(db) as store:
        decisions.decide(store, path1, "discard", size=first[path1].size, mtime_ns=first[path1].mtime_ns)
    os.remove(path1)
    shutil.copy2(src / "scan_0002.tif", lib / "scan_0002.tif")
    second = _scan([lib], db=db)
    path2 = str(lib / "scan_0002.tif")
    assert second[path2].moved_from is None and not second[path2].cached
    with Store(db) as store:
        assert decisions.discarded(store) == set()
    os.rename(path2, lib / "SCAN_0002.TIF")  # the same name in another case is still the same file
    third = _scan([lib], db=db)
    assert third[str(lib / "SCAN_0002.TIF")].moved_from == path2


def test_a_kept_photo_renamed_before_a_fast_scan_keeps_its_keep(library, tmp_path, decode_calls):
    """`scan --fast` looked renamed photos up under its own cache key only: a photo kept and renamed, then scanned
    with --fast, was new (its keep orphaned for good), and `move --all-blurry` took it (found by the re-check)."""
    from blurscan.review import decisions

    root, truth = library
    db = tmp_path / "x.db"
    blurry = _scan_and_keep_a_blurry_photo(root, truth, db)
    renamed = os.path.join(os.path.dirname(blurry), "Sunset.jpg")
    os.rename(blurry, renamed)
    decode_calls.clear()
    fast = {r.path: r for r in blurscan.scan([root], ScanSettings(workers=1, model="none", full_res_baseline=False),
                                              db=db)}
    assert decode_calls == [] and fast[renamed].moved_from == blurry
    with Store(db) as store:
        assert decisions.kept(store) == {renamed}


def test_a_keep_whose_record_a_scan_of_the_old_folder_forgot_still_follows_the_photo(library, tmp_path):
    """Keep a photo, move it to another folder, scan the old folder alone (its record is forgotten), then the
    library: the photo was new and undecided, and `move --all-blurry` took it (found by the re-check). The
    decision's own size and time find it."""
    from blurscan.actions import plan_move
    from blurscan.review import decisions

    root, truth = library
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    kept = str(root / "sub" / "sharp_0.jpg")
    with Store(db) as store:
        decisions.decide(store, kept, "keep", size=first[kept].size, mtime_ns=first[kept].mtime_ns)
    (root / "other").mkdir()
    shutil.move(kept, root / "other" / "sharp_0.jpg")
    _scan([root / "sub"], db=db)  # prunes the moved photo's row
    assert kept not in _rows(db)
    records = _scan([root], db=db)
    new = str(root / "other" / "sharp_0.jpg")
    assert not records[new].cached  # scored afresh: no record was left to reuse
    with Store(db) as store:
        assert decisions.kept(store) == {new}
        plan = plan_move(store, tmp_path / "rejects", all_flagged=True)
    assert new not in {p.photo for p in plan.photos}


def test_a_vanished_photo_goes_to_one_new_file_across_lookup_chunks(tmp_path, monkeypatch):
    """The one-new-file check ran per lookup chunk (5,000 files): in a larger library one vanished record went to
    two new files, a true copy and another photo (found by the re-check with the chunk made small)."""
    from blurscan import pipeline
    from helpers_images import save_jpeg, textured

    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)
    lib = tmp_path / "lib"
    save_jpeg(lib / "a_orig.jpg", textured(3))
    db = tmp_path / "x.db"
    _scan([lib], db=db)
    st = os.stat(lib / "a_orig.jpg")
    shutil.copy2(lib / "a_orig.jpg", lib / "b_album1.jpg")
    for i in range(3):
        save_jpeg(lib / f"m_{i}.jpg", textured(10 + i))  # push the second copy into another chunk
    shutil.copy2(lib / "a_orig.jpg", lib / "z_album2.jpg")
    os.remove(lib / "a_orig.jpg")
    assert os.stat(lib / "z_album2.jpg").st_mtime_ns == st.st_mtime_ns
    records = _scan([lib], db=db)
    assert sum(r.moved_from is not None for r in records.values()) == 1


def test_a_keep_follows_a_photo_renamed_between_scans_with_other_settings(library, tmp_path, decode_calls):
    """`scan --fast` (or another --long-side), keep, rename, then a full scan: the renamed photo was looked up under
    the full scan's key only, the old row (under the fast key) was then forgotten, and the keep with it, for good
    (the second re-check). The decision follows the file; the scores are computed afresh for these settings."""
    from blurscan.review import decisions

    root, truth = library
    db = tmp_path / "x.db"
    fast = ScanSettings(workers=1, model="none", full_res_baseline=False)
    first = {r.path: r for r in blurscan.scan([root], fast, db=db)}
    blurry = sorted(p for p, v in truth.items() if v == "blurry" and p.endswith(".jpg"))[0]
    with Store(db) as store:
        decisions.decide(store, blurry, "keep", size=first[blurry].size, mtime_ns=first[blurry].mtime_ns)
    renamed = os.path.join(os.path.dirname(blurry), "Sunset.jpg")
    os.rename(blurry, renamed)
    decode_calls.clear()
    full = _scan([root], db=db)
    assert renamed in decode_calls and full[renamed].laplacian_var is not None  # scored afresh, with the baseline
    with Store(db) as store:
        assert decisions.kept(store) == {renamed}
