"""Byte-identical copies in a large group of one file size (a time-lapse in BMP or TIFF, a library restored
from a backup with one file time): each file is read a bounded number of times, not compared with every other
of its size, and the copies found are those a byte-by-byte comparison of every pair finds."""
from __future__ import annotations

import filecmp
import os
import shutil
import sys
from pathlib import Path

from PIL import Image

from blurscan.bursts import identical_copies
from blurscan.records import ScanRecord
from helpers_images import textured

_opened: list[str] = []
_watch: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if _watch and event == "open" and isinstance(args[0], str) and args[0].startswith(_watch[0]):
        _opened.append(args[0])


sys.addaudithook(_audit)


def _pairwise(group: list[ScanRecord]) -> dict[str, str]:
    """What blurscan did before 2026-12-04: each shot of a size compared byte by byte with each kept original."""
    def rank(r):
        return (os.path.islink(r.path), len(os.path.basename(r.path)), r.mtime_ns or 0, r.path)

    def same(a, b):
        try:
            return filecmp.cmp(a, b, shallow=False)
        except OSError:
            return False

    out, by_size = {}, {}
    for r in group:
        by_size.setdefault(r.size, []).append(r)
    for records in by_size.values():
        originals = []
        for r in sorted(records, key=rank):
            original = next((o for o in originals if same(o.path, r.path)), None)
            if original is None:
                originals.append(r)
            else:
                out[r.path] = original.path
    return out


def _time_lapse(folder: Path, frames: int) -> list[ScanRecord]:
    """``frames`` BMP frames of one size (300 x 400: 360 KB, more than the 2 x 64 KiB a sample reads), each
    another picture; copies of some (``(1)``, ``copy``), frames that differ from another in middle rows only
    (one with a copy of its own), a symbolic link to a frame and a frame listed but gone."""
    folder.mkdir()
    paths = []
    for i in range(frames):
        path = folder / f"IMG_{i:04d}.bmp"
        Image.fromarray(textured(i, (300, 400))).save(path, format="BMP")
        paths.append(path)
    for i in (3, 7, 11):
        shutil.copyfile(paths[i], folder / f"IMG_{i:04d} (1).bmp")
    shutil.copyfile(paths[3], folder / "IMG_0003 copy.bmp")
    for i in (5, 6):
        data = bytearray(paths[i].read_bytes())
        middle = len(data) // 2
        data[middle:middle + 1200] = bytes(255 - b for b in data[middle:middle + 1200])
        (folder / f"IMG_{i:04d}-mid.bmp").write_bytes(bytes(data))
    shutil.copyfile(folder / "IMG_0005-mid.bmp", folder / "IMG_0005-mid (1).bmp")
    os.symlink(paths[9], folder / "IMG_0009 link.bmp")
    names = sorted(os.listdir(folder))
    size = paths[0].stat().st_size
    records = [ScanRecord(path=str(folder / name), size=os.stat(folder / name).st_size,
                          mtime_ns=1_600_000_000 * 10**9) for name in names]
    assert {r.size for r in records} == {size}
    os.unlink(paths[frames - 1])
    return records


def _counting_opens(records, folder):
    """:func:`identical_copies` of ``records``, the files it opens under ``folder`` counted in ``_opened``."""
    _opened.clear()
    _watch[:] = [str(folder)]
    try:
        return identical_copies(records)
    finally:
        _watch.clear()


def test_copies_in_a_large_group_of_one_size_are_found_reading_each_file_a_few_times(tmp_path):
    records = _time_lapse(tmp_path / "lapse", 40)
    copies = _counting_opens(records, tmp_path / "lapse")
    folder = str(tmp_path / "lapse") + os.sep
    assert {k.removeprefix(folder): v.removeprefix(folder) for k, v in copies.items()} == {
        "IMG_0003 (1).bmp": "IMG_0003.bmp", "IMG_0003 copy.bmp": "IMG_0003.bmp",
        "IMG_0007 (1).bmp": "IMG_0007.bmp", "IMG_0011 (1).bmp": "IMG_0011.bmp",
        "IMG_0005-mid (1).bmp": "IMG_0005-mid.bmp", "IMG_0009 link.bmp": "IMG_0009.bmp"}
    assert copies == _pairwise(records)
    # each of the 48 files opened once for its ends, and those whose ends match another's (15: the copies, their
    # originals, the frames differing in the middle) once more; a pairwise comparison opened them 1,800 times
    assert len(_opened) <= len(records) + 15, len(_opened)


def test_a_group_of_one_size_without_copies_reads_only_the_ends(tmp_path):
    records = _time_lapse(tmp_path / "lapse", 30)
    records = [r for r in records if " " not in os.path.basename(r.path) and "-mid" not in r.path]
    copies = _counting_opens(records, tmp_path / "lapse")
    assert copies == {} == _pairwise(records)
    assert len(_opened) <= len(records), len(_opened)
