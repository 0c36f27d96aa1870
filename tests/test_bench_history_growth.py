"""``bench/history_growth.py``'s row of the thumbnails the review page's cleanup keeps is the count the table in
docs/benchmarks-commands.md shows ("2,000"): until 2026-12-06 the script printed "2,000 kept, 15,000 removed"
there. Run on a small library (20 photos, one batch of history) for the row's words only: no time is checked."""
from __future__ import annotations

import os
import re
from pathlib import Path

from helpers_bench import bench_module
from helpers_cli import IMPORT_ROOT

ROOT = Path(__file__).resolve().parents[1]
COUNT = re.compile(r"\d{1,3}(,\d{3})*")


def _history_growth():
    return bench_module("history_growth")


def test_the_cleanups_row_is_the_count_of_thumbnails_kept_as_the_documented_table_shows(tmp_path):
    growth = _history_growth()
    root = tmp_path / "lib"
    growth.build(root, 20)
    growth.add_history(root, growth.PER_BATCH)
    assert growth.thumbnails(root) == 20 + growth.PER_BATCH
    env = dict(os.environ, PYTHONPATH=IMPORT_ROOT, XDG_DATA_HOME=str(tmp_path / "xdg"))
    assert growth.prune_kept(root, env) == "20"  # the history's thumbnails went
    table = (ROOT / "docs" / "benchmarks-commands.md").read_text().split("## A library's history", 1)[1]
    for name in ("after it", "before: after it"):
        (row,) = [line for line in table.splitlines() if line.startswith(f"| {name} |")]
        cells = [c.strip() for c in row.strip().strip("|").split("|")][1:]
        assert len(cells) == 3 and all(COUNT.fullmatch(c) for c in cells), row
