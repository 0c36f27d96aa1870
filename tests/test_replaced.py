"""A photo replaced by another of the same size whose modification time was set back (an uncompressed TIFF or BMP
exported again, ``exiftool "-FileModifyDate<DateTimeOriginal"``, ``cp -p``) is scored again on the next scan: its
status-change time moved, and its sampled bytes differ (blurscan.replaced). A chmod or a rename that leaves the
bytes alone costs one sample read, once, and no decode; a record stored before the sample existed is reused."""
from __future__ import annotations

import json
import os
import time

import pytest

import blurscan
from blurscan.config import ScanSettings
from helpers_cli import jsonl, run
from helpers_images import blurred, textured
from helpers_sqlite import connected, query

SETTINGS = ScanSettings(workers=1, model="none")


def _save(path, rgb, fmt):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format=fmt)  # TIFF: uncompressed; BMP: always
    return path


def _replace(path, rgb, fmt, how):
    """Put another picture of the same byte size at ``path`` and set its modification time back."""
    before = path.stat()
    if how == "rename":  # saved beside it, renamed over it (how most tools save): another inode
        _save(path.with_name("new." + path.name), rgb, fmt).replace(path)
    else:  # written over, in place (`cp -p`, exiftool): the same inode
        data = _save(path.with_name("new." + path.name), rgb, fmt)
        path.write_bytes(data.read_bytes())
        data.unlink()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)  # what the store compares
    assert after.st_ctime_ns != before.st_ctime_ns
    return after


def _scan(lib, db):
    (record,) = blurscan.scan([lib], SETTINGS, db=db)
    return record


@pytest.fixture
def sample_reads(monkeypatch):
    """The paths whose sample a re-scan read (blurscan.replaced.read_sample)."""
    from blurscan import replaced

    calls, real = [], replaced.read_sample
    monkeypatch.setattr(replaced, "read_sample", lambda path: calls.append(path) or real(path))
    return calls


@pytest.mark.parametrize("fmt,suffix", [("TIFF", "tif"), ("BMP", "bmp")])
@pytest.mark.parametrize("how", ["rename", "in place"])
def test_a_photo_replaced_with_the_same_size_and_time_is_scored_again(tmp_path, decode_calls, fmt, suffix, how):
    """Its old verdict stayed: the store knew it by path, size and modification time only."""
    lib, db = tmp_path / "lib", str(tmp_path / "lib.db")
    photo = _save(lib / f"IMG_0001.{suffix}", textured(3), fmt)
    first = _scan(lib, db)
    assert first.verdict == "sharp" and decode_calls == [str(photo)]
    decode_calls.clear()
    assert _scan(lib, db).cached and decode_calls == []  # unchanged: nothing decoded
    time.sleep(0.02)  # (the status-change time has the kernel clock's coarse grain)
    _replace(photo, blurred(textured(3), 4.0), fmt, how)
    again = _scan(lib, db)
    assert decode_calls == [str(photo)] and not again.cached
    assert again.verdict == "blurry" and again.laplacian_var < first.laplacian_var
    decode_calls.clear()
    assert _scan(lib, db).verdict == "blurry" and decode_calls == []  # and the new record is reused as usual


def test_the_command_line_scores_the_replaced_photo_again(tmp_path):
    lib = tmp_path / "lib"
    photo = _save(lib / "scan_017.tif", textured(5), "TIFF")
    _save(lib / "scan_018.tif", textured(6), "TIFF")
    first = run("scan", lib, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert first.exit_code == 0 and {o["verdict"] for o in jsonl(first.stdout)} == {"sharp"}
    time.sleep(0.02)
    _replace(photo, blurred(textured(5), 4.0), "TIFF", "rename")
    again = run("scan", lib, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "(1 unchanged, reused)" in again.stderr, again.stderr
    verdicts = {os.path.basename(o["path"]): o["verdict"] for o in jsonl(again.stdout)}
    assert verdicts == {"scan_017.tif": "blurry", "scan_018.tif": "sharp"}
    assert all("sample" not in o and "ctime_ns" not in o for o in jsonl(again.stdout))  # stored, not in the JSONL


def test_a_chmod_or_a_rename_in_place_reads_the_sample_once_and_decodes_nothing(tmp_path, decode_calls,
                                                                              sample_reads):
    """A new status-change time without new bytes: one sample read, the new time stored, no decode; the next
    scan reads nothing. The check still works afterwards."""
    lib, db = tmp_path / "lib", str(tmp_path / "lib.db")
    photo = _save(lib / "IMG_0002.tif", textured(4), "TIFF")
    _scan(lib, db)
    assert sample_reads == []  # its sample was taken from the bytes decoded

    def rescan():
        decode_calls.clear()
        sample_reads.clear()
        record = _scan(lib, db)
        assert record.cached and record.verdict == "sharp" and decode_calls == []
        return sample_reads[:]

    assert rescan() == []  # the fast path: nothing read
    time.sleep(0.02)
    before = photo.stat().st_ctime_ns
    photo.chmod(0o600)
    assert photo.stat().st_ctime_ns != before
    assert rescan() == [str(photo)]
    assert rescan() == []
    time.sleep(0.02)
    os.rename(photo, lib / "tmp.tif")  # mv a b; mv b a
    os.rename(lib / "tmp.tif", photo)
    assert rescan() == [str(photo)]
    assert rescan() == []
    time.sleep(0.02)
    _replace(photo, blurred(textured(4), 4.0), "TIFF", "in place")
    decode_calls.clear()
    assert _scan(lib, db).verdict == "blurry" and decode_calls == [str(photo)]


def test_a_record_stored_before_the_sample_existed_is_reused_and_sampled_once(tmp_path, decode_calls,
                                                                              sample_reads):
    """A library scanned by an earlier blurscan is not decoded again: each record gets its sample at the next
    re-scan (one read), and from then on a replacement is caught."""
    lib, db = tmp_path / "lib", str(tmp_path / "lib.db")
    photo = _save(lib / "IMG_0003.bmp", textured(8), "BMP")
    _scan(lib, db)
    with connected(db) as conn:  # the row as the earlier version wrote it: no "ctime_ns" nor "sample" key
        conn.execute("UPDATE images SET record = json_remove(record, '$.ctime_ns', '$.sample')")
    [(blob,)] = query(db, "SELECT record FROM images")
    assert "sample" not in json.loads(blob) and "ctime_ns" not in json.loads(blob)
    decode_calls.clear()
    record = _scan(lib, db)
    assert record.cached and record.verdict == "sharp" and decode_calls == [] and sample_reads == [str(photo)]
    [(blob,)] = query(db, "SELECT record FROM images")
    assert json.loads(blob)["ctime_ns"] == photo.stat().st_ctime_ns  # stored: the next scan reads nothing
    sample_reads.clear()
    assert _scan(lib, db).cached and sample_reads == [] and decode_calls == []
    time.sleep(0.02)
    _replace(photo, blurred(textured(8), 4.0), "BMP", "rename")
    assert _scan(lib, db).verdict == "blurry" and decode_calls == [str(photo)]


def test_the_sample_of_the_bytes_decoded_is_the_sample_of_the_file(tmp_path):
    """The scan takes the sample from the bytes it decoded; a re-scan, and undo, read it from the file: one
    function of the same bytes, for every size around the 64 KiB ends."""
    from blurscan.fileread import read_once
    from blurscan.samples import SAMPLE_BYTES, read_sample, sample_of, sample_sha256

    for size in (1, SAMPLE_BYTES - 1, SAMPLE_BYTES, SAMPLE_BYTES + 1, 2 * SAMPLE_BYTES - 1, 2 * SAMPLE_BYTES,
                 2 * SAMPLE_BYTES + 1, 5 * SAMPLE_BYTES + 7):
        path = tmp_path / f"{size}.bin"
        path.write_bytes(os.urandom(size))
        data, st = read_once(path)
        assert sample_of(data) == sample_sha256(str(path))[:16] == read_sample(str(path))[1][:16]
        assert read_sample(str(path))[0].st_ctime_ns == st.st_ctime_ns


def test_a_file_taken_for_a_photo_moved_by_hand_is_checked_by_its_sample(tmp_path, decode_calls):
    """A photo moved by hand is found again by its suffix, size and time (blurscan.renamed); a new file that has
    them while it holds other bytes (a scan exported again under a new name, its time set back, the old one
    deleted) is scored afresh, and one that is the photo keeps its scores without a decode."""
    lib, db = tmp_path / "lib", str(tmp_path / "lib.db")
    kept = _save(lib / "a" / "scan_001.tif", textured(11), "TIFF")
    other = _save(lib / "a" / "scan_002.tif", textured(12), "TIFF")
    first = {r.path: r for r in blurscan.scan([lib], SETTINGS, db=db)}
    time.sleep(0.02)
    os.rename(lib / "a", lib / "b")  # moved by hand, folder and all: the same files
    stamp = (lib / "b" / "scan_002.tif").stat()
    _replace(lib / "b" / "scan_002.tif", blurred(textured(12), 4.0), "TIFF", "rename")
    assert (lib / "b" / "scan_002.tif").stat().st_mtime_ns == stamp.st_mtime_ns
    decode_calls.clear()
    again = {os.path.basename(r.path): r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert decode_calls == [str(lib / "b" / "scan_002.tif")]
    assert again["scan_001.tif"].moved_from == str(kept) and again["scan_001.tif"].cached
    assert again["scan_001.tif"].laplacian_var == first[str(kept)].laplacian_var
    assert again["scan_002.tif"].verdict == "blurry" and first[str(other)].verdict == "sharp"
    decode_calls.clear()
    assert [r.cached for r in blurscan.scan([lib], SETTINGS, db=db)] == [True, True] and decode_calls == []


def test_a_decision_made_on_the_photo_replaced_no_longer_applies(tmp_path):
    """A keep made on the sharp photo stayed on the blurred one that replaced it (same size, time set back):
    `move --all-blurry` left the new photo in place and the review page showed it kept, unseen. It is to review
    again, as a photo edited since; a keep on a photo only chmod-ed stays."""
    from blurscan.review import decisions
    from blurscan.store import Store

    lib, db = tmp_path / "lib", str(tmp_path / "lib.db")
    photo = _save(lib / "IMG_0001.tif", textured(3), "TIFF")
    other = _save(lib / "IMG_0002.tif", blurred(textured(4), 4.0), "TIFF")
    list(blurscan.scan([lib], SETTINGS, db=db))
    with Store(db) as store:
        for path in (photo, other):
            st = path.stat()
            decisions.set_decision(store, str(path), "keep", size=st.st_size, mtime_ns=st.st_mtime_ns)
    time.sleep(0.02)
    _replace(photo, blurred(textured(3), 4.0), "TIFF", "rename")
    os.chmod(other, 0o600)
    records = {os.path.basename(r.path): r for r in blurscan.scan([lib], SETTINGS, db=db)}
    assert records["IMG_0001.tif"].verdict == "blurry" and not records["IMG_0001.tif"].cached
    with Store(db) as store:
        now = {p.name: p.stat() for p in (photo, other)}
        assert decisions.decision_for(store, str(photo), now["IMG_0001.tif"].st_size,
                                      now["IMG_0001.tif"].st_mtime_ns) is None
        assert decisions.decision_for(store, str(other), now["IMG_0002.tif"].st_size,
                                      now["IMG_0002.tif"].st_mtime_ns) == "keep"
    # the scan report agrees with the review page: the photo replaced is no longer marked kept, the other is
    with Store(db) as store:
        from blurscan.report import decided_paths

        assert decided_paths(store, "keep") == {str(other)}
    table = run("report", lib, "--db", db).output
    line = {name: next(ln for ln in table.splitlines() if name in ln) for name in ("IMG_0001.tif", "IMG_0002.tif")}
    assert "(kept)" not in line["IMG_0001.tif"] and "(kept)" in line["IMG_0002.tif"], table
