"""More of `blurscan evaluate --out DIR`: a metrics.json that is a symbolic link is written through it, the link
kept, as predictions.csv and the plots are (found by mutation testing of cli/evaluate.py's metrics.json writing:
replaced whole since 2026-12-06, it could have replaced the link with a file of its own)."""
from __future__ import annotations

import json
import os

from test_evaluate_out import _evaluate, manifest  # noqa: F401  (manifest: a fixture)


def test_a_metrics_file_that_is_a_link_is_written_through_it(manifest, tmp_path):  # noqa: F811
    out, mine = tmp_path / "out", tmp_path / "results" / "metrics.json"
    out.mkdir()
    mine.parent.mkdir()
    mine.write_text('{"an earlier run": 0}\n')
    (out / "metrics.json").symlink_to(mine)
    result = _evaluate(manifest, out)
    assert result.exit_code == 0, result.output
    assert (out / "metrics.json").is_symlink() and os.readlink(out / "metrics.json") == str(mine)
    assert "an earlier run" not in json.loads(mine.read_text(encoding="utf-8"))
    assert os.listdir(mine.parent) == ["metrics.json"]  # (no temporary file left beside it)
