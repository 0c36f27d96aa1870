"""Evaluation: metrics against scikit-learn, the Laplacian best-threshold rule, manifests, ``blurscan evaluate``."""
from __future__ import annotations

import csv
import json
import math
import os
import warnings

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from blurscan.cli import main
from blurscan.evaluate import (DetectorScores, Evaluation, ManifestError, evaluate_detectors, read_manifest,
                                save_plots)
from blurscan.metrics import best_threshold, binary_metrics, confusion_matrix, roc_auc, roc_curve

labels = st.lists(st.integers(0, 1), min_size=1, max_size=60)


def _pairs(min_size=1):
    return st.integers(min_size, 60).flatmap(
        lambda n: st.tuples(st.lists(st.integers(0, 1), min_size=n, max_size=n),
                            st.lists(st.integers(0, 1), min_size=n, max_size=n)))


def _nan_equal(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# ------------------------------------------------------------------------------------- metrics vs sklearn

@pytest.mark.slow
@settings(max_examples=60, deadline=None)  # scikit-learn's input checks make each example ~20 ms
@given(_pairs())
def test_binary_metrics_match_sklearn(pair):
    skm = pytest.importorskip("sklearn.metrics")
    y_true, y_pred = pair
    m = binary_metrics(y_true, y_pred)
    assert m["confusion"] == skm.confusion_matrix(y_true, y_pred, labels=[0, 1]).tolist()
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred))
    with warnings.catch_warnings():  # sklearn warns when y_pred holds a class y_true lacks
        warnings.simplefilter("ignore")
        assert m["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(y_true, y_pred))
    p, r, _, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=[0, 1], zero_division=np.nan)
    for i, cls in enumerate(("sharp", "blurry")):
        assert _nan_equal(m["precision"][cls], p[i])
        assert _nan_equal(m["recall"][cls], r[i])


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 80).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.integers(0, 6) | st.floats(-5, 5, allow_nan=False), min_size=n, max_size=n))))
def test_roc_matches_sklearn_with_ties(pair):
    skm = pytest.importorskip("sklearn.metrics")
    y, score = pair
    y, score = np.array(y), np.array(score, dtype=float)
    if y.min() == y.max():
        assert math.isnan(roc_auc(y, score))
        return
    auc = roc_auc(y, score)
    assert auc == pytest.approx(skm.roc_auc_score(y, score))
    fpr, tpr, thr = roc_curve(y, score)
    sk_fpr, sk_tpr, sk_thr = skm.roc_curve(y, score, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    np.testing.assert_allclose(thr[1:], sk_thr[1:])
    # the rank formula and the area under the curve agree (the trapezoids summed here: np.trapezoid is NumPy 2's
    # name, np.trapz NumPy 1's, and the suite runs on both)
    assert auc == pytest.approx(float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2)))


def test_auc_extremes_and_input_checks():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == 0.5
    with pytest.raises(ValueError, match="y_true"):
        confusion_matrix([0, 2], [0, 1])
    with pytest.raises(ValueError, match="score"):
        roc_auc([0, 1], [0.1, float("nan")])


# ------------------------------------------------------------------------------------ best threshold

def test_best_threshold_separable():
    lap = [12.0, 40.0, 95.0, 160.0, 400.0, 1200.0]
    y = [1, 1, 1, 0, 0, 0]
    cut, bal = best_threshold(lap, y)
    assert bal == 1.0
    assert 95.0 < cut < 160.0
    assert cut == pytest.approx((95.0 + 160.0) / 2)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.integers(0, 30).map(float), min_size=n, max_size=n))))
def test_best_threshold_is_the_brute_force_optimum(pair):
    y, values = np.array(pair[0]), np.array(pair[1])
    cut, bal = best_threshold(values, y)
    # the returned cut-off achieves the returned score ...
    assert binary_metrics(y, values < cut)["balanced_accuracy"] == pytest.approx(bal)
    # ... and no cut-off does better
    candidates = np.r_[values.min() - 1, np.unique(values) + 0.5]
    brute = max(binary_metrics(y, values < c)["balanced_accuracy"] for c in candidates)
    assert bal == pytest.approx(brute)


# ------------------------------------------------------------------------------------------- manifests

def _write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_a_manifest_separated_by_semicolons_or_tabs_is_read(tmp_path):
    """A spreadsheet's CSV where the decimal mark is a comma (';'), or a tab-separated one: its header, read as the
    one column 'file;label', was refused as missing both columns."""
    for sep in (";", "\t"):
        m = tmp_path / "m.csv"
        m.write_text(f"file{sep}label{sep}note\na.jpg{sep}sharp{sep}x, y\nb.jpg{sep}Blurry{sep}\n", encoding="utf-8")
        rows = read_manifest(m)
        assert [(r.file, r.label) for r in rows] == [("a.jpg", "sharp"), ("b.jpg", "blurry")]
    m.write_text("file,label\na;b.jpg,sharp\n", encoding="utf-8")  # (a comma header: ';' stays in a name)
    assert [r.file for r in read_manifest(m)] == ["a;b.jpg"]


def test_manifest_missing_column_names_file_and_column(tmp_path):
    m = _write_csv(tmp_path / "m.csv", ["file", "set"], [["a.jpg", "x"]])
    with pytest.raises(ManifestError, match=r"m\.csv: missing column 'label'"):
        read_manifest(m)


def test_manifest_missing_file_and_bad_label(tmp_path):
    with pytest.raises(ManifestError, match=r"nope\.csv: no such manifest file"):
        read_manifest(tmp_path / "nope.csv")
    m = _write_csv(tmp_path / "m.csv", ["file", "label"], [["a.jpg", "sharp"], ["b.jpg", "fuzzy"]])
    with pytest.raises(ManifestError, match=r"m\.csv, line 3: label 'fuzzy'"):
        read_manifest(m)
    (tmp_path / "short.csv").write_text("file,label\na.jpg,sharp\nb.jpg\n")  # a row cut short: no label
    with pytest.raises(ManifestError, match=r"short\.csv, line 3: empty 'label' \(wanted 'sharp' or 'blurry'\)"):
        read_manifest(tmp_path / "short.csv")


def test_manifest_filters_and_partial_rows(tmp_path):
    m = _write_csv(tmp_path / "m.csv", ["file", "label", "set", "split", "blur_type"], [
        ["a.jpg", "sharp", "one", "test", "none"],
        ["sub/b.jpg", "blurry", "one", "train", "motion"],
        ["c.jpg", "blurry", "two", "test", "partial-defocus"],
        ["d.jpg", "blurry", "two", "val", "missed_focus"],  # blurscan synth: soft subject, sharp background
    ])
    rows = read_manifest(m)
    assert [r.partial for r in rows] == [False, False, True, True]
    # the blur type to name: only for wholly blurred rows of a known kind
    assert [r.kind for r in rows] == ["", "motion", "", ""]
    assert rows[1].path == str(tmp_path / "sub" / "b.jpg")
    assert [r.file for r in read_manifest(m, split="test")] == ["a.jpg", "c.jpg"]
    assert [r.file for r in read_manifest(m, split=["test", "val"])] == ["a.jpg", "c.jpg", "d.jpg"]
    with pytest.raises(ManifestError, match="no rows for set two, split train/zzz"):
        read_manifest(m, sets=["two"], split=["zzz", "train"])
    assert [r.file for r in read_manifest(m, sets=["two"])] == ["c.jpg", "d.jpg"]
    with pytest.raises(ManifestError, match="no rows for set zzz"):
        read_manifest(m, sets=["zzz"])
    m2 = _write_csv(tmp_path / "m2.csv", ["file", "label"], [["a.jpg", "sharp"]])
    with pytest.raises(ManifestError, match="no 'split' column"):
        read_manifest(m2, split="test")


def test_manifest_blur_kinds_of_a_synth_manifest(tmp_path):
    """``blurscan synth`` writes the kind in ``blur``: Gaussian and box blur are defocus, shake and linear motion
    are motion, and the min-filter (an erosion) is neither, so its type is not judged."""
    m = _write_csv(tmp_path / "m.csv", ["file", "label", "blur", "category"], [
        ["a.jpg", "blurry", "gaussian", "defocus"], ["b.jpg", "blurry", "box", "defocus"],
        ["c.jpg", "blurry", "shake", "motion"], ["d.jpg", "blurry", "linear_motion", "motion"],
        ["e.jpg", "blurry", "minfilter", "defocus"], ["f.jpg", "sharp", "none", "sharp"],
    ])
    assert [r.kind for r in read_manifest(m)] == ["defocus", "defocus", "motion", "motion", "", ""]


def test_blur_type_accuracy_counts():
    from types import SimpleNamespace as Rec

    from blurscan.evaluate import blur_type_accuracy

    pairs = [("motion", Rec(status="ok", verdict="blurry", blur_type="motion")),
             ("motion", Rec(status="ok", verdict="blurry", blur_type="defocus")),
             ("motion", Rec(status="ok", verdict="partial", blur_type="motion")),
             ("motion", Rec(status="ok", verdict="sharp", blur_type="none")),
             ("motion", Rec(status="error", verdict=None, blur_type=None))]
    b = blur_type_accuracy(pairs)
    assert b == {"n": 5, "called_blurry": 2, "right_of_blurry": 0.5, "typed": 3, "right_of_typed": 2 / 3}
    assert blur_type_accuracy([])["right_of_blurry"] is None


# ------------------------------------------------------------------------------- blurscan evaluate (CLI)

@pytest.fixture(scope="module")
def small_manifest(tmp_path_factory):
    """Sharp photos from scikit-image, strongly blurred copies, one half-blurred photo, one missing file."""
    cv2 = pytest.importorskip("cv2")
    data = pytest.importorskip("skimage.data")
    root = tmp_path_factory.mktemp("evalset")
    rows = []
    for name in ("astronaut", "coffee", "chelsea", "rocket", "camera", "brick"):
        img = getattr(data, name)()
        if img.ndim == 2:
            img = np.dstack([img] * 3)
        bgr = np.ascontiguousarray(img[..., ::-1])
        cv2.imwrite(str(root / f"{name}.png"), bgr)
        cv2.imwrite(str(root / f"{name}_blur.jpg"), cv2.GaussianBlur(bgr, (0, 0), 6.0),
                    [cv2.IMWRITE_JPEG_QUALITY, 92])
        rows += [[f"{name}.png", "sharp", "none"], [f"{name}_blur.jpg", "blurry", "gaussian"]]
    img = np.ascontiguousarray(data.astronaut()[..., ::-1])
    half = img.copy()
    half[:, 256:] = cv2.GaussianBlur(img, (0, 0), 6.0)[:, 256:]
    cv2.imwrite(str(root / "half.png"), half)
    rows += [["half.png", "blurry", "partial-defocus"], ["gone.jpg", "sharp", "none"]]
    return _write_csv(root / "manifest.csv", ["file", "label", "blur_type"], rows)


def test_evaluate_command_on_generated_manifest(small_manifest, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["evaluate", str(small_manifest), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = result.output
    for word in ("blurscan", "laplacian@100", "laplacian@best", "bal.acc", "ROC AUC", "Partly in focus",
                 "gone.jpg"):
        assert word in text
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rows"] == 14
    assert metrics["binary_rows"] == 12 and metrics["partial_rows"] == 1
    assert [e["file"] for e in metrics["errors"]] == ["gone.jpg"]
    assert metrics["errors"][0]["reason"]
    dets = metrics["detectors"]
    # sigma-6 blur of 512-px photos is obvious: the fitted Laplacian cut-off separates it perfectly ...
    assert dets["laplacian@best"]["balanced_accuracy"] == 1.0
    assert dets["laplacian@best"]["roc_auc"] == 1.0
    # ... and blurscan finds it too, calling at most one of the six sharp originals blurry
    (tn, fp), (fn, tp) = dets["blurscan"]["confusion"]
    assert tn + fp + fn + tp == 12
    assert fn <= 1 and fp <= 1
    assert dets["blurscan"]["recall"]["blurry"] == pytest.approx(tp / 6, abs=1e-6)
    assert 0.0 <= dets["blurscan"]["partial"]["called_blurry"] <= 1.0
    # the six blurred copies are a Gaussian blur: blurscan should name it defocus
    assert "Blur type" in text
    bt = metrics["blur_type"]
    assert list(bt) == ["defocus"] and bt["defocus"]["n"] == 6
    assert bt["defocus"]["called_blurry"] == tp
    assert bt["defocus"]["right_of_blurry"] >= 5 / 6
    pytest.importorskip("matplotlib")
    for name in ("roc.png", "confusion.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_command_bad_manifest_is_one_error_line(tmp_path):
    m = _write_csv(tmp_path / "bad.csv", ["path", "label"], [["a.jpg", "sharp"]])
    result = CliRunner().invoke(main, ["evaluate", str(m), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "Error:" in result.output and "bad.csv: missing column 'file'" in result.output
    assert "Traceback" not in result.output
    m = _write_csv(tmp_path / "worse.csv", ["path"], [["a.jpg"]])
    result = CliRunner().invoke(main, ["evaluate", str(m), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "worse.csv: missing columns 'file', 'label' (columns: path)" in result.output


def test_evaluate_command_bad_model_fails_before_scoring_and_one_class_is_noted(small_manifest, tmp_path):
    result = CliRunner().invoke(main, ["evaluate", str(small_manifest), "--model", str(tmp_path / "nope.onnx"),
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "nope.onnx: model file not found" in result.output
    assert "Scoring" not in result.output
    lines = small_manifest.read_text().splitlines()
    sharp_only = tmp_path / "sharp.csv"
    sharp_only.write_text("\n".join([lines[0]] + [line for line in lines[1:] if ",sharp," in line
                                                   and not line.startswith("gone")]) + "\n")
    for row in sharp_only.read_text().splitlines()[1:]:  # the images stay beside the first manifest
        name = row.split(",")[0]
        (tmp_path / name).symlink_to(small_manifest.parent / name)
    result = CliRunner().invoke(main, ["evaluate", str(sharp_only), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "every sharp/blurry row of" in result.output and "is sharp" in result.output


@pytest.mark.parametrize("labels, partial", [([0, 0, 0], [False, False, False]),   # one class
                                             ([1, 1, 1], [False, False, False]),   # the other class
                                             ([1, 1, 1], [True, True, True])])     # every row partial
def test_no_roc_curve_without_both_classes(tmp_path, labels, partial):
    pytest.importorskip("matplotlib")
    y, is_partial = np.array(labels), np.array(partial)
    det = DetectorScores("laplacian@100", blurry=np.array([False, True, False]), score=np.array([0.1, 0.9, 0.4]))
    ev = evaluate_detectors(y, is_partial, [det], Evaluation("m.csv", 3, [], int((~is_partial).sum()),
                                                            int(is_partial.sum())))
    assert ev.roc == {}                       # not a curve of NaNs
    assert math.isnan(ev.detectors["laplacian@100"]["roc_auc"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # e.g. matplotlib's "No artists with labels found to put in legend"
        written = save_plots(ev, tmp_path)
    assert (tmp_path / "roc.png").read_bytes()[:4] == b"\x89PNG" and tmp_path / "roc.png" in written


def test_shared_manifest_partial_rows(shared_manifest):
    rows = read_manifest(shared_manifest)
    partial = [r for r in rows if r.partial]
    assert partial and all(r.label == "blurry" for r in partial)
    assert {r.set for r in partial} >= {"multifocus"}
    assert all(r.partial for r in rows if r.set == "multifocus")
    assert not any(r.partial for r in rows if r.set in ("gopro", "levin2009"))
    assert all(r.path.startswith(str(shared_manifest.parent.resolve())) for r in rows)


@pytest.fixture
def shared_manifest():
    from blurscan.config import shared_data_dir

    path = shared_data_dir() / "manifest.csv"
    if not path.is_file():
        pytest.skip("shared data not available (set BLURSCAN_SHARED_DATA)")
    return path


def test_evaluate_imports_no_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys, blurscan.evaluate, blurscan.metrics, blurscan.cli.evaluate; "
            "print(sorted(m for m in ('torch', 'sklearn', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_duplicate_rows_are_each_scored(tmp_path):
    cv2 = pytest.importorskip("cv2")
    data = pytest.importorskip("skimage.data")
    cv2.imwrite(str(tmp_path / "cam.png"), data.camera())
    m = _write_csv(tmp_path / "m.csv", ["file", "label"], [["cam.png", "sharp"], ["./cam.png", "sharp"]])
    from blurscan.config import ScanSettings
    from blurscan.evaluate import evaluate_manifest

    ev, rows, records = evaluate_manifest(m, ScanSettings(model="none", workers=1))
    assert [r.status for r in records] == ["ok", "ok"]
    assert ev.n_binary == 2 and not ev.errors
    # a hard link (datasets checked out with `cp -al` or DVC have many) is the same file: the scan scores it
    # once, under one of its names, and every row naming either is scored (one was left out as "not scanned
    # (not an image file?)")
    (tmp_path / "val").mkdir()
    os.link(tmp_path / "cam.png", tmp_path / "val" / "cam.png")
    m = _write_csv(tmp_path / "m.csv", ["file", "label"], [["cam.png", "sharp"], ["val/cam.png", "sharp"]])
    ev, rows, records = evaluate_manifest(m, ScanSettings(model="none", workers=1))
    assert [r.status for r in records] == ["ok", "ok"] and ev.n_binary == 2 and not ev.errors


def test_missing_images_are_reported_and_nothing_to_evaluate_is_an_error(tmp_path):
    """A manifest whose only image is missing ends with one Error line (exit 1) before any scoring and without a
    class-balance note; with some images missing, the rest is evaluated and the missing ones are named; when
    the images that exist cannot be decoded either, nothing can be evaluated: exit 1, no metrics.json."""
    cv2 = pytest.importorskip("cv2")
    data = pytest.importorskip("skimage.data")
    out = tmp_path / "o"

    def evaluate(manifest):
        return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1",
                                         "--out", str(out)])

    only = _write_csv(tmp_path / "only.csv", ["file", "label"], [["gone.jpg", "sharp"]])
    result = evaluate(only)
    assert result.exit_code == 1, result.output
    assert "Error: " in result.stderr and "only.csv: the only image it names, gone.jpg, does not exist" in result.stderr
    assert "note: every" not in result.output and "Scoring" not in result.output
    assert not out.exists()

    cv2.imwrite(str(tmp_path / "cam.png"), data.camera())
    some = _write_csv(tmp_path / "some.csv", ["file", "label"],
                      [["gone.jpg", "sharp"], ["cam.png", "sharp"], ["gone2.jpg", "blurry"]])
    result = evaluate(some)
    assert result.exit_code == 0, result.output
    assert "note: 2 of the 3 images of" in result.stderr and "gone.jpg, gone2.jpg" in result.stderr
    assert "Scoring 1 image" in result.stderr and "Scoring 1 images" not in result.stderr
    # the one class left is the scored one: gone2.jpg was the only blurry row
    assert "every sharp/blurry row of" in result.stderr and "that could be scored is sharp" in result.stderr
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rows"] == 3 and metrics["binary_rows"] == 1
    assert [(e["file"], e["reason"]) for e in metrics["errors"]] == [("gone.jpg", "no such file or directory"),
                                                                     ("gone2.jpg", "no such file or directory")]

    (out / "metrics.json").unlink()
    (tmp_path / "bad.jpg").write_text("not an image")
    bad = _write_csv(tmp_path / "bad.csv", ["file", "label"], [["bad.jpg", "blurry"], ["gone.jpg", "sharp"]])
    result = evaluate(bad)
    assert result.exit_code == 1, result.output
    assert "bad.csv: none of its 2 images could be scored" in result.stderr
    assert "bad.jpg: not an image" in result.stdout and "gone.jpg: no such file" in result.stdout
    assert not (out / "metrics.json").exists()


def test_evaluate_command_split_is_repeatable(tmp_path):
    """``--split val --split test`` keeps both splits' rows, as ``--set`` does for sets."""
    cv2 = pytest.importorskip("cv2")
    data = pytest.importorskip("skimage.data")
    rows = []
    for split, name in (("train", "coffee"), ("val", "camera"), ("test", "astronaut")):
        img = np.ascontiguousarray(np.atleast_3d(getattr(data, name)())[..., ::-1])
        cv2.imwrite(str(tmp_path / f"{name}.png"), img)
        rows.append([f"{name}.png", "sharp", split])
    m = _write_csv(tmp_path / "m.csv", ["file", "label", "split"], rows)
    result = CliRunner().invoke(main, ["evaluate", str(m), "--model", "none", "--workers", "1",
                                       "--split", "val", "--split", "test", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "Images: 2 (2 sharp/blurry" in result.output


def test_evaluate_messages_agree_with_a_count_of_one(tmp_path):
    """One partly-in-focus row, one missing image, one image that cannot be read: the report said "Partly in
    focus (1 images; ...", the note "1 of the 3 images of m.csv do not exist" and the error "none of its 1 images
    could be scored" (found by a new-user walkthrough)."""
    cv2 = pytest.importorskip("cv2")
    data = pytest.importorskip("skimage.data")
    img = np.ascontiguousarray(data.astronaut()[..., ::-1])
    half = img.copy()
    half[:, 256:] = cv2.GaussianBlur(img, (0, 0), 6.0)[:, 256:]
    cv2.imwrite(str(tmp_path / "sharp.png"), img)
    cv2.imwrite(str(tmp_path / "half.png"), half)
    m = _write_csv(tmp_path / "m.csv", ["file", "label", "blur_type"],
                   [["sharp.png", "sharp", "none"], ["half.png", "blurry", "partial-defocus"],
                    ["gone.jpg", "blurry", "gaussian"]])
    result = CliRunner().invoke(main, ["evaluate", str(m), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "\nPartly in focus (1 image; a 'partial' verdict is right, 'blurry' is wrong):\n" in result.stdout
    assert (f"note: 1 of the 3 images of {m} does not exist: gone.jpg (paths are relative to {tmp_path.resolve()}); "
            "left out of the metrics") in result.stderr

    (tmp_path / "bad.jpg").write_text("not an image")
    one = _write_csv(tmp_path / "one.csv", ["file", "label"], [["bad.jpg", "blurry"]])
    result = CliRunner().invoke(main, ["evaluate", str(one), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o2")])
    assert result.exit_code == 1, result.output
    assert f"Error: {one}: its only image could not be scored (listed above); nothing to evaluate" in result.stderr
