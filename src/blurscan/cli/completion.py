"""Shell completion (TAB in bash, zsh and fish): click's own, answered for the ``blurscan`` command.

The shell asks through the environment: ``_BLURSCAN_COMPLETE=bash_source blurscan`` prints the script to load once
(README, "Shell completion"), which on each TAB runs ``_BLURSCAN_COMPLETE=bash_complete blurscan`` with the words
typed in ``COMP_WORDS`` and ``COMP_CWORD`` (zsh and fish alike). It is answered before any command runs, with
click's parser only: nothing heavier than ``blurscan --help`` loads (no numpy, OpenCV, Pillow, ONNX Runtime, rich
or sqlite3), and the parameters' callbacks see click's resilient parsing, in which their errors are ignored.

Until 2026-12-06 click answered it alone, and:

* a word holding a byte that is not UTF-8 (a folder named in Latin-1, ``caf\\xe9/``, which the shell itself had
  just completed; or any accented letter typed under a Latin-1 locale, where blurscan runs itself again in UTF-8
  mode) made click's answer fail to encode: a traceback printed into the command line being typed. The answer is
  written as the bytes it was given (``surrogateescape``), which the shell reads back unchanged;
* ``scan PATH...``, ``report [PATH]`` and ``bursts [PATH]`` completed nothing, not even a file name (their
  arguments are plain strings, so that the commands themselves say what is wrong with a path: :func:`paths`), nor
  did ``--model`` (:func:`model`);
* ``python -m blurscan`` answered nothing (click looked for ``_PYTHON -M BLURSCAN_COMPLETE``): it answers
  :data:`COMPLETE_VAR` as the ``blurscan`` script does, and a script it prints completes ``blurscan``.
"""
from __future__ import annotations

import os
import sys

#: The environment variable the shell's script sets: the one click derives from the ``blurscan`` script's name.
COMPLETE_VAR = "_BLURSCAN_COMPLETE"
#: The command the shell completes, whichever way this process was started.
PROG_NAME = "blurscan"
#: ``--model``'s words besides a path (blurscan.cli.scan, blurscan.cli.evaluate).
MODEL_WORDS = ("default", "none")


def answer(group, ctx_args) -> None:
    """Where the shell asks (:data:`COMPLETE_VAR` set: ``bash_source``, ``zsh_complete``, ...), answer it on
    standard output and exit (0; 1 for an instruction click does not know, as click does); else return."""
    instruction = os.environ.get(COMPLETE_VAR)
    if not instruction:
        return
    from click.shell_completion import get_completion_class

    shell, _, what = instruction.partition("_")
    comp_cls = get_completion_class(shell)
    if comp_cls is None or what not in ("source", "complete"):
        sys.exit(1)
    if what == "complete" and (missing := _words_missing(shell)):
        # (click read them unchecked: a KeyError traceback until 2026-12-06, from `_BLURSCAN_COMPLETE=bash_complete
        # blurscan` typed by hand or a script of another program; exit 1, as for an instruction click does not know)
        sys.stderr.write(f"blurscan: {COMPLETE_VAR}={instruction} asks for a shell completion, which needs "
                         f"{missing} (set by the shell's completion script); nothing was done\n")
        sys.exit(1)
    comp = comp_cls(group, ctx_args, PROG_NAME, COMPLETE_VAR)
    text = comp.source() if what == "source" else comp.complete() + "\n"
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))  # (bytes: no CRLF on Windows either)
    sys.stdout.buffer.flush()
    sys.exit(0)


def _words_missing(shell: str) -> str | None:
    """What the words the shell's script sets lack (``COMP_WORDS``, ``COMP_CWORD``: a whole number but in fish,
    where it is the word being typed), in words; None when they are there."""
    absent = [name for name in ("COMP_WORDS", "COMP_CWORD") if name not in os.environ]
    if absent:
        return " and ".join(absent)
    if shell != "fish":
        try:
            int(os.environ["COMP_CWORD"])
        except ValueError:
            return "COMP_CWORD as a whole number (the index of the word being typed)"
    return None


def paths(ctx, param, incomplete: str) -> list:
    """An argument that names files or folders but is no :class:`click.Path` (``scan``'s PATH...): the shell
    completes a file or folder name, as for a ``click.Path``."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def given_model(ctx, param, value: str) -> str:
    """``--model``'s value as given, refused when empty (``--model "$MODEL"`` with the variable unset): until
    2026-12-06 scan and evaluate said "ScanSettings.model must be 'default', 'none' or ...", the Python API's
    name. Kept beside :func:`model`, the option's completion, so that the commands declare it alike. A file that
    starts with ``~`` is in the home folder (:func:`.path_given.home_expanded`: ``--model=~/m.onnx``, which until
    2026-12-07 said ``~/m.onnx: model file not found``). A ``..`` in it is read as the system reads it, as every other
    file option's (:class:`.path_given.GivenPath`, :func:`blurscan.path_walk.reach`: after a symbolic link, from
    where it leads), the model named by where it is, and one the system cannot follow there (a name not there, a
    file, a link that leads nowhere, a folder this user may not enter) is refused naming what stops it: ``Error:
    typo/../m.onnx: cannot be reached: /home/me/typo is not there``. Until 2026-12-07 it was given to ONNX Runtime
    as typed, which said only ``typo/../m.onnx: model file not found``."""
    import os

    import click

    from ..errors import UsageError
    from .path_given import _read_through, home_expanded

    if not value:
        raise click.BadParameter("it is empty: give default, none or the path of an .onnx file")
    value = home_expanded(value)
    if os.pardir in value.split(os.sep):
        return _read_through(value, UsageError)
    return value


def model(ctx, param, incomplete: str) -> list:
    """``--model default|none|PATH``: the words that start with what was typed, and file names. bash's script
    (click's) shows the words alone when one matches (``--model n``), file names otherwise (``--model ./``,
    ``--model my``); zsh and fish show both."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file"),  # (first: bash's script empties its list on a file item)
            *(CompletionItem(word) for word in MODEL_WORDS if word.startswith(incomplete))]
