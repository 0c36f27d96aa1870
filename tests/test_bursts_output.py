"""``blurscan bursts --format csv`` and ``--output/-o FILE`` (added 2026-12-05): one CSV row per shot with the
JSONL's figures and whether ``move/trash --from-bursts`` would take it, and the list written to a file as
``blurscan report`` writes its list (whole, through a temporary file; one ``Error:`` line when it cannot be).
Until then ``bursts`` wrote a table or JSON Lines to standard output only."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.store import Store
from helpers_images import T0, scene, shaken, shifted
from test_bursts_cli import _jpeg_with_time, _library


#: The CSV's columns (docs/bursts.md): a contract, as the JSONL keys are.
COLUMNS = ["group", "rank", "is_keeper", "candidate", "not_candidate_reason", "chosen_by", "path", "reason", "p_blurry",
           "subject_p_blurry", "sharpness", "sharpness_measure", "width", "height", "captured_at", "edits",
           "duplicate_of", "captured_subsec"]  # (captured_subsec added 2026-12-05, at the end)


def _jsonl(runner: CliRunner, db: Path) -> list[dict]:
    result = runner.invoke(main, ["bursts", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _rows(text: str) -> list[dict]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows and rows[0] == COLUMNS, text
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_has_one_row_per_shot_matching_the_jsonl_and_what_from_bursts_takes(tmp_path):
    from blurscan.review import decisions

    db, _ = _library(tmp_path)
    runner = CliRunner()
    groups = _jsonl(runner, db)
    spared = next(m["path"] for g in groups for m in g["members"] if not m["is_keeper"])
    with Store(db) as store:
        decisions.set_decision(store, spared, "keep")
    result = runner.invoke(main, ["bursts", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert result.stderr == ""  # (CSV on standard output: the list alone, as JSON Lines)

    shots = [(g, m) for g in _jsonl(runner, db) for m in g["members"]]
    assert len(rows) == len(shots) == 5
    for row, (group, m) in zip(rows, shots):
        assert (int(row["group"]), row["chosen_by"]) == (group["group"], group["chosen_by"])
        assert (row["path"], int(row["rank"]), row["reason"]) == (m["path"], m["rank"], m["reason"])
        assert row["is_keeper"] == ("true" if m["is_keeper"] else "false")
        assert float(row["sharpness"]) == m["sharpness"] and row["sharpness_measure"] == m["sharpness_measure"]
        assert (int(row["width"]), int(row["height"]), row["captured_at"]) == (m["width"], m["height"],
                                                                              m["captured_at"])
        assert row["p_blurry"] == row["subject_p_blurry"] == "" and m["p_blurry"] is None  # (--model none)
        if m["is_keeper"]:
            assert (row["candidate"], row["not_candidate_reason"]) == ("false", "")
        elif m["path"] == spared:  # as the table says it
            assert (row["candidate"], row["not_candidate_reason"]) == ("false", "you marked it keep")
        else:
            assert (row["candidate"], row["not_candidate_reason"]) == ("true", "")

    # the candidates are the shots `move --from-bursts` takes
    moved = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", str(db)])
    assert moved.exit_code == 0, moved.output
    taken = [line for line in moved.stdout.splitlines() if line.startswith("would move ")]
    candidates = [r["path"] for r in rows if r["candidate"] == "true"]
    assert len(taken) == len(candidates) == 2
    assert all(any(os.path.basename(p) in line for line in taken) for p in candidates)

    # no group: the header alone
    empty = runner.invoke(main, ["bursts", "--db", str(db), "--format", "csv", "--max-distance", "0",
                                 "--window", "0"])
    assert empty.exit_code == 0 and _rows(empty.stdout) == []


def test_output_file_gets_the_list_and_standard_output_stays_empty(tmp_path):
    db, _ = _library(tmp_path)
    runner = CliRunner()
    closing = "2 burst groups, 3 candidates for `blurscan move/trash --from-bursts`\n"
    shown = runner.invoke(main, ["bursts", "--db", str(db), "--format", "csv"]).stdout
    for name, fmt in (("bursts.csv", None), ("bursts.jsonl", None), ("list.txt", "csv"), ("bursts.txt", None)):
        out = tmp_path / "lists" / name
        out.parent.mkdir(exist_ok=True)
        out.write_text("an earlier list\n")
        args = ["bursts", "--db", str(db), "-o", str(out)] + (["--format", fmt] if fmt else [])
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        # the closing line unchanged, on stderr, then the command that takes the candidates (since 2026-12-07)
        assert result.stdout == "" and result.stderr.startswith(closing), result.stderr
        assert result.stderr[len(closing):].startswith("next: `blurscan trash --from-bursts --db ")
        text = out.read_text(encoding="utf-8")
        if name.endswith(".csv") or fmt == "csv":  # (the format from the suffix, or --format)
            assert text == shown
        elif name.endswith(".jsonl"):
            assert [json.loads(line) for line in text.splitlines()] == _jsonl(runner, db)
        else:  # the table, every shot by its absolute path (as report's table in a file)
            assert text.startswith("group 1: 3 shots, keeper proposed\n")
            assert f"  keep  1  {tmp_path / 'photos' / 'a_sharp.jpg'}  " in text
            assert "burst groups" not in text
    assert sorted(os.listdir(tmp_path / "lists")) == ["bursts.csv", "bursts.jsonl", "bursts.txt", "list.txt"]
    # '-' is standard output
    dash = runner.invoke(main, ["bursts", "--db", str(db), "--format", "csv", "-o", "-"])
    assert dash.exit_code == 0 and dash.stdout == shown


def test_a_name_with_a_comma_a_quote_a_newline_or_bytes_not_utf8_is_written_as_reports_csv_writes_it(tmp_path):
    lib = tmp_path / "lib"
    a = scene(71)
    nasty = lib / 'x,"y"\nz.jpg'
    odd = os.fsdecode(os.fsencode(str(lib)) + b"/caf\xe9.jpg")  # surrogate-escaped text, as os.listdir gives it
    _jpeg_with_time(nasty, shaken(a), T0)
    _jpeg_with_time(Path(odd), shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "-o",
                                   str(tmp_path / "report.csv")])
    assert scanned.exit_code == 0, scanned.output
    result = runner.invoke(main, ["bursts", str(lib), "-o", str(tmp_path / "bursts.csv")])
    assert result.exit_code == 0 and result.stdout == "", result.output
    rows = _rows((tmp_path / "bursts.csv").read_text(encoding="utf-8"))
    assert [r["path"] for r in rows] == [str(lib / "caf\\xe9.jpg"), str(nasty)]
    members = _jsonl(runner, lib / ".blurscan.db")[0]["members"]
    assert [r["path"] for r in rows] == [m["path"] for m in members]
    assert [r["reason"] for r in rows] == [m["reason"] for m in members]
    with open(tmp_path / "report.csv", encoding="utf-8", newline="") as f:
        reported = {r["path"] for r in csv.DictReader(f)}
    assert reported == {r["path"] for r in rows}


def test_an_output_file_that_cannot_be_written_is_one_error_and_leaves_nothing(tmp_path):
    db, _ = _library(tmp_path)
    runner = CliRunner()
    missing = tmp_path / "no such folder" / "bursts.csv"
    result = runner.invoke(main, ["bursts", "--db", str(db), "-o", str(missing)])
    assert result.exit_code == 2 and result.stdout == ""  # refused before any work (1 until 2026-12-05)
    assert result.stderr == f"Error: {missing}: cannot write output: no such file or directory\n"
    assert not missing.parent.exists()
    # refused before any work: the database (and a photo), left as they were
    photo = tmp_path / "photos" / "a_sharp.jpg"
    for target in (db, photo):
        before = target.read_bytes()
        refused = runner.invoke(main, ["bursts", "--db", str(db), "-o", str(target), "--format", "csv"])
        assert refused.exit_code == 2 and refused.stderr.startswith(f"Error: {target}: cannot write output: it is ")
        assert target.read_bytes() == before
    # a command that fails after the file was opened leaves an earlier list as it was, and no temporary file
    out = tmp_path / "lists" / "bursts.csv"
    out.parent.mkdir()
    out.write_text("an earlier list\n")
    (tmp_path / "not.db").write_text("not a database\n")
    failed = runner.invoke(main, ["bursts", "--db", str(tmp_path / "not.db"), "-o", str(out)])
    assert failed.exit_code == 1 and failed.stderr.startswith("Error: "), failed.output
    assert out.read_text() == "an earlier list\n" and os.listdir(out.parent) == ["bursts.csv"]


def test_ctrl_c_while_the_list_is_written_leaves_an_earlier_list_as_it_was(tmp_path, monkeypatch):
    from blurscan.bursts import formats

    db, _ = _library(tmp_path)
    out = tmp_path / "lists" / "bursts.csv"
    out.parent.mkdir()
    out.write_text("an earlier list\n")
    real = formats.CsvLine

    class StoppedAfterTwoRows(real):  # Ctrl-C lands after two rows were written to the temporary file
        def __call__(self, row):
            self.n = getattr(self, "n", 0) + 1
            if self.n > 3:
                raise KeyboardInterrupt
            return super().__call__(row)

    monkeypatch.setattr(formats, "CsvLine", StoppedAfterTwoRows)
    result = CliRunner().invoke(main, ["bursts", "--db", str(db), "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "interrupted\n")
    assert out.read_text() == "an earlier list\n" and os.listdir(out.parent) == ["bursts.csv"]


def test_a_reason_naming_a_raw_twin_with_an_odd_name_is_written_as_a_name(tmp_path):
    """A shot left because its RAW twin is marked keep is explained by the twin's name: one not UTF-8
    (``caf\\xe9``) ended the table with a traceback (UnicodeEncodeError) until 2026-12-05, and an escape
    character in it went raw to the terminal."""
    from blurscan.review import decisions

    lib = tmp_path / "lib"
    a = scene(71)
    odd = os.fsdecode(os.fsencode(str(lib)) + b"/caf\xe9\x1b.jpg")
    _jpeg_with_time(lib / "IMG_1.jpg", a, T0)
    _jpeg_with_time(Path(odd), shaken(shifted(a, 6, 0)), T0 + dt.timedelta(seconds=1))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    raw = odd[:-4] + ".CR2"
    Path(raw).write_bytes(b"raw")
    with Store(lib / ".blurscan.db") as store:
        decisions.set_decision(store, raw, "keep")
    table = runner.invoke(main, ["bursts", str(lib)])
    assert table.exit_code == 0 and table.exception is None, table.output
    assert "not a candidate: its RAW twin caf\\xe9\\x1b.CR2 is a photo you marked keep\n" in table.stdout
    result = runner.invoke(main, ["bursts", str(lib), "-o", str(tmp_path / "bursts.csv")])
    assert result.exit_code == 0 and result.exception is None, result.output
    rows = _rows((tmp_path / "bursts.csv").read_text(encoding="utf-8"))
    assert rows[1]["not_candidate_reason"] == "its RAW twin caf\\xe9\\x1b.CR2 is a photo you marked keep"
    assert rows[1]["path"] == str(lib / "caf\\xe9\x1b.jpg") and rows[1]["candidate"] == "false"
