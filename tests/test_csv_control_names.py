"""A file name holding a bare carriage return (``\\r``) broke the CSV: the writer (``lineterminator="\\n"``) quoted
only fields holding a ``\\n``, so ``cr\\rname.jpg`` was written unquoted, and CSV readers (Python's, pandas) took
its ``\\r`` for the end of the row: three rows for two photos, or ``new-line character seen in unquoted field``.
Every field holding a ``\\r`` or a ``\\n`` is now quoted; rows still end with ``\\n``."""
from __future__ import annotations

import csv
import io

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

SCAN = ("--model", "none", "--workers", "1")
NAMES = ["cr\rname.jpg", "new\nline.jpg", "both\r\nends.jpg", "ok.jpg"]


def _library(tmp_path):
    lib = tmp_path / "lib"
    for i, name in enumerate(NAMES):
        save_jpeg(lib / name, blurred(textured(i)) if i % 2 else textured(i))
    return lib


def _paths_of(text, lib):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][0] == "path" and all(len(row) == len(rows[0]) for row in rows)
    return sorted(row[0] for row in rows[1:]), sorted(str(lib / name) for name in NAMES)


def test_scan_csv_file_round_trips_names_with_carriage_returns(tmp_path):
    lib = _library(tmp_path)
    out = tmp_path / "c.csv"
    result = run("scan", lib, *SCAN, "--db", tmp_path / "s.db", "-o", out)
    assert result.exit_code == 0, result.output
    got, want = _paths_of(out.read_bytes().decode("utf-8"), lib)
    assert got == want
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    assert len(rows) == len(NAMES) and all(float(row["laplacian_var"]) >= 0 for row in rows)
    # (the figures are still numbers, written unquoted: test_write_csv_quotes_only_fields_with_line_breaks)


def test_report_csv_on_a_pipe_round_trips_and_keeps_newline_endings(tmp_path):
    lib = _library(tmp_path)
    assert run("scan", lib, *SCAN, "--db", tmp_path / "s.db").exit_code == 0
    result = run("report", lib, "--db", tmp_path / "s.db", "--format", "csv")
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")  # (click's .stdout turns \r\n into \n)
    got, want = _paths_of(text, lib)
    assert got == want
    assert text.endswith("\n") and not text.endswith("\r\n")
    plain = [line for line in text.split("\n") if "ok.jpg" in line]
    assert len(plain) == 1 and not plain[0].startswith('"')  # a field without \r or \n is not quoted


def test_write_csv_quotes_only_fields_with_line_breaks():
    from blurscan.records import ScanRecord
    from blurscan.report import write_csv

    buf = io.StringIO()
    write_csv([ScanRecord(path="/p/a\rb.jpg", status="error", error="bad\rthing"),
               ScanRecord(path="/p/c.jpg", status="error", error="plain")], buf)
    lines = buf.getvalue().split("\n")
    assert lines[1].startswith('"/p/a\rb.jpg",error,"bad\rthing",')
    assert lines[2].startswith("/p/c.jpg,error,plain,")
    assert [r[:3] for r in csv.reader(io.StringIO(buf.getvalue(), newline=""))][1:] == \
        [["/p/a\rb.jpg", "error", "bad\rthing"], ["/p/c.jpg", "error", "plain"]]
