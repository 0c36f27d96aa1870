"""``bench/review_scale.py`` measures every request the review page makes on a large library, the first list
after a page load among them: that request alone looks again for which stored names share a file (an ``lstat`` of
every stored photo, :mod:`blurscan.review.other_names`, since 2026-12-05), the RAW twins and sidecars, and the
keeps elsewhere; the table had no row for it. Nor for the *all* list (every photo of the library in one answer),
nor the memory each route takes (since 2026-12-06). Run here on a small library, once per route, for its rows only:
no time is checked (speed is measured by the script itself, docs/review.md)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_the_table_has_a_row_for_the_first_list_after_a_page_load(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_review_scale", BENCH / "review_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--photos", "300", "--burst-shots", "60", "--decisions", "40", "--repeat", "1",
                        "--dir", str(tmp_path)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "ms |" in line]
    # each with its time, its ratio to the baseline and its peak memory (since 2026-12-06)
    assert all(row.endswith(" MB |") and row.count(" | ") == 3 for row in rows), rows
    assert [row.split(" | ")[0] for row in rows] == [
        "| baseline: `SELECT COUNT(*), SUM(size) FROM images` (a database opened, one pass over the table)",
        "| `GET /api/items` (page load: the flagged photos, with the header's figures)",
        "| `GET /api/items`, the first after the page loads (other names, RAW twins, sidecars and keeps elsewhere "
        "looked up)",
        "| `GET /api/items?filter=all` (Show: all: every photo of the library)",
        "| `GET /api/summary` (the header's figures)",
        "| `POST /api/decision` (`k` / `d`)",
        "| `POST /api/undo` (`u`)",
        "| `GET /api/bursts` (`b`: the bursts view)",
        "| `GET /api/bursts`, the first after the page loads (keeps elsewhere looked up)",
        "| `POST /api/bursts/<group>/keeper` (`Space`: make keeper)",
    ]
