"""Manifests as a spreadsheet or a Windows machine leaves them, read by ``evaluate``, ``synth`` and ``train``'s
reader (:mod:`blurscan.manifest_csv`), through the real command line where there is one. Reproduced 2026-12-06 by
the audit of spreadsheet-made manifests:

- paths written with backslashes (``photos\\s1.jpg``, a manifest made on Windows) were "no such file" off Windows:
  ``evaluate`` stopped ("none of the 4 images it names exists"), ``synth`` skipped every source;
- a decimal comma written unquoted in a comma-separated file (``a.jpg,blurry,0,5,x``) moved each later value one
  column on, silently: ``set`` was ``5`` and the ``x`` was dropped.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from blurscan import datasets
from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


@pytest.fixture()
def folder(tmp_path):
    """``photos/sharp.jpg`` and ``photos/soft.jpg`` (blurred) under ``tmp_path``."""
    (tmp_path / "photos").mkdir()
    save_jpeg(tmp_path / "photos" / "sharp.jpg", textured(seed=1, size=(120, 160)))
    save_jpeg(tmp_path / "photos" / "soft.jpg", blurred(textured(seed=2, size=(120, 160)), sigma=5.0))
    return tmp_path


def _manifest(folder, text: str):
    path = folder / "manifest.csv"
    path.write_bytes(text.encode())
    return path


def _evaluate(manifest):
    return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                     str(manifest.parent / "out")])


def test_evaluate_reads_backslashes_as_folder_separators(folder):
    m = _manifest(folder, "file;label\r\nphotos\\sharp.jpg;sharp\r\nphotos\\soft.jpg;blurry\r\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert "Images: 2 (2 sharp/blurry, 0 partly in focus, 0 could not be read)" in result.stdout
    assert "photos\\sharp.jpg,sharp" in (folder / "out" / "predictions.csv").read_text()  # as written


def test_a_file_named_with_a_backslash_is_still_that_file(folder):
    """Off Windows a backslash may be part of a name: a file of that very name is the one meant."""
    (folder / "photos\\sharp.jpg").write_bytes((folder / "photos" / "soft.jpg").read_bytes())
    m = _manifest(folder, "file,label\nphotos\\sharp.jpg,blurry\nphotos/sharp.jpg,sharp\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert "listed on more than one row" not in result.stderr  # two files, not one named twice


def test_synth_and_train_take_sources_named_with_backslashes(folder, tmp_path_factory):
    _manifest(folder, "file,set,label,blur_type\nphotos\\sharp.jpg,mine,sharp,none\nphotos\\soft.jpg,mine,blurry,"
                      "gaussian\n")
    assert [e.path.is_file() for e in datasets.read_manifest(folder)] == [True, True]  # train's reader
    out = tmp_path_factory.mktemp("synth") / "out"
    result = CliRunner().invoke(main, ["synth", str(folder), str(out), "--per-image", "1", "--max-side", "64", "-q"])
    assert result.exit_code == 0, result.output
    assert " from 1 source to " in result.output and "0 skipped" in result.output


@pytest.mark.parametrize("sep,row,hint", [
    (",", "photos/soft.jpg,blurry,0,5,x", True),  # a decimal comma, unquoted: set was read as "5", "x" dropped
    (";", "photos/soft.jpg;blurry;0,5;x;extra", False),
])
def test_evaluate_refuses_a_row_with_more_fields_than_the_header(folder, sep, row, hint):
    m = _manifest(folder, f"file{sep}label{sep}score{sep}set\nphotos/sharp.jpg{sep}sharp{sep}1{sep}x\n\n{row}\n")
    result = _evaluate(m)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert f"{m}: cannot read manifest: line 4 has 5 fields, but the header names 4 columns" in result.stderr
    assert ("a decimal comma" in result.stderr) == hint
    assert not (folder / "out" / "metrics.json").exists()


def test_empty_fields_beyond_the_header_are_passed_over(folder):
    """The ``;;;`` a spreadsheet may end each row with, and a quoted field's line breaks."""
    m = _manifest(folder, "\ufeffFile ;LABEL;Note\r\nphotos/sharp.jpg;sharp;\"two\r\nlines\";;;\r\n"
                          "photos/soft.jpg;blurry;0,5;; \r\n;;;;\r\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert "Images: 2 (2 sharp/blurry" in result.stdout


def test_synth_refuses_a_source_manifest_with_more_fields_than_the_header(folder, tmp_path_factory):
    _manifest(folder, "file,label,sharpness\nphotos/sharp.jpg,sharp,0,5\n")
    out = tmp_path_factory.mktemp("synth") / "out"
    result = CliRunner().invoke(main, ["synth", str(folder), str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert (f"{folder / 'manifest.csv'}: cannot read this data set's manifest: line 2 has 4 fields, but the header "
            "names 3 columns") in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_unicode_text_export_is_read(folder, encoding):
    """A spreadsheet's "Unicode text": UTF-16 with its byte-order mark, tab-separated (Excel, LibreOffice's
    "Unicode"); it was refused as "not UTF-8 text (byte 0xff, line 1)"."""
    m = folder / "manifest.csv"
    m.write_bytes(("\ufeffFile\tLabel\r\nphotos/sharp.jpg\tsharp\r\nphotos/soft.jpg\tblurry\r\n").encode(encoding))
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert "Images: 2 (2 sharp/blurry" in result.stdout
    assert [e.path.name for e in _train_rows(folder, encoding)] == ["sharp.jpg", "soft.jpg"]


def _train_rows(folder, encoding):
    """``train``'s reader of the shared data set's layout, on the same file with the columns it needs."""
    (folder / "manifest.csv").write_bytes(("\ufefffile\tset\tlabel\tblur_type\r\nphotos/sharp.jpg\ta\tsharp\tnone\r\n"
                                           "photos/soft.jpg\ta\tblurry\tgaussian\r\n").encode(encoding))
    return datasets.read_manifest(folder)


def test_a_utf16_manifest_cut_short_is_one_line(folder):
    m = folder / "manifest.csv"
    m.write_bytes("\ufefffile\tlabel\nphotos/sharp.jpg\tsharp\n".encode("utf-16-le") + b"x")
    result = _evaluate(m)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {m}: cannot read manifest: not UTF-16 text, though it starts as UTF-16 (cut "
                             "short?); save it as UTF-8 (a spreadsheet's \"CSV UTF-8\") and run again\n")


def test_a_sep_line_gives_the_separator(folder, tmp_path_factory):
    """``sep=;`` above the header (read by Excel as the separator) was taken for the header: "missing columns"."""
    m = _manifest(folder, "sep=;\r\nfile;label;note\r\nphotos/sharp.jpg;sharp;a, b\r\nphotos/soft.jpg;blurry;\r\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert "Images: 2 (2 sharp/blurry" in result.stdout
    out = tmp_path_factory.mktemp("synth") / "out"
    result = CliRunner().invoke(main, ["synth", str(folder), str(out), "--per-image", "1", "--max-side", "64", "-q"])
    assert result.exit_code == 0 and " from 1 source to " in result.output, result.output
    m = _manifest(folder, "sep=,\nfile,label\nphotos/sharp.jpg,sharp\n\nphotos/soft.jpg,soft\n")
    result = _evaluate(m)
    assert result.exit_code == 1
    assert f"{m}, line 5: label 'soft' is not 'sharp' or 'blurry'" in result.stderr  # its lines counted
