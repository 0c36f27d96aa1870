"""A manifest that cannot be read is one line naming it and the reason in plain words, for ``evaluate`` (MANIFEST)
and for ``synth`` and ``train`` (a data set's ``manifest.csv`` in SRC / DATA). Until 2026-12-06 the reason was
Python's own text: ``'utf-8' codec can't decode byte 0xe9 in position 14: invalid continuation byte`` for a
spreadsheet's CSV saved in a Windows code page (a position in a buffer, not in the file, and no word of what to do),
``[Errno 13] Permission denied: 'ds/manifest.csv'``, ``[Errno 20] Not a directory: 'm.csv/x'`` (reproduced with
the real command line by the audit of every failure message, 2026-12-06).

The permission test runs as ``nobody`` in a forked child when the tests run as root, as the user otherwise."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured
from helpers_os import run_unprivileged


def _said(stderr: str) -> str:
    """``stderr`` less train's warning that torch was loaded before it (in a full test run an earlier test in this
    process has loaded torch, and ``train`` then says it cannot pin torch's instruction sets)."""
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not line.startswith("torch was loaded before training started"))


NOT_UTF8 = "not UTF-8 text (byte 0xe9, line {line}); save it as UTF-8 (a spreadsheet's \"CSV UTF-8\") and run again"


def _cp1252_manifest(path: Path, rows_before: int = 0) -> None:
    """``file,label`` and a row naming ``café.jpg`` in Windows-1252 (``é`` is the byte 0xe9), after
    ``rows_before`` plain rows."""
    plain = "".join(f"img{i}.jpg,sharp\n" for i in range(rows_before))
    path.write_bytes(f"file,label\n{plain}".encode() + "café.jpg,sharp\n".encode("cp1252"))


@pytest.mark.parametrize("rows_before", [1, 20000])
def test_evaluate_says_a_manifest_is_not_utf8_and_on_which_line(tmp_path, rows_before):
    """20,000 rows: the bad byte lies far past the decoder's first chunk, whose position the error gave."""
    manifest = tmp_path / "m.csv"
    _cp1252_manifest(manifest, rows_before)
    result = CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {manifest}: cannot read manifest: {NOT_UTF8.format(line=rows_before + 2)}\n"
    assert not (tmp_path / "o").exists()


def test_evaluate_says_a_file_on_the_manifests_path_in_words(tmp_path):
    (tmp_path / "m.csv").write_text("file,label\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv" / "x"), "--model", "none"])
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {tmp_path / 'm.csv' / 'x'}: cannot read manifest: part of its path is a "
                             "file, not a folder\n")


def _data_set(folder: Path) -> Path:
    folder.mkdir()
    save_jpeg(folder / "café.jpg", textured(seed=1))
    _cp1252_manifest(folder / "manifest.csv")
    return folder


@pytest.mark.parametrize("command", ["synth", pytest.param("train", marks=pytest.mark.train)])
def test_synth_and_train_say_a_data_sets_manifest_is_not_utf8(tmp_path, command):
    data = _data_set(tmp_path / "ds")
    out = ["--out", str(tmp_path / "m.onnx")] if command == "train" else [str(tmp_path / "out")]
    result = CliRunner().invoke(main, [command, str(data), *out])
    assert result.exit_code == 2, result.output
    assert _said(result.stderr) == (f"Error: {data / 'manifest.csv'}: cannot read this data set's manifest: "
                             f"{NOT_UTF8.format(line=2)}\n")


@pytest.fixture
def base():
    """A folder the unprivileged child can reach (pytest's own is root's 0700 when run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="blurscan-manifest-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_synth_says_a_data_sets_manifest_it_may_not_read_in_words(base):
    data = _data_set(base / "ds")
    (data / "manifest.csv").chmod(0)
    out = base / "out"
    os.chmod(base, 0o777)  # (the child writes OUT here)

    def run():
        result = CliRunner().invoke(main, ["synth", str(data), str(out)])
        return result.exit_code, result.stderr

    code, err = run_unprivileged(run)
    assert code == 2, err
    assert err == f"Error: {data / 'manifest.csv'}: cannot read this data set's manifest: permission denied\n"


def _synth_dataset(tmp_path: Path) -> tuple[Path, Path]:
    """One source photo and the dataset ``synth`` made of it: (the source folder, the dataset)."""
    save_jpeg(tmp_path / "src" / "p.jpg", textured(seed=5))
    out = tmp_path / "set"
    made = CliRunner().invoke(main, ["synth", "-q", "--per-image", "1", "--max-side", "128", str(tmp_path / "src"),
                                     str(out)])
    assert made.exit_code == 0, made.output
    return tmp_path / "src", out


def test_synth_into_a_dataset_whose_manifest_a_spreadsheet_saved_in_cp1252_says_why_in_words(tmp_path):
    """Found by measuring which lines of synth the tests ran (2026-12-06): the manifest of the dataset OUT holds,
    which synth reads to know its samples, was the last one whose reason was Python's text ("'utf-8' codec can't
    decode byte 0xe9 in position 135: invalid continuation byte")."""
    src, out = _synth_dataset(tmp_path)
    manifest = out / "manifest.csv"
    manifest.write_bytes(manifest.read_bytes().replace(b"src/p.jpg", "src/café.jpg".encode("cp1252")))
    for more in ((), ("--overwrite",)):
        result = CliRunner().invoke(main, ["synth", "-q", "--per-image", "1", str(src), str(out), *more])
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: {manifest}: cannot read the manifest there ({NOT_UTF8.format(line=2)}); a "
                                 "dataset can replace only one blurscan synth wrote: choose another folder\n")


def test_synth_into_a_folder_whose_manifest_is_a_folder_says_so_in_words(tmp_path):
    save_jpeg(tmp_path / "src" / "p.jpg", textured(seed=5))
    (tmp_path / "out" / "manifest.csv").mkdir(parents=True)
    result = CliRunner().invoke(main, ["synth", "-q", "--overwrite", str(tmp_path / "src"), str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Errno" not in result.stderr and "'" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"Error: {tmp_path}/out/manifest.csv: cannot read the manifest there (is a ")
