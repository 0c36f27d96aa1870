"""More of a library moved to a FAT or exFAT drive (blurscan.coarsened): another photo of the name and size never
inherits a stored photo's keep or discard (its record stored with other settings, so that no later check reads
its bytes); FAT's whole 2 seconds and exFAT's 10 milliseconds, written out (the module's constants are what is
tested); two copies of one vanished photo, or two vanished photos for one file, are ambiguous; a photo that
`blurscan move` took away is not claimed by its copy (found by mutation testing of coarsened.py). Real scans of
BMPs (model "none"), the drive's times made with ``os.utime``."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from blurscan.review import decisions
from blurscan.store import Store
from test_renamed_stale_burst import _run
from test_shifted import _bmp, _decide, _marked

SECOND = 10**9


def _at(path: Path, ns: int) -> None:
    os.utime(path, ns=(ns, ns))


def _scan(folder: Path, *more: str) -> str:
    return _run("scan", str(folder), "--model", "none", "--workers", "1", *more)


def _decided(db: Path, decision: str, under: Path) -> set[str]:
    """The photos under ``under`` whose ``decision`` (keep or discard) applies to the file as it is."""
    with Store(db) as store:
        return {p for p in decisions.current(store, decision) if p.startswith(str(under) + os.sep)}


def _would_move(folder: Path, tmp_path: Path, *more: str) -> list[str]:
    """The file names a `move` (dry run) of ``folder`` would take."""
    out = _run("move", "--to", str(tmp_path / "rejects"), *more, str(folder))
    return [os.path.basename(line.split()[2]) for line in out.splitlines() if line.startswith("would move ")]


def test_another_photo_of_the_name_and_size_never_takes_a_discard_stored_with_other_settings(tmp_path, decode_calls):
    """Scanned with ``--long-side 256``, discarded; on the drive another photo of its name and size, a second
    off. Its scores are not reused (other settings), so only the bytes compared here tell it from the photo
    discarded: taken for it, it got the discard, and `move` took a photo never reviewed."""
    lib = tmp_path / "lib"
    lib.mkdir()
    photo = _bmp(lib / "scan_0001.bmp", 1)
    _at(photo, 1_700_000_001 * SECOND + 987_654_321)
    _scan(lib, "--long-side", "256")
    _decide(lib, "scan_0001.bmp", "discard")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    _bmp(card / "scan_0001.bmp", 2)  # other pixels, the same size
    _at(card / "scan_0001.bmp", 1_700_000_000 * SECOND)  # FAT: rounded down to 2 s
    decode_calls.clear()
    _scan(card)
    assert decode_calls == [str(card / "scan_0001.bmp")]
    assert _marked(card) == {}
    assert _would_move(card, tmp_path) == []


@pytest.mark.parametrize("new_ns", [1_700_000_000 * SECOND, 1_700_000_002 * SECOND, 1_700_000_001_980_000_000],
                         ids=["FAT-down", "FAT-up", "exFAT"])
def test_the_drives_own_steps_written_out(tmp_path, decode_calls, new_ns):
    """A photo's time 1.987654321 s past an even second: FAT keeps it rounded down (1.99 s off) or up (Windows,
    0.01 s off), exFAT to 10 ms (0.008 s off, not a whole second). Each is recognised, its keep carried."""
    lib = tmp_path / "lib"
    lib.mkdir()
    _at(_bmp(lib / "scan_0001.bmp", 1), 1_700_000_001 * SECOND + 987_654_321)
    _scan(lib, "--long-side", "256")  # (another key: the keep can come only by this module's match)
    _decide(lib, "scan_0001.bmp", "keep")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    _at(card / "scan_0001.bmp", new_ns)
    _scan(card, "--long-side", "256")
    assert _marked(card) == {"scan_0001.bmp": "keep"}


def _one_discarded(tmp_path: Path) -> tuple[Path, Path]:
    """``lib`` holding one BMP, its time with a fraction of a second, scanned into ``one.db`` beside it and
    discarded: ``(lib, db)``."""
    lib, db = tmp_path / "lib", tmp_path / "one.db"
    lib.mkdir()
    _at(_bmp(lib / "scan_0001.bmp", 1), 1_700_000_001 * SECOND + 987_654_321)
    _scan(lib, "--db", str(db))
    with Store(db) as store:
        decisions.decide(store, str(lib / "scan_0001.bmp"), "discard")
    return lib, db


def test_two_copies_of_one_vanished_photo_on_the_drive_take_neither_its_discard(tmp_path):
    """The photo copied twice onto the drive (two folders), one copy's time rounded down, the other's up: which
    of them is "the photo moved" cannot be told, so neither gets its discard."""
    lib, db = _one_discarded(tmp_path)
    card = tmp_path / "card"
    for sub, ns in (("a", 1_700_000_000 * SECOND), ("b", 1_700_000_002 * SECOND)):
        (card / sub).mkdir(parents=True)
        shutil.copy(lib / "scan_0001.bmp", card / sub / "scan_0001.bmp")
        _at(card / sub / "scan_0001.bmp", ns)
    shutil.rmtree(lib)
    _scan(card, "--db", str(db))
    assert _decided(db, "discard", card) == set()


def test_two_vanished_photos_of_the_name_for_one_file_give_it_neither_decision(tmp_path):
    """Two copies of one photo in two folders, one kept, the other discarded, both gone, one copy on the drive:
    which decision is its own cannot be told."""
    lib, db = tmp_path / "lib", tmp_path / "one.db"
    (lib / "b").mkdir(parents=True)
    _at(_bmp(lib / "scan_0001.bmp", 1), 1_700_000_001 * SECOND + 987_654_321)
    shutil.copy2(lib / "scan_0001.bmp", lib / "b" / "scan_0001.bmp")
    _scan(lib, "--db", str(db))
    with Store(db) as store:
        decisions.decide(store, str(lib / "scan_0001.bmp"), "keep")
        decisions.decide(store, str(lib / "b" / "scan_0001.bmp"), "discard")
    (tmp_path / "card").mkdir()
    shutil.copy(lib / "scan_0001.bmp", tmp_path / "card" / "scan_0001.bmp")
    _at(tmp_path / "card" / "scan_0001.bmp", 1_700_000_000 * SECOND)
    shutil.rmtree(lib)
    _scan(tmp_path / "card", "--db", str(db))
    assert _decided(db, "discard", tmp_path / "card") == _decided(db, "keep", tmp_path / "card") == set()


def test_a_copy_of_a_photo_move_took_away_leaves_it_to_undo(tmp_path):
    """A discard moved by `blurscan move` to a folder, copied from there to a FAT drive and scanned: the copy is
    not the photo moved (undo puts that one back), so the discard stays with it and applies after the undo. Taken
    for it, the copy gave the stored photo its time, and the discard was lost once the photo came back."""
    lib, db = _one_discarded(tmp_path)
    _run("move", "--yes", "--db", str(db), "--to", str(tmp_path / "rejects"), str(lib))
    moved = next((tmp_path / "rejects").rglob("scan_0001.bmp"))
    (tmp_path / "card").mkdir()
    shutil.copy(moved, tmp_path / "card" / "scan_0001.bmp")
    _at(tmp_path / "card" / "scan_0001.bmp", 1_700_000_000 * SECOND)
    _scan(tmp_path / "card", "--db", str(db))
    assert _decided(db, "discard", tmp_path / "card") == set()  # (the copy is new: undecided)
    _run("undo", "--db", str(db))
    _scan(lib, "--db", str(db))  # (the photo as it came back: its own time)
    assert _decided(db, "discard", lib) == {str(lib / "scan_0001.bmp")}


def _one_size_pair_moved(tmp_path: Path) -> Path:
    """Two BMPs of one size, timed a second apart, scanned, the first kept and the second discarded, their
    library then moved to ``card/lib`` (returned) with its database; their times left as they were."""
    lib = tmp_path / "home" / "lib"
    lib.mkdir(parents=True)
    _at(_bmp(lib / "scan_0001.bmp", 1), 1_700_000_000 * SECOND + 300_000_000)
    _at(_bmp(lib / "scan_0002.bmp", 2), 1_700_000_001 * SECOND + 500_000_000)
    _scan(lib)
    _decide(lib, "scan_0001.bmp", "keep")
    _decide(lib, "scan_0002.bmp", "discard")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    return card


def test_photos_of_one_size_a_second_apart_keep_their_decisions(tmp_path, decode_calls):
    """Two scans of one size (an uncompressed BMP, TIFF or RAW: fixed-size files) taken a second apart: on FAT
    both have the same time, rounded down to 2 s. Each is its own stored photo by name and bytes, but the two
    new files of one size and time made the move ambiguous: until 2026-12-06 both were decoded again, the keep
    and the discard lost, and the old rows stayed ("no longer on disk")."""
    card = _one_size_pair_moved(tmp_path)
    for name in ("scan_0001.bmp", "scan_0002.bmp"):
        _at(card / name, 1_700_000_000 * SECOND)
    decode_calls.clear()
    assert "(0 unchanged and 2 moved or renamed, reused)" in _scan(card)
    assert decode_calls == []
    assert _marked(card) == {"scan_0001.bmp": "keep", "scan_0002.bmp": "discard"}
    assert _would_move(card, tmp_path) == ["scan_0002.bmp"]
    assert "no longer on disk" not in _run("report", str(card))


def test_photos_of_one_size_whose_names_were_swapped_on_the_way_take_neither_decision(tmp_path, decode_calls):
    """As above, the two names swapped as they were copied: each file has the other's name, so its name names a
    photo whose bytes it has not. Neither takes the other's keep or discard; both are scored afresh."""
    card = _one_size_pair_moved(tmp_path)
    os.rename(card / "scan_0001.bmp", card / "swap.bmp")
    os.rename(card / "scan_0002.bmp", card / "scan_0001.bmp")
    os.rename(card / "swap.bmp", card / "scan_0002.bmp")
    for name in ("scan_0001.bmp", "scan_0002.bmp"):
        _at(card / name, 1_700_000_000 * SECOND)
    decode_calls.clear()
    _scan(card)
    assert sorted(decode_calls) == [str(card / "scan_0001.bmp"), str(card / "scan_0002.bmp")]
    assert _marked(card) == {}
    assert _would_move(card, tmp_path) == []


def test_a_vanished_photo_goes_to_one_copy_only_over_the_scans_chunks(tmp_path, decode_calls, monkeypatch):
    """Two copies of the photo on an exFAT drive, 10 ms apart, each in its own lookup chunk: the first chunk's
    copy is the photo moved (its keep, its scores); the second's is scored afresh, as a copy (the photo's row,
    given the second's time too, is not taken twice)."""
    from blurscan import pipeline

    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 1)
    lib = tmp_path / "home" / "lib"
    lib.mkdir(parents=True)
    _at(_bmp(lib / "scan_0001.bmp", 1), 1_700_000_001 * SECOND + 987_654_321)
    _scan(lib)
    _decide(lib, "scan_0001.bmp", "keep")
    card = tmp_path / "card" / "lib"
    card.parent.mkdir()
    shutil.move(lib, card)
    (card / "b").mkdir()
    shutil.copy2(card / "scan_0001.bmp", card / "b" / "scan_0001.bmp")
    _at(card / "scan_0001.bmp", 1_700_000_001_980_000_000)
    _at(card / "b" / "scan_0001.bmp", 1_700_000_001_990_000_000)
    decode_calls.clear()
    _scan(card)
    assert len(decode_calls) == 1, decode_calls
    with Store(card / ".blurscan.db") as store:
        kept = decisions.current(store, "keep")
    assert len(kept) == 1 and {str(card / "scan_0001.bmp"), str(card / "b" / "scan_0001.bmp")} == {
        *kept, *decode_calls}
