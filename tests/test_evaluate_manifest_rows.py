"""How ``blurscan evaluate`` reads a manifest's rows, through the real command line (each was reproduced by an
audit, 2026-12-04): ``set`` and ``split`` values kept their spaces (``--set a`` found "no rows" in ``file, label,
set`` / ``x.jpg, sharp, a``); the lines named in messages were counted without the blank lines the reader skips;
the ``,,`` / ``;;;`` rows a spreadsheet's export ends with stopped the run ("empty 'file'"); column names were
read in their case only (``File,Label``: "missing columns"). ``synth`` and ``train`` read the same way
(:mod:`blurscan.manifest_csv`)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, textured


@pytest.fixture()
def folder(tmp_path):
    save_jpeg(tmp_path / "sharp.jpg", textured(seed=1))
    save_jpeg(tmp_path / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    save_jpeg(tmp_path / "other.jpg", textured(seed=3))
    return tmp_path


def _evaluate(manifest, *args):
    return CliRunner().invoke(main, ["evaluate", str(manifest), "--model", "none", "--workers", "1", "--out",
                                     str(manifest.parent / "out"), *args])


def _manifest(folder, text: str, name: str = "m.csv"):
    path = folder / name
    path.write_bytes(text.encode())
    return path


def _images(result) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith("Images: "))


@pytest.mark.slow
@pytest.mark.parametrize("column,option", [("set", "--set"), ("split", "--split")])
def test_set_and_split_values_are_stripped_as_file_and_label_are(folder, column, option):
    m = _manifest(folder, f"file, label, {column}\nsharp.jpg, sharp, a\nsoft.jpg, blurry,  a \nother.jpg, sharp, b\n")
    result = _evaluate(m, option, "a")
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (2 sharp/blurry")


@pytest.mark.parametrize("option,value", [("--set", " a"), ("--set", "a "), ("--split", "\ta ")])
def test_set_and_split_options_are_stripped_as_the_values_are(folder, option, value):
    """``--set " a"`` (a space pasted with the name) silently matched nothing: "no rows for set  a"."""
    column = option[2:]
    m = _manifest(folder, f"file,label,{column}\nsharp.jpg,sharp,a\nsoft.jpg,blurry,a\nother.jpg,sharp,b\n")
    result = _evaluate(m, option, value)
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (2 sharp/blurry")


@pytest.mark.parametrize("args,said", [
    (["--set", "A"], "no rows for set A (its sets: a, b)"),
    (["--split", "test", "--split", "val"], "no rows for split test/val (its splits: (empty), train)"),
    (["--set", "a", "--split", "test"], "no rows for set a, split test (its sets: a, b; splits of set a: train)"),
    (["--set", "c", "--split", "train"], "no rows for set c, split train (its sets: a, b; its splits: (empty), "
                                         "train)"),
])
def test_a_filter_that_matches_nothing_names_the_values_there_are(folder, args, said):
    """It said only "no rows for set A", leaving one to open the manifest to see what its sets are called."""
    m = _manifest(folder, "file,label,set,split\nsharp.jpg,sharp,a,train\nsoft.jpg,blurry,a,train\n"
                          "other.jpg,sharp,b,\n")
    result = _evaluate(m, *args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {m}: {said}\n"


def test_a_blur_type_with_spaces_is_still_known(folder, tmp_path):
    """(A guard: blur_type was already stripped.)"""
    m = _manifest(folder, "file,label,blur_type\nsharp.jpg,sharp, none \nsoft.jpg,blurry, partial_defocus \n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (1 sharp/blurry, 1 partly in focus")


@pytest.mark.parametrize("text,line", [
    ("file,label\n\n\nsharp.jpg,sharp\nsoft.jpg,sharpp\n", 5),                     # blank lines counted
    ("file,label\r\n\r\nsharp.jpg,sharp\r\nsoft.jpg,sharpp\r\n", 4),              # CRLF
    ('file,label,note\nsharp.jpg,sharp,"two\nlines"\nsoft.jpg,sharpp,x\n', 4),    # a quoted line break
    ('file,label,note\nsharp.jpg,sharp,x\n\nsoft.jpg,sharpp,"a\nb"\n', 4),        # where the row starts
    ("file,label\n\nsharp.jpg,sharp\n,blurry\n", 4),                               # a label and no file
])
def test_messages_name_the_line_the_row_is_on(folder, text, line):
    result = _evaluate(_manifest(folder, text))
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {folder / 'm.csv'}, line {line}: "), result.output
    assert len(result.output.splitlines()) == 1


@pytest.mark.parametrize("text", [
    "file,label,set\r\nsharp.jpg,sharp,a\r\nsoft.jpg,blurry,a\r\n,,\r\n , ,\r\n,,\r\n",
    "file;label\r\nsharp.jpg;sharp\r\n;\r\nsoft.jpg;blurry\r\n;;;\r\n;;;\r\n",
    "file\tlabel\nsharp.jpg\tsharp\nsoft.jpg\tblurry\n\t\n",
])
def test_rows_of_empty_fields_are_passed_over_as_blank_lines(folder, text):
    result = _evaluate(_manifest(folder, text))
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (2 sharp/blurry")


@pytest.mark.parametrize("header", ["File,Label,Set", "FILE,LABEL,SET", " File , label , sEt "])
def test_column_names_are_read_in_any_case(folder, header):
    m = _manifest(folder, f"{header}\nsharp.jpg,sharp,a\nsoft.jpg,Blurry,a\nother.jpg,sharp,b\n")
    result = _evaluate(m, "--set", "a")
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (2 sharp/blurry")


def test_blur_type_is_read_in_any_case(folder):
    m = _manifest(folder, "file,label,Blur_Type\nsharp.jpg,sharp,none\nsoft.jpg,blurry,partial_defocus\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (1 sharp/blurry, 1 partly in focus")


@pytest.mark.parametrize("header,said", [
    ("file,label,Label", "columns 'label' and 'Label' differ only in case"),
    ("File,file,label", "columns 'File' and 'file' differ only in case"),
    ("file,label,label", "column 'label' appears twice"),
])
def test_two_columns_of_one_name_are_refused(folder, header, said):
    m = _manifest(folder, f"{header}\nsharp.jpg,sharp,blurry\nsoft.jpg,blurry,blurry\n")
    result = _evaluate(m)
    assert result.exit_code == 1, result.output
    assert result.output == (f"Error: {m}: cannot read manifest: {said}: which one is meant cannot be told; "
                             "rename or remove one\n")
    assert not (folder / "out").exists()


def test_a_header_ending_in_empty_columns_is_read(folder):
    """(A guard: the empty names of a header ending in ``,,`` are not columns of one name.)"""
    m = _manifest(folder, "file,label,,\nsharp.jpg,sharp,,\nsoft.jpg,blurry,,\n,,,\n")
    result = _evaluate(m)
    assert result.exit_code == 0, result.output
    assert _images(result).startswith("Images: 2 (2 sharp/blurry")


def test_missing_columns_are_named_as_written(folder):
    result = _evaluate(_manifest(folder, "File,Lable\nsharp.jpg,sharp\n"))
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {folder / 'm.csv'}: missing column 'label' (columns: File, Lable)\n"


def test_synth_and_train_read_such_a_manifest_the_same_way(folder):
    """The sources of ``synth`` and ``train`` (blurscan.synth.sources) and the shared data set's reader
    (blurscan.datasets, which ``train`` reads): names in any case, values stripped, empty rows passed over."""
    from blurscan import datasets
    from blurscan.errors import UsageError
    from blurscan.synth.sources import collect_sources

    data = folder / "data"
    for name in ("sharp.jpg", "soft.jpg", "other.jpg"):
        (data / name).parent.mkdir(exist_ok=True)
        (data / name).write_bytes((folder / name).read_bytes())
    (data / "manifest.csv").write_bytes(b"File;Set;Label;Blur_Type\r\n sharp.jpg ; a ; Sharp ; none \r\n"
                                        b"soft.jpg;a;blurry;gaussian\r\nother.jpg;b;sharp;\r\n;;;\r\n")
    assert sorted(s.key for s in collect_sources([data])) == ["data/other.jpg", "data/sharp.jpg"]
    entries = datasets.read_manifest(data)
    assert [(e.file, e.set, e.label, e.blur_type) for e in entries] == [
        ("sharp.jpg", "a", "sharp", "none"), ("soft.jpg", "a", "blurry", "gaussian"), ("other.jpg", "b", "sharp", "")]
    assert entries[0].path == data / "sharp.jpg"
    (data / "manifest.csv").write_text("file,label,File\nsharp.jpg,sharp,x\n")
    for read in (lambda: collect_sources([data]), lambda: datasets.read_manifest(data)):
        with pytest.raises(UsageError, match="columns 'file' and 'File' differ only in case"):
            read()
