"""The ranked table's path column (``report.render_table``): relative to the current folder when the photo is
under it, wrapped after a ``/`` rather than inside a name; JSON Lines, CSV and ``--output FILE`` keep absolute
paths."""
from __future__ import annotations

import io
import json
import os
import re

import pytest
from rich.console import Console

from blurscan import report
from blurscan.records import ScanRecord

from helpers_cli import run


def _record(path, *, verdict="blurry", p=0.9, **kw) -> ScanRecord:
    return ScanRecord(path=str(path), verdict=verdict, p_blurry=p, blur_type="motion", laplacian_var=12.5,
                      width=6000, height=4000, **kw)


def _render(records, width, **kw) -> str:
    buf = io.StringIO()
    report.render_table(records, Console(file=buf, width=width, no_color=True, force_terminal=False,
                                         highlight=False), **kw)
    return buf.getvalue()


def _path_cells(text: str) -> list[list[str]]:
    """The path column of a rendered table: for each row, its lines (as printed, trailing spaces removed)."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.rstrip().endswith("path"))
    col = lines[header].rstrip().rindex("path")
    rows: list[list[str]] = []
    for line in lines[header + 2:]:                    # below the rule
        if re.match(r"\d+ (file|files)\b", line):       # the error lines or the summary
            break
        assert len(line.rstrip()) <= len(lines[header + 1]), line   # never wider than the table
        if line[:col].strip():
            rows.append([])
        rows[-1].append(line[col:].rstrip())
    return rows


@pytest.mark.parametrize("width", [80, 120])
def test_a_photo_under_the_current_folder_is_shown_relative_and_jsonl_keeps_the_absolute_path(
        tmp_path, monkeypatch, width):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PWD", str(tmp_path))
    (tmp_path / "elsewhere").mkdir()
    under = _record(tmp_path / "Pictures" / "2024" / "IMG_0042.jpg")
    sibling = _record(str(tmp_path) + "-other/IMG_0001.jpg", p=0.8)   # same prefix, not under it
    outside = _record("/srv/photos/DSC_0001.JPG", p=0.7)
    records = [under, sibling, outside]

    cells = ["".join(lines) for lines in _path_cells(_render(records, width))]
    assert cells == ["Pictures/2024/IMG_0042.jpg", sibling.path, outside.path]

    jsonl = io.StringIO()
    report.write_jsonl(records, jsonl)
    assert [json.loads(line)["path"] for line in jsonl.getvalue().splitlines()] == [r.path for r in records]
    csv_out = io.StringIO()
    report.write_csv(records, csv_out)
    assert under.path in csv_out.getvalue() and "\nPictures/" not in csv_out.getvalue()

    monkeypatch.chdir(tmp_path / "elsewhere")          # the rule follows the current folder
    monkeypatch.setenv("PWD", str(tmp_path / "elsewhere"))
    assert ["".join(lines) for lines in _path_cells(_render(records, width))] == [r.path for r in records]


def test_a_long_path_wraps_after_a_slash_not_inside_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "PXL_20240712_183455123.jpg"                # a phone's file name: 26 characters
    folders = "/srv/photos/archive/2024/Summer holiday in Norway/day 3/"
    records = [_record(folders + name)]
    rows = _path_cells(_render(records, 80))
    assert len(rows) == 1 and len(rows[0]) > 1                    # wrapped at 80 columns ...
    lines = rows[0]
    assert "".join(lines) == folders + name                       # ... with nothing added or lost
    assert all(line.endswith("/") for line in lines[:-1])         # every break is after a '/'
    assert lines[-1] == name                                      # the file name whole, on its own line
    assert "Summer holiday in Norway/" in lines                   # a folder name with spaces kept whole

    wide = _path_cells(_render(records, 120))[0]                  # at 120 columns, fewer lines, same rule
    assert "".join(wide) == folders + name and all(line.endswith("/") for line in wide[:-1])
    assert len(wide) < len(lines)


def test_only_a_name_wider_than_the_column_is_cut(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "a_very_long_exported_file_name_from_some_editing_program_v2_final.jpg"   # 69 characters
    path = "/srv/photos/" + name
    lines = _path_cells(_render([_record(path)], 80))[0]
    assert "".join(lines) == path
    assert lines[0] == "/srv/photos/"                             # the folder on its own line, then the name
    assert all(name.startswith(line) or line in name for line in lines[1:])
    assert len(lines) >= 3


def test_control_characters_stay_escaped_and_error_lines_keep_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    odd = _record(tmp_path / "sub" / "bad\nname\x1b[2J.jpg")
    broken = ScanRecord(path=str(tmp_path / "sub" / "broken.jpg"), status="error", error="truncated JPEG")
    text = _render([odd, broken], 80)
    assert ["".join(lines) for lines in _path_cells(text)] == ["sub/bad\\x0aname\\x1b[2J.jpg"]
    assert "\x1b" not in text
    assert f"  {tmp_path / 'sub' / 'broken.jpg'}: truncated JPEG" in text.splitlines()


def test_the_plain_text_table_of_a_large_library_follows_the_same_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(report, "RICH_TABLE_MAX_ROWS", 1)
    records = [_record(tmp_path / "a" / "IMG_0001.jpg"), _record("/srv/photos/IMG_0002.jpg", p=0.5)]
    rows = [line for line in _render(records, 80).splitlines() if re.match(r"\s*\d+\s+blurry", line)]
    assert [row.split()[-1] for row in rows] == ["a/IMG_0001.jpg", "/srv/photos/IMG_0002.jpg"]


def test_the_current_folder_by_its_symlinked_name(tmp_path, monkeypatch):
    """Photos scanned by a name with a symbolic link (``~/Pictures`` with ``/home`` a link) are relative to the
    folder the shell is in by that name too, though ``os.getcwd()`` resolves the link."""
    (tmp_path / "real" / "Pictures").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    here = tmp_path / "link" / "Pictures"
    monkeypatch.chdir(here)
    monkeypatch.setenv("PWD", str(here))
    records = [_record(here / "2024" / "IMG_0001.jpg"), _record(tmp_path / "real" / "Pictures" / "x.jpg", p=0.5)]
    assert ["".join(lines) for lines in _path_cells(_render(records, 80))] == ["2024/IMG_0001.jpg", "x.jpg"]


def test_render_table_text_and_relative_to_none_give_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    long = tmp_path / "Pictures" / "2024" / "Summer holiday in Norway" / "day 3" / "PXL_20240712_183455123.jpg"
    records = [_record(long)]
    assert ["".join(lines) for lines in _path_cells(_render(records, 80, relative_to=None))] == [str(long)]
    text = report.render_table_text(records)          # --output FILE: one row per line, as `> FILE` gives
    assert _path_cells(text) == [[str(long)]]
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 20, "IMG_1.jpg")  # over 500 characters
    assert _path_cells(report.render_table_text([_record(deep)])) == [[str(deep)]]
    lines = _path_cells(report.render_table_text(records, width=100))[0]
    assert "".join(lines) == str(long)
    assert len(lines) > 1 and all(line.endswith("/") for line in lines[:-1]) and lines[-1] == long.name


def _paths(table: str) -> list[str]:
    """The path column of a table's rows: the rest of the row after the size (a path may hold spaces)."""
    rows = (re.fullmatch(r"\s*\d+\s+(?:sharp|blurry)\s.*?\d+x\d+\s+(.+?)\s*", line) for line in table.splitlines())
    return [row[1] for row in rows if row]


def test_cli_table_on_stdout_is_relative_and_output_file_absolute(library, tmp_path, monkeypatch):
    root, truth = library
    monkeypatch.chdir(root)
    monkeypatch.setenv("PWD", str(root))
    result = run("scan", root, "--model", "none", "--workers", "1", "--db", tmp_path / "x.db")
    assert result.exit_code == 0, result.stderr
    shown = _paths(result.stdout)
    assert sorted(shown) == sorted(os.path.relpath(p, root) for p in truth)
    out = tmp_path / "table.txt"
    assert run("report", root, "--db", tmp_path / "x.db", "-o", out).exit_code == 0
    saved = _paths(out.read_text())
    assert sorted(saved) == sorted(truth)
    jsonl = run("report", root, "--db", tmp_path / "x.db", "--format", "jsonl").stdout
    assert sorted(json.loads(line)["path"] for line in jsonl.splitlines()) == sorted(truth)


def test_narrow_terminals_drop_figures_not_path_characters(tmp_path, monkeypatch):
    """With a '(kept)' mark the columns no longer fit 80 columns: rich cut the table at the terminal's edge
    and the paths lost characters (a walkthrough read 'clock-real-came' / 'ake.jpg'). At every width from 40
    to 120 no line is wider than the terminal and every path can be read back whole; below the width where
    the path keeps 20 columns, size, blur type and then the Laplacian figure give way."""
    monkeypatch.chdir(tmp_path)
    names = ["clock-real-camera-shake.jpg", "coffee-out-of-focus.jpg", "cameraman-burst-3-out-of-focus.jpg"]
    records = [_record(tmp_path / "demo" / "photos" / n, p=0.9 - i / 10) for i, n in enumerate(names)]
    for width in range(40, 121):
        text = _render(records, width, kept={records[0].path}, discarded={records[1].path})
        assert max(len(line) for line in text.splitlines()) <= width, width
        assert ["".join(lines) for lines in _path_cells(text)] == [f"demo/photos/{n}" for n in names], width
    header = _render(records, 60, kept={records[0].path}).splitlines()[0].split()
    assert "size" not in header and "blur" not in header and "path" in header and "p_blurry" in header
    assert "size" in _render(records, 80, kept={records[0].path}).splitlines()[0].split()


def test_p_blurry_has_the_thresholds_decimals(tmp_path):
    """The table showed p_blurry with 2 decimals while the thresholds have 3: a blurry photo at 0.6446 (over the
    full-size 0.642) and a partial one at 0.6412 (under it) both read 0.64."""
    text = _render([_record(tmp_path / "a.jpg", verdict="blurry", p=0.6446),
                    _record(tmp_path / "b.jpg", verdict="partial", p=0.6412)], 120, relative_to=str(tmp_path))
    rows = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert [row[1:3] for row in rows[:2]] == [["blurry", "0.645"], ["partial", "0.641"]], text


def test_csv_shows_control_characters_in_names_as_escapes_on_a_terminal(tmp_path):
    """A file name with an escape sequence (retitle, clear, set the clipboard) or a newline reached the terminal raw
    through `blurscan report --format csv` (JSONL escapes them, the table shows ``\\xNN``). In a file or a pipe
    the names stay exact: ``path`` is part of the contract."""
    import csv

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    name = "a\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\nb\r.jpg"
    records = [_record(tmp_path / name), ScanRecord.failed(str(tmp_path / ("c\x1b[31m.jpg")), "not an image")]
    piped = io.StringIO()
    report.write_csv(records, piped)
    assert [r["path"] for r in csv.DictReader(io.StringIO(piped.getvalue(), newline=""))] == \
        [str(tmp_path / name), str(tmp_path / "c\x1b[31m.jpg")]
    out = Terminal()
    report.write_csv(records, out)
    text = out.getvalue()
    assert not any(ord(ch) < 32 and ch != "\n" for ch in text), repr(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["path"] for r in rows] == [str(tmp_path / "a\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x1b[2J\\x0ab\\x0d.jpg"),
                                         str(tmp_path / "c\\x1b[31m.jpg")]


def test_terminals_too_narrow_for_the_path_column_get_one_line_per_row(tmp_path, monkeypatch):
    """Below the width where the path keeps 20 columns with every figure dropped that may be, rich shrank the
    columns to nothing: at 24 columns the paths came 2 characters a line, at 32 (a '(discarded)' mark) the
    row number and the path were gone, nothing said which file a verdict was for. Now each row is one line of
    plain text with every cell whole (the terminal wraps it)."""
    monkeypatch.chdir(tmp_path)
    names = ["clock-real-camera-shake.jpg", "coffee-out-of-focus.jpg"]
    records = [_record(tmp_path / "photos" / n, p=0.9 - i / 10) for i, n in enumerate(names)]
    for width in (20, 24, 32, 38):
        lines = _render(records, width, discarded={records[0].path}).splitlines()
        assert lines[0].split() == ["#", "verdict", "p_blurry", "path"], (width, lines)
        assert lines[2].split() == ["1", "blurry", "(discarded)", "0.900", f"photos/{names[0]}"], width
        assert lines[3].split() == ["2", "blurry", "0.800", f"photos/{names[1]}"], width
        assert " ".join(" ".join(lines[4:]).split()) == "2 files: 2 blurry, 0 partial, 0 sharp, 0 errors"
    wide = _render(records, 80, discarded={records[0].path})
    assert "lap. var" in wide.splitlines()[0] and "---" not in wide  # rich's table where the path fits
