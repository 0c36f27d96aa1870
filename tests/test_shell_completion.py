"""TAB completion in bash, zsh and fish (blurscan.cli.completion), through click's protocol as the shells' scripts
drive it: ``_BLURSCAN_COMPLETE=bash_complete`` with the words typed in ``COMP_WORDS`` and ``COMP_CWORD``, in a
subprocess (as click's own tests do), and click's completer in-process where only the answer's content matters.

Until 2026-12-06 a word with a byte that is not UTF-8 (a Latin-1 folder name the shell had just completed) printed
a traceback into the command line being typed, ``blurscan scan``'s, ``report``'s and ``bursts``' PATH and
``--model`` completed nothing, not even a file name, and ``python -m blurscan`` did not answer at all."""
from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.shell_completion import ShellComplete

from blurscan.cli import main

HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "torch", "sqlite3", "rich", "flask")


def complete(words: bytes | str, cword: int, shell: str = "bash", start=None) -> subprocess.CompletedProcess:
    """What the shell's script runs on TAB: ``blurscan`` (``python -m blurscan`` unless ``start``) with the words
    typed so far, the one at ``cword`` being completed."""
    env = {**os.environ, "_BLURSCAN_COMPLETE": f"{shell}_complete",
           "COMP_WORDS": os.fsdecode(words), "COMP_CWORD": str(cword)}
    return subprocess.run(start or [sys.executable, "-m", "blurscan"], env=env, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def script(tmp_path_factory) -> str:
    """A ``blurscan`` console script as pip writes one (its interpreter on the #! line), what the shells run."""
    path = tmp_path_factory.mktemp("bin") / "blurscan"
    path.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    path.chmod(0o755)
    return str(path)


def answers(args: list[str], incomplete: str) -> list[tuple[str, str]]:
    """click's completions for ``blurscan ARGS INCOMPLETE``, as ``(type, value)``."""
    found = ShellComplete(main, {}, "blurscan", "_BLURSCAN_COMPLETE").get_completions(args, incomplete)
    return [(item.type, item.value) for item in found]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_typed_word_with_a_byte_that_is_not_utf8_is_answered_as_those_bytes_not_a_traceback(shell, script):
    """A Latin-1 folder name (``caf\\xe9``, as bash inserts it after completing it, or é typed under a Latin-1
    locale): click encoded its answer as strict UTF-8, so the shell got a traceback on stderr, onto the line being
    typed, and no completion."""
    done = complete(b"blurscan review caf\xe9", 2, shell, start=[script])
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode(errors="replace")
    item = {"bash": b"file,caf\xe9\n", "zsh": b"file\ncaf\xe9\n_\n"}[shell]
    assert done.stdout == item


def test_every_argument_completes_a_file_or_folder_name():
    """Every command's arguments are paths: each completes file names (and folders) or folder names, as the
    click.Path arguments always did; scan's PATH..., report's and bursts' PATH completed nothing, not even in
    bash, whose script then offers no file name either."""
    checked = []
    for name, command in sorted(main.commands.items()):
        for param in command.params:
            if not isinstance(param, click.Argument):
                continue
            before = [p for p in command.params[:command.params.index(param)] if isinstance(p, click.Argument)]
            if any(p.nargs == -1 for p in before):  # (synth's OUT, after SRC...: the words go to SRC)
                continue
            got = answers([name, *("x" for _ in before)], "ph")
            assert got in ([("file", "ph")], [("dir", "ph")]), (name, param.name, got)
            checked.append(f"{name} {param.name}")
    assert {"scan paths", "report path", "bursts path", "review path", "demo folder"} <= set(checked)


def test_scan_completes_its_second_path_too():
    assert answers(["scan", "photos"], "mo") == [("file", "mo")]


@pytest.mark.parametrize("command", ["scan", "evaluate"])
def test_model_completes_its_words_and_file_names(command):
    """``--model default|none|PATH``: the file item comes first, as bash's script (click's) empties its list on it
    and then adds the words: the words alone where one matches what was typed, file names otherwise."""
    assert answers([command, "--model"], "") == [("file", ""), ("plain", "default"), ("plain", "none")]
    assert answers([command, "--model"], "n") == [("file", "n"), ("plain", "none")]
    assert answers([command, "--model"], "./my") == [("file", "./my")]


def test_bash_completes_model_words_and_choices_through_its_script(script):
    """bash itself, through the script ``_BLURSCAN_COMPLETE=bash_source blurscan`` prints (the README's line), with
    a ``blurscan`` console script on PATH as pip writes one."""
    typed = ('eval "$(_BLURSCAN_COMPLETE=bash_source blurscan)"\n'
             'tab() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _blurscan_completion blurscan; '
             'echo "${COMPREPLY[*]}"; }\n'
             "tab blurscan scan --model n\ntab blurscan report --format c\ntab blurscan sc\n")
    env = {**os.environ, "PATH": f"{os.path.dirname(script)}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", typed], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.splitlines() == ["none", "csv", "scan"], done.stderr


def test_python_m_blurscan_answers_and_its_script_completes_the_blurscan_command():
    """click looked for ``_PYTHON -M BLURSCAN_COMPLETE`` under ``python -m blurscan``, so it printed the help
    instead; and a script made there would have completed a command called ``python -m blurscan``."""
    env = {**os.environ, "_BLURSCAN_COMPLETE": "bash_source"}
    done = subprocess.run([sys.executable, "-m", "blurscan"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "complete -o nosort -F _blurscan_completion blurscan" in done.stdout
    assert complete("blurscan sc", 1).stdout == b"plain,scan\n"


def test_a_completion_loads_no_heavy_library(script):
    """Each TAB starts blurscan: only click's parser runs, none of the libraries a command loads."""
    done = subprocess.run([sys.executable, "-X", "importtime", script], capture_output=True, timeout=60,
                          env={**os.environ, "_BLURSCAN_COMPLETE": "bash_complete",
                               "COMP_WORDS": "blurscan scan photos --db x.db --model ", "COMP_CWORD": "6"})
    assert done.stdout == b"file,\nplain,default\nplain,none\n"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines()}
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize("instruction", ["tcsh_complete", "bash_sauce"])
def test_an_instruction_click_does_not_know_is_exit_1_and_no_answer(instruction):
    """A shell click has no script for, or a word after the shell's that is neither ``source`` nor ``complete``
    (a script of another click version): nothing written into the line being typed, exit 1, as click does."""
    env = {**os.environ, "_BLURSCAN_COMPLETE": instruction, "COMP_WORDS": "blurscan sc", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "blurscan"], env=env, capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (1, b"", b"")


def test_scan_files_from_completes_a_file_name():
    assert answers(["scan", "--files-from"], "li") == [("file", "li")]


@pytest.mark.slow
@pytest.mark.parametrize("words", [{}, {"COMP_WORDS": "blurscan sc"}, {"COMP_WORDS": "blurscan sc", "COMP_CWORD": "x"}])
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_completion_asked_without_the_words_typed_is_one_line_and_exit_1_not_a_traceback(shell, words):
    """``_BLURSCAN_COMPLETE=bash_complete blurscan`` without the ``COMP_WORDS`` and ``COMP_CWORD`` that the shell's
    script sets (typed by hand, a script of another program): a KeyError traceback until 2026-12-06. One line
    naming what is missing, nothing on standard output, exit 1 as for an instruction click does not know."""
    env = {k: v for k, v in os.environ.items() if k not in ("COMP_WORDS", "COMP_CWORD")}
    env.update(words, _BLURSCAN_COMPLETE=f"{shell}_complete")
    done = subprocess.run([sys.executable, "-m", "blurscan"], env=env, capture_output=True, text=True, timeout=60)
    if shell == "fish" and "COMP_CWORD" in words:  # (fish's COMP_CWORD is the word being typed: any text)
        assert done.returncode == 0 and "Traceback" not in done.stderr
        return
    assert (done.returncode, done.stdout) == (1, "")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert "COMP_CWORD" in done.stderr and "_BLURSCAN_COMPLETE" in done.stderr


def test_tab_after_version_completes_the_command_and_prints_no_version():
    """``blurscan --version sc<TAB>``: click parses the words typed so far to complete them (resilient parsing);
    the ``--version`` flag's callback must say nothing then, or its lines would go to the shell as completions."""
    done = complete("blurscan --version sc", 2)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [b"plain,scan"], done.stdout  # (the version's lines were answers)
