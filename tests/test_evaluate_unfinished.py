"""`blurscan evaluate` on the manifest of a dataset that a `blurscan synth` run began and did not finish (Ctrl-C, a
kill: its OUT keeps synth's unfinished.json): the manifest lists only the images made by then, and evaluate scored
them without a word, a partial set taken for the whole. It now warns, one line on stderr naming the folder and how
to make the set whole, and scores what is listed (docs/evaluate.md)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.synth import recipes
from blurscan.synth.replacing import UNFINISHED
from helpers_images import save_jpeg, textured


def _sources(folder: Path, n: int) -> list:
    for i in range(n):
        save_jpeg(folder / f"src_{i}.jpg", textured(i, size=(240, 320)))
    return recipes.collect_sources([folder])


def _stopped_after_one_source(tmp_path: Path) -> Path:
    """A dataset whose run was stopped (as Ctrl-C stops it) once its first source was done."""
    out = tmp_path / "out"

    def stop(done, total, source):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        recipes.write_dataset(_sources(tmp_path / "src", 3), out, per_image=3, progress=stop)
    assert (out / UNFINISHED).is_file() and len(recipes.read_manifest(out)) == 3
    return out


def _evaluate(manifest: Path, tmp_path: Path):
    return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                     str(tmp_path / "eval")])


def test_an_unfinished_dataset_is_scored_with_a_warning_naming_its_folder(tmp_path):
    out = _stopped_after_one_source(tmp_path)
    result = _evaluate(out / "manifest.csv", tmp_path)
    assert result.exit_code == 0, result.output
    warning = (f"warning: {out} holds an unfinished dataset (a blurscan synth run was stopped before its end: "
               f"{UNFINISHED}), so its manifest lists only the images made by then; they are scored, but to evaluate "
               "the whole set run the same synth command again with --overwrite")
    assert result.stderr.splitlines()[0] == warning
    assert "Images: 3 (" in result.stdout


def test_a_finished_dataset_and_a_file_of_ones_own_of_that_name_give_no_warning(tmp_path):
    """(A guard, passes before and after: the warning is for synth's marker only.)"""
    out = tmp_path / "out"
    recipes.write_dataset(_sources(tmp_path / "src", 2), out, per_image=2)
    assert _evaluate(out / "manifest.csv", tmp_path).stderr.count("warning") == 0
    (out / UNFINISHED).write_text('{"mine": true}\n')
    result = _evaluate(out / "manifest.csv", tmp_path)
    assert result.exit_code == 0, result.output
    assert "unfinished" not in result.stderr
