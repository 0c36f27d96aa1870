"""`blurscan evaluate` on a manifest whose paths were written from the folder it was made in, not from its own
(``set2/img/a.jpg`` in ``set2/m.csv``): the note on missing images says what the paths are relative to and that
they exist relative to the current folder, and so does the error when none is found. Until 2026-12-06 the note
named the files alone, and the run went on to report perfect figures on the one image it found."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


def _set(tmp_path):
    root = tmp_path / "set2"
    save_jpeg(root / "img" / "s.jpg", textured(seed=1))
    save_jpeg(root / "img" / "b.jpg", blurred(textured(seed=2), 4))
    save_jpeg(root / "s.jpg", textured(seed=3))  # (this one is where the manifest's folder says)
    return root


def test_the_note_says_the_paths_exist_from_the_current_folder(tmp_path, monkeypatch):
    root = _set(tmp_path)
    (root / "m.csv").write_text("file,label\nset2/img/s.jpg,sharp\nset2/img/b.jpg,blurry\ns.jpg,sharp\n"
                                "gone.jpg,sharp\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", "set2/m.csv", "--model", "none", "--workers", "1", "--out", "o"])
    assert result.exit_code == 0, result.output
    assert (f"note: 3 of the 4 images of set2/m.csv do not exist: set2/img/s.jpg, set2/img/b.jpg, gone.jpg (paths are "
            f"relative to {root.resolve()}; 2 of them exist relative to the current folder ({tmp_path.resolve()}): "
            "write the paths relative to the manifest's folder, or as absolute ones); left out of the metrics"
            ) in result.stderr, result.stderr


def test_the_error_when_none_is_found_says_so_too(tmp_path, monkeypatch):
    root = _set(tmp_path)
    (root / "m.csv").write_text("file,label\nset2/img/s.jpg,sharp\nset2/img/b.jpg,blurry\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", "set2/m.csv", "--model", "none", "--workers", "1", "--out", "o"])
    assert result.exit_code == 1, result.output
    assert (f"nothing to evaluate (paths are relative to {root.resolve()}; 2 of them exist relative to the current "
            f"folder ({tmp_path.resolve()}): write the paths relative to the manifest's folder, or as absolute ones)"
            ) in result.stderr, result.stderr
    assert not (tmp_path / "o").exists()


def test_one_of_several_missing_found_from_the_current_folder(tmp_path, monkeypatch):
    """Three images missing, one of which a path from the current folder finds: "1 of them exists" (not "it
    exists", which says there is one missing image; until 2026-12-07 "1 of them exist")."""
    root = _set(tmp_path)
    (root / "m.csv").write_text("file,label\nset2/img/s.jpg,sharp\ns.jpg,sharp\ngone.jpg,sharp\nlost.jpg,blurry\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", "set2/m.csv", "--model", "none", "--workers", "1", "--out", "o"])
    assert result.exit_code == 0, result.output
    assert (f"(paths are relative to {root.resolve()}; 1 of them exists relative to the current folder "
            f"({tmp_path.resolve()})") in result.stderr, result.stderr
