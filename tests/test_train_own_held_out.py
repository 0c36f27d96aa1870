"""`blurscan train` on a person's own labelled real photos: those of the test split, held out, are scored once the
model is made, and the closing lines and the card give their figures (balanced accuracy, the Laplacian@100's beside
it, how many, each class called right), as they do for the shared data set's real-evaluation sets. Until 2026-12-07
they were only counted ("3 held out (test split, not used)"): a person training on their own photos was told nothing
of how the model does on photos it never saw."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan import score_image
from blurscan.cli import main
from blurscan.config import LAPLACIAN_THRESHOLD
from blurscan.model.own_rows import OwnPhoto
from helpers_images import blurred, save_jpeg, textured
from helpers_train import tiny_training

needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch (the 'train' extra)")


def _photos(folder: Path, sharp: int, blurry: int, size=(240, 320)) -> list[tuple[Path, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [(save_jpeg(folder / f"beach{i:02d}.jpg", textured(i, size=size)), 0) for i in range(sharp)]
    out += [(save_jpeg(folder / f"hill{i:02d}.jpg", blurred(textured(40 + i, size=size), 4.0)), 1)
            for i in range(blurry)]
    return out


def test_the_held_out_photos_are_scored_as_the_scan_scores_them_beside_the_laplacian(tmp_path, caplog):
    """Scored with the shipped model: the figures are those of the scan's own verdicts and Laplacian (the Python
    API's), the validation and train photos left out; a photo that cannot be read is skipped, named."""
    from blurscan.model.real_figures import own_test_line, own_test_lines, own_test_table
    from blurscan.model.runtime import default_model_path

    photos = _photos(tmp_path, 3, 3)
    own = [OwnPhoto(p, f"mine/{p.name}", label, "", "test") for p, label in photos]
    own += [OwnPhoto(p, f"mine/v{p.name}", label, "", split) for (p, label), split in zip(photos, ("val", "train"))]
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    own.append(OwnPhoto(broken, "mine/broken.jpg", 0, "", "test"))
    table = own_test_table(default_model_path(), own)
    assert "broken.jpg" in caplog.text
    records = [(score_image(p), label) for p, label in photos]
    right = {c: sum(1 for r, label in records if label == (c == "blurry") and (r.verdict == "blurry") == label)
             for c in ("blurry", "sharp")}
    lap = {c: sum(1 for r, label in records if label == (c == "blurry")
                  and (r.laplacian_var < LAPLACIAN_THRESHOLD) == label) for c in ("blurry", "sharp")}
    assert table["n"] == 6 and table["n_blurry"] == 3
    assert table["called_right"] == {"model": {"blurry": (right["blurry"], 3), "sharp": (right["sharp"], 3)},
                                     "laplacian": {"blurry": (lap["blurry"], 3), "sharp": (lap["sharp"], 3)}}
    assert table["model"] == pytest.approx((right["blurry"] + right["sharp"]) / 6)
    assert table["laplacian"] == pytest.approx((lap["blurry"] + lap["sharp"]) / 6)
    line = own_test_line(table)
    assert line.startswith(f"your held-out photos (test split): balanced accuracy {100 * table['model']:.1f} % "
                           f"(Laplacian@100: {100 * table['laplacian']:.1f} %, 6 photos; called right: blurry "
                           f"{right['blurry']} of 3, sharp {right['sharp']} of 3)"), line
    card = "\n".join(own_test_lines(table))
    assert "| 6 | 3 |" in card and f"Called right: blurry {right['blurry']} of 3, sharp {right['sharp']} of 3" in card
    assert own_test_table(default_model_path(), own[6:8]) == {} and own_test_lines({}) == []


def test_held_out_photos_of_one_class_are_the_share_called_right(tmp_path):
    from blurscan.model.real_figures import own_test_line, own_test_lines, own_test_table
    from blurscan.model.runtime import default_model_path

    own = [OwnPhoto(p, p.name, label, "", "test") for p, label in _photos(tmp_path, 0, 2)]
    table = own_test_table(default_model_path(), own)
    assert own_test_line(table).startswith("your held-out photos (test split): blurry photos only, called right ")
    assert "called right: blurry " in own_test_line(table) and "sharp" not in own_test_line(table).split(";")[1]
    assert "Every one of them is blurry" in "\n".join(own_test_lines(table))


@pytest.mark.slow
@pytest.mark.train
@needs_torch
def test_train_says_how_the_model_does_on_ones_own_held_out_photos(tmp_path, monkeypatch):
    """The real command: its closing lines and its card give the held-out photos' figures."""
    from blurscan.model.own_rows import own_photos
    from blurscan.model.train import collect

    folder = tmp_path / "photos"
    photos = _photos(folder, 24, 12, size=(96, 128))
    (folder / "manifest.csv").write_text("file,set,label,blur_type\n" + "".join(
        f"{p.name},holiday,{'blurry' if label else 'sharp'},{'gaussian' if label else 'none'}\n"
        for p, label in photos))
    held = [p for p in own_photos([folder], collect([folder])[0]) if p.split == "test"]
    assert {p.label for p in held} == {0, 1}  # (both classes held out: a balanced accuracy to give)
    card, out = tmp_path / "m.md", tmp_path / "m.onnx"
    tiny_training(monkeypatch)
    result = CliRunner().invoke(main, ["train", str(folder), "--out", str(out), "--card", str(card),
                                       "--work-dir", str(tmp_path / "work"), "--workers", "1", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    n, n_blurry = len(held), sum(p.label for p in held)
    assert f"{n} held out (test split: scored, not trained on)" in result.stdout
    line = next((x for x in result.stdout.splitlines() if x.startswith("your held-out photos (test split): ")), "")
    assert line.startswith("your held-out photos (test split): balanced accuracy "), result.stdout
    assert f" %, {n} photos; called right: blurry " in line and f" of {n_blurry}, sharp " in line
    assert line.endswith(f" of {n - n_blurry})"), line
    text = card.read_text()
    assert "### Your labelled real photos held out (test split)" in text
    assert f"\n| {n} | {n_blurry} | " in text
