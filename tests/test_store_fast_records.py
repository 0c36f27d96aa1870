"""A re-scan builds each reused record without the dataclass ``__init__`` (stored_records._record's fast path, 10x cheaper
than ScanRecord.from_row): the keys of a stored record must be those the fast path knows. Since the scan's
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
