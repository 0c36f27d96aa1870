"""The first rescan after an upgrade that reads the stored photos' dates, exposures and cameras again
(:mod:`blurscan.redate`: 2 to 4 times a plain rescan's time, the headers read once, the scores reused) says so
before it reads them, in one ``note:`` line on stderr; until 2026-12-07 it ran without a word, and a note came
only afterwards, where a date had changed. The records an older release stored are made as
tests/test_scan_redate.py makes them (no ``dates``). Real scans of generated photos, through the CLI and the API."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from blurscan import pipeline, redate
from blurscan.cli import main
from blurscan.config import ScanSettings
from helpers_images import textured
from helpers_sqlite import connected

NOTE = "note: reading again the capture times, exposures and cameras of"


def _library(tmp_path: Path, n: int) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    for i in range(n):
        exif = Image.Exif()
        exif[0x9003] = f"2024:07:14 18:03:2{i}"
        Image.fromarray(textured(i)).save(lib / f"IMG_{i}.jpg", exif=exif, quality=90)
    return lib


def _scan(lib: Path):
    result = CliRunner().invoke(main, ["scan", str(lib), "--workers", "1", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return result


def _stored_by_an_older_release(lib: Path) -> None:
    with connected(lib / ".blurscan.db") as conn:
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            row = json.loads(blob)
            row.pop("dates", None)
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(row), path))


def test_the_rescan_after_an_upgrade_says_it_reads_the_photos_headers_again_once(tmp_path):
    lib = _library(tmp_path, 3)
    assert NOTE not in _scan(lib).stderr  # a first scan reads everything anyway
    _stored_by_an_older_release(lib)
    result = _scan(lib)
    said = result.stderr.splitlines()
    line = next(x for x in said if x.startswith(NOTE))
    assert line == f"{NOTE} 3 photos scanned by an older blurscan: once, after the upgrade; their scores are " \
        "reused, not computed again"
    assert said.index(line) < next(i for i, x in enumerate(said) if x.startswith("scanned 3 files"))
    assert "(3 unchanged, reused)" in result.stderr
    assert [json.loads(x)["path"] for x in result.stdout.splitlines()]  # stdout: the JSON Lines alone
    assert NOTE not in result.stdout
    assert NOTE not in _scan(lib).stderr  # read once: the next scan reads none and says nothing


def test_the_note_comes_before_the_headers_are_read(tmp_path, monkeypatch):
    lib = _library(tmp_path, 2)
    list(pipeline.scan(lib, ScanSettings(workers=1), db=str(lib / ".blurscan.db")))
    _stored_by_an_older_release(lib)
    events, read_dates = [], redate.read_dates
    monkeypatch.setattr(redate, "read_dates", lambda path: events.append("read") or read_dates(path))
    records = list(pipeline.scan(lib, ScanSettings(workers=1), db=str(lib / ".blurscan.db"),
                                 redating=lambda n: events.append(("told", n))))
    assert all(r.cached for r in records)
    assert events == [("told", 2), "read", "read"]


def test_a_library_of_several_lookup_chunks_is_told_once_of_its_first(tmp_path, monkeypatch):
    lib = _library(tmp_path, 5)
    _scan(lib)
    _stored_by_an_older_release(lib)
    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)
    said = [x for x in _scan(lib).stderr.splitlines() if x.startswith(NOTE)]
    assert said == [f"{NOTE} photos (2 so far: the files are looked up 2 at a time, any others as the scan reaches "
                    "them) scanned by an older blurscan: once, after the upgrade; their scores are reused, not computed "
                    "again"]


def test_photos_of_a_later_lookup_chunk_are_not_said_to_be_of_the_first(tmp_path, monkeypatch):
    """A library of 5,003 files whose 3 last (b/) alone were scanned by an older blurscan: the note said `3 of the
    first 5,000 files, the rest as the scan reaches them`, of files 5,001-5,003 and no rest (2026-12-07, the real
    CLI). The same with chunks of 2: a/'s 3 photos stored now, b/'s 1 by an older release."""
    lib = _library(tmp_path, 0)
    for sub, n in (("a", 3), ("b", 1)):
        (lib / sub).mkdir()
        for i in range(n):
            Image.fromarray(textured(i)).save(lib / sub / f"IMG_{i}.jpg", quality=90)
    _scan(lib)
    with connected(lib / ".blurscan.db") as conn:
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            if "/b/" in path:
                row = json.loads(blob)
                row.pop("dates", None)
                conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(row), path))
    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)
    said = [x for x in _scan(lib).stderr.splitlines() if x.startswith(NOTE)]
    assert len(said) == 1 and "of the first" not in said[0] and "(1 so far: " in said[0], said


def test_a_library_of_exactly_one_lookup_chunk_is_told_its_count(tmp_path, monkeypatch):
    """Files as many as one chunk of lookups: all looked up at once, so the note gives their count (not "so far").
    One photo is one photo, whose score is reused: "1 photo ...; their scores are reused" until 2026-12-07."""
    lib = _library(tmp_path, 2)
    _scan(lib)
    _stored_by_an_older_release(lib)
    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)
    said = [x for x in _scan(lib).stderr.splitlines() if x.startswith(NOTE)]
    assert said == [f"{NOTE} 2 photos scanned by an older blurscan: once, after the upgrade; their scores are reused, "
                    "not computed again"]
    (lib / "IMG_1.jpg").unlink()
    _scan(lib)
    _stored_by_an_older_release(lib)
    said = [x for x in _scan(lib).stderr.splitlines() if x.startswith(NOTE)]
    assert said == [f"{NOTE} 1 photo scanned by an older blurscan: once, after the upgrade; its score is reused, "
                    "not computed again"]


def test_the_counts_are_written_with_thousands_separators():
    """The counts of a big library's note, as the scan's others ("5,003 files"): 1,234 photos, 5,000 at a time."""
    from blurscan.cli.redate_notes import RedatingNote

    said: list[str] = []
    RedatingNote(said.append, [3_000])(1_234)
    RedatingNote(said.append, [pipeline.LOOKUP_CHUNK + 1])(1_234)
    assert [x[len(NOTE):].split(" scanned by")[0] for x in said] == [
        " 1,234 photos", f" photos (1,234 so far: the files are looked up {pipeline.LOOKUP_CHUNK:,} at a time, any "
        "others as the scan reaches them)"]
