"""`blurscan evaluate DATASET_FOLDER`: the folder a `blurscan synth` run wrote (as `blurscan train` takes a folder
holding a manifest.csv) is evaluated through its manifest.csv. Until 2026-12-06 it got click's "File '...' is a
directory" (exit 2); a folder without a manifest.csv is one line naming it and what to give (docs/evaluate.md)."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured


def _evaluate(target, tmp_path):
    return CliRunner().invoke(main, ["evaluate", str(target), "--model", "none", "--workers", "1", "--out",
                                     str(tmp_path / "eval")])


def test_the_folder_synth_wrote_is_evaluated_as_its_manifest(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(2):
        save_jpeg(src / f"src_{i}.jpg", textured(i, size=(240, 320)))
    out = tmp_path / "dataset"
    made = CliRunner().invoke(main, ["synth", str(src), str(out), "--per-image", "3"])
    assert made.exit_code == 0, made.output
    by_folder = _evaluate(out, tmp_path)
    assert by_folder.exit_code == 0, by_folder.output
    assert f"Manifest: {out / 'manifest.csv'}" in by_folder.stdout
    assert "Images: 6 (" in by_folder.stdout
    by_file = _evaluate(out / "manifest.csv", tmp_path)
    assert by_file.exit_code == 0 and by_file.stdout == by_folder.stdout


def test_a_folder_without_a_manifest_is_one_line_naming_it(tmp_path):
    (tmp_path / "photos").mkdir()
    save_jpeg(tmp_path / "photos" / "a.jpg", textured(0))
    result = _evaluate(tmp_path / "photos", tmp_path)
    assert result.exit_code != 0
    assert result.stderr == (f"Error: {tmp_path / 'photos'}: is a folder without a manifest.csv; give the manifest "
                             "(a CSV with 'file' and 'label' columns) or the folder `blurscan synth` wrote\n")
    assert not (tmp_path / "eval").exists()
