"""The PATH a command is given, judged as it was typed, before a folder or a database is looked for from it.

An empty PATH (``blurscan move --to rej --yes "$LIB"``, the variable unset) is a usage error for every command, as
for ``scan``: until 2026-12-07 ``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag`` and ``undo`` read
it as the current folder, so a script run from another library's folder acted on that library."""
from __future__ import annotations

import click

#: what a command with an empty PATH did not do, in its one line
_NOT_DONE = {"scan": "scanned", "report": "listed", "bursts": "listed", "review": "shown", "move": "moved",
             "trash": "moved to the trash", "tag": "tagged", "undo": "undone"}


def empty_path(command: str) -> click.UsageError:
    """The usage error of an empty PATH given to ``command``."""
    return click.UsageError(f"a PATH is empty ('': an unset shell variable?); nothing was "
                            f"{_NOT_DONE.get(command, 'done')}")


def not_empty(ctx: click.Context, param: click.Parameter, value):
    """A click callback for a command's PATH argument: :func:`empty_path` for ``''``, else ``value``."""
    if value is not None and not value:
        raise empty_path(ctx.command.name or "")
    return value

