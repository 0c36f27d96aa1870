"""More of a FAT card's clock shift (blurscan.shifted): only what was made on the version of the file stored is
given the new time (a keep or discard made on an earlier version, a burst place ranked on one, stays out of date),
and a record stored with other settings is not reused (found by mutation testing of shifted.py). Real scans of
generated JPEGs (model "none") and BMPs, the shift made with ``os.utime`` as the card shows it."""
from __future__ import annotations

import os

from test_renamed_stale_burst import _run, _scan, _taken, three_shot_burst
from test_shifted import HOUR, _bmp, _decide, _marked, _shift


def test_a_discard_made_on_an_earlier_version_does_not_apply_after_a_clock_shift(tmp_path):
    """The photo edited since its discard (other pixels, same size): the discard is out of date, and a clock
    shift must not give it the new time (``move`` would then take the edited photo, never reviewed)."""
    lib = tmp_path / "card"
    lib.mkdir()
    photo = _bmp(lib / "scan_0001.bmp", 1)
    _bmp(lib / "scan_0002.bmp", 2)
    _scan(lib)
    _decide(lib, "scan_0001.bmp", "discard")
    _decide(lib, "scan_0002.bmp", "discard")
    old = os.stat(photo)
    _bmp(photo, 3)  # edited: other pixels, the same size, a time of its own
    os.utime(photo, ns=(old.st_atime_ns, old.st_mtime_ns + 7 * 10**9 + 123))
    _scan(lib)
    assert _marked(lib) == {"scan_0002.bmp": "discard"}  # "changed since it was reviewed"
    _shift(lib, HOUR)
    out = _run("scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl")
    assert "(2 unchanged, reused)" in out  # both recognised as shifted
    assert _marked(lib) == {"scan_0002.bmp": "discard"}
    out = _run("move", "--to", str(tmp_path / "rejects"), str(lib))
    moving = [line for line in out.splitlines() if line.startswith("would move ")]
    assert len(moving) == 1 and "scan_0002.bmp" in moving[0]


def test_a_burst_place_ranked_on_an_earlier_time_stays_out_of_date_after_a_clock_shift(tmp_path):
    """A shot touched since its burst was ranked (``bursts`` not run again): ``move --from-bursts`` skips it,
    "not the file its burst was ranked on", and still does after a clock shift."""
    lib = tmp_path / "card"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper; IMG_0001.jpg, IMG_0003.jpg its candidates
    assert _taken(lib, tmp_path) == {"IMG_0001.jpg", "IMG_0003.jpg"}
    st = os.stat(lib / "IMG_0003.jpg")
    os.utime(lib / "IMG_0003.jpg", ns=(st.st_atime_ns, st.st_mtime_ns + 3 * 10**9 + 7))
    _scan(lib)
    assert _taken(lib, tmp_path) == {"IMG_0001.jpg"}
    _shift(lib, -HOUR)
    assert "(3 unchanged, reused)" in _run("scan", str(lib), "--model", "none", "--workers", "1",
                                           "--format", "jsonl")
    assert _taken(lib, tmp_path) == {"IMG_0001.jpg"}


def test_a_record_stored_with_other_settings_is_scored_afresh_its_decision_kept(tmp_path, decode_calls):
    """Scanned with ``--long-side 256``, the clocks changed, scanned with the default settings: the old scores are
    not this scan's, so the photo is decoded; the keep made on it still applies (given the new time)."""
    lib = tmp_path / "card"
    lib.mkdir()
    photo = _bmp(lib / "scan_0001.bmp", 1)
    _run("scan", str(lib), "--model", "none", "--workers", "1", "--long-side", "256")
    _decide(lib, "scan_0001.bmp", "keep")
    _shift(lib, HOUR)
    decode_calls.clear()
    _scan(lib)
    assert decode_calls == [str(photo)]
    assert _marked(lib) == {"scan_0001.bmp": "keep"}
