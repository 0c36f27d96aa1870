"""Commands that meet the same situation exit with the same code (found 2026-12-05): a command line naming
folders without a photo is an error, 1, in `synth` as in `train`; a destination refused before any work is a
usage error, 2, wherever it is refused (`-o` of scan, report and bursts, `demo FOLDER`, as `move --to` and
`train --out`), while a write that fails once the work has begun stays 1."""
from __future__ import annotations

from helpers_cli import run
from helpers_images import save_jpeg, textured


def test_synth_without_a_source_photo_exits_as_train_does(tmp_path):
    """`synth EMPTY OUT` said "no source images found" with exit 2, the usage errors' code, where `train EMPTY`
    says "no sharp photos to train on" with 1: the command line is right, the folder holds no photo."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a photo\n")
    synth = run("synth", empty, tmp_path / "out", "-q")
    assert synth.exit_code == 1, synth.output
    assert synth.stderr == f"Error: {empty}: no source images found\n"
    assert not (tmp_path / "out").exists()
    train = run("train", empty, "--out", tmp_path / "m.onnx")
    assert train.exit_code == synth.exit_code, train.output


def test_an_output_file_under_a_file_is_refused_as_a_to_under_a_file_is(tmp_path):
    """`-o notes.txt/x.csv` exited with 1 ("cannot write output: not a directory") where `move --to
    notes.txt/rejects` exits with 2 and names the file; now both are usage errors naming the file in the way, said
    before any work: no database is made, the file is left as it was."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured())
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    out = notes / "x.csv"
    said = f"Error: {out}: cannot write output: {notes} is a file, not a folder\n"
    scan = run("scan", lib, "-o", out, "--model", "none", "--workers", "1")
    assert (scan.exit_code, scan.stderr) == (2, said)
    assert sorted(p.name for p in lib.iterdir()) == ["a.jpg"]  # nothing scanned, no database
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    for command in ("report", "bursts"):
        result = run(command, lib, "-o", out)
        assert (result.exit_code, result.stderr) == (2, said), command
    move = run("move", lib, "--to", notes / "rejects")
    assert move.exit_code == 2 and f"{notes} is a file, not a folder" in move.stderr
    assert notes.read_text() == "mine\n"


def test_demo_under_a_file_is_refused_as_demo_of_a_file_is(tmp_path):
    """`demo FILE` is click's usage error (exit 2) and `demo FILE/sub` was "cannot write the demo photos: not a
    directory" (exit 1); now the second is a usage error too, said before any photo is made."""
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    assert run("demo", notes).exit_code == 2
    for folder in (notes / "sub", notes / "sub" / "deeper"):
        result = run("demo", folder)
        assert result.exit_code == 2, result.output
        assert result.stderr == f"Error: {folder}: cannot be made: {notes} is a file, not a folder\n"
    assert notes.read_text() == "mine\n"


def test_a_negative_demo_seed_is_a_usage_error_not_a_traceback(tmp_path):
    """`demo --seed -1` ended in numpy's traceback ("expected non-negative integer"), as synth's --seed would
    have, had it not been a range already."""
    result = run("demo", tmp_path / "photos", "--seed", "-1")
    assert result.exit_code == 2 and "Invalid value for '--seed': -1 is not in the range x>=0" in result.stderr
    assert not (tmp_path / "photos").exists()


def test_synth_out_under_a_file_is_refused_as_demo_under_a_file_is(tmp_path):
    """`synth SRC notes.txt/set` exited with 1 after reading the sources, saying "cannot write: not a directory;
    nothing was written: make room" (no disk was full), where `demo notes.txt/sub` and `evaluate --out
    notes.txt/sub` are usage errors naming the file in the way (found by measuring which lines the tests ran,
    2026-12-06). A symbolic link that leads nowhere in OUT's place is named so too."""
    save_jpeg(tmp_path / "src" / "a.jpg", textured())
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    for out in (notes / "set", notes / "set" / "deeper"):
        result = run("synth", tmp_path / "src", out, "-q")
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: {out}: cannot be made: {notes} is a file, not a folder; write the dataset "
                                 "to another folder\n")
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "nowhere")
    result = run("synth", tmp_path / "src", link, "-q")
    assert result.exit_code == 2, result.output
    assert f"{link} is a symbolic link to {tmp_path / 'nowhere'}, which leads nowhere" in result.stderr
    assert notes.read_text() == "mine\n" and not (tmp_path / "nowhere").exists()


def test_synth_and_demo_into_a_read_only_folder_are_refused_as_evaluate_out_is(tmp_path):
    """A folder with no write bit: `evaluate --out` refuses it (root too: blurscan honours the mode), while `synth`
    and `demo` as root wrote their files there, and as a user said "permission denied" (exit 1; synth's "... make
    room") once the writing failed."""
    save_jpeg(tmp_path / "src" / "a.jpg", textured())
    (tmp_path / "m.csv").write_text("file,label\nsrc/a.jpg,sharp\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for out in (locked / "set", locked / "set" / "deeper"):
            result = run("synth", tmp_path / "src", out, "-q")
            assert result.exit_code == 2, result.output
            assert result.stderr == (f"Error: {out}: cannot be written: {locked} is read-only or not yours; write "
                                     "the dataset to another folder\n")
        demo = run("demo", locked / "demo")  # (refused before any photo is made: no scikit-image needed)
        assert demo.exit_code == 2, demo.output
        assert demo.stderr == f"Error: {locked / 'demo'}: cannot be written: {locked} is read-only or not yours\n"
        assert list(locked.iterdir()) == []
        evaluate = run("evaluate", tmp_path / "m.csv", "--out", locked / "set")
        assert evaluate.exit_code == 2 and f"{locked} is read-only or not yours" in evaluate.stderr
    finally:
        locked.chmod(0o755)
