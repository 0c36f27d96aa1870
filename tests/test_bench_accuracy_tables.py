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


# ------------------------------------------------------------------------------ how sure: bench/accuracy_intervals.py

def _intervals():
    from helpers_bench import bench_module

    return bench_module("accuracy_intervals")


def test_images_are_grouped_by_the_photo_or_recording_they_come_from():
    ci = _intervals()
    key = lambda file, group: ci.cluster_of(ManifestRow(file=file, path=f"/x/{file}", label="sharp", partial=False,
                                                        set=group))  # noqa: E731
    # the versions bench/accuracy_sets.py writes of one source share its hash
    assert key("1a2b3c4d5e-0-none.jpg", "synthetic-sharp") == key("1a2b3c4d5e-2-shake.jpg", "synthetic-strong")
    assert key("1a2b3c4d5e-0-none.jpg", "synthetic-sharp") != key("ffff000011-0-none.jpg", "synthetic-sharp")
    assert key("1a2b3c4d5e-1-night-shake.jpg", "night-moderate") == key("1a2b3c4d5e-0-night-none.jpg", "night-sharp")
    # a GoPro recording's frames, sharp and blurred, from saved_images/ and videos/
    gopro = {key(f, "gopro") for f in ("gopro/saved_images/GOPR0477_11_00_st_frame-165_n_avg-8.jpg",
                                       "gopro/saved_images/GOPR0477_11_00_st_frame-165_n_avg-8_gt.jpg",
                                       "gopro/videos/GOPR0477_11_00/000010.jpg")}
    assert gopro == {"gopro:GOPR0477"}
    assert key("gopro/saved_images/GOPR0410_11_00_st_frame-151_n_avg-8.jpg", "gopro") == "gopro:GOPR0410"
    # Levin's photo and its blurred copies; other generators' frames that share one sharp frame
    assert key("levin2009/sharp/im3.png", "levin2009") == key("levin2009/blurred/im3_kernel7_img.png", "levin2009")
    assert key("levin2009/sharp/im3.png", "levin2009") != key("levin2009/sharp/im4.png", "levin2009")
    assert key("div2k/saved_images/0886_box_size-5.jpg", "div2k") == key(
        "div2k/saved_images/0886_gaussian_size-15_sigma-15_gt.jpg", "div2k") != key(
        "nyu_depth/saved_images/0886_roll0_pitch0_yaw3_xmot0_ymot0.jpg", "nyu_depth")
    assert key("skimage/clock_motion.png", "skimage") == "skimage:skimage/clock_motion.png"


def _kept():
    """A written set of 12 sources (a sharp and two blurred versions each), blurscan missing the strong blur of
    two, the Laplacian calling 4 sharp ones blurry; a multi-focus set of 20 with 1 called blurry."""
    rows, y, bs, lap = [], [], [], []
    for s in range(12):
        for i, (label, group) in enumerate((("sharp", "synthetic-sharp"), ("blurry", "synthetic-moderate"),
                                            ("blurry", "synthetic-strong"))):
            rows.append(ManifestRow(file=f"{s:010x}-{i}-k.jpg", path=f"/x/{s}-{i}", label=label, partial=False,
                                       set=group))
            y.append(label == "blurry")
            bs.append(label == "blurry" and not (s < 2 and i == 2))
            lap.append(label == "blurry" or s < 4)
    y = np.array(y)
    syn = (rows, y, np.zeros(len(rows), bool), {"blurscan": np.array(bs), "laplacian@100": np.array(lap)})
    mf_rows = [ManifestRow(file=f"multifocus/s{i // 2}/{i}.jpg", path=f"/m/{i}", label="blurry", partial=True,
                           set="multifocus") for i in range(20)]
    mf_calls = np.zeros(20, bool)
    mf_calls[0] = True
    mf = (mf_rows, np.ones(20, bool), np.ones(20, bool), {"blurscan": mf_calls, "laplacian@100": ~mf_calls})
    return {"synthetic": syn, "multifocus": mf}


def test_the_bench_measures_intervals_by_source_with_the_difference_and_a_wilson_rate():
    from blurscan.intervals import balanced_accuracy_intervals, wilson

    ci = _intervals()
    got = ci.measure(_kept())
    rows, y, _, calls = _kept()["synthetic"]
    by_source = balanced_accuracy_intervals(y, calls, [r.file[:10] for r in rows], reference="laplacian@100")
    assert got["synthetic"]["blurscan"] == by_source["blurscan"]
    assert got["synthetic"]["blurscan - laplacian@100"] == by_source["blurscan - laplacian@100"]
    assert got["synthetic"]["_clusters"] == 12
    assert got["multifocus"]["blurscan"] == wilson(1, 20) and got["multifocus"]["laplacian@100"] == wilson(19, 20)
    assert got["multifocus"]["_n"] == 20


def test_the_bench_prints_the_intervals_beside_the_figures_and_in_the_targets(bench):
    ci = _intervals()
    got = ci.measure(_kept())
    points = {"synthetic": {"blurscan": (1 + 22 / 24) / 2, "laplacian@100": (1 + 8 / 12) / 2},
              "multifocus": {"blurscan": 1 / 20, "laplacian@100": 19 / 20}}
    text = ci.table(got, points, ["blurscan", "laplacian@100"])
    lines = text.splitlines()
    assert lines[0] == "| detector | synthetic test bal. acc. | multifocus called blurry |"
    lo, hi = (100 * b for b in got["synthetic"]["blurscan"])
    assert lines[2].startswith(f"| blurscan | 95.8 % ({lo:.1f}-{hi:.1f}) | 5.0 % (")
    assert lines[-1].startswith("| blurscan − laplacian@100 (points) | +12.5 (") and lines[-1].endswith("| – |")
    assert ci.target_note(got, "multifocus") == f" ({100 * wilson_lo(1, 20):.1f}-{100 * wilson_hi(1, 20):.1f})"
    assert ci.target_note(got, "synthetic", "blurscan - laplacian@100").startswith(" (+")
    assert ci.target_note(got, "real") == ""
    section = ci.section(got, text)
    assert section.startswith("## How sure are these figures") and text in section and "2,000" in section
    page = bench.render_doc("TABLE", ["| t |"], {}, {}, 0.7, 0.9, [], None, [], *_evaluations(), {}, {}, "m",
                            {k: 1 for k in ("synthetic", "real", "multifocus", "night", "subject", "other")},
                            {}, False, 20.0, None, section)
    assert section in page and page.index("TABLE") < page.index("## How sure") < page.index("## Other cut-offs")


def wilson_lo(k, n):
    from blurscan.intervals import wilson
    return wilson(k, n)[0]


def wilson_hi(k, n):
    from blurscan.intervals import wilson
    return wilson(k, n)[1]


def _evaluations():
    from blurscan.evaluate import Evaluation

    m = {"confusion": [[1, 0], [0, 1]], "roc_auc": 1.0, "balanced_accuracy": 1.0,
         "partial": {"called_blurry": 0.0, "called_partial": 1.0}}
    evs = []
    for name in ("synthetic", "real", "multifocus"):
        ev = Evaluation(manifest=name, n_rows=2, errors=[], n_binary=2, n_partial=0)
        ev.detectors = {"blurscan": m, "laplacian@100": m}
        evs.append(ev)
    return evs


def test_a_subset_of_the_shared_data_is_refused_in_one_line_naming_what_it_lacks(bench, tmp_path, monkeypatch,
                                                                                 capsys, shared_data):
    """On a folder holding a few of the shared photos (three of Levin's blurred ones), the bench ended in a
    traceback (``KeyError: 'laplacian'``: a real set of one class; ``ValueError`` on the sets it lacked): it says
    what the folder lacks, and where a set of one's own is measured, and exits 2."""
    lines = (shared_data / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines[1:] if line.startswith("levin2009/blurred/")][:3]
    for line in kept:
        name = line.split(",", 1)[0]
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).symlink_to(shared_data / name)
    (tmp_path / "data" / "manifest.csv").write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(tmp_path / "data"))

    assert bench.main(["--out", str(tmp_path / "out"), "--no-write", "--model", "none"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"{tmp_path / 'data'}: ")
    assert "no sharp photo in its real set" in err and "no multi-focus photo" in err
    assert "no blurry photo in its synthetic set" in err
    assert "blurscan evaluate MANIFEST" in err


def test_a_subset_whose_only_blurred_real_photos_are_partly_blurred_lacks_blurry_ones(bench, tmp_path, monkeypatch,
                                                                                        capsys, shared_data):
    """A folder holding one of Levin's sharp photos, CUHK's two partly blurred ones and a multi-focus photo: the
    partly blurred are judged neither sharp nor blurry (``partial`` is their right verdict), so the real set has
    no blurred photo; the sets made from the others (recompressed, bordered) are never named (mutants counting
    the partly blurred as blurred, or naming those sets, lived)."""
    lines = (shared_data / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = ([line for line in lines[1:] if line.startswith("levin2009/") and ",sharp," in line][:1]
            + [line for line in lines[1:] if line.startswith("cuhk/")]
            + [line for line in lines[1:] if line.split(",")[1:2] == ["multifocus"]][:1])
    assert len(kept) == 4
    for line in kept:
        name = line.split(",", 1)[0]
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).symlink_to(shared_data / name)
    (tmp_path / "data" / "manifest.csv").write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(tmp_path / "data"))

    assert bench.main(["--out", str(tmp_path / "out"), "--no-write", "--model", "none"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    lacks = "; ".join([*(f"no {label} photo in its synthetic set" for label in ("sharp", "blurry")),
                       "no blurry photo in its real set",
                       *(f"no {label} photo in its {name} set" for name in ("night", "subject", "other")
                         for label in ("sharp", "blurry"))])
    assert err == (f"{tmp_path / 'data'}: {lacks}: bench/accuracy.py measures the whole shared data set (for a set "
                   "of your own, `blurscan evaluate MANIFEST`)")
