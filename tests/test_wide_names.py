"""Names in scripts whose characters take two cells of a terminal (CJK, emoji): the layouts that count a name's
width (the plain-text table's width for a file or a pipe, ...) count it in cells, as rich and the terminal do,
not in characters."""
from __future__ import annotations

import re

from rich.cells import cell_len

from helpers_cli import run
from helpers_images import save_jpeg, textured

#: Folder names of 62 CJK characters (186 bytes of UTF-8: under the 255 a name may take), three deep: a path of
#: over 200 characters, twice as many cells.
_FOLDERS = ["家族旅行の写真" * 8 + "北海道と東京の夏", "北海道と東京" * 10 + "旅行", "夏休みの思い出" * 8 + "子供たちと犬"]


def _rows(text: str) -> list[str]:
    """The lines of a table below its rule and above its summary."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    return [line for line in lines[rule + 1:] if line.strip() and not re.match(r"\d+ files?:", line)]


def test_a_path_of_wide_characters_keeps_its_row_on_one_line_in_a_pipe_and_a_saved_table(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    deep = lib.joinpath(*_FOLDERS)
    deep.mkdir(parents=True)
    photo = save_jpeg(deep / "長い名前の写真_2024.jpg", textured(1))
    save_jpeg(lib / "plain.jpg", textured(2))
    assert cell_len(str(photo)) > 400 > len(str(photo))
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "x.db"
    scanned = run("scan", lib, "--model", "none", "--workers", "1", "--db", db)  # piped: one row per line
    assert scanned.exit_code == 0, scanned.stderr
    rows = _rows(scanned.stdout)
    assert len(rows) == 2, scanned.stdout
    assert any(row.endswith(str(photo.relative_to(tmp_path))) for row in rows)
    out = tmp_path / "table.txt"
    assert run("report", lib, "--db", db, "-o", out).exit_code == 0
    rows = _rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 2 and any(row.endswith(str(photo)) for row in rows)


def _rules(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and set(line.replace(" ", "")) == {"-"}]


def test_the_plain_tables_rule_spans_a_wide_path_in_cells(tmp_path, monkeypatch):
    """Above RICH_TABLE_MAX_ROWS photos (500; 1 here) the table is plain text: the rule under its path column is as
    wide as the widest path in the terminal's cells (it was as many dashes as the path had characters: half of a
    CJK path's width)."""
    from blurscan import report

    monkeypatch.setattr(report, "RICH_TABLE_MAX_ROWS", 1)
    lib = tmp_path / "lib"
    photo = save_jpeg(lib / "写真" / ("北海道の夏休み" * 4 + ".jpg"), textured(1))
    save_jpeg(lib / "plain.jpg", textured(2))
    db = tmp_path / "x.db"
    assert run("scan", lib, "--model", "none", "--workers", "1", "--db", db).exit_code == 0
    out = tmp_path / "table.txt"
    assert run("report", lib, "--db", db, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    [rule] = _rules(text)
    assert len(rule.split()[-1]) == cell_len(str(photo)), text


def test_the_rule_of_a_narrow_terminals_table_fits_its_line(tmp_path):
    """On a terminal too narrow for the table's columns (a phone's, a split pane) the rows are written one line
    each, which the terminal wraps; the rule under the path column is no wider than the line's room (it was as
    wide as the longest path: a block of wrapped dashes, here three lines of them)."""
    import os
    import sys

    from helpers_pty import on_terminal

    lib = tmp_path / "lib"
    save_jpeg(lib / ("旅行の写真_" * 6 + "IMG_0042.jpg"), textured(1))
    save_jpeg(lib / "plain.jpg", textured(2))
    db = tmp_path / "x.db"
    assert run("scan", lib, "--model", "none", "--workers", "1", "--db", db).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    rc, screen, _ = on_terminal([sys.executable, "-m", "blurscan", "report", lib, "--db", db], env=env, columns=16)
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", screen.decode("utf-8", "replace")).replace("\r\n", "\n")
    assert rc == 0, text
    rules = _rules(text)
    assert len(rules) == 1 and cell_len(rules[0]) <= 16, text
    assert any(line.endswith("IMG_0042.jpg") for line in text.splitlines()), text   # the rows as before
