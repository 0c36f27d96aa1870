"""A re-scan builds each reused record by stored_records._record's fast path (the stored values to the dataclass
``__init__`` by position, 4x cheaper than ScanRecord.from_row): the keys of a stored record must be those the fast path
knows. Since the scan's
``rescored`` and ``redated`` (never stored) were added, no stored row matched, and every reused record of every
re-scan took the slow path (until 2026-12-06)."""
from __future__ import annotations

import pytest

from helpers_images import save_jpeg, textured
from helpers_sqlite import connected


def test_a_rescan_reads_its_stored_records_by_the_fast_path(tmp_path, monkeypatch):
    import blurscan
    from blurscan.config import ScanSettings
    from blurscan.records import ScanRecord

    for i in range(3):
        save_jpeg(tmp_path / "lib" / f"IMG_{i}.jpg", textured(i, (96, 128)))
    db = str(tmp_path / "lib.db")
    settings = ScanSettings(workers=1, model="none")
    first = {r.path: r for r in blurscan.scan([tmp_path / "lib"], settings, db=db)}

    def slow(cls, row):
        raise AssertionError(f"a stored record took the slow path: keys {sorted(row)}")

    monkeypatch.setattr(ScanRecord, "from_row", classmethod(slow))
    again = {r.path: r for r in blurscan.scan([tmp_path / "lib"], settings, db=db)}
    assert set(again) == set(first) and all(r.cached for r in again.values())
    for path, record in again.items():
        assert (record.verdict, record.laplacian_var, record.sample) == (first[path].verdict,
                                                                         first[path].laplacian_var, first[path].sample)
        assert record.rescored is None and record.redated is False and record.moved_from is None


@pytest.mark.parametrize("missing", [(), ("exposure_setting",), ("exposure_setting", "camera"),
                                     ("exposure_setting", "camera", "exposure_ev"),
                                     ("exposure_setting", "camera", "exposure_ev", "judged_twin"),
                                     ("exposure_setting", "camera", "exposure_ev", "judged_twin", "dates"),
                                     ("exposure_setting", "camera", "exposure_ev", "judged_twin", "dates",
                                      "captured_subsec"),
                                     ("exposure_setting", "camera", "exposure_ev", "judged_twin", "dates",
                                      "captured_subsec", "ctime_ns", "sample", "unread_twin", "note")])
def test_rows_of_earlier_versions_are_read_by_the_fast_path_too(missing, monkeypatch):
    import json

    from blurscan import store
    from blurscan.records import ScanRecord

    row = ScanRecord(path="/x/a.jpg", size=1, mtime_ns=2, verdict="sharp").to_row()
    for name in missing:
        del row[name]
    monkeypatch.setattr(ScanRecord, "from_row", classmethod(lambda cls, row: pytest.fail("slow path")))
    record = store.stored_record(json.dumps(row))
    assert (record.path, record.verdict, record.judged_twin, record.rescored) == ("/x/a.jpg", "sharp", None, None)


def test_a_library_stored_by_the_release_before_is_read_by_the_fast_path(tmp_path, monkeypatch):
    """Rows stored before 2026-12-06 have neither ``dates`` nor ``judged_twin``: ``dates`` was not among the fields
    the fast path knows were added, so every such row took the slow path (``report``, a rescan's lookups), and a
    RAW's or an error's row for good (redate writes ``dates`` on neither)."""
    import json

    from click.testing import CliRunner

    from blurscan.cli import main
    from blurscan.records import ScanRecord

    lib = tmp_path / "lib"
    for i in range(3):
        save_jpeg(lib / f"IMG_{i}.jpg", textured(i, (96, 128)))
    (lib / "broken.jpg").write_bytes(b"\xff\xd8\xff not a JPEG")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--workers", "1", "--model", "none", "-o",
                                str(tmp_path / "a.jsonl")]).exit_code == 0
    with connected(lib / ".blurscan.db") as conn:  # as the release before (75ea52f) stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            row = json.loads(blob)
            del row["dates"], row["judged_twin"], row["exposure_ev"], row["camera"]  # (the last two since 2026-12-07,
            del row["exposure_setting"]                                                  # and this one)
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(row), path))

    def slow(cls, row):
        raise AssertionError(f"a stored record took the slow path: keys {sorted(row)}")

    monkeypatch.setattr(ScanRecord, "from_row", classmethod(slow))
    result = runner.invoke(main, ["report", str(lib), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 4
    result = runner.invoke(main, ["scan", str(lib), "--workers", "1", "--model", "none", "-o",
                                  str(tmp_path / "b.jsonl")])
    assert result.exit_code == 0, result.output
    assert "3 unchanged, reused" in result.output


def _every_field_its_own_value():
    """A record whose every field holds a value of its own (JSON-able), so that a value given to another field shows."""
    import dataclasses

    from blurscan.records import ScanRecord

    values = {f.name: f"value of {f.name}" for f in dataclasses.fields(ScanRecord)}
    values.update(scores={"tenengrad": 1.5}, grid=[[0.25, None]], grid_box=[0.0, 0.0, 1.0, 1.0], cached=True,
                  redated=True, unread_twin=["/x/a.dng", "unreadable"], judged_twin=[3, 4],
                  camera=["Canon", "EOS R5", None], exposure_setting=[0, -1.0], p_blurry=0.125, laplacian_var=250.5,
                  width=4032, height=3024, size=1234, mtime_ns=5678, ctime_ns=9012, captured_subsec=0.375, dates=7,
                  exposure_ev=11.5, captured_at="2026-12-07T10:00:00")
    return ScanRecord(**values)


def test_records_hold_their_fields_in_slots_not_a_dict_each(tmp_path):
    """Past 30 fields (2026-12-06's ``dates``) each instance's ``__dict__`` was a whole dict, 1,584 bytes (832 from the
    fast path): about 1.5 KB a photo in every command that holds records (until 2026-12-07). Every way a record is
    made: a scan's, a rescan's (the fast path), the slow path's, an error's."""
    import json
    import sys
    import weakref

    import blurscan
    from blurscan import store
    from blurscan.config import ScanSettings
    from blurscan.records import ScanRecord

    for i in range(2):
        save_jpeg(tmp_path / "lib" / f"IMG_{i}.jpg", textured(i, (96, 128)))
    (tmp_path / "lib" / "broken.jpg").write_bytes(b"\xff\xd8\xff not a JPEG")
    settings, db = ScanSettings(workers=1, model="none"), str(tmp_path / "lib.db")
    scanned = list(blurscan.scan([tmp_path / "lib"], settings, db=db))
    reused = list(blurscan.scan([tmp_path / "lib"], settings, db=db))
    assert len(scanned) == len(reused) == 3 and sum(r.cached for r in reused) == 2
    row = next(r for r in reused if r.cached).to_row()
    row["written_by_a_later_blurscan"] = 1
    slow = store.stored_record(json.dumps(row))
    assert slow.path == row["path"] and not slow.cached
    for record in [*scanned, *reused, slow, ScanRecord.from_error(str(tmp_path / "x.jpg"), "cannot decode")]:
        assert not hasattr(record, "__dict__"), record.path
        assert sys.getsizeof(record) < 8 * 48, sys.getsizeof(record)  # (34 fields of 8 bytes, and the header)
        with pytest.raises(AttributeError):
            record.not_a_field = 1
        assert weakref.ref(record)() is record  # (as before: bench/throughput.py's scan child counts on it)


def test_the_fast_path_gives_each_stored_value_to_its_own_field():
    """The fast path hands a stored row's values to the record's ``__init__`` by position: each must land in its own
    field (and the fields never stored keep their defaults), as the slow path's does by name."""
    import dataclasses
    import json

    from blurscan import store
    from blurscan.records import ScanRecord

    record = _every_field_its_own_value()
    back = store.stored_record(json.dumps(record.to_row()))
    slow = ScanRecord.from_row(json.loads(json.dumps(record.to_row())))
    assert back == slow == dataclasses.replace(record, cached=False, moved_from=None, rescored=None, redated=False)
    assert back.to_json() == record.to_json()


@pytest.mark.parametrize("missing", [("exposure_setting", "camera", "exposure_ev", "judged_twin", "dates",
                                      "captured_subsec", "ctime_ns", "sample", "unread_twin", "note")])
def test_a_row_of_an_earlier_version_leaves_the_fields_added_since_at_their_defaults(missing):
    import json

    from blurscan import store

    record = _every_field_its_own_value()
    row = record.to_row()
    for name in missing:
        del row[name]
    back = store.stored_record(json.dumps(row))
    assert all(getattr(back, name) is None for name in missing)
    assert all(getattr(back, name) == value for name, value in row.items())


def test_a_record_crosses_processes_and_copies_with_its_fields():
    """The scan's workers send records to the parent pickled; ``dataclasses.replace`` and ``asdict`` are used on them
    (README, Python API)."""
    import copy
    import dataclasses
    import pickle

    record = _every_field_its_own_value()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(record, protocol))
        assert again == record and again.cached is True and again.redated is True
    assert copy.deepcopy(record) == copy.copy(record) == record
    assert dataclasses.asdict(record)["camera"] == ["Canon", "EOS R5", None]
    assert dataclasses.replace(record, verdict="blurry").verdict == "blurry"
