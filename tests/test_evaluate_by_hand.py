"""`blurscan evaluate`'s figures against the same figures worked out here, by plain counting, from what it says of each
image in predictions.csv (label, verdict, p_blurry, Laplacian variance): the confusion matrix, accuracy, balanced
accuracy, each class's precision and recall (in the table's order), ROC AUC with ties counted one half, the
Laplacian's best cut-off (on the sharp/blurry rows only, the smallest of equal ones), the partial rows kept apart
(labelled ``partial``, or partial in a ``category`` column) and the blur type by kind. Mutation testing
(2026-12-05) found each of these could be got wrong with no test failing."""
from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.metrics import best_threshold
from helpers_images import blurred, save_jpeg, textured

#: file, label, blur_type, category, and the image: (seed, Gaussian sigma; 0 = sharp; negative: all but the left
#: third blurred). The labels are chosen so that no detector is right everywhere and precision differs from recall
#: for each class.
ROWS = [
    ("s0.jpg", "sharp", "none", "", (10, 0)),
    ("s1.jpg", "sharp", "none", "", (11, 0)),
    ("soft_sharp.jpg", "sharp", "none", "", (12, 1.2)),    # labelled sharp, blurred: called blurry
    ("slight.jpg", "blurry", "gaussian", "", (13, 0.8)),   # labelled blurry, barely blurred
    ("b0.jpg", "blurry", "gaussian", "", (14, 1.6)),
    ("b1.jpg", "blurry", "gaussian", "", (15, 2.0)),
    ("b2.jpg", "blurry", "gaussian", "", (16, 3.5)),
    ("b3.jpg", "blurry", "gaussian", "", (17, 5.0)),
    ("crisp_blurry.jpg", "blurry", "motion", "", (18, 0)),  # labelled blurry, sharp
    ("left_sharp.jpg", "blurry", "", "", (20, -4.0)),      # its left third sharp: called partial, not blurry
    ("half.jpg", "partial", "", "", (19, -4.0)),            # partly in focus, said by its label
    ("half.jpg", "blurry", "gaussian", "partial-defocus", (19, -4.0)),  # the same, said by its category
]


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    root = tmp_path_factory.mktemp("byhand")
    for name, _label, _blur, _cat, (seed, sigma) in ROWS:
        img = textured(seed=seed, size=(480, 640) if sigma < 0 else (240, 320))
        if sigma < 0:
            img[:, 200:] = blurred(img, -sigma)[:, 200:]
        save_jpeg(root / name, blurred(img, sigma) if sigma > 0 else img)
    (root / "m.csv").write_text("file,label,blur_type,category\n"
                                + "".join(f"{n},{lab},{b},{c}\n" for n, lab, b, c, _ in ROWS))
    out = root / "out"
    result = CliRunner().invoke(main, ["evaluate", str(root / "m.csv"), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "predictions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return result, json.loads((out / "metrics.json").read_text()), rows


def _figures(labels, calls):
    """Confusion matrix, accuracy, balanced accuracy, precision and recall per class, by counting."""
    count = {(t, c): sum(1 for lab, call in zip(labels, calls) if lab == t and call == c)
             for t in (False, True) for c in (False, True)}
    tn, fp, fn, tp = count[False, False], count[False, True], count[True, False], count[True, True]
    return {"confusion": [[tn, fp], [fn, tp]], "accuracy": (tn + tp) / len(labels),
            "balanced_accuracy": (tn / (tn + fp) + tp / (tp + fn)) / 2,
            "precision": {"sharp": tn / (tn + fn), "blurry": tp / (tp + fp)},
            "recall": {"sharp": tn / (tn + fp), "blurry": tp / (tp + fn)}}


def _auc(labels, scores):
    """Share of (blurry, sharp) pairs the score puts the right way round, a tie counting one half."""
    pos = [s for lab, s in zip(labels, scores) if lab]
    neg = [s for lab, s in zip(labels, scores) if not lab]
    return sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg) / (len(pos) * len(neg))


def _best_cut(values, labels):
    """The cut c of "blurry iff value < c" with the highest balanced accuracy, trying every gap between two
    values in turn from the smallest (the first of equal ones kept)."""
    v = sorted(set(values))
    cuts = [v[0] - 1] + [(a + b) / 2 for a, b in zip(v, v[1:])] + [v[-1] + 1]
    best = None
    for c in cuts:
        calls = [x < c for x in values]
        bal = (sum(a and b for a, b in zip(labels, calls)) / sum(labels)
               + sum(not a and not b for a, b in zip(labels, calls)) / (len(labels) - sum(labels))) / 2
        if best is None or bal > best[1] + 1e-12:
            best = (c, bal)
    return best[0]


def _check(det, want):
    assert det["confusion"] == want["confusion"]
    for key in ("accuracy", "balanced_accuracy"):
        assert det[key] == pytest.approx(want[key], abs=1e-6), key
    for key in ("precision", "recall"):
        for cls in ("sharp", "blurry"):
            assert det[key][cls] == pytest.approx(want[key][cls], abs=1e-6), (key, cls)


def test_figures_are_those_counted_by_hand(evaluated):
    result, metrics, rows = evaluated
    assert [r["file"] for r in rows] == [r[0] for r in ROWS]
    assert [r["partial"] for r in rows] == ["no"] * 10 + ["yes", "yes"]
    assert all(r["error"] == "" for r in rows)
    binary = [r for r in rows if r["partial"] == "no"]
    part = [r for r in rows if r["partial"] == "yes"]
    assert (metrics["binary_rows"], metrics["partial_rows"], metrics["rows"]) == (10, 2, 12)
    labels = [r["label"] == "blurry" for r in binary]
    lap = [float(r["laplacian_var"]) for r in binary]
    p = [float(r["p_blurry"]) for r in binary]
    dets = metrics["detectors"]

    assert "partial" in [r["verdict"] for r in binary]  # (left_sharp.jpg: partial is not blurry)
    said = _figures(labels, [r["verdict"] == "blurry" for r in binary])
    # predictions.csv's yes/no per row: the same calls
    for r, blurry, v in zip(binary, labels, lap):
        assert r["blurscan_correct"] == ("yes" if (r["verdict"] == "blurry") == blurry else "no"), r["file"]
        assert r["laplacian100_correct"] == ("yes" if (v < 100) == blurry else "no"), r["file"]
    _check(dets["blurscan"], said)
    # the labels make each class's precision and recall differ, so that a swap shows
    assert said["precision"]["sharp"] != said["recall"]["sharp"]
    assert said["precision"]["blurry"] != said["recall"]["blurry"]
    # (p_blurry is rounded to 4 decimals in predictions.csv: none of these are tied by it)
    assert len(set(p)) == len(p)
    assert dets["blurscan"]["roc_auc"] == pytest.approx(_auc(labels, p), abs=1e-6)

    _check(dets["laplacian@100"], _figures(labels, [v < 100 for v in lap]))
    assert dets["laplacian@100"]["threshold"] == 100
    lap_auc = _auc(labels, [-v for v in lap])
    assert dets["laplacian@100"]["roc_auc"] == pytest.approx(lap_auc, abs=1e-6)

    cut = _best_cut(lap, labels)
    best = dets["laplacian@best"]
    assert best["threshold"] == pytest.approx(cut, abs=0.01)  # (the variances are rounded to 2 decimals)
    _check(best, _figures(labels, [v < cut for v in lap]))
    assert best["roc_auc"] == pytest.approx(lap_auc, abs=1e-6)

    # the partly sharp rows, apart: the share each detector calls blurry (blurscan: partial too)
    verdicts = [r["verdict"] for r in part]
    assert dets["blurscan"]["partial"] == {"n": 2, "called_blurry": verdicts.count("blurry") / 2,
                                           "called_partial": verdicts.count("partial") / 2}
    for name, c in (("laplacian@100", 100), ("laplacian@best", cut)):
        called = sum(float(r["laplacian_var"]) < c for r in part) / 2
        assert dets[name]["partial"] == {"n": 2, "called_blurry": called}

    # blur type, by the kind the manifest names (gaussian: defocus), on its blurred sharp/blurry rows
    kinds = {"gaussian": "defocus", "motion": "motion"}
    for blur, kind in kinds.items():
        group = [r for r in binary if r["manifest_blur_type"] == blur]
        flagged = [r for r in group if r["verdict"] == "blurry"]
        typed = [r for r in group if r["blur_type"] in ("defocus", "motion")]
        right = [sum(r["blur_type"] == kind for r in g) / len(g) if g else None for g in (flagged, typed)]
        assert metrics["blur_type"][kind] == {"n": len(group), "called_blurry": len(flagged),
                                              "right_of_blurry": right[0], "typed": len(typed),
                                              "right_of_typed": right[1]}, kind
    assert set(metrics["blur_type"]) == set(kinds.values())


def test_the_table_prints_each_figure_in_its_column(evaluated):
    """accuracy, bal.acc, ROC AUC, sharp P / R, blurry P / R: in that order; the confusion matrix in the table below
    (on the same line until 2026-12-06: 95 columns and more)."""
    result, metrics, rows = evaluated
    for name, det in metrics["detectors"].items():
        line, confusion = [line for line in result.stdout.splitlines() if line.startswith(name + " ")]
        cells = re.findall(r"\d+\.\d+%?", line[len(name):])
        assert cells == [f"{det['accuracy']:.1%}", f"{det['balanced_accuracy']:.1%}", f"{det['roc_auc']:.3f}",
                         f"{det['precision']['sharp']:.1%}", f"{det['recall']['sharp']:.1%}",
                         f"{det['precision']['blurry']:.1%}", f"{det['recall']['blurry']:.1%}"]
        assert confusion[len(name):].strip() == str(det["confusion"])


def test_the_report_is_read_on_a_terminal_of_80_columns(evaluated):
    """Every line is 79 columns at most (its table was 95 and more, its legends up to 141, and each wrapped on a
    terminal of 80 until 2026-12-06), and what it says is what it said, the legends' words included."""
    result, metrics, rows = evaluated
    assert max(len(line) for line in result.stdout.splitlines()[1:]) <= 79, result.stdout  # (but the manifest's name)
    text = " ".join(result.stdout.split())
    assert ("P / R: precision / recall of that class. Confusion: [[sharp called sharp, sharp called blurry], [blurry "
            "called sharp, blurry called blurry]].") in text
    assert "laplacian@best: cut-off" in text and "fitted on this very set (optimistic: it saw the answers)" in text
    assert "Partly in focus (" in text and "Blur type (blurscan's blur_type" in text, result.stdout
    # the same image labelled "partial" on one row and partial in its category on another is not "labelled both
    # ways": both say it is partly in focus
    assert "listed on more than one row" in result.stderr and "different labels" not in result.stderr


def test_of_equal_cut_offs_the_smallest_is_the_best():
    """values 1 2 3 4, labels blurry sharp blurry sharp: cutting at 1.5 and at 3.5 both give a balanced accuracy
    of (1/2 + 1) / 2 = (1 + 1/2) / 2 = 0.75, the highest; the smaller is taken."""
    assert best_threshold([1, 2, 3, 4], [1, 0, 1, 0]) == (1.5, 0.75)


def test_an_image_labelled_blurry_once_and_partial_once_is_labelled_both_ways(tmp_path):
    save_jpeg(tmp_path / "x.jpg", blurred(textured(seed=1), 3.0))
    save_jpeg(tmp_path / "y.jpg", textured(seed=2))
    (tmp_path / "m.csv").write_text("file,label,blur_type\nx.jpg,blurry,gaussian\nx.jpg,blurry,partial-defocus\n"
                                    "y.jpg,sharp,none\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "1 of them with different labels: x.jpg" in result.stderr


def test_one_ranking_at_two_cut_offs_is_one_roc_curve_named_for_both():
    """laplacian@100 and laplacian@best rank the images the same way: one curve, labelled with both names, whose
    area is the AUC counted by hand (blurry 0.9 and 0.5 above sharp 0.1, 0.5 tied: (1 + 1 + 1 + 0.5) / 4)."""
    from blurscan.evaluate import DetectorScores, Evaluation, evaluate_detectors

    y = np.array([1, 1, 0, 0])
    score = np.array([0.9, 0.5, 0.5, 0.1])
    dets = [DetectorScores("laplacian@100", blurry=score > 0.6, score=score, threshold=100),
            DetectorScores("laplacian@best", blurry=score > 0.3, score=score.copy(), threshold=7)]
    ev = evaluate_detectors(y, np.zeros(4, bool), dets, Evaluation("m.csv", 4, [], 4, 0))
    assert list(ev.roc) == ["laplacian@100 = laplacian@best"]
    assert ev.roc["laplacian@100 = laplacian@best"][2] == pytest.approx(0.875)


def test_the_best_cut_off_is_fitted_on_the_sharp_blurry_rows_alone(tmp_path):
    """Sharp photos and strongly blurred ones, and two slightly blurred photos labelled partly in focus: the best
    cut-off lies half-way between the largest variance of the blurred photos and the smallest of the sharp ones,
    wherever the partly sharp ones fall (they are not sharp/blurry rows)."""
    rows = [("s0.jpg", "sharp", "none", 0), ("s1.jpg", "sharp", "none", 0), ("b0.jpg", "blurry", "gaussian", 3.5),
            ("b1.jpg", "blurry", "gaussian", 5.0), ("p0.jpg", "blurry", "partial", 0.8),
            ("p1.jpg", "partial", "", 1.2)]
    for i, (name, _label, _blur, sigma) in enumerate(rows):
        img = textured(seed=40 + i)
        save_jpeg(tmp_path / name, blurred(img, sigma) if sigma else img)
    (tmp_path / "m.csv").write_text("file,label,blur_type\n" + "".join(f"{n},{lab},{b}\n" for n, lab, b, _ in rows))
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out / "predictions.csv", newline="", encoding="utf-8") as fh:
        lap = {r["file"]: float(r["laplacian_var"]) for r in csv.DictReader(fh)}
    assert max(lap["b0.jpg"], lap["b1.jpg"]) < min(lap["p0.jpg"], lap["p1.jpg"]) < min(lap["s0.jpg"], lap["s1.jpg"])
    want = (max(lap["b0.jpg"], lap["b1.jpg"]) + min(lap["s0.jpg"], lap["s1.jpg"])) / 2
    best = json.loads((out / "metrics.json").read_text())["detectors"]["laplacian@best"]
    assert best["threshold"] == pytest.approx(want, abs=0.01) and best["balanced_accuracy"] == 1.0
    # (--model none names no blur type: no blur-type figures, though the manifest names gaussian blur)
    assert json.loads((out / "metrics.json").read_text())["blur_type"] == {} and "Blur type" not in result.output


def test_a_record_without_a_laplacian_variance_is_an_error_row_not_scored():
    """A library caller's scan in fast mode (``full_res_baseline`` off) has no Laplacian variance: such an image is
    left out of the figures, with the reason, not compared with the cut-off as NaN (as if sharp)."""
    from blurscan.evaluate import ManifestRow, evaluate_records
    from blurscan.records import ScanRecord

    rows = [ManifestRow(file=f"{n}.jpg", path=f"/x/{n}.jpg", label=lab, partial=False)
            for n, lab in (("a", "sharp"), ("b", "blurry"), ("c", "blurry"))]
    recs = [ScanRecord(path=r.path, verdict=v, laplacian_var=lap, format="JPEG")
            for r, v, lap in zip(rows, ("sharp", "blurry", "blurry"), (500.0, 20.0, None))]
    ev = evaluate_records("m.csv", rows, recs)
    assert ev.errors == [("c.jpg", "no Laplacian variance")] and ev.n_binary == 2
    assert ev.detectors["laplacian@100"]["confusion"] == [[1, 0], [0, 1]]


def test_a_variance_of_exactly_the_cut_off_is_not_under_it():
    """The baseline calls blurry a variance *under* 100: one of exactly 100 is sharp, in the metrics and in
    predictions.csv alike."""
    from blurscan.evaluate import ManifestRow, evaluate_records
    from blurscan.evaluate_predictions import prediction_rows
    from blurscan.records import ScanRecord

    rows = [ManifestRow(file=f"{n}.jpg", path=f"/x/{n}.jpg", label=lab, partial=False)
            for n, lab in (("a", "sharp"), ("b", "blurry"))]
    recs = [ScanRecord(path=r.path, verdict="sharp", laplacian_var=lap, format="JPEG")
            for r, lap in zip(rows, (100.0, 20.0))]
    assert evaluate_records("m.csv", rows, recs).detectors["laplacian@100"]["confusion"] == [[1, 0], [0, 1]]
    assert [cells[11] for cells in prediction_rows(rows, recs, 100.0)] == ["yes", "yes"]


def test_sharp_rows_and_a_partial_one_are_one_class(tmp_path):
    """Two sharp photos and one partly in focus (labelled blurry, blur partial): the sharp/blurry rows are all
    sharp, so there is no ROC curve nor laplacian@best, and the note says why."""
    save_jpeg(tmp_path / "s0.jpg", textured(seed=1))
    save_jpeg(tmp_path / "s1.jpg", textured(seed=2))
    save_jpeg(tmp_path / "p.jpg", blurred(textured(seed=3), 2.0))
    (tmp_path / "m.csv").write_text("file,label,blur_type\ns0.jpg,sharp,none\ns1.jpg,sharp,none\n"
                                    "p.jpg,blurry,partial-defocus\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "every sharp/blurry row of" in result.stderr and "is sharp:" in result.stderr
    dets = json.loads((tmp_path / "o" / "metrics.json").read_text())["detectors"]
    assert "laplacian@best" not in dets and dets["laplacian@100"]["roc_auc"] is None


def test_blur_type_comes_before_blur_and_p_blurry_has_four_decimals(tmp_path):
    """A manifest with both a ``blur_type`` and a ``blur`` column: the kind is ``blur_type``'s (gaussian: defocus),
    in the figures and in predictions.csv; p_blurry is written to 4 decimals, as the JSON Lines output writes it."""
    save_jpeg(tmp_path / "s.jpg", textured(seed=1))
    save_jpeg(tmp_path / "x.jpg", blurred(textured(seed=2), 4.0))
    (tmp_path / "m.csv").write_text("file,label,blur_type,blur\ns.jpg,sharp,none,none\nx.jpg,blurry,gaussian,motion\n")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert list(json.loads((out / "metrics.json").read_text())["blur_type"]) == ["defocus"]
    with open(out / "predictions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["manifest_blur_type"] for r in rows] == ["none", "gaussian"]
    assert all(re.fullmatch(r"[01]\.\d{4}", r["p_blurry"]) for r in rows)


def test_precision_and_recall_of_100_percent_keep_their_columns(tmp_path):
    """A precision or recall of 100 % (six characters, as `n/a` is five) printed `75.0% /100.0%` and moved the
    slash and what followed it out of the column until 2026-12-06: every `P / R` cell is now two figures of six
    columns each, the slashes of every detector's line in the same columns, each line as long as the header."""
    rows = ["file,label"]
    for i in range(3):
        save_jpeg(tmp_path / f"s{i}.jpg", textured(seed=i))
        save_jpeg(tmp_path / f"b{i}.jpg", blurred(textured(seed=10 + i), 3.0))
        rows += [f"s{i}.jpg,sharp", f"b{i}.jpg,blurry"]
    save_jpeg(tmp_path / "b9.jpg", textured(seed=20))  # labelled blurry, sharp: every detector calls it sharp
    (tmp_path / "m.csv").write_text("\n".join(rows + ["b9.jpg,blurry"]) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("detector") and "P / R" in line)
    table = lines[header:lines.index("", header)]
    assert "75.0% / 100.0%" in table[1], table  # (a recall of 100 %: the case that moved the slash)
    slashes = [[m.start() for m in re.finditer(" / ", line)] for line in table[1:]]
    assert len(slashes[0]) == 2 and all(s == slashes[0] for s in slashes), "\n".join(table)
    assert {len(line) for line in table} == {len(table[0])} and len(table[0]) <= 79, "\n".join(table)
