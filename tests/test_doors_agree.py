"""The same photos seen through blurscan's different doors agree: ``scan`` (JSONL, CSV, a re-scan from the cache),
``report``, the Python API (``blurscan.scan``, ``score_image``), the review server's list, detail and header,
``move --all-blurry``'s dry run and ``evaluate``'s predictions.csv, on one small varied library (generated photos,
sharp and blurred, a PNG, an EXIF-rotated JPEG, a name with spaces and accents, bad files), built once."""
from __future__ import annotations

import csv
import io
import json
import os

import cv2
import numpy as np
import pytest
from PIL import Image

import blurscan
from blurscan.errors import DecodeError
from blurscan.measures import laplacian_var
from helpers_cli import jsonl, run
from helpers_images import bad_files, blurred, save_jpeg, save_png, shaken, textured
from helpers_review import _get, review_client


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    root = tmp_path_factory.mktemp("doors") / "lib"
    for i in range(3):
        save_jpeg(root / "trip" / f"sharp_{i}.jpg", textured(i))
    save_jpeg(root / "trip" / "soft.jpg", blurred(textured(10), 3.0))
    save_jpeg(root / "trip" / "shaken.jpg", shaken(textured(11), 21))
    save_png(root / "png" / "blurred.png", blurred(textured(12), 2.0))
    exif = Image.Exif()
    exif[0x0112] = 6  # turned: stored 320 x 240, shown 240 x 320
    (root / "odd names").mkdir(parents=True)
    Image.fromarray(textured(13)).save(root / "odd names" / "turned.jpg", exif=exif.tobytes(), quality=92)
    save_jpeg(root / "odd names" / "été café ✓.jpg", textured(14))
    bad = {p: w for p, w in bad_files(root / "bad").items() if w in ("truncated", "empty", "not an image")}
    for p in set(map(str, (root / "bad").iterdir())) - set(bad):
        os.unlink(p)  # (the bomb and the loop: other tests' business, and slow)
    db = root / ".blurscan.db"
    out = run("scan", root, "--format", "jsonl", "--workers", "1")
    assert out.exit_code == 0, out.output
    return root, db


def _by_path(objects):
    return {o["path"]: o for o in objects}


def _scan(root, *args):
    r = run("scan", root, *args)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_scan_jsonl_csv_report_and_cache_agree(lib):
    root, db = lib
    first = _by_path(jsonl(_scan(root, "--format", "jsonl")))
    assert len(first) == 11 and sum(o["status"] == "error" for o in first.values()) == 3
    assert {"blurry", "sharp"} <= {o["verdict"] for o in first.values()}  # (something for each door to take or leave)
    report = run("report", root, "--format", "jsonl")
    assert _by_path(jsonl(report.stdout)) == first
    rows = list(csv.DictReader(io.StringIO(_scan(root, "--format", "csv"))))
    assert {r["path"] for r in rows} == set(first)
    for row in rows:
        o = first[row["path"]]
        for key, value in row.items():  # every column says what the JSONL says
            want = o[key]
            if want is None:
                assert value == "", (key, row["path"])
            elif isinstance(want, (list, dict)):
                assert json.loads(value) == want, (key, row["path"])
            elif isinstance(want, float):
                assert float(value) == want, (key, row["path"])
            else:
                assert value == str(want), (key, row["path"])
    turned = first[str(root / "odd names" / "turned.jpg")]
    assert (turned["width"], turned["height"]) == (240, 320)


def test_a_fresh_database_a_relative_path_and_two_workers_agree(lib, tmp_path, monkeypatch):
    root, _ = lib
    cached = _by_path(jsonl(_scan(root, "--format", "jsonl")))
    monkeypatch.chdir(root.parent)
    fresh = _by_path(jsonl(_scan("lib", "--format", "jsonl", "--db", tmp_path / "fresh.db", "--workers", "2")))
    assert fresh == cached
    apart = {}
    for part in ("trip", "png", "odd names", "bad"):
        apart.update(_by_path(jsonl(_scan(f"lib/{part}", "--format", "jsonl", "--db", tmp_path / "apart.db"))))
    assert apart == cached


def test_the_python_api_agrees_with_the_jsonl(lib):
    root, db = lib
    cached = _by_path(jsonl(_scan(root, "--format", "jsonl")))
    assert {r.path: r.to_json() for r in blurscan.scan([str(root)], db=str(db))} == cached
    for path, o in cached.items():
        if o["status"] == "error":
            with pytest.raises(DecodeError) as caught:
                blurscan.score_image(path)
            assert caught.value.reason == o["error"]
        else:
            assert blurscan.score_image(path).to_json() == o


def test_the_review_page_says_what_the_list_says(lib):
    root, db = lib
    cached = _by_path(jsonl(_scan(root, "--format", "jsonl")))
    client = review_client((db,))
    items = _by_path(_get(client, "/api/items?filter=all").get_json()["items"])
    assert set(items) == set(cached)
    for path, o in cached.items():
        item = items[path]
        detail = _get(client, f"/api/item/{item['id']}").get_json()
        for key in ("status", "error", "verdict", "blur_type", "width", "height", "size", "captured_at"):
            assert item[key] == o[key] == detail[key], (key, path)
        for key in ("format", "grid", "grid_box", "note", "model_version", "measure_version"):
            assert detail[key] == o[key], (key, path)
        assert (None if item["p_blurry"] is None else round(item["p_blurry"], 4)) == o["p_blurry"]
        assert (None if item["laplacian_var"] is None else round(item["laplacian_var"], 2)) == o["laplacian_var"]
        for key, value in (detail.get("scores") or {}).items():
            assert (None if value is None else round(value, 4)) == o[key], (key, path)
    flagged = {it["path"] for it in _get(client, "/api/items?filter=flagged").get_json()["items"]}
    assert flagged == {p for p, o in cached.items() if o["verdict"] in ("blurry", "partial")}
    summary = _get(client, "/api/summary").get_json()
    closing = run("report", root).output.splitlines()[-1]  # "11 files: 2 blurry, 4 partial, 2 sharp, 3 errors"
    words = {w: int(n) for n, w in (part.split()[-2:] for part in closing.split(": ", 1)[1].split(", "))}
    assert summary["photos"] == len(cached)
    assert summary["errors"] == words["errors"]
    assert summary["flagged"] == words["blurry"] + words["partial"]
    assert summary["flagged_bytes"] == sum(cached[p]["size"] for p in flagged)


def test_move_all_blurry_takes_the_photos_the_list_calls_blurry(lib, tmp_path):
    root, _ = lib
    cached = _by_path(jsonl(_scan(root, "--format", "jsonl")))
    r = run("move", "--to", tmp_path / "rejects", root, "--all-blurry")
    assert r.exit_code == 0, r.output
    taken = {str(root / line.split(" [")[0].removeprefix("would move ")) for line in r.output.splitlines()
             if line.startswith("would move ")}
    assert taken == {p for p, o in cached.items() if o["verdict"] == "blurry"}
    assert f"Dry run: {len(taken)} photo" in r.output


def _at_the_cut(path):
    """A grey PNG whose Laplacian variance lies in [99.995, 100): the JSONL writes it as 100.0."""
    rng = np.random.default_rng(1)
    base = cv2.GaussianBlur(rng.normal(0, 1, (300, 400)), (0, 0), 1.2)
    lo, hi = 1.0, 200.0
    for _ in range(50):
        mid = (lo + hi) / 2
        img = np.clip(np.round(128 + mid * base), 0, 255).astype(np.uint8)
        lo, hi = (mid, hi) if laplacian_var(img) < 100 else (lo, mid)
    img = np.clip(np.round(128 + hi * base), 0, 255).astype(np.uint8)
    value = laplacian_var(img)
    while not 99.995 <= value < 100:  # one grey level at a time, each a small step (a few hundredths at most)
        y, x = rng.integers(2, 298), rng.integers(2, 398)
        trial = img.copy()
        trial[y, x] = np.clip(int(trial[y, x]) + (-1 if value >= 100 else 1), 0, 255)
        if abs(laplacian_var(trial) - 99.9975) < abs(value - 99.9975):
            img, value = trial, laplacian_var(trial)
    cv2.imwrite(str(path), img)
    return value


def test_evaluate_calls_the_laplacian_baseline_on_the_figure_it_writes(tmp_path):
    value = _at_the_cut(tmp_path / "edge.png")
    assert 99.995 <= value < 100
    (tmp_path / "manifest.csv").write_text("file,label\nedge.png,sharp\n")
    record = blurscan.score_image(str(tmp_path / "edge.png")).to_json()
    assert record["laplacian_var"] == 100.0  # not below 100 as written: the rule of thumb says not blurry
    r = run("evaluate", tmp_path / "manifest.csv", "--out", tmp_path / "out", "--workers", "1")
    assert r.exit_code == 0, r.output
    with open(tmp_path / "out" / "predictions.csv", encoding="utf-8") as f:
        row, = csv.DictReader(f)
    assert (row["laplacian_var"], row["laplacian100_correct"]) == ("100.00", "yes")  # "no" before: called blurry
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["detectors"]["laplacian@100"]["confusion"] == [[1, 0], [0, 0]]
