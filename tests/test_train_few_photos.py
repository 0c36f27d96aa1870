"""`blurscan train` on a handful of one's own photos: the image rule and its `blurry` threshold are fitted on the
validation split's photos, and with a few of them the model's verdicts mean little. Until 2026-12-05 such a model
was written without a word (4 photos, one in validation: a model that scanned a library with confident verdicts);
now the run says so before the synthesis and after it, and the model card says so too."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.model.train import FEW_VAL_GROUPS, check_splits, few_photos
from blurscan.synth.sources import Source
from helpers_images import save_jpeg, textured
from helpers_train import tiny_training


def test_enough_validation_photos_say_nothing_and_few_say_why_and_what_to_do():
    sources = [Source(Path(f"p/photo_{i:03d}.jpg"), f"p/photo_{i:03d}.jpg") for i in range(100)]
    counts = check_splits(sources)
    assert counts["val"] >= FEW_VAL_GROUPS and few_photos(counts) is None
    note = few_photos({"train": 3, "val": 1, "test": 1})
    assert note.startswith("only 1 source photo of 5 went to the validation split")
    assert "may mean little" in note and "blurscan evaluate" in note and "about 67 give 10" in note


@pytest.mark.train
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch (the 'train' extra)")
def test_a_model_trained_on_a_few_photos_is_written_with_a_warning_on_stderr_and_card(tmp_path, monkeypatch):
    # a run of a few seconds: small photos, two images each, a tiny network (as tests/test_train_stopped.py)
    tiny_training(monkeypatch)
    photos = tmp_path / "photos"
    for i in range(16):
        save_jpeg(photos / f"photo_{i:02d}.jpg", textured(i, size=(96, 128)))
    out, card = tmp_path / "m.onnx", tmp_path / "card.md"
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--card", str(card), "--work-dir",
                                       str(tmp_path / "work"), "--workers", "1", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    val = check_splits([Source(p, f"photos/{p.name}") for p in sorted(photos.iterdir())])["val"]
    said = f"warning: only {val} source photo{'s' if val != 1 else ''} of 16 went to the validation split"
    assert result.stderr.count(said) == 2, result.stderr  # before the synthesis, and after the run's figures
    assert result.stderr.rstrip().splitlines()[-1].startswith(said)
    assert out.is_file()  # (a warning, not a refusal: a first try on a few photos is a fair thing to do)
    assert f"- **Warning**: {said.removeprefix('warning: ')}" in card.read_text()
