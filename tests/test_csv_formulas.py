"""A CSV field that starts with ``=``, ``+``, ``-`` or ``@`` is a formula to a spreadsheet opening the file: the
``reason`` of ``blurscan bursts -o bursts.csv`` ("for a spreadsheet") starts with the better shot's name, so a shot
named ``=1+1.jpg`` made its neighbours' reasons formulas (``#NAME?`` in Excel, or whatever a name smuggles in;
2026-12-05). Such text is written after a ``'`` now, the spreadsheet's mark for text; names, which are absolute
paths, and numbers are exact."""
from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.report import csv_cell
from helpers_images import blurred, scene, shifted

NAMES = ("=1+1.jpg", "@SUM(1).jpg", "-2.jpg")


def test_no_field_of_the_bursts_csv_starts_a_formula(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    a = scene(62)
    for i, (name, img) in enumerate(zip(NAMES, (a, blurred(shifted(a, 2, 0), 3.0), blurred(shifted(a, 1, 0), 2.0)))):
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = f"2024:06:02 09:00:0{i}"  # DateTimeOriginal: a second apart, one burst
        Image.fromarray(img).save(lib / name, quality=92, exif=exif)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    out = tmp_path / "bursts.csv"
    res = runner.invoke(main, ["bursts", str(lib), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert sorted(r["path"] for r in rows) == sorted(str(lib / n) for n in NAMES)  # names exact
    reasons = [r["reason"] for r in rows if r["rank"] != "1"]
    assert reasons and all(r.startswith("'=1+1.jpg is better") for r in reasons), reasons
    for row in rows:
        assert not any(value[:1] in ("=", "+", "-", "@") for value in row.values()), row


def test_numbers_and_plain_text_are_written_as_they_are():
    assert csv_cell(-0.5) == -0.5 and csv_cell(-3) == -3
    assert csv_cell("/p/=x.jpg") == "/p/=x.jpg" and csv_cell("sharp") == "sharp"
    assert csv_cell("+1 better") == "'+1 better" and csv_cell("\tx") == "'\tx"
