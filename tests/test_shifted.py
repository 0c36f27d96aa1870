"""A library on a FAT memory card whose every modification time moved by a whole hour (daylight saving, the card
read in another time zone: FAT stores local time), the files untouched (blurscan.shifted). A re-scan decoded
every photo again, every keep and discard stopped applying and ``move --from-bursts`` skipped every shot.
Real scans of generated JPEGs (model "none") and a BMP, the shift made with ``os.utime`` as the card shows it."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from blurscan.review import decisions
from blurscan.shifted import is_clock_shift
from blurscan.store import Store
from test_renamed_stale_burst import _groups, _run, _scan, _taken, three_shot_burst

HOUR = 3600 * 10**9


def _shift(lib: Path, delta_ns: int) -> None:
    """Every file's modification time moved by ``delta_ns``, its bytes untouched (as a FAT card after the clocks
    changed; the database left as it was)."""
    for folder, _dirs, names in os.walk(lib):
        for name in names:
            if not name.startswith(".blurscan"):
                path = os.path.join(folder, name)
                st = os.stat(path)
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + delta_ns))


def _decide(lib: Path, name: str, decision: str) -> None:
    """The keep or discard the review page records."""
    with Store(lib / ".blurscan.db") as store:
        decisions.decide(store, str(lib / name), decision)


def _marked(lib: Path) -> dict[str, str]:
    """File name -> the keep or discard that applies to the file as it is (as `report` and `move` see it), for the
    photos in ``lib``."""
    with Store(lib / ".blurscan.db") as store:
        return {os.path.basename(p): d for d in decisions.DECISIONS for p in decisions.current(store, d)
                if os.path.dirname(p) == str(lib)}


def test_a_clock_shift_decodes_nothing_and_keeps_the_decisions(tmp_path, decode_calls):
    lib = tmp_path / "card"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper; IMG_0001.jpg, IMG_0003.jpg its candidates
    _decide(lib, "IMG_0001.jpg", "keep")
    _decide(lib, "IMG_0003.jpg", "discard")
    assert _taken(lib, tmp_path) == {"IMG_0003.jpg"}  # (the kept shot is never a candidate)
    for delta in (HOUR, -2 * HOUR, 45 * 60 * 10**9):  # the clocks forward, back, to a zone 45 minutes off
        _shift(lib, delta)
        decode_calls.clear()
        out = _run("scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl")
        assert decode_calls == [], delta
        assert "(3 unchanged, reused)" in out
        assert _marked(lib) == {"IMG_0001.jpg": "keep", "IMG_0003.jpg": "discard"}
        assert _taken(lib, tmp_path) == {"IMG_0003.jpg"}  # not skipped as "not the file its burst was ranked on"
        assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]
    decode_calls.clear()
    _scan(lib)  # the new times stored: the next scan reads nothing at all
    assert decode_calls == []


def _bmp(path: Path, seed: int) -> Path:
    """An uncompressed BMP (its size set by its pixels alone: an edit keeps it), smaller than a sample's 128 KiB."""
    pixels = np.random.default_rng(seed).integers(0, 256, (96, 128, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, format="BMP")
    return path


def test_a_file_edited_and_shifted_is_scored_afresh_and_to_review_again(tmp_path, decode_calls):
    """Another version of the file, of the same size, its time a whole hour from the one stored: its bytes tell."""
    lib = tmp_path / "card"
    lib.mkdir()
    photo = _bmp(lib / "scan_0001.bmp", 1)
    _bmp(lib / "scan_0002.bmp", 2)
    _scan(lib)
    _decide(lib, "scan_0001.bmp", "keep")
    _decide(lib, "scan_0002.bmp", "keep")
    old = os.stat(photo)
    _bmp(photo, 3)  # edited: other pixels, same size
    os.utime(photo, ns=(old.st_atime_ns, old.st_mtime_ns + HOUR))
    decode_calls.clear()
    _scan(lib)
    assert decode_calls == [str(photo)]
    assert _marked(lib) == {"scan_0002.bmp": "keep"}


def test_what_counts_as_a_clock_shift():
    assert is_clock_shift(0, HOUR) and is_clock_shift(HOUR, 0) and is_clock_shift(0, 30 * 60 * 10**9)
    assert is_clock_shift(0, 26 * HOUR) and not is_clock_shift(0, 27 * HOUR)
    assert not is_clock_shift(5, 5) and not is_clock_shift(0, HOUR + 1) and not is_clock_shift(0, 10**9)


def test_a_shifted_photos_status_change_time_is_stored_as_a_scanned_ones(tmp_path, monkeypatch):
    """The records a clock shift keeps took the file's status-change time as it was: on a drive of coarse times, a
    photo changed again in that very second (its size kept) then looked unchanged for good. They go through
    ``filetime.ctime_of`` as every scanned record does (None there: its sample read by the next scan)."""
    lib = tmp_path / "card"
    three_shot_burst(lib)
    _shift(lib, HOUR)
    for module in ("shifted", "replaced"):  # (a coarse status-change time within its second, wherever it is read)
        monkeypatch.setattr(f"blurscan.{module}.ctime_of", lambda st, now_ns=None: None)
    assert "(3 unchanged, reused)" in _run("scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl")
    with Store(lib / ".blurscan.db") as store:
        assert [store.record(str(lib / f"IMG_000{i}.jpg")).ctime_ns for i in (1, 2, 3)] == [None] * 3
