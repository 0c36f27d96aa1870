"""``predictions.csv`` writes text a spreadsheet would take for a formula after a ``'``, as ``report``'s and
``bursts``' CSVs do (docs/jsonl.md). Until 2026-12-06 a manifest's ``file`` (relative, so it may start with ``=``,
``+``, ``-`` or ``@``) or its ``set`` was written as it was: LibreOffice Calc 7.4 (``soffice --convert-to xlsx``)
read ``=1+1.jpg`` as a formula, and Excel reads ``-sharp.jpg`` as one too (``#NAME?``)."""
from __future__ import annotations

import csv

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.report import FORMULA_STARTS
from helpers_images import blurred, save_jpeg, textured


def test_formula_like_text_is_written_after_a_quote(tmp_path):
    names = ["=1+1.jpg", "-sharp.jpg", "+1.jpg", "@home.jpg", "plain.jpg"]
    for i, name in enumerate(names):
        img = textured(seed=i)
        save_jpeg(tmp_path / name, blurred(img, sigma=5.0) if i % 2 else img)
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,label,set,split\n" + "".join(f"{n},sharp,-holdout,@test\n" for n in names)
                        + "gone.jpg,sharp,x,y\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "predictions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == ["'=1+1.jpg", "'-sharp.jpg", "'+1.jpg", "'@home.jpg", "plain.jpg", "gone.jpg"]
    assert {r["set"] for r in rows[:5]} == {"'-holdout"} and {r["split"] for r in rows[:5]} == {"'@test"}
    for row in rows:  # no cell of the file is a formula to a spreadsheet; the figures stay numbers
        assert not any(value.startswith(FORMULA_STARTS) for value in row.values()), row
    assert all(float(r["laplacian_var"]) >= 0 for r in rows[:5])
    assert rows[5]["error"] == "no such file or directory"
