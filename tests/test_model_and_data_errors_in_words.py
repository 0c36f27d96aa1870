"""The one ``Error:`` line of a model file or a data folder blurscan cannot use names it as every other message
does (control characters shown as ``\\xNN``: a newline or an escape sequence in a name no longer breaks the line or
recolours the terminal) and says why in words. Found by the audit of every failure message, 2026-12-06, with the
real command line: until then ``scan --model``'s messages (every one), ``train``'s "no sharp photos to train on" and
``synth``'s "not an image file" printed the name as it was, and a file that is no ONNX model, or one cut short, read
``not a valid ONNX model ([ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Failed to load model because protobuf
parsing failed.)`` (an empty one ``... : 2 : INVALID_ARGUMENT : No graph was found in the protobuf.``)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.model.runtime import default_model_path
from helpers_images import save_jpeg, textured


def _said(stderr: str) -> str:
    """``stderr`` less train's warning that torch was loaded before it (in a full test run an earlier test in this
    process has loaded torch, and ``train`` then says it cannot pin torch's instruction sets)."""
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not line.startswith("torch was loaded before training started"))


NAME = "a\nb\x1b[31m"
SHOWN = "a\\x0ab\\x1b[31m"
NO_ONNX = ("not a valid ONNX model (not an ONNX file, or one cut short or damaged: give the .onnx file `blurscan train` "
           "wrote)")


@pytest.fixture()
def photos(tmp_path):
    save_jpeg(tmp_path / "photos" / "one.jpg", textured(seed=1))
    return tmp_path / "photos"


def _scan(photos, model):
    return CliRunner().invoke(main, ["scan", str(photos), "--workers", "1", "--db", str(photos.parent / "s.db"),
                                     "--model", str(model)])


@pytest.mark.parametrize("content", [None, b"this is not a model", b"", "cut"])
def test_a_model_file_blurscan_cannot_use_is_named_printably_with_the_reason_in_words(photos, content):
    model = photos.parent / f"{NAME}.onnx"
    if content == "cut":
        content = default_model_path().read_bytes()[:3000]
    if content is not None:
        model.write_bytes(content)
    result = _scan(photos, model)
    assert result.exit_code == 1, result.output
    reason = "model file not found" if content is None else NO_ONNX
    assert result.stderr == f"Error: {photos.parent / SHOWN}.onnx: {reason}\n"


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
def test_train_names_a_folder_without_photos_printably(tmp_path):
    data = tmp_path / NAME
    data.mkdir()
    result = CliRunner().invoke(main, ["train", str(data), "--out", str(tmp_path / "m.onnx")])
    assert result.exit_code == 1, result.output
    assert _said(result.stderr) == f"Error: {tmp_path / SHOWN}: no sharp photos to train on\n"


def test_synth_names_a_file_that_is_no_image_printably(tmp_path):
    (tmp_path / f"{NAME}.txt").write_text("notes")
    result = CliRunner().invoke(main, ["synth", str(tmp_path / f"{NAME}.txt"), str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: {tmp_path / SHOWN}.txt: not an image file (a data set is given by the folder "
                             "that holds its manifest.csv)\n")


def test_an_empty_model_is_refused_naming_the_option_not_the_python_api(tmp_path):
    """`--model "$MODEL"` with the variable unset: scan and evaluate said "Error: ScanSettings.model must be 'default',
    'none' or a path to an .onnx file, got ''", the Python API's name, where the person typed --model (found by
    measuring which lines of the command line the tests ran, 2026-12-06). Now click's line naming the option; exit
    2 as before, nothing scanned."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured())
    (tmp_path / "m.csv").write_text("file,label\nlib/a.jpg,sharp\n")
    for command in (["scan", str(tmp_path / "lib")], ["evaluate", str(tmp_path / "m.csv"), "--out", str(tmp_path / "o")]):
        result = CliRunner().invoke(main, [*command, "--model", ""])
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[-1] == ("Error: Invalid value for '--model': it is empty: give default, none "
                                                  "or the path of an .onnx file")
        assert "ScanSettings" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "lib").iterdir()) == ["a.jpg"] and not (tmp_path / "o").exists()
