"""A path given to ``scan`` in a form a shell leaves as it is: a quoted ``~`` (``scan "~/My Pictures"``, the quotes
for the space). The walk reads ``~`` as the home folder, as ``report``, ``review`` and the actions do; until
2026-12-07 the rest of the scan did not: the database was looked for under a folder named ``~`` of the current
folder, none was found, and the photos were scored into no database (``database: none``), exit 1 without a word."""
from __future__ import annotations

from helpers_cli import jsonl, run
from helpers_images import make_library, save_jpeg, textured


def test_a_quoted_tilde_is_the_home_folder_as_the_walk_reads_it(tmp_path, monkeypatch):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    save_jpeg(home / "My Pictures" / "a.jpg", textured(1))
    save_jpeg(home / "My Pictures" / "b.jpg", textured(2))
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    res = run("scan", "~/My Pictures", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert f"database: {home / 'My Pictures' / '.blurscan.db'}" in res.stderr, res.stderr
    assert (home / "My Pictures" / ".blurscan.db").is_file() and list(elsewhere.iterdir()) == []
    again = run("scan", "~/My Pictures/a.jpg", "--model", "none", "--format", "jsonl")  # (reused: the same database)
    assert again.exit_code == 0 and "(1 unchanged, reused)" in again.stderr, again.output
    listed = run("report", "~/My Pictures", "--format", "jsonl")
    assert listed.exit_code == 0 and len(jsonl(listed.stdout)) == 2, listed.output


def test_an_empty_path_is_refused_before_any_work(tmp_path, monkeypatch):
    """``scan "$PHOTOS"`` with the variable unset gives ``''``: until 2026-12-07 the current folder was walked and
    its photos scored into no database (``database: none``), exit 1 without a word; a usage error now, nothing
    scanned, no database made."""
    save_jpeg(tmp_path / "a.jpg", textured(1))
    monkeypatch.chdir(tmp_path)
    for named in ([""], ["a.jpg", ""]):
        res = run("scan", *named, "--model", "none", "--format", "jsonl")
        assert res.exit_code == 2, res.output
        assert "Error: a PATH is empty ('': an unset shell variable?); nothing was scanned" in res.stderr
        assert res.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["a.jpg"]


def test_an_empty_path_is_refused_by_every_command_that_takes_one(tmp_path, monkeypatch):
    """``blurscan move --to rej "$PHOTOS" --yes`` with the variable unset gives ``''``: until 2026-12-07 every command
    but ``scan`` took it for the current folder, so run in a library it moved (trashed, tagged, undid) the photos
    under the current folder, and ``report`` listed them. A usage error now, as ``scan``'s, nothing done."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=2)
    monkeypatch.chdir(lib)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # (a trash, if one were made, beside the library)
    assert run("scan", ".", "--model", "none").exit_code == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for command, done in ((["report"], "listed"), (["bursts"], "listed"), (["review", "--no-browser"], "shown"),
                          (["move", "--to", tmp_path / "rej", "--all-blurry", "--yes"], "moved"),
                          (["trash", "--all-blurry", "--yes"], "moved to the trash"), (["tag", "--xmp"], "tagged"),
                          (["undo"], "undone"), (["undo", "--list"], "listed")):
        res = run(*command, "")
        assert res.exit_code == 2, (command, res.output)
        assert f"Error: a PATH is empty ('': an unset shell variable?); nothing was {done}" in res.stderr, res.output
        assert res.stdout == "" and sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert run("move", "--to", tmp_path / "rej", "--all-blurry").exit_code == 0  # (no PATH: still the current folder)


def test_a_tilde_in_db_and_to_typed_after_an_equals_sign_is_the_home_folder(tmp_path, monkeypatch):
    """``--db=~/x.db``, ``--to=~/rej``: bash leaves a ``~`` after ``=`` as it is, and a folder named ``~`` is never
    meant. Until 2026-12-07 ``scan`` made ``~/x.db`` in the home folder, then said ``its folder ./~ does not
    exist`` (exit 1); ``report`` and the actions looked for ``./~/x.db``; ``move --to=~/rej`` made ``./~/rej``."""
    from helpers_images import blurred

    home, elsewhere, lib = tmp_path / "home", tmp_path / "elsewhere", tmp_path / "lib"
    save_jpeg(lib / "a.jpg", blurred(textured(1), 6.0))
    save_jpeg(lib / "b.jpg", blurred(textured(2), 6.0))
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    res = run("scan", lib, "--model", "none", "--format", "jsonl", "--db=~/x.db")
    assert res.exit_code == 0, res.output
    assert f"database: {home / 'x.db'}" in res.stderr and len(jsonl(res.stdout)) == 2
    listed = run("report", "--db=~/x.db", "--format", "jsonl")
    assert listed.exit_code == 0 and len(jsonl(listed.stdout)) == 2, listed.stderr
    moved = run("move", "--to=~/rej", "--all-blurry", "--yes", "--db=~/x.db")
    assert moved.exit_code == 0, moved.stderr
    assert sorted(p.name for p in (home / "rej").iterdir()) == ["a.jpg", "b.jpg"]
    assert "batch 1" in run("undo", "--list", "--db=~/x.db").stdout
    undone = run("undo", "--db=~/x.db")
    assert undone.exit_code == 0 and sorted(p.name for p in lib.glob("*.jpg")) == ["a.jpg", "b.jpg"], undone.stderr
    assert list(elsewhere.iterdir()) == [] and list(lib.glob(".blurscan.db")) == []  # (no ./~, no library database)
    folder = run("report", "--db=~")  # (a folder: refused as one, by its name in the home folder)
    assert folder.exit_code == 2 and f"'{home}' is a directory" in folder.stderr, folder.stderr


def _home_and_elsewhere(tmp_path, monkeypatch):
    """A home folder of the test's own (HOME) and a current folder elsewhere."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    return home, elsewhere


def test_a_tilde_in_an_output_a_list_and_a_model_is_the_home_folder(tmp_path, monkeypatch):
    """``-o=~/x.jsonl``, ``--output=~/x.csv``, ``-o "~/b.csv"``, ``--files-from=~/list.txt``, ``--model=~/m.onnx``:
    until 2026-12-07 only ``--db`` and ``--to`` read a ``~`` the shell left as it is as the home folder; these said
    ``~/list.txt: no such file or directory``, ``~/m.onnx: model file not found``, and ``-o=~/x.jsonl`` (click
    hands over ``=~/x.jsonl``, as getopt does) ``=~/x.jsonl: cannot write output``."""
    import shutil

    from helpers_cli import PACKAGE

    home, elsewhere = _home_and_elsewhere(tmp_path, monkeypatch)
    lib = tmp_path / "lib"
    (home / "list.txt").write_text("".join(f"{p}\n" for p in make_library(lib, n_sharp=1, n_blurry=1)))
    shutil.copy(PACKAGE / "models" / "default.onnx", home / "m.onnx")
    res = run("scan", "--files-from=~/list.txt", "--model=~/m.onnx", "-o=~/x.jsonl")
    assert res.exit_code == 0, res.output
    rows = jsonl((home / "x.jsonl").read_text())
    assert len(rows) == 2 and all(r["p_blurry"] is not None for r in rows)  # (scored by the model)
    assert run("report", lib, "--output=~/r.csv").exit_code == 0
    assert run("bursts", lib, "-o", "~/b.csv").exit_code == 0  # (quoted: the shell left it too)
    assert len((home / "r.csv").read_text().splitlines()) == 3 and (home / "b.csv").is_file()
    assert list(elsewhere.iterdir()) == []  # (no ./~, no ./=~)
    stdout = run("report", lib, "-o", "-", "--format", "jsonl")  # (- is still standard output)
    assert stdout.exit_code == 0 and len(jsonl(stdout.stdout)) == 2, stdout.stderr


def test_a_tilde_in_the_paths_of_the_dataset_commands_is_the_home_folder(tmp_path, monkeypatch):
    """``evaluate "~/src/manifest.csv" --out=~/ev``, ``synth "~/src" "~/syn"``, ``train "~/src" --out=~/m.onnx``: until
    2026-12-07 ``--out=~/ev`` wrote into ``./~/ev``, and the others said ``~/src: no such file or directory``."""
    from helpers_images import blurred

    home, elsewhere = _home_and_elsewhere(tmp_path, monkeypatch)
    save_jpeg(home / "src" / "x.jpg", textured(1))
    save_jpeg(home / "src" / "y.jpg", blurred(textured(2), 6.0))
    (home / "src" / "manifest.csv").write_text("file,label\nx.jpg,sharp\ny.jpg,blurry\n")
    res = run("evaluate", "~/src/manifest.csv", "--model", "none", "--workers", "1", "--out=~/ev")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (home / "ev").iterdir()) == ["confusion.png", "metrics.json", "predictions.csv",
                                                               "roc.png"]
    made = run("synth", "~/src", "~/syn", "--per-image", "1", "--max-side", "64", "-q")
    assert made.exit_code == 0 and (home / "syn" / "manifest.csv").is_file(), made.stderr
    (home / "m.onnx").write_bytes(b"last month's")  # (refused before any work: named by its place in the home folder)
    (home / "notes").write_text("mine")
    for options, said in ((["--out=~/m.onnx"], f"Error: {home / 'm.onnx'}: already exists"),
                          (["--out=~/new.onnx", "--work-dir=~/notes"], f"'{home / 'notes'}' is a file")):
        refused = run("train", "~/src", *options)
        assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    assert list(elsewhere.iterdir()) == [] and (home / "m.onnx").read_bytes() == b"last month's"


def test_an_output_named_with_a_leading_equals_sign_is_read_as_typed_but_glued_to_o(tmp_path, monkeypatch):
    """``-o=x.csv`` is ``x.csv`` (argparse's reading of a one-letter option glued with ``=``), but ``-o =x.csv`` and
    ``--output==x.csv`` name a file called ``=x.csv``, as argparse reads them: until 2026-12-07 they wrote
    ``x.csv``, another file than the one named (click hands over ``=x.csv`` for all three)."""
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    monkeypatch.chdir(tmp_path)
    assert run("scan", "lib", "--model", "none").exit_code == 0
    for words, written in ((["-o", "=a.csv"], "=a.csv"), (["--output==b.csv"], "=b.csv"),
                           (["--output", "=c.csv"], "=c.csv"), (["-o=d.csv"], "d.csv")):
        res = run("report", "lib", *words)
        assert res.exit_code == 0, (words, res.output)
        assert len((tmp_path / written).read_text().splitlines()) == 3, words
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == ["=a.csv", "=b.csv", "=c.csv", "d.csv"]
    (lib / "demo=e.csv").mkdir()  # (a PATH ending as the value does is no glued -o)
    res = run("report", "lib/demo=e.csv", "-o", "=e.csv")
    assert res.exit_code == 0 and (tmp_path / "=e.csv").is_file() and not (tmp_path / "e.csv").exists(), res.output
    monkeypatch.chdir(lib)  # a PATH that looks like a cluster of short options ending in -o, or a long option ending
    for folder, value in (("-xo=f.csv", "=f.csv"), ("--po=g.csv", "=g.csv")):  # in o, after --: no glued -o
        (lib / folder).mkdir()
        res = run("report", "-o", value, "--", folder)
        assert res.exit_code == 0 and (lib / value).is_file() and not (lib / value[1:]).exists(), res.output


def test_an_output_glued_to_o_is_read_so_by_a_command_run_without_its_group(tmp_path, monkeypatch):
    """``report`` run as a click command of its own (no words of the group kept, :func:`blurscan.cli.path_given._glued`)
    reads ``-o=x.csv`` as ``x.csv``, the form a person types, as ``blurscan report`` does."""
    from click.testing import CliRunner

    from blurscan.cli import main

    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    monkeypatch.chdir(tmp_path)
    assert run("scan", "lib", "--model", "none").exit_code == 0
    res = CliRunner().invoke(main.commands["report"], ["lib", "-o=h.csv"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert len((tmp_path / "h.csv").read_text().splitlines()) == 3 and not (tmp_path / "=h.csv").exists()
