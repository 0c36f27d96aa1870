"""A library moved to a FAT or exFAT drive, which keeps times only to 2 s or 10 ms (blurscan.coarsened): no photo
had its time to the nanosecond any more, so the whole library was decoded again, every keep, discard and burst
place lost, and the old rows stayed. Real scans of generated JPEGs (model "none") and BMPs; the drive's times
made with ``os.utime`` (FAT's, rounded down to 2 s, as Linux writes them; exFAT's to 10 ms)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from blurscan.coarsened import COARSE_NS, WINDOW_NS
from blurscan.review import decisions
from blurscan.store import Store
from test_renamed_stale_burst import _groups, _run, _taken, three_shot_burst
from test_shifted import HOUR, _bmp, _decide, _marked, _shift


def _coarsen(folder: Path, step: int) -> None:
    """Every photo's time under ``folder`` as a drive keeping times to ``step`` ns shows it (rounded down)."""
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            if not name.startswith(".blurscan"):
                path = os.path.join(parent, name)
                st = os.stat(path)
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns // step * step))


@pytest.mark.parametrize("step", [WINDOW_NS, COARSE_NS], ids=["FAT", "exFAT"])
def test_a_library_moved_to_a_fat_drive_keeps_its_results_and_decisions(tmp_path, decode_calls, step):
    lib = tmp_path / "home" / "lib"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper; IMG_0001.jpg, IMG_0003.jpg its candidates
    for name in os.listdir(lib):  # (a time with sub-second digits, as on the computer's own disk)
        if not name.startswith("."):
            st = os.stat(lib / name)
            os.utime(lib / name, ns=(st.st_atime_ns, st.st_mtime_ns // 10**9 * 10**9 + 987_654_321))
    _run("scan", str(lib), "--model", "none", "--workers", "1")
    _run("bursts", str(lib))
    _decide(lib, "IMG_0001.jpg", "keep")
    _decide(lib, "IMG_0003.jpg", "discard")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)  # its .blurscan.db with it
    _coarsen(card, step)
    decode_calls.clear()
    out = _run("scan", str(card), "--model", "none", "--workers", "1", "--format", "jsonl")
    assert decode_calls == []
    assert "(0 unchanged and 3 moved or renamed, reused)" in out
    assert _marked(card) == {"IMG_0001.jpg": "keep", "IMG_0003.jpg": "discard"}
    assert _taken(card, tmp_path) == {"IMG_0003.jpg"}
    assert _groups(card) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]
    assert "no longer on disk" not in _run("report", str(card))  # the old rows forgotten
    decode_calls.clear()
    assert "(3 unchanged, reused)" in _run("scan", str(card), "--model", "none", "--workers", "1")
    assert decode_calls == []  # the drive's times stored


def test_a_copy_on_a_fat_drive_is_scored_afresh_and_the_original_keeps_its_decision(tmp_path, decode_calls):
    """The original still in its place: a copy (one database for both, ``--db``), never given its rows."""
    lib, db = tmp_path / "lib", tmp_path / "card.db"
    lib.mkdir()
    _bmp(lib / "scan_0001.bmp", 1)
    _run("scan", str(lib), "--db", str(db), "--model", "none", "--workers", "1")
    with Store(db) as store:
        decisions.decide(store, str(lib / "scan_0001.bmp"), "keep")
    shutil.copytree(lib, tmp_path / "card" / "lib")
    _coarsen(tmp_path / "card", WINDOW_NS)
    decode_calls.clear()
    _run("scan", str(tmp_path / "card" / "lib"), "--db", str(db), "--model", "none", "--workers", "1")
    assert decode_calls == [str(tmp_path / "card" / "lib" / "scan_0001.bmp")]
    report = _run("report", "--db", str(db), "--format", "csv")
    assert str(lib / "scan_0001.bmp") in report
    with Store(db) as store:
        assert decisions.kept(store) == {str(lib / "scan_0001.bmp")}


def test_another_file_of_the_name_and_size_is_scored_afresh(tmp_path, decode_calls):
    """The photo deleted, another of its name and size put on the drive with a time close to its own."""
    lib = tmp_path / "lib"
    lib.mkdir()
    photo = _bmp(lib / "scan_0001.bmp", 1)
    _run("scan", str(lib), "--model", "none", "--workers", "1")
    _decide(lib, "scan_0001.bmp", "keep")
    old = os.stat(photo).st_mtime_ns
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    _bmp(card / "scan_0001.bmp", 2)  # other pixels, the same size
    os.utime(card / "scan_0001.bmp", ns=(old, old // WINDOW_NS * WINDOW_NS))
    decode_calls.clear()
    _run("scan", str(card), "--model", "none", "--workers", "1")
    assert decode_calls == [str(card / "scan_0001.bmp")]
    assert _marked(card) == {}


def _utc_ns(text: str) -> int:
    import datetime as dt

    return round(dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc).timestamp()) * 10**9


@pytest.mark.parametrize("was, kept", [
    ("1975-06-01T12:00:00.250", "1980-01-01T00:00:00"),  # FAT, exFAT: their earliest time
    ("1975-06-01T12:00:00", "1980-01-01T09:00:00"),      # the same, on a drive in the time zone UTC-9
    ("2040-03-01T10:00:00.5", "2038-01-19T03:14:07"),    # 32-bit times (ext4 with 128-byte inodes): the latest
    ("1979-12-31T23:59:59", "1980-01-01T00:00:00"),      # FAT: beyond its edge and within its 2 s (found once)
], ids=["FAT", "FAT UTC-9", "32-bit", "FAT within 2 s"])
def test_photos_dated_beyond_what_the_drive_keeps_keep_their_results_and_decisions(tmp_path, decode_calls,
                                                                                 was, kept):
    """Scanned slides dated 1975 by their EXIF, moved to a FAT drive, have its earliest time there (1980-01-01 00:00
    in its time zone): each was scored afresh, its keep or discard lost, its old row left."""
    lib = tmp_path / "home" / "lib"
    lib.mkdir(parents=True)
    for i in range(3):
        os.utime(_bmp(lib / f"slide{i}.bmp", i), ns=(_utc_ns(was[:19]), _utc_ns(was[:19]) + 250_000_000 * i))
    _run("scan", str(lib), "--model", "none", "--workers", "1")
    _decide(lib, "slide0.bmp", "keep")
    _decide(lib, "slide1.bmp", "discard")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)  # its .blurscan.db with it
    for name in os.listdir(card):
        if not name.startswith("."):
            os.utime(card / name, ns=(_utc_ns(kept), _utc_ns(kept)))  # the one time the drive keeps for them all
    decode_calls.clear()
    out = _run("scan", str(card), "--model", "none", "--workers", "1")
    assert decode_calls == []
    assert "(0 unchanged and 3 moved or renamed, reused)" in out
    assert _marked(card) == {"slide0.bmp": "keep", "slide1.bmp": "discard"}
    assert "no longer on disk" not in _run("report", str(card))
    decode_calls.clear()
    assert "(3 unchanged, reused)" in _run("scan", str(card), "--model", "none", "--workers", "1")
    assert decode_calls == []


def test_a_photo_not_dated_beyond_the_drives_edge_is_not_taken_for_one_at_it(tmp_path, decode_calls):
    """A photo of the name and size, dated after 1980, and a file at 1980-01-01 00:00: not that photo (its time
    cannot have become that one), scored afresh; so is a file at the edge whose bytes are others."""
    lib = tmp_path / "home" / "lib"
    lib.mkdir(parents=True)
    os.utime(_bmp(lib / "a.bmp", 1), ns=(_utc_ns("1985-01-01T00:00:00"),) * 2)
    os.utime(_bmp(lib / "b.bmp", 2), ns=(_utc_ns("1975-01-01T00:00:00"),) * 2)
    _run("scan", str(lib), "--model", "none", "--workers", "1")
    _decide(lib, "a.bmp", "discard")
    _decide(lib, "b.bmp", "discard")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    _bmp(card / "b.bmp", 3)  # other bytes of that size
    for name in ("a.bmp", "b.bmp"):
        os.utime(card / name, ns=(_utc_ns("1980-01-01T00:00:00"),) * 2)
    decode_calls.clear()
    _run("scan", str(card), "--model", "none", "--workers", "1")
    assert len(decode_calls) == 2
    assert _marked(card) == {}


def _stored(db: Path) -> dict[str, dict]:
    """File name -> its stored record, less what names the file where it is (its path and times)."""
    with Store(db) as store:
        rows = store.conn.execute("SELECT path, record FROM images").fetchall()
    return {os.path.basename(path): {k: v for k, v in json.loads(record).items()
                                     if k not in ("path", "mtime_ns", "ctime_ns")} for path, record in rows}


@pytest.mark.parametrize("shift", [HOUR, -HOUR, 5 * HOUR + 45 * 60 * 10**9, -26 * HOUR],
                         ids=["+1 h", "-1 h", "+5:45", "-26 h"])  # (-26 h: UTC+14 to UTC-12, the largest)
def test_a_card_mounted_elsewhere_in_another_time_zone_keeps_its_results_and_decisions(tmp_path, decode_calls,
                                                                                      shift):
    """A FAT card whose database is kept off it (``--db``), mounted at another place (``/media/me/CARD1``) on a
    computer in another time zone: every photo's time moved by the same whole quarter hours (FAT keeps local time).
    Until 2026-12-07 every photo was scored afresh, its keep and discard lost, and the old rows stayed: ``trash
    --all-blurry`` listed each as ``skipped: ... not there``. The scores are those of a fresh scan of the bytes."""
    card, db = tmp_path / "media" / "CARD" / "DCIM", tmp_path / "card.db"
    card.mkdir(parents=True)
    for i in range(3):
        _bmp(card / f"IMG_000{i}.BMP", i)
    _coarsen(card, WINDOW_NS)  # (as FAT keeps them)
    _run("scan", str(card), "--db", str(db), "--model", "none", "--workers", "1")
    with Store(db) as store:
        decisions.decide(store, str(card / "IMG_0000.BMP"), "keep")
        decisions.decide(store, str(card / "IMG_0001.BMP"), "discard")
    elsewhere = tmp_path / "media" / "CARD1" / "DCIM"
    elsewhere.parent.mkdir()
    shutil.move(card, elsewhere)
    _shift(elsewhere, shift)
    decode_calls.clear()
    out = _run("scan", str(elsewhere), "--db", str(db), "--model", "none", "--workers", "1")
    assert decode_calls == []
    assert "(0 unchanged and 3 moved or renamed, reused)" in out
    with Store(db) as store:
        assert decisions.kept(store) == {str(elsewhere / "IMG_0000.BMP")}
        assert decisions.current(store, "discard") == {str(elsewhere / "IMG_0001.BMP")}
        assert sorted(os.path.dirname(p) for p, in store.conn.execute("SELECT path FROM images")) == \
            [str(elsewhere)] * 3  # the old rows forgotten
    _run("scan", str(elsewhere), "--db", str(tmp_path / "fresh.db"), "--model", "none", "--workers", "1")
    assert _stored(db) == _stored(tmp_path / "fresh.db")


def test_another_file_of_the_name_and_size_an_hour_off_is_scored_afresh(tmp_path, decode_calls):
    """The card mounted elsewhere holds another photo of the name and size, its time a whole hour from the stored
    one's: its bytes tell, it is scored afresh and takes no decision."""
    card, db = tmp_path / "CARD", tmp_path / "card.db"
    card.mkdir()
    photo = _bmp(card / "IMG_0001.BMP", 1)
    _coarsen(card, WINDOW_NS)
    _run("scan", str(card), "--db", str(db), "--model", "none", "--workers", "1")
    with Store(db) as store:
        decisions.decide(store, str(photo), "keep")
    old = os.stat(photo).st_mtime_ns
    elsewhere = tmp_path / "CARD1"
    shutil.move(card, elsewhere)
    _bmp(elsewhere / "IMG_0001.BMP", 2)  # other pixels, the same size
    os.utime(elsewhere / "IMG_0001.BMP", ns=(old, old + HOUR))
    decode_calls.clear()
    _run("scan", str(elsewhere), "--db", str(db), "--model", "none", "--workers", "1")
    assert decode_calls == [str(elsewhere / "IMG_0001.BMP")]
    with Store(db) as store:
        assert str(elsewhere / "IMG_0001.BMP") not in decisions.kept(store)
