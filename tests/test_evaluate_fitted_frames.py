"""`blurscan evaluate` on a manifest holding the GoPro calibration frames (recordings GOPR0374, GOPR0384) that the
shipped model's image rule was fitted on (its metadata's `fitted_on`): docs/evaluate.md's example
`--set levin2009 --set gopro` gave 93.0 % where bench/accuracy.py, which leaves those frames out, says 94.3 %, and
nothing said why. A note on stderr now counts them and names the recordings. (The frames are told by the GoPro
set's names, so generated images named like them stand in for them.)"""
from __future__ import annotations

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

pytest.importorskip("onnxruntime")

FRAMES = ("GOPR0374_11_00_st_frame-614_n_avg-8.jpg", "GOPR0374_11_00_st_frame-614_n_avg-8_gt.jpg",
          "GOPR0384_11_02_st_frame-698_n_avg-8.jpg")


def _manifest(tmp_path, names):
    rows = ["file,set,label"]
    for i, n in enumerate(names):
        img = textured(seed=i)
        sharp = "_gt" in n or not n.startswith("GOPR03") or i % 2 == 0
        save_jpeg(tmp_path / "gopro" / n, img if sharp else blurred(img, sigma=4.0))
        rows.append(f"gopro/{n},gopro,{'sharp' if sharp else 'blurry'}")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "m.csv"


def _evaluate(tmp_path, manifest, *extra):
    return run("evaluate", manifest, "--workers", "1", "--out", tmp_path / "o", *extra)


def test_calibration_frames_scored_by_the_shipped_model_are_noted(tmp_path):
    m = _manifest(tmp_path, FRAMES + ("GOPR0410_11_00_st_frame-151_n_avg-8.jpg",))
    result = _evaluate(tmp_path, m)
    assert result.exit_code == 0, result.output
    assert (f"note: 3 of the images of {m} are GoPro calibration frames (recordings GOPR0374, GOPR0384) that the "
            "shipped model's image rule was fitted on; scored all the same, so the figures are not those of unseen "
            "photos (bench/accuracy.py leaves them out)") in result.stderr
    assert "Images: 4 (4 sharp/blurry" in result.stdout  # still scored, as before


def test_no_note_without_calibration_frames_or_without_a_model(tmp_path):
    # a camera's own GOPR0374.JPG is not a frame of the GoPro set; the evaluation recording GOPR0410 never was fitted
    m = _manifest(tmp_path, ("GOPR0374.JPG", "GOPR0410_11_00_st_frame-151_n_avg-8.jpg"))
    result = _evaluate(tmp_path, m)
    assert result.exit_code == 0, result.output
    assert "calibration" not in result.stderr
    m = _manifest(tmp_path, FRAMES)
    result = _evaluate(tmp_path, m, "--model", "none")  # the classical measures were fitted on nothing
    assert result.exit_code == 0, result.output
    assert "calibration" not in result.stderr
