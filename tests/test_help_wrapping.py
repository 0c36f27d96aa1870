"""Every command's ``--help`` at 60, 80 and 100 columns: no option name, file name or word cut across two lines,
no quoted command (```blurscan move --to DIR```) split, no line wider than the terminal; and the command list of
``blurscan --help`` saying in full what each command does at 80 columns. Until 2026-12-06 click broke lines after
hyphens (``--from-`` / ``bursts``, ``my-`` / ``model.md``) and cut long words (``$XDG`` / ``_CACHE_HOME...``),
and the command list cut every description to ``...``."""
from __future__ import annotations

import re

import pytest

from blurscan.cli import main

from helpers_cli import run

COMMANDS = sorted(name for name, command in main.commands.items() if not command.hidden)


def _texts(command) -> list[str]:
    """The help texts the command's ``--help`` shows: its own, its epilog, its options' and (the group's) its
    commands' short help."""
    texts = [command.help or "", command.epilog or ""]
    texts += [p.help or "" for p in command.params if not getattr(p, "hidden", False)]
    texts += [main.commands[name].short_help or "" for name in COMMANDS] if command is main else []
    return texts


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_never_cuts_a_word_or_a_quoted_command_across_lines(name, columns):
    command = main.commands[name] if name else main
    result = run(*([name] if name else []), "--help", terminal_width=columns)  # (as COLUMNS says it)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    shown = set(result.output.split())
    for text in _texts(command):
        for word in text.split():
            assert word in shown, f"{word!r} cut across lines in `blurscan {name} --help` at {columns} columns"
        for quoted in re.findall(r"`[^`]*`", " ".join(text.split())):
            assert any(quoted in line for line in lines), f"{quoted} split in `blurscan {name} --help`"
    assert max(len(line) for line in lines) <= columns, result.output


def test_the_command_list_says_what_each_command_does_in_full_at_80_columns():
    result = run("--help", terminal_width=80)
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == COMMANDS, result.output  # (one line each)
    for line in listed:
        name, said = line.split(None, 1)
        assert said == main.commands[name].short_help, line
        assert said.endswith(".") and not said.endswith("..."), line


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_names_a_file_of_docs_as_one_of_blurscans_repository(name):
    """An installed blurscan has no docs/ folder: a --help that points at one of its files says where it is (as the
    model card does, "docs/model-card.md in blurscan's repository"). Until 2026-12-06 `blurscan bursts --help` said
    "see docs/bursts.md"."""
    result = run(*([name] if name else []), "--help", terminal_width=200)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for found in re.finditer(r"docs/\S+", text):
        assert text[found.end():].startswith(" in blurscan's repository"), \
            f"`blurscan {name} --help` points at {found.group()} without saying where it is"
