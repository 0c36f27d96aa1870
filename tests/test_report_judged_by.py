"""A person who upgrades blurscan (a newer model ships) and runs ``report`` or opens the review page before a scan
was shown the older model's verdicts without a word until 2026-12-07 (only the next scan said "another model (OLD
-> NEW) ... scored again"). Now both say how many photos another model judged, which, and the scan that judges them
again (blurscan.judged_by); a model the last scan was told to use (--model PATH, --model none) is not counted. An
older blurscan's database is faked as the rescored note's tests fake it: the rows of a real scan given another
model's version. Real scans of generated JPEGs through the CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.judged_by import CHOSEN_KEY, default_version, model_of
from blurscan.model.runtime import default_model_path
from helpers_images import blurred, save_jpeg, textured
from helpers_review import BASE, _get, _post, review_client
from helpers_sqlite import connected

OLD = "2026.11.25+c7682040"  # (the model of the 2026-11-25 build)


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def _scan(*args: str):
    return _run("scan", "--workers", "1", *args)


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0001.jpg", textured(1))
    save_jpeg(lib / "IMG_0002.jpg", blurred(textured(2), 3.0))
    save_jpeg(lib / "IMG_0003.jpg", textured(3))
    return lib


def _judged_by_an_older_model(lib: Path, *names: str) -> None:
    """The rows of ``names`` (all: none named) as a scan with model :data:`OLD` stored them."""
    default = default_version()
    with connected(lib / ".blurscan.db") as conn:
        where = f" WHERE path IN ({','.join('?' * len(names))})" if names else ""
        conn.execute(f"UPDATE images SET cache_key = replace(cache_key, ?, ?), record = replace(record, ?, ?){where}",
                     (default, OLD, default, OLD, *[str(lib / n) for n in names]))


def _notes(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "judged" in line]


def _chosen(lib: Path):
    with connected(lib / ".blurscan.db") as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (CHOSEN_KEY,)).fetchone()
    return row and row[0]


def test_report_says_how_many_listed_photos_an_older_model_judged_and_the_scan_that_judges_them_again(tmp_path):
    lib = _library(tmp_path)
    _scan(str(lib))
    _judged_by_an_older_model(lib)
    default = default_version()
    assert re.fullmatch(r"[0-9.]+\+[0-9a-f]{8}", default) and default != OLD

    for fmt in ("table", "csv", "jsonl"):
        result = _run("report", str(lib), "--format", fmt)
        assert _notes(result) == [f"note: 3 listed photos were judged by model {OLD}, not by this blurscan's default "
                                  f"model {default}; `blurscan scan {lib}` judges them again with it"], fmt
        assert "judged" not in result.stdout and "blurscan scan" not in result.stdout  # (never in the rows)
    rows = [json.loads(line) for line in _run("report", str(lib), "--format", "jsonl").stdout.splitlines()]
    assert [r["model_version"] for r in rows] == [OLD] * 3  # (the rows' own key names it, as it always did)
    only = _run("report", str(lib), "--only", "blurry")  # (of the photos listed)
    assert _notes(only) == [f"note: 1 listed photo was judged by model {OLD}, not by this blurscan's default "
                            f"model {default}; `blurscan scan {lib}` judges it again with it"]

    _scan(str(lib))  # judged again: nothing to say
    assert _notes(_run("report", str(lib))) == []


@pytest.mark.slow
def test_a_model_the_last_scan_was_told_to_use_is_not_counted_but_an_older_one_is(tmp_path):
    onnx = pytest.importorskip("onnx")
    lib = _library(tmp_path)
    proto = onnx.load(str(default_model_path()))
    proto.doc_string = "retrained at home"  # (other bytes: another version, its hash)
    own = tmp_path / "mine.onnx"
    onnx.save(proto, str(own))
    _scan(str(lib), "--model", str(own))
    mine = _chosen(lib)
    assert mine and mine != default_version() and model_of(f"m|d|{mine}/p4|s") == mine
    assert _notes(_run("report", str(lib))) == []  # (scanned so on purpose: not said at every report)

    _judged_by_an_older_model(lib, "IMG_0002.jpg")  # (a row the default's older version judged, under it)
    with connected(lib / ".blurscan.db") as conn:
        conn.execute("UPDATE images SET cache_key = replace(cache_key, ?, ?) WHERE path = ?",
                     (mine, OLD, str(lib / "IMG_0002.jpg")))
    assert _notes(_run("report", str(lib))) == [
        f"note: 1 listed photo was judged by model {OLD}, not by this blurscan's default model {default_version()}; "
        f"`blurscan scan {lib}` judges it again with it"]


def test_model_none_is_left_alone_until_a_scan_with_the_default_model(tmp_path):
    lib = _library(tmp_path)
    _scan(str(lib), "--model", "none")
    assert _chosen(lib) == "none"
    assert _notes(_run("report", str(lib))) == []
    _scan(str(lib / "IMG_0001.jpg"))  # the default model again, for one photo: the other two are said now
    assert _chosen(lib) is None
    assert _notes(_run("report", str(lib))) == [
        f"note: 2 listed photos were judged without a model (--model none), not by this blurscan's default model "
        f"{default_version()}; `blurscan scan {lib}` judges them again with it"]


def test_the_review_page_says_it_under_its_figures_and_a_decision_keeps_it(tmp_path):
    lib = _library(tmp_path)
    _scan(str(lib))
    db = lib / ".blurscan.db"
    tab = review_client((db, None))
    assert _get(tab, "/api/summary").get_json()["judged_by"] is None
    _judged_by_an_older_model(lib, "IMG_0001.jpg", "IMG_0002.jpg")
    said = (f"2 photos were judged by model {OLD}, not by this blurscan's default model {default_version()}; "
            f"`blurscan scan {lib}` judges them again with it")
    assert _get(tab, "/api/summary").get_json()["judged_by"] == said
    assert b'id="judged-by"' in tab.get("/", base_url=BASE).data
    item = _get(tab, "/api/items?filter=all").get_json()["items"][0]
    answer = _post(tab, "/api/decision", {"id": item["id"], "decision": "keep", "v": item["v"]})
    assert answer.status_code == 200 and answer.get_json()["summary"]["judged_by"] == said
    _judged_by_an_older_model(lib)  # every photo under one key: counted in the figures' own pass
    assert _get(tab, "/api/summary").get_json()["judged_by"] == said.replace("2 photos", "3 photos")


@pytest.mark.browser
def test_the_review_page_shows_the_line_under_its_figures(sync_api, tmp_path):
    from helpers_browser import generated_library, review_page

    db = generated_library(tmp_path, 4, sharp=1)
    with connected(db) as conn:  # (two photos an older model judged, two the default: only the two said)
        paths = [p for (p,) in conn.execute("SELECT path FROM images ORDER BY path")]
        for path, model in zip(paths, (OLD, OLD, default_version(), default_version())):
            conn.execute("UPDATE images SET cache_key = ? WHERE path = ?", (f"m1|d2|{model}/p4|s", path))
    with review_page(sync_api, db) as (page, origin, errors):
        page.wait_for_selector("#judged-by:not([hidden])")
        assert page.text_content("#judged-by") == (
            f"2 photos were judged by model {OLD}, not by this blurscan's default model {default_version()}; "
            f"`blurscan scan {db.parent}` judges them again with it")
        assert page.is_visible("#judged-by") and errors == []
    with connected(db) as conn:
        conn.execute("UPDATE images SET cache_key = ?", (f"m1|d2|{default_version()}/p4|s",))
    with review_page(sync_api, db) as (page, origin, errors):
        page.wait_for_selector("#summary:not(:empty)")
        assert not page.is_visible("#judged-by") and errors == []


def test_photos_of_two_older_models_are_said_with_each_models_count_the_most_first(tmp_path):
    lib = _library(tmp_path)
    _scan(str(lib))
    _judged_by_an_older_model(lib)
    older = "2026.11.01+0a1b2c3d"  # (first by name, fewest photos: said last)
    with connected(lib / ".blurscan.db") as conn:
        conn.execute("UPDATE images SET cache_key = replace(cache_key, ?, ?) WHERE path = ?",
                     (OLD, older, str(lib / "IMG_0003.jpg")))
    assert _notes(_run("report", str(lib))) == [
        f"note: 3 listed photos were judged by other models than this blurscan's default {default_version()} "
        f"(2 by model {OLD}, 1 by model {older}); `blurscan scan {lib}` judges them again with it"]


def test_verdicts_whose_cache_key_does_not_say_their_model_are_not_counted(tmp_path):
    """Rows whose cache key does not name a model as a scan writes it (three parts, or an empty model part: written
    by hand, or by a blurscan before cache keys had four parts) are not said judged by another model: which model
    judged them is not known (:data:`blurscan.judged_by.UNKNOWN`), and report says nothing of them ("judged by
    model ?" and "by model ," said nothing true); the rows that say an older model are still counted."""
    lib = _library(tmp_path)
    _scan(str(lib))
    with connected(lib / ".blurscan.db") as conn:
        keys = dict(conn.execute("SELECT path, cache_key FROM images").fetchall())
        first, second, third = (str(lib / f"IMG_000{n}.jpg") for n in (1, 2, 3))
        measure, decode, _model, settings = keys[first].split("|")
        conn.execute("UPDATE images SET cache_key = ? WHERE path = ?", (f"{measure}|{settings}", first))
        conn.execute("UPDATE images SET cache_key = ? WHERE path = ?", (f"{measure}|{decode}||{settings}", second))
    assert model_of(f"{measure}|{settings}") == model_of(f"{measure}|{decode}||{settings}") == "?"
    assert _notes(_run("report", str(lib))) == []
    _judged_by_an_older_model(lib, "IMG_0003.jpg")
    assert _notes(_run("report", str(lib))) == [
        f"note: 1 listed photo was judged by model {OLD}, not by this blurscan's default model {default_version()}; "
        f"`blurscan scan {lib}` judges it again with it"], third
