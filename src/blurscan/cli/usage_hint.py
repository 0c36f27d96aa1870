"""The help command a usage error suggests (``Try 'blurscan scan --help' for help.``) begins with the program as it
was run (:func:`blurscan.typed_commands.program`), as every other command blurscan suggests does.

click names the program by the last part of its path (``blurscan``) or, for ``python -m blurscan``, as ``python -m
blurscan``; where PATH lacks the virtual environment's folder (``make demo``'s ``.venv/bin/blurscan scan ...``) that
hint, pasted, said "command not found", and ``python`` may be another Python, without blurscan. Where ``blurscan``
on PATH is the one running, the words are click's own; else the hint names the program's absolute path, quoted for
the shell, between backquotes as blurscan's other hints (``Try `'/home/me/my lib/.venv/bin/blurscan' scan --help`
for help.``). Until 2026-12-07 the usage errors alone still said ``blurscan``. The ``Usage:`` line above it, like
``--help``'s, keeps click's short name: it shows the form of the command, not a command to paste.
"""
from __future__ import annotations

import types

import click


def as_run_hint(exc: click.UsageError) -> click.UsageError:
    """``exc`` (an unknown option, a bad value, no such command) shown with its help hint naming the program as
    run: the same exception, its ``show`` replaced, so that its kind and message (a ``BadParameter``'s option
    named) stay click's. Unchanged where it has no context, where click's name is already the program's, or where
    it shows something else its own way: the help of a group run without a command (``NoArgsIsHelpError``: until
    2026-12-07, the evening, ``.venv/bin/blurscan`` alone said ``Error: Usage: blurscan [OPTIONS] COMMAND ...``
    under a usage line and a hint instead of the help, earlier that day its commands listed)."""
    from ..typed_commands import program

    ctx = exc.ctx
    if ctx is None or type(exc).show is not click.UsageError.show or (ctx.find_root().info_name or "") == program():
        return exc
    exc.show = types.MethodType(_show, exc)  # type: ignore[method-assign]
    return exc


def _show(exc: click.UsageError, file=None) -> None:
    """click's ``UsageError.show`` (usage, hint, ``Error: ...`` on stderr), the hint's program as run."""
    from ..typed_commands import program

    ctx = exc.ctx
    hint = ""
    if ctx.command.get_help_option(ctx) is not None:
        root, path = ctx.find_root().info_name or "", ctx.command_path
        words = program() + path[len(root):] if path.startswith(root) else path
        hint = f"Try `{words} {max(ctx.help_option_names, key=len)}` for help.\n"
    click.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=True, color=ctx.color)
    click.echo(f"Error: {exc.format_message()}", file=file, err=True, color=ctx.color)
