"""``bench/rescan.py`` writes its library's records as a blurscan from before 2026-12-03 stored them (no
status-change time, no byte sample), so its first re-scan reads every file's sample and stores it; the best of
three it printed came after that run, which no column showed, while docs/scan.md cites the script for that first
re-scan's cost. Run here on a small library for the table's columns only: no time is checked."""
from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_the_table_shows_the_first_re_scan_that_stores_the_samples(capsys):
    spec = importlib.util.spec_from_file_location("bench_rescan", BENCH / "rescan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([300])
    lines = capsys.readouterr().out.splitlines()
    head = lines[0].strip("|").split(" | ")
    assert [c.strip() for c in head][-1] == "first re-scan, records without a sample (s)"
    row = [c.strip() for c in lines[2].strip("|").split(" | ")]
    assert len(row) == len(head) and row[0] == "300"
    first, ratio = row[-1].split(" ")
    assert float(first) > 0 and ratio.startswith("(") and ratio.endswith("x)")
