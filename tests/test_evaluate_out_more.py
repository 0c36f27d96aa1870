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


def test_an_earlier_runs_predictions_evaluated_into_the_same_out_are_refused_not_replaced(manifest, tmp_path):  # noqa: F811
    """predictions.csv has the manifest's columns (file, label), so it can be evaluated; into its own --out (the
    default, run again from the same folder) the run replaced the very file it read. Refused now, before any work,
    the file left as it was."""
    out, listed = tmp_path / "out", tmp_path / "absolute.csv"
    listed.write_text(f"file,label\n{tmp_path / 'sharp.jpg'},sharp\n{tmp_path / 'soft.jpg'},blurry\n")
    assert _evaluate(listed, out).exit_code == 0
    predictions = out / "predictions.csv"
    before = predictions.read_bytes()
    result = _evaluate(predictions, out)
    assert result.exit_code == 2, result.output
    assert "is the predictions.csv this run would write" in result.output and "choose another --out" in result.output
    assert predictions.read_bytes() == before
    assert _evaluate(predictions, tmp_path / "elsewhere").exit_code == 0  # (evaluated into another folder: fine)
