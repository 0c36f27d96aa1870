"""The ROC curve of `roc.png` and the AUC in its legend agree where a score is shared by a sharp and a blurry image.

The AUC counts such a tie one half (the chance that a random order puts the blurry image first); the curve was
drawn as a staircase (across, then up), whose area counts it as lost, so the plot showed less than the AUC it was
labelled with. Now the points are joined by straight lines, as scikit-learn's RocCurveDisplay joins them, and the
area under the line drawn is the AUC. Expected values are counted here pair by pair, from the definition.
"""
from __future__ import annotations

import shutil

import pytest

from blurscan.config import ScanSettings
from blurscan.evaluate import evaluate_manifest, scored
from helpers_images import blurred, save_jpeg, textured


def _area_under(vertices) -> float:
    """The area between the polyline through ``vertices`` (x rising) and the x axis, trapezoid by trapezoid."""
    return float(sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(vertices[:-1], vertices[1:])))


def _pairwise_auc(pairs) -> float:
    """P(a blurry image's score > a sharp one's) + P(equal) / 2, over every (blurry, sharp) pair: the AUC."""
    pos = [s for label, s in pairs if label == "blurry"]
    neg = [s for label, s in pairs if label == "sharp"]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def test_drawn_roc_curve_has_the_area_of_its_auc_with_ties_across_classes(tmp_path):
    pytest.importorskip("matplotlib")
    from blurscan.evaluate_plots import roc_figure

    lines = ["file,label"]
    for i in range(3):
        save_jpeg(tmp_path / f"s{i}.jpg", textured(seed=i))
        lines.append(f"s{i}.jpg,sharp")
    for i in range(2):
        save_jpeg(tmp_path / f"b{i}.jpg", blurred(textured(seed=10 + i), sigma=4.0))
        lines.append(f"b{i}.jpg,blurry")
    # the same pixels under a blurry label (a mislabelled copy): its Laplacian variance ties with s0's
    shutil.copyfile(tmp_path / "s0.jpg", tmp_path / "copy_of_s0.jpg")
    lines.append("copy_of_s0.jpg,blurry")
    (tmp_path / "m.csv").write_text("\n".join(lines) + "\n")

    ev, rows, records = evaluate_manifest(tmp_path / "m.csv", ScanSettings(model="none", workers=1))
    # the Laplacian ranks blurry first by -laplacian_var
    pairs = [(row.label, -rec.laplacian_var) for row, rec in scored(rows, records)]
    expected = _pairwise_auc(pairs)
    assert 0 < expected < 1 and expected != round(expected)  # a tie across the classes is counted one half
    (label, (fpr, tpr, auc)), = ev.roc.items()  # laplacian@100 = laplacian@best: one ranking, one curve
    assert auc == pytest.approx(expected)

    fig = roc_figure(ev)
    curves = [line for line in fig.axes[0].get_lines() if line.get_label().startswith(label)]
    assert len(curves) == 1
    drawn = curves[0].get_path().vertices  # what is drawn, steps included
    assert _area_under(drawn) == pytest.approx(expected)
    assert f"(AUC {expected:.3f})" in curves[0].get_label()
