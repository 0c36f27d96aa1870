"""`blurscan evaluate` on a manifest of one class (a folder of sharp keepers, say): laplacian@best reported a
cut-off "fitted on this very set" that was only the smallest value less a hair (every cut past the one class's
values scores 100 %), as if it meant something. With one class there is now no laplacian@best; ROC AUC is
`n/a` in the table and `null` in metrics.json, never NaN. A cut-off of 10,000 or more is printed whole, not as
`2.379e+04`."""
from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


def _no_nan(text):
    def refuse(name):
        raise AssertionError(f"{name} in metrics.json")
    return json.loads(text, parse_constant=refuse)


def test_one_class_has_no_best_cut_off(tmp_path):
    for i in range(3):
        save_jpeg(tmp_path / f"s{i}.jpg", textured(seed=i))
    (tmp_path / "m.csv").write_text("file,label\n" + "".join(f"s{i}.jpg,sharp\n" for i in range(3)))
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert not [line for line in result.output.splitlines() if line.startswith("laplacian@best")]
    assert "laplacian@best, whose cut-off is fitted on both, is left out" in result.output
    dets = _no_nan((tmp_path / "o" / "metrics.json").read_text())["detectors"]
    assert set(dets) == {"blurscan", "laplacian@100"}
    assert dets["laplacian@100"]["roc_auc"] is None and dets["laplacian@100"]["confusion"] == [[3, 0], [0, 0]]


def test_both_classes_keep_a_best_cut_off_between_them(tmp_path):
    for i in range(2):
        save_jpeg(tmp_path / f"s{i}.jpg", textured(seed=i))
        save_jpeg(tmp_path / f"b{i}.jpg", blurred(textured(seed=i), sigma=5.0))
    (tmp_path / "m.csv").write_text("file,label\n" + "".join(f"s{i}.jpg,sharp\nb{i}.jpg,blurry\n" for i in range(2)))
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    best = _no_nan((tmp_path / "o" / "metrics.json").read_text())["detectors"]["laplacian@best"]
    assert best["balanced_accuracy"] == 1.0 and best["threshold"] > 0
    assert f"laplacian@best: cut-off {best['threshold']:.4g}," in result.output


def test_a_large_best_cut_off_is_written_out(tmp_path):
    """Laplacian variances of fine-grained photos run to tens of thousands: the cut-off read `2.379e+04`."""
    rng = np.random.default_rng(0)
    for i in range(2):
        noise = rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)
        save_jpeg(tmp_path / f"s{i}.jpg", noise, quality=98)
        save_jpeg(tmp_path / f"b{i}.jpg", blurred(noise, sigma=3.0))
    (tmp_path / "m.csv").write_text("file,label\n" + "".join(f"s{i}.jpg,sharp\nb{i}.jpg,blurry\n" for i in range(2)))
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    cut = _no_nan((tmp_path / "o" / "metrics.json").read_text())["detectors"]["laplacian@best"]["threshold"]
    assert cut > 1e4
    assert f"laplacian@best: cut-off {cut:.0f}, fitted" in result.output and "e+0" not in result.output
