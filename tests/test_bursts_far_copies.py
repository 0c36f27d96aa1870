"""Byte-identical copies far apart in time are one shot: a data set written in bulk (no EXIF times, thousands of
files a minute) holds an image copied into another split hundreds of files after its original, past the 200 each
file is compared with, and ``blurscan bursts`` listed it ``duplicate of ...`` or not by that write order (until
2026-12-07). Photos of one perceptual hash and file size anywhere in the library are candidates, confirmed by
their bytes."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from blurscan import bursts
from blurscan.bursts.twins import identical_copies
from blurscan.records import ScanRecord
from helpers_cli import run

T0 = 1_700_000_000


def _image(path: Path, seed: int, at: float) -> None:
    """A 160x120 PNG of smooth random colours (another picture per seed), its file time ``at``."""
    cells = (np.random.default_rng(seed).random((12, 12, 3)) * 255).astype("uint8")
    Image.fromarray(cells).resize((160, 120), Image.BICUBIC).save(path)
    os.utime(path, ns=(int(at * 1e9),) * 2)


def test_a_copy_into_another_split_written_long_after_is_listed_as_a_duplicate(tmp_path):
    data = tmp_path / "data"
    (data / "train").mkdir(parents=True)
    (data / "val").mkdir()
    for i in range(6):
        _image(data / "train" / f"img{i}.png", i, T0 + i)
    shutil.copyfile(data / "train" / "img0.png", data / "val" / "img0.png")  # the split made later
    os.utime(data / "val" / "img0.png", ns=(int((T0 + 60) * 1e9),) * 2)
    db = tmp_path / "data.blurscan.db"
    out = run("scan", data, "--db", db)
    assert out.exit_code == 0, out.output
    out = run("bursts", data, "--db", db, "--window", "5")  # (60 s apart: past the window, as past 200 files)
    assert out.exit_code == 0, out.output
    assert "group 1: 2 shots" in out.output, out.output
    assert "duplicate of train/img0.png (same size and content)" in out.output, out.output
    assert "1 burst group, 1 candidate" in out.output, out.output


def _records(folder: Path, n: int) -> list[ScanRecord]:
    """``n`` photos with other hashes written 0.1 s apart (a data set written in bulk), as scanned records."""
    folder.mkdir(parents=True)
    out = []
    for i in range(n):
        path = folder / f"{i:04d}.jpg"
        path.write_bytes(b"photo %d" % i)
        out.append(ScanRecord(path=str(path), phash=f"{(i * 0x9E3779B97F4A7C15) % 2**64:016x}",
                              size=path.stat().st_size, mtime_ns=int((T0 + i * 0.1) * 1e9), width=160, height=120))
    return out


def test_copies_are_joined_past_the_neighbours_a_look_alike_of_other_bytes_is_not(tmp_path):
    records = _records(tmp_path / "train", 300)
    copy = tmp_path / "val" / "0000.jpg"
    copy.parent.mkdir()
    copy.write_bytes(b"photo 0")
    other = tmp_path / "val" / "0001.jpg"
    other.write_bytes(b"other 1")  # the hash and size of train/0001.jpg, other bytes
    records += [ScanRecord(path=str(copy), phash=records[0].phash, size=7, mtime_ns=int((T0 + 40) * 1e9),
                           width=160, height=120),
                ScanRecord(path=str(other), phash=records[1].phash, size=7, mtime_ns=int((T0 + 41) * 1e9),
                           width=160, height=120)]
    assert bursts.find_groups(records) == []  # (without bytes: 300 files apart, never compared)
    stats = bursts.GroupingStats()
    groups = bursts.find_groups(records, same_bytes=identical_copies, stats=stats)
    assert [[r.path for r in g] for g in groups] == [[records[0].path, str(copy)]]
    assert stats.copies == 1
    assert identical_copies(groups[0]) == {str(copy): records[0].path}


def test_a_far_copy_joins_its_originals_burst_and_a_copy_close_by_is_read_once(tmp_path, monkeypatch):
    records = _records(tmp_path / "train", 250)
    near = ScanRecord(path=str(tmp_path / "train" / "0000 (1).jpg"), phash=records[0].phash, size=7,
                      mtime_ns=records[0].mtime_ns + 1, width=160, height=120)
    Path(near.path).write_bytes(b"photo 0")
    burst = ScanRecord(path=str(tmp_path / "train" / "0000b.jpg"), phash=f"{int(records[5].phash, 16) ^ 1:016x}",
                       size=9, mtime_ns=records[5].mtime_ns + 1, width=160, height=120)
    Path(burst.path).write_bytes(b"photo 5 b")
    far = tmp_path / "val" / "0005.jpg"
    far.parent.mkdir()
    far.write_bytes(b"photo 5")
    records += [near, burst, ScanRecord(path=str(far), phash=records[5].phash, size=7,
                                        mtime_ns=int((T0 + 90) * 1e9), width=160, height=120)]
    asked = []

    def same_bytes(shots):
        asked.append(sorted(r.path for r in shots))
        return identical_copies(shots)

    groups = bursts.find_groups(records, same_bytes=same_bytes)
    assert sorted(sorted(r.path for r in g) for g in groups) == [
        sorted([records[0].path, near.path]), sorted([records[5].path, burst.path, str(far)])]
    assert asked == [sorted([records[5].path, str(far)])]  # (the copy close by: grouped already, not read)


def test_a_library_of_a_photo_and_its_far_copy_alone_lists_the_copy(tmp_path):
    """Two photos in all, the second a copy of the first written long after: a duplicate as in a larger library."""
    data = tmp_path / "data"
    data.mkdir()
    _image(data / "a.png", 1, T0)
    shutil.copyfile(data / "a.png", data / "a copy.png")
    os.utime(data / "a copy.png", ns=(int((T0 + 60) * 1e9),) * 2)
    db = tmp_path / "data.blurscan.db"
    assert run("scan", data, "--db", db).exit_code == 0
    out = run("bursts", data, "--db", db, "--window", "5")
    assert out.exit_code == 0, out.output
    assert "duplicate of a.png (same size and content)" in out.output, out.output


def test_a_copy_is_found_among_shots_of_its_hash_and_other_sizes_each_size_read_apart(tmp_path):
    """The same picture saved again (another size, one hash) between a photo and its far copy: the copy still meets
    its original (one sort on hash and size), and the bytes are compared only among files of one size."""
    folder = tmp_path / "shots"
    folder.mkdir()
    names = ["a.jpg", "a resaved.jpg", "b.jpg", "a copy.jpg"]
    contents = [b"photo 0", b"photo 0 again", b"photo 00", b"photo 0"]
    records = []
    for i, (name, content) in enumerate(zip(names, contents)):
        (folder / name).write_bytes(content)
        records.append(ScanRecord(path=str(folder / name), phash="00ff00ff00ff00ff", size=len(content),
                                  mtime_ns=int((T0 + 600 * i) * 1e9), width=160, height=120))
    for i, name in enumerate(["unknown.jpg", "unknown too.jpg"]):  # (a record without its size)
        (folder / name).write_bytes(b"photo 0")
        records.append(ScanRecord(path=str(folder / name), phash="00ff00ff00ff00ff", size=None,
                                  mtime_ns=int((T0 + 3000 + 600 * i) * 1e9), width=160, height=120))
    asked = []

    def same_bytes(shots):
        asked.append(sorted(os.path.basename(r.path) for r in shots))
        return identical_copies(shots)

    stats = bursts.GroupingStats()
    groups = bursts.find_groups(records, window=5, same_bytes=same_bytes, stats=stats)
    assert [sorted(os.path.basename(r.path) for r in g) for g in groups] == [["a copy.jpg", "a.jpg"]]
    assert asked == [["a copy.jpg", "a.jpg"]]  # (one size; the other sizes and the size not known, never read)
    bursts.find_groups(records, window=5, same_bytes=same_bytes, stats=stats)
    assert stats.copies == 2  # (counted over the calls, as its comparisons are)
