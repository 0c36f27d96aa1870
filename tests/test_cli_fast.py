"""``blurscan scan --fast``: no full-resolution baseline, everything else as usual; it reuses a full scan's results."""
from __future__ import annotations

import json

import cv2
import numpy as np
from click.testing import CliRunner

from blurscan.cli import main


def _photo(path, seed):
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(rng.integers(0, 255, (600, 800, 3), dtype=np.uint8), (0, 0), 1.0)
    cv2.imwrite(str(path), img, [cv2.IMWRITE_JPEG_QUALITY, 92])


def _scan(args):
    out = CliRunner().invoke(main, ["scan", *args, "--format", "jsonl", "--workers", "1", "--model", "none"])
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]


def test_fast_mode_leaves_out_only_the_baseline(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for i in range(2):
        _photo(lib / f"p{i}.jpg", i)
    full = {r["path"]: r for r in _scan([str(lib), "--db", str(tmp_path / "full.db")])}
    fast = {r["path"]: r for r in _scan([str(lib), "--db", str(tmp_path / "fast.db"), "--fast"])}
    assert full.keys() == fast.keys()
    for path, record in fast.items():
        assert record["status"] == "ok" and record["laplacian_var"] is None
        assert full[path]["laplacian_var"] > 0
        assert record["verdict"] == full[path]["verdict"]
        assert record["laplacian_var_norm"] == full[path]["laplacian_var_norm"]


def test_fast_rescan_reuses_a_full_scan_but_not_the_other_way_round(tmp_path, decode_calls):
    """Adding --fast to speed up a re-scan decoded the whole library again (its own cache key); a full scan's
    records hold everything a fast one computes, so they are reused, baseline and all. A full scan after a fast
    one still decodes: the fast records lack the baseline."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for i in range(2):
        _photo(lib / f"p{i}.jpg", i)
    full_db, fast_db = str(tmp_path / "full.db"), str(tmp_path / "fast.db")
    full = {r["path"]: r for r in _scan([str(lib), "--db", full_db])}
    decode_calls.clear()
    fast = {r["path"]: r for r in _scan([str(lib), "--db", full_db, "--fast"])}
    assert decode_calls == [] and fast == full
    _scan([str(lib), "--db", fast_db, "--fast"])
    decode_calls.clear()
    again = {r["path"]: r for r in _scan([str(lib), "--db", fast_db])}
    assert sorted(decode_calls) == sorted(again) and all(r["laplacian_var"] > 0 for r in again.values())


def test_fast_table_without_a_model_is_ranked_by_the_analysis_scale_figure(tmp_path):
    """`scan --fast --model none` has neither p_blurry nor the full-size Laplacian variance: the table came out
    in path order (a blurry photo at #21 of a data set) with an empty `lap. var` column. It is ranked by the
    1024-px Laplacian variance (the figure the verdict used), least first, and shows no empty column."""
    lib = tmp_path / "lib"
    lib.mkdir()
    sharp = np.random.default_rng(0).integers(0, 255, (600, 800, 3), dtype=np.uint8)
    for name, sigma in (("a_sharp", 0), ("b_soft", 2.0), ("c_blurry", 6.0)):
        img = sharp if not sigma else cv2.GaussianBlur(sharp, (0, 0), sigma)
        cv2.imwrite(str(lib / f"{name}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    out = CliRunner().invoke(main, ["scan", str(lib), "--fast", "--model", "none", "--workers", "1",
                                    "--db", str(tmp_path / "b.db")], terminal_width=120)
    assert out.exit_code == 0, out.output
    rows = [line.split() for line in out.output.splitlines() if ".jpg" in line]
    assert [row[-1].rsplit("/", 1)[-1] for row in rows] == ["c_blurry.jpg", "b_soft.jpg", "a_sharp.jpg"], out.output
    assert "lap. var" not in out.output
