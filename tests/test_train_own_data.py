"""`blurscan train` on a person's own labelled photos, written over the package's model file: what the run says and
what the card says must be true of that run (until 2026-12-05: the manifest's blurry rows were passed over without
a word, the card's operating point claimed a threshold per size class when no validation photo was full-size, and
the card was the shipped model's, chosen by `--out` alone)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured
from helpers_train import tiny_training

needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch (the 'train' extra)")


def _own_data(folder: Path) -> Path:
    """16 sharp photos, 3 blurry ones, one partly in focus and one labelled neither, all 96 x 128 px (none
    full-size), with their manifest.csv."""
    rows = ["file,label,blur_type"]
    for i in range(16):
        save_jpeg(folder / f"photo_{i:02d}.jpg", textured(i, size=(96, 128)))
        rows.append(f"photo_{i:02d}.jpg,sharp,none")
    for i in range(3):
        save_jpeg(folder / f"shaky_{i}.jpg", blurred(textured(50 + i, size=(96, 128)), 3.0))
        rows.append(f"shaky_{i}.jpg,blurry,defocus")
    save_jpeg(folder / "portrait.jpg", textured(70, size=(96, 128)))
    rows.append("portrait.jpg,sharp,partial-defocus")
    save_jpeg(folder / "unsure.jpg", textured(71, size=(96, 128)))
    rows.append("unsure.jpg,unsure,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.fixture(scope="module")
def own_run(tmp_path_factory):
    """One run of a few seconds (small photos, two images each, a tiny network, as tests/test_train_few_photos.py),
    its --out the package's model file (moved to a temporary folder: the real one is never written)."""
    from blurscan.model import runtime

    tmp = tmp_path_factory.mktemp("own")
    photos = _own_data(tmp / "photos")
    package_model = tmp / "package" / "models" / "default.onnx"
    package_model.parent.mkdir(parents=True)
    package_model.write_bytes(b"the shipped model")
    card = tmp / "card.md"
    with pytest.MonkeyPatch.context() as mp:
        tiny_training(mp)
        mp.setattr(runtime, "default_model_path", lambda: package_model)
        result = CliRunner().invoke(main, ["train", str(photos), "--out", str(package_model), "--overwrite", "--card",
                                           str(card), "--work-dir", str(tmp / "work"), "--workers", "1",
                                           "--epochs", "1"])
    assert result.exit_code == 0, result.output
    return photos, result, card.read_text()


@pytest.mark.train
@needs_torch
def test_the_manifest_rows_not_used_are_counted_once_on_stderr_with_why(own_run):
    photos, result, _ = own_run
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    # (the 3 blurry rows were "not used" until 2026-12-07: now they are, tests/test_train_own_real_photos.py)
    assert notes == [f"note: {photos / 'manifest.csv'}: 2 of its 21 rows are not used: 1 partly "
                     "in focus (label `partial`, a `partial-...` blur or synth's `missed_focus`); 1 labelled neither "
                     "sharp nor blurry (`unsure`). train makes its blurred training images itself, from the rows "
                     "labelled sharp (with no blur named); of your labelled real photos, blurred and sharp, it fits "
                     "the image rule on those of the validation split and trains the network on the blurred ones of "
                     "the train split"], result.stderr
    assert "16 sharp source photos" in own_run[2]  # (what the note says: the 16 sharp rows were trained on)


def test_a_manifest_whose_rows_are_all_used_gets_no_note(tmp_path):
    from blurscan.model.train import collect
    from blurscan.model.unused_rows import unused_rows_note

    folder = tmp_path / "photos"
    for i in range(3):
        save_jpeg(folder / f"p{i}.jpg", textured(i, size=(96, 128)))
    (folder / "manifest.csv").write_text("file,label\n" + "".join(f"p{i}.jpg,Sharp\n" for i in range(3)))
    sources, real = collect([folder])
    assert len(sources) == 3 and unused_rows_note(folder, sources, real) is None


@pytest.mark.train
@needs_torch
def test_the_operating_point_of_a_model_with_no_full_size_validation_photo_is_one_threshold(own_run):
    """No validation photo was full-size (1024 px): both size classes got the threshold of all sharp validation
    photos (operating_thresholds), and the card said each flags 'the same share of its size's' photos."""
    card = own_run[2]
    line = next(li for li in card.splitlines() if li.startswith("- operating point:"))
    assert " at every size (one threshold, set on all " in line and "none of them was full-size (1024 px)" in line
    assert "each flags" not in line


def test_the_operating_point_line_says_which_size_class_had_a_threshold_of_its_own():
    from blurscan.model.report import _threshold_line

    rule = {"threshold": 0.6, "threshold_full_size": 0.7, "full_size": 1024}
    assert "(each flags at most the same share of its size's sharp validation photos)" in _threshold_line(rule)
    line = _threshold_line({**rule, "sharp_val_photos": [120, 12]})
    assert "0.600 for photos whose analysis image is smaller than 1024 px, 0.700 at 1024 px" in line
    assert "the full-size photos' is that of all sizes together: only 12 sharp validation photos were full-size" in line


@pytest.mark.train
@needs_torch
def test_own_photos_written_over_the_package_model_get_their_own_card_and_a_warning(own_run):
    photos, result, card = own_run
    assert card.startswith("# Model card: default.onnx") and "default model" not in card
    assert "## Known weaknesses" not in card and "make model" not in card
    assert f"16 sharp source photos (from `{photos}`)" in card
    warned = [line for line in result.stderr.splitlines() if "is the model shipped in the package" in line]
    assert len(warned) == 1 and warned[0].startswith("warning: ") and "reinstalling blurscan" in warned[0]


def test_only_the_shared_data_set_written_to_the_package_model_is_the_shipped_run(tmp_path, monkeypatch):
    from blurscan.model import runtime
    from blurscan.model.train import is_shipped_run

    package_model, shared, own = tmp_path / "default.onnx", tmp_path / "shared" / "data", tmp_path / "own"
    shared.mkdir(parents=True)
    own.mkdir()
    monkeypatch.setattr(runtime, "default_model_path", lambda: package_model)
    monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(shared))
    assert is_shipped_run(package_model, [shared])  # `make model`
    assert not is_shipped_run(package_model, [own]) and not is_shipped_run(package_model, [shared, own])
    assert not is_shipped_run(tmp_path / "m.onnx", [shared])


def _labelled(folder: Path, rows: dict[str, str]) -> Path:
    """``folder`` with a photo for each of ``rows`` (file -> label) and their manifest.csv."""
    for i, name in enumerate(rows):
        if name:
            save_jpeg(folder / name, textured(i, size=(64, 80)))
    (folder / "manifest.csv").write_text("file,label\n" + "".join(f"{f},{label}\n" for f, label in rows.items()))
    return folder


def test_a_folder_inside_a_labelled_data_set_has_the_rows_under_it_it_does_not_use_said(tmp_path, caplog):
    """``train photos/trip``, ``photos/manifest.csv`` naming ``trip/...``: train takes the sharp rows under ``trip``
    (:func:`blurscan.synth.sources.collect_sources`) and passed its blurred ones over without a word, as it did
    a whole manifest's until 2026-12-05 (the note read only the DATA folder's own manifest)."""
    from blurscan.model.train import collect
    from blurscan.model.unused_rows import say_unused_rows

    photos = _labelled(tmp_path / "photos", {"trip/a.jpg": "sharp", "trip/b.jpg": "blurry", "home/c.jpg": "blurry",
                                             "d.jpg": "sharp"})
    given = [photos / "trip"]
    sources, real = collect(given)
    assert [Path(s.path).name for s in sources] == ["a.jpg"]
    with caplog.at_level("WARNING"):
        say_unused_rows(given, sources, real)
    assert [r.getMessage() for r in caplog.records] == [
        f"note: {photos / 'manifest.csv'}: 1 of its 2 rows in {photos / 'trip'} is not used: 1 labelled blurry. "
        "train makes its blurred training images itself, from the rows labelled sharp (with no blur named)"]
    caplog.clear()
    given = [photos, photos / "trip", photos]  # the data set itself, and again: one note, of all its rows
    with caplog.at_level("WARNING"):
        say_unused_rows(given, *collect(given))
    assert [r.getMessage().split(": ")[2] for r in caplog.records] == ["2 of its 4 rows are not used"]
    caplog.clear()
    given = [photos / "trip", photos / "home"]  # two folders of it: a note each
    with caplog.at_level("WARNING"):
        say_unused_rows(given, *collect(given))
    assert [r.getMessage().split(": ")[2] for r in caplog.records] == [
        f"1 of its 2 rows in {photos / 'trip'} is not used", f"1 of its 1 row in {photos / 'home'} is not used"]


def test_the_note_counts_one_row_in_the_singular(tmp_path):
    from blurscan.model.train import collect
    from blurscan.model.unused_rows import unused_rows_note

    photos = _labelled(tmp_path / "photos", {"a.jpg": "sharp", "": "sharp"})
    note = unused_rows_note(photos, *collect([photos]))
    assert "1 of its 2 rows is not used: 1 sharp row with no file named." in note


@pytest.mark.slow
@pytest.mark.train
@needs_torch
def test_own_sets_in_a_full_manifest_give_no_real_figure_of_no_photo(tmp_path, monkeypatch):
    """A manifest with the shared data set's four columns (file, set, label, blur_type) and sets of one's own: no
    real-evaluation photo is among them. Until 2026-12-07 the run said "real evaluation: balanced accuracy nan %
    (Laplacian@100: nan %, 0 images)" and "multi-focus called blurry: 0.0 % of 0", and the card's targets read
    "+nan" and a multi-focus target met on no photo."""
    photos = tmp_path / "photos"
    photos.mkdir()
    rows = ["file,set,label,blur_type"]
    for i in range(16):
        save_jpeg(photos / f"photo_{i:02d}.jpg", textured(i, size=(96, 128)))
        rows.append(f"photo_{i:02d}.jpg,holiday,sharp,none")
    save_jpeg(photos / "shaky.jpg", blurred(textured(50, size=(96, 128)), 3.0))
    rows.append("shaky.jpg,holiday,blurry,defocus")
    (photos / "manifest.csv").write_text("\n".join(rows) + "\n")
    card = tmp_path / "m.md"
    tiny_training(monkeypatch)
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(tmp_path / "m.onnx"), "--card", str(card),
                                       "--work-dir", str(tmp_path / "work"), "--workers", "1", "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "real evaluation" not in result.stdout and "multi-focus" not in result.stdout, result.stdout
    assert "nan" not in result.stdout
    text = card.read_text()
    assert "Real labelled photos" not in text and "Multi-focus photos" not in text
    targets = text.split("## blurscan's accuracy targets", 1)[1]
    assert "| real" not in targets and "nan" not in targets and "| ... points" not in targets
