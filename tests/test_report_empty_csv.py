"""An empty CSV (``scan`` of a folder with no photo, ``report --only errors`` of a library without errors) was one
empty line, no header: its columns were taken from the records, and there were none. CSV readers refuse such a
file (pandas: ``EmptyDataError``). It now has the full header of the contract, the columns of every other CSV,
and no rows; a CSV with rows is as it was."""
from __future__ import annotations

import csv
import io

from helpers_cli import jsonl, run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def _keys(lib, tmp_path):
    """The JSONL keys of a real scan of ``lib``, and the header line of its CSV."""
    assert run("scan", lib, *SCAN, "--db", tmp_path / "keys.db", "-o", tmp_path / "keys.jsonl").exit_code == 0
    keys = list(jsonl((tmp_path / "keys.jsonl").read_text())[0])
    header = (tmp_path / "keys.csv")
    assert run("report", lib, "--db", tmp_path / "keys.db", "-o", header).exit_code == 0
    return keys, header.read_text().splitlines()[0]


def _empty_csv_of(path, keys):
    text = path.read_text(encoding="utf-8")
    assert text == ",".join(keys) + "\n"
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == keys and list(reader) == []


def test_an_empty_scan_writes_the_full_header(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    keys, header = _keys(lib, tmp_path)
    assert header == ",".join(keys)  # (a CSV with rows: the columns of the JSONL objects, as before)
    (tmp_path / "empty").mkdir()
    result = run("scan", tmp_path / "empty", *SCAN, "-o", tmp_path / "e.csv")
    assert result.exit_code == 0, result.output
    _empty_csv_of(tmp_path / "e.csv", keys)


def test_a_report_with_no_rows_writes_the_full_header(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    keys, _ = _keys(lib, tmp_path)
    result = run("report", lib, "--db", tmp_path / "keys.db", "--only", "errors", "-o", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    _empty_csv_of(tmp_path / "r.csv", keys)


def test_write_csv_of_no_records():
    from blurscan.report import all_columns, write_csv

    buf = io.StringIO()
    assert write_csv([], buf) == 0
    assert buf.getvalue() == ",".join(all_columns()) + "\n"
    assert all_columns()[:7] == ["path", "status", "error", "verdict", "p_blurry", "blur_type", "laplacian_var"]
    assert all_columns()[-10:] == ["grid", "grid_box", "width", "height", "size", "format", "captured_at",
                                   "model_version", "measure_version", "note"]
