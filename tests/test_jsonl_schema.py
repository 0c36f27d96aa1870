"""docs/jsonl.schema.json, the JSONL contract (docs/jsonl.md) as a JSON Schema (draft 2020-12), checked: against
the metaschema, against docs/jsonl.md's key table (every key, its type words, range and null, both ways), and on
every record of real runs: `blurscan demo`'s photos with damaged files of every kind the tests can make, a RAW +
JPEG pair judged from either file, `--model none`, `--fast`, `report --format jsonl` after a move and decisions,
and records an older blurscan stored (as ``report`` lists them until a scan scores them again). A key a record
carries that neither the schema nor the doc names fails, so a new key cannot slip in undocumented.

The schema found three ways ``report`` broke the contract with stored records of older versions (``grid_box``
null beside a grid, a ``captured_at`` that was not ISO 8601, score keys missing): :mod:`blurscan.older_records`."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import cv2
import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main

from helpers_images import bad_files, textured
from helpers_raw import write_dng
from helpers_sqlite import connected

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "jsonl.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _strict(line: str) -> dict:
    """One JSONL line as JSON proper: NaN and Infinity, which Python's reader takes, are not JSON."""
    def refuse(token):
        raise AssertionError(f"{token} is not JSON: {line[:200]}")
    return json.loads(line, parse_constant=refuse)


def _valid(records: list[dict]) -> list[dict]:
    documented = set(_doc_table())
    for record in records:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(record)]
        assert not errors, (record["path"], errors)
        unknown = set(record) - set(SCHEMA["properties"]) - documented
        assert not unknown, f"{sorted(unknown)} written but in neither docs/jsonl.md nor docs/jsonl.schema.json"
        assert list(record) == SCHEMA["required"], record["path"]  # every key, in the documented order
    return records


def _run(*args: str) -> list[dict]:
    out = CliRunner().invoke(main, list(args))
    assert out.exit_code == 0, out.output
    return [_strict(line) for line in out.stdout.splitlines()]


def _doc_table() -> dict[str, list[str]]:
    """docs/jsonl.md's key table: ``key -> [type, meaning, null when]`` (a row may name several keys)."""
    text = (ROOT / "docs" / "jsonl.md").read_text()
    table = text[text.index("| key | type | meaning | `null` when |"):]
    rows = [row.split("|")[1:-1] for row in table[:table.index("\n\n")].splitlines()[2:]]
    return {key: [cell.strip() for cell in row[1:]] for row in rows for key in re.findall(r"`(\w+)`", row[0])}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """The demo's photos and one file of each damage the tests can make, a RAW + JPEG pair judged from its RAW and
    one judged from its JPEG (the RAW unreadable), a picture too small, one with no finite pixel, a 16-bit and a
    flat black one, a broken link, a named pipe and a folder named like a photo."""
    folder = tmp_path_factory.mktemp("schema") / "lib"
    made = CliRunner().invoke(main, ["demo", str(folder)])
    assert made.exit_code == 0, made.output
    bad = folder / "bad"
    bad_files(bad)  # truncated, empty, a text file, a PSD, a decompression bomb, a link loop
    os.symlink(folder / "gone.jpg", bad / "broken.jpg")
    os.mkfifo(bad / "pipe.jpg")
    (bad / "folder.jpg").mkdir()
    cv2.imwrite(str(bad / "tiny.png"), np.zeros((2, 2, 3), np.uint8))
    Image.fromarray(np.full((60, 80), np.nan, np.float32)).save(bad / "nan.tiff")
    odd = folder / "odd"
    odd.mkdir()
    cv2.imwrite(str(odd / "black.png"), np.zeros((300, 400, 3), np.uint8))
    cv2.imwrite(str(odd / "deep.png"), (textured(3).astype(np.uint16) * 257))
    rgb = cv2.GaussianBlur(textured(8, size=(900, 1200)), (0, 0), 1.5)
    small = cv2.resize(rgb, (600, 450), interpolation=cv2.INTER_AREA)
    pair = folder / "pair"
    pair.mkdir()
    write_dng(pair / "IMG_1.dng", rgb)
    Image.fromarray(small).save(pair / "IMG_1.jpg", quality=90)
    (pair / "IMG_2.dng").write_bytes(b"II*\x00" + b"\0" * 100)
    Image.fromarray(small).save(pair / "IMG_2.jpg", quality=90)
    return folder


@pytest.fixture(scope="module")
def scanned(library, tmp_path_factory):
    """``(records, database)`` of a scan of the library with the shipped model."""
    db = tmp_path_factory.mktemp("db") / "lib.db"
    return _run("scan", str(library), "--db", str(db), "--format", "jsonl"), db


def test_the_schema_is_a_valid_draft_2020_12_schema_open_to_new_keys():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["additionalProperties"] is True and "added" in SCHEMA["description"]
    assert VALIDATOR.is_valid({**_valid_record(), "a_key_of_a_later_version": 1})


def _valid_record() -> dict:
    return {key: None for key in SCHEMA["required"]} | {"path": "/p/a.jpg", "status": "error", "error": "file is empty",
                                                        "size": 0}


def test_the_schema_and_docs_jsonl_md_name_the_same_keys_with_the_same_types():
    documented = _doc_table()
    assert list(documented) == SCHEMA["required"] == list(SCHEMA["properties"])
    words = {"string": "string", "number": "number", "integer": "integer", "array": "array"}
    for key, (kind, _meaning, null_when) in documented.items():
        prop = SCHEMA["properties"][key]
        types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        assert words[kind.split()[0]] in types, (key, kind, types)
        assert ("null" in types) == (null_when != "never"), (key, null_when, types)
        assert ("0..1" in kind) == (prop.get("maximum") == 1 and prop.get("minimum") == 0), (key, kind)
        if "≥ 0" in kind:
            assert prop.get("minimum") == 0, (key, kind)
        if kind.startswith("array of 4"):
            assert prop["minItems"] == prop["maxItems"] == 4, key
    for key, words_in_doc in (("status", '`"ok"` or `"error"`'), ("blur_type", '`"none"`, `"defocus"` or `"motion"`')):
        assert words_in_doc in documented[key][1]
    assert SCHEMA["properties"]["status"]["enum"] == ["ok", "error"]
    assert SCHEMA["properties"]["blur_type"]["enum"][:3] == ["none", "defocus", "motion"]
    assert SCHEMA["properties"]["verdict"]["enum"][:3] == ["sharp", "partial", "blurry"]
    for word in ("sharp", "partial", "blurry"):
        assert f'`"{word}"`' in documented["verdict"][1]


def test_score_names_are_the_measures():
    from blurscan.measures import blank_scores
    from blurscan.older_records import SCORES

    assert SCORES == tuple(sorted(blank_scores()))


@pytest.mark.slow
def test_every_record_of_a_scan_is_valid(scanned):
    records, _db = scanned
    _valid(records)
    errors = {Path(r["path"]).name: r["error"] for r in records if r["status"] == "error"}
    for name in ("truncated.jpg", "empty.jpg", "notes.jpg", "layers.png", "bomb.png", "loop.jpg", "broken.jpg",
                 "pipe.jpg", "tiny.png", "nan.tiff"):
        assert name in errors, sorted(errors)
    assert "folder.jpg" not in errors  # a folder is walked, named as it may be
    notes = {Path(r["path"]).name: (r["format"], r["note"]) for r in records if r["note"]}
    assert notes["IMG_1.jpg"][0] == "DNG" and notes["IMG_1.jpg"][1].startswith("judged from the RAW twin IMG_1.dng")
    assert notes["IMG_2.jpg"][0] == "JPEG" and notes["IMG_2.jpg"][1].startswith("judged from this 600 px file")
    assert {r["verdict"] for r in records} == {"sharp", "partial", "blurry", None}


def test_every_record_of_model_none_and_fast_scans_is_valid(library, tmp_path):
    plain = _valid(_run("scan", str(library), "--db", str(tmp_path / "a.db"), "--format", "jsonl", "--model", "none"))
    assert {r["model_version"] for r in plain} == {None} and {r["verdict"] for r in plain} == {"sharp", "blurry", None}
    fast = _valid(_run("scan", str(library), "--db", str(tmp_path / "b.db"), "--format", "jsonl", "--fast"))
    assert any(r["laplacian_var"] is None for r in fast if r["status"] == "ok")


def test_unreadable_file_is_a_valid_error_record(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its permissions")
    photo = tmp_path / "locked.jpg"
    Image.fromarray(textured(1)).save(photo)
    photo.chmod(0)
    (record,) = _valid(_run("scan", str(photo), "--db", str(tmp_path / "a.db"), "--format", "jsonl"))
    assert record["error"] == "permission denied"


def test_report_after_a_move_and_decisions_is_valid(library, tmp_path):
    import shutil

    from helpers_library import decide_in

    own = tmp_path / "lib"
    own.mkdir()
    for name in ("astronaut.jpg", "astronaut-soft.jpg", "coffee.jpg", "rocket.jpg", "rocket-motion.jpg"):
        shutil.copy(library / name, own / name)
    (own / "empty.jpg").write_bytes(b"")
    db = tmp_path / "lib.db"
    records = _run("scan", str(own), "--db", str(db), "--format", "jsonl")
    assert "blurry" in {r["verdict"] for r in records}
    decide_in(db, str(own / "coffee.jpg"), "discard")
    decide_in(db, str(own / "rocket.jpg"), "keep")
    moved = CliRunner().invoke(main, ["move", str(own), "--db", str(db), "--to", str(tmp_path / "out"), "--all-blurry",
                                      "--yes"])
    assert moved.exit_code == 0, moved.output
    assert not (own / "coffee.jpg").exists()
    reported = _valid(_run("report", "--db", str(db), "--format", "jsonl"))
    assert {r["path"] for r in reported} == {str(p) for p in own.iterdir()}


def _stored_like_older(db: Path, tmp_path: Path, change) -> Path:
    """A copy of ``db`` whose records ``change(record)`` made as an older blurscan stored them."""
    copy = tmp_path / "older.db"
    copy.write_bytes(db.read_bytes())
    with connected(copy) as conn:
        for path, text in conn.execute("SELECT path, record FROM images").fetchall():
            record = json.loads(text)
            if change(record):
                conn.execute("UPDATE images SET record = ?, captured_at = ? WHERE path = ?",
                             (json.dumps(record), record["captured_at"], path))
    return copy


def test_report_of_model_records_stored_before_grid_box_says_the_grid_covers_the_whole_picture(scanned, tmp_path):
    # (before 2026-12-02 the model looked at the whole picture, borders and all, and stored no grid_box: report
    # wrote it null, which the contract gives only to errors and --model none records)
    records, db = scanned

    def older(record):
        return record["status"] == "ok" and record.pop("grid_box") is not None

    reported = _valid(_run("report", "--db", str(_stored_like_older(db, tmp_path, older)), "--format", "jsonl"))
    assert {tuple(r["grid_box"]) for r in reported if r["status"] == "ok"} == {(0.0, 0.0, 1.0, 1.0)}
    grids = {r["path"]: r["grid"] for r in records}
    assert all(r["grid"] == grids[r["path"]] for r in reported)  # the rest as stored


def test_report_of_a_date_stored_with_an_impossible_offset_is_iso_8601(scanned, tmp_path):
    # (before 2026-12-04 an offset such as +99:99 was copied as it was; report wrote it until a scan dated the photo
    # again)
    _records, db = scanned

    def older(record):
        if record["status"] != "ok":
            return False
        record["captured_at"], record["dates"] = "2024-07-14T18:03:22+99:99", None
        return True

    reported = _valid(_run("report", "--db", str(_stored_like_older(db, tmp_path, older)), "--format", "jsonl"))
    assert {r["captured_at"] for r in reported if r["status"] == "ok"} == {"2024-07-14T18:03:22"}


@pytest.mark.parametrize("without_coarse_gradient", [False, True], ids=["dated-only", "and-older-scores"])
def test_report_keeps_each_real_offset_and_leaves_out_only_impossible_ones(scanned, tmp_path,
                                                                            without_coarse_gradient):
    # (the world's offsets run from -12:00 to +14:00: +14:00 is Kiribati's, kept; minutes of 60 or more, or more
    # than 14 hours either way, are no offset: left out, the time kept, as a scan now dates such a photo; the same
    # when the record is an older one for another reason too, its scores)
    _records, db = scanned
    stored = {"+14:00": "+14:00", "-14:00": "-14:00", "+05:45": "+05:45", "+05:60": "", "-03:75": "",
              "+14:01": "", "+15:00": "", "-14:30": ""}
    given: dict[str, str] = {}

    def older(record):
        if record["status"] != "ok":
            return False
        offset = list(stored)[len(given) % len(stored)]
        given[record["path"]] = offset
        record["captured_at"], record["dates"] = f"2024-07-14T18:03:22{offset}", None
        if without_coarse_gradient:
            record["scores"].pop("coarse_gradient")
        return True

    reported = _valid(_run("report", "--db", str(_stored_like_older(db, tmp_path, older)), "--format", "jsonl"))
    assert len(given) >= len(stored), given  # (each offset stored at least once)
    assert {r["path"]: r["captured_at"] for r in reported if r["status"] == "ok"} == \
        {path: f"2024-07-14T18:03:22{stored[offset]}" for path, offset in given.items()}


def test_report_of_records_stored_before_coarse_gradient_has_every_key(scanned, tmp_path):
    # (measure version 1 had no coarse_gradient; that day's error records no scores at all: report's objects
    # lacked those keys, and its CSV those columns)
    _records, db = scanned

    def older(record):
        if record["status"] == "ok":
            record["scores"].pop("coarse_gradient")
        else:
            record["scores"] = {}
        return True

    older_db = _stored_like_older(db, tmp_path, older)
    reported = _valid(_run("report", "--db", str(older_db), "--format", "jsonl"))
    assert {r["coarse_gradient"] for r in reported} == {None}
    header = CliRunner().invoke(main, ["report", "--db", str(older_db), "--format", "csv"]).stdout.splitlines()[0]
    assert header.split(",") == SCHEMA["required"]


def test_the_docs_python_lines_check_a_scan_and_name_a_broken_key(scanned, tmp_path, monkeypatch):
    text = (ROOT / "docs" / "jsonl.md").read_text()
    section = text[text.index("### Checking it: the JSON Schema"):]
    code = section[section.index("```python\n") + 10:section.index("```\n", section.index("```python"))]
    records, _db = scanned
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "jsonl.schema.json").write_text(json.dumps(SCHEMA))
    (tmp_path / "scan.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    monkeypatch.chdir(tmp_path)
    exec(code, {})  # every record passes
    (tmp_path / "scan.jsonl").write_text(json.dumps({**next(r for r in records if r["p_blurry"]), "p_blurry": 1.5}) + "\n")
    with pytest.raises(jsonschema.ValidationError, match="1.5 is greater than the maximum of 1"):
        exec(code, {})
