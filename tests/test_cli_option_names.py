"""Option names across commands: synth's worker count is `--workers`, as in scan, evaluate and train (it was only
`-j/--jobs`, and `synth --workers 4` said "No such option '--workers'. Did you mean '--force'?"); click's "Did you
mean" never names a hidden option (`--force`, `--overwrite`'s former name, which removes a dataset's images;
`train --limit-sources`); `demo --help` says that the demo needs the `demo` extra."""
from __future__ import annotations

import click
import pytest

from blurscan import synth as synth_lib
from blurscan.cli import main
from helpers_cli import cli, run
from helpers_images import save_jpeg, textured


def _hidden_long_options(command: click.Command) -> list[str]:
    return [name for p in command.params if isinstance(p, click.Option) and p.hidden
            for name in (*p.opts, *p.secondary_opts) if name.startswith("--")]


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.mark.parametrize("names", [("--workers", "2"), ("--jobs", "2"), ("-j", "2")])
def test_synth_takes_workers_and_its_former_names(tmp_path, monkeypatch, names):
    """`--workers N` is the documented name; `-j N` and `--jobs N` still work. Each runs N worker processes
    (the value reaches write_dataset) and writes the same dataset."""
    from blurscan.synth import recipes

    for i in range(2):
        save_jpeg(tmp_path / "src" / f"p{i}.jpg", textured(seed=i, size=(120, 160)))
    real, seen = recipes.write_dataset, []

    def spy(*args, **kwargs):
        seen.append(kwargs["workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(recipes, "write_dataset", spy)
    done = run("synth", tmp_path / "src", tmp_path / "out", "--per-image", "1", "--max-side", "160", "-q", *names)
    assert done.exit_code == 0, done.output
    assert seen == [2]
    rows = synth_lib.read_manifest(tmp_path / "out")
    assert sorted(r["source"].rsplit("/", 1)[-1] for r in rows) == ["p0.jpg", "p1.jpg"]
    assert all((tmp_path / "out" / r["file"]).is_file() for r in rows)


def test_synth_help_names_workers_first_and_its_former_names():
    out = run("synth", "--help")
    assert out.exit_code == 0
    line = next(ln for ln in out.output.splitlines() if "--workers" in ln)
    assert line.split() == ["-j,", "--workers,", "--jobs", "INTEGER", "RANGE"]
    assert "-j and --jobs, its former names, still work" in " ".join(out.output.split())


def test_synth_workers_through_the_real_command(tmp_path):
    """The audit's command: `--workers` is an option of synth now (the next error is about the missing SRC: one
    line, exit 1, as for every command's path since 2026-12-05; click's usage error, exit 2, before)."""
    done = cli("synth", "--workers", "4", tmp_path / "ev", tmp_path / "out")
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "No such option" not in err and "--force" not in err
    assert _last_line(err) == f"Error: {tmp_path / 'ev'}: no such file or directory"


def test_train_typo_suggests_no_hidden_option_through_the_real_command(tmp_path):
    """`train --sources 3 x` said "(Did you mean one of: '--force', '--limit-sources', '--workers'?)"."""
    done = cli("train", "--sources", "3", tmp_path / "x")
    assert done.returncode == 2
    assert _last_line(done.stderr.decode()) == "Error: No such option '--sources'. Did you mean '--workers'?"


@pytest.mark.parametrize("args, line", [
    (["synth", "--worker", "4", "a", "b"], "Error: No such option '--worker'. Did you mean '--workers'?"),
    (["synth", "--forc", "a", "b"], "Error: No such option '--forc'."),
    (["train", "--forc", "--out", "m.onnx", "x"], "Error: No such option '--forc'."),
    (["train", "--limit-source", "3", "x"], "Error: No such option '--limit-source'."),
    (["scan", "--workerz", "2", "x"], "Error: No such option '--workerz'. Did you mean '--workers'?"),
    (["--vers"], "Error: No such option '--vers'. Did you mean '--version'?"),  # (the group's own: a guard)
    (["synth", "-x", "a", "b"], "Error: No such option '-x'."),  # (short options get no suggestion: a guard)
])
def test_no_such_option_messages(args, line):
    out = run(*args)
    assert out.exit_code == 2
    assert _last_line(out.stderr) == line


@pytest.mark.parametrize("name", sorted(main.commands))
def test_no_command_suggests_a_hidden_option(name):
    """Every command, every hidden option: a near miss of its name (one letter short, one letter more) is an
    unknown option whose message names no hidden option."""
    command = main.commands[name]
    hidden = _hidden_long_options(command)
    for option in hidden:
        for typo in (option[:-1], option + "s"):
            out = run(name, typo)
            assert out.exit_code == 2 and f"No such option '{typo}'" in out.stderr, out.stderr
            assert not any(f"'{h}'" in out.stderr for h in hidden), (typo, out.stderr)


def test_demo_help_says_it_needs_the_demo_extra():
    """In a plain `pip install blurscan`, `blurscan demo` fails with "the demo photos come from scikit-image";
    its --help did not say so."""
    out = run("demo", "--help")
    assert out.exit_code == 0
    assert "Needs the 'demo' extra (scikit-image): pip install 'blurscan[demo]'." in " ".join(out.output.split())
