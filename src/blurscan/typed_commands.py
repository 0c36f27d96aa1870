"""The blurscan commands a message or the review page tells the person to type next, naming the database they are
for, so that they find it wherever they are typed.

A bare ``blurscan undo`` (``review``, ``bursts``, ``undo --list``) finds the database of the current folder or of
its nearest parent: typed outside the library, or for a database given by ``--db`` (kept on another drive, in the
cache folder), it found none (``no blurscan database found here or in a parent folder``), or another library's.
:func:`naming` writes the command with the library's folder for a ``.blurscan.db`` (``blurscan undo
'/home/me/My Pictures'``), else with ``--db FILE``, each absolute and quoted for the shell
(:func:`~blurscan.errors.shell_path`). The command line writes the bare command where the current folder finds
that database (:func:`blurscan.cli.actions.typed`); the review page, read away from any terminal, always names it
(until 2026-12-07 it said a bare `blurscan undo` puts the moved photos back).
"""
from __future__ import annotations

import os

from .config import DEFAULT_DB_NAME
from .errors import shell_path


def naming(db_path: str | os.PathLike, command: str) -> str:
    """``command`` (``"blurscan undo --batch 2"``, options included) followed by what names the database
    ``db_path`` typed in any folder: its folder for a ``.blurscan.db`` (the library, where the command looks for
    it), else ``--db FILE``. A relative ``db_path`` is taken from the current folder."""
    db = os.path.abspath(db_path)
    if os.path.basename(db) == DEFAULT_DB_NAME:
        return f"{command} {shell_path(os.path.dirname(db))}"
    return f"{command} --db {shell_path(db)}"
