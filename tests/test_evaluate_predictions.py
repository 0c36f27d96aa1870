"""`blurscan evaluate --out DIR` wrote only the totals (metrics.json and two plots): which images blurscan got
wrong could not be told. It now writes DIR/predictions.csv too, one row per manifest row in the manifest's order:
the row's file, label and columns, blurscan's answer and whether each detector called it right (empty where the
metrics do not judge the row: partly in focus, or not scored, with the reason)."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured

COLUMNS = ["file", "label", "partial", "set", "split", "manifest_blur_type", "verdict", "p_blurry", "blur_type",
           "laplacian_var", "blurscan_correct", "laplacian100_correct", "error"]
#: (file as written in the manifest, label, set, split, blur_type)
ROWS = [
    ("a, b.jpg", "sharp", "one", "test", "none"),
    ("soft.jpg", "blurry", "one", "test", "gaussian"),
    ('quote "and"\nnew line.jpg', "sharp", "two", "test", "none"),  # (blurred: blurscan calls it blurry, wrongly)
    ("broken.jpg", "blurry", "two", "test", "motion"),
    ("soft.jpg", "blurry", "two", "train", "partial_defocus"),
    ("sub/sharp.jpg", "sharp", "two", "", ""),
]


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


@pytest.fixture()
def manifest(tmp_path):
    save_jpeg(tmp_path / "a, b.jpg", textured(seed=1))
    save_jpeg(tmp_path / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    save_jpeg(tmp_path / 'quote "and"\nnew line.jpg', blurred(textured(seed=3), sigma=5.0))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a JPEG after all")
    save_jpeg(tmp_path / "sub" / "sharp.jpg", textured(seed=4))
    m = tmp_path / "m.csv"
    m.write_text("file,label,set,split,blur_type\n" + "".join(",".join(_quoted(v) for v in row) + "\n"
                                                              for row in ROWS), encoding="utf-8")
    return m


def _evaluate(manifest, out):
    return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                     str(out)])


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_predictions_csv_has_one_row_per_image_in_manifest_order(manifest, tmp_path):
    out = tmp_path / "out"
    result = _evaluate(manifest, out)
    assert result.exit_code == 0, result.output
    table = _read(out / "predictions.csv")
    assert table[0] == COLUMNS
    rows = [dict(zip(COLUMNS, cells)) for cells in table[1:]]
    assert all(len(cells) == len(COLUMNS) for cells in table)
    assert [(r["file"], r["label"], r["set"], r["split"], r["manifest_blur_type"]) for r in rows] == ROWS
    assert [r["partial"] for r in rows] == ["no", "no", "no", "no", "yes", "no"]
    assert (out / "predictions.csv").read_bytes().count(b"\n") == len(ROWS) + 2  # (one row holds a line break)

    metrics = json.loads((out / "metrics.json").read_text())
    broken = rows[3]
    assert broken["verdict"] == broken["laplacian_var"] == broken["blurscan_correct"] == ""
    assert metrics["errors"] == [{"file": "broken.jpg", "reason": broken["error"]}] and broken["error"]
    partial = rows[4]  # scored, but not judged: the metrics leave it out of the sharp/blurry figures
    assert partial["verdict"] and partial["laplacian_var"] and partial["error"] == ""
    assert partial["blurscan_correct"] == partial["laplacian100_correct"] == ""
    judged = [r for r in rows if r["blurscan_correct"]]
    assert len(judged) == metrics["binary_rows"] == 4
    for r in judged:  # --model none: no p_blurry, no blur type; the Laplacian at 2 decimals
        assert r["p_blurry"] == r["blur_type"] == r["error"] == ""
        assert r["blurscan_correct"] == ("yes" if (r["verdict"] == "blurry") == (r["label"] == "blurry") else "no")
        called_blurry = float(r["laplacian_var"]) < 100
        assert r["laplacian100_correct"] == ("yes" if called_blurry == (r["label"] == "blurry") else "no")
    for column, detector in (("blurscan_correct", "blurscan"), ("laplacian100_correct", "laplacian@100")):
        (tn, fp), (fn, tp) = metrics["detectors"][detector]["confusion"]
        assert sum(r[column] == "no" for r in judged) == fp + fn
        assert sum(r[column] == "no" and r["label"] == "sharp" for r in judged) == fp
    assert rows[2]["blurscan_correct"] == "no"  # the blurred "sharp" photo
    wrong = sum(r["blurscan_correct"] == "no" for r in judged)
    assert result.stderr.splitlines()[-1] == \
        f"per-image results: {out / 'predictions.csv'} ({wrong} of 4 called wrong by blurscan)"
    assert "per-image" not in result.stdout and "predictions.csv" not in result.stdout


def test_an_earlier_runs_predictions_are_replaced_and_a_link_is_written_through(manifest, tmp_path):
    """An earlier run's predictions.csv is written over (as metrics.json: through a symbolic link to its target,
    the link left), and no temporary file stays behind."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "predictions.csv").write_text("an earlier run's\n")
    assert _evaluate(manifest, out).exit_code == 0
    first = (out / "predictions.csv").read_text(encoding="utf-8")
    assert first.startswith("file,label,") and "earlier" not in first
    two = tmp_path / "two.csv"
    two.write_text("file,label\nsoft.jpg,blurry\n")
    (out / "predictions.csv").unlink()
    (tmp_path / "mine.csv").write_text("mine\n")
    (out / "predictions.csv").symlink_to(tmp_path / "mine.csv")
    result = _evaluate(two, out)
    assert result.exit_code == 0, result.output
    assert (out / "predictions.csv").is_symlink()
    assert [r[:2] + r[10:] for r in _read(tmp_path / "mine.csv")[1:]] == [["soft.jpg", "blurry", "yes", "yes", ""]]
    assert not [p for p in os.listdir(out) if p.endswith(".part")]


def test_a_partial_only_run_says_none_was_called_right_or_wrong(manifest, tmp_path):
    partial = tmp_path / "partial.csv"
    partial.write_text("file,label,blur_type\nsoft.jpg,blurry,partial_defocus\n")
    result = _evaluate(partial, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (f"per-image results: {tmp_path / 'out' / 'predictions.csv'} (no "
                                              "sharp/blurry image scored, so none called right or wrong)")
    assert _read(tmp_path / "out" / "predictions.csv")[1][10:] == ["", "", ""]


def test_predictions_the_disk_cannot_hold_are_an_error_and_leave_no_earlier_file(tmp_path):
    """A disk that filled as predictions.csv was written (a file-size limit, RLIMIT_FSIZE, as the disk's last free
    bytes): one Error line naming the file, and the earlier run's predictions.csv, which beside the new metrics.json
    would pass for this run's, removed; no temporary file left."""
    resource = pytest.importorskip("resource")
    save_jpeg(tmp_path / "sharp.jpg", textured(seed=1))
    long_name = "./" * 900 + "sharp.jpg"  # (one image, named on many long rows: predictions.csv ~70 kB)
    m = tmp_path / "m.csv"
    m.write_text("file,label\n" + f"{long_name},sharp\n" * 40)
    out = tmp_path / "out"
    out.mkdir()
    (out / "predictions.csv").write_text("an earlier run's\n")
    limit = 8000  # bytes: metrics.json (about 1.5 kB) fits, predictions.csv does not

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "blurscan", "evaluate", str(m), "--model", "none", "--workers",
                             "1", "--out", str(out)], capture_output=True, text=True, timeout=300,
                            preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (f"Error: {out / 'predictions.csv'}: cannot write the evaluation: file "
                                              "too large; the earlier run's file of that name was removed")
    assert "metrics.json" in os.listdir(out) and "predictions.csv" not in os.listdir(out)
    assert not [p for p in os.listdir(out) if p.endswith(".part")]
