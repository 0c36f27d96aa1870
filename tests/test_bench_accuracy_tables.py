"""The tables bench/accuracy.py works out itself, beside blurscan.evaluate's: balanced accuracy (`_balanced`), the
p_blurry sweep (each cut-off's balanced accuracy per group, or the share called blurry where a group has one class)
and the per-group breakdown (share called blurry, partial, and under the Laplacian's 100), each checked against
figures worked out by hand on a few records. Mutation testing (2026-12-05) found nothing held them."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from blurscan.evaluate import ManifestRow
from blurscan.records import ScanRecord

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_accuracy", BENCH / "accuracy.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_accuracy", module)  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def _row(name, label, group="g"):
    return ManifestRow(file=name, path=f"/x/{name}", label=label, partial=False, set=group)


def test_balanced_accuracy_is_the_mean_recall_of_the_classes_there(bench):
    # blurry: 1 of 2 found; sharp: 2 of 3 left sharp
    assert bench._balanced([1, 1, 0, 0, 0], [1, 0, 0, 0, 1]) == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert bench._balanced([1, 1, 1], [1, 0, 1]) == pytest.approx(2 / 3)  # one class: its recall


def test_the_sweep_cuts_at_or_above_and_a_one_class_group_gives_its_share_called_blurry(bench):
    both = [(_row("a", "blurry"), ScanRecord("/x/a", verdict="blurry", p_blurry=0.5)),
            (_row("b", "blurry"), ScanRecord("/x/b", verdict="partial", p_blurry=0.45)),  # partial: not blurry
            (_row("c", "sharp"), ScanRecord("/x/c", verdict="sharp", p_blurry=0.3)),
            (_row("d", "sharp"), ScanRecord("/x/d", verdict="blurry", p_blurry=0.8)),
            (_row("e", "sharp"), ScanRecord.from_error("/x/e", "broken"))]  # not scored: left out
    sharp = [(_row(n, "sharp"), ScanRecord(f"/x/{n}", verdict="sharp", p_blurry=p)) for n, p in
             (("f", 0.2), ("g", 0.5), ("h", 0.6), ("i", 0.1))]
    lines = bench.sweep({"both": both, "sharp": sharp}, (None, 0.5))
    # the model's verdicts: blurry recall 1/2, sharp recall 1/2; sharp only: none called blurry
    assert lines[0] == {"cut": None, "both": 0.5, "sharp": 0.0}
    # p_blurry >= 0.5: a (0.5, exactly the cut) and d; blurry recall 1/2, sharp recall 1/2; sharp: g and h, 2 of 4
    assert lines[1] == {"cut": 0.5, "both": 0.5, "sharp": 0.5}
    assert bench.sweep({"both": both}, (0.4,)) == [{"cut": 0.4, "both": pytest.approx((1 + 1 / 2) / 2)}]


def test_the_breakdown_counts_each_groups_scored_photos(bench):
    pairs = [(_row("a", "blurry", "x"), ScanRecord("/x/a", verdict="blurry", laplacian_var=20.0)),
             (_row("b", "blurry", "x"), ScanRecord("/x/b", verdict="partial", laplacian_var=150.0)),
             (_row("c", "sharp", "x"), ScanRecord("/x/c", verdict="partial", laplacian_var=100.0)),  # not under
             (_row("d", "sharp", "x"), ScanRecord.from_error("/x/d", "broken")),
             (_row("e", "sharp", "y"), ScanRecord("/x/e", verdict="sharp", laplacian_var=400.0))]
    rows, records = zip(*pairs)
    table = bench.breakdown(rows, records, lambda row: row.set)
    assert table == {"x": {"n": 3, "blurscan_blurry": 1 / 3, "blurscan_partial": 2 / 3, "laplacian_blurry": 1 / 3},
                     "y": {"n": 1, "blurscan_blurry": 0.0, "blurscan_partial": 0.0, "laplacian_blurry": 0.0}}


def test_the_fft_cut_off_is_fitted_on_the_sharp_blurry_rows_alone(bench):
    """fft@best, as laplacian@best: fitted on the rows that are not partly in focus. Sharp rows 30 and 40, blurry
    5 and 10: half-way, 20; a partial row's 25 (labelled blurry) does not move it."""
    files = [("s0", "sharp", False, 30.0), ("s1", "sharp", False, 40.0), ("b0", "blurry", False, 5.0),
             ("b1", "blurry", False, 10.0), ("p", "blurry", True, 25.0)]
    rows = [ManifestRow(file=n, path=f"/x/{n}", label=lab, partial=part) for n, lab, part, _ in files]
    records = [ScanRecord(f"/x/{n}", verdict="sharp", p_blurry=0.5, laplacian_var=200.0 + i)
               for i, (n, *_rest) in enumerate(files)]
    y = np.array([lab == "blurry" for _, lab, _, _ in files], np.int8)
    partial = np.array([part for _, _, part, _ in files])
    fft = bench.Timed({f"/x/{n}": v for n, _, _, v in files}, {}, 0.0)
    dets, cuts = bench.detectors_for(rows, records, y, partial, {"fft": fft}, None)
    assert cuts["fft"] == 20.0
