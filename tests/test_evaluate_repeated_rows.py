"""`blurscan evaluate` on a manifest naming one image on several rows (a merge of two label files, say): every
row was counted, silently, even when one row said sharp and the other blurry, so the metrics quietly scored a
labelling mistake. Each row still counts (as documented), and a note on stderr now names the repeated images
and those labelled both ways. A row naming a folder says so."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


def test_repeated_and_conflicting_rows_are_noted(tmp_path):
    save_jpeg(tmp_path / "a.jpg", textured(seed=1))
    save_jpeg(tmp_path / "b.jpg", blurred(textured(seed=2), sigma=5.0))
    save_jpeg(tmp_path / "c.jpg", textured(seed=3))
    (tmp_path / "m.csv").write_text("file,label\na.jpg,sharp\n./a.jpg,blurry\nb.jpg,blurry\nb.jpg,blurry\n"
                                    "c.jpg,sharp\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert ("2 images of " in result.output and "are listed on more than one row, each row counted: a.jpg, b.jpg; "
            "1 of them with different labels: a.jpg" in result.output)
    assert "Images: 5 (5 sharp/blurry" in result.output


def test_no_note_without_repeated_rows(tmp_path):
    save_jpeg(tmp_path / "a.jpg", textured(seed=1))
    save_jpeg(tmp_path / "b.jpg", blurred(textured(seed=2), sigma=5.0))
    (tmp_path / "m.csv").write_text("file,label\na.jpg,sharp\nb.jpg,blurry\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "more than one row" not in result.output


def test_a_row_naming_a_folder_says_so(tmp_path):
    """A row naming a folder (a path cut short) was 'not scanned (not an image file?)'."""
    save_jpeg(tmp_path / "img" / "a.jpg", textured(seed=1))
    save_jpeg(tmp_path / "img" / "b.jpg", blurred(textured(seed=2), sigma=5.0))
    (tmp_path / "m.csv").write_text("file,label\nimg,sharp\nimg/a.jpg,sharp\nimg/b.jpg,blurry\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "  img: a folder, not an image file" in result.output
