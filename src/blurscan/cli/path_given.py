"""The PATH a command is given, judged as it was typed, before a folder or a database is looked for from it.

An empty PATH (``blurscan move --to rej --yes "$LIB"``, the variable unset) is a usage error for every command, as
for ``scan``: until 2026-12-07 ``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag`` and ``undo`` read
it as the current folder, so a script run from another library's folder acted on that library. A photo named in
a folder's form (``lib/x.jpg/``, ``lib/x.jpg/.``) is ``not a folder`` for ``report``, ``bursts`` and ``review``
(which take a photo as PATH), as ``scan`` says and the system does (``ls lib/x.jpg/``); until 2026-12-07 they
read it as the photo."""
from __future__ import annotations

import os

import click

from ..errors import StoreError, printable_path

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


def not_empty_to(ctx: click.Context, param: click.Parameter, value):
    """A click callback for ``move --to``: ``--to "$REJECTS"``, the variable unset, is a usage error, as an empty
    PATH is (until 2026-12-07 it was the current folder, into which the photos were moved)."""
    if value is not None and not value:
        raise click.UsageError(f"--to is empty ('': an unset shell variable?); nothing was "
                               f"{_NOT_DONE.get(ctx.command.name or '', 'done')}")
    return value


def refuse_file_as_folder(path) -> None:
    """``path`` (as typed; None: none given) in a folder's form (``lib/x.jpg/``) that names a file is refused,
    ``not a folder``, as :func:`~blurscan.walk.walk` records it for ``scan``. A folder, a link to one, a name not
    there and a link whose target is not there are left to the command's own words."""
    from ..walk import canonical, link_to_nothing, named_as_folder

    if path is None:
        return
    given = os.path.expanduser(os.fsdecode(path))
    if not named_as_folder(given):
        return
    try:
        plain = canonical(given)
        a_file = os.path.lexists(plain) and not os.path.isdir(given) and not link_to_nothing(plain)
    except ValueError:  # (a NUL byte: "no such file or directory", as the command says it)
        return
    if a_file:
        raise StoreError(f"{printable_path(plain + os.sep)}: not a folder")
