"""The lines that close ``evaluate``, ``synth``, ``demo`` and ``train`` name their files and folders as every message
names one (:func:`blurscan.errors.printable_path`: control characters as ``\\xNN``), with one slash after a folder.

Until 2026-12-06 (found by measuring which lines of the command-line layer the tests ran): evaluate's report printed
the manifest's name and the names of the images that could not be scored as they were, so that a newline in one
began a line of its own in the report (a carriage return wrote over it); the demo's first line printed its folder
so (an escape sequence reached the terminal), and train its model and card; synth and demo said ``out//`` and
``out//manifest.csv`` for a folder given with its slash, as the shell completes a folder's name."""
from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured
from helpers_train import tiny_training


def test_evaluate_names_the_manifest_and_the_images_not_scored_printably(tmp_path):
    folder = tmp_path / "set\rX"
    save_jpeg(folder / "sharp.jpg", textured(seed=1))
    save_jpeg(folder / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    (folder / "bad\nlaplacian@100 100.0% made up.jpg").write_bytes(b"not a photo")
    (folder / "m.csv").write_text('file,label\nsharp.jpg,sharp\nsoft.jpg,blurry\n'
                                  '"bad\nlaplacian@100 100.0% made up.jpg",sharp\n')
    result = CliRunner().invoke(main, ["evaluate", str(folder / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert "\r" not in report
    assert f"Manifest: {tmp_path}/set\\x0dX/m.csv\n" in report
    assert "\n  bad\\x0alaplacian@100 100.0% made up.jpg: " in report
    assert not [line for line in report.splitlines() if line.startswith("laplacian@100 100.0% made up")]


def test_synth_names_a_folder_given_with_its_slash_once(tmp_path):
    save_jpeg(tmp_path / "src" / "p.jpg", textured(seed=3))
    out = f"{tmp_path}/data\x1bset/"
    result = CliRunner().invoke(main, ["synth", "-q", "--per-image", "1", "--max-side", "128",
                                       str(tmp_path / "src"), out])
    assert result.exit_code == 0, result.output
    shown = f"{tmp_path}/data\\x1bset/"
    assert f" to {shown} (recipe binary;" in result.stdout
    assert result.stdout.rstrip().endswith(f"Manifest: {shown}manifest.csv")
    assert "//" not in result.stdout


@pytest.mark.skipif(importlib.util.find_spec("skimage") is None, reason="needs scikit-image (the demo extra)")
def test_demo_names_its_folder_printably_and_once(tmp_path):
    result = CliRunner().invoke(main, ["demo", f"{tmp_path}/demo\x1b]0;title\x07/"])
    assert result.exit_code == 0, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Wrote 13 sample photos to {tmp_path}/demo\\x1b]0;title\\x07/ (sharp originals"), first
    assert "\x1b" not in first and "\x07" not in first


@pytest.mark.slow
@pytest.mark.train
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch (the 'train' extra)")
def test_train_names_its_model_and_card_printably(tmp_path, monkeypatch):
    # a run of a few seconds: small photos, two images each, a tiny network (as tests/test_train_few_photos.py)
    tiny_training(monkeypatch)
    photos = tmp_path / "photos"
    for i in range(16):
        save_jpeg(photos / f"photo_{i:02d}.jpg", textured(i, size=(96, 128)))
    out, card = tmp_path / "m\nodel.onnx", tmp_path / "ca\x1b[2Jrd.md"
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--card", str(card), "--work-dir",
                                       str(tmp_path / "work"), "--workers", "1", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and card.is_file()
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"wrote {tmp_path}/m\\x0aodel.onnx in "), lines
    assert f"model card: {tmp_path}/ca\\x1b[2Jrd.md" in lines
    assert "\x1b" not in result.stdout
