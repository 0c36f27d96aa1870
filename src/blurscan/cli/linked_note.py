"""The note of the commands that read a database (``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag``)
when it still holds photos an older blurscan stored under a linked folder's name (:func:`blurscan.linked_names.
leftovers`): a scan converts them, and until then those commands list them under the link's name, or find
nothing under the real one (until 2026-12-05 without a word). One line on stderr, so JSON Lines and CSV on
standard output stay the list alone; nothing is written to the database."""
from __future__ import annotations

import os

import click

from ..errors import printable_path, shell_path
from ..typed_commands import as_run


def say_linked_names(store, under: str | None, db_given: bool) -> None:
    """Say on stderr that ``store`` holds photos under a linked folder's name (under ``under``, a canonical
    folder, or anywhere when None) and which scan converts them: of that folder, with ``--db`` when the
    command was given one or a scan of the folder would find another database."""
    from ..linked_names import leftovers
    from ..walk import canonical
    from .locate import find_db

    found = leftovers(store, under)
    if not found:
        return
    first, n = found[0], found[0].photos
    scanned = first.scan or first.folder  # (a link inside a scanned folder: that folder's, following links)
    command = as_run(f"blurscan scan {shell_path(scanned)}") + (" --follow-symlinks" if first.scan else "")
    same = find_db(canonical(scanned), quiet=True)
    if db_given or same is None or os.path.abspath(same) != os.path.abspath(store.path):
        command += f" --db {shell_path(os.path.abspath(store.path))}"  # (pasted anywhere)
    others = sum(leftover.photos for leftover in found[1:])
    them = "them" if n != 1 else "it"
    more = f" ({others} more under other linked folders)" if others else ""
    click.echo(f"note: {n} photo{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} stored under a linked folder's "
               f"name, {printable_path(first.folder)} (-> {printable_path(first.real)}), as a blurscan older than "
               f"2026-12-03 stored {them}{more}; `{command}` converts {them} to the real name",
               err=True)
