"""``blurscan train``'s command line, the checks made before any work (torch not needed): an existing ``--out``
is refused unless ``--overwrite`` (``--force``, its former name, still works), and the documented command that
rebuilds the shipped model passes it."""
from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _no_training(monkeypatch) -> list:
    """Replace the trainer: the calls it gets, and no work."""
    from blurscan.model import train as trainer

    calls = []
    monkeypatch.setattr(trainer, "train", lambda data, out, **kw: calls.append(str(out)) or {})
    return calls


def test_an_existing_out_is_refused_before_any_work(tmp_path, monkeypatch):
    """`train --out` wrote over an existing file at the end of the run (the shipped model, or last week's):
    it is refused at once, with one line naming the file, before synthesis or training starts."""
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    out, work = tmp_path / "mine.onnx", tmp_path / "work"
    out.write_bytes(b"last week's model")
    (tmp_path / "gone.onnx").symlink_to(tmp_path / "nowhere.onnx")  # a dangling link is a name taken too
    for target in (out, tmp_path / "gone.onnx"):
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(target),
                                           "--work-dir", str(work)])
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == (f"Error: {target}: already exists: add --overwrite to replace it with the model this "
                                 "run trains, or choose another --out\n")
    assert calls == [] and not work.exists()
    assert out.read_bytes() == b"last week's model"


def test_overwrite_lets_train_replace_out_and_force_still_does(tmp_path, monkeypatch):
    """train spelled "replace my output" --force, synth --overwrite: both take --overwrite now (train's help shows
    it), and --force, the name scripts and `make model` used, is still accepted by both, hidden from the help."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:  # (checked next, before the trainer is called)
        import pytest

        pytest.skip("needs torch installed (the 'train' extra)")
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    out = tmp_path / "mine.onnx"
    out.write_bytes(b"last week's model")
    for option in ("--overwrite", "--force"):
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), option])
        assert result.exit_code == 0, result.output
    assert calls == [str(out), str(out)]
    shown = CliRunner().invoke(main, ["train", "--help"]).stdout
    assert "--overwrite" in shown and "--force" not in shown


def test_the_documented_command_that_rebuilds_the_shipped_model_passes_overwrite(tmp_path):
    """`make model` writes over src/blurscan/models/default.onnx: its command needs --overwrite, and the README and
    the model card (which quotes the command that made the model) show the same command."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    make = next(line.strip() for line in lines if " train " in line)
    data = next(line.split("?=")[1].strip() for line in lines if line.startswith("DATA ?="))  # (make model DATA=...)
    command = make.removeprefix("$(BIN)/").replace("$(DATA)", data)
    readme = (ROOT / "README.md").read_text()
    card = (ROOT / "docs" / "model-card.md").read_text()
    assert f"```sh\n{command}\n```" in readme
    assert f"## Command\n\n```\n{command}\n```" in card
    words = shlex.split(command)
    assert words[:2] == ["blurscan", "train"] and "--overwrite" in words
    assert words[words.index("--out") + 1] == "src/blurscan/models/default.onnx"
    assert words[2] == "../shared/data"  # (where the shared photos are; a folder that exists stands in)
    main.commands["train"].make_context("train", [str(tmp_path)] + words[3:])  # every option of it is train's


def test_an_out_that_cannot_be_written_is_refused_before_any_work(tmp_path, monkeypatch):
    """The model is written at the end of the run: an --out below a file failed there, after the training, with
    a traceback. Refused at once, naming the reason; a dangling link (even into a folder that does not exist) is
    replaced by the model file."""
    import importlib.util

    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    (tmp_path / "gone.onnx").symlink_to(tmp_path / "nowhere" / "x.onnx")
    (tmp_path / "notes.txt").write_text("a file")
    for out, why in ((tmp_path / "notes.txt" / "models" / "x.onnx", f"{tmp_path / 'notes.txt'} is not a folder"),):
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), "--overwrite"])
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == f"Error: {out}: cannot be written: {why}; choose another --out\n"
    assert calls == []
    if importlib.util.find_spec("torch") is not None:
        for name in ("later.onnx", "gone.onnx"):
            if name == "later.onnx":
                (tmp_path / name).symlink_to(tmp_path / "models.onnx")
            result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / name),
                                               "--overwrite"])
            assert result.exit_code == 0, result.output
        assert calls == [str(tmp_path / "later.onnx"), str(tmp_path / "gone.onnx")]


def test_overwrite_never_writes_through_a_link_to_an_existing_file(tmp_path, monkeypatch):
    """The export writes through a symbolic link and in place (under every name of a hard-linked file): with
    --overwrite, an --out that was a link to the model shipped in the package replaced that model at the end of
    the run (nothing guarded it: `_is_shipped` only picks the card's wording, and it resolves the link, so
    the card was the shipped model's too), a link to last month's model replaced that one, and a hard link
    changed the file under its other names. Refused at once, naming the file the link leads to; a dangling link
    (nothing overwritten) and a plain file are still written."""
    import importlib.util

    from blurscan.model import runtime

    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    shipped = runtime.default_model_path()
    before = shipped.read_bytes()
    (tmp_path / "current.onnx").symlink_to(shipped)
    (tmp_path / "old.onnx").write_bytes(b"last month's model")
    (tmp_path / "latest.onnx").symlink_to(tmp_path / "old.onnx")
    (tmp_path / "backup.onnx").write_bytes(b"a model kept in a backup")
    os.link(tmp_path / "backup.onnx", tmp_path / "work.onnx")
    cases = [("current.onnx", f"it is a symbolic link to {shipped.resolve()} (the model shipped in the package), "
                              "and --overwrite replaces the file named, not the one a link leads to; name that file "
                              "itself"),
             ("latest.onnx", f"it is a symbolic link to {tmp_path / 'old.onnx'}, and --overwrite replaces the file "
                             "named, not the one a link leads to; name that file itself"),
             ("work.onnx", "it is one file with 2 names (hard links), and --overwrite would give this name the new "
                           "model and leave the old one under the others; remove this name first")]
    for name, why in cases:
        for option in ("--overwrite", "--force"):
            result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / name),
                                               option])
            assert (result.exit_code, result.stdout) == (2, ""), result.output
            assert result.stderr == f"Error: {tmp_path / name}: not replaced: {why}, or choose another --out\n"
    assert calls == []
    assert shipped.read_bytes() == before and (tmp_path / "old.onnx").read_bytes() == b"last month's model"
    # a hard link to the shipped model (as an installer that links files from its cache makes) says so
    monkeypatch.setattr(runtime, "default_model_path", lambda: tmp_path / "backup.onnx")
    result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / "work.onnx"),
                                       "--overwrite"])
    assert result.exit_code == 2 and calls == []
    assert (f"(hard links; one of them is {tmp_path / 'backup.onnx'}, the model shipped in the package)"
            in result.stderr), result.stderr
    if importlib.util.find_spec("torch") is not None:  # (checked next, before the trainer is called)
        (tmp_path / "new.onnx").symlink_to(tmp_path / "new-target.onnx")
        for name in ("old.onnx", "new.onnx"):
            result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / name),
                                               "--overwrite"])
            assert result.exit_code == 0, result.output
        assert calls == [str(tmp_path / "old.onnx"), str(tmp_path / "new.onnx")]


def test_an_out_in_a_folder_no_one_may_write_is_refused_as_root_too(tmp_path, monkeypatch):
    """Root passes every permission check, so `train --out` into a folder with no write bit (chmod a-w) was
    accepted and written there, while blurscan honours such folders as root everywhere else
    (blurscan.permissions). Refused at once, as for any other user."""
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    models = tmp_path / "models"
    models.mkdir()
    models.chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(models / "m.onnx")])
    finally:
        models.chmod(0o755)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (f"Error: {models / 'm.onnx'}: cannot be written: {models} is read-only or not yours; "
                             "choose another --out\n")
    assert calls == []


def test_every_path_the_run_writes_is_checked_before_any_work(tmp_path, monkeypatch):
    """An --out or --card naming a folder (`--out models/` wrote a file named `models`), a --card that cannot be
    written (a traceback at the very end of the run, after the training), a --work-dir that cannot hold the
    training data (a traceback): each refused at once, with its reason."""
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    (tmp_path / "notes.txt").write_text("a file")
    notes = tmp_path / "notes.txt"
    out = str(tmp_path / "m.onnx")
    for args, said in (
            (["--out", str(tmp_path / "models") + "/"],
             f"{tmp_path / 'models'}/: names a folder; --out names the file to write"),
            (["--out", out, "--card", str(tmp_path / "cards") + "/"],
             f"{tmp_path / 'cards'}/: names a folder; --card names the file to write"),
            (["--out", out, "--card", str(notes / "card.md")],
             f"{notes / 'card.md'}: cannot be written: {notes} is not a folder; choose another --card"),
            (["--out", out, "--work-dir", str(notes / "wd")],
             f"{notes / 'wd'}: cannot hold the training data: {notes} is not a folder; choose another --work-dir")):
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), *args])
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == f"Error: {said}\n"
    assert calls == [] and not (tmp_path / "models").exists()


def test_train_without_torch_is_an_error_not_a_usage_mistake(tmp_path, monkeypatch):
    """Without the train extra it exited with 2, the code the docs give usage errors only."""
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else find_spec(name, *a))
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / "m.onnx")])
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert result.stderr == "Error: training needs PyTorch: pip install 'blurscan[train]'\n"
    assert calls == [] and not (tmp_path / "m.onnx").exists()


def test_an_existing_card_that_train_did_not_write_is_refused_unless_overwrite(tmp_path, monkeypatch):
    """--card replaced any existing file without a word (a project's notes.md, its README), while an existing --out
    was refused: a file that is not a card blurscan train wrote is refused now, before any work, unless
    --overwrite; a card train wrote (last run's, the shipped model's) is regenerated as before, and a dangling
    link names a file not there yet."""
    import importlib.util

    import pytest

    if importlib.util.find_spec("torch") is None:  # (checked before the trainer is called)
        pytest.skip("needs torch installed (the 'train' extra)")
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    notes = tmp_path / "notes.md"
    notes.write_text("# Our project\n\nWhat we found.\n")
    card = tmp_path / "card.md"
    card.write_text("# Model card: m.onnx\n\n*Written by `blurscan train` on 2026-11-30T10:00:00+00:00, ...*\n")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")

    def train(*args):
        return CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(tmp_path / "m.onnx"),
                                         "--work-dir", str(tmp_path / "work"), *args])

    result = train("--card", str(notes))
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (f"Error: {notes}: already exists and is not a model card blurscan train wrote: add "
                             "--overwrite to replace it with this run's card, or choose another --card\n")
    assert calls == [] and notes.read_text() == "# Our project\n\nWhat we found.\n"
    shipped = tmp_path / "model-card.md"  # (a copy: the source tree may be read-only, a build farm's)
    shipped.write_bytes((ROOT / "docs" / "model-card.md").read_bytes())
    for args in (["--card", str(notes), "--overwrite"], ["--card", str(card)], ["--card", str(tmp_path / "gone.md")],
                 ["--card", str(shipped)]):
        assert train(*args).exit_code == 0, args  # (the trainer is replaced: nothing is written)
    assert len(calls) == 4


def test_a_card_that_names_the_model_file_is_refused_before_any_work(tmp_path, monkeypatch):
    """`train --out m.onnx --card m.onnx` (the same file, or another name of it: through `..` or a symbolic link)
    wrote the card over the model it had just trained, said "wrote m.onnx" and exited 0: the run's model was lost
    (reproduced 2026-12-06 with a run of a few seconds; found by reading train's checks while measuring coverage)."""
    calls = _no_training(monkeypatch)
    (tmp_path / "photos").mkdir()
    (tmp_path / "sub").mkdir()
    out, work = tmp_path / "m.onnx", tmp_path / "work"
    (tmp_path / "link.md").symlink_to(out)
    for card in (out, tmp_path / "sub" / ".." / "m.onnx", tmp_path / "link.md"):
        for more in ((), ("--overwrite",)):
            result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), "--card",
                                               str(card), "--work-dir", str(work), *more])
            assert (result.exit_code, result.stdout) == (2, ""), result.output
            named = os.path.join(os.path.realpath(tmp_path), "m.onnx") if os.pardir in card.parts else card  # (the
            # `..` read as the system reads it, and named so, as a --db is: path_given.GivenPath, since 2026-12-07)
            assert result.stderr == (f"Error: {named}: --card names the file --out writes the model to; name another "
                                     "file for the card (my-model.md, say)\n")
    out.write_bytes(b"last week's model")
    (tmp_path / "hard.md").hardlink_to(out)
    result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), "--card",
                                       str(tmp_path / "hard.md"), "--work-dir", str(work), "--overwrite"])
    assert result.exit_code == 2 and "--card names the file --out writes the model to" in result.stderr
    assert calls == [] and not work.exists() and out.read_bytes() == b"last week's model"


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
def test_the_card_records_the_arguments_train_was_given_not_the_scripts(tmp_path, monkeypatch):
    """train run from a script through ``blurscan.cli.main([...])``: the model card's command is the arguments
    click parsed for train (until 2026-12-06 ``sys.argv[2:]``, the script's own: "blurscan train x" for
    ``python run.py --quick x``). From the command line (``sys.argv`` the same) it is as before."""
    import sys

    import pytest

    from blurscan.model import train as trainer

    from blurscan import optional

    commands = []
    monkeypatch.setattr(trainer, "train", lambda data, out, **kw: commands.append(kw["command"]) or {})
    monkeypatch.setattr(optional, "probe", lambda *a: None)  # (torch's check in a child process: not this test's)
    (tmp_path / "my photos").mkdir()
    args = ["train", str(tmp_path / "my photos"), "--out", str(tmp_path / "mine.onnx"), "--work-dir",
            str(tmp_path / "work"), "--seed", "3"]
    monkeypatch.setattr(sys, "argv", ["run.py", "--quick", "x"])
    with pytest.raises(SystemExit) as ended:
        main(args)
    assert ended.value.code == 0
    monkeypatch.setattr(sys, "argv", ["blurscan", *args])  # the command line
    assert CliRunner().invoke(main, args).exit_code == 0
    assert commands == ["blurscan train " + shlex.join(args[1:])] * 2


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
def test_a_card_that_the_file_system_makes_the_model_file_is_refused_before_any_work(tmp_path, monkeypatch):
    """Two names no path resolving tells apart, that name one file once it is made: a folder mounted at two places
    here (``mount --bind``; as ``M.onnx`` and ``m.onnx`` on a case-insensitive drive, FAT, exFAT, APFS). Until
    2026-12-06 ``train --out a/m.onnx --card b/m.onnx`` trained, wrote the card over the model and exited 0
    (reproduced with a real run of a minute). Refused before any work; nothing is left where the card was tried."""
    import subprocess

    import pytest

    from blurscan import optional

    calls = _no_training(monkeypatch)
    monkeypatch.setattr(optional, "probe", lambda *a: None)  # (torch's check in a child process: not this test's)
    (tmp_path / "photos").mkdir()
    here, there = tmp_path / "a", tmp_path / "b"
    here.mkdir()
    there.mkdir()
    try:
        bound = subprocess.run(["mount", "--bind", str(here), str(there)], capture_output=True)
    except FileNotFoundError:
        pytest.skip("no mount command")
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount a folder here: {bound.stderr.decode().strip()}")
    try:
        out, card, work = here / "m.onnx", there / "m.onnx", tmp_path / "work"
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), "--card",
                                           str(card), "--work-dir", str(work)])
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == (f"Error: {card}: --card names the file --out writes the model to; name another "
                                 "file for the card (my-model.md, say)\n")
        assert calls == [] and not work.exists() and os.listdir(here) == []
        other = there / "m.md"  # another file there: trained, and the probe left nothing behind
        result = CliRunner().invoke(main, ["train", str(tmp_path / "photos"), "--out", str(out), "--card",
                                           str(other), "--work-dir", str(work)])
        assert result.exit_code == 0, result.output
        assert calls == [str(out)] and os.listdir(here) == []
    finally:
        subprocess.run(["umount", "-l", str(there)], check=False)


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
def test_train_called_again_in_one_process_says_each_line_once_and_leaves_logging_as_it_was(tmp_path, monkeypatch,
                                                                                               capsys, request):
    """A script or notebook that runs ``main(["train", ...])`` again and again: each run added a stderr handler to
    the ``blurscan.model`` logger and left it there (and the logger at INFO), so the n-th run said each of the
    trainer's lines n times, and the program's later use of the library logged through them all."""
    import logging

    import pytest

    from blurscan import optional
    from blurscan.model import train as trainer

    def fake_training(data, out, **kw):  # (the trainer's own logger, as a photo it skips)
        logging.getLogger("blurscan.model.train").warning("skipped %s: cannot decode", "x.jpg")
        return {}

    monkeypatch.setattr(trainer, "train", fake_training)
    monkeypatch.setattr(optional, "probe", lambda *a: None)  # (torch's check in a child process: not this test's)
    (tmp_path / "photos").mkdir()
    model_log = logging.getLogger("blurscan.model")
    earlier = model_log.level  # (an earlier test of this process may have left it at INFO: the program's own here)
    model_log.setLevel(logging.WARNING)
    request.addfinalizer(lambda: model_log.setLevel(earlier))
    handlers, level = list(model_log.handlers), model_log.level
    for run in range(30):
        main(["train", str(tmp_path / "photos"), "--out", str(tmp_path / "m.onnx"), "--work-dir",
              str(tmp_path / "work"), "--overwrite"], standalone_mode=False)
        assert capsys.readouterr().err.count("skipped x.jpg: cannot decode") == 1, run
    assert (model_log.handlers, model_log.level) == (handlers, level)
    with pytest.raises(Exception):  # a run that fails leaves it as it was too
        monkeypatch.setattr(trainer, "train", lambda data, out, **kw: 1 / 0)
        main(["train", str(tmp_path / "photos"), "--out", str(tmp_path / "m.onnx"), "--work-dir",
              str(tmp_path / "work"), "--overwrite"], standalone_mode=False)
    assert (model_log.handlers, model_log.level) == (handlers, level)


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
@pytest.mark.slow
def test_threads_is_the_number_of_torch_threads_the_network_trains_on(tmp_path, monkeypatch):
    """``--threads N``: torch trains the network on N threads (the image rule's small fit stays on one, for its
    figures' sake: :func:`blurscan.model.rules.fit_rule`), and the model card says so."""
    import torch

    from blurscan.model import train as trainer
    from helpers_images import save_jpeg, textured
    from helpers_train import tiny_training

    tiny_training(monkeypatch)  # (a run of a few seconds, as tests/test_train_few_photos.py)
    photos = tmp_path / "photos"
    for i in range(16):
        save_jpeg(photos / f"photo_{i:02d}.jpg", textured(i, size=(96, 128)))
    used, fit_cnn = [], trainer.fit_cnn

    def fit(*args, **kw):
        fitted = fit_cnn(*args, **kw)
        used.append(torch.get_num_threads())  # what the network was trained on
        return fitted

    monkeypatch.setattr(trainer, "fit_cnn", fit)
    out, card = tmp_path / "m.onnx", tmp_path / "card.md"
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--card", str(card), "--work-dir",
                                       str(tmp_path / "work"), "--workers", "1", "--epochs", "1", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert used == [2] and out.is_file()
    assert "torch threads 2;" in card.read_text()
